"""The fouress-eval command and the papermill path from prepared data to HTML reports."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from fouress_eval.cli import app
from fouress_eval.errors import InputError
from fouress_eval.pipeline import declared_parameters, plan
from fouress_eval.privacy import scan_files
from fouress_eval.store import prepare

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_data_quality.ipynb"


@pytest.mark.parametrize("command", [[], ["demo"], ["prepare"], ["run"]])
def test_help_on_every_command(command):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_demo_command_writes_synthetic_files(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "_synthetic.json").exists()
    assert (tmp_path / "personal_torsas.csv").exists()


def test_prepare_missing_folder_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["prepare", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_run_unknown_municipality_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["run", "-m", "Atlantis", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Atlantis" in result.output and "municipality" in result.output


def test_run_misspelt_parameter_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["run", "-m", "Torsås", "-p", "langauge", "en", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "langauge" in result.output and "language" in result.output


def test_notebook_declares_parameters():
    params = declared_parameters(NOTEBOOK)
    assert {"municipality", "data_dir", "language"} <= set(params)


def test_plan_resolves_names_and_rejects_unknown_notebook(tmp_path):
    runs = plan(["torsas", "0781"], ["00_data_quality"], {"language": "en"}, tmp_path)
    assert [r.municipality_code for r in runs] == ["0834", "0781"]
    assert runs[0].output == tmp_path / "0834-torsas" / "00_data_quality.ipynb"
    with pytest.raises(InputError, match="unknown notebook"):
        plan(["0834"], ["99_nothing"], {}, tmp_path)


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    prepare(ROOT / "data_raw" / "demo", out, secret=b"pipeline-test")
    return out


def test_run_writes_html_reports_without_code(processed, tmp_path):
    reports = tmp_path / "reports"
    result = CliRunner().invoke(app, ["run", "-m", "Ljungby", "-m", "0884", "-n", "00_data_quality",
                                      "-p", "language", "en", "--data-dir", str(processed), "--out", str(reports)])
    assert result.exit_code == 0, result.output
    for folder in ("0781-ljungby", "0884-vimmerby"):
        html = (reports / folder / "00_data_quality.html").read_text(encoding="utf-8")
        assert "Synthetic demo data" in html
        assert "from fouress_eval" not in html  # code cells hidden
        assert "data_dir = " not in html  # parameter cells hidden
        assert "<img" in html  # the coverage figure
        executed = nbformat.read(str(reports / folder / "00_data_quality.ipynb"), as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    assert scan_files(reports) == []


def test_failing_run_is_reported_and_others_finish(processed, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()  # a data folder without a manifest: the notebook's load cell fails
    reports = tmp_path / "reports"
    result = CliRunner().invoke(app, ["run", "-m", "Torsås", "-n", "00_data_quality", "--data-dir", str(broken),
                                      "--out", str(reports)])
    assert result.exit_code == 1
    assert "1 of 1 run(s) failed" in result.output
    assert "manifest.json" in result.output
    kept = nbformat.read(str(reports / "0834-torsas" / "00_data_quality.ipynb"), as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells for o in c.get("outputs", []))


def test_papermill_cli_runs_notebook_standalone(processed, tmp_path):
    out = tmp_path / "out.ipynb"
    subprocess.run([str(Path(sys.executable).parent / "papermill"), str(NOTEBOOK), str(out),
                    "-p", "municipality", "Vimmerby", "-p", "data_dir", str(processed),
                    "-k", "python3", "--no-progress-bar"], check=True, cwd=ROOT, capture_output=True)
    executed = nbformat.read(str(out), as_version=4)
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in executed.cells
                   for o in c.get("outputs", []))
    assert "Vimmerby (0884)" in text
    assert "Syntetiska demodata" in text


def test_a_cached_batch_starts_without_the_heavy_libraries(tmp_path):
    """A fully cached rerun must stay a small fraction of a batch (issue 8: ≤ 5 %): loading the
    evaluation and planning import neither scipy, statsmodels, matplotlib nor the Jupyter stack
    (a fresh interpreter; this one has them all)."""
    code = f"""
import sys
from fouress_eval.cli import app
from fouress_eval.config import get_settings
from fouress_eval.pipeline import plan, run_batch
settings = get_settings("fouress")
runs = plan(list(settings.sites), ["00_data_quality", "01_sickness_its"], {{}}, {str(tmp_path)!r})
run_batch([], jobs=1)
print(sorted(m for m in ("scipy", "statsmodels", "matplotlib", "papermill", "nbconvert", "seaborn") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
