"""The cross-site summary reads the municipal key results and shows them side by side."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import nbformat  # noqa: E402
import papermill as pm  # noqa: E402
import pytest  # noqa: E402

from fouress_eval import cross_site  # noqa: E402
from fouress_eval.errors import InputError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _write(root: Path, folder: str, notebook: str, payload: dict) -> None:
    path = root / folder / f"{notebook}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")


def _its(slope: float) -> dict:
    return {"baseline": [{"baseline_sick_pct": 7.8, "follow_up_sick_pct": 5.8}],
            "slope_change": {"estimate": slope, "ci_low": slope - 0.02, "ci_high": slope + 0.02, "p_value": 0.01},
            "level_change": {"estimate": 0.1, "ci_low": -0.2, "ci_high": 0.4, "p_value": 0.5},
            "horizons": [{"horizon": 24, "absolute": 24 * slope, "absolute_low": 24 * slope - 0.5,
                          "absolute_high": 24 * slope + 0.5}]}


@pytest.fixture()
def reports(tmp_path) -> Path:
    _write(tmp_path, "0834-torsas", "01_sickness_its", _its(-0.08))
    _write(tmp_path, "0834-torsas", "02_participants", {"participants": 37, "entry_full_time_pct": 51.4,
                                                        "exit_full_time_pct": 7.1, "exit_salary_pct": 64.3,
                                                        "median_days_to_return": 217.0})
    _write(tmp_path, "0834-torsas", "03_interviews", {"top_themes": [{"label": "Tidigt stöd", "interviews": 6}]})
    _write(tmp_path, "0884-vimmerby", "01_sickness_its", _its(0.01))
    _write(tmp_path, "0884-vimmerby", "02_participants", {"participants": None, "exit_salary_pct": None})
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.json").write_text("{}", encoding="utf-8")  # not a municipal folder: ignored
    return tmp_path


def test_collect_and_tables(reports):
    results = cross_site.collect(reports)
    assert set(results) == {"0834", "0884"}
    effects = cross_site.effects_table(results, "en").set_index("code")
    assert effects.loc["0834", "slope"] == pytest.approx(-0.08)
    assert effects.loc["0884", "effect24"] == pytest.approx(0.24)
    people = cross_site.participants_table(results, "sv").set_index("Kommun")
    assert people.loc["Torsås (0834)", "Deltagare"] == 37
    assert people.loc["Vimmerby (0884)", "Deltagare"] == "<5"  # suppressed upstream stays hidden
    assert people.loc["Torsås (0834)", "Heltidssjukskrivning start → avslut (%)"] == "51 → 7"
    joint = cross_site.joint_display(results, "en").set_index("Municipality")
    assert joint.loc["Torsås (0834)", "Most frequent interview themes"] == "Tidigt stöd (6)"
    assert joint.loc["Vimmerby (0884)", "Most frequent interview themes"] == "–"
    ax = cross_site.forest_plot(results, language="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Torsås (0834)", "Vimmerby (0884)"]


def test_missing_results(tmp_path):
    with pytest.raises(InputError, match="no key results"):
        cross_site.collect(tmp_path)
    assert cross_site.collect(tmp_path / "absent", missing_ok=True) == {}


def test_notebook_runs_on_given_reports(reports, tmp_path):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "10_cross_site.ipynb"), str(out), kernel_name="python3",
                        parameters={"reports_dir": str(reports), "out_dir": str(reports / "all"), "language": "en"},
                        progress_bar=False, cwd=str(ROOT / "notebooks"))
    executed = nbformat.read(str(out), as_version=4)
    images = [o for c in executed.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 1  # the forest plot
    assert (reports / "all" / "tabeller.xlsx").exists()
    assert (reports / "all" / "figures" / "10_cross_site" / "forest.svg").exists()
