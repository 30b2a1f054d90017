"""Placebo interruptions in time and in space, on simulated series whose truth is known.

Expected values come from the simulation (true effects of 0 or a known size) or are counted by
hand from independent ``fit_its`` fits of each unit; none is copied from the code under test.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.its import fit_its
from fouress_eval.its.falsification import PlaceboResult, placebo_in_space, placebo_in_time

matplotlib.use("Agg")

START, N, CUT = "2012-01", 72, 48  # 2012-01 … 2017-12, real interruption 2016-01 (before COVID-19)
REAL = "2016-01"


def _series(seed: int = 11, level: float = 50.0) -> pd.DataFrame:
    """Linear trend, no change anywhere in the pre-period, a level change of ``level`` at 2016-01."""
    rng = np.random.default_rng(seed)
    t = np.arange(N)
    y = 100 + 0.5 * t + level * (t >= CUT) + rng.normal(0, 1, N)
    return pd.DataFrame({"month": pd.period_range(START, periods=N, freq="M"), "y": y})


def _panel(effects: dict[str, float], n_units: int = 20, seed: int = 5, months: int = 60,
           cut: int = 36) -> pd.DataFrame:
    """``n_units`` units U00…, each with its own trend; a level change only where ``effects`` says."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    parts = []
    for i in range(n_units):
        unit = f"U{i:02d}"
        y = 50 + rng.uniform(-10, 10) + rng.uniform(-0.3, 0.3) * t + effects.get(unit, 0.0) * (t >= cut)
        parts.append(pd.DataFrame({"unit": unit, "month": pd.period_range(START, periods=months, freq="M"),
                                   "y": y + rng.normal(0, 1, months)}))
    return pd.concat(parts, ignore_index=True)


PANEL_CUT = "2015-01"  # month 36 of the panel


# -- placebo in time ----------------------------------------------------------------------------
def test_placebo_in_time_no_pre_change_and_real_effect():
    data = _series()
    shifts = [-9, -12, -15, -18, -21, -24, -30, -36]
    table = placebo_in_time(data, shifts=shifts, outcome="y", time="month", interventions=[REAL], method="ols")
    real = table[table["real"]].set_index("term")
    assert list(real["placebo"]) == [REAL, REAL]
    assert real.loc["level_change", "ci_low"] <= 50 <= real.loc["level_change", "ci_high"]  # the true effect
    assert real.loc["level_change", "estimate"] == pytest.approx(50, abs=1.5)
    assert real.loc["slope_change", "ci_low"] <= 0 <= real.loc["slope_change", "ci_high"]
    assert (real["n_pre"] == CUT).all() and (real["n_post"] == N - CUT).all()

    placebos = table[~table["real"]]
    assert placebos["error"].isna().all()
    assert sorted(set(placebos["shift"])) == sorted(shifts)
    covers = (placebos["ci_low"] <= 0) & (placebos["ci_high"] >= 0)
    assert covers.mean() >= 0.75  # no change in the pre-period: intervals mostly cover 0
    # fitted on the 48 pre-period months only, so the real jump of 50 cannot leak in
    assert ((placebos["n_pre"] + placebos["n_post"]) == CUT).all()
    assert placebos.loc[placebos["term"] == "level_change", "estimate"].abs().max() < 3
    first = placebos[placebos["shift"] == -12].set_index("term")
    assert first["placebo"].iloc[0] == "2015-01"
    assert first.loc["level_change", "n_pre"] == 36 and first.loc["level_change", "n_post"] == 12


def test_placebo_in_time_equals_a_fit_of_the_pre_period():
    data = _series()
    table = placebo_in_time(data, shifts=["2014-07"], outcome="y", time="month", interventions=[REAL],
                            method="newey-west", maxlags=2)
    row = table[~table["real"]].set_index("term")
    assert (row["shift"] == -18).all()  # 2014-07 is 18 months before 2016-01
    pre = data[data["month"] < pd.Period(REAL, freq="M")]
    by_hand = fit_its(pre, outcome="y", time="month", interventions=["2014-07"], method="newey-west",
                      maxlags=2).effects.set_index("term")
    for term in ("level_change", "slope_change"):
        for column in ("estimate", "ci_low", "ci_high", "p_value"):
            assert row.loc[term, column] == pytest.approx(by_hand.loc[term, column], rel=1e-12)
    assert (row["method"] == "newey-west").all()


def test_placebo_in_time_error_rows_and_integer_time():
    data = _series()
    table = placebo_in_time(data, shifts=[-12, -2, -47, 3], outcome="y", time="month", interventions=[REAL],
                            method="ols")
    placebos = table[~table["real"]].set_index("shift")
    assert placebos.loc[-12, "error"].isna().all()
    for shift, n_pre, n_post in ((-2, 46, 2), (-47, 1, 47)):  # fewer than 3 points on one side
        rows = placebos.loc[shift]
        assert len(rows) == 2 and rows["error"].notna().all() and rows["estimate"].isna().all()
        assert (rows["n_pre"] == n_pre).all() and (rows["n_post"] == n_post).all()
    assert placebos.loc[3, "error"].str.contains("not before").all()  # after the real interruption

    integer = data.assign(month=np.arange(N) + 100)
    table = placebo_in_time(integer, shifts=[-12, "124"], outcome="y", time="month", interventions=[100 + CUT],
                            method="ols")
    assert sorted(table.loc[~table["real"], "shift"].unique()) == [-24, -12]


def test_placebo_in_time_none_feasible():
    with pytest.raises(InputError, match="no placebo"):
        placebo_in_time(_series(), shifts=[-1, -2, 0], outcome="y", time="month", interventions=[REAL],
                        method="ols")


# -- placebo in space ---------------------------------------------------------------------------
@pytest.mark.parametrize("effect", [20.0, -20.0])
def test_placebo_in_space_one_large_effect(effect):
    panel = _panel({"U07": effect})
    for statistic in ("estimate", "t"):
        result = placebo_in_space(panel, "unit", "U07", outcome="y", time="month", interventions=[PANEL_CUT],
                                  method="ols", statistic=statistic)
        assert isinstance(result, PlaceboResult)
        assert result.n_units == 20 and result.rank == 1
        assert result.p_value == 1 / 20  # only the treated unit itself is as extreme
        assert result.p_value_one_sided == 1 / 20
    row = result.effects.set_index("unit").loc["U07"]
    assert bool(row["treated"]) and row["rank"] == 1
    assert row["ci_low"] <= effect <= row["ci_high"]
    assert result.effects["treated"].sum() == 1


def test_placebo_in_space_null_panel_p_values():
    panel = _panel({}, seed=8)
    units = sorted(panel["unit"].unique())
    by_hand = np.array([fit_its(panel[panel["unit"] == u], outcome="y", time="month", interventions=[PANEL_CUT],
                                method="ols").effects.set_index("term").loc["level_change", "estimate"]
                        for u in units])
    p_values = []
    for i, unit in enumerate(units):
        result = placebo_in_space(panel, "unit", unit, outcome="y", time="month", interventions=[PANEL_CUT],
                                  method="ols")
        own = by_hand[i]
        assert result.p_value == pytest.approx(np.mean(np.abs(by_hand) >= abs(own)))
        expected_one = np.mean(by_hand >= own) if own >= 0 else np.mean(by_hand <= own)
        assert result.p_value_one_sided == pytest.approx(expected_one)
        p_values.append(result.p_value)
    # with no effect anywhere the permutation p-values are exactly 1/20, 2/20, …, 20/20
    assert sorted(p_values) == pytest.approx([k / 20 for k in range(1, 21)])
    assert p_values[units.index("U07")] > 0.1


def test_placebo_in_space_several_treated_units():
    panel = _panel({"U03": 20.0, "U11": -15.0})
    result = placebo_in_space(panel, "unit", ["U03", "U11"], outcome="y", time="month",
                              interventions=[PANEL_CUT], method="ols")
    assert result.treated == ["U03", "U11"]
    assert result.n_units == 19  # 18 non-treated units plus the one being tested
    assert result.rank == {"U03": 1, "U11": 1}
    assert result.p_value == {"U03": 1 / 19, "U11": 1 / 19}
    assert result.p_value_one_sided == {"U03": 1 / 19, "U11": 1 / 19}
    assert list(result.tests["n_units"]) == [19, 19]
    assert set(result.effects.loc[result.effects["treated"], "unit"]) == {"U03", "U11"}
    # in the table of all units the two treated units are the two most extreme
    assert set(result.effects.loc[result.effects["rank"] <= 2, "unit"]) == {"U03", "U11"}


def test_placebo_in_space_ratio_scale_ranks_log_ratios():
    rng = np.random.default_rng(3)
    t = np.arange(48)
    ratios = {"A": 0.5, "B": 1.8}  # |log 0.5| = 0.69 > |log 1.8| = 0.59, although 1.8 is farther from 1
    parts = []
    for i, unit in enumerate(["A", "B", *[f"C{k}" for k in range(10)]]):
        population = 1e6 * (1 + 0.1 * i)
        rate = 1e-3 * np.exp(0.002 * t) * ratios.get(unit, 1.0) ** (t >= 30)
        parts.append(pd.DataFrame({"unit": unit, "t": t, "population": population,
                                   "cases": rng.poisson(rate * population)}))
    panel = pd.concat(parts, ignore_index=True)
    result = placebo_in_space(panel, "unit", "A", outcome="cases", time="t", interventions=[30], method="poisson",
                              offset="population")
    assert result.scale == "ratio" and result.rank == 1 and result.p_value == 1 / 12
    effects = result.effects.set_index("unit")
    assert effects.loc["A", "estimate"] == pytest.approx(0.5, rel=0.1)  # reported as a rate ratio
    assert effects.loc["A", "statistic"] == pytest.approx(np.log(effects.loc["A", "estimate"]))
    assert effects.loc["B", "rank"] == 2


def test_placebo_in_space_errors_summary_and_plot():
    panel = _panel({"U03": 20.0}, n_units=6)
    common = dict(outcome="y", time="month", interventions=[PANEL_CUT], method="ols")
    with pytest.raises(InputError, match="not in the panel"):
        placebo_in_space(panel, "unit", "U99", **common)
    with pytest.raises(InputError, match="not in the panel"):
        placebo_in_space(panel, "unit", ["U03", "nowhere"], **common)
    with pytest.raises(InputError, match="statistic"):
        placebo_in_space(panel, "unit", "U03", statistic="median", **common)
    with pytest.raises(InputError, match="non-treated"):
        placebo_in_space(panel, "unit", list(panel["unit"].unique()), **common)
    result = placebo_in_space(panel, "unit", "U03", **common)
    text = result.summary()
    assert "ols" in text and "1/6" in text and "U03" in text
    ax = result.plot()
    assert len(ax.get_yticklabels()) == 6
    assert ax.get_yticklabels()[-1].get_text() == "U03"  # sorted by estimate, the largest on top
    assert ax.get_title() == f"Placebotest i rummet: start {PANEL_CUT}"  # Swedish by default
    named = result.plot(language="en", names={"U03": "Torsås"})
    assert named.get_yticklabels()[-1].get_text() == "Torsås" and named.get_yticklabels()[0].get_text().startswith("U")
    assert named.get_title().startswith("Placebo in space") and "difference" in named.get_xlabel()


def test_placebo_plot_of_many_units_names_only_the_treated():
    panel = _panel({"U03": 20.0}, n_units=45)
    result = placebo_in_space(panel, "unit", "U03", outcome="y", time="month", interventions=[PANEL_CUT],
                              method="ols")
    ax = result.plot(language="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["U03"]  # ranked top: the largest estimate
    assert ax.get_yticks().tolist() == [44] and ax.get_ylabel() == "45 units, sorted by estimate"
    assert ax.figure.get_figheight() < 10  # not 0.22 inch per unit


@pytest.fixture(params=["fit_panel", "fit_its per unit"])
def unit_path(request, monkeypatch):
    """Run a test through fit_panel and through the per-unit fit_its fallback (panel module absent)."""
    if request.param == "fit_its per unit":
        monkeypatch.setitem(sys.modules, "fouress_eval.its.panel", None)  # makes the import fail
    return request.param


def test_placebo_in_space_t_statistic_and_excluded_unit(unit_path):
    panel = _panel({"U02": 2.0}, n_units=9, seed=21)
    short = panel["unit"].eq("U05") & (panel["month"] > pd.Period("2015-01", freq="M"))
    panel = panel[~short]  # U05 keeps a single post-period month: it cannot be fitted
    result = placebo_in_space(panel, "unit", "U02", outcome="y", time="month", interventions=[PANEL_CUT],
                              method="ols", statistic="t")
    assert list(result.excluded) == ["U05"] and "too few points" in result.excluded["U05"]
    kept = [u for u in sorted(panel["unit"].unique()) if u != "U05"]
    t = {}
    for unit in kept:  # t = coefficient of post / its standard error, by hand
        c = fit_its(panel[panel["unit"] == unit], outcome="y", time="month", interventions=[PANEL_CUT],
                    method="ols").coefficients.set_index("term").loc["post"]
        t[unit] = c["estimate"] / c["std_error"]
    rank = sum(abs(v) >= abs(t["U02"]) for v in t.values())
    assert result.n_units == 8
    assert result.rank == rank and result.p_value == pytest.approx(rank / 8)
    one = sum(v >= t["U02"] for v in t.values()) if t["U02"] >= 0 else sum(v <= t["U02"] for v in t.values())
    assert result.p_value_one_sided == pytest.approx(one / 8)
    stats_by_unit = result.effects.set_index("unit")["statistic"]
    for unit in kept:
        assert stats_by_unit[unit] == pytest.approx(t[unit], rel=1e-8)
