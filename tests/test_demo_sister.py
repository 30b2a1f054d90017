"""The synthetic demo data of the three sister projects (issue 9): kunskapsstod, pa_vag, omstallning.

The calibration facts are typed in here from issue 9, not imported from the generator, so that a
change to the generator cannot move the goal posts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from fouress_eval.demo.sister import EVALUATIONS, write_evaluation_demo
from fouress_eval.evaluation import load_evaluation
from fouress_eval.interviews_report import load_corpus
from fouress_eval.municipalities import counties, county_of
from fouress_eval.privacy import scan_files
from fouress_eval.qual.demo_corpus import SYNTHETIC_MARK
from fouress_eval.qual.tallies import FIRST_NAMES, ROLE_LABELS
from fouress_eval.store import load_manifest, load_tables, prepare

SECRET = b"test-secret-for-the-sister-demos!"
# issue 9
UPPSALA, UPPSALA_LONG_CASES, UPPSALA_MONTH, WOMEN_SHARE = "03", 1900, "2016-09", 2 / 3
SKURUP, SVEDALA = "1264", "1263"
VARMLAND = "17"
ALL_COUNTIES = set(counties()["county_code"])
EXPECTED_TABLES = {"kunskapsstod": {"sickpay_monthly"}, "pa_vag": {"interviews"},
                   "omstallning": {"sickpay_monthly", "interviews"}}
PA_VAG_ROLES = {"social_worker", "case_officer", "employment_officer", "health_care", "participant", "steering_group"}
OMSTALLNING_ROLES = {"participant", "manager", "hr_strategist", "occupational_health", "service_designer",
                     "steering_group"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demos(tmp_path_factory) -> dict[str, tuple[Path, Path, list[Path]]]:
    """name → (raw folder, prepared folder, paths returned), seed 2017."""
    out = {}
    for name in EVALUATIONS:
        raw = tmp_path_factory.mktemp(f"{name}_raw")
        written = write_evaluation_demo(name, raw, seed=2017)
        processed = tmp_path_factory.mktemp(f"{name}_processed")
        prepare(raw, processed, secret=SECRET)
        out[name] = (raw, processed, written)
    return out


def _sickpay(demos, name: str) -> pd.DataFrame:
    frame = load_tables(demos[name][1])["sickpay_monthly"]
    return frame.assign(month=frame["month"].astype(str), area=frame["county_code"].fillna("riket"))


# ---------------------------------------------------------------------------------------------
# every project
# ---------------------------------------------------------------------------------------------
def test_unknown_evaluation_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fouress"):
        write_evaluation_demo("fouress", tmp_path)
    with pytest.raises(ValueError, match="kunskapsstod, pa_vag, omstallning"):
        write_evaluation_demo("atlantis", tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("name", EVALUATIONS)
def test_same_seed_same_bytes_other_seed_other_bytes(demos, tmp_path: Path, name: str) -> None:
    raw, _processed, written = demos[name]
    again = write_evaluation_demo(name, tmp_path / "again", seed=2017)
    assert _files(tmp_path / "again") == _files(raw)
    assert [p.relative_to(tmp_path / "again") for p in again] == [p.relative_to(raw) for p in written]
    assert all(p.is_file() for p in written) and {p.relative_to(raw).as_posix() for p in written} == set(_files(raw))
    write_evaluation_demo(name, tmp_path / "other", seed=1)
    other = _files(tmp_path / "other")
    assert other.keys() == _files(raw).keys() and other != _files(raw)


@pytest.mark.parametrize("name", EVALUATIONS)
def test_small(demos, name: str) -> None:
    raw = demos[name][0]
    assert sum(len(b) for b in _files(raw).values()) < 2_000_000


@pytest.mark.parametrize("name", EVALUATIONS)
def test_everything_is_marked_synthetic(demos, name: str) -> None:
    raw, processed, _written = demos[name]
    marker = json.loads((raw / "_synthetic.json").read_text(encoding="utf-8"))
    assert marker["synthetic"] is True and marker["evaluation"] == name and marker["seed"] == 2017
    assert "SYNTETISK" in marker["note"] and "Synthetic" in marker["note"]
    readme = (raw / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme.splitlines()[0] and "SYNTETISKA DEMODATA" in readme
    assert load_manifest(processed)["synthetic"] is True
    for transcript in sorted(raw.glob("qual/transkript/*.txt")):
        assert transcript.read_text(encoding="utf-8").startswith(SYNTHETIC_MARK + "\n")
    if (raw / "qual").exists():
        assert "SYNTETISK DEMO" in (raw / "qual" / "kodbok.yml").read_text(encoding="utf-8")
    for workbook in raw.glob("*.xlsx"):
        book = openpyxl.load_workbook(workbook, read_only=True)
        assert all("SYNTETISKA DEMODATA" in next(sheet.iter_rows(values_only=True))[0] for sheet in book.worksheets)


@pytest.mark.parametrize("name", EVALUATIONS)
def test_prepare_yields_the_expected_tables(demos, name: str) -> None:
    raw, processed, _written = demos[name]
    manifest = load_manifest(processed)
    assert {o["table"] for o in manifest["outputs"]} == EXPECTED_TABLES[name]
    assert manifest["ignored"] == []
    assert not (raw / "deltagare.xlsx").exists() and not list(raw.glob("deltagare*"))  # no register in any of them


@pytest.mark.parametrize("name", EVALUATIONS)
def test_no_identity_numbers_anywhere(demos, name: str) -> None:
    raw, processed, _written = demos[name]
    assert scan_files(raw) == []
    assert scan_files(processed) == []


@pytest.mark.parametrize("name", EVALUATIONS)
def test_configuration_matches_the_demo(demos, name: str) -> None:
    """The evaluation's YAML names this folder, these outcome series and these interview roles."""
    evaluation = load_evaluation(name)
    raw, processed, _written = demos[name]
    assert evaluation.raw_dir == f"data_raw/{name}"
    tables = load_tables(processed)
    measures = set(tables["sickpay_monthly"]["measure"]) if "sickpay_monthly" in tables else set()
    assert {o.series for o in evaluation.outcomes} == measures
    if "interviews" in tables:
        assert set(evaluation.roles) == set(tables["interviews"]["role"])
        assert evaluation.corpus == f"data_raw/{name}/qual"
    else:
        assert evaluation.roles == () and evaluation.corpus is None
    counties_sites = {s.code for s in evaluation.sites if s.level == "county"}
    if counties_sites:
        assert counties_sites <= set(tables["sickpay_monthly"]["county_code"].dropna())


# ---------------------------------------------------------------------------------------------
# kunskapsstod and omstallning: Försäkringskassan county series
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, last, measures", [
    ("kunskapsstod", "2020-12", {"sjukpenningtal", "sjukfall_over_365"}),
    ("omstallning", "2019-12", {"sjukpenningtal"}),
])
def test_county_series_are_complete(demos, name: str, last: str, measures: set[str]) -> None:
    frame = _sickpay(demos, name)
    assert set(frame["measure"]) == measures
    assert set(frame["area_level"]) == {"lan", "riket"} and frame["municipality_code"].isna().all()
    assert set(frame["county_code"].dropna()) == ALL_COUNTIES
    assert set(frame["sex"]) == {"K", "M", "alla"} and set(frame["age_group"]) == {"alla"}
    months = [str(m) for m in pd.period_range("2014-01", last, freq="M")]
    per_series = frame.groupby(["measure", "area", "sex"])["month"].apply(list)
    assert len(per_series) == len(measures) * 22 * 3
    assert all(sorted(v) == months for v in per_series)
    assert not frame["suppressed"].any() and frame["value"].notna().all()
    spt = frame[frame["measure"] == "sjukpenningtal"]
    assert spt["value"].between(5, 20).all()
    both = spt[spt["sex"] == "alla"]
    assert both["value"].between(7, 14).all()  # a realistic range of county sjukpenningtal
    assert (spt[spt["sex"] == "alla"]["denominator"] > 30_000).all()


def test_sjukpenningtal_women_above_men_and_totals_between(demos) -> None:
    frame = _sickpay(demos, "kunskapsstod")
    wide = frame[frame["measure"] == "sjukpenningtal"].pivot_table(index=["area", "month"], columns="sex",
                                                                    values=["value", "denominator"])
    assert (wide[("value", "K")] > wide[("value", "M")]).all()
    assert ((wide[("value", "alla")] >= wide[("value", "M")]) & (wide[("value", "alla")] <= wide[("value", "K")])).all()
    assert (wide[("denominator", "K")] + wide[("denominator", "M")] == wide[("denominator", "alla")]).all()


def test_uppsala_long_cases_calibrated(demos) -> None:
    frame = _sickpay(demos, "kunskapsstod")
    long_cases = frame[(frame["measure"] == "sjukfall_over_365") & (frame["month"] == UPPSALA_MONTH)
                       & (frame["area"] == UPPSALA)].set_index("sex")["value"]
    assert abs(long_cases["alla"] - UPPSALA_LONG_CASES) <= 0.05 * UPPSALA_LONG_CASES
    assert abs(long_cases["K"] / long_cases["alla"] - WOMEN_SHARE) <= 0.03
    # counts are whole, and women + men = all, in every county and month
    cases = frame[frame["measure"] == "sjukfall_over_365"].pivot_table(index=["area", "month"], columns="sex",
                                                                       values="value")
    assert (cases == cases.round()).all().all() and (cases["K"] + cases["M"] == cases["alla"]).all()
    counties_only = cases.drop(index="riket", level="area")
    assert (counties_only.groupby(level="month").sum() == cases.xs("riket", level="area")).all().all()


def test_uppsala_has_an_effect_and_every_county_the_covid_rise(demos) -> None:
    frame = _sickpay(demos, "kunskapsstod")
    cases = frame[(frame["measure"] == "sjukfall_over_365") & (frame["sex"] == "alla")].pivot(
        index="month", columns="area", values="value")
    others = cases.drop(columns=["riket", UPPSALA]).sum(axis=1)
    relative = np.log(cases[UPPSALA] / others)
    before = relative["2016-09"] - relative["2014-09"]      # two years before the project
    during = relative["2018-07"] - relative["2016-09"]      # the project's 22 months
    assert abs(before) < 0.04 and -0.16 < during < -0.06    # a modest fall, relative to the other counties
    after = relative["2019-12"] - relative["2018-07"]
    assert abs(after) < 0.04                                 # held, not reversed or continued
    for series in ("sjukfall_over_365", "sjukpenningtal"):
        wide = frame[(frame["measure"] == series) & (frame["sex"] == "alla")].pivot(
            index="month", columns="area", values="value")
        assert (wide.loc["2020-12"] > wide.loc["2020-02"]).all(), series
    spt = frame[(frame["measure"] == "sjukpenningtal") & (frame["sex"] == "alla") & (frame["area"] == UPPSALA)]
    spt = spt.set_index("month")["value"]
    assert 9.5 < spt["2016-09"] < 11.5 and spt["2019-12"] < spt["2016-09"]


# ---------------------------------------------------------------------------------------------
# pa_vag and omstallning: interview list and coded corpus
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["pa_vag", "omstallning"])
def test_corpus_loads_and_both_coders_coded_every_interview(demos, name: str) -> None:
    raw = demos[name][0]
    corpus = load_corpus(raw / "qual")
    assert corpus.synthetic
    interviews = set(corpus.sources["interview_id"])
    assert interviews == {p.stem for p in (raw / "qual" / "transkript").glob("*.txt")}
    codings = corpus.codings.merge(corpus.coders.rename(columns={"guid": "coder_guid", "name": "coder"}),
                                   on="coder_guid").merge(corpus.sources[["guid", "interview_id"]],
                                                          left_on="source_guid", right_on="guid")
    assert set(codings["coder"]) == {"kodare_A", "kodare_B"}
    for coder, part in codings.groupby("coder"):
        assert set(part["interview_id"]) == interviews, coder
    # the coders agree mostly, not always: on which codes an interview has, and (less) on exact spans
    for key, low, high in ((["interview_id", "code_guid"], 0.75, 0.98),
                           (["interview_id", "start", "end", "code_guid"], 0.45, 0.9)):
        a = set(map(tuple, codings[codings["coder"] == "kodare_A"][key].to_numpy()))
        b = set(map(tuple, codings[codings["coder"] == "kodare_B"][key].to_numpy()))
        assert low < len(a & b) / len(a | b) < high, key
    codable = set(corpus.codes.loc[corpus.codes["is_codable"], "guid"])
    assert set(corpus.codings["code_guid"]) <= codable


@pytest.mark.parametrize("name", ["pa_vag", "omstallning"])
def test_transcripts_name_nobody(demos, name: str) -> None:
    for transcript in sorted((demos[name][0] / "qual" / "transkript").glob("*.txt")):
        words = set(re.findall(r"[A-ZÅÄÖ][a-zåäöé]+", transcript.read_text(encoding="utf-8")))
        assert not words & FIRST_NAMES, transcript.name


def test_pa_vag_interviews(demos) -> None:
    interviews = load_tables(demos["pa_vag"][1])["interviews"]
    assert 10 <= len(interviews) <= 14
    assert set(interviews["municipality_code"]) == {SKURUP, SVEDALA}   # Skurup and Svedala only
    assert set(interviews["role"]) == PA_VAG_ROLES
    assert (interviews["mode"] == "group").sum() >= 2                 # focus groups
    dates = pd.to_datetime(interviews["date"])
    assert dates.between("2019-05-01", "2020-12-31").all()
    assert all(role in ROLE_LABELS for role in interviews["role"])


def test_pa_vag_pandemic_only_after_it_began(demos) -> None:
    corpus = load_corpus(demos["pa_vag"][0] / "qual")
    pandemic = corpus.codes.loc[corpus.codes["code_id"] == "pandemins_paverkan", "guid"].item()
    coded = corpus.codings[corpus.codings["code_guid"] == pandemic]["source_guid"]
    dates = corpus.sources.set_index("guid").loc[coded.unique(), "date"]
    assert len(dates) and (pd.to_datetime(dates) >= "2020-03-01").all()
    for source in corpus.sources.itertuples():
        if pd.Timestamp(source.date) < pd.Timestamp("2020-03-01"):
            assert "pandemi" not in source.text.lower(), source.interview_id


def test_omstallning_interviews(demos) -> None:
    interviews = load_tables(demos["omstallning"][1])["interviews"]
    assert 8 <= len(interviews) <= 12
    assert {county_of(c) for c in interviews["municipality_code"]} == {VARMLAND}
    assert set(interviews["role"]) == OMSTALLNING_ROLES
    assert pd.to_datetime(interviews["date"]).between("2018-02-15", "2019-01-31").all()
    assert all(role in ROLE_LABELS for role in interviews["role"])
