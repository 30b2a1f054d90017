"""Executing one run: papermill (with retries when the kernel dies or fails to start), then HTML.

:func:`execute` never raises for a failing notebook: it returns a :class:`RunResult` with the
error, the failing cell and the executed notebook kept on disk with its error cell. It is a
top-level function of plain picklable arguments so a process pool or dask worker can run it.
papermill and nbconvert are imported when first needed, so a fully cached batch starts fast.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ._jupyter import import_jupyter as _import_jupyter
from .planning import Run

__all__ = ["RunResult", "execute", "export_html", "warm_up", "is_kernel_failure", "KERNEL_NAME", "HIDDEN_TAGS", "RETRIES"]

KERNEL_NAME = "fouress-eval"
HIDDEN_TAGS = ("parameters", "injected-parameters", "hide")
RETRIES = 2  # extra attempts for a run whose kernel died or failed to start
ENGINE_NAME = "fouress-eval"
# papermill changes the process's working directory for the kernel: one papermill call at a time
# per process (dask workers with several threads run their notebooks one after another).
_PAPERMILL_LOCK = threading.Lock()


@dataclass
class RunResult:
    """What happened to a run: ``status`` is ``ok``, ``cached`` or ``failed``.

    A failure carries ``error`` (``"ValueError: ..."``), and for a cell error ``cell`` (papermill's
    0-based index among the executed notebook's cells) and ``exec_count`` (the ``In [n]`` shown in
    Jupyter). ``attempts`` counts papermill calls (above 1 after a dead kernel was retried).
    """

    run: Run
    status: str
    seconds: float
    error: str = ""
    cell: int | None = None
    html: Path | None = None
    extra: dict = field(default_factory=dict)
    attempts: int = 0
    exec_count: int | None = None
    started: str | None = None
    finished: str | None = None
    key: str | None = None

    @property
    def error_line(self) -> str:
        """The first line of the error, for tables."""
        lines = [line.strip() for line in self.error.splitlines() if line.strip()]
        return lines[0] if lines else ""


def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def _register_engine() -> None:
    """Register papermill's nbclient engine, extended to report each finished cell to ``cell_progress``."""
    from papermill.engines import NBClientEngine, papermill_engines

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, cell_progress=None, **kwargs):
            if cell_progress is not None:
                cell_progress("start", len(nb_man.nb.cells))
                complete = nb_man.cell_complete

                def cell_complete(cell, cell_index=None, **more):
                    result = complete(cell, cell_index=cell_index, **more)
                    cell_progress("cell", cell_index)
                    return result

                nb_man.cell_complete = cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(ENGINE_NAME, ProgressEngine)


def warm_up() -> None:
    """Import and set up everything :func:`execute` needs (papermill, its engine, nbconvert), so
    processes forked from this one start ready."""
    _import_jupyter()
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    _register_engine()
    _kernel_name()


@lru_cache(maxsize=1)
def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def export_html(notebook: Path, html: Path, *, with_code: bool = False) -> Path:
    """Render an executed notebook as HTML; code cells and parameter cells are hidden unless ``with_code``."""
    _import_jupyter()
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from jinja2 import DictLoader

    nb = nbformat.read(str(notebook), as_version=4)
    # the reports need neither require.js nor MathJax; nbconvert's default template loads both from a
    # CDN, which fails offline and leaks the reader's visit, so a small template drops them
    loader = DictLoader({"fouress.html.j2": "{%- extends 'lab/index.html.j2' -%}\n"
                                            "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
                                            "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"})
    exporter = HTMLExporter(extra_loaders=[loader], template_file="fouress.html.j2", exclude_input=not with_code,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    remover = TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True)
    exporter.register_preprocessor(remover, enabled=True)
    title = next((line.lstrip("# ").strip() for cell in nb.cells if cell.cell_type == "code"
                  for output in cell.get("outputs", []) for line in
                  str(output.get("data", {}).get("text/markdown", "")).splitlines() if line.startswith("# ")),
                 Path(notebook).stem)
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    tmp = html.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html)
    return html


def is_kernel_failure(error: BaseException) -> bool:
    """True for errors of the kernel rather than of a cell: it died (nbclient's ``DeadKernelError``),
    failed to start or answer (jupyter_client's ``RuntimeError``, a start-up timeout, a ZMQ error).
    A cell that raised (``PapermillExecutionError``) or ran past its time limit is not one."""
    _import_jupyter()
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(error, (pm.PapermillExecutionError, CellTimeoutError)):
        return False
    if isinstance(error, (DeadKernelError, TimeoutError)) or type(error) is RuntimeError:
        return True
    return type(error).__module__.split(".")[0] == "zmq"


def _report(progress, run: Run, kind: str, value) -> None:
    """Send a progress event ``(run id, kind, value)`` to a callable or a queue; never fail the run."""
    if progress is None or progress is False or progress is True:
        return
    try:
        event = (run.id, kind, value)
        progress.put(event) if hasattr(progress, "put") else progress(event)
    except Exception:  # noqa: BLE001 - progress display must not break a run
        pass


def execute(run: Run, *, with_code: bool = False, progress=False, retries: int = RETRIES) -> RunResult:
    """Execute one run with papermill and export its HTML; failures are returned, not raised.

    ``progress``: ``True`` shows papermill's own bar; a callable or a queue (``.put``) receives
    ``(run id, "start", n_cells)``, ``(run id, "cell", index)`` and ``(run id, "retry", attempt)``.
    A run whose kernel died or failed to start is tried again up to ``retries`` times; a run whose
    cell raised is not.
    """
    _import_jupyter()
    import papermill as pm

    _register_engine()
    run.output.parent.mkdir(parents=True, exist_ok=True)
    started, clock = now(), time.perf_counter()

    def result(status: str, **details) -> RunResult:
        return RunResult(run, status, time.perf_counter() - clock, started=started, finished=now(), **details)

    kwargs = dict(parameters=dict(run.parameters), kernel_name=_kernel_name(), cwd=str(run.notebook.parent),
                  engine_name=ENGINE_NAME, progress_bar=progress is True)
    if progress not in (None, False, True):
        kwargs["cell_progress"] = lambda kind, value: _report(progress, run, kind, value)
    attempts = 0
    while True:
        attempts += 1
        try:
            with _PAPERMILL_LOCK:
                pm.execute_notebook(str(run.notebook), str(run.output), **kwargs)
            break
        except pm.PapermillExecutionError as error:
            return result("failed", error=f"{error.ename}: {error.evalue}", cell=error.cell_index,
                          exec_count=error.exec_count, attempts=attempts)
        except Exception as error:  # noqa: BLE001 - a failing run is reported, the batch goes on
            if is_kernel_failure(error) and attempts <= retries:
                _report(progress, run, "retry", attempts)
                continue
            return result("failed", error=f"{type(error).__name__}: {error}", attempts=attempts)
    try:
        html = export_html(run.output, run.html, with_code=with_code)
    except Exception as error:  # noqa: BLE001
        return result("failed", error=f"HTML export failed: {type(error).__name__}: {error}", attempts=attempts)
    return result("ok", html=html, attempts=attempts)
