"""ar1-reml over 290 municipal series: `fit_panel` against R's nlme::gls looping over the same series.

Run: `.venv/bin/python benchmarks/bench_r_gls.py [--units 290] [--months 72]`. Needs Debian's
`r-base-core` and `r-cran-nlme` (`Rscript` on PATH); without them it says so and stops. Besides
the wall times (R's time is measured inside R, so R's start-up is not counted against it) it
reports the largest difference between the two sets of level- and slope-change estimates — an
independent check of the AR(1) REML fit on data other than the Sicily oracle. Results go to
`benchmarks/results/r_gls.csv`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from fouress_eval.its.panel import fit_panel

RESULTS = Path(__file__).resolve().parent / "results"

R_SCRIPT = r"""
suppressMessages(library(nlme))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); t0 <- as.numeric(args[2])
d$post <- as.numeric(d$t >= t0); d$t_since <- (d$t - t0) * d$post
d$sin1 <- sin(2*pi*d$month/12); d$cos1 <- cos(2*pi*d$month/12)
d$sin2 <- sin(4*pi*d$month/12); d$cos2 <- cos(4*pi*d$month/12)
units <- unique(d$unit); out <- vector("list", length(units))
started <- proc.time()[["elapsed"]]
for (i in seq_along(units)) {
  s <- d[d$unit == units[i], ]
  g <- gls(y ~ t + post + t_since + sin1 + cos1 + sin2 + cos2, data = s,
           correlation = corAR1(form = ~ t), method = "REML")
  b <- coef(g); out[[i]] <- data.frame(unit = units[i], level = b[["post"]], slope = b[["t_since"]])
}
elapsed <- proc.time()[["elapsed"]] - started
res <- do.call(rbind, out); write.csv(res, args[3], row.names = FALSE)
cat(sprintf("%.6f\n", elapsed))
"""


def panel(units: int, months: int, seed: int = 2017) -> pd.DataFrame:
    """Synthetic monthly series: trend, season, a slope change at month 37, AR(1) noise (rho 0.5)."""
    rng = np.random.default_rng(seed)
    period = pd.period_range("2014-01", periods=months, freq="M")
    frames = []
    for unit in range(units):
        noise = np.empty(months)
        noise[0] = rng.normal(0, 0.3 / np.sqrt(0.75))
        for i in range(1, months):
            noise[i] = 0.5 * noise[i - 1] + rng.normal(0, 0.3)
        t = np.arange(months)
        y = 7 + 0.01 * t + 0.5 * np.cos(2 * np.pi * (period.month - 2) / 12) - 0.04 * np.maximum(t - 36, 0) + noise
        frames.append(pd.DataFrame({"unit": f"U{unit:03d}", "month": period, "t": t, "y": y}))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=290)
    parser.add_argument("--months", type=int, default=72)
    args, _unknown = parser.parse_known_args()
    if shutil.which("Rscript") is None:
        print("Rscript not found: install Debian's r-base-core and r-cran-nlme to run this comparison")
        return
    data = panel(args.units, args.months)
    started = time.perf_counter()
    ours = fit_panel(data, "unit", outcome="y", time="month", interventions=["2017-01"], method="ar1-reml",
                     seasonality=2)
    python_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        csv, script, result = Path(tmp) / "d.csv", Path(tmp) / "fit.R", Path(tmp) / "r.csv"
        frame = data.assign(month=data["month"].dt.month)
        frame.to_csv(csv, index=False)
        script.write_text(R_SCRIPT, encoding="utf-8")
        run = subprocess.run(["Rscript", str(script), str(csv), "36", str(result)], check=True,
                             capture_output=True, text=True)
        r_seconds = float(run.stdout.strip().splitlines()[-1])
        theirs = pd.read_csv(result).set_index("unit")
    mine = ours.pivot(index="unit", columns="term", values="estimate")
    diff = max(float((mine["level_change"] - theirs["level"]).abs().max()),
               float((mine["slope_change"] - theirs["slope"]).abs().max()))
    table = pd.DataFrame([{"units": args.units, "months": args.months, "fit_panel_ar1_reml_s": round(python_seconds, 3),
                           "r_nlme_gls_loop_s": round(r_seconds, 3), "speedup": round(r_seconds / python_seconds, 2),
                           "max_abs_estimate_diff": diff, "target_faster_than_r": python_seconds < r_seconds}])
    RESULTS.mkdir(exist_ok=True)
    table.to_csv(RESULTS / "r_gls.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
