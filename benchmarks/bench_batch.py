"""Benchmark: the papermill batch runner, cold and fully cached, one job and two.

On the prepared demo data (``data_processed/``; prepared into a temporary folder from
``data_raw/demo`` when absent), times the command a user runs,
``fouress-eval run -m 0781,0834,0884 -n 00_data_quality -n 01_sickness_its`` (3 × 2 = 6 runs):

- a cold batch with ``--jobs 1`` (in-process, one run after another) and with ``--jobs 2``
  (a process pool of two), each into an empty reports folder;
- a fully cached rerun of the ``--jobs 1`` batch (every run unchanged, so none executes), as the
  command (Python start-up and imports included) and as ``plan`` + ``run_batch`` in-process.

Reports wall times and the ratios ``cached / cold`` (the issue asks for < 0.10) and
``jobs 2 / jobs 1``; writes ``benchmarks/results/batch.csv`` and prints the table.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--repeat R] [--municipalities 0781,0834]
[--notebooks 00_data_quality] [--data-dir DIR] [--keep]``; unknown arguments (those
``benchmarks/run.py`` passes to every benchmark) are ignored.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "batch.csv"
CACHED_LIMIT = 0.10  # cached / cold, from the issue


def statuses(out: Path) -> Counter:
    """How many runs of the last batch ended in each status, from the run manifest."""
    return Counter(r["status"] for r in json.loads((out / "runs.json").read_text(encoding="utf-8"))["runs"])


def command(out: Path, args: argparse.Namespace, jobs: int) -> tuple[float, Counter]:
    """Wall time of one ``fouress-eval run`` and the statuses it recorded."""
    argv = [sys.executable, "-m", "fouress_eval.cli", "run", "-m", args.municipalities, "--jobs", str(jobs),
            "--data-dir", str(args.data_dir), "--out", str(out), "--no-progress"]
    for notebook in args.notebooks.split(","):
        argv += ["-n", notebook]
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"fouress-eval run failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, statuses(out)


def in_process(out: Path, args: argparse.Namespace) -> tuple[float, Counter]:
    """Wall time of ``plan`` + ``run_batch`` in this process (imports already done), planned as the
    command plans (absolute data folder, the evaluation's configuration path), so the keys match."""
    from fouress_eval.config import get_settings
    from fouress_eval.pipeline import plan, run_batch

    start = time.perf_counter()
    evaluation = str(Path(get_settings().evaluation.source).resolve())
    runs = plan(args.municipalities.split(","), args.notebooks.split(","), {}, out,
                data_dir=Path(args.data_dir).absolute(), evaluation=evaluation)
    results = run_batch(runs, jobs=1, progress=False)
    return time.perf_counter() - start, Counter(r.status for r in results)


def best(measure, repeat: int) -> tuple[float, Counter]:
    runs = [measure(i) for i in range(repeat)]
    return min(runs, key=lambda pair: pair[0])


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", default="0781,0834,0884", help="comma-separated (default the three sites)")
    parser.add_argument("--notebooks", default="00_data_quality,01_sickness_its", help="comma-separated notebooks")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the fastest counts (default 1)")
    parser.add_argument("--data-dir", type=Path, default=None, help="prepared data (default data_processed/fouress/)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary reports folders")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"CSV to write (default {RESULTS})")
    args, _ignored = parser.parse_known_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    try:
        if args.data_dir is None:
            args.data_dir = ROOT / "data_processed" / "fouress"
            if not (args.data_dir / "manifest.json").exists():
                from fouress_eval.store import prepare

                args.data_dir = work / "data_processed"
                prepare(ROOT / "data_raw" / "demo", args.data_dir)
        args.data_dir = args.data_dir.resolve()

        def cold(jobs: int):
            def measure(i: int):
                out = work / f"cold_jobs{jobs}_{i}"
                return command(out, args, jobs)
            return best(measure, args.repeat)

        cold1, counts1 = cold(1)
        cold2, counts2 = cold(2)
        reference = work / "cold_jobs1_0"
        cached_cli, counts_cli = best(lambda i: command(reference, args, 1), args.repeat)
        cached_api, counts_api = best(lambda i: in_process(reference, args), args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"reports kept under {work}")
    runs = sum(counts1.values())
    for name, counts, status in (("cold --jobs 1", counts1, "ok"), ("cold --jobs 2", counts2, "ok"),
                                 ("cached command", counts_cli, "cached"), ("cached in-process", counts_api, "cached")):
        if counts.get(status, 0) != runs:
            sys.exit(f"{name}: expected {runs} runs {status}, got {dict(counts)}")
    rows = [
        {"scenario": "cold", "how": "command", "jobs": 1, "runs": runs, "executed": runs, "seconds": cold1,
         "ratio": 1.0, "ratio_to": "cold jobs 1"},
        {"scenario": "cold", "how": "command", "jobs": 2, "runs": runs, "executed": runs, "seconds": cold2,
         "ratio": cold2 / cold1, "ratio_to": "cold jobs 1"},
        {"scenario": "cached", "how": "command", "jobs": 1, "runs": runs, "executed": 0, "seconds": cached_cli,
         "ratio": cached_cli / cold1, "ratio_to": "cold jobs 1"},
        {"scenario": "cached", "how": "in-process", "jobs": 1, "runs": runs, "executed": 0, "seconds": cached_api,
         "ratio": cached_api / cold1, "ratio_to": "cold jobs 1"},
    ]
    table = pd.DataFrame(rows)
    table["seconds"] = table["seconds"].round(3)
    table["ratio"] = table["ratio"].round(4)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {runs} runs "
          f"({args.municipalities} × {args.notebooks}), best of {args.repeat}")
    print(table.to_string(index=False))
    verdict = "ok" if cached_cli / cold1 < CACHED_LIMIT else "ABOVE THE LIMIT"
    print(f"\ncached/cold (command) = {cached_cli / cold1:.3f} (< {CACHED_LIMIT}: {verdict}); "
          f"jobs2/jobs1 = {cold2 / cold1:.2f}")
    print(f"written to {args.out}")
    return table


if __name__ == "__main__":
    main()
