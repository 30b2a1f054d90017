"""Planning a batch: notebooks, their declared parameters and scope, the runs.

A batch is sites × notebooks × parameter variants. Parameters come from a parameter file and
``-p KEY VALUE`` (read by :mod:`.parameters`) and from the batch itself (``municipality``,
``evaluation``, ``data_dir``, ``out_dir``). Every name is checked against the parameters the
notebooks declare before anything runs.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path


from ..config import find_project_root
from ..errors import InputError
from ..municipalities import fold
from ..sites import site_code as _site_code
from ..sites import site_name
from .parameters import Variant, load_params_file, parse_parameter_value  # noqa: F401  (re-exported)

__all__ = ["Run", "Variant", "CROSS_SITE", "ALL", "notebook_dir", "available_notebooks", "declared_parameters",
           "report_folder", "plan", "parse_parameter_value", "load_params_file", "site_code", "site_name",
           "notebook_scope", "BATCH_SCOPES"]

CROSS_SITE = "10_cross_site"  # runs last, once, with municipality "all", into <out>/all/
ALL = "all"
_VARIANT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_RESERVED = ("municipality",)  # set by the batch from --municipality
#: Notebook scopes (``metadata.fouress_eval.scope``): ``site`` (default, once per site), ``evaluation``
#: (once per evaluation), ``national`` (the national dataset) and ``projects`` (every evaluation side by
#: side). ``--notebook all`` selects the scopes of an evaluation's batch.
BATCH_SCOPES = ("site", "evaluation")


@dataclass(frozen=True)
class Run:
    """One notebook for one municipality (or ``"all"``) with its parameters.

    ``parameters`` are exactly what papermill injects; ``out_dir`` is the batch's reports folder
    (where ``runs.json`` lives); ``data_dir`` the prepared data whose checksums key the cache;
    ``last`` marks a run that waits for every other run of the batch (the cross-site summary).
    """

    notebook: Path
    municipality_code: str
    parameters: dict
    output: Path
    variant: str | None = None
    out_dir: Path | None = None
    data_dir: Path | None = None
    last: bool = False

    @property
    def name(self) -> str:
        """The notebook's name, e.g. ``00_data_quality``."""
        return self.notebook.stem

    @property
    def html(self) -> Path:
        """Where the HTML rendering goes (next to the executed notebook)."""
        return self.output.with_suffix(".html")

    @property
    def root(self) -> Path:
        """The batch's reports folder."""
        return Path(self.out_dir) if self.out_dir is not None else self.output.parent.parent

    @property
    def id(self) -> str:
        """The run's name in the run manifest: its output relative to the reports folder, no suffix,
        e.g. ``0834-torsas/01_sickness_its__ols``."""
        try:
            relative = self.output.relative_to(self.root)
        except ValueError:
            relative = self.output
        return relative.with_suffix("").as_posix()


def notebook_dir() -> Path:
    """The project's ``notebooks/`` folder."""
    return find_project_root() / "notebooks"


def available_notebooks(folder: Path | None = None) -> list[str]:
    """Names (without ``.ipynb``) of the notebooks in ``folder``."""
    folder = folder or notebook_dir()
    return sorted(p.stem for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def _python_parameters(notebook: Path) -> dict | None:
    """The top-level assignments of a Python notebook's ``parameters`` cell, read with :mod:`ast`
    (what papermill reads, without importing it); ``None`` when that is not possible."""
    try:
        content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    language = (content.get("metadata", {}).get("kernelspec", {}).get("language")
                or content.get("metadata", {}).get("language_info", {}).get("name") or "python")
    if language != "python":
        return None
    cells = [c for c in content.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    source = cells[0].get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    lines, found = source.splitlines(), {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        else:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and node.value is not None:
                line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
                found[target.id] = {"name": target.id, "default": ast.get_source_segment(source, node.value),
                                    "inferred_type_name": "None",
                                    "help": line.split("#", 1)[1].strip() if "#" in line else ""}
    return found


def declared_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares in its cell tagged ``parameters``: name → ``{"name",
    "default" (source text), "inferred_type_name", "help" (the line's comment)}`` as papermill's
    ``inspect_notebook`` reports them (used for notebooks in other languages)."""
    found = _python_parameters(notebook)
    if found is None:
        from ._jupyter import import_jupyter

        import_jupyter()
        import papermill as pm

        found = pm.inspect_notebook(str(notebook))
    return found


def site_code(value: object) -> str:
    """A site as code or name → a 4-digit municipality or a 2-digit county code (``"all"`` stays)."""
    return ALL if str(value).strip().lower() == ALL else _site_code(value)


def report_folder(out_dir: Path, code: str) -> Path:
    """``<out_dir>/<code>-<ascii name>``, e.g. ``reports/fouress/0834-torsas`` or ``…/03-uppsala``;
    ``<out_dir>/all`` for ``"all"``."""
    if code == ALL:
        return Path(out_dir) / ALL
    name = site_name(code, "en").removesuffix(" County")  # "03" → "Uppsala", "0834" → "Torsås"
    return Path(out_dir) / f"{code}-{fold(name).replace(' ', '-')}"


def notebook_scope(notebook: Path) -> str:
    """The notebook's ``metadata.fouress_eval.scope`` (default ``site``; see :data:`BATCH_SCOPES`)."""
    try:
        content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "site"
    return str(content.get("metadata", {}).get("fouress_eval", {}).get("scope", "site"))


# --- the plan ---------------------------------------------------------------------------------

def _notebook_paths(notebooks: list[str], folder: Path) -> list[Path]:
    """Names in ``folder`` (``all``: every one) or paths to ``.ipynb`` files, in order, once each."""
    known = available_notebooks(folder)
    paths: list[Path] = []
    for item in notebooks or [ALL]:
        text = str(item)
        if text.lower() == ALL:
            chosen = [folder / f"{name}.ipynb" for name in known
                      if notebook_scope(folder / f"{name}.ipynb") in BATCH_SCOPES]
        elif text.endswith(".ipynb") and Path(text).is_file():
            chosen = [Path(text).absolute()]
        else:
            name = Path(text).name.removesuffix(".ipynb")
            if name not in known:
                raise InputError("unknown notebook", value=text,
                                 expected="one of " + ", ".join(known) + ", all, or the path of an .ipynb file")
            chosen = [folder / f"{name}.ipynb"]
        for path in chosen:
            if path.stem in {p.stem for p in paths if p != path}:
                raise InputError("two notebooks of the batch have the same name", value=path.stem)
            if path not in paths:
                paths.append(path)
    return paths


def _check_names(parameters: dict, variants: list[Variant], declared: dict[str, dict]) -> None:
    """Every parameter must be declared by at least one selected notebook (it goes to those)."""
    union = set().union(*declared.values()) if declared else set()
    known = "; ".join(f"{name}: {', '.join(sorted(params))}" for name, params in declared.items())
    sources = [("", parameters)] + [(f"variant {v.name!r}: ", v.parameters) for v in variants]
    for where, given in sources:
        reserved = sorted(set(given) & set(_RESERVED))
        if reserved:
            raise InputError(f"{where}give municipalities with --municipality, not as a parameter",
                             value=reserved[0])
        unknown = sorted(set(given) - union)
        if unknown:
            which = "the notebook" if len(declared) == 1 else "any of the selected notebooks"
            raise InputError(f"{where}unknown parameter {', '.join(map(repr, unknown))}: not declared by {which}",
                             value=unknown[0], expected=f"a declared parameter ({known})")


def plan(municipalities: list[str], notebooks: list[str], parameters: dict, out_dir: Path, *,
         folder: Path | None = None, variants: list[Variant] | None = None,
         data_dir: str | Path | None = None, evaluation: str | None = None) -> list[Run]:
    """The runs for every site × notebook × variant, checked before anything runs.

    ``municipalities``: sites, municipalities or counties (codes or names). ``notebooks``: names in
    ``folder`` (default: the project's ``notebooks/``), ``"all"`` (the notebooks whose scope is in
    :data:`BATCH_SCOPES`), or paths of ``.ipynb`` files; an empty list means all. ``evaluation``
    goes to every notebook declaring an ``evaluation`` parameter, unless one is given.

    A parameter goes to each notebook that declares it; a name no selected notebook declares is an
    :class:`InputError` naming it and the declared ones (papermill itself only warns). A variant
    makes its own run of each notebook declaring one of its parameters (output
    ``<notebook>__<variant>.ipynb``, key results under ``<code>-<name>/__<variant>/``); a notebook no
    variant touches runs once, unsuffixed. Precedence: ``parameters`` < the variant's values; the
    batch sets ``municipality``, ``out_dir`` (the report folder) and ``data_dir`` (when not given).
    :data:`CROSS_SITE` runs once with ``municipality="all"`` into ``<out_dir>/all/``, after the rest.
    """
    paths = _notebook_paths(list(notebooks), Path(folder or notebook_dir()))
    declared = {path.stem: declared_parameters(path) for path in paths}
    variants = list(variants or [])
    _check_names(parameters, variants, declared)
    codes: list[str] = []
    for item in municipalities:
        code = site_code(item)
        if code not in codes:
            codes.append(code)
    out_dir = Path(out_dir)
    first, last = [], []
    for path in paths:
        name = path.stem
        names_declared = set(declared[name])
        cross_site = name == CROSS_SITE
        # notebooks about all municipalities at once (their `municipality` defaults to "all") run once
        once = (cross_site or notebook_scope(path) != "site"
                or str(declared[name].get("municipality", {}).get("default", "")).strip("'\"") == ALL)
        touching = [v for v in variants if set(v.parameters) & names_declared] or [None]
        for variant in touching:
            merged = {**parameters, **(variant.parameters if variant else {})}
            given_data = merged.get("data_dir") or data_dir
            for code in [ALL] if once else codes:
                params = {key: value for key, value in merged.items() if key in names_declared}
                if "municipality" in names_declared or not once:
                    params["municipality"] = code
                if evaluation and "evaluation" in names_declared and "evaluation" not in params:
                    params["evaluation"] = evaluation
                where = report_folder(out_dir, code)
                if "data_dir" in names_declared and "data_dir" not in params and data_dir:
                    params["data_dir"] = str(Path(data_dir).resolve())
                if "out_dir" in names_declared and "out_dir" not in merged:
                    target = where / f"__{variant.name}" if variant else where
                    params["out_dir"] = str(target.resolve())  # key results next to the output notebook
                if cross_site and "reports_dir" in names_declared and "reports_dir" not in merged:
                    params["reports_dir"] = str(out_dir.resolve())
                suffix = f"__{variant.name}" if variant else ""
                run = Run(path, code, params, where / f"{name}{suffix}.ipynb",
                          variant=variant.name if variant else None, out_dir=out_dir,
                          data_dir=Path(given_data).resolve() if given_data else None, last=cross_site)
                (last if cross_site else first).append(run)
    return first + last
