"""The papermill batch runner: planning with variants, parallel execution, caching, resuming,
failure isolation, retries and the dask executor.

Mechanics run tiny notebooks written into ``tmp_path`` (a parameters cell and a print, about a
second each); one end-to-end check runs the real ``00_data_quality`` notebook on the prepared
demo data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from click.testing import CliRunner

from fouress_eval.cli import app
from fouress_eval.errors import InputError
from fouress_eval.pipeline import (CROSS_SITE, Variant, load_params_file, parse_parameter_value, plan,
                                   run_batch)

ROOT = Path(__file__).resolve().parents[1]
PROCESSED = ROOT / "data_processed" / "fouress"
CODES = ["0781", "0834", "0884"]


def tiny(folder: Path, name: str, parameters: str, body: str) -> Path:
    """Write a notebook: a cell tagged ``parameters`` and one code cell."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def greet(folder: Path, name: str = "greet") -> Path:
    return tiny(folder, name, 'municipality = "0834"\ngreeting = "hej"\nlevel = 0\ndata_dir = ""\nout_dir = ""',
                'print(f"{greeting} {municipality} level={level}")')


def plain(folder: Path, name: str = "plain") -> Path:
    return tiny(folder, name, 'municipality = "0834"\ndata_dir = ""', 'print(f"plain {municipality}")')


def data_dir(folder: Path, digest: str = "a" * 64) -> Path:
    """A stand-in prepared-data folder: just a manifest with one output checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"outputs": [{"file": "t.parquet", "sha256": digest}]}))
    return folder


def printed(path: Path) -> list[str]:
    """The text a notebook's cells printed."""
    nb = nbformat.read(str(path), as_version=4)
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == "stream"]


def records(out: Path) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads((out / "runs.json").read_text(encoding="utf-8"))["runs"]}


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.ipynb")}


# --- planning ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("2", 2), ("0.5", 0.5), ("true", True), ("False", False), ("None", None), ('["2017-02"]', ["2017-02"]),
    ("[2017-02, 2018-01]", ["2017-02", "2018-01"]), ("{a: 1}", {"a": 1}), ("Torsås", "Torsås"),
    ("0834", "0834"), ("2016-08", "2016-08"), ("2016-08-01", "2016-08-01"), ("no", "no"), ("1:30", "1:30"),
    ("ar1-reml", "ar1-reml"), ("a: b", "a: b"), ("x # y", "x # y"), ('"2"', "2"), ("", "")])
def test_parameter_values_are_yaml_but_names_stay_strings(text, value):
    assert parse_parameter_value(text) == value
    assert type(parse_parameter_value(text)) is type(value)


def test_params_file_with_variants_plans_and_runs_one_run_per_variant(tmp_path):
    notebooks = tmp_path / "nb"
    greet(notebooks), plain(notebooks)
    params = tmp_path / "params.yaml"
    params.write_text("parameters:\n  greeting: hallå\nvariants:\n  - name: low\n    level: 1\n"
                      "  - name: high\n    parameters: {level: 2, greeting: hej}\n", encoding="utf-8")
    common, variants = load_params_file(params)
    assert common == {"greeting": "hallå"}
    assert variants == [Variant("low", {"level": 1}), Variant("high", {"level": 2, "greeting": "hej"})]

    out = tmp_path / "out"
    runs = plan(["Torsås"], ["greet", "plain"], common, out, folder=notebooks, variants=variants)
    assert sorted(r.id for r in runs) == ["0834-torsas/greet__high", "0834-torsas/greet__low", "0834-torsas/plain"]
    low = next(r for r in runs if r.variant == "low")
    assert low.parameters["level"] == 1 and low.parameters["greeting"] == "hallå"
    assert low.parameters["out_dir"] == str((out / "0834-torsas" / "__low").resolve())  # key results apart
    assert next(r for r in runs if r.name == "plain").parameters == {"municipality": "0834"}  # only its own

    result = CliRunner().invoke(app, ["run", "-m", "0834", "-n", str(notebooks / "greet.ipynb"),
                                      "-n", str(notebooks / "plain.ipynb"), "--params-file", str(params),
                                      "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert printed(out / "0834-torsas" / "greet__low.ipynb") == ["hallå 0834 level=1\n"]
    assert printed(out / "0834-torsas" / "greet__high.ipynb") == ["hej 0834 level=2\n"]
    assert printed(out / "0834-torsas" / "plain.ipynb") == ["plain 0834\n"]
    assert (out / "0834-torsas" / "greet__high.html").exists()
    assert {r["status"] for r in records(out).values()} == {"ok"}


@pytest.mark.parametrize("content, message", [
    ("variants:\n  - level: 1\n", "variant 1 needs a name"),
    ("variants:\n  - name: a b\n    level: 1\n", "'a b'"),
    ("variants:\n  - name: a\n  - name: a\n", "same name"),
    ("parameter:\n  level: 1\n", "unknown key"),
    ("parameters: [1, 2]\n", "must be a mapping"),
    ("parameters:\n  level: [1\n", "not valid YAML"),
])
def test_bad_params_file_is_an_input_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "params.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="params.yaml") as error:
        load_params_file(path)
    assert message in str(error.value)


def test_unknown_parameter_exits_2_naming_it_and_the_known_ones(tmp_path):
    notebooks = tmp_path / "nb"
    greet(notebooks)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "-m", "0834", "-n", str(notebooks / "greet.ipynb"),
                                      "-p", "greting", "hi", "--out", str(out)])
    assert result.exit_code == 2
    assert "greting" in result.output and "greeting" in result.output and "level" in result.output
    params = tmp_path / "params.yaml"
    params.write_text("variants:\n  - name: x\n    levle: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "-m", "0834", "-n", str(notebooks / "greet.ipynb"),
                                      "--params-file", str(params), "--out", str(out)])
    assert result.exit_code == 2
    assert "variant 'x'" in result.output and "levle" in result.output
    result = CliRunner().invoke(app, ["run", "-n", str(notebooks / "greet.ipynb"), "-p", "municipality", "0834"])
    assert result.exit_code == 2 and "--municipality" in result.output
    assert not out.exists()  # nothing ran


def test_run_help_documents_the_batch():
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for text in ("--municipality", "--notebook", "--params-file", "variants:", "__<variant>", "--jobs",
                 "--executor", "--scheduler", "shared storage", "--force", "runs.json", "cached", "resume",
                 "10_cross_site", "retried up to 2 times", "--with-code", "Exit status", "N of M run(s) failed"):
        assert text in result.output, text


# --- execution --------------------------------------------------------------------------------

@pytest.mark.parametrize("threads", [1, 2], ids=["forked workers", "spawned workers"])
def test_two_jobs_give_the_same_outputs_as_one(tmp_path, monkeypatch, threads):
    from fouress_eval.pipeline import batch

    notebooks = tmp_path / "nb"
    greet(notebooks), plain(notebooks)
    outputs, contexts = {}, []
    choose = batch._pool_context
    monkeypatch.setattr(batch.threading, "active_count", lambda: threads)  # this process, as the pool sees it
    monkeypatch.setattr(batch, "_pool_context", lambda: contexts.append(choose()) or contexts[-1])
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        runs = plan(["0781", "0834"], ["greet", "plain"], {"greeting": "hej"}, out, folder=notebooks)[1:]
        results = run_batch(runs, jobs=jobs, progress=jobs == 2)
        assert [r.status for r in results] == ["ok"] * 3
        outputs[jobs] = {p.relative_to(out).as_posix(): printed(p) for p in out.rglob("*.ipynb")}
        outputs[jobs].update({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")})
    assert len(outputs[1]) == 6
    assert outputs[1] == outputs[2]
    expected = "fork" if threads == 1 and sys.platform.startswith("linux") else "spawn"
    assert [c.get_start_method() for c in contexts] == [expected]  # jobs 1 ran here, without a pool


def test_pool_forks_only_a_single_threaded_linux_process(monkeypatch):
    from fouress_eval.pipeline import batch

    warmed = []
    monkeypatch.setattr(batch, "warm_up", lambda: warmed.append(True))
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)
    monkeypatch.setattr(batch.sys, "platform", "linux")
    assert batch._pool_context().get_start_method() == "fork" and warmed == [True]
    monkeypatch.setattr(batch.threading, "active_count", lambda: 3)  # e.g. an application's own threads
    assert batch._pool_context().get_start_method() == "spawn"
    monkeypatch.setattr(batch.threading, "active_count", lambda: 1)
    monkeypatch.setattr(batch.sys, "platform", "darwin")
    assert batch._pool_context().get_start_method() == "spawn" and warmed == [True]
    assert batch._Bar.monitor_interval == 0  # progress bars start no thread of their own


def test_cache_skips_unchanged_runs_and_reruns_only_what_changed(tmp_path):
    notebooks = tmp_path / "nb"
    greet(notebooks), plain(notebooks)
    d1, d2 = data_dir(tmp_path / "d1"), data_dir(tmp_path / "d2")
    variants = [Variant("d1", {"data_dir": str(d1)}), Variant("d2", {"data_dir": str(d2)})]
    out = tmp_path / "out"

    def batch(parameters=None, notebooks_=("greet", "plain"), **options):
        runs = plan(["0834"], list(notebooks_), parameters or {}, out, folder=notebooks, variants=variants)
        before = mtimes(out) if out.exists() else {}
        results = run_batch(runs, progress=False, **options)
        after = mtimes(out)
        executed = sorted(name.removesuffix(".ipynb").split("/")[1] for name in after
                          if after[name] != before.get(name))
        return {r.run.id.split("/")[1]: r.status for r in results}, executed

    statuses, executed = batch()
    assert set(statuses.values()) == {"ok"} and len(executed) == 4
    statuses, executed = batch()
    assert set(statuses.values()) == {"cached"} and executed == []
    assert {r["status"] for r in records(out).values()} == {"cached"}
    assert all(r["executed"] for r in records(out).values())

    statuses, executed = batch({"greeting": "hallå"})  # plain does not declare greeting
    assert executed == ["greet__d1", "greet__d2"]
    assert statuses == {"greet__d1": "ok", "greet__d2": "ok", "plain__d1": "cached", "plain__d2": "cached"}

    data_dir(d2, "b" * 64)  # the prepared data in d2 changed
    statuses, executed = batch({"greeting": "hallå"})
    assert executed == ["greet__d2", "plain__d2"]
    parts = {name: records(out)[f"0834-torsas/{name}"]["key_parts"] for name in ("plain__d1", "plain__d2")}
    assert parts["plain__d1"]["inputs"] != parts["plain__d2"]["inputs"]
    assert parts["plain__d1"]["notebook"] == parts["plain__d2"]["notebook"]

    statuses, executed = batch({}, ["plain"], force=True)
    assert statuses == {"plain__d1": "ok", "plain__d2": "ok"} and executed == ["plain__d1", "plain__d2"]

    (out / "0834-torsas" / "plain__d1.html").unlink()  # a deleted output is not a cached one
    statuses, executed = batch({"greeting": "hallå"})
    assert executed == ["plain__d1"]


def test_interrupted_batch_resumes_with_finished_runs_cached(tmp_path):
    notebooks = tmp_path / "nb"
    greet(notebooks)
    out = tmp_path / "out"
    runs = plan(CODES, ["greet"], {}, out, folder=notebooks)

    def interrupt(result):
        raise KeyboardInterrupt  # Ctrl-C right after the first run finished

    with pytest.raises(KeyboardInterrupt):
        run_batch(runs, progress=False, on_result=interrupt)
    assert [r["status"] for r in records(out).values()] == ["ok"]  # written before the interruption
    results = run_batch(runs, progress=False)
    assert sorted(r.status for r in results) == ["cached", "ok", "ok"]
    assert {r["status"] for r in records(out).values()} == {"ok", "cached"}


def test_one_broken_municipality_fails_alone_and_is_reported(tmp_path):
    notebooks = tmp_path / "nb"
    tiny(notebooks, "fragile", 'municipality = "0834"',
         'if municipality == "0781":\n    raise ValueError("broken input for 0781")\nprint("fine", municipality)')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "-m", "all", "-n", str(notebooks / "fragile.ipynb"),
                                      "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "1 of 3 run(s) failed" in result.output
    failed = out / "0781-ljungby" / "fragile.ipynb"
    table = result.output[result.output.index("1 of 3 run(s) failed"):]
    assert str(failed) in table and "0781 Ljungby" in table
    assert "In [3]" in table and "ValueError: broken input for 0781" in table
    kept = nbformat.read(str(failed), as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells for o in c.get("outputs", []))
    assert not failed.with_suffix(".html").exists()
    for folder in ("0834-torsas", "0884-vimmerby"):
        assert printed(out / folder / "fragile.ipynb") == [f"fine {folder[:4]}\n"]
        assert (out / folder / "fragile.html").exists()
    record = records(out)["0781-ljungby/fragile"]
    assert record["status"] == "failed" and record["execution_count"] == 3 and "broken input" in record["error"]
    result = CliRunner().invoke(app, ["run", "-m", "all", "-n", str(notebooks / "fragile.ipynb"), "--out", str(out)])
    assert result.exit_code == 1 and result.output.count("cached") >= 2  # failed runs are tried again, others not


def test_dead_kernel_is_retried_but_a_cell_error_is_not(tmp_path, monkeypatch):
    from nbclient.exceptions import DeadKernelError

    notebooks = tmp_path / "nb"
    greet(notebooks)
    tiny(notebooks, "raises", 'municipality = "0834"', 'raise RuntimeError("a cell error")')
    real, calls = papermill.execute_notebook, []

    def flaky(input_path, *args, **kwargs):
        calls.append(Path(input_path).stem)
        if calls.count("greet") == 1:
            raise DeadKernelError("Kernel died")
        return real(input_path, *args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    out = tmp_path / "out"
    greet_result, raise_result = run_batch(plan(["0834"], ["greet", "raises"], {}, out, folder=notebooks),
                                           progress=False)
    assert greet_result.status == "ok" and greet_result.attempts == 2
    assert raise_result.status == "failed" and raise_result.attempts == 1
    assert raise_result.error == "RuntimeError: a cell error" and raise_result.exec_count == 3
    assert calls == ["greet", "greet", "raises"]

    def dead(*args, **kwargs):
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    (result,) = run_batch(plan(["0834"], ["greet"], {}, out, folder=notebooks), progress=False, force=True)
    assert result.status == "failed" and result.attempts == 3 and "DeadKernelError" in result.error


def test_cross_site_runs_last_once_for_all(tmp_path):
    notebooks = tmp_path / "nb"
    tiny(notebooks, "results", 'municipality = "0834"\nout_dir = ""',
         'import json, pathlib\n'
         'pathlib.Path(out_dir, "results.json").write_text(json.dumps({"m": municipality}))')
    tiny(notebooks, CROSS_SITE, 'municipality = "all"\nreports_dir = ""\nout_dir = ""',
         'import pathlib\n'
         'print(municipality, sorted(p.parent.name for p in pathlib.Path(reports_dir).glob("*/results.json")))')
    out = tmp_path / "out"
    runs = plan(["0781", "0834"], ["all"], {}, out, folder=notebooks)
    assert [(r.name, r.municipality_code) for r in runs][-1] == (CROSS_SITE, "all")
    assert runs[-1].output == out / "all" / f"{CROSS_SITE}.ipynb"
    assert runs[-1].parameters["out_dir"] == str((out / "all").resolve())
    results = run_batch(runs, jobs=2, progress=False)
    assert [r.status for r in results] == ["ok"] * 3
    assert printed(out / "all" / f"{CROSS_SITE}.ipynb") == ["all ['0781-ljungby', '0834-torsas']\n"]
    assert [r.status for r in run_batch(runs, progress=False)] == ["cached"] * 3
    (out / "0834-torsas" / "results.json").write_text('{"m": "changed"}')  # its input changed
    assert [r.status for r in run_batch(runs, progress=False)] == ["cached", "cached", "ok"]


def test_dask_executor_runs_a_batch(tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")
    notebooks = tmp_path / "nb"
    greet(notebooks)
    out = tmp_path / "out"
    runs = plan(CODES[:2], ["greet"], {"greeting": "dask"}, out, folder=notebooks)
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        results = run_batch(runs, jobs=2, executor="dask", scheduler=cluster.scheduler_address, progress=True)
    assert [r.status for r in results] == ["ok"] * 2
    for run in runs:
        assert printed(run.output) == [f"dask {run.municipality_code} level=0\n"]
        assert run.html.exists()
    assert {r["status"] for r in records(out).values()} == {"ok"}


def test_real_data_quality_notebook_end_to_end_and_cached(tmp_path):
    if not (PROCESSED / "manifest.json").exists():
        pytest.skip("data_processed/ is not prepared (make prepare)")
    out = tmp_path / "reports"
    args = ["run", "-m", "Vimmerby", "-n", "00_data_quality", "-p", "language", "en",
            "--data-dir", str(PROCESSED), "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out / "0884-vimmerby" / "00_data_quality.html"
    assert "Synthetic demo data" in html.read_text(encoding="utf-8")
    assert "report_context" not in html.read_text(encoding="utf-8")  # code hidden
    record = records(out)["0884-vimmerby/00_data_quality"]
    assert record["status"] == "ok" and record["output"] == "0884-vimmerby/00_data_quality.ipynb"
    assert record["parameters"]["language"] == "en" and record["parameters"]["municipality"] == "0884"
    executed = (out / record["output"]).stat().st_mtime_ns

    result = CliRunner().invoke(app, [*args, "--with-code"])  # unchanged run, other rendering
    assert result.exit_code == 0, result.output
    assert "0 executed, 1 cached" in result.output
    assert (out / record["output"]).stat().st_mtime_ns == executed
    assert "report_context" in html.read_text(encoding="utf-8")  # HTML redone with the code


def test_jupyter_stack_loads_without_the_slow_iri_grammar_and_still_validates():
    """The process that executes notebooks imports nbformat/papermill/nbconvert without building
    jsonschema's optional RFC 3987 parser (about 2 s per process), validation still works, and the
    import block is lifted afterwards (a fresh interpreter: this one has jsonschema loaded already)."""
    import subprocess

    code = """
import sys
from fouress_eval.pipeline._jupyter import import_jupyter
import_jupyter()
import nbformat, papermill, nbconvert
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
nbformat.validate(nb)
bad = nbformat.v4.new_notebook(); bad.cells = [{"cell_type": "nonsense"}]
try:
    nbformat.validate(bad)
    raise SystemExit("an invalid notebook passed")
except nbformat.ValidationError:
    pass
print("rfc3987_syntax" in sys.modules, "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
