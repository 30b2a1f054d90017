"""Parameter values of a batch: ``-p KEY VALUE`` read as YAML 1.2 scalars, and parameter files
with ``parameters:`` (common to every run) and ``variants:`` (named, one run each)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError

__all__ = ["Variant", "parse_parameter_value", "load_params_file"]

_VARIANT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Variant:
    """A named set of parameters; each variant is its own run, its outputs suffixed ``__<name>``."""

    name: str
    parameters: dict = field(default_factory=dict)



class _Loader(yaml.SafeLoader):
    """YAML with the 1.2 core scalars only: ``true``/``false`` (not yes/no/on/off), decimal numbers
    without leading zeros (``0834`` stays a string), no dates, no sexagesimal ``1:30``."""


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in (_BOOL, _INT, _FLOAT, "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
                       r"|(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+|\.(?:inf|Inf|INF))$|^\.(?:nan|NaN|NAN)$"),
    list("-+0123456789."))


def parse_parameter_value(text: str) -> object:
    """A ``-p`` value read as a YAML scalar or flow list/mapping, keeping names as strings.

    ``2`` → 2, ``0.5`` → 0.5, ``true``/``True`` → True, ``None``/``null`` → None,
    ``'["2017-02"]'`` → ["2017-02"], ``{a: 1}`` → {"a": 1}; everything else is the text
    unchanged: ``Torsås``, ``0834``, ``2016-08``, ``no``, ``ar1-reml``, ``a: b``, ``x # y``.
    Quote a value to force a string: ``'"2"'`` → "2".
    """
    if text in ("None", "none"):
        return None  # as papermill's own -p
    stripped = text.strip()
    if not stripped:
        return text
    try:
        value = yaml.load(stripped, Loader=_Loader)
    except yaml.YAMLError:
        return text
    if isinstance(value, str):
        quoted = len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\""
        return value if quoted else text
    if isinstance(value, (list, dict)):
        return value if stripped[0] in "[{" else text
    return value


def _load_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("parameter file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the parameter file: {error}", file=path) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"not valid YAML: {problem}", file=path,
                         row=mark.line + 1 if mark is not None else None) from None


def _parameter_dict(value: object, path: Path, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a mapping of parameter names to values", file=path,
                         value=type(value).__name__, expected="name: value lines")
    for key in value:
        if not isinstance(key, str) or not key.isidentifier():
            raise InputError(f"{where}: parameter names must be Python identifiers", file=path, value=key)
    return dict(value)


def load_params_file(path: str | Path) -> tuple[dict, list[Variant]]:
    """Read a YAML parameter file: ``parameters:`` (common to every run) and ``variants:``.

    ``variants`` is a list of mappings, each with a ``name`` and its parameters either inline or
    under ``parameters:``::

        parameters:
          language: en
        variants:
          - name: ols
            method: ols
          - name: ar1
            parameters: {method: ar1-reml, seasonality: 1}

    A mapping of name → parameters is accepted too. Names may hold letters, digits, ``.``, ``_``
    and ``-``; they become the output suffix ``__<name>``.
    """
    path = Path(path)
    content = _load_yaml(path)
    if content is None:
        return {}, []
    if not isinstance(content, dict):
        raise InputError("a parameter file must be a mapping", file=path, value=type(content).__name__,
                         expected="the keys parameters and/or variants")
    extra = sorted(set(map(str, content)) - {"parameters", "variants"})
    if extra:
        raise InputError("unknown key in the parameter file", file=path, value=extra[0],
                         expected="parameters and/or variants")
    common = _parameter_dict(content.get("parameters"), path, "parameters")
    raw = content.get("variants") or []
    if isinstance(raw, dict):
        raw = [{"name": name, "parameters": values} for name, values in raw.items()]
    if not isinstance(raw, list):
        raise InputError("variants must be a list of named mappings", file=path, value=type(raw).__name__)
    variants, seen = [], set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "name" not in item:
            raise InputError(f"variant {number} needs a name", file=path, value=item,
                             expected="- name: <name> followed by its parameters")
        name = str(item["name"])
        if not _VARIANT_NAME.match(name):
            raise InputError(f"variant {number}: a name may hold letters, digits, '.', '_' and '-'",
                             file=path, value=name)
        if name in seen:
            raise InputError("two variants have the same name", file=path, value=name)
        seen.add(name)
        rest = {k: v for k, v in item.items() if k != "name"}
        if "parameters" in rest:
            if len(rest) > 1:
                raise InputError(f"variant {name!r}: give parameters inline or under 'parameters:', not both",
                                 file=path, value=sorted(k for k in rest if k != "parameters"))
            rest = rest["parameters"]
        variants.append(Variant(name, _parameter_dict(rest, path, f"variant {name!r}")))
    return common, variants


