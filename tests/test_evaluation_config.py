"""Evaluation configurations (issue 9, first part): fouress.yml, validation errors, skeleton, round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from fouress_eval.config import Settings
from fouress_eval.errors import InputError
from fouress_eval.evaluation import KINDS, LEVELS, SOURCES, list_evaluations, load_evaluation, skeleton
from fouress_eval.metrics.targets import INDICATORS
from fouress_eval.municipalities import counties, municipalities

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FIELDS = ("municipalities", "baseline", "intervention_start", "intervention_end", "covid_start",
                   "data_cutoff", "min_count", "min_employees", "language")


# --- fouress.yml ---------------------------------------------------------------------------------

# What the package used as built-in 4-Ess defaults before issue 9, typed in from DESIGN.md section 3.
FOURESS_BEFORE = {"municipalities": ("0781", "0834", "0884"), "baseline": pd.Period("2016-08", "M"),
                  "intervention_start": pd.Period("2017-02", "M"), "intervention_end": pd.Period("2020-01", "M"),
                  "covid_start": pd.Period("2020-03", "M"), "data_cutoff": pd.Timestamp("2019-10-31"),
                  "min_count": 5, "min_employees": 10, "language": "sv",
                  "follow_up": (pd.Period("2019-09", "M"), pd.Period("2019-11", "M")),
                  "interventions": (pd.Period("2017-02", "M"),)}


def test_fouress_settings_equal_the_former_defaults():
    evaluation = load_evaluation("fouress", root=ROOT)
    ours = evaluation.settings()
    for name, value in FOURESS_BEFORE.items():
        assert getattr(ours, name) == value, name
    assert ours.raw_dir == ROOT / "data_raw" / "demo" and ours.processed_dir == ROOT / "data_processed" / "fouress"
    assert ours.reports_dir == ROOT / "reports" / "fouress" and ours.qual_dir == ROOT / "data_raw" / "demo" / "qual"
    assert evaluation.settings(language="en").language == "en"
    assert Settings(project_root=ROOT).sites == () and Settings(project_root=ROOT).baseline is None


def test_settings_site_resolution():
    settings = load_evaluation("fouress", root=ROOT).settings()
    assert settings.site("") == "0781" and settings.site("Torsås") == "0834" and settings.site("all") == "all"
    assert settings.site("Kalmar län") == "08"
    with pytest.raises(InputError, match="unknown site"):
        settings.site("Atlantis")


def test_fouress_content():
    evaluation = load_evaluation(ROOT / "evaluations" / "fouress.yml")
    assert evaluation.municipalities == ("0781", "0834", "0884")
    assert [len(s.health_centres) for s in evaluation.sites] == [2, 1, 1]
    assert (evaluation.period_start, evaluation.period_end) == (pd.Timestamp("2017-02-01"), pd.Timestamp("2020-01-31"))
    assert [i.kind for i in evaluation.interruptions] == ["intervention", "external"]
    assert {o.name: o.rolling_12m for o in evaluation.outcomes} == {
        "employee_sick_leave": False, "sjukpenningtal": True, "fm_sick_listings": False}
    targets = evaluation.indicator_targets()
    assert targets == {"participants": 200, "participants_women": 150, "participants_men": 50,  # ESF application
                       "back_in_work_pct": 80, "salary_at_exit_pct": 60, "follow_up_per_participant": 2.0}
    # the project published no indicator goals: the three in the file say they are invented
    assert all("invented" in g.source for g in evaluation.targets.goals)
    assert len(evaluation.roles) == 7 and (ROOT / evaluation.codebook).is_file()
    assert all(u.code[:2] in ("07", "08") for u in evaluation.comparison_units())
    assert "fouress" in list_evaluations(ROOT)


# --- bad configurations ----------------------------------------------------------------------------

BASE = {
    "name": "demo_eval", "title": "Demo", "owner": "Försäkringskassan",
    "sites": [{"municipality": "Ljungby"}, {"municipality": "0834", "health_centres": ["VC Torsås"]},
              {"municipality": "Vimmerby"}],
    "period": {"start": "2017-02-01", "end": "2020-01-31"}, "baseline": "2016-08",
    "interruptions": [{"name": "project start", "start": "2017-02"},
                      {"name": "COVID-19", "start": "2020-03", "kind": "external"}],
    "target_group": "employees at risk of sick leave", "comparison": "same_county",
    "outcomes": [{"name": "sick_leave", "source": "personnel_hours", "measure": "sick hours / scheduled hours",
                  "unit": "%", "rolling_12m": False, "level": "municipality"}],
    "targets": {"participants": {"total": 200, "K": 150, "M": 50},
                "goals": [{"name": "sjukpenningtal", "value": 9.0, "unit": "days", "date": "2020-12-31"}]},
    "report": {"language": "sv", "min_count": 5, "min_employees": 10},
}


def _write(tmp_path: Path, config: dict, name: str = "demo_eval") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_base_config_loads(tmp_path):
    evaluation = load_evaluation(_write(tmp_path, BASE))
    assert evaluation.municipalities == ("0781", "0834", "0884")
    assert evaluation.settings().intervention_end == pd.Period("2020-01", "M")  # the period's last month
    assert evaluation.raw_dir == "data_raw/demo_eval" and evaluation.data_cutoff == pd.Timestamp("2020-01-31")


def _set(config: dict, path: str, value) -> dict:
    config = copy.deepcopy(config)
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    target = config
    for key in keys[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return config


class _Delete:
    def __repr__(self) -> str:
        return "<deleted>"


_DELETE = _Delete()

BAD = [  # (key path to change, new value, key path in the message, words of the expectation)
    ("site", [{"municipality": "Ljungby"}], "site", "did you mean 'sites'"),
    ("sites[1].helth_centres", ["x"], "sites[1].helth_centres", "did you mean 'health_centres'"),
    ("sites[2].municipality", "Atlantis", "sites[2].municipality", "290 municipality codes"),
    ("sites[0]", {"county": "Narnia län"}, "sites[0].county", "21 county codes"),
    ("sites[0]", {"municipality": "Ljungby", "county": "07"}, "sites[0]", "exactly one"),
    ("baseline", "2017-03", "baseline", "a month before 2017-02 (project start)"),
    ("baseline", "August 2016", "baseline", "YYYY-MM"),
    ("interruptions[0].start", "2016-12", "interruptions[0].start", "a month from 2017-02 to 2020-01"),
    ("interruptions[0].end", "2021-06", "interruptions[0].end", "a month from 2017-02 to 2020-01"),
    ("interruptions[0].kind", "intervension", "interruptions[0].kind", "one of intervention, phase, external"),
    ("period.end", "2016-12-31", "period.end", "a date after 2017-02-01"),
    ("period.start", "2017-02-30", "period.start", "YYYY-MM-DD"),
    ("interruptions[1].end", "2020-01", "interruptions[1].end", "a month from 2020-03 on"),
    ("targets.participants.X", 3, "targets.participants.X", "K (women) or M (men)"),
    ("targets.participants.k", 3, "targets.participants.k", "did you mean 'K'"),
    ("targets.participants.K", "many", "targets.participants.K", "a whole number"),
    ("targets.participants.total", 190, "targets.participants.total", "K + M = 200"),
    ("targets.participants.M", -5, "targets.participants.M", "a whole number of at least 0"),
    ("targets.goals[0].value", "nine", "targets.goals[0].value", "a number"),
    ("targets.goals[0].unit", _DELETE, "targets.goals[0].unit", "a unit"),
    ("targets.goals[0].name", "back_in_work_pct", "targets.goals[0].unit", "'%'"),
    ("targets.goals[0]", {"name": "back_in_work_pct", "value": 120, "date": "2020-01-31"},
     "targets.goals[0].value", "at most 100"),
    ("report.language", "de", "report.language", "one of sv, en"),
    ("report.min_count", 0, "report.min_count", "at least 1"),
    ("outcomes[0].source", "fk", "outcomes[0].source", "one of personnel_hours, sickpay, kolada, clinic"),
    ("outcomes[0].rolling_12m", "yes please", "outcomes[0].rolling_12m", "true or false"),
    ("outcomes[0].level", ["municipality", "region"], "outcomes[0].level", "health_centre"),
    ("comparison", "neighbours", "comparison", "same_county"),
    ("comparison", [{"municipality": "Emmaboda"}, "Nowhere"], "comparison[1].municipality", "290 municipality"),
    ("title", _DELETE, "title", "this key is required"),
    ("title", "<project title>", "title", "your own value"),
    ("name", "other", "name", "'demo_eval'"),
    ("sites[2]", {"municipality": "Ljungby"}, "sites[2]", "each site once"),
    ("interruptions[1].kind", "phase", "interruptions[1].start", "kind: external"),
    ("follow_up", {"start": "2016-05", "end": "2016-07"}, "follow_up.start", "a month after 2016-08"),
    ("follow_up", {"start": "2019-11", "end": "2019-09"}, "follow_up.end", "a month from 2019-11 on"),
    ("follow_up", {"start": "2019-09"}, "follow_up.end", "this key is required"),
    ("targets.goals[0].outcome", "sick_leav", "targets.goals[0].outcome", "one of sick_leave"),
    ("reported", [{"name": "cases", "value": "many", "unit": "cases"}], "reported[0].value", "a number"),
    ("reported", [{"name": "cases", "value": 35}], "reported[0].unit", "this key is required"),
    ("sites", [{"county": "Uppsala"}], "comparison", "other_counties"),
    ("data", {"procesed_dir": "x"}, "data.procesed_dir", "did you mean 'processed_dir'"),
]


@pytest.mark.parametrize("change, value, key, expected", BAD, ids=[f"{b[0]}={b[1]!r}"[:60] for b in BAD])
def test_bad_configuration_names_file_key_and_expectation(tmp_path, change, value, key, expected):
    with pytest.raises(InputError) as caught:
        load_evaluation(_write(tmp_path, _set(BASE, change, value)))
    message = str(caught.value)
    assert "demo_eval.yml" in message and f"key '{key}'" in message and expected in message, message
    if value is not _DELETE:  # a key that is not there has no line
        assert re.search(r"\(line \d+\)", message), message


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "demo_eval.yml"
    path.write_text("name: demo_eval\ntitle: Demo\nsites:\n  - municipality: [Ljungby\nowner: x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"demo_eval\.yml: not valid YAML at line \d+"):
        load_evaluation(path)


def test_duplicate_key_empty_file_and_unknown_name(tmp_path):
    path = tmp_path / "demo_eval.yml"
    path.write_text("name: demo_eval\ntitle: A\ntitle: B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"key 'title' \(line 3\): appears twice"):
        load_evaluation(path)
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        load_evaluation(path)
    with pytest.raises(InputError, match="no such evaluation.*fouress"):
        load_evaluation("fouresss", root=ROOT)


def test_leading_zero_codes_are_not_octal(tmp_path):
    config = _set(BASE, "sites", [{"municipality": "Ekerö"}])
    text = yaml.safe_dump(config, allow_unicode=True).replace("municipality: Ekerö", "municipality: 0125")
    (tmp_path / "demo_eval.yml").write_text(text, encoding="utf-8")
    assert load_evaluation(tmp_path / "demo_eval.yml").municipalities == ("0125",)


# --- skeleton ---------------------------------------------------------------------------------------

FILL = {
    "<project title>": ["Pilot"], "<project owner, e.g. Försäkringskassan>": ["Skurups kommun"],
    "<funder and project number, e.g. ESF-rådet 2019/00123>": ["Samordningsförbundet"], "<municipality code or name>": ["Skurup"],
    "<health centre or office>": ["Vårdcentralen Skurup"],
    "<YYYY-MM-DD>": ["2019-05-01", "2020-12-31", "2020-12-31", "2020-11-30"],
    "<YYYY-MM>": ["2019-01", "2020-09", "2020-11", "2019-05", "2020-12"],
    "<who the project is for, in words>": ["people aged 18–64"],
    "<short name, e.g. cases_handled>": ["cases_handled"], "<unit, e.g. cases>": ["cases"],
    "<what was counted>": ["cases handled by the method"],
    "<short name, e.g. employee_sick_leave>": ["sick_leave"], "<what is measured>": ["sick hours / scheduled hours"],
    "<number>": [35, 30, 5, 70, 35], "<where the plan is written, e.g. the ESF application>": ["the application"],
    "<e.g. back_in_work_pct, or your own name with a unit>": ["back_in_work_pct"],
}


def test_skeleton_filled_in_loads(tmp_path):
    text = skeleton("pilot")
    (tmp_path / "pilot.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="placeholder|unknown municipality"):
        load_evaluation(tmp_path / "pilot.yml")
    queues = {k: list(v) for k, v in FILL.items()}
    filled = re.sub(r'"(<[^"]*>)"', lambda m: json.dumps(queues[m.group(1)].pop(0)), text)
    assert not re.search(r"\"<[^\"]*>\"", filled) and all(not q for q in queues.values())
    (tmp_path / "pilot.yml").write_text(filled, encoding="utf-8")
    evaluation = load_evaluation(tmp_path / "pilot.yml")
    assert evaluation.municipalities == ("1264",) and evaluation.raw_dir == "data_raw/pilot"
    assert evaluation.indicator_targets() == {"participants": 35, "participants_women": 30, "participants_men": 5,
                                              "back_in_work_pct": 70}
    settings = evaluation.settings()
    assert (settings.baseline, settings.intervention_start, settings.covid_start) == (
        pd.Period("2019-01", "M"), pd.Period("2019-05", "M"), pd.Period("2020-03", "M"))
    assert settings.follow_up == (pd.Period("2020-09", "M"), pd.Period("2020-11", "M"))
    assert [(r.name, r.value) for r in evaluation.reported] == [("cases_handled", 35)]
    assert evaluation.corpus == "data_raw/pilot/qual"


# --- round trip -------------------------------------------------------------------------------------

_TABLE = municipalities()
_MUNIS = list(zip(_TABLE["municipality_code"], _TABLE["municipality_name"]))
_COUNTIES = list(counties()["county_code"])
_WORDS = st.lists(st.sampled_from(["vård", "central", "Östra", "mål: 2", "#1", "team", "yes", "0125", "null",
                                   "ålder 18–64", "O'Brien"]), min_size=1, max_size=3).map(" ".join)


def _unique(strategy, max_size):
    return st.lists(strategy, max_size=max_size, unique=True)


@st.composite
def _configs(draw) -> tuple[dict, dict]:
    """(canonical config as ``Evaluation.to_dict`` writes it, the same as a user might write it)."""
    day = lambda d: d.isoformat()  # noqa: E731
    start = dt.date(2008, 1, 1) + dt.timedelta(draw(st.integers(0, 4000)))
    end = start + dt.timedelta(draw(st.integers(40, 1500)))
    first, last = pd.Period(start, "M"), pd.Period(end, "M")
    month = lambda lo, hi: lo + draw(st.integers(0, (hi - lo).n))  # noqa: E731
    stops = []
    for i in range(draw(st.integers(1, 3))):
        begin = month(first, last)
        stop = {"name": f"phase {i}", "start": str(begin), "kind": draw(st.sampled_from(KINDS[:2]))}
        if draw(st.booleans()):
            stop["end"] = str(month(begin, last))
        stops.append(stop)
    baseline = min(pd.Period(s["start"], "M") for s in stops) - draw(st.integers(1, 24))
    if draw(st.booleans()):
        stops.append({"name": "COVID-19", "start": str(baseline + draw(st.integers(1, 150))), "kind": "external"})
    picks = draw(st.lists(st.sampled_from(_MUNIS), min_size=1, max_size=3, unique=True))
    sites = [{"municipality": code, **({"health_centres": hc} if (hc := draw(_unique(_WORDS, 2))) else {})}
             for code, _ in picks]
    sites += [{"county": c} for c in draw(_unique(st.sampled_from(_COUNTIES), 1))]
    comparison = draw(st.one_of(st.sampled_from(["same_county", "other_counties"]), st.lists(st.one_of(
        st.sampled_from(_MUNIS).map(lambda m: {"municipality": m[0]}),
        st.sampled_from(_COUNTIES).map(lambda c: {"county": c})), max_size=3)))
    outcomes = [{"name": name, "source": draw(st.sampled_from(SOURCES)), "measure": draw(_WORDS),
                 "unit": draw(st.sampled_from(["%", "days", "per 1 000 listed"])), "rolling_12m": draw(st.booleans()),
                 "level": draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3, unique=True))}
                for name in draw(_unique(_WORDS, 3))]
    women, men = draw(st.integers(0, 500)), draw(st.integers(0, 500))
    participants = {"total": women + men, "K": women, "M": men}
    if draw(st.booleans()):
        participants["source"] = draw(_WORDS)
    goals = []
    for name in draw(_unique(st.sampled_from(["back_in_work_pct", "follow_up_per_participant", "sjukpenningtal",
                                              "long cases"]), 3)):
        known = INDICATORS.get(name)
        high = 100.0 if known and known.percent else 1e6
        value = draw(st.floats(0.5 if known else -1e6, high, allow_nan=False))
        goals.append({"name": name, "value": value, "unit": known.unit if known else "days",
                      "date": day(start + dt.timedelta(draw(st.integers(0, 2000))))})
    canon = {
        "name": draw(st.sampled_from(["pilot", "pa_vag", "x1"])), "title": draw(_WORDS), "owner": draw(_WORDS),
        "sites": sites, "period": {"start": day(start), "end": day(end)}, "baseline": str(baseline),
        "interruptions": stops, "comparison": comparison, "target_group": draw(_WORDS), "outcomes": outcomes,
        "targets": {"participants": participants, "goals": goals},
        "interviews": {"codebook": "qual/kodbok.yml", "roles": draw(_unique(st.sampled_from(["manager", "doctor", "hr"]), 3))},
        "report": {"language": draw(st.sampled_from(["sv", "en"])), "min_count": draw(st.integers(1, 20)),
                   "min_employees": draw(st.integers(0, 20))},
        "data": {"raw_dir": "data_raw/x", "data_cutoff": day(end)}}
    if draw(st.booleans()):
        canon["funder"] = draw(_WORDS)
    if draw(st.booleans()):
        first_follow = baseline + draw(st.integers(1, 60))
        canon["follow_up"] = {"start": str(first_follow), "end": str(first_follow + draw(st.integers(0, 3)))}
    for outcome in outcomes:
        if draw(st.booleans()):
            outcome["series"] = draw(st.sampled_from(["sjukpenningtal", "F+M", "sick_pct"]))
    if outcomes:
        for goal in goals:
            if draw(st.booleans()):
                goal["outcome"] = draw(st.sampled_from([o["name"] for o in outcomes]))
    if draw(st.booleans()):
        canon["reported"] = [{"name": name, "value": float(draw(st.integers(0, 2000))), "unit": "cases",
                              **({"date": day(end)} if draw(st.booleans()) else {})}
                             for name in draw(_unique(st.sampled_from(["cases", "officers advised", "clients"]), 3).filter(bool))]
    if draw(st.booleans()):
        canon["interviews"]["corpus"] = "data_raw/x/qual"
    if draw(st.booleans()):
        canon["data"]["processed_dir"] = "data_processed/elsewhere"
    user = copy.deepcopy(canon)  # names for codes, dates as YAML dates, defaults left out
    names = dict(_MUNIS)
    for site in user["sites"]:
        if "municipality" in site and draw(st.booleans()):
            site["municipality"] = names[site["municipality"]]
    user["period"] = {"start": start, "end": end}
    for stop in user["interruptions"]:
        if stop["kind"] == "intervention" and draw(st.booleans()):
            del stop["kind"]
    for outcome in user["outcomes"]:
        if len(outcome["level"]) == 1 and draw(st.booleans()):
            outcome["level"] = outcome["level"][0]
    if draw(st.booleans()):
        del user["targets"]["participants"]["total"]
    for goal in user["targets"]["goals"]:
        if goal["name"] in INDICATORS and draw(st.booleans()):
            del goal["unit"]
    return canon, user


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_configs())
def test_valid_configs_round_trip(pair):
    canon, user = pair
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{canon['name']}.yml"
        path.write_text(yaml.safe_dump(user, allow_unicode=True), encoding="utf-8")
        evaluation = load_evaluation(path, root=folder)
        assert evaluation.to_dict() == canon
        path.write_text(yaml.safe_dump(evaluation.to_dict(), allow_unicode=True), encoding="utf-8")
        assert load_evaluation(path, root=folder) == evaluation
        assert evaluation.settings().municipalities == tuple(s["municipality"] for s in canon["sites"]
                                                            if "municipality" in s)
