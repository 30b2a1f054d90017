"""Coverage of ITS intervals on simulated series with a known effect and AR(1) errors.

Simulation (fixed seed): 48 monthly points from 2015-01, interruption at month 25 (2017-01, so
t0 = 24), mean 10 + 0.1·t + 3·post + 0.2·t_since, errors a stationary AR(1) with rho = 0.5 and
innovation sd 1 (the first error drawn from the stationary N(0, 1/(1 − rho²))). Coverage of the
level change is invariant to the coefficients and to the innovation sd (the fits are location and
scale equivariant), so only n, rho and t0 matter.

The 95 % intervals for the level change should cover the true value (3) in 92–98 % of 500
replications for the default ``ar1-reml``; plain OLS, which ignores the autocorrelation, must
clearly under-cover on the same series — which is why ``ar1-reml`` is the default.

Caveat, measured while writing this file: the long-run coverage of the default ``ar1-reml``
(Wald interval, normal quantile) at this design is about 0.915 (4,000 replications over several
seeds; the REML fit agrees with an independent dense-matrix implementation), i.e. just below the
0.92 floor. The seed was fixed before the first run and gives 0.930 for ar1-reml, 0.944 with
Satterthwaite df and 0.798 for OLS; another seed may well give ar1-reml below 0.92. The
Satterthwaite test and ``test_ar1_reml_beats_ols_and_is_close_to_nominal`` are the robust checks.
Runtime: about 10 s per method for 500 fits on 2 cores (≈ 30 s for the file).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from fouress_eval.its import fit_its

REPLICATIONS = 500
SEED = 2021
N, T0, RHO, SD = 48, 24, 0.5, 1.0
INTERCEPT, SLOPE, LEVEL, SLOPE_CHANGE = 10.0, 0.1, 3.0, 0.2
MONTHS = pd.period_range("2015-01", periods=N, freq="M")
INTERRUPTION = str(MONTHS[T0])  # month 25 = 2017-01


def _mean() -> np.ndarray:
    t = np.arange(N, dtype=float)
    post = (t >= T0).astype(float)
    return INTERCEPT + SLOPE * t + LEVEL * post + SLOPE_CHANGE * (t - T0) * post


def _ar1_errors(rng: np.random.Generator) -> np.ndarray:
    z = rng.normal(0.0, SD, N)
    e = np.empty(N)
    e[0] = z[0] / np.sqrt(1 - RHO ** 2)
    for i in range(1, N):
        e[i] = RHO * e[i - 1] + z[i]
    return e


def _covers(result) -> bool:
    row = result.effects.set_index("term").loc["level_change"]
    return bool(row["ci_low"] <= LEVEL <= row["ci_high"])


@pytest.fixture(scope="module")
def simulation() -> dict:
    """All replications fitted once by each method; coverage and wall time per method."""
    rng = np.random.default_rng(SEED)
    mean = _mean()
    series = [pd.DataFrame({"month": MONTHS, "y": mean + _ar1_errors(rng)}) for _ in range(REPLICATIONS)]
    out = {}
    for name, options in (("ar1-reml", {"method": "ar1-reml"}),
                          ("ols", {"method": "ols"}),
                          ("ar1-reml satterthwaite", {"method": "ar1-reml", "df": "satterthwaite"})):
        start = time.perf_counter()
        hits = [_covers(fit_its(d, outcome="y", time="month", interventions=[INTERRUPTION], **options))
                for d in series]
        out[name] = {"coverage": float(np.mean(hits)), "seconds": time.perf_counter() - start}
    print({k: (round(v["coverage"], 3), round(v["seconds"], 1)) for k, v in out.items()})
    return out


def test_simulation_truth_is_as_specified():
    """The simulated mean has the stated level change at month 25 and slope change after it."""
    mean = _mean()
    assert INTERRUPTION == "2017-01"
    # the jump between month 24 and month 25 is the slope plus the level change
    assert mean[T0] - mean[T0 - 1] == pytest.approx(SLOPE + LEVEL)
    # afterwards each month adds slope + slope change
    assert np.diff(mean[T0:]) == pytest.approx(np.full(N - T0 - 1, SLOPE + SLOPE_CHANGE))


def test_ar1_reml_level_change_covers_nominally(simulation):
    coverage = simulation["ar1-reml"]["coverage"]
    assert 0.92 <= coverage <= 0.98, coverage


def test_ar1_reml_satterthwaite_level_change_covers_nominally(simulation):
    coverage = simulation["ar1-reml satterthwaite"]["coverage"]
    assert 0.92 <= coverage <= 0.98, coverage


def test_ols_under_covers_on_autocorrelated_series(simulation):
    coverage = simulation["ols"]["coverage"]
    assert coverage < 0.85, coverage
    assert coverage < simulation["ar1-reml"]["coverage"] - 0.1


def test_ar1_reml_beats_ols_and_is_close_to_nominal(simulation):
    """Whatever the floor, the default must be far closer to 95 % than OLS (Monte Carlo SE ≈ 0.01)."""
    reml, ols = simulation["ar1-reml"]["coverage"], simulation["ols"]["coverage"]
    assert abs(reml - 0.95) < 0.06
    assert abs(reml - 0.95) < abs(ols - 0.95) / 2
