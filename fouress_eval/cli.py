"""The ``fouress-eval`` command: ``new``, ``demo``, ``prepare`` and ``run``.

Every command works on one evaluation, ``evaluations/<name>.yml`` (``--evaluation NAME``; default
``$FOURESS_EVAL_EVALUATION`` or ``fouress``): its sites, dates, folders and thresholds.

Exit status: 0 success, 2 invalid input (the message names file, row and column), 1 internal
error or failed notebook runs.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .config import find_project_root, get_settings
from .errors import InputError


def _guard(command):
    """Turn InputError into exit 2 and anything unexpected into exit 1, with a readable message."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)
        except click.exceptions.Exit:
            raise
        except Exception as error:  # an internal error: say so, keep the traceback for the developers
            click.echo(traceback.format_exc(), err=True)
            click.echo(f"Internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(1)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fouress-eval")
def app() -> None:
    """Evaluate return-to-work interventions: prepare raw exports, run the report notebooks."""


_DEMO_HELP = """Write a synthetic dataset (raw exports): an evaluation's demo, or with --national all 290 municipalities.

\b
Without --national: the demo of --evaluation (default fouress) into the
evaluation's raw folder (data.raw_dir of evaluations/NAME.yml):
  fouress       4-Ess: 3 project and 10 comparison municipalities, participant
                register, meetings, interviews, Försäkringskassan and Kolada
                data, calibrated to the published 4-Ess figures (data_raw/demo)
  kunskapsstod  Försäkringskassan county series (sjukpenningtal, sick cases
                over 365 days) for every county; no participants, no interviews
  pa_vag        interviews and focus groups in Skurup and Svedala, coded
  omstallning   interviews in Värmland, coded; county sjukpenningtal

\b
With --national: personnel hours (sick and scheduled hours by sex and age group)
for all 290 municipalities from 2014-01 through --through (default 2019-12,
72 months), one file per county, plus a participant register and meeting log
for --adopters adopting municipalities (the three fouress sites at the fouress
start, and others drawn with the seed, staggered starts over 29 months) with a known
true effect listed in _truth.csv; into data_raw/national (about 8 MB, keep it
out of version control). Through 2020-03 or later a COVID-19 shock is added
unless --no-covid. The same options give byte-identical files. Then:
  fouress-eval prepare --raw data_raw/national --out data_processed/national
  fouress-eval run -n 20_national_its --data-dir data_processed/national

Nothing in either dataset is real. Exit status 2 for invalid values.
"""

_NATIONAL_ONLY = ("--through", "--covid/--no-covid", "--adopters", "--municipalities")


@app.command(help=_DEMO_HELP, short_help="Write a synthetic dataset (4-Ess demo or --national).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder to write the synthetic raw files to [default: data_raw/demo; with --national "
                   "data_raw/national].")
@click.option("--seed", type=int, default=2017, show_default=True, help="Random seed; same seed, same files.")
@click.option("--evaluation", "-e", metavar="NAME", default=None,
              help="Evaluation whose demo to write: fouress, kunskapsstod, pa_vag or omstallning [default: fouress].")
@click.option("--national", is_flag=True,
              help="National scale: all 290 municipalities (or --municipalities), staggered adopters.")
@click.option("--through", metavar="YYYY-MM", default=None,
              help="--national: last month, 2017-08 up to the current month [default: 2019-12].")
@click.option("--covid/--no-covid", default=None,
              help="--national: add the COVID-19 shock from 2020-03 [default: when --through reaches 2020-03].")
@click.option("--adopters", "n_adopters", type=click.IntRange(min=0), default=None, metavar="N",
              help="--national: number of adopting municipalities, the 4-Ess sites included [default: 20].")
@click.option("--municipalities", "subset", multiple=True, metavar="CODE|NAME",
              help="--national: only these municipalities, repeatable or comma-separated (e.g. for quick "
                   "tests) [default: all 290].")
@_guard
def demo(out_dir: Path | None, seed: int, evaluation: str | None, national: bool, through: str | None,
         covid: bool | None, n_adopters: int | None, subset: tuple[str, ...]) -> None:
    if national and evaluation:
        raise InputError("--national and --evaluation exclude each other", value=evaluation,
                         expected="either the national dataset or an evaluation's demo")
    if not national:
        given = [name for name, value in zip(_NATIONAL_ONLY, (through, covid, n_adopters, subset))
                 if value not in (None, ())]
        if given:
            raise InputError(f"{', '.join(given)} {'applies' if len(given) == 1 else 'apply'} only to the "
                             "national dataset",
                             expected="--national as well")
        settings = get_settings(evaluation)
        out_dir = out_dir or settings.raw_dir
        files = _write_evaluation_demo(settings.name, out_dir, seed)
        click.echo(f"Wrote {len(files)} synthetic demo files for {settings.name} to {out_dir}")
        return
    _national_demo(out_dir, seed, through, covid, n_adopters, subset)


def _write_evaluation_demo(name: str, out_dir: Path, seed: int) -> list[Path]:
    """The demo generator of evaluation ``name`` (InputError when it has none)."""
    from .demo import write_demo

    if name == "fouress":
        return write_demo(out_dir, seed=seed)
    from .demo.sister import write_evaluation_demo

    try:
        return write_evaluation_demo(name, out_dir, seed=seed)
    except ValueError as error:
        raise InputError(f"no demo data generator for evaluation {name!r}: {error}", value=name,
                         expected="fouress, kunskapsstod, pa_vag or omstallning; put your own exports in "
                                  "the evaluation's data.raw_dir instead") from None


def _national_demo(out_dir: Path | None, seed: int, through: str | None, covid: bool | None,
                   n_adopters: int | None, subset: tuple[str, ...]) -> None:
    """``demo --national``: check the values (InputError, exit 2), write, say what was written."""
    import json

    from .demo.national import FIRST_MONTH, write_national_demo
    from .demo.options import national_options

    options = national_options(through, covid, n_adopters, _split(subset) if subset else None)
    out_dir = out_dir or find_project_root() / "data_raw" / "national"
    try:
        files = write_national_demo(out_dir, seed=seed, **options)
    except ValueError as error:  # the generator's own checks, should national_options miss one
        raise InputError(str(error)) from None
    marker = json.loads((Path(out_dir) / "_synthetic.json").read_text(encoding="utf-8"))
    shock = "with" if marker.get("covid") else "without"

    def many(number: int, one: str, more: str) -> str:
        return f"{number} {one if number == 1 else more}"

    click.echo(f"Wrote {len(files)} synthetic national files to {out_dir}: "
               f"{many(marker['municipalities'], 'municipality', 'municipalities')}, "
               f"{FIRST_MONTH} … {options['through']}, "
               f"{many(len(marker['adopters']), 'adopter', 'adopters')}, {shock} COVID-19 shock "
               "(SYNTHETIC, no real data).")
    written = {Path(f).name for f in files}
    readable = [*Path(out_dir).glob("personal_*"), *Path(out_dir).glob("deltagare_national*"),
                *Path(out_dir).glob("moten_national*")]
    stale = sorted(p.name for p in readable if p.name not in written)
    if stale:
        click.echo(f"Warning: {len(stale)} raw file(s) of an earlier run are still in {out_dir} and would be "
                   f"read by prepare: {', '.join(stale[:5])}{' …' if len(stale) > 5 else ''}; remove them or "
                   "write to an empty folder.", err=True)
    click.echo(f"Next: fouress-eval prepare --raw {out_dir} --out data_processed/national")


@app.command()
@click.option("--evaluation", "-e", metavar="NAME", default=None,
              help="Evaluation (evaluations/NAME.yml) whose folders to use [default: fouress].")
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of raw exports [default: the evaluation's data.raw_dir].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the tidy tables [default: the evaluation's data.processed_dir, "
                   "data_processed/NAME].")
@_guard
def prepare(evaluation: str | None, raw_dir: Path | None, out_dir: Path | None) -> None:
    """Read, check and pseudonymise raw exports into tidy parquet tables plus manifest.json."""
    from .store import prepare as run_prepare

    if raw_dir is None or out_dir is None:
        settings = get_settings(evaluation)
        raw_dir, out_dir = raw_dir or settings.raw_dir, out_dir or settings.processed_dir
    manifest = run_prepare(raw_dir, out_dir)
    for output in manifest["outputs"]:
        click.echo(f"  {output['table']:<22} {output['rows']:>7} rows")
    if manifest["ignored"]:
        click.echo("Ignored (name not recognised): " + ", ".join(manifest["ignored"]))
    click.echo(f"Prepared {len(manifest['inputs'])} raw file(s) into {out_dir}")


_RUN_HELP = """Execute an evaluation's report notebooks per site with papermill, into HTML reports.

\b
--evaluation NAME (default fouress) gives the sites (municipalities or counties),
the prepared data (data.processed_dir) and the reports folder reports/NAME/; every
notebook that declares an `evaluation` parameter gets NAME. --notebook all means
the notebooks of an evaluation's batch (scope site or evaluation in the notebook's
metadata); the national and cross-project notebooks run when named.

\b
Plans sites x notebooks x parameter variants, checks every parameter
against the parameters the notebooks declare (a name no selected notebook
declares is an error, exit 2), then executes the runs in parallel and writes,
per run, the executed notebook and its HTML rendering (code and parameter cells
hidden unless --with-code):
  OUT/<code>-<name>/<notebook>.ipynb and .html     e.g. reports/pa_vag/1264-skurup/
  OUT/<code>-<name>/<notebook>__<variant>.ipynb    one per parameter variant
  OUT/all/10_cross_site.ipynb                      last, once, municipality "all"
10_cross_site (when it exists and is requested, or all notebooks are) runs after
every other run, once, reading their key results OUT/<code>-<name>/<notebook>.json.

\b
Parameters: -p KEY VALUE reads VALUE as YAML (-p seasonality 2,
-p interventions '["2018-05"]', -p flag true) but keeps names as text
(Skurup, 1264, 2018-05, no); quote to force text: -p label '"2"'. A parameter
goes to each selected notebook that declares it. A --params-file YAML holds
common values and named variants, each its own run (suffix __<variant>) of the
notebooks declaring one of its parameters:
  parameters:
    language: en
  variants:
    - name: ols
      method: ols
    - name: ar1
      method: ar1-reml
Precedence: params-file parameters < -p < the variant's own values.

\b
Caching and resuming: OUT/runs.json records every run (notebook, municipality,
parameters, key, status ok/failed/cached, seconds, error, failing cell, output
paths, timestamps) and is rewritten after every finished run. A run whose
notebook file, parameters, input checksums (DATA_DIR/manifest.json) and package
version are unchanged since its last successful run is skipped ("cached");
--force executes everything again. An interrupted batch resumes: run the same
command again and the finished runs are cached.

\b
Parallelism: --jobs N runs N notebooks at once in separate processes (--jobs 1:
one after another in this process). --executor dask sends the runs to a
dask.distributed scheduler (--scheduler tcp://host:8786; without one, a local
dask cluster of N workers); the workers must have fouress_eval installed and
see the notebooks, DATA_DIR and OUT under the same paths (shared storage), and
run one notebook per worker process at a time (start them with --nthreads 1).
A run whose kernel died or failed to start is retried up to 2 times; a run
whose cell raised is not.

\b
Failures: a failing run keeps its executed notebook with the error cell, the
other runs finish, a table lists municipality, notebook, cell and error.
Exit status: 0 all runs ok or cached, 1 "N of M run(s) failed", 2 invalid input.
"""


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeated options, each possibly comma-separated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@app.command(help=_RUN_HELP, short_help="Execute the report notebooks into HTML reports.")
@click.option("--evaluation", "-e", metavar="NAME", default=None,
              help="Evaluation to run (evaluations/NAME.yml) [default: $FOURESS_EVAL_EVALUATION or fouress].")
@click.option("--municipality", "--site", "-m", "municipalities", multiple=True, metavar="CODE|NAME|all",
              help="Site: municipality or county code or name, repeatable or comma-separated; 'all': the "
                   "evaluation's sites [default: all].")
@click.option("--notebook", "-n", "notebooks", multiple=True, metavar="NAME|PATH|all",
              help="Notebook name (e.g. 00_data_quality) or path of an .ipynb file, repeatable; 'all': every "
                   "notebook in notebooks/ [default: all].")
@click.option("--parameter", "-p", "parameters", type=(str, str), multiple=True, metavar="KEY VALUE",
              help="A notebook parameter, repeatable; VALUE is read as YAML; unknown names are an error.")
@click.option("--params-file", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="YAML",
              help="YAML file with 'parameters:' (common) and 'variants:' (named, one run each).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Runs executed at once [default: the number of CPUs, at most 4]; with --scheduler the "
                   "dask cluster's workers decide.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="local: a process pool on this machine; dask: a dask.distributed cluster [default: local].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --executor dask).")
@click.option("--force", is_flag=True, help="Execute every run, even those unchanged since their last success.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Prepared data folder [default: the evaluation's data.processed_dir].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Reports folder [default: reports/NAME].")
@click.option("--with-code", is_flag=True, help="Keep code cells in the HTML reports.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars, overall and per run [default: when the terminal is interactive].")
@_guard
def run(evaluation: str | None, municipalities: tuple[str, ...], notebooks: tuple[str, ...],
        parameters: tuple[tuple[str, str], ...],
        params_file: Path | None, jobs: int | None, executor: str | None, scheduler: str | None, force: bool,
        data_dir: Path | None, out_dir: Path | None, with_code: bool, progress: bool | None) -> None:
    from .pipeline import failure_table, load_params_file, parse_parameter_value, plan, run_batch

    settings = get_settings(evaluation)
    wanted = _split(municipalities)
    chosen = [m for m in wanted if m.lower() != "all"]
    if not wanted or len(chosen) < len(wanted):
        chosen += [c for c in settings.sites if c not in chosen]
    common, variants = load_params_file(params_file) if params_file else ({}, [])
    given = {key: parse_parameter_value(value) for key, value in parameters}
    params = {**common, **given}
    if executor == "local" and scheduler:
        raise InputError("--scheduler needs --executor dask", value=scheduler)
    executor = executor or ("dask" if scheduler else "local")
    jobs = jobs or max(1, min(4, os.cpu_count() or 1))
    out_dir = (out_dir or settings.reports_dir).absolute()  # absolute: dask workers have other working folders
    data_dir = (data_dir or settings.processed_dir).absolute()
    # the configuration's path, so that notebooks (run from notebooks/) resolve its folders from its project
    runs = plan(chosen, _split(notebooks), params, out_dir, variants=variants, data_dir=data_dir,
                evaluation=str(Path(settings.evaluation.source).resolve()))
    for key in params:
        skipped = sorted({r.name for r in runs if key not in r.parameters})
        if skipped:
            click.echo(f"Note: {', '.join(skipped)} {'does' if len(skipped) == 1 else 'do'} not declare "
                       f"parameter {key!r}; it goes only to the notebooks that do.", err=True)
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        results = run_batch(runs, jobs=jobs, executor=executor, scheduler=scheduler, force=force,
                            with_code=with_code, progress=progress, out_dir=out_dir)
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted. Finished runs are recorded in {out_dir / 'runs.json'}; "
                   "run the same command again to resume.", err=True)
        sys.exit(130)
    for result in results:
        where = result.html or result.run.output
        click.echo(f"  {result.status:<7} {result.seconds:6.1f} s  {where}")
    counts = {status: sum(r.status == status for r in results) for status in ("ok", "cached", "failed")}
    click.echo(f"{len(results)} run(s): {counts['ok']} executed, {counts['cached']} cached (unchanged), "
               f"{counts['failed']} failed; reports under {out_dir}, run manifest {out_dir / 'runs.json'}")
    if counts["failed"]:
        click.echo(f"\n{counts['failed']} of {len(results)} run(s) failed:", err=True)
        click.echo(failure_table(results), err=True)
        sys.exit(1)


@app.command()
@click.argument("evaluation")
@click.option("--force", is_flag=True, help="Overwrite an existing configuration file.")
@_guard
def new(evaluation: str, force: bool) -> None:
    """Start an evaluation: evaluations/EVALUATION.yml (a commented skeleton) and data_raw/EVALUATION/."""
    from .scaffold import new_evaluation

    root = find_project_root()
    config, raw = new_evaluation(evaluation, root, force=force)
    click.echo(f"Wrote {config.relative_to(root)} (fill in every \"<placeholder>\") and {raw.relative_to(root)}/ "
               f"(see its README.md). Then: fouress-eval prepare --evaluation {evaluation}; "
               f"fouress-eval run --evaluation {evaluation}")


if __name__ == "__main__":  # pragma: no cover
    app()
