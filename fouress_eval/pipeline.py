"""Running the notebooks: plan municipality × notebook runs, execute with papermill, export HTML.

Each run writes ``<out>/<code>-<name>/<notebook>.ipynb`` (the executed notebook, kept with its
error cell when a cell fails) and ``<notebook>.html`` with code cells and the parameter cells
hidden for readers. One failing run does not stop the others.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill as pm
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from tqdm.auto import tqdm

from .config import find_project_root
from .errors import InputError
from .municipalities import fold, municipality_code, municipality_name

__all__ = ["Run", "RunResult", "notebook_dir", "available_notebooks", "declared_parameters", "plan",
           "execute", "export_html", "run_batch", "KERNEL_NAME", "report_folder"]

KERNEL_NAME = "fouress-eval"
HIDDEN_TAGS = ("parameters", "injected-parameters", "hide")


@dataclass(frozen=True)
class Run:
    """One notebook for one municipality with its parameters."""

    notebook: Path
    municipality_code: str
    parameters: dict
    output: Path


@dataclass
class RunResult:
    """What happened to a run: ``status`` is ``ok`` or ``failed`` (with the error and cell)."""

    run: Run
    status: str
    seconds: float
    error: str = ""
    cell: int | None = None
    html: Path | None = None
    extra: dict = field(default_factory=dict)


def notebook_dir() -> Path:
    """The project's ``notebooks/`` folder."""
    return find_project_root() / "notebooks"


def available_notebooks(folder: Path | None = None) -> list[str]:
    """Names (without ``.ipynb``) of the notebooks in ``folder``."""
    folder = folder or notebook_dir()
    return sorted(p.stem for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def declared_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares in its cell tagged ``parameters`` (papermill's reading)."""
    return pm.inspect_notebook(str(notebook))


def report_folder(out_dir: Path, code: str) -> Path:
    """``<out_dir>/<code>-<ascii name>``, e.g. ``reports/0834-torsas``."""
    return Path(out_dir) / f"{code}-{fold(municipality_name(code)).replace(' ', '-')}"


def plan(municipalities: list[str], notebooks: list[str], parameters: dict, out_dir: Path, *,
         folder: Path | None = None) -> list[Run]:
    """The runs for every municipality × notebook; parameters are checked against each notebook.

    Papermill only warns about an unknown parameter; here it is an :class:`InputError`.
    """
    folder = folder or notebook_dir()
    known = available_notebooks(folder)
    codes = [municipality_code(m) for m in municipalities]
    runs = []
    for name in notebooks:
        name = name.removesuffix(".ipynb")
        if name not in known:
            raise InputError("unknown notebook", value=name, expected="one of " + ", ".join(known))
        path = folder / f"{name}.ipynb"
        declared = declared_parameters(path)
        unknown = sorted(set(parameters) - set(declared))
        if unknown:
            raise InputError(f"notebook {name} has no parameter {', '.join(map(repr, unknown))}",
                             value=unknown[0], expected="one of " + ", ".join(sorted(declared)))
        for code in codes:
            params = {**parameters, "municipality": code}
            folder_out = report_folder(out_dir, code)
            if "out_dir" in declared and "out_dir" not in parameters:
                params["out_dir"] = str(folder_out.resolve())  # key results next to the output notebook
            runs.append(Run(path, code, params, folder_out / f"{name}.ipynb"))
    return runs


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def export_html(notebook: Path, html: Path, *, with_code: bool = False) -> Path:
    """Render an executed notebook as HTML; code cells and parameter cells are hidden unless ``with_code``."""
    nb = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(exclude_input=not with_code, exclude_input_prompt=True, exclude_output_prompt=True)
    remover = TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True)
    exporter.register_preprocessor(remover, enabled=True)
    body, _resources = exporter.from_notebook_node(nb)
    tmp = html.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html)
    return html


def _failed_cell(notebook: Path) -> int | None:
    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except (OSError, ValueError, json.JSONDecodeError):
        return None
    for index, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    return None


def execute(run: Run, *, with_code: bool = False, progress: bool = False) -> RunResult:
    """Execute one run with papermill and export its HTML; failures are returned, not raised."""
    run.output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        pm.execute_notebook(str(run.notebook), str(run.output), parameters=run.parameters,
                            kernel_name=_kernel_name(), progress_bar=progress, cwd=str(run.notebook.parent))
    except pm.PapermillExecutionError as error:
        return RunResult(run, "failed", time.perf_counter() - started, f"{error.ename}: {error.evalue}",
                         _failed_cell(run.output))
    except Exception as error:  # kernel died or failed to start: report, keep going
        return RunResult(run, "failed", time.perf_counter() - started, f"{type(error).__name__}: {error}")
    html = export_html(run.output, run.output.with_suffix(".html"), with_code=with_code)
    return RunResult(run, "ok", time.perf_counter() - started, html=html)


def run_batch(runs: list[Run], *, with_code: bool = False, progress: bool = True) -> list[RunResult]:
    """Execute every run in turn, continuing past failures; one result per run."""
    results = []
    for run in tqdm(runs, desc="notebooks", disable=not progress, unit="run"):
        results.append(execute(run, with_code=with_code))
    return results
