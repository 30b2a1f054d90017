"""The environment is declared once (pyproject.toml); environment.yml must not drift from it."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    declared = {_name(r) for r in pyproject["dependencies"]}
    declared |= {_name(r) for extra in pyproject["optional-dependencies"].values() for r in extra}
    conda, pip = [], []
    for dependency in env["dependencies"]:
        if isinstance(dependency, dict):
            pip += dependency["pip"]
        else:
            conda.append(dependency)
    python = next(d for d in conda if d.startswith("python"))
    minimum = re.search(r">=(\d+\.\d+)", pyproject["requires-python"]).group(1)
    assert tuple(map(int, python.split("=")[-1].split("."))) >= tuple(map(int, minimum.split(".")))
    # every other conda package must be a declared dependency (no second list of versions)
    extra = {_name(d) for d in conda} - {"python", "pip"}
    assert extra <= declared, f"environment.yml lists packages pyproject.toml does not: {extra - declared}"
    # and the package itself with its test extra is installed from pyproject.toml
    assert any(re.fullmatch(r'-e\s+"?\.\[test\]"?', p) for p in pip), pip
    pip_names = {_name(p) for p in pip if not p.startswith("-e")}
    assert pip_names <= declared, f"environment.yml pip section lists undeclared packages: {pip_names - declared}"


def test_required_runtime_dependencies_declared():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in pyproject["dependencies"]}
    for needed in ["pandas", "numpy", "statsmodels", "seaborn", "matplotlib", "papermill", "jupyterlab",
                   "ipykernel", "nbconvert", "nbval", "pandera", "pyarrow", "openpyxl", "click", "tqdm"]:
        assert needed in declared
    test = {_name(r) for r in pyproject["optional-dependencies"]["test"]}
    assert {"pytest", "hypothesis"} <= test


def test_generated_outputs_are_ignored():
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("data_processed/*", "reports/*", ".venv/", ".fouress_secret"):
        assert pattern in ignore
