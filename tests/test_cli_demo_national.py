"""``fouress-eval demo --national``: options reach ``write_national_demo``, the default folder is
``data_raw/national``, and bad values exit 2 with a message naming the option, writing nothing.

Every test generates a small subset of municipalities (``--municipalities``), so the module runs
in a few seconds; the full 290-municipality set is covered by ``test_demo_national.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fouress_eval import cli
from fouress_eval.cli import app
from fouress_eval.demo.national import write_national_demo

SUBSET = ["0781", "0834", "0884", "0767", "0880"]  # the 4-Ess sites and two comparison municipalities
SECRET = "cli-demo-national-test-secret-0123456789"


def invoke(*args: str):
    return CliRunner().invoke(app, ["demo", *args])


def marker(folder: Path) -> dict:
    return json.loads((folder / "_synthetic.json").read_text(encoding="utf-8"))


def test_help_documents_the_national_options():
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for option in ("--national", "--through", "--no-covid", "--adopters", "--municipalities"):
        assert option in text
    assert "data_raw/national" in text and "290" in text and "2019-12" in text


def test_national_subset_is_what_the_generator_writes(tmp_path):
    out = tmp_path / "raw"
    result = invoke("--national", "--out", str(out), "--municipalities", ",".join(SUBSET[:3]),
                    "--municipalities", "Markaryd", "--municipalities", "0880", "--adopters", "4", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "5 municipalities" in result.output and "4 adopters" in result.output
    assert "SYNTHETIC" in result.output
    info = marker(out)
    assert info["synthetic"] is True and info["seed"] == 7
    assert info["municipalities"] == 5 and len(info["adopters"]) == 4
    assert info["months"] == ["2014-01", "2019-12"] and info["covid"] is None
    # byte for byte what the generator writes for the same arguments
    reference = tmp_path / "reference"
    files = write_national_demo(reference, seed=7, n_adopters=4, municipalities=SUBSET)
    for path in files:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reference.iterdir())


def test_default_folder_is_data_raw_national(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "find_project_root", lambda *a, **k: tmp_path)
    result = invoke("--national", "--municipalities", "0834,0781", "--adopters", "1")
    assert result.exit_code == 0, result.output
    target = tmp_path / "data_raw" / "national"
    assert marker(target)["municipalities"] == 2
    assert not (tmp_path / "data_raw" / "demo").exists()


def test_through_2021_adds_covid_unless_no_covid(tmp_path):
    with_shock, without = tmp_path / "covid", tmp_path / "no_covid"
    assert invoke("--national", "--out", str(with_shock), "--municipalities", "0834,0767",
                  "--through", "2021-12").exit_code == 0
    result = invoke("--national", "--out", str(without), "--municipalities", "0834,0767",
                    "--through", "2021-12", "--no-covid")
    assert result.exit_code == 0, result.output
    assert "without COVID-19" in result.output
    assert marker(with_shock)["months"] == ["2014-01", "2021-12"]
    assert marker(with_shock)["covid"]["start"] == "2020-03"
    assert marker(without)["covid"] is None
    read = lambda folder: pd.read_csv(next(folder.glob("personal_08_*.csv")), sep=";", decimal=",",  # noqa: E731
                                      thousands=" ", encoding="cp1252", skiprows=1, dtype=str)
    a, b = read(with_shock), read(without)
    assert len(a) == len(b) == 96 * 6  # 96 months × sex × 3 age groups, Torsås only in Kalmar county
    before = a["Månad"] < "2020-03"
    assert a[before].equals(b[before]) and not a[~before].equals(b[~before])


def test_national_output_prepares(tmp_path, monkeypatch):
    monkeypatch.setenv("FOURESS_EVAL_SECRET", SECRET)
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    assert invoke("--national", "--out", str(raw), "--municipalities", ",".join(SUBSET),
                  "--adopters", "3").exit_code == 0
    result = CliRunner().invoke(app, ["prepare", "--raw", str(raw), "--out", str(processed)])
    assert result.exit_code == 0, result.output
    rows = {o["table"]: o["rows"] for o in json.loads((processed / "manifest.json").read_text())["outputs"]}
    assert rows["absence_monthly"] == 5 * 72 * 6
    assert rows["participants"] > 0 and rows["meetings"] > 0


def test_stale_files_of_a_larger_run_are_reported(tmp_path):
    out = tmp_path / "raw"
    assert invoke("--national", "--out", str(out), "--municipalities", "0834,0767").exit_code == 0
    result = invoke("--national", "--out", str(out), "--municipalities", "0834", "--adopters", "1")
    assert result.exit_code == 0
    assert "earlier run" in result.output and "personal_07_kronoberg.csv" in result.output


@pytest.mark.parametrize(("args", "words"), [
    (["--through", "2999-01"], ["--through", "future", "2999-01"]),
    (["--through", "2099-13"], ["--through", "YYYY-MM"]),
    (["--through", "Dec 2021"], ["--through", "YYYY-MM"]),
    (["--through", "2017-01"], ["--through", "2017-08"]),
    (["--through", "2019-12", "--covid"], ["--covid", "2020-03"]),
    (["--adopters", "-1"], ["--adopters"]),
    (["--adopters", "two"], ["--adopters"]),
    (["--adopters", "3"], ["--adopters", "at most 2"]),
    (["--municipalities", "Atlantis"], ["--municipalities", "Atlantis"]),
])
def test_bad_values_exit_2_and_write_nothing(tmp_path, args, words):
    out = tmp_path / "raw"
    result = invoke("--national", "--out", str(out), "--municipalities", "0834,0767", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    for word in words:
        assert word in result.output
    assert not out.exists()


@pytest.mark.parametrize("args", [["--through", "2021-12"], ["--no-covid"], ["--adopters", "5"],
                                  ["--municipalities", "0834"]])
def test_national_options_without_national_exit_2(tmp_path, args):
    out = tmp_path / "raw"
    result = invoke("--out", str(out), *args)
    assert result.exit_code == 2, result.output
    assert "--national" in result.output and args[0].lstrip("-").split("-")[-1] in result.output
    assert not out.exists()
