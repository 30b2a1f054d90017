"""The ITS analysis behind 01_sickness_its: employees' sick leave on the synthetic demo data, and the
generic path on synthetic county series with known effects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.io import read_source
from fouress_eval.municipalities import counties
from fouress_eval.report import effects_table, horizon_table, write_key_results
from fouress_eval.sickness import (analyse_outcome, analyse_sickness, conclusion, key_numbers_text, monthly_sick_pct,
                                   number, outcome_baseline)
from fouress_eval.sites import site_name

DEMO = Path(__file__).resolve().parents[1] / "data_raw" / "demo"
# the 4-Ess evaluation (evaluations/fouress.yml), typed out for the test
FOURESS = dict(baseline="2016-08", follow_up=("2019-09", "2019-11"), interventions=["2017-02"],
               sites=("0781", "0834", "0884"))


@pytest.fixture(scope="module")
def hours() -> pd.DataFrame:
    frames = [read_source(p)[1] for p in sorted(DEMO.glob("personal_*"))]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def torsas(hours):
    return analyse_sickness(hours, "Torsås", **FOURESS)


def test_monthly_series_from_hours(hours):
    series = monthly_sick_pct(hours, ["0834"])
    august = series[series["month"] == pd.Period("2016-08", "M")].iloc[0]
    part = hours[(hours["municipality_code"] == "0834") & (hours["month"] == pd.Period("2016-08", "M"))]
    assert august["sick_pct"] == pytest.approx(100 * part["sick_hours"].sum() / part["scheduled_hours"].sum())
    assert len(series) == 72


def test_comparison_excludes_project_sites(torsas, hours):
    assert "0834" not in torsas.comparison
    assert not {"0781", "0884"} & set(torsas.comparison)
    assert len(torsas.comparison) == 10
    # without the evaluation's sites every other municipality in the data is a comparison
    everyone = analyse_sickness(hours, "Torsås", baseline="2016-08", follow_up=("2019-09", "2019-11"),
                                interventions=["2017-02"])
    assert set(everyone.comparison) == set(hours["municipality_code"]) - {"0834"}


def test_dates_have_no_defaults(hours):
    with pytest.raises(TypeError, match="follow_up"):
        analyse_sickness(hours, "Torsås", baseline="2016-08", interventions=["2017-02"])
    with pytest.raises(TypeError, match="baseline"):
        analyse_sickness(hours, "Torsås", follow_up=("2019-09", "2019-11"), interventions=["2017-02"])


def test_published_key_figures(torsas, hours):
    assert key_numbers_text(torsas) == "Torsås: 7,8 % → 5,8 % (−2,0 procentenheter)"  # DESIGN.md section 3
    assert key_numbers_text(torsas, "en") == "Torsås: 7.8 % → 5.8 % (-2.0 percentage points)"
    ljungby = analyse_sickness(hours, "0781", **FOURESS)
    assert key_numbers_text(ljungby) == "Ljungby: 6,8 % → 6,4 % (−0,4 procentenheter)"


def test_conclusion_states_published_levels_and_uncertainty(torsas):
    text = conclusion(torsas, "sv")
    assert text.startswith("I Torsås var sjukfrånvaron bland kommunens anställda 7,8 % vid utgångsläget och 5,8 % "
                           "vid uppföljningen (−2,0 procentenheter). Jämfört med jämförelsekommunerna ändrades nivån")
    slope = torsas.controlled.effects.set_index("term").loc["slope_change"]
    assert number(slope["ci_low"], 3) in text and number(slope["ci_high"], 3) in text
    assert "95 % KI" in text and "procentenheter per månad" in text
    assert f"rangordnas {torsas.placebo_space.rank} av 11 kommuner" in text
    english = conclusion(torsas, "en")
    assert english.startswith("In Torsås, sick leave among municipal employees was 7.8 % at baseline")
    assert "7.8 %" in english and "95 % CI" in english and "," not in re.findall(r"\d[,.]\d", english)[0]
    assert "points per month" in english and "of 11 municipalities" in english


def test_horizons_match_effect_at(torsas):
    assert list(torsas.horizons["horizon"]) == [12, 24]
    direct = torsas.controlled.effect_at(24).iloc[0]
    assert torsas.horizons.iloc[1]["absolute"] == pytest.approx(direct["absolute"])
    # for a linear model the effect at h is level + h * slope of the treated-minus-control terms
    b = torsas.controlled.fit.params
    assert direct["absolute"] == pytest.approx(b["treated_post"] + 24 * b["treated_t_since"])


def test_key_results_round_trip(torsas, tmp_path):
    path = write_key_results(tmp_path, "01_sickness_its", torsas.key_results())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["municipality_code"] == "0834" and data["unit_code"] == "0834"
    assert data["outcome"] == "sick_pct" and data["unit"] == "%"
    assert data["slope_change"]["estimate"] == pytest.approx(
        torsas.controlled.effects.set_index("term").loc["slope_change", "estimate"])
    assert "interruptions" not in data  # one interruption: level_change and slope_change say it all
    assert write_key_results("", "x", {}) is None


def test_report_tables_are_labelled(torsas):
    table = effects_table(torsas.methods, "sv")
    assert "Skattning" in table.columns and set(table["Förändring"]) == {"Nivåförändring", "Trendförändring (per månad)"}
    placebo = effects_table(torsas.placebo_time, "en")
    assert "Actual start" in placebo.columns and (placebo["Actual start"] == "yes").sum() == 2
    assert list(horizon_table(torsas.horizons, "en").columns)[0] == "Months after start"


def test_unknown_outcome_and_municipality(hours):
    with pytest.raises(InputError, match="sick_pct"):
        analyse_sickness(hours, "Torsås", outcome="sjukpenningtal", **FOURESS)
    with pytest.raises(InputError, match="no personnel hours"):
        analyse_sickness(hours, "Kiruna", **FOURESS)


# ------------------------------------------------------------------------------------------------
# the generic path: a county series built here with numpy, with a known effect
# ------------------------------------------------------------------------------------------------
MONTHS = pd.period_range("2014-01", periods=72, freq="M")
COUNTIES = counties()["county_code"].tolist()  # 21


def _county_series(effects: dict[str, list[tuple[int, float]]], *, seed: int = 7, noise: float = 0.15) -> pd.DataFrame:
    """Monthly values for the 21 counties: own level, common trend and season, AR(1) noise, plus for
    each county in ``effects`` a level change of ``size`` from month index ``start`` on."""
    rng = np.random.default_rng(seed)
    t = np.arange(len(MONTHS))
    season = 0.4 * np.sin(2 * np.pi * MONTHS.month.to_numpy() / 12)
    frames = []
    for code in COUNTIES:
        shocks = rng.normal(scale=noise, size=len(t))
        ar = np.zeros(len(t))
        for i in range(len(t)):
            ar[i] = (0.3 * ar[i - 1] if i else 0.0) + shocks[i]
        value = rng.uniform(8.0, 12.0) - 0.01 * t + season + ar
        for start, size in effects.get(code, []):
            value = value + size * (t >= start)
        frames.append(pd.DataFrame({"unit_code": code, "month": MONTHS, "value": value}))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(source="sickpay", level="county", series="sjukpenningtal")
    return out


@pytest.fixture(scope="module")
def uppsala_level():
    series = _county_series({"03": [(36, 1.5)]})
    return series, analyse_outcome(series, "Uppsala län", baseline="2016-12", follow_up=("2019-10", "2019-12"),
                                   interventions=[str(MONTHS[36])], outcome_label="sjukpenningtalet", unit="dagar",
                                   seasonality=1)


def test_county_level_change_is_recovered(uppsala_level):
    _series, analysis = uppsala_level
    level = analysis.controlled.effects.set_index("term").loc["level_change"]
    assert level["ci_low"] <= 1.5 <= level["ci_high"]
    assert level["ci_high"] - level["ci_low"] < 1.0  # informative, not just wide
    slope = analysis.controlled.effects.set_index("term").loc["slope_change"]
    assert slope["ci_low"] <= 0.0 <= slope["ci_high"]
    assert analysis.code == "03" and len(analysis.comparison) == 20 and analysis.level == "county"
    # the placebo test in space ranks the slope change (as for sick leave) among all 21 counties
    assert analysis.placebo_space is not None and analysis.placebo_space.n_units == 21
    assert any("rolling 12-month" in note for note in analysis.notes)  # sjukpenningtal is named: warned


def test_generic_baseline_is_the_baseline_month_against_the_follow_up_mean(uppsala_level):
    series, analysis = uppsala_level
    own = series[series["unit_code"] == "03"].set_index("month")["value"]
    base = own[pd.Period("2016-12", "M")]
    follow = own[pd.Period("2019-10", "M"):pd.Period("2019-12", "M")].to_numpy()
    row = analysis.baseline.iloc[0]
    assert row["baseline_value"] == pytest.approx(base)
    assert row["follow_up_value"] == pytest.approx(follow.sum() / 3) and row["follow_up_months"] == 3
    assert row["change"] == pytest.approx(follow.sum() / 3 - base)
    assert analysis.key_results()["outcome"] == "sjukpenningtal" and analysis.key_results()["unit"] == "dagar"


def test_generic_sentences_use_the_label_and_unit():
    # hand-made: Uppsala 10.2 days at baseline, 9.7 / 9.8 / 9.9 in the follow-up months -> 9.8, change -0.4
    series = _county_series({})
    own = series["unit_code"] == "03"
    for month, value in (("2016-08", 10.2), ("2019-09", 9.7), ("2019-10", 9.8), ("2019-11", 9.9)):
        series.loc[own & (series["month"] == pd.Period(month, "M")), "value"] = value
    analysis = analyse_outcome(series, "03", baseline="2016-08", follow_up=("2019-09", "2019-11"),
                               interventions=["2017-02"], outcome_label={"sv": "sjukpenningtalet", "en": "sjukpenningtal"},
                               unit="days", comparison=["17", "12", "14"])
    assert key_numbers_text(analysis) == "Uppsala län: 10,2 dagar → 9,8 dagar (−0,4 dagar)"
    assert key_numbers_text(analysis, "en") == "Uppsala County: 10.2 days → 9.8 days (-0.4 days)"
    text = conclusion(analysis)
    assert text.startswith("I Uppsala län var sjukpenningtalet 10,2 dagar vid utgångsläget och 9,8 dagar vid "
                           "uppföljningen (−0,4 dagar). Jämfört med jämförelselänen ändrades nivån vid insatsens start med ")
    assert "dagar per månad" in text and "procentenheter" not in text
    english = conclusion(analysis, "en")
    assert english.startswith("In Uppsala County, sjukpenningtal was 10.2 days at baseline and 9.8 days at follow-up "
                              "(-0.4 days). Relative to the comparison counties")
    assert analysis.placebo_space is None  # three comparison units: too few for a placebo test in space
    assert "Placebo" not in english and site_name("17", "en") == "Värmland County"


def test_two_phases_each_get_their_own_change():
    series = _county_series({"17": [(30, 1.0), (48, 0.8)]}, seed=3, noise=0.1)
    analysis = analyse_outcome(series, "Värmland", baseline="2016-01", follow_up=("2019-01", "2019-12"),
                               interventions=[str(MONTHS[30]), str(MONTHS[48])], outcome_label="sjukpenningtalet",
                               unit="dagar", seasonality=1)
    effects = analysis.controlled.effects
    assert list(pd.unique(effects["interruption"])) == [str(MONTHS[30]), str(MONTHS[48])]
    levels = effects[effects["term"] == "level_change"].reset_index(drop=True)
    for row, truth in zip(levels.itertuples(), (1.0, 0.8)):
        assert row.ci_low <= truth <= row.ci_high
    text = conclusion(analysis)
    assert f"När nästa fas började ({MONTHS[48]}) ändrades nivån med" in text
    assert "When the next phase started" in conclusion(analysis, "en")
    # 24 months after the first start the second phase has run six months: the whole intervention's
    # effect (both phases removed from the counterfactual) is 1.0 + 0.8 by construction
    horizons = analysis.horizons.set_index("horizon")
    assert set(horizons["interruption"]) == {"all"}
    assert horizons.loc[24, "absolute_low"] <= 1.8 <= horizons.loc[24, "absolute_high"]
    assert horizons.loc[12, "absolute_low"] <= 1.0 <= horizons.loc[12, "absolute_high"]  # before the second phase
    results = analysis.key_results()
    assert len(results["interruptions"]) == 4
    assert results["level_change"]["estimate"] == pytest.approx(levels.loc[0, "estimate"])


def test_other_sites_are_never_comparisons():
    series = _county_series({})
    analysis = analyse_outcome(series, "03", baseline="2016-08", follow_up=("2019-09", "2019-11"),
                               interventions=["2017-02"], exclude_units=["17", "1280"])  # 1280 Malmö: Skåne too
    assert "17" not in analysis.comparison and "12" not in analysis.comparison and len(analysis.comparison) == 18
    assert set(analysis.series["unit_code"]) == {"03", *analysis.comparison}


def test_comparison_units_lacking_months_are_dropped_with_a_note():
    series = _county_series({})
    series = series[~((series["unit_code"] == "14") & (series["month"] == MONTHS[40]))]
    series.loc[(series["unit_code"] == "13") & (series["month"] == MONTHS[41]), "value"] = np.nan
    analysis = analyse_outcome(series, "03", baseline="2016-08", follow_up=("2019-09", "2019-11"),
                               interventions=["2017-02"])
    assert {"13", "14"}.isdisjoint(analysis.comparison) and len(analysis.comparison) == 18
    assert any("14" in note and "lacks 1" in note for note in analysis.notes)


def test_generic_errors_name_the_value():
    series = _county_series({})
    with pytest.raises(InputError, match="not in the outcome series") as caught:
        analyse_outcome(series, "Kiruna", baseline="2016-08", follow_up="2019-09", interventions=["2017-02"])
    assert "Uppsala län (03)" in str(caught.value)
    with pytest.raises(InputError, match="no comparison units"):
        analyse_outcome(series[series["unit_code"].isin(["03", "17"])], "03", baseline="2016-08",
                        follow_up="2019-09", interventions=["2017-02"], exclude_units=["17"])
    with pytest.raises(InputError, match="lacks column"):
        analyse_outcome(series.rename(columns={"value": "sjukpenningtal"}), "03", baseline="2016-08",
                        follow_up="2019-09", interventions=["2017-02"])
    with pytest.raises(InputError, match="not a month"):
        outcome_baseline(series, "03", "August", "2019-09")
