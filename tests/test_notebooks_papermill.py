"""Every notebook runs standalone through papermill with a non-default municipality and parameters
(nbval in `make test` only covers the defaults)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from fouress_eval.store import prepare

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    prepare(ROOT / "data_raw" / "demo", out, secret=b"papermill-notebooks")
    return out


def _markdown(path: Path) -> str:
    executed = nbformat.read(str(path), as_version=4)
    return "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
                     for c in executed.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("notebook, parameters, expected", [
    ("01_sickness_its", {"municipality": "Torsås"},
     ["Torsås: 7,8 % → 5,8 % (−2,0 procentenheter)"]),  # evaluation defaults; DESIGN.md section 3
    ("02_participants", {"municipality": "Torsås"}, ["37 deltagare"]),
    ("02_participants", {}, ["Ljungby (0781)", "35 deltagare"]),  # the first site of evaluations/fouress.yml
    ("01_sickness_its", {"municipality": "Ljungby", "method": "newey-west", "language": "en"},
     ["Ljungby (0781)", "Ljungby: 6.8 % → 6.4 %"]),  # DESIGN.md section 3: Ljungby 6.8 -> 6.4
    ("01_sickness_its", {"municipality": "0884", "seasonality": 1},
     ["Vimmerby (0884)", "Vimmerby: 7,1 % → 7,0 %"]),
    ("02_participants", {"municipality": "Vimmerby"}, ["Vimmerby (0884)", "31 deltagare"]),
    ("02_participants", {"municipality": "all", "language": "en"}, ["All project municipalities", "103 participants"]),
    ("20_national_its", {"method": "newey-west", "treated": ["0834"]}, ["Torsås"]),
])
def test_notebook_runs_with_parameters(processed, tmp_path, notebook, parameters, expected):
    out = tmp_path / f"{notebook}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{notebook}.ipynb"), str(out), kernel_name="python3", progress_bar=False,
                        parameters={"data_dir": str(processed), "out_dir": str(tmp_path / "report"), **parameters},
                        cwd=str(NOTEBOOKS))
    text = _markdown(out)
    for snippet in expected:
        assert snippet in text
    assert (tmp_path / "report" / f"{notebook}.json").exists()
