"""The ``fouress-eval`` command: ``demo``, ``prepare`` and ``run``.

Exit status: 0 success, 2 invalid input (the message names file, row and column), 1 internal
error or failed notebook runs.
"""

from __future__ import annotations

import functools
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .config import PROJECT_MUNICIPALITIES, find_project_root
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


def _value(text: str) -> object:
    """A ``-p`` value typed as papermill's CLI types it: bool, int, float, else the string."""
    if text in ("True", "False"):
        return text == "True"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fouress-eval")
def app() -> None:
    """Evaluate return-to-work interventions: prepare raw exports, run the report notebooks."""


@app.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder to write the synthetic raw files to [default: data_raw/demo].")
@click.option("--seed", type=int, default=2017, show_default=True, help="Random seed; same seed, same files.")
@_guard
def demo(out_dir: Path | None, seed: int) -> None:
    """Write the synthetic 4-Ess demo data set (raw exports)."""
    from .demo import write_demo

    out_dir = out_dir or find_project_root() / "data_raw" / "demo"
    files = write_demo(out_dir, seed=seed)
    click.echo(f"Wrote {len(files)} synthetic demo files to {out_dir}")


@app.command()
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of raw exports [default: data_raw/demo].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the tidy tables [default: data_processed].")
@_guard
def prepare(raw_dir: Path | None, out_dir: Path | None) -> None:
    """Read, check and pseudonymise raw exports into tidy parquet tables plus manifest.json."""
    from .store import prepare as run_prepare

    root = find_project_root()
    raw_dir = raw_dir or root / "data_raw" / "demo"
    out_dir = out_dir or root / "data_processed"
    manifest = run_prepare(raw_dir, out_dir)
    for output in manifest["outputs"]:
        click.echo(f"  {output['table']:<22} {output['rows']:>7} rows")
    if manifest["ignored"]:
        click.echo("Ignored (name not recognised): " + ", ".join(manifest["ignored"]))
    click.echo(f"Prepared {len(manifest['inputs'])} raw file(s) into {out_dir}")


@app.command()
@click.option("--municipality", "-m", "municipalities", multiple=True,
              help="Municipality code or name, repeatable, or 'all' (the evaluation's sites) [default: all].")
@click.option("--notebook", "-n", "notebooks", multiple=True,
              help="Notebook name (e.g. 00_data_quality), repeatable [default: every notebook].")
@click.option("--parameter", "-p", "parameters", type=(str, str), multiple=True, metavar="KEY VALUE",
              help="A notebook parameter, repeatable; unknown names are an error.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Prepared data folder [default: data_processed].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Reports folder [default: reports].")
@click.option("--with-code", is_flag=True, help="Keep code cells in the HTML reports.")
@_guard
def run(municipalities: tuple[str, ...], notebooks: tuple[str, ...], parameters: tuple[tuple[str, str], ...],
        data_dir: Path | None, out_dir: Path | None, with_code: bool) -> None:
    """Execute the report notebooks per municipality with papermill, into HTML reports."""
    from .pipeline import available_notebooks, plan, run_batch

    root = find_project_root()
    chosen = [m for m in municipalities if m.lower() != "all"]
    if not municipalities or len(chosen) < len(municipalities):
        chosen += [c for c in PROJECT_MUNICIPALITIES if c not in chosen]
    params = {key: _value(value) for key, value in parameters}
    if "municipality" in params:
        raise InputError("give municipalities with --municipality, not -p municipality")
    params.setdefault("data_dir", str((data_dir or root / "data_processed").resolve()))
    out_dir = out_dir or root / "reports"
    runs = plan(chosen, list(notebooks) or available_notebooks(), params, out_dir)
    results = run_batch(runs, with_code=with_code)
    failed = [r for r in results if r.status != "ok"]
    for result in results:
        where = result.html or result.run.output
        click.echo(f"  {result.status:<7} {result.seconds:6.1f} s  {where}")
    if failed:
        click.echo(f"\n{len(failed)} of {len(results)} run(s) failed:", err=True)
        for result in failed:
            cell = f", cell {result.cell}" if result.cell is not None else ""
            click.echo(f"  {result.run.output}{cell}: {result.error}", err=True)
        sys.exit(1)
    click.echo(f"{len(results)} report(s) written under {out_dir}")


if __name__ == "__main__":  # pragma: no cover
    app()
