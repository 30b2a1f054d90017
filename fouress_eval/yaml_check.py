"""Typed, located reads of a YAML file: every error names the file, the key path and its line.

:func:`read_yaml` parses a file with :class:`YamlLoader` (safe YAML in which ``0834`` or ``08``
stays a string) and returns the data with :func:`key_lines`, the 1-based line of every key path
(``sites[2].municipality``); a key given twice in one mapping is an error. :class:`Check` reads the
values typed (mapping, list of mappings, text, choice, flag, number, month, date) and raises :class:`InputError`
saying where the value is, what it is and what was expected. A schema subclasses :class:`Check`
for its own kinds of value (``evaluation.py`` adds sites). :func:`plain` goes the other way: it
turns parsed values back into data ``yaml.safe_dump`` writes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import InputError

__all__ = ["YamlLoader", "Check", "key_lines", "read_yaml", "join", "plain"]


class YamlLoader(yaml.SafeLoader):
    """Safe YAML, except that ``0834`` or ``08`` stays a string (YAML 1.1 would read 0125 as octal 85)."""


YamlLoader.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:int"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
YamlLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
                                 list("-+0123456789"))


def join(path: str, key: Any) -> str:
    """The key path of ``key`` under ``path`` (``""`` is the top level)."""
    return f"{path}.{key}" if path else str(key)


def key_lines(node: yaml.Node | None, path: str, out: dict[str, int], file: Path) -> dict[str, int]:
    """Key path → 1-based line; a key given twice in one mapping is an error."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            sub = join(path, key.value)
            if sub in seen:
                raise InputError(f"key '{sub}' (line {key.start_mark.line + 1}): appears twice", file=file,
                                 expected="each key once per section")
            seen.add(sub)
            out[sub] = key.start_mark.line + 1
            key_lines(value, sub, out, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[f"{path}[{i}]"] = item.start_mark.line + 1
            key_lines(item, f"{path}[{i}]", out, file)
    return out


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """The data of the YAML file ``path`` (None when it is empty) and its key lines (:func:`key_lines`).

    Invalid YAML is an :class:`InputError` naming the line and column."""
    loader = YamlLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(f"not valid YAML{where}: {getattr(error, 'problem', None) or error}", file=path,
                         expected="'key: value' lines indented with spaces, text with ':' or '#' in quotes") from None
    finally:
        loader.dispose()
    return data, ({} if data is None else key_lines(node, "", {}, path))


def plain(value: Any) -> Any:
    """YAML-ready data: timestamps as YYYY-MM-DD, months as YYYY-MM, dataclasses as mappings of their
    fields, tuples as lists; a mapping's keys whose value is None are left out."""
    if is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value) if isinstance(value, pd.Period) else value


class Check:
    """Typed reads of YAML values that raise located :class:`InputError`."""

    def __init__(self, file: Path | None, lines: dict[str, int]):
        self.file, self.lines = file, lines

    def fail(self, path: str, message: str, value: Any = None, expected: str | None = None) -> InputError:
        probe = path
        while probe and probe not in self.lines:
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"[.\[]", probe) else ""
        line = f" (line {self.lines[probe]})" if probe in self.lines else ""
        return InputError(f"key '{path}'{line}: {message}", file=self.file, value=value, expected=expected)

    def mapping(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = (),
                expected: str = "") -> dict:
        allowed = required + optional
        if not isinstance(value, dict):
            raise self.fail(path, "must be a mapping of 'key: value' lines", type(value).__name__,
                            "the keys " + ", ".join(allowed))
        for key in value:
            if key not in allowed:
                near = difflib.get_close_matches(str(key).lower(), [a.lower() for a in allowed], 1, 0.6)
                mean = f" (did you mean '{allowed[[a.lower() for a in allowed].index(near[0])]}'?)" if near else ""
                raise self.fail(join(path, key), f"unknown key{mean}", key, expected or "one of " + ", ".join(allowed))
        for key in required:
            if value.get(key) is None:
                raise self.fail(join(path, key), "is missing", None, "a value: this key is required")
        return value

    def items(self, value: Any, path: str, minimum: int = 0) -> list:
        if value is None:
            value = []
        if not isinstance(value, list) or len(value) < minimum:
            raise self.fail(path, "must be a list ('- ' lines)", value, f"a list of at least {minimum} item(s)")
        return value

    def records(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = (),
                minimum: int = 0):
        """``(path[i], mapping)`` for each item of the list ``value``, each read by :meth:`mapping` in turn."""
        for i, item in enumerate(self.items(value, path, minimum)):
            yield f"{path}[{i}]", self.mapping(item, f"{path}[{i}]", required, optional)

    def optional(self, read, mapping: dict, key: str, path: str, *args: Any) -> Any:
        """``read(mapping[key], path.key, *args)``, or None when ``key`` is missing or null."""
        return None if mapping.get(key) is None else read(mapping[key], join(path, key), *args)

    def lookup(self, value: Any, path: str, resolve) -> Any:
        """``resolve(value)`` (e.g. a name to its code), its :class:`InputError` located at ``path``."""
        try:
            return resolve(value)
        except InputError as error:
            raise self.fail(path, error.message, value, error.expected) from None

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(path, "must be text", value, "a non-empty text")
        if re.fullmatch(r"\s*<.*>\s*", str(value), re.S):
            raise self.fail(path, "is still the skeleton's placeholder", value, "your own value")
        return str(value).strip()

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of texts (none when missing), each read by :meth:`text`."""
        return tuple(self.text(v, f"{path}[{i}]") for i, v in enumerate(self.items(value, path)))

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, "must be true or false", value, "true or false")
        return value

    def choice(self, value: Any, path: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(path, "is not an allowed value", value, "one of " + ", ".join(options))
        return value

    def number(self, value: Any, path: str, whole: bool = False, minimum: float | None = None) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or (whole and value != int(value)) or (minimum is not None and value < minimum):
            raise self.fail(path, "is out of range" if ok else "must be a number", value,
                            ("a whole number" if whole else "a number")
                            + (f" of at least {minimum:g}" if minimum is not None else "")
                            + " (decimal point, no unit)")
        return int(value) if whole else float(value)

    def month(self, value: Any, path: str) -> pd.Period:
        if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value)):
            try:
                return pd.Timestamp(value).to_period("M")
            except ValueError:
                pass
        raise self.fail(path, "is not a month", value, "a month written YYYY-MM, e.g. 2018-05")

    def date(self, value: Any, path: str) -> pd.Timestamp:
        if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            try:
                return pd.Timestamp(value).normalize()
            except ValueError:
                pass
        raise self.fail(path, "is not a date", value, "a date written YYYY-MM-DD, e.g. 2018-05-01")

    def unique(self, names: list, path: str, what: str) -> None:
        for i, name in enumerate(names):
            if name in names[:i]:
                raise self.fail(f"{path}[{i}]", f"repeats {what}", name, f"each {what} once")
