"""Behaviour of the ITS engine (DESIGN.md section 6): warnings, several interruptions, excluded
windows, integer time, controlled designs, effects at a horizon, method comparison and errors.

Expected values come from the simulated truth or are computed by hand (or by an independent
dense-matrix REML written here), never copied from the code's own output.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from fouress_eval.errors import InputError
from fouress_eval.its import compare_methods, default_maxlags, fit_its, is_rolling_outcome

# -- helpers ------------------------------------------------------------------------------------


def _months(n: int, start: str = "2015-01") -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def _segmented(n: int, t0s, *, intercept=10.0, slope=0.1, levels=(3.0,), slopes=(0.2,)) -> np.ndarray:
    """The noiseless mean: intercept + slope·t + Σ level_k·post_k + slope_k·t_since_k."""
    t = np.arange(n, dtype=float)
    mean = intercept + slope * t
    for t0, level, change in zip(t0s, levels, slopes):
        post = (t >= t0).astype(float)
        mean += level * post + change * (t - t0) * post
    return mean


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float = 1.0) -> np.ndarray:
    z = rng.normal(0.0, sd, n)
    e = np.empty(n)
    e[0] = z[0] / np.sqrt(1 - rho ** 2)
    for i in range(1, n):
        e[i] = rho * e[i - 1] + z[i]
    return e


def _frame(y, start: str = "2015-01", name: str = "y") -> pd.DataFrame:
    return pd.DataFrame({"month": _months(len(y), start), name: np.asarray(y, dtype=float)})


def _noisy(n=48, t0=24, seed=0, sd=1.0, **truth) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return _frame(_segmented(n, [t0], **truth) + rng.normal(0, sd, n))


def _fit(data, interventions=("2017-01",), method="ols", outcome="y", **kwargs):
    return fit_its(data, outcome=outcome, time="month", interventions=list(interventions), method=method, **kwargs)


def _effect(result, term="level_change", interruption=None) -> pd.Series:
    rows = result.effects
    if interruption is not None:
        rows = rows[rows["interruption"] == interruption]
    return rows.set_index("term").loc[term]


def _matching(result, text: str) -> list[str]:
    return [w for w in result.warnings if text in w]


# -- warnings -----------------------------------------------------------------------------------


def test_warns_when_a_segment_has_fewer_than_12_points():
    data = _noisy(n=40, t0=10)  # 10 months before 2015-11, 30 from it
    result = _fit(data, ["2015-11"])
    found = _matching(result, "periods in the segment")
    assert len(found) == 1
    assert "only 10 periods" in found[0] and "before 2015-11" in found[0]
    assert int(result.diagnostics["segments"].set_index("segment")["n"]["before 2015-11"]) == 10


def test_warns_for_a_short_middle_segment_between_two_interruptions():
    data = _noisy(n=48, t0=20)
    result = _fit(data, ["2016-09", "2017-05"])  # t0 = 20 and 28: 8 months between them
    found = _matching(result, "periods in the segment")
    assert len(found) == 1
    assert "only 8 periods" in found[0] and "2016-09" in found[0] and "2017-05" in found[0]


def test_no_segment_warning_with_twelve_points_each():
    result = _fit(_noisy(n=24, t0=12), ["2016-01"])
    assert _matching(result, "periods in the segment") == []


def test_excluded_periods_do_not_count_towards_a_segment():
    # 14 months before the interruption, 3 of them excluded: 11 used
    result = _fit(_noisy(n=40, t0=14), ["2016-03"], exclude=[("2015-02", "2015-04")])
    found = _matching(result, "periods in the segment")
    assert len(found) == 1 and "only 11 periods" in found[0]


def test_warns_when_seasonality_has_fewer_than_24_pre_period_months():
    data = _noisy(n=44, t0=20)  # 20 months before 2016-09
    result = _fit(data, ["2016-09"], seasonality=1)
    found = _matching(result, "seasonality")
    assert len(found) == 1 and "20 monthly periods" in found[0] and "24" in found[0]
    # the same series without seasonality, and a series with 24 pre-period months, do not warn
    assert _matching(_fit(data, ["2016-09"]), "seasonality") == []
    assert _matching(_fit(_noisy(n=48, t0=24), ["2017-01"], seasonality="month"), "seasonality") == []


@pytest.mark.parametrize("outcome, rolling, warns", [
    ("sjukpenningtal", None, True),      # recognised by name
    ("Sjukpenningtal_kvinnor", None, True),
    ("ohälsotal", None, True),
    ("y", True, True),                   # declared
    ("sjukpenningtal", False, False),    # declared not rolling overrides the name
    ("y", None, False),
])
def test_warns_for_rolling_12_month_outcomes(outcome, rolling, warns):
    data = _noisy(n=48, t0=24).rename(columns={"y": outcome})
    result = _fit(data, outcome=outcome, rolling=rolling)
    found = _matching(result, "rolling 12-month")
    assert len(found) == (1 if warns else 0)
    if warns:
        assert outcome in found[0]


def test_is_rolling_outcome_by_name():
    assert is_rolling_outcome("sjukpenningtal")
    assert is_rolling_outcome("SJUKPENNINGTAL")
    assert not is_rolling_outcome("sjukfall_per_manad")


def _covid_series(end: str) -> pd.DataFrame:
    months = pd.period_range("2018-01", end, freq="M")
    rng = np.random.default_rng(3)
    return pd.DataFrame({"month": months, "y": 10 + 0.1 * np.arange(len(months)) + rng.normal(0, 1, len(months))})


COVID = "March 2020"


def test_warns_when_the_post_period_reaches_covid():
    result = _fit(_covid_series("2021-06"), ["2019-01"])
    assert len(_matching(result, COVID)) == 1


def test_no_covid_warning_for_a_series_ending_before_march_2020():
    assert _matching(_fit(_covid_series("2020-02"), ["2019-01"]), COVID) == []


def test_no_covid_warning_when_the_pandemic_months_are_excluded_at_the_end():
    result = _fit(_covid_series("2020-12"), ["2019-01"], exclude=[("2020-03", "2020-12")])
    assert _matching(result, COVID) == []


def test_no_covid_warning_when_the_pandemic_window_is_excluded_and_the_series_continues():
    result = _fit(_covid_series("2021-06"), ["2019-01"], exclude=[("2020-03", "2020-12")])
    assert _matching(result, COVID) == []


def test_no_covid_warning_when_march_2020_is_a_second_interruption():
    result = _fit(_covid_series("2021-06"), ["2019-01", "2020-03"])
    assert _matching(result, COVID) == []


def test_warns_for_poisson_overdispersion_but_not_for_quasi_poisson():
    rng = np.random.default_rng(7)
    n, t0, k = 48, 24, 20.0
    t = np.arange(n)
    mu = 200 * np.exp(0.005 * t + 0.2 * (t >= t0))
    counts = rng.negative_binomial(k, k / (k + mu))  # variance mu + mu²/k: dispersion about 1 + 200/20 = 11
    data = _frame(counts).assign(pop=1e5)
    poisson = _fit(data, method="poisson", offset="pop")
    assert poisson.diagnostics["dispersion"] > 5
    found = _matching(poisson, "dispersion")
    assert len(found) == 1 and "quasi-poisson" in found[0]
    quasi = _fit(data, method="quasi-poisson", offset="pop")
    assert _matching(quasi, "dispersion") == []
    # quasi-poisson scales the Poisson standard errors by sqrt(dispersion): wider ratio intervals
    p, q = _effect(poisson), _effect(quasi)
    assert q["estimate"] == pytest.approx(p["estimate"], rel=1e-10)
    assert np.log(q["ci_high"] / q["ci_low"]) == pytest.approx(
        np.log(p["ci_high"] / p["ci_low"]) * np.sqrt(poisson.diagnostics["dispersion"]), rel=1e-6)


def test_no_overdispersion_warning_for_poisson_counts():
    rng = np.random.default_rng(8)
    t = np.arange(48)
    counts = rng.poisson(200 * np.exp(0.005 * t + 0.2 * (t >= 24)))
    result = _fit(_frame(counts).assign(pop=1e5), method="poisson", offset="pop")
    assert result.diagnostics["dispersion"] < 1.5
    assert _matching(result, "dispersion") == []


def test_warns_for_autocorrelated_ols_residuals():
    rng = np.random.default_rng(9)
    data = _frame(_segmented(48, [24]) + _ar1(rng, 48, 0.9))
    assert len(_matching(_fit(data), "autocorrelated")) == 1
    assert _matching(_fit(_noisy(seed=9)), "autocorrelated") == []


@pytest.mark.parametrize("options", [{"method": "ar1-reml"}, {"method": "ar1-reml", "df": "satterthwaite"},
                                     {"method": "ar1-ml"}, {"method": "prais-winsten"}])
def test_ar1_falls_back_to_ols_for_a_very_short_series(options):
    data = _noisy(n=12, t0=6)  # 12 points, 4 terms: 8 residual df
    with pytest.warns(UserWarning, match=r"too short.*ols"):
        result = _fit(data, ["2015-07"], **options)
    assert result.method == "ols"
    assert len(_matching(result, "fitted by ols instead")) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ols = _fit(data, ["2015-07"], method="ols")
    pd.testing.assert_frame_equal(result.effects, ols.effects)


def test_no_fallback_with_ten_residual_degrees_of_freedom():
    data = _noisy(n=14, t0=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = _fit(data, ["2015-08"], method="ar1-reml")
    assert result.method == "ar1-reml"
    assert _matching(result, "fitted by ols") == []


# -- several interruptions ---------------------------------------------------------------------

TWO = dict(levels=(2.0, -4.0), slopes=(0.3, -0.7), intercept=5.0, slope=0.5)


def _two_interruptions(sd=1e-9, seed=11):
    rng = np.random.default_rng(seed)
    return _frame(_segmented(60, [20, 40], **TWO) + rng.normal(0, sd, 60))  # 2016-09 and 2018-05


@pytest.mark.parametrize("given", [["2016-09", "2018-05"], ["2018-05", "2016-09"],
                                   [pd.Period("2016-09", "M"), pd.Period("2018-05", "M")]])
def test_two_interruptions_recover_both_level_and_slope_changes(given):
    result = _fit(_two_interruptions(), given)
    effects = result.effects
    assert len(effects) == 4
    assert list(effects["interruption"]) == ["2016-09", "2016-09", "2018-05", "2018-05"]
    assert list(effects["term"]) == ["level_change", "slope_change"] * 2
    expected = [TWO["levels"][0], TWO["slopes"][0], TWO["levels"][1], TWO["slopes"][1]]
    assert effects["estimate"].to_numpy() == pytest.approx(expected, abs=1e-6)
    coef = result.coefficients.set_index("term")["estimate"]
    assert coef["const"] == pytest.approx(TWO["intercept"], abs=1e-6)
    assert coef["t"] == pytest.approx(TWO["slope"], abs=1e-6)
    assert {"post_1", "t_since_1", "post_2", "t_since_2"} <= set(coef.index)


def test_effect_at_second_interruption_removes_only_its_terms():
    result = _fit(_two_interruptions(), ["2016-09", "2018-05"])
    h = 5
    t = 40 + h
    # counterfactual keeps the first interruption's change: 5 + 0.5·45 + 2 + 0.3·25
    counterfactual = 5 + 0.5 * t + 2.0 + 0.3 * (t - 20)
    absolute = -4.0 - 0.7 * h
    row = result.effect_at(h, interruption="2018-05").iloc[0]
    assert row["time"] == "2018-10"
    assert row["absolute"] == pytest.approx(absolute, abs=1e-6)
    assert row["counterfactual"] == pytest.approx(counterfactual, abs=1e-6)
    assert row["relative"] == pytest.approx(absolute / counterfactual, abs=1e-7)
    with pytest.raises(InputError, match="unknown interruption"):
        result.effect_at(0, interruption="2017-01")


def test_effect_at_all_interruptions_removes_every_phase():
    """The whole intervention (both phases) against no intervention at all, counted from the first start."""
    result = _fit(_two_interruptions(), ["2016-09", "2018-05"])
    row = result.effect_at(25, interruption="all").iloc[0]  # t = 45, five periods into the second phase
    assert row["interruption"] == "all" and row["time"] == "2018-10"
    assert row["counterfactual"] == pytest.approx(5 + 0.5 * 45, abs=1e-6)  # neither phase
    assert row["absolute"] == pytest.approx(2.0 + 0.3 * 25 - 4.0 - 0.7 * 5, abs=1e-6)
    first_only = result.effect_at(25).iloc[0]  # keeps the second phase in the counterfactual
    assert first_only["absolute"] == pytest.approx(2.0 + 0.3 * 25, abs=1e-6)
    before_second = result.effect_at(10, interruption="all").iloc[0]  # the second phase has not started
    assert before_second["absolute"] == pytest.approx(2.0 + 0.3 * 10, abs=1e-6)
    total = result.cumulative_effect("2018-05", "2018-06", interruption="all").iloc[0]
    assert total["absolute"] == pytest.approx(sum(2.0 + 0.3 * (t - 20) - 4.0 - 0.7 * (t - 40) for t in (40, 41)),
                                              abs=1e-6)


# -- excluded windows ---------------------------------------------------------------------------

WINDOW = [("2017-06", "2017-09")]  # t = 29..32, in the post period


def _excluded_rows(data):
    return ((data["month"] >= pd.Period("2017-06", "M")) & (data["month"] <= pd.Period("2017-09", "M"))).to_numpy()


@pytest.mark.parametrize("method", ["ols", "ar1-reml"])
def test_excluded_window_is_kept_in_fitted_but_ignored_in_estimation(method):
    rng = np.random.default_rng(12)
    data = _frame(_segmented(48, [24]) + _ar1(rng, 48, 0.4))
    inside = _excluded_rows(data)
    base = _fit(data, method=method, exclude=WINDOW)
    wild = data.copy()
    wild.loc[inside, "y"] = [1e6, -1e6, 5e5, 0.0]
    wild_fit = _fit(wild, method=method, exclude=WINDOW)

    assert len(base.fitted) == 48
    assert list(base.fitted["in_window"]) == list(~inside)
    assert wild_fit.fitted.loc[inside, "observed"].tolist() == [1e6, -1e6, 5e5, 0.0]
    pd.testing.assert_series_equal(base.coefficients["estimate"], wild_fit.coefficients["estimate"],
                                   rtol=1e-9, atol=1e-12)
    pd.testing.assert_series_equal(base.coefficients["std_error"], wild_fit.coefficients["std_error"],
                                   rtol=1e-9, atol=1e-12)
    # excluding a window equals dropping its rows (time keeps its calendar spacing)
    dropped = _fit(data.loc[~inside].reset_index(drop=True), method=method)
    pd.testing.assert_series_equal(base.coefficients["estimate"], dropped.coefficients["estimate"],
                                   rtol=1e-6, atol=1e-9)
    assert base.diagnostics["n_used"] == 44


def test_wild_values_would_move_the_fit_if_not_excluded():
    """Sanity check of the check above: including the wild rows would move the estimates."""
    data = _noisy()
    wild = data.copy()
    wild.loc[_excluded_rows(data), "y"] = 1e6
    assert abs(_effect(_fit(wild))["estimate"] - _effect(_fit(data))["estimate"]) > 1e3


def _dense_reml(y, X, t):
    """REML for GLS with corr rho^|t_i − t_j|, by dense matrices (independent of the package)."""
    n, p = X.shape
    distance = np.abs(t[:, None] - t[None, :])

    def parts(rho):
        R = rho ** distance
        Ri = np.linalg.inv(R)
        xtx = X.T @ Ri @ X
        beta = np.linalg.solve(xtx, X.T @ Ri @ y)
        r = y - X @ beta
        s2 = float(r @ Ri @ r) / (n - p)
        ll = -0.5 * ((n - p) * np.log(s2) + np.linalg.slogdet(R)[1] + np.linalg.slogdet(xtx)[1])
        return ll, beta, s2 * np.linalg.inv(xtx)

    grid = np.linspace(-0.9, 0.9, 19)
    best = grid[int(np.argmax([parts(r)[0] for r in grid]))]
    found = optimize.minimize_scalar(lambda r: -parts(r)[0], bounds=(best - 0.1, best + 0.1), method="bounded",
                                     options={"xatol": 1e-10})
    _, beta, cov = parts(found.x)
    return found.x, beta, np.sqrt(np.diag(cov))


def test_ar1_reml_with_a_gap_matches_an_independent_dense_reml():
    rng = np.random.default_rng(13)
    data = _frame(_segmented(48, [24]) + _ar1(rng, 48, 0.6))
    result = _fit(data, method="ar1-reml", exclude=WINDOW)
    keep = ~_excluded_rows(data)
    t = np.arange(48, dtype=float)[keep]
    post = (t >= 24).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, (t - 24) * post])
    rho, beta, se = _dense_reml(data["y"].to_numpy()[keep], X, t)
    coef = result.coefficients.set_index("term")
    assert result.diagnostics["rho"] == pytest.approx(rho, abs=1e-5)
    assert coef["estimate"].to_numpy() == pytest.approx(beta, rel=1e-5)
    assert coef["std_error"].to_numpy() == pytest.approx(se, rel=1e-4)


# -- integer time -------------------------------------------------------------------------------


def test_integer_time_with_integer_interventions():
    years = np.arange(1990, 2020)  # 30 points, interruption at 2005 (t0 = 15)
    rng = np.random.default_rng(14)
    y = _segmented(30, [15], intercept=3.0, slope=0.2, levels=(1.5,), slopes=(-0.1,)) + rng.normal(0, 1e-9, 30)
    data = pd.DataFrame({"year": years, "y": y})
    result = fit_its(data, outcome="y", time="year", interventions=[2005], method="ols")
    assert not result.design.monthly
    assert list(result.effects["interruption"]) == ["2005", "2005"]
    assert result.effects["estimate"].to_numpy() == pytest.approx([1.5, -0.1], abs=1e-6)
    assert list(result.fitted["time"]) == list(years)
    row = result.effect_at(4).iloc[0]
    assert row["time"] == "2009"
    assert row["absolute"] == pytest.approx(1.5 - 0.1 * 4, abs=1e-6)
    total = result.cumulative_effect(2005, 2007).iloc[0]
    assert total["periods"] == 3
    assert total["absolute"] == pytest.approx(3 * 1.5 - 0.1 * (0 + 1 + 2), abs=1e-6)
    with pytest.raises(InputError, match="whole number"):
        fit_its(data, outcome="y", time="year", interventions=[2005.5], method="ols")
    with pytest.raises(InputError, match="seasonality needs monthly time"):
        fit_its(data, outcome="y", time="year", interventions=[2005], method="ols", seasonality=2)


def test_integer_time_with_unequal_spacing_counts_time_units():
    time = np.arange(0, 60, 2)  # every second unit; interruption at 30
    rng = np.random.default_rng(15)
    post = (time >= 30).astype(float)
    y = 1 + 0.1 * time + 2 * post + 0.05 * (time - 30) * post + rng.normal(0, 1e-9, len(time))
    result = fit_its(pd.DataFrame({"time": time, "y": y}), outcome="y", time="time", interventions=[30],
                     method="ar1-reml")
    coef = result.coefficients.set_index("term")["estimate"]
    assert coef["t"] == pytest.approx(0.1, abs=1e-6)
    assert result.effects["estimate"].to_numpy() == pytest.approx([2.0, 0.05], abs=1e-6)


# -- controlled designs -------------------------------------------------------------------------


def _controlled(level=0.0, slope=0.0, sd=0.05, seed=16, shock=0.0):
    """Treated 12 + 0.1·t (+ effect), control 10 + 0.1·t, both with an optional common shock."""
    rng = np.random.default_rng(seed)
    common = _segmented(48, [24], intercept=0.0, slope=0.1, levels=(shock,), slopes=(0.0,))
    treated = 12 + common + _segmented(48, [24], intercept=0.0, slope=0.0, levels=(level,), slopes=(slope,))
    control = 10 + common
    return (_frame(treated + rng.normal(0, sd, 48)), _frame(control + rng.normal(0, sd, 48)))


@pytest.mark.parametrize("method", ["ols", "ar1-reml"])
def test_controlled_design_without_effect_gives_zero(method):
    treated, control = _controlled(shock=5.0)  # a shock common to both series is not an effect
    result = _fit(treated, method=method, control=control)
    assert result.controlled
    level, slope = _effect(result), _effect(result, "slope_change")
    assert abs(level["estimate"]) < 0.1 and level["ci_low"] < 0 < level["ci_high"]
    assert abs(slope["estimate"]) < 0.01 and slope["ci_low"] < 0 < slope["ci_high"]
    # without the control the common shock would be read as the intervention's effect
    assert _effect(_fit(treated, method=method))["estimate"] == pytest.approx(5.0, abs=0.2)
    coef = result.coefficients.set_index("term")["estimate"]
    assert coef["treated"] == pytest.approx(2.0, abs=0.1)  # pre-period level difference 12 − 10
    assert coef["treated_t"] == pytest.approx(0.0, abs=0.01)
    assert set(result.fitted["series"]) == {"treated", "control"}
    assert len(result.fitted) == 96


@pytest.mark.parametrize("method", ["ols", "ar1-reml"])
def test_controlled_design_recovers_the_treated_only_effect(method):
    treated, control = _controlled(level=3.0, slope=0.2)
    result = _fit(treated, method=method, control=control)
    level, slope = _effect(result), _effect(result, "slope_change")
    assert level["estimate"] == pytest.approx(3.0, abs=0.1) and level["ci_low"] < 3 < level["ci_high"]
    assert slope["estimate"] == pytest.approx(0.2, abs=0.01) and slope["ci_low"] < 0.2 < slope["ci_high"]
    assert {"treated", "treated_t"} <= set(result.coefficients["term"])


def _panel(sd=0.05, seed=17):
    """Controls A (9 + 0.1·t) and B (11 + 0.1·t): their average is 10 + 0.1·t."""
    rng = np.random.default_rng(seed)
    t = np.arange(48)
    parts = [pd.DataFrame({"unit": unit, "month": _months(48), "y": base + 0.1 * t + rng.normal(0, sd, 48)})
             for unit, base in (("A", 9.0), ("B", 11.0))]
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("how, series", [("average", {"treated", "control"}),
                                         ("pool", {"treated", "control A", "control B"})])
@pytest.mark.parametrize("level", [0.0, 3.0])
def test_controlled_design_with_a_panel_of_controls(how, series, level):
    treated, _ = _controlled(level=level, slope=0.0)
    result = _fit(treated, control=_panel(), control_unit="unit", control_how=how)
    assert _effect(result)["estimate"] == pytest.approx(level, abs=0.1)
    assert _effect(result, "slope_change")["estimate"] == pytest.approx(0.0, abs=0.01)
    coef = result.coefficients.set_index("term")["estimate"]
    assert coef["treated"] == pytest.approx(12 - 10, abs=0.1)  # treated minus the controls' average
    assert coef["treated_t"] == pytest.approx(0.0, abs=0.01)
    assert set(result.fitted["series"]) == series


# -- effects at a horizon and cumulative effects ------------------------------------------------

A, B, LEVEL, SLOPE = 10.0, 0.1, 3.0, 0.2  # the _segmented defaults, t0 = 24 (2017-01)


@pytest.mark.parametrize("h", [0, 5, 23])
def test_effect_at_horizon_on_a_noiseless_linear_series(h):
    result = _fit(_noisy(sd=1e-9))
    row = result.effect_at(h).iloc[0]
    absolute = LEVEL + h * SLOPE
    counterfactual = A + B * (24 + h)
    assert row["horizon"] == h
    assert row["time"] == str(pd.Period("2017-01", "M") + h)
    assert row["absolute"] == pytest.approx(absolute, abs=1e-6)
    assert row["counterfactual"] == pytest.approx(counterfactual, abs=1e-6)
    assert row["fitted"] == pytest.approx(counterfactual + absolute, abs=1e-6)
    assert row["relative"] == pytest.approx(absolute / counterfactual, abs=1e-7)
    assert row["absolute_high"] - row["absolute_low"] < 1e-6
    assert row["relative_high"] - row["relative_low"] < 1e-7


def test_effect_at_horizon_zero_is_the_level_change():
    result = _fit(_noisy(sd=1.0))
    row, level = result.effect_at(0).iloc[0], _effect(result)
    assert row["absolute"] == pytest.approx(level["estimate"], rel=1e-10)
    assert row["absolute_low"] == pytest.approx(level["ci_low"], rel=1e-8)
    assert row["absolute_high"] == pytest.approx(level["ci_high"], rel=1e-8)


def test_effect_at_interval_shrinks_with_the_noise():
    z = np.random.default_rng(18).normal(0, 1, 48)
    mean = _segmented(48, [24])
    widths = []
    for sd in (1.0, 1e-2, 1e-4, 1e-8):
        row = _fit(_frame(mean + sd * z)).effect_at(6).iloc[0]
        widths.append(row["absolute_high"] - row["absolute_low"])
        assert row["absolute_low"] < LEVEL + 6 * SLOPE < row["absolute_high"]
    # OLS residuals and hence the width scale exactly with the noise
    assert widths[1] / widths[0] == pytest.approx(1e-2, rel=1e-6)
    assert widths[2] / widths[0] == pytest.approx(1e-4, rel=1e-5)
    assert widths[3] < 1e-6


def test_cumulative_effect_sums_over_the_window():
    result = _fit(_noisy(sd=1e-9))
    row = result.cumulative_effect("2017-01", "2017-06").iloc[0]
    hs = np.arange(6)
    absolute = float(np.sum(LEVEL + SLOPE * hs))  # 6·3 + 0.2·15 = 21
    counterfactual = float(np.sum(A + B * (24 + hs)))  # 6·12.4 + 0.1·15 = 75.9
    assert row["periods"] == 6
    assert row["absolute"] == pytest.approx(21.0, abs=1e-6) and absolute == pytest.approx(21.0)
    assert row["counterfactual"] == pytest.approx(75.9, abs=1e-6) and counterfactual == pytest.approx(75.9)
    assert row["relative"] == pytest.approx(21.0 / 75.9, abs=1e-7)
    # a start before the interruption counts only post-interruption periods
    assert result.cumulative_effect("2016-06", "2017-06").iloc[0]["periods"] == 6
    with pytest.raises(InputError, match="no post-interruption period"):
        result.cumulative_effect("2016-01", "2016-06")


def test_cumulative_effect_interval_by_hand():
    """The delta-method variance of a sum of linear effects is g'Vg with g = (0, 0, k, Σh)."""
    result = _fit(_noisy(sd=1.0))
    row = result.cumulative_effect("2017-01", "2017-04").iloc[0]
    cov = result.fit.cov.loc[["post", "t_since"], ["post", "t_since"]].to_numpy()
    g = np.array([4.0, 0 + 1 + 2 + 3])
    coef = result.coefficients.set_index("term")["estimate"]
    assert row["absolute"] == pytest.approx(4 * coef["post"] + 6 * coef["t_since"], rel=1e-10)
    half = stats.t.ppf(0.975, 48 - 4) * np.sqrt(g @ cov @ g)
    assert row["absolute_high"] - row["absolute"] == pytest.approx(half, rel=1e-8)


def test_effect_at_outside_the_series_is_an_error():
    result = _fit(_noisy())
    with pytest.raises(InputError, match="horizon lies outside the series"):
        result.effect_at(24)  # t0 + 24 = 48 is past the last period


# -- compare_methods ----------------------------------------------------------------------------


def test_default_maxlags_by_hand():
    assert default_maxlags(48) == 3  # floor(4·0.48^(2/9)) = floor(3.398)
    assert default_maxlags(100) == 4
    assert default_maxlags(200) == 4  # floor(4·2^(2/9)) = floor(4.66)


def test_compare_methods_one_row_per_method_and_term():
    rng = np.random.default_rng(19)
    data = _frame(_segmented(48, [24]) + _ar1(rng, 48, 0.5))
    table = compare_methods(data, outcome="y", time="month", interventions=["2017-01"])
    methods = ["ols", "newey-west (maxlags 3)", "prais-winsten", "ar1-ml", "ar1-reml"]
    assert len(table) == 10
    assert list(table["method"]) == [m for m in methods for _ in range(2)]
    assert list(table["term"]) == ["level_change", "slope_change"] * 5
    ols = table[table["method"] == "ols"].set_index("term")
    assert ols.loc["level_change", "estimate"] == pytest.approx(_effect(_fit(data))["estimate"], rel=1e-12)
    # Newey–West keeps the OLS point estimates
    nw = table[table["method"].str.startswith("newey-west")].set_index("term")
    assert nw["estimate"].to_numpy() == pytest.approx(ols["estimate"].to_numpy(), rel=1e-12)
    assert table.loc[table["method"] == "ols", "rho"].isna().all()
    assert table.loc[table["method"] == "ar1-reml", "rho"].between(-1, 1).all()

    lagged = compare_methods(data, methods=["newey-west", "ar1-reml"], outcome="y", time="month",
                             interventions=["2017-01"], maxlags=5)
    assert list(lagged["method"]) == ["newey-west (maxlags 5)"] * 2 + ["ar1-reml"] * 2


def test_compare_methods_for_counts():
    rng = np.random.default_rng(20)
    t = np.arange(48)
    data = _frame(rng.poisson(300 * np.exp(0.003 * t + 0.1 * (t >= 24)))).assign(pop=2e5)
    table = compare_methods(data, outcome="y", time="month", interventions=["2017-01"], offset="pop")
    assert list(table["method"]) == ["poisson"] * 2 + ["quasi-poisson"] * 2
    assert (table["scale"] == "ratio").all()
    assert table["dispersion"].notna().all()


# -- satterthwaite ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_satterthwaite_intervals_are_at_least_as_wide_as_wald(seed):
    rng = np.random.default_rng(seed)
    data = _frame(_segmented(48, [24]) + _ar1(rng, 48, 0.5))
    wald = _fit(data, method="ar1-reml")
    satt = _fit(data, method="ar1-reml", df="satterthwaite")
    assert "satterthwaite" in satt.method
    a, b = wald.coefficients.set_index("term"), satt.coefficients.set_index("term")
    assert b["estimate"].to_numpy() == pytest.approx(a["estimate"].to_numpy(), rel=1e-12)
    assert (b["ci_high"] - b["ci_low"] >= a["ci_high"] - a["ci_low"] - 1e-12).all()
    assert ((b["df"] >= 1) & (b["df"] <= 48 - 4)).all()
    for term in ("level_change", "slope_change"):
        w, s = _effect(wald, term), _effect(satt, term)
        assert s["ci_high"] - s["ci_low"] >= w["ci_high"] - w["ci_low"]


# -- clear errors -------------------------------------------------------------------------------


def _base():
    return _noisy(n=24, t0=12)



ERRORS = [
    ("interruption after the end", dict(interventions=["2030-01"]), None, "outside the series"),
    ("interruption at the first period", dict(interventions=["2015-01"]), None, "outside the series"),
    ("interruption before the start", dict(interventions=["2010-01"]), None, "outside the series"),
    ("two points before", dict(interventions=["2015-03"]), None, r"too few points in a segment \(2\)"),
    ("two points after", dict(interventions=["2016-11"]), None, r"too few points in a segment \(2\)"),
    ("exclusion leaves two", dict(interventions=["2016-01"], exclude=[("2016-01", "2016-10")]), None,
     r"too few points in a segment \(2\)"),
    ("non-monotone time", {}, lambda d: d.iloc[[1, 0, *range(2, 24)]].reset_index(drop=True),
     "not in increasing order"),
    ("duplicated time", {}, lambda d: d.assign(month=[*d["month"][:5], d["month"][4], *d["month"][6:]]),
     "duplicated"),
    ("missing outcome", {}, lambda d: d.assign(y=[*d["y"][:3], np.nan, *d["y"][4:]]), "outcome has a missing"),
    ("non-numeric outcome", {}, lambda d: d.assign(y=[*d["y"][:3], "n/a", *d["y"][4:]]), "outcome has a missing"),
    ("zero offset", dict(method="poisson", offset="pop"),
     lambda d: d.assign(y=np.arange(24) + 5, pop=[1e4] * 10 + [0.0] + [1e4] * 13), r"offset.*above 0"),
    ("negative offset", dict(method="quasi-poisson", offset="pop"),
     lambda d: d.assign(y=np.arange(24) + 5, pop=[-1.0] + [1e4] * 23), r"offset.*above 0"),
    ("negative counts", dict(method="poisson"), lambda d: d.assign(y=[5] * 10 + [-1] + [5] * 13),
     r"count method needs whole numbers of 0 or more"),
    ("fractional counts", dict(method="quasi-poisson"), lambda d: d.assign(y=[5.5] * 24),
     r"count method needs whole numbers"),
    ("newey-west without maxlags", dict(method="newey-west"), None, "newey-west needs maxlags"),
    ("unknown method", dict(method="lasso"), None, "unknown ITS method"),
    ("satterthwaite with ols", dict(method="ols", df="satterthwaite"), None,
     "satterthwaite.*only available for ar1-reml"),
    ("satterthwaite with ar1-ml", dict(method="ar1-ml", df="satterthwaite"), None,
     "satterthwaite.*only available for ar1-reml"),
    ("unknown df", dict(method="ar1-reml", df="kenward-roger"), None, "only available for ar1-reml"),
]


@pytest.mark.parametrize("options, change, message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_clear_errors(options, change, message):
    data = _base() if change is None else change(_base())
    kwargs = dict(outcome="y", time="month", interventions=["2016-01"], method="ols") | options
    with pytest.raises(InputError, match=message):
        fit_its(data, **kwargs)


def test_error_messages_locate_the_problem():
    data = _base()
    data.loc[3, "y"] = np.nan
    with pytest.raises(InputError) as caught:
        fit_its(data, outcome="y", time="month", interventions=["2016-01"], method="ols")
    assert caught.value.row == 4 and caught.value.column == "y"
    with pytest.raises(InputError) as caught:
        fit_its(_base(), outcome="y", time="month", interventions=["2030-01"], method="ols")
    assert "2030-01" in str(caught.value)
