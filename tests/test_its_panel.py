"""fit_panel: the same numbers as fit_its unit by unit, failure isolation, input errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.its import fit_its
from fouress_eval.its.models import COUNT_METHODS, METHODS
from fouress_eval.its.panel import fit_panel

NUMBERS = ["estimate", "ci_low", "ci_high", "p_value", "std_error"]


def _unit(rng: np.random.Generator, months: pd.PeriodIndex, rho: float, name: str) -> pd.DataFrame:
    n = len(months)
    noise = np.zeros(n)
    for i in range(n):
        noise[i] = (rho * noise[i - 1] if i else 0.0) + rng.normal(scale=0.6)
    t = np.arange(n)
    post = months >= pd.Period("2017-02", "M")
    season = np.sin(2 * np.pi * months.month / 12)
    rate = 20 + 0.04 * t + season + post * (1.5 - 0.03 * (t - t[post][0])) + noise
    population = rng.integers(4_000, 60_000)
    counts = rng.poisson(np.exp(np.log(population / 1e4 * 30) + 0.1 * season + 0.08 * post + 0.3 * noise / 3))
    return pd.DataFrame({"kommun": name, "month": months.astype(str), "rate": rate, "cases": counts,
                         "population": population})


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    months = pd.period_range("2015-01", "2018-12", freq="M")
    return pd.concat([_unit(rng, months, rho, f"K{i:02d}") for i, rho in enumerate([0.0, 0.3, 0.6, 0.8, 0.1])],
                     ignore_index=True)


def _options(method: str) -> dict:
    count = method in COUNT_METHODS
    return dict(outcome="cases" if count else "rate", time="month", interventions=["2017-02"], method=method,
                seasonality=1, offset="population" if count else None, maxlags=3 if method == "newey-west" else None)


def _assert_unit_matches(table: pd.DataFrame, unit_rows: pd.DataFrame, **options) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        result = fit_its(unit_rows, **options)
    coefficients = result.coefficients.set_index("term")
    expected = result.effects.copy()
    level_slope = [pair for pair in result.design.effect_terms.values()]
    expected["std_error"] = [coefficients.loc[c, "std_error"] for pair in level_slope for c in pair]
    assert list(table["interruption"]) == list(expected["interruption"])
    assert list(table["term"]) == list(expected["term"])
    assert list(table["method"]) == list(expected["method"])
    assert list(table["scale"]) == list(expected["scale"])
    np.testing.assert_allclose(table[NUMBERS].to_numpy(float), expected[NUMBERS].to_numpy(float),
                               rtol=1e-10, atol=1e-12)
    for key in ("rho", "dispersion"):
        value = result.diagnostics[key]
        if value is None:
            assert table[key].isna().all()
        else:
            np.testing.assert_allclose(table[key].to_numpy(float), value, rtol=1e-10)
    assert (table["n_warnings"] == len(result.warnings)).all()
    assert table["error"].isna().all()


@pytest.mark.parametrize("method", METHODS)
def test_equals_fit_its_per_unit(panel, method):
    options = _options(method)
    table = fit_panel(panel, "kommun", **options)
    assert list(table.columns[:9]) == ["kommun", "interruption", "term", "estimate", "ci_low", "ci_high", "p_value",
                                       "scale", "method"]
    assert list(table["kommun"].unique()) == list(panel["kommun"].unique())
    for unit, rows in panel.groupby("kommun"):
        _assert_unit_matches(table[table["kommun"] == unit], rows, **options)


def test_warnings_are_counted_per_unit(panel):
    # the AR(1) noise differs between units, so the Ljung–Box warning of OLS must differ too
    table = fit_panel(panel, "kommun", **_options("ols"))
    assert table["n_warnings"].nunique() > 1


@pytest.mark.parametrize("method, extra", [("ar1-reml", dict(df="satterthwaite")),
                                           ("newey-west", dict(exclude=[("2016-03", "2016-05")])),
                                           ("ols", dict(interventions=["2016-06", "2017-02"], seasonality="month")),
                                           ("quasi-poisson", dict(exclude=[("2016-03", "2016-05")], seasonality=2))])
def test_equals_fit_its_with_options(panel, method, extra):
    options = {**_options(method), **extra}
    table = fit_panel(panel, "kommun", **options)
    for unit, rows in panel.groupby("kommun"):
        _assert_unit_matches(table[table["kommun"] == unit], rows, **options)


def test_short_series_fall_back_to_ols_like_fit_its():
    rng = np.random.default_rng(3)
    months = pd.period_range("2016-07", "2017-07", freq="M")  # 13 points, 4 terms: too short for AR(1)
    short = pd.concat([_unit(rng, months, 0.3, name) for name in ("A", "B")], ignore_index=True)
    options = dict(outcome="rate", time="month", interventions=["2017-02"], method="ar1-reml")
    with pytest.warns(UserWarning, match="ols"):
        table = fit_panel(short, "kommun", **options)
    assert (table["method"] == "ols").all()
    for unit, rows in short.groupby("kommun"):
        _assert_unit_matches(table[table["kommun"] == unit], rows, **options)


@pytest.mark.parametrize("method", ["ols", "ar1-reml", "poisson"])
def test_failing_units_get_an_error_row(panel, method):
    options = _options(method)
    bad = panel.copy()
    column = options["outcome"]
    bad.loc[(bad["kommun"] == "K01") & (bad["month"] == "2016-05"), column] = np.nan  # a missing month's value
    short = bad[(bad["kommun"] == "K02") & (bad["month"] >= "2016-12") & (bad["month"] <= "2017-04")]
    bad = pd.concat([bad[bad["kommun"] != "K02"], short], ignore_index=True)  # K02: too few points before
    gap = (bad["kommun"] == "K03") & bad["month"].isin(["2015-07", "2018-03"])
    bad = bad[~gap].reset_index(drop=True)  # K03: months absent, a different grid, still fine
    table = fit_panel(bad, "kommun", **options)
    assert list(table["kommun"].unique()) == ["K00", "K01", "K03", "K04", "K02"]
    for unit in ("K01", "K02"):
        row = table[table["kommun"] == unit]
        assert len(row) == 1 and row[NUMBERS].isna().all(axis=None)
        with pytest.raises(InputError) as caught:
            fit_its(bad[bad["kommun"] == unit], **options)
        assert row["error"].iloc[0] == str(caught.value)
    assert "missing" in table.loc[table["kommun"] == "K01", "error"].iloc[0]
    assert "too few points" in table.loc[table["kommun"] == "K02", "error"].iloc[0]
    for unit in ("K00", "K03", "K04"):
        _assert_unit_matches(table[table["kommun"] == unit], bad[bad["kommun"] == unit], **options)


def test_unit_with_its_own_time_grid(panel):
    other = panel[panel["kommun"] == "K04"].copy()
    other = other[other["month"] >= "2015-07"]  # starts half a year later: t and the season shift
    mixed = pd.concat([panel[panel["kommun"] != "K04"], other], ignore_index=True)
    for method in ("newey-west", "prais-winsten"):
        options = _options(method)
        table = fit_panel(mixed, "kommun", **options)
        for unit, rows in mixed.groupby("kommun"):
            _assert_unit_matches(table[table["kommun"] == unit], rows, **options)


def test_missing_columns_and_bad_options(panel):
    for unit_col, outcome, time in (("kommunkod", "rate", "month"), ("kommun", "sjuk", "month"),
                                    ("kommun", "rate", "period")):
        missing = {"kommunkod", "sjuk", "period"} & {unit_col, outcome, time}
        with pytest.raises(InputError, match=f"column '{missing.pop()}' is not in the panel"):
            fit_panel(panel, unit_col, outcome=outcome, time=time, interventions=["2017-02"], method="ols")
    with pytest.raises(InputError, match="population2"):
        fit_panel(panel, "kommun", outcome="cases", time="month", interventions=["2017-02"], method="poisson",
                  offset="population2")
    with pytest.raises(InputError, match="maxlags"):
        fit_panel(panel, "kommun", outcome="rate", time="month", interventions=["2017-02"], method="newey-west")
    with pytest.raises(InputError, match="unknown ITS method"):
        fit_panel(panel, "kommun", outcome="rate", time="month", interventions=["2017-02"], method="gls")
