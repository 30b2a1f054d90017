"""prepare: raw folder -> validated, pseudonymised parquet tables and manifest.json."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fouress_eval.cli import app
from fouress_eval.privacy import scan_files
from fouress_eval.store import TABLES, load_manifest, load_table, load_tables, prepare, sha256

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"
SECRET = b"test-secret-not-for-production"


def _checksums(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    before = _checksums(DEMO)
    manifest = prepare(DEMO, out, secret=SECRET)
    return out, manifest, before


def test_every_table_written_with_manifest(prepared):
    out, manifest, _ = prepared
    assert {o["table"] for o in manifest["outputs"]} == set(TABLES)
    assert manifest["synthetic"] is True
    for output in manifest["outputs"]:
        path = out / output["file"]
        assert sha256(path) == output["sha256"]
        assert len(pd.read_parquet(path)) == output["rows"]
    for record in manifest["inputs"]:
        assert sha256(DEMO / record["file"]) == record["sha256"]
    assert load_manifest(out) == json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_raw_files_unchanged(prepared):
    _out, _manifest, before = prepared
    assert _checksums(DEMO) == before


def test_tables_have_tidy_types(prepared):
    out, _, _ = prepared
    tables = load_tables(out)
    absence = tables["absence_monthly"]
    assert isinstance(absence["month"].dtype, pd.PeriodDtype)
    assert absence["municipality_code"].str.fullmatch(r"\d{4}").all()
    assert not {"source_file", "source_row"} & set(absence.columns)
    participants = tables["participants"]
    assert len(participants) == 103
    assert "personal_id" not in participants
    assert participants["participant_id"].str.fullmatch(r"P-[0-9a-f]{12}").all()
    # the same person's meetings carry the same pseudonym as their register row
    meetings = tables["meetings"]
    assert meetings["participant_id"].isin(participants["participant_id"]).all()
    assert (meetings["meeting_type"] == "follow_up").sum() == 197


def test_no_identity_number_in_processed_files(prepared):
    out, _, _ = prepared
    assert scan_files(out) == []
    # and the raw register really had them, so the check is not vacuous
    assert scan_files([DEMO / "deltagare.xlsx"])


def test_prepare_is_idempotent(prepared, tmp_path):
    out, manifest, _ = prepared
    again = prepare(DEMO, tmp_path, secret=SECRET)
    assert [o["sha256"] for o in again["outputs"]] == [o["sha256"] for o in manifest["outputs"]]
    assert load_table("participants", tmp_path).equals(load_table("participants", out))


def _broken_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    path = raw / "personal_torsas.csv"
    lines = path.read_bytes().decode("cp1252").splitlines(keepends=True)
    fields = lines[13].split(";")
    assert fields[2] == "M"  # a subgroup row, not a totals row
    fields[6] = "-12,5"  # Sjukfrånvaro (timmar) on the 14th line = spreadsheet row 14
    lines[13] = ";".join(fields)
    path.write_bytes("".join(lines).encode("cp1252"))
    return raw


def test_bad_file_exits_2_and_writes_nothing(tmp_path):
    raw = _broken_copy(tmp_path)
    before = _checksums(raw)
    out = tmp_path / "processed"
    result = CliRunner().invoke(app, ["prepare", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = result.output
    assert "personal_torsas.csv" in message and "row 14" in message
    assert "Sjukfrånvaro (timmar)" in message and "-12.5" in message
    assert not out.exists() or not any(out.iterdir())
    assert _checksums(raw) == before


def test_bad_file_leaves_previous_output_untouched(prepared, tmp_path):
    out = tmp_path / "processed"
    shutil.copytree(prepared[0], out)
    before = _checksums(out)
    result = CliRunner().invoke(app, ["prepare", "--raw", str(_broken_copy(tmp_path)), "--out", str(out)])
    assert result.exit_code == 2
    assert _checksums(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".prepare-")] == []


def test_meeting_of_unknown_participant_is_refused(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    meetings = raw / "moten.csv"
    text = meetings.read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].split(";")
    first[0] = "19991231-9999"  # not a valid number (check digit), certainly not in the register
    meetings.write_text("\n".join([header, ";".join(first)] + text[2:]) + "\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        prepare(raw, tmp_path / "out", secret=SECRET)
    assert "moten.csv" in str(info.value) and "row 2" in str(info.value)


def test_unrecognised_files_are_listed_as_ignored(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    (raw / "anteckningar.txt").write_text("notes", encoding="utf-8")
    manifest = prepare(raw, tmp_path / "out", secret=SECRET)
    assert manifest["ignored"] == ["anteckningar.txt"]


def test_manifest_names_every_input_with_checksum(prepared):
    _, manifest, _ = prepared
    names = {i["file"] for i in manifest["inputs"]}
    expected = {p.name for p in DEMO.iterdir() if re.match(r"(personal|fk|kolada|vardcentral|deltagare|moten|intervjuer)", p.name)}
    assert names == expected
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in manifest["inputs"])
