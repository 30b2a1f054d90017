"""Benchmark: ``fit_panel`` against a loop of ``fit_its`` calls, for every ITS method.

Synthetic panel: ``--units`` municipalities (default 290) × 72 months (2014-01..2019-12), AR(1)
noise with a unit-specific rho, a yearly season (one Fourier pair in the model), an interruption
at 2017-02; count methods use Poisson counts with a population offset. Reports wall time of each
approach, their ratio (loop / panel, above 1 = fit_panel faster) and the largest absolute
difference between the two sets of effects (a check that both computed the same thing).
Writes ``benchmarks/results/its_panel.csv`` and prints the table.

Run: ``.venv/bin/python benchmarks/bench_its_panel.py [--units N] [--methods ols,poisson] [--repeat R]``
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from fouress_eval.its import METHODS, default_maxlags, fit_its
from fouress_eval.its.panel import fit_panel

RESULTS = Path(__file__).resolve().parent / "results" / "its_panel.csv"
MONTHS = pd.period_range("2014-01", "2019-12", freq="M")
INTERRUPTION = "2017-02"


def synthetic_panel(units: int, seed: int = 2017) -> pd.DataFrame:
    """``units`` municipalities × 72 months: a rate with AR(1) noise and integer counts with population."""
    rng = np.random.default_rng(seed)
    n = len(MONTHS)
    t = np.arange(n)
    post = (MONTHS >= pd.Period(INTERRUPTION, "M")).astype(float)
    t_since = (t - t[post.astype(bool)][0]) * post
    season = np.sin(2 * np.pi * MONTHS.month / 12) + 0.5 * np.cos(2 * np.pi * MONTHS.month / 12)
    frames = []
    for unit in range(units):
        rho = rng.uniform(0.0, 0.8)
        noise = np.zeros(n)
        for i in range(n):
            noise[i] = (rho * noise[i - 1] if i else 0.0) + rng.normal(scale=0.8)
        rate = 25 + rng.normal(0, 3) + 0.03 * t + season + rng.normal(1, 0.5) * post - 0.02 * t_since + noise
        population = int(rng.integers(2_500, 900_000))
        mean = population / 1e4 * 12 * np.exp(0.1 * season + 0.05 * post + 0.03 * noise)
        frames.append(pd.DataFrame({"kommun": f"{unit:04d}", "month": MONTHS, "rate": rate,
                                    "cases": rng.poisson(mean), "population": population}))
    return pd.concat(frames, ignore_index=True)


def options(method: str) -> dict:
    count = method in ("poisson", "quasi-poisson")
    return dict(outcome="cases" if count else "rate", time="month", interventions=[INTERRUPTION],
                method=method, seasonality=1, offset="population" if count else None,
                maxlags=default_maxlags(len(MONTHS)) if method == "newey-west" else None)


def loop(panel: pd.DataFrame, method: str) -> pd.DataFrame:
    """The baseline: ``fit_its`` unit by unit, effects concatenated."""
    tables = []
    for unit, rows in panel.groupby("kommun", sort=False):
        effects = fit_its(rows, **options(method)).effects
        effects.insert(0, "kommun", unit)
        tables.append(effects)
    return pd.concat(tables, ignore_index=True)


def timed(function, repeat: int):
    best, value = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=290, help="number of municipalities (default 290)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods (default all)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the fastest counts (default 1)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"CSV to write (default {RESULTS})")
    args, _ignored = parser.parse_known_args(argv)  # run.py passes every benchmark the same arguments
    panel = synthetic_panel(args.units)
    rows = []
    for method in args.methods.split(","):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # per-unit data warnings (Ljung–Box, dispersion) are expected
            panel_s, fast = timed(lambda: fit_panel(panel, "kommun", **options(method)), args.repeat)
            loop_s, slow = timed(lambda: loop(panel, method), args.repeat)
        diff = np.abs(fast[["estimate", "ci_low", "ci_high"]].to_numpy(float)
                      - slow[["estimate", "ci_low", "ci_high"]].to_numpy(float)).max()
        rows.append({"method": method, "units": args.units, "periods": len(MONTHS), "fit_panel_s": round(panel_s, 3),
                     "fit_its_loop_s": round(loop_s, 3), "speedup": round(loop_s / panel_s, 1),
                     "max_abs_diff": float(f"{diff:.1e}")})
        print(f"{method:>14}: fit_panel {panel_s:7.3f} s, fit_its loop {loop_s:7.3f} s, "
              f"×{loop_s / panel_s:.1f}", flush=True)
    table = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(f"\n{platform.python_version()} on {platform.machine()}, {args.units} units × {len(MONTHS)} months")
    print(table.to_string(index=False))
    print(f"\nwritten to {args.out}")
    return table


if __name__ == "__main__":
    main()
