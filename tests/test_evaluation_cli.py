"""Issue 9 through the command line: `fouress-eval new`, `prepare`/`run --evaluation`, bad configurations."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from fouress_eval.cli import app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"

# A small example filling the skeleton of `fouress-eval new`: two of the demo's municipalities, one
# outcome from personnel hours, planned participants and one goal (invented for this test).
FILL = {
    "<project title>": ["Pilot"], "<project owner, e.g. Försäkringskassan>": ["Samordningsförbundet"],
    "<funder and project number, e.g. ESF-rådet 2019/00123>": ["Egen finansiering"],
    "<municipality code or name>": ["Vimmerby"], "<health centre or office>": ["Vårdcentralen (syntetisk)"],
    "<YYYY-MM-DD>": ["2017-02-01", "2019-12-31", "2019-12-31", "2019-10-31"],
    "<YYYY-MM>": ["2016-08", "2019-09", "2019-11", "2017-02", "2019-12"],
    "<who the project is for, in words>": ["employees at risk of sick leave"],
    "<short name, e.g. employee_sick_leave>": ["sick_leave"], "<what is measured>": ["sick hours / scheduled hours"],
    "<number>": [40, 30, 10, 70, 12], "<where the plan is written, e.g. the ESF application>": ["the plan"],
    "<e.g. back_in_work_pct, or your own name with a unit>": ["back_in_work_pct"],
    "<short name, e.g. cases_handled>": ["meetings_held"], "<unit, e.g. cases>": ["meetings"],
    "<what was counted>": ["steering group meetings"],
}


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """A fresh project folder: pyproject.toml, the package's notebooks; the working folder."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FOURESS_EVAL_EVALUATION", raising=False)
    return tmp_path


def test_new_writes_a_skeleton_that_filled_in_runs_end_to_end(project):
    runner = CliRunner()
    result = runner.invoke(app, ["new", "pilot"])
    assert result.exit_code == 0, result.output
    config = project / "evaluations" / "pilot.yml"
    assert config.is_file() and (project / "data_raw" / "pilot" / "README.md").is_file()
    assert runner.invoke(app, ["new", "pilot"]).exit_code == 2  # never overwrites without --force
    assert runner.invoke(app, ["new", "Pilot Project"]).exit_code == 2

    unfilled = runner.invoke(app, ["prepare", "--evaluation", "pilot"])
    assert unfilled.exit_code == 2 and "pilot.yml" in unfilled.output and "placeholder" in unfilled.output

    queues = {k: list(v) for k, v in FILL.items()}
    text = re.sub(r'"(<[^"]*>)"', lambda m: json.dumps(queues[m.group(1)].pop(0)), config.read_text(encoding="utf-8"))
    assert all(not q for q in queues.values())
    config.write_text(text, encoding="utf-8")
    raw = project / "data_raw" / "pilot"
    for pattern in ("personal_vimmerby.csv", "personal_jamforelsekommuner.csv", "deltagare.xlsx", "moten.csv",
                    "intervjuer.csv", "_synthetic.json"):
        for path in DEMO.glob(pattern):
            shutil.copy(path, raw / path.name)
    shutil.rmtree(raw / "qual")
    shutil.copytree(DEMO / "qual", raw / "qual")

    result = runner.invoke(app, ["prepare", "--evaluation", "pilot"])
    assert result.exit_code == 0, result.output
    assert (project / "data_processed" / "pilot" / "manifest.json").is_file()
    result = runner.invoke(app, ["run", "--evaluation", "pilot", "-n", "00_data_quality,01_sickness_its,02_participants,"
                                 "03_interviews,10_cross_site", "--jobs", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    site = project / "reports" / "pilot" / "0884-vimmerby"
    its = (site / "01_sickness_its.html").read_text(encoding="utf-8")
    assert "Vimmerby" in its and "Pilot" in its
    key = json.loads((site / "01_sickness_its.json").read_text(encoding="utf-8"))
    hours = pd.read_parquet(project / "data_processed" / "pilot" / "absence_monthly.parquet")
    # comparison: every municipality in the copied personnel files except the site (same_county is a rule)
    assert key["municipality_code"] == "0884"
    assert sorted(key["comparison"]) == sorted(set(hours["municipality_code"]) - {"0884"})
    people = json.loads((site / "02_participants.json").read_text(encoding="utf-8"))
    assert people["participants"] == 31  # Vimmerby's 31 participants (DESIGN.md section 3)
    assert (project / "reports" / "pilot" / "all" / "10_cross_site.html").is_file()


BASE = yaml.safe_load((ROOT / "evaluations" / "fouress.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, key, expected", [
    (lambda c: c["sites"][0].update(municipality="Atlantis"), "sites[0].municipality", "290 municipality codes"),
    (lambda c: c.update(baseline="2017-03"), "baseline", "a month before 2017-02"),
    (lambda c: c["targets"]["participants"].update(X=3), "targets.participants.X", "K (women) or M (men)"),
    (lambda c: c.update(interuptions=c.pop("interruptions")), "interuptions", "did you mean 'interruptions'"),
])
def test_bad_configuration_exits_2_with_file_key_and_expectation(project, change, key, expected):
    config = {**BASE, "name": "broken"}
    config = json.loads(json.dumps(config, default=str))
    change(config)
    folder = project / "evaluations"
    folder.mkdir()
    (folder / "broken.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for command in (["run", "--evaluation", "broken"], ["prepare", "--evaluation", "broken"],
                    ["demo", "--evaluation", "broken", "--out", str(project / "x")]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "broken.yml" in result.output and f"key '{key}'" in result.output and expected in result.output


@pytest.mark.parametrize("name, sites, analysed, missing", [
    # county-level ITS on county series; no participant register, no interviews
    ("kunskapsstod", ["03-uppsala"], {"01_sickness_its"}, {"02_participants", "03_interviews"}),
    # a process evaluation: interviews only, no outcome series, no participant register
    ("pa_vag", ["1264-skurup", "1263-svedala"], {"03_interviews"}, {"01_sickness_its", "02_participants"}),
    # mostly qualitative; a county series with two phases
    ("omstallning", ["17-varmland"], {"01_sickness_its", "03_interviews"}, {"02_participants"}),
])
def test_run_evaluation_gives_complete_reports_on_its_demo_data(project, name, sites, analysed, missing):
    (project / "evaluations").mkdir()
    shutil.copy(ROOT / "evaluations" / f"{name}.yml", project / "evaluations")
    runner = CliRunner()
    for command in (["demo", "--evaluation", name], ["prepare", "--evaluation", name],
                    ["run", "--evaluation", name, "--jobs", "2", "--no-progress"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
    reports = project / "reports" / name
    assert sorted(p.name for p in reports.iterdir() if p.is_dir()) == sorted([*sites, "all"])
    for site in sites:
        for notebook in ("00_data_quality", "01_sickness_its", "02_participants", "03_interviews"):
            html = (reports / site / f"{notebook}.html").read_text(encoding="utf-8")
            assert "Traceback" not in html, (site, notebook)
            assert "Syntetiska demodata" in html  # labelled synthetic
            if notebook in missing:  # one sentence saying why, no chart, no table
                assert (reports / site / f"{notebook}.json").exists() is False
                assert "<img" not in html and "<table" not in html, (site, notebook)
            if notebook in analysed:
                assert (reports / site / f"{notebook}.json").exists(), (site, notebook)
    if "01_sickness_its" in analysed:
        key = json.loads((reports / sites[0] / "01_sickness_its.json").read_text(encoding="utf-8"))
        assert key["unit_code"] == sites[0][:2] and len(key["comparison"]) == 20  # the other counties
    assert (reports / "all" / "10_cross_site.html").is_file()
