"""The national-scale synthetic dataset: complete, accepted by ``prepare``, deterministic, and with
true effects that an ITS fit recovers.

The dataset is generated once per module (about 3 s) and prepared once (about 13 s).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from fouress_eval.demo.national import FOUR_ESS, write_national_demo
from fouress_eval.its import fit_its
from fouress_eval.municipalities import municipalities
from fouress_eval.privacy import scan_files
from fouress_eval.store import load_table, prepare

SECRET = b"national-demo-test-secret-0123456789"
CODES = set(municipalities()["municipality_code"])
COUNTIES = set(municipalities()["county_code"])


def _read_personnel(folder: Path) -> pd.DataFrame:
    """The personnel files read independently of the package's readers."""
    frames = [pd.read_csv(p, sep=";", decimal=",", thousands=" ", encoding="cp1252", skiprows=1,
                          dtype={"Kommun": str, "Månad": str})
              for p in sorted(folder.glob("personal_*.csv"))]
    frame = pd.concat(frames, ignore_index=True)
    frame["code"] = frame["Kommun"].str[:4]
    return frame


def _national_pct(frame: pd.DataFrame) -> pd.Series:
    sums = frame.groupby("Månad")[["Sjukfrånvaro (timmar)", "Schemalagd tid (timmar)"]].sum()
    return 100 * sums["Sjukfrånvaro (timmar)"] / sums["Schemalagd tid (timmar)"]


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("national") / "raw"
    write_national_demo(out)
    return out


@pytest.fixture(scope="module")
def processed(national, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("national") / "processed"
    prepare(national, target, secret=SECRET)
    return target


@pytest.fixture(scope="module")
def truth(national) -> pd.DataFrame:
    return pd.read_csv(national / "_truth.csv", dtype={"municipality_code": str})


def test_files_one_per_county_and_labelled_synthetic(national):
    personnel = sorted(national.glob("personal_*.csv"))
    assert {p.name.split("_")[1] for p in personnel} == COUNTIES
    assert "personal_14_vastra_gotaland.csv" in {p.name for p in personnel}
    for path in personnel:
        assert path.name.isascii()
        first_line = path.read_bytes().decode("cp1252").splitlines()[0]
        assert "SYNTETISKA DEMODATA" in first_line
    marker = json.loads((national / "_synthetic.json").read_text(encoding="utf-8"))
    assert marker["synthetic"] is True and "SYNTETISKA" in marker["note"]
    assert "SYNTHETIC" in (national / "README.md").read_text(encoding="utf-8")
    for name in ("deltagare_national.csv", "moten_national.csv"):
        assert "SYNTETISKA DEMODATA" in (national / name).read_text(encoding="utf-8").splitlines()[0]


def test_prepare_accepts_everything_and_leaves_no_identity_number(national, processed):
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    tables = {o["table"] for o in manifest["outputs"]}
    assert {"absence_monthly", "participants", "meetings"} <= tables
    assert manifest["synthetic"] is True
    assert manifest["ignored"] == []  # _truth.csv, _synthetic.json and README.md are skipped silently
    assert "_truth.csv" not in {i["file"] for i in manifest["inputs"]}
    assert scan_files(processed) == []


def test_every_municipality_month_and_group_once(processed):
    absence = load_table("absence_monthly", processed)
    months = pd.period_range("2014-01", "2019-12", freq="M")
    assert set(absence["municipality_code"]) == CODES
    assert set(absence["month"]) == set(months)
    assert set(zip(absence["sex"], absence["age_group"])) == {(s, a) for s in "KM" for a in ("-29", "30-49", "50-")}
    assert len(absence) == 290 * len(months) * 6
    assert not absence.duplicated(["municipality_code", "month", "sex", "age_group"]).any()
    staff = absence[absence["month"] == months[0]].groupby("municipality_code")["employees"].sum()
    assert staff.idxmax() in ("0180", "1480")  # Stockholm or Göteborg employ the most
    assert staff.median() == pytest.approx(1500, rel=0.35)
    pct = 100 * absence["sick_hours"].sum() / absence["scheduled_hours"].sum()
    assert 4 < pct < 10


def test_truth_lists_each_adopter(national, truth, processed):
    assert len(truth) == 20 and truth["municipality_code"].is_unique
    assert set(FOUR_ESS) <= set(truth["municipality_code"])
    assert set(truth["municipality_code"]) <= CODES
    starts = pd.PeriodIndex(truth["start_month"], freq="M")
    assert starts.min() >= pd.Period("2017-02", "M") and starts.max() <= pd.Period("2019-06", "M")
    assert starts.nunique() > 5  # staggered
    assert (truth["slope_change"] < 0).all()
    assert truth["slope_change"].mean() == pytest.approx(-0.05, abs=0.015)
    participants = load_table("participants", processed)
    assert set(participants["municipality_code"]) == set(truth["municipality_code"])


def test_registers_start_after_each_adopters_start(truth, processed):
    participants = load_table("participants", processed)
    meetings = load_table("meetings", processed)
    start = truth.set_index("municipality_code")["start_month"].map(lambda m: pd.Period(m, "M"))
    months = participants["start_date"].dt.to_period("M")
    assert (months >= participants["municipality_code"].map(start)).all()
    per_adopter = participants.groupby("municipality_code").size()
    assert per_adopter.between(20, 60).all()
    assert (participants["sex"] == "K").mean() > 0.85
    cutoff = pd.Timestamp("2019-12-31")
    assert (participants["end_date"].dropna() <= cutoff).all()
    assert participants["end_date"].isna().any()  # ongoing episodes are censored at the cut-off
    episodes = participants.set_index("participant_id")
    joined = meetings.join(episodes[["start_date", "end_date"]], on="participant_id")
    last = joined["end_date"].fillna(cutoff)
    assert ((joined["date"] >= joined["start_date"]) & (joined["date"] <= last)).all()
    assert set(meetings["meeting_type"]) == {"follow_up", "three_party"}


def test_its_recovers_the_true_slope_change(processed, truth):
    absence = load_table("absence_monthly", processed)
    covered = 0
    for code in FOUR_ESS:
        mine = absence[absence["municipality_code"] == code]
        sums = mine.groupby("month")[["sick_hours", "scheduled_hours"]].sum()
        series = (100 * sums["sick_hours"] / sums["scheduled_hours"]).rename("sick_pct").reset_index()
        row = truth.set_index("municipality_code").loc[code]
        result = fit_its(series, outcome="sick_pct", time="month", interventions=[row["start_month"]],
                         method="ols", seasonality=1)
        slope = result.effects.set_index("term").loc["slope_change"]
        covered += bool(slope["ci_low"] <= row["slope_change"] <= slope["ci_high"])
        assert slope["estimate"] < 0
    assert covered >= 2


def test_deterministic_for_the_seed_and_subset_consistent(tmp_path, national):
    subset = ["0180", "0781", "0834", "0884", "2584"]
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((first, 2017), (second, 2017), (other, 1)):
        write_national_demo(out, seed=seed, municipalities=subset, n_adopters=4)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert len([n for n in names if n.startswith("personal_")]) == 4  # counties 01, 07, 08, 25
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "personal_01_stockholm.csv").read_bytes() != (other / "personal_01_stockholm.csv").read_bytes()
    # a municipality that adopts in neither run has the same series as in the full national run
    small, full = _read_personnel(first), _read_personnel(national)
    adopters = set(pd.read_csv(first / "_truth.csv", dtype=str)["municipality_code"])
    adopters |= set(pd.read_csv(national / "_truth.csv", dtype=str)["municipality_code"])
    control = next(c for c in subset if c not in adopters)
    pd.testing.assert_frame_equal(small[small["code"] == control].reset_index(drop=True),
                                  full[full["code"] == control].reset_index(drop=True))


def test_through_2021_has_96_months_and_a_visible_covid_jump(tmp_path, national):
    out = tmp_path / "covid"
    write_national_demo(out, through="2021-12")
    frame = _read_personnel(out)
    assert frame["Månad"].nunique() == 96 and frame["Månad"].max() == "2021-12"
    assert len(frame) == 290 * 96 * 6
    # a later `through` extends the default series month for month
    earlier = frame[frame["Månad"] <= "2019-12"].reset_index(drop=True)
    pd.testing.assert_frame_equal(earlier, _read_personnel(national))
    assert (out / "_truth.csv").read_bytes() == (national / "_truth.csv").read_bytes()
    pct = _national_pct(frame)
    spring = [f"{year}-{month:02d}" for year in (2019, 2020) for month in (3, 4, 5, 6)]
    before, during = pct[spring[:4]].mean(), pct[spring[4:]].mean()
    assert during - before > 0.8
    assert pct["2021-12"] - pct["2019-12"] < 0.5  # the shock has decayed by late 2021
    marker = json.loads((out / "_synthetic.json").read_text(encoding="utf-8"))
    assert marker["covid"]["start"] == "2020-03"
    without = tmp_path / "no_covid"
    write_national_demo(without, through="2021-12", covid=False, municipalities=["0180", "1280", "1480"],
                        adopters=[])
    assert not (without / "deltagare_national.csv").exists()  # no adopters, no registers
    quiet = _national_pct(_read_personnel(without))
    assert abs(quiet[spring[4:]].mean() - quiet[spring[:4]].mean()) < 0.4


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not among the municipalities"):
        write_national_demo(tmp_path, adopters=["0781"], municipalities=["0834"])
    with pytest.raises(ValueError, match="unknown municipality"):
        write_national_demo(tmp_path, municipalities=["9999"])
    with pytest.raises(ValueError, match="future"):
        write_national_demo(tmp_path, through="2999-12")
    assert not any(tmp_path.iterdir())
