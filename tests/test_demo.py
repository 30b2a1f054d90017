"""The demo dataset: deterministic, committed as generated, and reproducing the published figures.

The targets below are typed in from DESIGN.md section 3 (the 4-Ess final report), not imported
from the generator, so that a change to the generator cannot move the goal posts.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fouress_eval.demo import DEMO_FILES, write_demo
from fouress_eval.io import read_source
from fouress_eval.municipalities import county_of
from fouress_eval.privacy import is_identity_number, normalise_identity_number

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"
PROJECT = {"0781": "Ljungby", "0834": "Torsås", "0884": "Vimmerby"}
SICK_PCT = {"0781": (6.8, 6.4), "0834": (7.8, 5.8), "0884": (7.1, 7.0)}  # Aug 2016 -> autumn 2019


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {}
    for path in sorted(DEMO.iterdir()):
        if path.name in ("README.md", "_synthetic.json") or path.is_dir():
            continue
        source, frame = read_source(path)
        frames.setdefault(source.table, []).append(frame)
    return {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}


def test_same_seed_same_bytes_and_committed_copy_is_current(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_demo(first, seed=2017)
    write_demo(second, seed=2017)
    for name in DEMO_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (DEMO / name).read_bytes(), (
            f"data_raw/demo/{name} is stale: run `make demo`")
    other = tmp_path / "c"
    write_demo(other, seed=1)
    assert (other / "deltagare.xlsx").read_bytes() != (first / "deltagare.xlsx").read_bytes()


def test_labelled_synthetic_everywhere():
    marker = json.loads((DEMO / "_synthetic.json").read_text(encoding="utf-8"))
    assert marker["synthetic"] is True
    assert "SYNTETISKA DEMODATA" in (DEMO / "README.md").read_text(encoding="utf-8")
    title = (DEMO / "personal_jamforelsekommuner.csv").read_bytes().decode("cp1252").splitlines()[0]
    assert "SYNTETISKA DEMODATA" in title
    for name in ("personal_ljungby.xlsx", "deltagare.xlsx"):
        first_cell = pd.read_excel(DEMO / name, header=None, nrows=1).iloc[0, 0]
        assert "SYNTETISKA DEMODATA" in first_cell
    assert "(syntetisk)" in (DEMO / "vardcentral_sjukskrivningar.csv").read_text(encoding="utf-8-sig")


def _pct(frame: pd.DataFrame) -> float:
    return 100 * frame["sick_hours"].sum() / frame["scheduled_hours"].sum()


@pytest.mark.parametrize("code", sorted(SICK_PCT))
def test_sick_leave_reproduces_published_levels(tables, code):
    absence = tables["absence_monthly"]
    mine = absence[(absence["municipality_code"] == code) & (absence["sex"] != "alla")]
    baseline, autumn = SICK_PCT[code]
    august = mine[mine["month"] == pd.Period("2016-08", "M")]
    pooled = mine[mine["month"].isin(pd.period_range("2019-09", "2019-11", freq="M"))]
    assert round(_pct(august), 1) == baseline
    assert round(_pct(pooled), 1) == autumn
    assert len(mine) == 72 * 2 * 3  # 2014-01..2019-12 by sex and three age groups


def test_comparison_municipalities_and_series_shape(tables):
    absence = tables["absence_monthly"]
    codes = set(absence["municipality_code"])
    comparison = codes - set(PROJECT)
    assert len(comparison) >= 8
    assert {county_of(c) for c in comparison} == {"07", "08"}
    assert absence["month"].min() == pd.Period("2014-01", "M")
    assert absence["month"].max() == pd.Period("2019-12", "M")
    monthly = (absence[absence["municipality_code"].isin(comparison)]
               .groupby(["municipality_code", "month"])[["sick_hours", "scheduled_hours"]].sum())
    pct = 100 * monthly["sick_hours"] / monthly["scheduled_hours"]
    by_calendar_month = pct.groupby(pct.index.get_level_values("month").month).mean()
    assert by_calendar_month[2] - by_calendar_month[8] > 0.6  # winter peak, late-summer trough
    # autocorrelated noise: lag-1 autocorrelation of the deseasonalised, detrended series
    lags = []
    for _code, series in pct.groupby(level="municipality_code"):
        values = series.to_numpy()
        months = series.index.get_level_values("month").month.to_numpy()
        resid = values - pd.Series(values).groupby(months).transform("mean").to_numpy()
        resid = resid - np.polyval(np.polyfit(np.arange(len(resid)), resid, 2), np.arange(len(resid)))
        lags.append(np.corrcoef(resid[:-1], resid[1:])[0, 1])
    assert np.mean(lags) > 0.2
    # small groups exist, so the 10-or-fewer-employees rule is exercised
    assert (absence["employees"] <= 10).any()


def test_sickpay_covers_every_municipality_month_and_level(tables):
    sickpay = tables["sickpay_monthly"]
    municipal = sickpay[sickpay["area_level"] == "kommun"]
    assert set(municipal["municipality_code"]) == set(tables["absence_monthly"]["municipality_code"])
    assert set(sickpay["area_level"]) == {"kommun", "lan", "riket"}
    assert municipal.groupby(["municipality_code", "sex"]).size().eq(72).all()
    assert sickpay["suppressed"].any() and sickpay.loc[sickpay["suppressed"], "value"].isna().all()
    shown = sickpay.loc[~sickpay["suppressed"], "value"]
    assert shown.between(4, 20).all()  # net days per insured person over 12 months


def test_kolada_agrees_with_the_hours(tables):
    kolada = tables["kolada"]
    absence = tables["absence_monthly"]
    row = kolada[(kolada["municipality_code"] == "0834") & (kolada["year"] == 2018) & (kolada["sex"] == "alla")]
    torsas = absence[(absence["municipality_code"] == "0834") & (absence["month"].dt.year == 2018)]
    assert row["value"].iloc[0] == pytest.approx(round(_pct(torsas), 1), abs=1e-9)


@pytest.mark.parametrize("code, index, listed", [("0781", -49, 17100), ("0884", -21, 15600), ("0834", 1, 7000)])
def test_clinic_index_path(tables, code, index, listed):
    clinics = tables["clinic_sicklistings"]
    mine = clinics[clinics["municipality_code"] == code]

    def rate(month: str) -> float:
        part = mine[mine["month"] == pd.Period(month, "M")]
        return 1000 * part["sicklisted"].sum() / part.drop_duplicates("clinic")["listed_population"].sum()

    january = mine[mine["month"] == pd.Period("2016-01", "M")]
    assert january.drop_duplicates("clinic")["listed_population"].sum() == listed
    assert set(mine["diagnosis_chapter"]) == {"F", "M"}
    assert round(100 * (rate("2019-10") / rate("2016-01") - 1)) == index


def test_participant_register_reproduces_published_counts(tables):
    p = tables["participants"]
    assert len(p) == 103
    assert p["municipality_code"].value_counts().to_dict() == {"0834": 37, "0781": 35, "0884": 31}
    assert p["sex"].value_counts().to_dict() == {"K": 98, "M": 5}
    assert p["start_date"].dt.year.value_counts().to_dict() == {2019: 47, 2018: 45, 2017: 11}
    first = p[p["start_date"].dt.year == 2017]["start_date"]
    assert first.min() >= pd.Timestamp("2017-02-01") and first.max() <= pd.Timestamp("2017-05-31")
    closed = p[p["end_date"].notna()]
    assert len(closed) == 76 and closed["end_date"].max() <= pd.Timestamp("2019-10-31")
    assert p["end_date"].isna().sum() == 27

    def shares(series: pd.Series, n: int) -> dict[str, int]:
        return {k: round(100 * v / n) for k, v in series.value_counts().items()}

    assert shares(p["entry_compensation"], 103) == {
        "full_time_sick_leave": 44, "repeated_short_term_absence": 38, "part_time_sick_leave": 17,
        "sick_pay_days_1_14": 1}
    assert shares(closed["exit_compensation"], 76) == {
        "salary": 54, "part_time_sick_leave": 37, "full_time_sick_leave": 9}
    assert shares(closed["exit_reason"], 76) == {
        "ordinary_work": 79, "left_employer": 11, "other_work_same_employer": 5, "other": 4,
        "medical_obstacle": 1}
    assert (p["sex"] == "K").mean() > 0.9
    assert p["sector"].isin(["social_services", "school"]).mean() > 0.8


def test_identity_numbers_are_valid_synthetic_and_mixed_format(tables):
    ids = tables["participants"]["personal_id"]
    assert ids.map(is_identity_number).all()
    assert set(ids.str.len()) == {11, 12, 13}  # YYMMDD-NNNC, YYYYMMDDNNNC, YYYYMMDD-NNNC
    normalised = ids.map(normalise_identity_number)
    assert normalised.is_unique
    assert normalised.str[8:10].isin(["98", "99"]).all()  # birth numbers 980-999 only
    # the ninth digit is odd for men, even for women
    odd = normalised.str[10].astype(int) % 2 == 1
    assert (odd == (tables["participants"]["sex"] == "M")).all()


def test_meeting_log_reproduces_published_counts(tables):
    m = tables["meetings"]
    p = tables["participants"]
    follow_up = m[m["meeting_type"] == "follow_up"]
    assert len(follow_up) == 197
    assert follow_up["municipality_code"].value_counts().to_dict() == {"0781": 106, "0884": 50, "0834": 41}
    assert round(len(follow_up) / len(p), 1) == 1.9
    assert (m["meeting_type"] == "three_party").sum() > 30
    register = p.assign(key=p["personal_id"].map(normalise_identity_number)).set_index("key")
    keys = m["personal_id"].map(normalise_identity_number)
    assert keys.isin(register.index).all()
    start = register.loc[keys, "start_date"].to_numpy()
    end = register.loc[keys, "end_date"].fillna(pd.Timestamp("2019-10-31")).to_numpy()
    assert ((m["date"].to_numpy() >= start) & (m["date"].to_numpy() <= end)).all()


def test_interviews_cover_every_stakeholder_group(tables):
    interviews = tables["interviews"]
    assert 25 <= len(interviews) <= 35
    assert set(interviews["role"]) == {"case_officer", "doctor", "rehab_coordinator", "hr_strategist",
                                       "manager", "participant", "steering_group"}
    assert set(interviews["municipality_code"]) == set(PROJECT)
