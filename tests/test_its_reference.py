"""fit_its against R (glm, lm, sandwich::NeweyWest, nlme::gls) on the Sicily smoking-ban series.

Oracle: ../shared/reference/sicily_reference.json, made by sicily_reference.R beside it (R 4.2).
Estimates must agree to 1e-4 relative and interval bounds to 1e-3 relative (DESIGN.md section 6).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from fouress_eval.its import fit_its


@pytest.fixture(scope="module")
def sicily(reference_dir):
    frame = pd.read_csv(reference_dir / "sicily.csv")
    frame["month_p"] = pd.PeriodIndex.from_fields(year=frame["year"], month=frame["month"], freq="M")
    frame["rate"] = frame["aces"] / frame["stdpop"] * 1e5  # the R script's outcome for lm and gls
    return frame


@pytest.fixture(scope="module")
def reference(reference_dir):
    return json.loads((reference_dir / "sicily_reference.json").read_text(encoding="utf-8"))


def _cases(reference_path_hint=None):
    methods = ["poisson", "quasi-poisson", "ols", "newey-west,maxlags=3", "ar1-ml", "ar1-reml"]
    return [(m, k) for m in methods for k in (None, 2)]


@pytest.mark.parametrize("key, fourier", _cases())
def test_matches_r(sicily, reference, key, fourier):
    method, _, lags = key.partition(",maxlags=")
    count = method in ("poisson", "quasi-poisson")
    result = fit_its(sicily, outcome="aces" if count else "rate", time="month_p", interventions=["2005-01"],
                     method=method, seasonality=fourier, offset="stdpop" if count else None,
                     maxlags=int(lags) if lags else None)
    tag = key + (",fourier2" if fourier else "")
    effects = result.effects.set_index("term")
    for term in ("level_change", "slope_change"):
        expected = reference[f"{tag}/{term}"]
        row = effects.loc[term]
        assert row["estimate"] == pytest.approx(expected["estimate"], rel=1e-4)
        assert row["ci_low"] == pytest.approx(expected["ci_low"], rel=1e-3)
        assert row["ci_high"] == pytest.approx(expected["ci_high"], rel=1e-3)
        assert row["scale"] == ("ratio" if count else "difference")


def test_every_reference_entry_is_checked(reference):
    covered = {f"{m}{',fourier2' if k else ''}/{t}" for m, k in _cases() for t in ("level_change", "slope_change")}
    assert set(reference) == covered
