"""Benchmark: the demo and the national dataset end to end, with the issue's performance targets.

For each dataset — the 4-Ess demo (``data_raw/demo``) and the national synthetic dataset
(``write_national_demo``, 290 municipalities × 72 months, generated into a temporary folder) —
it measures wall time and peak memory of

- ``prepare`` (raw files → parquet), in a fresh process: wall time of the call, the process's
  peak resident memory (``ru_maxrss``, interpreter and imports included) and, in a second,
  untimed run, the peak of Python-level allocations during the call (``tracemalloc``; numpy's
  buffers are counted, Arrow's memory pool is not);
- one notebook, ``01_sickness_its`` for one municipality, executed by papermill, against a bare
  papermill run of a notebook holding the same parameters cell and only imports: the notebook's
  import lines and every third-party library the notebook has loaded by its end (found by one
  untimed run; the package imports seaborn, for one, only with the first figure) — kernel start
  plus imports, the floor no code of ours can remove; both timed the same way
  (``papermill.execute_notebook`` in a process that has already imported papermill), R
  interleaved pairs; the times shown are medians, the ratio notebook / bare is the median of the
  R pairs' ratios (target ≤ 1.5 on the demo data);
- the batch ``fouress-eval run -m 0781,0834,0884 -n 00_data_quality -n 01_sickness_its``
  (3 × 2 = 6 runs) as a command: cold with ``--jobs 1`` and ``--jobs 2`` (target jobs 2 ≤ 60 %
  of jobs 1 on two cores), a fully cached rerun of the ``--jobs 1`` batch (target ≤ 5 % of it),
  and with ``--scheduler`` pointing at a ``dask.distributed.LocalCluster(n_workers=2,
  threads_per_worker=1, processes=True)`` started beforehand (its start-up not timed), compared
  with the local executor at ``--jobs 2``. Cold batches alternate ``--jobs 1`` / ``--jobs 2`` /
  dask, each into an empty folder; each batch timing is the median of ``--batch-repeat`` runs,
  each ratio the median of the rounds' ratios (see :func:`pair_ratio`).

Peak memory of a command (``peak_rss_mib``) is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a
small wrapper process that ran only that command: the peak resident memory of the largest single
process of the command's process tree (the CLI, a pool worker, a dask worker or a kernel), not a
sum. Every measurement runs in its own fresh process.

Writes ``benchmarks/results/national.csv`` and prints the table with the targets and whether
each was met. The ratios matter, not the absolute times (machine, load, library versions).

Run: ``.venv/bin/python benchmarks/bench_national.py [--quick] [--repeat R] [--batch-repeat R]
[--datasets demo,national] [--national-municipalities N] [--no-dask] [--markdown] [--keep]
[--out PATH]``. Full (about 20 minutes on two cores): 5 notebook pairs, 3 rounds of batches,
national dataset of all 290 municipalities. ``--quick`` (about 6 minutes): median of 3 and
of 1, no tracemalloc pass, the national dataset cut to 40 municipalities (the 4-Ess demo's 13
first; the batch keeps its 6 runs, so the batch ratios stay meaningful; the national ``prepare``
memory target is checked only on all 290). ``--markdown`` also prints the table as Markdown.
Unknown arguments (those ``benchmarks/run.py`` passes to every benchmark) are ignored.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "national.csv"
NOTEBOOK = "01_sickness_its"
BATCH_MUNICIPALITIES = "0781,0834,0884"
BATCH_NOTEBOOKS = ("00_data_quality", "01_sickness_its")
ONE_MUNICIPALITY = "0834"
SECRET = b"benchmark-only-secret-not-for-real-data-0123456789"
# the targets, each a limit on one row's figure
OVERHEAD_LIMIT = 1.5    # notebook / bare papermill run, demo data
JOBS2_LIMIT = 0.60      # --jobs 2 / --jobs 1, at least 6 runs, 2 cores
CACHED_LIMIT = 0.05     # cached rerun / cold --jobs 1
PREPARE_MIB_LIMIT = 1024  # peak memory of the national prepare
QUICK_SUBSET = 40       # municipalities of the national dataset with --quick


def _mib(kib: int) -> float:
    return kib / 1024  # ru_maxrss is in KiB on Linux


def national_subset(size: int) -> list[str]:
    """``size`` municipality codes: the 4-Ess demo's 13 (the batch's sites among them), then others."""
    from fouress_eval.demo import _series
    from fouress_eval.municipalities import municipalities

    first = sorted(_series.SITES)
    others = [c for c in municipalities()["municipality_code"] if c not in first]
    return sorted([*first, *others][:max(size, len(first))])


# -- the child processes: each measurement runs in a fresh one and prints one JSON line ------------

def _child_prepare(raw: str, out: str, trace: bool) -> dict:
    import tracemalloc

    from fouress_eval.store import prepare

    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    manifest = prepare(Path(raw), Path(out), secret=SECRET)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    return {"seconds": seconds, "rss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "py_peak_mib": peak, "rows": {o["table"]: o["rows"] for o in manifest["outputs"]}}


def _child_generate(out: str, municipalities: list[str] | None) -> dict:
    from fouress_eval.demo.national import write_national_demo

    start = time.perf_counter()
    files = write_national_demo(Path(out), municipalities=municipalities)
    return {"seconds": time.perf_counter() - start, "files": len(files),
            "rss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}


def _child_papermill(notebook: str, output: str, parameters: dict) -> dict:
    import papermill as pm

    from fouress_eval.pipeline.execution import _kernel_name

    kernel = _kernel_name()
    start = time.perf_counter()
    pm.execute_notebook(notebook, output, parameters=parameters, kernel_name=kernel, cwd=str(ROOT / "notebooks"),
                        progress_bar=False, log_output=False)
    return {"seconds": time.perf_counter() - start, "kernel": kernel,
            "rss_mib": _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}


def _child_command(argv: list[str]) -> dict:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "returncode": done.returncode, "output": (done.stdout + done.stderr)[-3000:],
            "rss_mib": _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}


def _child_dask(argv: list[str]) -> dict:
    import logging

    from dask.distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        result = _child_command([*argv, "--scheduler", cluster.scheduler_address])
    finally:
        cluster.close()
    # after close the workers (and the kernels they started) have been waited for: counted now
    result["rss_mib"] = _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return result


CHILDREN = {"prepare": _child_prepare, "generate": _child_generate, "papermill": _child_papermill,
            "command": _child_command, "dask": _child_dask}


def child(kind: str, *args) -> dict:
    """Run one measurement in a fresh Python process; its JSON answer."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(args)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"benchmark child {kind} failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
                 f"{done.stderr[-3000:]}")
    if answer.get("returncode", 0) != 0:
        sys.exit(f"{kind} {args} failed (exit {answer['returncode']}):\n{answer.get('output', '')}")
    return answer


# -- the measurements ------------------------------------------------------------------------------

LOADED_MARK = "BENCH-LOADED "


def loaded_libraries(folder: Path, parameters: dict) -> list[str]:
    """The third-party libraries ``NOTEBOOK`` has imported by its end — the package imports some
    only when first needed (seaborn with the first figure, scipy.optimize with the first AR(1)
    fit) — found by one untimed run of a copy with a last cell listing ``sys.modules``: every
    loaded module of an installed distribution other than the package itself, submodules included
    (``import scipy`` alone does not load ``scipy.stats``)."""
    import importlib.metadata

    import nbformat

    probe = nbformat.read(str(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb"), as_version=4)
    probe.cells.append(nbformat.v4.new_code_cell(
        f'import json as _json, sys as _sys\nprint("{LOADED_MARK}" + _json.dumps(sorted(_sys.modules)))'))
    nbformat.write(probe, str(folder / "probe.ipynb"))
    child("papermill", str(folder / "probe.ipynb"), str(folder / "probe_out.ipynb"), parameters)
    executed = nbformat.read(str(folder / "probe_out.ipynb"), as_version=4)
    text = "".join(o.get("text", "") for o in executed.cells[-1].outputs if o.get("output_type") == "stream")
    modules = json.loads(text.split(LOADED_MARK, 1)[1].splitlines()[0])
    installed = set(importlib.metadata.packages_distributions()) - {"fouress_eval"}
    return sorted(m for m in modules if m.split(".")[0] in installed)


def bare_notebook(folder: Path, libraries: list[str] = ()) -> Path:
    """The floor: a notebook with the parameters cell of ``NOTEBOOK``, its import lines and an
    import of each of ``libraries`` (see :func:`loaded_libraries`), and nothing else."""
    import nbformat

    source = nbformat.read(str(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb"), as_version=4)
    parameters = next(c for c in source.cells if "parameters" in c.metadata.get("tags", []))
    imports = [line for cell in source.cells if cell.cell_type == "code" and cell is not parameters
               for line in cell.source.splitlines() if line.startswith(("import ", "from "))]
    if libraries:
        imports += ["import importlib as _importlib", f"for _name in {list(libraries)!r}:", "    try:",
                    "        _importlib.import_module(_name)", "    except Exception:  # not importable alone",
                    "        pass"]
    bare = nbformat.v4.new_notebook(metadata=source.metadata)
    bare.cells = [nbformat.v4.new_code_cell(parameters.source, metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)))]
    path = folder / "bare_imports.ipynb"
    nbformat.write(bare, str(path))
    return path


def statuses(out: Path) -> Counter:
    return Counter(r["status"] for r in json.loads((out / "runs.json").read_text(encoding="utf-8"))["runs"])


def batch_argv(data: Path, out: Path, jobs: int | None) -> list[str]:
    argv = [sys.executable, "-m", "fouress_eval.cli", "run", "-m", BATCH_MUNICIPALITIES, "--data-dir", str(data),
            "--out", str(out), "--no-progress"]
    for notebook in BATCH_NOTEBOOKS:
        argv += ["-n", notebook]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def typical(answers: list[dict]) -> dict:
    """Repeated measurements as one: the median wall time (robust to a stray slow or lucky run;
    the mean of two), the largest peak memory."""
    import statistics

    out = dict(answers[0])
    out["seconds"] = statistics.median(a["seconds"] for a in answers)
    out["rss_mib"] = max(a["rss_mib"] for a in answers)
    return out


def pair_ratio(numerators: list[dict], denominators: list[dict]) -> float:
    """The median over repeats of each measurement's time divided by its partner's from the same
    round (interleaved, seconds apart): a slow drift of the machine's speed — on a shared 2-CPU
    virtual machine identical batches vary by ±10 % over minutes — moves both alike and cancels."""
    import statistics

    return statistics.median(n["seconds"] / d["seconds"] for n, d in zip(numerators, denominators))


def check(value: float, limit: float) -> str:
    return "yes" if value <= limit else "NO"


def measure_dataset(name: str, raw: Path, work: Path, args: argparse.Namespace, rows: list[dict]) -> None:
    """Every measurement for one dataset, appended to ``rows``."""
    def row(measure: str, answer: dict, runs: int = 1, repeats: int = 1, **more) -> None:
        entry = {"dataset": name, "measure": measure, "runs": runs, "repeats": repeats,
                 "seconds": answer["seconds"],
                 "peak_rss_mib": answer.get("rss_mib"), "py_peak_mib": answer.get("py_peak_mib"),
                 "ratio": None, "ratio_to": "", "target": "", "met": "", **more}
        rows.append(entry)
        figures = ", ".join(f"{key} {entry[key]:.3g}" for key in ("seconds", "peak_rss_mib", "py_peak_mib", "ratio")
                            if entry[key] is not None)
        print(f"  {name:<8} {measure:<34} {figures}  {entry['target']} {entry['met']}", flush=True)

    if name == "national":
        answer = child("generate", str(raw), args.subset)
        row("generate (write_national_demo)", answer)
    processed = work / f"{name}_processed"
    answer = child("prepare", str(raw), str(processed), False)
    if not args.quick:
        answer["py_peak_mib"] = child("prepare", str(raw), str(work / f"{name}_traced"), True)["py_peak_mib"]
    if name == "national" and not args.subset:
        row("prepare", answer, target=f"peak_rss <= {PREPARE_MIB_LIMIT} MiB",
            met=check(answer["rss_mib"], PREPARE_MIB_LIMIT))
    else:
        row("prepare", answer)

    parameters = {"municipality": ONE_MUNICIPALITY, "data_dir": str(processed)}
    bare = bare_notebook(work, loaded_libraries(work, parameters))
    floor, real = [], []
    for i in range(args.repeat):  # interleaved, so a change of machine load hits both
        floor.append(child("papermill", str(bare), str(work / f"{name}_bare_{i}.ipynb"), parameters))
        real.append(child("papermill", str(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb"),
                          str(work / f"{name}_{NOTEBOOK}_{i}.ipynb"), parameters))
    ratio = pair_ratio(real, floor)
    floor, real = typical(floor), typical(real)
    row("bare papermill (imports only)", floor, repeats=args.repeat)
    row(f"notebook {NOTEBOOK} ({ONE_MUNICIPALITY})", real, repeats=args.repeat, ratio=ratio,
        ratio_to="bare papermill", target=f"ratio <= {OVERHEAD_LIMIT}" if name == "demo" else "(demo only)",
        met=check(ratio, OVERHEAD_LIMIT) if name == "demo" else "")

    runs = len(BATCH_MUNICIPALITIES.split(",")) * len(BATCH_NOTEBOOKS)

    def batch(kind: str, out: Path, jobs: int | None, status: str) -> dict:
        answer = child(kind, batch_argv(processed, out, jobs))
        if statuses(out) != Counter({status: runs}):
            sys.exit(f"{name} {kind} --jobs {jobs}: expected {runs} runs {status}, got {dict(statuses(out))}")
        return answer

    cold1, cold2, cached, dask = [], [], [], []
    for i in range(args.batch_repeat):  # interleaved, each cold batch into an empty folder
        cold1.append(batch("command", work / f"{name}_batch_jobs1_{i}", 1, "ok"))
        cold2.append(batch("command", work / f"{name}_batch_jobs2_{i}", 2, "ok"))
        if not args.no_dask:
            dask.append(batch("dask", work / f"{name}_batch_dask_{i}", None, "ok"))
    for i in range(args.batch_repeat):  # the first --jobs 1 batch again, nothing changed
        cached.append(batch("command", work / f"{name}_batch_jobs1_0", 1, "cached"))
    ratio, dask_ratio = pair_ratio(cold2, cold1), pair_ratio(dask, cold2) if dask else None
    cold1, cold2, cached = typical(cold1), typical(cold2), typical(cached)
    repeats = args.batch_repeat
    row("batch cold --jobs 1", cold1, runs=runs, repeats=repeats, ratio=1.0, ratio_to="cold --jobs 1")
    row("batch cold --jobs 2", cold2, runs=runs, repeats=repeats, ratio=ratio, ratio_to="cold --jobs 1",
        target=f"ratio <= {JOBS2_LIMIT:.2f}", met=check(ratio, JOBS2_LIMIT))
    ratio = cached["seconds"] / cold1["seconds"]
    row("batch cached rerun", cached, runs=runs, repeats=repeats, ratio=ratio, ratio_to="cold --jobs 1",
        target=f"ratio <= {CACHED_LIMIT:.2f}", met=check(ratio, CACHED_LIMIT))
    if dask:
        dask = typical(dask)
        row("batch cold dask, 2 workers", dask, runs=runs, repeats=repeats, ratio=dask_ratio,
            ratio_to="cold --jobs 2 (local)")


def markdown(table) -> str:
    """The table as GitHub Markdown, empty cells blank."""
    columns = ["dataset", "measure", "runs", "repeats", "seconds", "peak_rss_mib", "py_peak_mib", "ratio",
               "ratio_to", "target", "met"]
    numeric = ("runs", "repeats", "seconds", "peak_rss_mib", "py_peak_mib", "ratio")
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" if c in numeric else "---" for c in columns) + "|"]
    for record in table[columns].to_dict("records"):
        cells = ["" if value is None or value != value else
                 f"{value:.0f}" if key in ("peak_rss_mib", "py_peak_mib") else
                 f"{value:.3f}" if key == "ratio" else f"{value:.1f}" if key == "seconds" else str(value)
                 for key, value in record.items()]
        lines.append("| " + " | ".join(cells).replace("<=", "≤") + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"median of 3 and 1, no tracemalloc pass, national cut to {QUICK_SUBSET} "
                             "municipalities (about 6 minutes)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="notebook pair: median of R (default 5; --quick 3)")
    parser.add_argument("--batch-repeat", type=int, default=None,
                        help="cold and cached batches: median of R (default 3; --quick 1)")
    parser.add_argument("--datasets", default="demo,national", help="comma-separated: demo, national")
    parser.add_argument("--national-municipalities", type=int, default=None, metavar="N",
                        help=f"national dataset cut to N municipalities (default 290; --quick {QUICK_SUBSET}): the "
                             "4-Ess demo's 13, then others in code order")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for README)")
    parser.add_argument("--no-dask", action="store_true", help="skip the dask executor")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (data, reports)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"CSV to write (default {RESULTS})")
    args, _ignored = parser.parse_known_args(argv)
    args.repeat = args.repeat or (3 if args.quick else 5)
    args.batch_repeat = args.batch_repeat or (1 if args.quick else 3)
    import pandas as pd

    size = args.national_municipalities or (QUICK_SUBSET if args.quick else 290)
    args.subset = national_subset(size) if size < 290 else None
    work = Path(tempfile.mkdtemp(prefix="bench_national_"))
    rows: list[dict] = []
    started, loads, stop = time.perf_counter(), [], threading.Event()

    def sample_load() -> None:  # the machine's 1-minute load average every 10 s (ours included)
        while not stop.wait(10):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample_load, daemon=True).start()
    try:
        for name in args.datasets.split(","):
            if name not in ("demo", "national"):
                sys.exit(f"unknown dataset {name!r}: demo or national")
            raw = ROOT / "data_raw" / "demo" if name == "demo" else work / "national_raw"
            measure_dataset(name, raw, work, args, rows)
    finally:
        stop.set()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = pd.DataFrame(rows)
    for column, digits in (("seconds", 2), ("peak_rss_mib", 0), ("py_peak_mib", 0), ("ratio", 3)):
        table[column] = pd.to_numeric(table[column]).round(digits)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    national = f"{len(args.subset) if args.subset else 290} municipalities × 72 months"
    print(f"\n{date.today()}, Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{memory:.0f} GiB; national: {national}; median of {args.repeat} (notebook pair), "
          f"{args.batch_repeat} (batches); "
          f"1-min load average during the run (the benchmark itself included, at most about 2 on "
          f"2 CPUs) mean {sum(loads) / max(len(loads), 1):.2f}, max {max(loads, default=0):.2f}; "
          f"{(time.perf_counter() - started) / 60:.1f} min")
    print(table.fillna("").to_string(index=False))
    if args.markdown:
        print("\n" + markdown(table))
    missed = table[table["met"] == "NO"]
    print(f"\ntargets: {int((table['met'] == 'yes').sum())} met, {len(missed)} missed"
          + ("".join(f"\n  missed: {r.dataset} {r.measure}: {r.ratio if r.ratio == r.ratio else r.peak_rss_mib} "
                     f"(target {r.target})" for r in missed.itertuples()) if len(missed) else ""))
    if (os.cpu_count() or 1) < 2:
        print("note: fewer than 2 CPUs, the --jobs 2 target does not apply")
    print(f"written to {args.out}")
    return table


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](*json.loads(sys.argv[3]))))
    else:
        main()
