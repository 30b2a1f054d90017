"""Running the notebooks: plan municipality × notebook × variant runs, execute them with papermill
in parallel, cache, record, export HTML.

Each run writes ``<out>/<code>-<name>/<notebook>[__<variant>].ipynb`` (the executed notebook,
kept with its error cell when a cell fails) and the same name with ``.html``, code cells and
the parameter cells hidden for readers; ``10_cross_site`` runs last into ``<out>/all/``.
``<out>/runs.json`` records every run (see :class:`RunManifest`); a run whose notebook,
parameters, inputs and package version are unchanged since its last success is skipped. One
failing run does not stop the others.

Modules: :mod:`.planning` (what to run), :mod:`.execution` (one run), :mod:`.manifest` (cache
keys, ``runs.json``), :mod:`.batch` (many runs in parallel).
"""

from .batch import EXECUTORS, failure_table, run_batch
from .execution import HIDDEN_TAGS, KERNEL_NAME, RETRIES, RunResult, execute, export_html, is_kernel_failure
from .manifest import MANIFEST_NAME, RunKeys, RunManifest
from .planning import (ALL, CROSS_SITE, Run, Variant, available_notebooks, declared_parameters, load_params_file,
                       notebook_dir, parse_parameter_value, plan, report_folder)

__all__ = ["Run", "RunResult", "Variant", "notebook_dir", "available_notebooks", "declared_parameters", "plan",
           "execute", "export_html", "run_batch", "KERNEL_NAME", "report_folder", "HIDDEN_TAGS", "RETRIES",
           "CROSS_SITE", "ALL", "EXECUTORS", "MANIFEST_NAME", "RunKeys", "RunManifest", "failure_table",
           "is_kernel_failure", "load_params_file", "parse_parameter_value"]
