"""Diagnostics and warnings of an ITS fit: segment sizes, residual autocorrelation, data caveats."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tsa.stattools import acf

from .design import Design
from .models import Estimate

__all__ = ["diagnose", "segment_sizes", "ROLLING_OUTCOMES", "COVID_START", "is_rolling_outcome"]

COVID_START = pd.Period("2020-03", freq="M")
MIN_SEGMENT_WARN = 12
MIN_PRE_SEASONAL = 24
# outcomes published as rolling 12-month measures (they manufacture autocorrelation)
ROLLING_OUTCOMES = re.compile(r"sjukpenningtal|\bspt\b|ohalsotal|ohälsotal|rolling|rullande|r12|_12m\b", re.I)


def is_rolling_outcome(name: str) -> bool:
    """Whether an outcome name says it is a rolling 12-month measure (sjukpenningtal, ohälsotal …)."""
    return bool(ROLLING_OUTCOMES.search(name))


def segment_sizes(design: Design) -> pd.DataFrame:
    """Periods used before, between and after the interruptions (treated series)."""
    rows = _treated(design)
    t, used = design.t[rows], design.in_window[rows]
    bounds = [-np.inf, *design.t0, np.inf]
    labels = [str(p) for p in design.interruptions]
    names = [f"before {labels[0]}"] + [f"from {a} to before {b}" for a, b in zip(labels[:-1], labels[1:])]
    names.append(f"from {labels[-1]}")
    return pd.DataFrame({"segment": names,
                         "n": [int(((t >= lo) & (t < hi) & used).sum()) for lo, hi in zip(bounds[:-1], bounds[1:])]})


def _treated(design: Design) -> np.ndarray:
    if "treated" in design.X:
        return design.X["treated"].to_numpy() == 1
    return np.ones(len(design.y), dtype=bool)


def diagnose(design: Design, fit: Estimate, *, seasonality, rolling: bool | None, outcome: str,
             method: str) -> tuple[dict, list[str]]:
    """Diagnostics (dict) and warnings (list of sentences) for a fitted design."""
    warnings: list[str] = []
    sizes = segment_sizes(design)
    for segment, n in zip(sizes["segment"], sizes["n"]):
        if n < MIN_SEGMENT_WARN:
            warnings.append(f"only {n} periods in the segment '{segment}'; at least {MIN_SEGMENT_WARN} are "
                            "recommended for a stable trend estimate")
    if seasonality not in (None, 0) and design.monthly and sizes["n"].iloc[0] < MIN_PRE_SEASONAL:
        warnings.append(f"seasonality is estimated from only {sizes['n'].iloc[0]} monthly periods before the first "
                        f"interruption; at least {MIN_PRE_SEASONAL} (two full years) are recommended")
    if rolling if rolling is not None else is_rolling_outcome(outcome):
        warnings.append(f"'{outcome}' is a rolling 12-month measure: each value averages 12 months, so changes are "
                        "smeared over a year and residuals are strongly autocorrelated; prefer the monthly series, "
                        "or read level changes as gradual")
    if design.monthly:
        times = pd.PeriodIndex(design.time)
        late = (times >= COVID_START) & design.in_window[: len(times)]
        modelled = late.any() and any(COVID_START <= p <= times[late].min() for p in design.interruptions)
        start = times == COVID_START
        excluded = bool(start.any() and not design.in_window[: len(times)][start].any())  # pandemic window left out
        if late.any() and not (modelled or excluded):
            warnings.append("the post period reaches March 2020 or later (COVID-19) without an exclusion window or an "
                            "interruption for it; the pandemic's effect would be attributed to the intervention")
    residuals = fit.white_resid
    n = len(residuals)
    nlags = int(min(12, n // 4))
    diagnostics = {
        "segments": sizes,
        "n_used": int(design.in_window.sum()),
        "durbin_watson": float(durbin_watson(residuals)),
        "ljung_box_p": float(acorr_ljungbox(residuals, lags=[max(nlags, 1)])["lb_pvalue"].iloc[0]),
        "ljung_box_lags": max(nlags, 1),
        "acf": pd.Series(acf(residuals, nlags=max(nlags, 1), fft=False), name="acf"),
        "rho": fit.extra.get("rho"),
        "dispersion": fit.extra.get("dispersion"),
        "residuals": "after the error model" if method.startswith(("ar1", "prais")) else
                     ("Pearson" if fit.link == "log" else "raw OLS"),
    }
    if method == "poisson" and fit.extra.get("dispersion", 1) > 1.5:
        warnings.append(f"Pearson dispersion is {fit.extra['dispersion']:.2f} (> 1.5): Poisson intervals are too "
                        "narrow; use quasi-poisson")
    if method in ("ols", "poisson", "quasi-poisson") and diagnostics["ljung_box_p"] < 0.05:
        warnings.append(f"residuals are autocorrelated (Ljung–Box p = {diagnostics['ljung_box_p']:.3f}); "
                        "intervals that assume independence are too narrow — consider ar1-reml or newey-west")
    return diagnostics, warnings
