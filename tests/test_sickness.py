"""The sick-leave analysis behind 01_sickness_its, on the synthetic demo data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.io import read_source
from fouress_eval.report import effects_table, horizon_table, write_key_results
from fouress_eval.sickness import analyse_sickness, conclusion, monthly_sick_pct, number

DEMO = Path(__file__).resolve().parents[1] / "data_raw" / "demo"


@pytest.fixture(scope="module")
def hours() -> pd.DataFrame:
    frames = [read_source(p)[1] for p in sorted(DEMO.glob("personal_*"))]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def torsas(hours):
    return analyse_sickness(hours, "Torsås")


def test_monthly_series_from_hours(hours):
    series = monthly_sick_pct(hours, ["0834"])
    august = series[series["month"] == pd.Period("2016-08", "M")].iloc[0]
    part = hours[(hours["municipality_code"] == "0834") & (hours["month"] == pd.Period("2016-08", "M"))]
    assert august["sick_pct"] == pytest.approx(100 * part["sick_hours"].sum() / part["scheduled_hours"].sum())
    assert len(series) == 72


def test_comparison_excludes_project_sites(torsas):
    assert "0834" not in torsas.comparison
    assert not {"0781", "0884"} & set(torsas.comparison)
    assert len(torsas.comparison) == 10


def test_conclusion_states_published_levels_and_uncertainty(torsas):
    text = conclusion(torsas, "sv")
    assert "7,8 %" in text and "5,8 %" in text and "−2,0 procentenheter" in text  # DESIGN.md section 3
    slope = torsas.controlled.effects.set_index("term").loc["slope_change"]
    assert number(slope["ci_low"], 3) in text and number(slope["ci_high"], 3) in text
    assert "95 % KI" in text
    english = conclusion(torsas, "en")
    assert "7.8 %" in english and "95 % CI" in english and "," not in re.findall(r"\d[,.]\d", english)[0]


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
    assert data["municipality_code"] == "0834"
    assert data["slope_change"]["estimate"] == pytest.approx(
        torsas.controlled.effects.set_index("term").loc["slope_change", "estimate"])
    assert write_key_results("", "x", {}) is None


def test_report_tables_are_labelled(torsas):
    table = effects_table(torsas.methods, "sv")
    assert "Skattning" in table.columns and set(table["Förändring"]) == {"Nivåförändring", "Trendförändring (per månad)"}
    placebo = effects_table(torsas.placebo_time, "en")
    assert "Actual start" in placebo.columns and (placebo["Actual start"] == "yes").sum() == 2
    assert list(horizon_table(torsas.horizons, "en").columns)[0] == "Months after start"


def test_unknown_outcome_and_municipality(hours):
    with pytest.raises(InputError, match="sick_pct"):
        analyse_sickness(hours, "Torsås", outcome="sjukpenningtal")
    with pytest.raises(InputError, match="no personnel hours"):
        analyse_sickness(hours, "Kiruna")
