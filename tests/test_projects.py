"""The cross-project view (issue 9, item 4): fouress_eval.projects and notebooks/30_projects.ipynb.

Expected values are computed by hand or straight from the raw files, never through the functions
under test: a tiny evaluation with a hand-made participant register and sjukpenningtal series, a
tiny hand-made interview corpus, and the 4-Ess demo codings read with the csv module.
"""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest
import yaml

from fouress_eval import projects
from fouress_eval.demo.sister import write_evaluation_demo
from fouress_eval.errors import InputError
from fouress_eval.evaluation import list_evaluations, load_evaluation
from fouress_eval.labels import label

ROOT = Path(__file__).resolve().parents[1]

TINY = """\
name: tiny
title: Litet testprojekt
owner: Skurups kommun
sites:
  - municipality: "1264"
period: {start: 2019-05-01, end: 2020-12-31}
baseline: 2019-04
interruptions:
  - {name: project start, start: 2019-05}
comparison: []
target_group: People in a test.
outcomes:
  - {name: sjukpenningtal, source: sickpay, series: sjukpenningtal, measure: sjukpenningtal, unit: days,
     rolling_12m: true, level: municipality}
targets:
  participants: {total: 10, K: 6, M: 4}
  goals:
    - {name: spt_june, value: 9.0, unit: days, date: 2020-06-30, outcome: sjukpenningtal, direction: at_most}
    - {name: spt_february, value: 10.0, unit: days, date: 2020-02-15, outcome: sjukpenningtal, direction: at_least}
    - {name: spt_too_early, value: 10.0, unit: days, date: 2019-12-31, outcome: sjukpenningtal}
    - {name: unlinked_goal, value: 20, unit: "%", date: 2020-12-31}
reported:
  - {name: cases_handled, value: 35, unit: cases, description: cases handled}
interviews:
  corpus: data_raw/tiny/qual
  codebook: data_raw/tiny/qual/kodbok.yml
report: {min_count: MIN}
"""

BARE = """\
name: bare
title: Projekt utan data
owner: Uppsala län
sites:
  - county: "03"
period: {start: 2016-09-01, end: 2018-07-31}
baseline: 2016-08
interruptions:
  - {name: project start, start: 2016-09}
target_group: People without data.
outcomes:
  - {name: sjukpenningtal, source: sickpay, measure: sjukpenningtal, unit: days, rolling_12m: true, level: county}
targets:
  participants: {total: 50}
  goals:
    - {name: spt, value: 9.0, unit: days, date: 2018-07-31, outcome: sjukpenningtal}
"""

CODEBOOK = """\
name: Liten kodbok
themes:
  - {id: t1, label_sv: Tema ett, label_en: Theme one}
codes:
  - {id: a, parent: t1, label_sv: Kod a, label_en: Code a}
  - {id: b, parent: t1, label_sv: Kod b, label_en: Code b}
  - {id: c, label_sv: Kod c, label_en: Code c}
"""
TEXT = "Första meningen om något. Andra meningen om annat. Tredje meningen här.\n"
# interview, start, end, code, coder. kodare_A comes first in the file, so it is the first coder.
CODINGS = [("I1", 0, 25, "a", "kodare_A"), ("I1", 26, 50, "b", "kodare_B"), ("I2", 0, 25, "b", "kodare_A"),
           ("I3", 0, 25, "c", "kodare_A"), ("I4", 26, 50, "c", "kodare_B"), ("I4", 0, 25, "a", "kodare_B")]
MAPPING = """\
themes:
  - id: only_a
    label_sv: Bara a
    label_en: Only a
    codes:
      tiny: [a]
  - id: theme_one
    label_sv: Tema ett med underkoder
    label_en: Theme one with its codes
    codes:
      tiny: [t1]
  - id: only_c
    label_sv: Bara c
    label_en: Only c
    codes:
      tiny: [c]
"""


def _write_root(root: Path, min_count: int = 1) -> Path:
    """A project root with two evaluations: ``tiny`` (prepared data, interviews) and ``bare`` (nothing)."""
    (root / "evaluations").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "evaluations" / "tiny.yml").write_text(TINY.replace("MIN", str(min_count)), encoding="utf-8")
    (root / "evaluations" / "bare.yml").write_text(BARE, encoding="utf-8")
    processed = root / "data_processed" / "tiny"
    processed.mkdir(parents=True, exist_ok=True)
    people = pd.DataFrame({
        "participant_id": [f"P-{i:012x}" for i in range(5)], "municipality_code": "1264",
        "sex": ["K", "K", "K", "M", "M"], "sector": "school",
        "start_date": pd.to_datetime(["2019-06-01", "2019-07-01", "2019-08-01", "2019-09-01", "2019-10-01"]),
        "end_date": pd.to_datetime([None] * 5), "entry_compensation": "full_time_sick_leave",
        "exit_compensation": None, "exit_reason": None})
    people.to_parquet(processed / "participants.parquet")
    months = pd.period_range("2020-01", "2020-05", freq="M")
    own = [10.4, 10.2, 9.9, 9.6, None]  # May is missing: the June goal takes April's 9.6
    rows = [dict(area_level="kommun", municipality_code="1264", county_code="12", sex="alla", age_group="alla",
                 month=m, measure="sjukpenningtal", measure_version="1.0", value=v, denominator=1000.0,
                 suppressed=v is None) for m, v in zip(months, own)]
    rows += [dict(area_level="kommun", municipality_code="1264", county_code="12", sex="K", age_group="alla",
                  month=m, measure="sjukpenningtal", measure_version="1.0", value=99.0, denominator=500.0,
                  suppressed=False) for m in months]  # women only: not the series
    rows += [dict(area_level="kommun", municipality_code="1263", county_code="12", sex="alla", age_group="alla",
                  month=m, measure="sjukpenningtal", measure_version="1.0", value=5.0, denominator=900.0,
                  suppressed=False) for m in months]  # another municipality
    pd.DataFrame(rows).to_parquet(processed / "sickpay_monthly.parquet")
    (processed / "manifest.json").write_text(json.dumps({
        "created": "2024-01-02T03:04:05+00:00", "synthetic": False, "inputs": [],
        "outputs": [{"table": "participants"}, {"table": "sickpay_monthly"}]}), encoding="utf-8")
    qual = root / "data_raw" / "tiny" / "qual"
    (qual / "transkript").mkdir(parents=True, exist_ok=True)
    (qual / "kodbok.yml").write_text(CODEBOOK, encoding="utf-8")
    for interview in ("I1", "I2", "I3", "I4"):
        (qual / "transkript" / f"{interview}.txt").write_text(TEXT, encoding="utf-8")
    (qual.parent / "intervjuer.csv").write_text(
        "Intervju-id;Roll;Kommun;Datum;Form\nI1;Chef;Skurup;2020-01-10;Individuell\n"
        "I2;Chef;Skurup;2020-01-11;Individuell\nI3;Handläggare FK;Skurup;2020-01-12;Grupp\n"
        "I4;Handläggare FK;Skurup;2020-01-13;Individuell\n", encoding="utf-8")
    (qual / "kodningar.csv").write_text("interview_id;start;end;code_id;coder\n" + "".join(
        f"{i};{s};{e};{c};{k}\n" for i, s, e, c, k in CODINGS), encoding="utf-8")
    (root / "shared_themes.yml").write_text(MAPPING, encoding="utf-8")
    return root


@pytest.fixture
def tiny_root(tmp_path) -> Path:
    return _write_root(tmp_path / "project")


def _by_indicator(rows: pd.DataFrame, evaluation: str) -> dict[str, dict]:
    part = rows[rows["evaluation"] == evaluation]
    return {r["indicator"]: r for r in part.to_dict("records")}


# ----------------------------------------------------------------------------------------- collect
def test_collect_loads_every_configuration_in_name_order(tiny_root):
    evaluations = projects.collect(root=tiny_root)
    assert [e.name for e in evaluations] == ["bare", "tiny"]
    assert [e.name for e in projects.collect(["tiny"], root=tiny_root)] == ["tiny"]
    assert [e.name for e in projects.collect([], root=tiny_root)] == ["bare", "tiny"]


def test_collect_skips_nothing_silently(tiny_root):
    with pytest.raises(InputError, match="no such evaluation"):
        projects.collect(["nosuch"], root=tiny_root)
    (tiny_root / "evaluations" / "broken.yml").write_text(BARE.replace("name: bare", "name: broken")
                                                          .replace("baseline: 2016-08", "baseline: 2017-08"))
    with pytest.raises(InputError) as error:
        projects.collect(root=tiny_root)
    assert "broken.yml" in str(error.value) and "baseline" in str(error.value)


def test_collect_of_an_empty_folder_says_what_is_missing(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    with pytest.raises(InputError, match="no evaluation configurations found"):
        projects.collect(root=tmp_path)


def test_collect_defaults_to_the_projects_evaluations():
    assert [e.name for e in projects.collect(root=ROOT)] == list_evaluations(ROOT)


# ----------------------------------------------------------------------------------------- targets
def test_participants_against_the_register(tiny_root):
    rows = _by_indicator(projects.target_rows(projects.collect(["tiny"], root=tiny_root)), "tiny")
    # 3 women and 2 men in the hand-made register, against targets of 10 (6 women, 4 men)
    assert (rows["participants"]["target"], rows["participants"]["outcome"]) == (10, 5)
    assert rows["participants"]["attainment_pct"] == pytest.approx(50.0)
    assert (rows["participants_women"]["outcome"], rows["participants_women"]["attainment_pct"]) == (3, 50.0)
    assert (rows["participants_men"]["outcome"], rows["participants_men"]["attainment_pct"]) == (2, 50.0)


def test_small_participant_counts_are_suppressed(tmp_path):
    root = _write_root(tmp_path / "project", min_count=5)
    rows = _by_indicator(projects.target_rows(projects.collect(["tiny"], root=root)), "tiny")
    assert rows["participants"]["outcome"] == 5 and rows["participants"]["attainment_pct"] == pytest.approx(50.0)
    for key in ("participants_women", "participants_men"):  # 3 and 2 are below 5; their attainment would tell them
        assert rows[key]["outcome"] == "<5" and rows[key]["attainment_pct"] == "<5"
    overview = projects.overview_table(projects.collect(["tiny"], root=root))
    assert overview[label("pj_col_register")].iloc[0] == "ja (5 deltagare)"


def test_goals_on_an_outcome_series_take_the_goal_month_or_the_last_month_before(tiny_root):
    rows = _by_indicator(projects.target_rows(projects.collect(["tiny"], root=tiny_root), "en"), "tiny")
    june = rows["spt_june"]  # no value in May or June 2020: April's 9.6, set by hand
    assert (june["outcome"], june["as_of"], june["site"]) == (9.6, "2020-04", "Skurup")
    assert june["difference"] == pytest.approx(9.6 - 9.0)
    assert "2020-04" in june["note"] and june["attainment_pct"] is None
    february = rows["spt_february"]
    assert (february["outcome"], february["as_of"]) == (10.2, "2020-02")
    assert february["difference"] == pytest.approx(0.2)
    assert february["note"] == label("pj_note_at_month", "en")
    early = rows["spt_too_early"]
    assert early["outcome"] is None and "2019-12" in early["note"]
    # a ceiling of 9.0 with 9.6 is not met; a floor of 10.0 with 10.2 is; no direction, no verdict
    assert (june["met"], february["met"], early["met"]) == (False, True, None)
    table = projects.targets_table(projects.collect(["tiny"], root=tiny_root), "en")
    assert set(table["Met"].dropna()) == {"yes", "no"}  # shown in the report's language


def test_a_goal_direction_must_be_a_floor_or_a_ceiling(tmp_path):
    root = _write_root(tmp_path / "project", min_count=1)
    path = root / "evaluations" / "tiny.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("direction: at_most", "direction: lower"),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"targets\.goals\[0\]\.direction.*at_least, at_most"):
        projects.collect(["tiny"], root=root)


def test_goals_without_data_and_published_figures(tiny_root):
    rows = _by_indicator(projects.target_rows(projects.collect(["tiny"], root=tiny_root)), "tiny")
    assert rows["unlinked_goal"]["outcome"] is None
    assert rows["unlinked_goal"]["note"] == label("pj_note_not_linked")
    assert rows["cases_handled"]["kind"] == "reported" and rows["cases_handled"]["outcome"] == 35
    assert rows["cases_handled"]["target"] is None


def test_an_evaluation_without_prepared_data_says_so_and_nothing_raises(tiny_root):
    evaluations = projects.collect(["bare"], root=tiny_root)
    rows = projects.target_rows(evaluations)
    assert list(rows["indicator"]) == ["participants", "spt"]
    assert rows["outcome"].isna().all()
    assert all("fouress-eval prepare --evaluation bare" in note for note in rows["note"])
    overview = projects.overview_table(evaluations).iloc[0]
    assert overview[label("pj_col_prepared")].startswith("nej")
    assert overview[label("pj_col_register")] == label("pj_no_data_short")
    assert overview[label("pj_col_sites")] == "Uppsala län"
    table = projects.targets_table(evaluations, "en")
    assert list(table["Kind"]) == ["Planned participants", "Goal"]
    assert table["Site"].iloc[1] == "Uppsala County"
    counts = projects.theme_counts(evaluations, tiny_root / "shared_themes.yml")
    assert set(counts["status"]) == {"no_interviews"}
    assert set(projects.shared_themes(evaluations, mapping=tiny_root / "shared_themes.yml").iloc[:, 0]) == {"–"}


def test_an_evaluation_without_targets_gets_one_row(tmp_path):
    root = _write_root(tmp_path / "project")
    text = BARE.replace("targets:\n  participants: {total: 50}\n  goals:\n"
                        "    - {name: spt, value: 9.0, unit: days, date: 2018-07-31, outcome: sjukpenningtal}\n", "")
    (root / "evaluations" / "bare.yml").write_text(text)
    rows = projects.target_rows(projects.collect(["bare"], root=root))
    assert list(rows["kind"]) == ["none"] and rows["note"].iloc[0] == label("pj_note_no_targets")


# ----------------------------------------------------------------------------------------- overview
def test_overview_rows_and_english_labels(tiny_root):
    evaluations = projects.collect(root=tiny_root)
    table = projects.overview_table(evaluations, "en")
    assert list(table["Evaluation"]) == ["Projekt utan data", "Litet testprojekt"]
    tiny = table.iloc[1]
    assert tiny["Sites"] == "Skurup" and tiny["Baseline month"] == "2019-04"
    assert tiny["Project period"] == "2019-05-01 – 2020-12-31"
    assert tiny["Prepared data"] == "yes (prepared 2024-01-02)"
    assert tiny["Participant register"] == "yes (5 participants)"
    assert tiny["Interviews"] == "yes (4 interviews)"
    assert tiny["Outcome series"] == "sjukpenningtal (days, rolling 12 months)"
    assert tiny["Outcome series with data"] == "sjukpenningtal: 2020-01–2020-04"
    assert table.iloc[0]["Interviews"] == "no – " + label("pj_no_corpus", "en")
    swedish = projects.overview_table(evaluations)
    assert list(swedish.columns[:3]) == ["Utvärdering", "Projektägare", "Platser"]
    with pytest.raises(InputError, match="language"):
        projects.overview_table(evaluations, "de")


def test_overview_of_the_projects_evaluations_names_counties():
    table = projects.overview_table(projects.collect(["kunskapsstod"], root=ROOT))
    assert table[label("pj_col_sites")].iloc[0] == "Uppsala län"
    assert table[label("pj_col_evaluation")].iloc[0] == load_evaluation("kunskapsstod", root=ROOT).title


# ----------------------------------------------------------------------------------------- themes
def test_theme_counts_on_a_hand_made_corpus(tiny_root):
    mapping = tiny_root / "shared_themes.yml"
    counts = projects.theme_counts(projects.collect(["tiny"], root=tiny_root), mapping).set_index("theme")
    # first coder kodare_A: a in I1; b in I2; c in I3 (kodare_B's a and c in I4 and b in I1 do not count)
    assert counts.loc["only_a", "interviews"] == 1
    assert counts.loc["theme_one", "interviews"] == 2  # the theme id stands for a and b: I1 and I2
    assert counts.loc["only_c", "interviews"] == 1
    assert set(counts["total"]) == {4}
    assert counts.loc["theme_one", "share"] == pytest.approx(0.5)
    table = projects.shared_themes(projects.collect(root=tiny_root), mapping=mapping)
    assert list(table.columns) == ["Projekt utan data", "Litet testprojekt (n=4)", label("pj_theme_projects")]
    assert list(table["Litet testprojekt (n=4)"]) == ["1 (25 %)", "2 (50 %)", "1 (25 %)"]
    assert list(table.index) == ["Bara a", "Tema ett med underkoder", "Bara c"]
    english = projects.shared_themes(projects.collect(["tiny"], root=tiny_root), "en", mapping=mapping)
    assert list(english.index) == ["Only a", "Theme one with its codes", "Only c"]


def test_a_theme_without_a_code_for_an_evaluation_says_so(tiny_root):
    # a second evaluation that reads the same corpus, and a theme only it has a code for
    (tiny_root / "evaluations" / "other.yml").write_text(
        TINY.replace("MIN", "1").replace("name: tiny", "name: other").replace("Litet testprojekt", "Annat projekt"))
    mapping = tiny_root / "shared_themes.yml"
    mapping.write_text(MAPPING + "  - {id: only_other, label_sv: Bara det andra, label_en: Only the other, "
                                 "codes: {other: [c]}}\n")
    evaluations = projects.collect(["tiny", "other"], root=tiny_root)
    counts = projects.theme_counts(evaluations, mapping).set_index(["theme", "evaluation"])
    assert counts.loc[("only_other", "tiny"), "status"] == "no_code"
    assert counts.loc[("only_other", "other"), "interviews"] == 1
    table = projects.shared_themes(evaluations, mapping=mapping)
    assert table.loc["Bara det andra", "Litet testprojekt (n=4)"] == label("pj_no_code")
    assert table.loc["Bara det andra", label("pj_theme_projects")] == "1 av 1"
    assert table.loc["Bara a", "Annat projekt (n=4)"] == label("pj_no_code")


def test_the_4ess_demo_corpus_counts_match_the_codings_file():
    mapping = projects.load_shared_themes(root=ROOT)
    qual = ROOT / "data_raw" / "demo" / "qual"
    with open(qual / "kodningar.csv", encoding="utf-8") as handle:
        codings = list(csv.DictReader(handle, delimiter=";"))
    with open(qual.parent / "intervjuer.csv", encoding="utf-8") as handle:
        interviews = len(list(csv.DictReader(handle, delimiter=";")))
    first = codings[0]["coder"]
    leaf_codes = {c["id"] for c in yaml.safe_load((qual / "kodbok.yml").read_text(encoding="utf-8"))["codes"]}
    expected = {}
    for theme in mapping:
        ids = set(theme.codes.get("fouress", ()))
        assert ids <= leaf_codes  # codes, not theme ids: the count below needs no hierarchy
        if ids:
            expected[theme.id] = len({r["interview_id"] for r in codings if r["coder"] == first and r["code_id"] in ids})
    counts = projects.theme_counts(projects.collect(["fouress"], root=ROOT)).set_index("theme")
    assert expected and {t: counts.loc[t, "interviews"] for t in expected} == expected
    assert set(counts["total"]) == {interviews}
    unmapped = [t.id for t in mapping if "fouress" not in t.codes]
    assert all(counts.loc[t, "status"] == "no_code" for t in unmapped)


# ----------------------------------------------------------------------------------------- mapping
def _mapping_error(root: Path, text: str) -> str:
    path = root / "bad_themes.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(InputError) as error:
        projects.load_shared_themes(path, root=root)
    message = str(error.value)
    assert "bad_themes.yml" in message
    return message


def test_mapping_validation_names_file_key_and_expected_values(tiny_root):
    message = _mapping_error(tiny_root, """\
        themes:
          - {id: x, label_sv: X, label_en: X, codes: {nosuch: [a]}}
        """)
    assert "themes[0].codes.nosuch" in message and "unknown evaluation" in message
    assert "bare, tiny" in message and "(line 2)" in message
    message = _mapping_error(tiny_root, """\
        themes:
          - id: x
            label_sv: X
            label_en: X
            codes:
              tiny: [a, zz]
        """)
    assert "themes[0].codes.tiny[1]" in message and "'zz'" in message and "a, b, c, t1" in message
    message = _mapping_error(tiny_root, """\
        themes:
          - {id: x, label_sv: X, label_en: X, codes: {bare: [a]}}
        """)
    assert "without interviews" in message and "tiny" in message
    message = _mapping_error(tiny_root, """\
        themes:
          - {id: x, label_sv: X, codes: {tiny: [a]}}
        """)
    assert "themes[0].label_en" in message and "missing" in message
    message = _mapping_error(tiny_root, """\
        themes:
          - {id: x, label_sv: X, label_en: X, codes: {tiny: [a]}}
          - {id: x, label_sv: Y, label_en: Y, codes: {tiny: [b]}}
        """)
    assert "themes[1].id" in message and "repeats" in message
    message = _mapping_error(tiny_root, "themes:\n  - {id: x, label_sv: X, label_en: X, colour: red, codes: {tiny: [a]}}\n")
    assert "themes[0].colour" in message
    assert "themes" in _mapping_error(tiny_root, "topics: []\n")


def test_the_packaged_mapping_is_valid_for_every_codebook():
    themes = projects.load_shared_themes(root=ROOT)
    assert len(themes) >= 5 and len({t.id for t in themes}) == len(themes)
    assert set().union(*(t.codes for t in themes)) <= set(list_evaluations(ROOT))
    for theme in themes:  # a shared theme is shared: at least two projects have a code for it
        assert len(theme.codes) >= 2, theme.id


@pytest.mark.parametrize("name", ["pa_vag", "omstallning"])
def test_the_packaged_mapping_matches_the_sister_demo_codebooks(tmp_path, name):
    """The sister projects' codebooks come from their demo generator; check the mapping against it
    even when data_raw/<name> has not been written in this checkout."""
    write_evaluation_demo(name, tmp_path / name)
    entries = yaml.safe_load((tmp_path / name / "qual" / "kodbok.yml").read_text(encoding="utf-8"))
    ids = {e["id"] for key in ("themes", "codes") for e in entries.get(key) or []}
    mapped = [c for t in projects.load_shared_themes(root=ROOT) for c in t.codes.get(name, ())]
    assert mapped and set(mapped) <= ids


# ----------------------------------------------------------------------------------------- header, reading
def test_header_states_configs_checksums_version_and_synthetic_banner(tiny_root):
    import hashlib

    from fouress_eval import __version__

    evaluations = projects.collect(root=tiny_root)
    text = projects.header_markdown(evaluations, {"language": "sv"})
    digest = hashlib.sha256((tiny_root / "evaluations" / "tiny.yml").read_bytes()).hexdigest()[:12]
    assert "`evaluations/tiny.yml`" in text and digest in text and __version__ in text
    assert label("synthetic_banner") not in text
    (tiny_root / "data_raw" / "bare").mkdir(parents=True)
    (tiny_root / "data_raw" / "bare" / "_synthetic.json").write_text('{"synthetic": true}')
    text = projects.header_markdown(evaluations, language="en")
    assert label("synthetic_banner", "en") in text and "synthetic data" in text


def test_reading_states_targets_and_shared_themes(tiny_root):
    evaluations = projects.collect(root=tiny_root)
    text = projects.reading(evaluations, mapping=tiny_root / "shared_themes.yml")
    assert "Litet testprojekt: 5 av 10 planerade deltagare (50 %)" in text
    assert "9,6 days i Skurup 2020-04" in text
    assert "mot målet 9 days till 2020-06-30 (inte nått)" in text and "(nått)" in text
    assert label("pj_read_one_corpus") in text  # only one of the two has interviews
    english = projects.reading(evaluations, "en", mapping=tiny_root / "shared_themes.yml")
    assert "5 of 10 planned participants (50 %)" in english


# ----------------------------------------------------------------------------------------- notebook
def test_the_notebook_runs_and_names_every_evaluation(tmp_path):
    out = tmp_path / "30_projects.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "30_projects.ipynb"), str(out), kernel_name="python3",
                        progress_bar=False, parameters={"out_dir": str(tmp_path / "report")},
                        cwd=str(ROOT / "notebooks"))
    executed = nbformat.read(str(out), as_version=4)
    text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get("text/html", ""))
                     + str(o.get("text", "")) for c in executed.cells for o in c.get("outputs", []))
    for name in list_evaluations(ROOT):
        assert load_evaluation(name, root=ROOT).title in text
    assert label("pj_title") in text
    for table in ("overview", "targets", "shared_themes"):
        assert (tmp_path / "report" / "tables" / "30_projects" / f"{table}.csv").is_file()
    assert (tmp_path / "report" / "tabeller.xlsx").is_file()


def test_a_count_hidden_by_sex_cannot_be_worked_out_from_the_total(tmp_path):
    """The overview shows the register's total (5), so with a target for women only, showing the
    women (3 ≥ min_count 3) would reveal the men (5 − 3 = 2 < 3): the women are hidden too."""
    root = _write_root(tmp_path / "project", min_count=3)
    config = root / "evaluations" / "tiny.yml"
    config.write_text(config.read_text().replace("{total: 10, K: 6, M: 4}", "{K: 6}"))
    evaluations = projects.collect(["tiny"], root=root)
    rows = _by_indicator(projects.target_rows(evaluations), "tiny")
    assert set(rows) & {"participants", "participants_men"} == set()
    assert rows["participants_women"]["outcome"] == ".." and rows["participants_women"]["attainment_pct"] == ".."
    assert projects.overview_table(evaluations)[label("pj_col_register")].iloc[0] == "ja (5 deltagare)"
