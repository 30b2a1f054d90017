"""The processed store: ``prepare`` turns a raw folder into validated tidy parquet tables.

``prepare`` reads every recognised raw file, pseudonymises identity numbers, validates each
table, refuses any table that still holds an identity number, and only then writes
``<table>.parquet`` plus ``manifest.json`` (SHA-256 of every input and output, row counts,
package version, timestamp). Output is written to a temporary folder first and moved into place
when everything succeeded, so a failed run leaves the previous output untouched. Raw files are
only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import InputError
from .io import SOURCES, identify, is_skipped, read_source
from .privacy import assert_no_identity_numbers, load_secret, pseudonymise_column
from .schemas import validate

__all__ = ["prepare", "load_table", "load_tables", "load_manifest", "sha256", "TABLES", "MANIFEST"]

MANIFEST = "manifest.json"
TABLES = tuple(dict.fromkeys(s.table for s in SOURCES))
SYNTHETIC_MARKER = "_synthetic.json"
_PROVENANCE_COLUMNS = ["source_file", "source_row"]


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _raw_files(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    if not raw_dir.is_dir():
        raise InputError("raw data folder not found", file=raw_dir, expected="a folder of raw exports")
    recognised, ignored = [], []
    for path in sorted(raw_dir.iterdir()):
        if is_skipped(path):
            continue
        (recognised if identify(path) else ignored).append(path)
    if not recognised:
        raise InputError("no recognised raw files in the folder", file=raw_dir,
                         expected="files whose names start with " + ", ".join(s.prefix for s in SOURCES))
    return recognised, ignored


def _pseudonymise(frame: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    """Replace ``personal_id`` with ``participant_id`` (keyed pseudonym), file by file for messages."""
    parts = []
    for file, part in frame.groupby("source_file", sort=False):
        part = part.copy()
        part.attrs = {"file": file}
        ids = pseudonymise_column(part["personal_id"].reset_index(drop=True), secret, file=file,
                                  column="Personnummer")
        part["participant_id"] = ids.to_numpy()
        parts.append(part.drop(columns="personal_id"))
    out = pd.concat(parts, ignore_index=True)
    first = ["participant_id"]
    return out[first + [c for c in out.columns if c not in first]]


def _check_meetings(meetings: pd.DataFrame, participants: pd.DataFrame) -> None:
    known = participants.groupby("participant_id")["municipality_code"].first()
    for _, meeting in meetings.iterrows():
        where = dict(file=meeting["source_file"], row=int(meeting["source_row"]))
        if meeting["participant_id"] not in known.index:
            raise InputError("the meeting's participant is not in the participant register",
                             column="Personnummer", expected="a person listed in the deltagare file", **where)
        if known[meeting["participant_id"]] != meeting["municipality_code"]:
            raise InputError("the meeting's municipality differs from the participant's",
                             column="Kommun", value=meeting["municipality_code"],
                             expected=known[meeting["participant_id"]], **where)


def read_raw(raw_dir: Path, secret: bytes) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Read, pseudonymise and validate every recognised file; returns tables and input records."""
    files, _ignored = _raw_files(raw_dir)
    frames: dict[str, list[pd.DataFrame]] = {}
    inputs = []
    for path in files:
        checksum = sha256(path)
        source, frame = read_source(path)
        frames.setdefault(source.table, []).append(frame)
        inputs.append({"file": path.name, "sha256": checksum, "bytes": path.stat().st_size,
                       "source": source.prefix, "table": source.table, "rows": len(frame)})
    tables = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    for name in ("participants", "meetings"):
        if name in tables:
            tables[name] = _pseudonymise(tables[name], secret)
    for name, frame in tables.items():
        tables[name] = validate(name, frame)
    if "meetings" in tables:
        if "participants" not in tables:
            raise InputError("a meeting log needs the participant register beside it", file=raw_dir,
                             expected="a deltagare file in the same folder")
        _check_meetings(tables["meetings"], tables["participants"])
    return tables, inputs


def prepare(raw_dir: Path, out_dir: Path, *, secret: bytes | None = None) -> dict:
    """Turn ``raw_dir`` into tidy parquet tables and ``manifest.json`` in ``out_dir``.

    Returns the manifest. Raises :class:`InputError` (nothing written) for any bad input.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    secret = secret if secret is not None else load_secret()
    before = {p.name: sha256(p) for p in sorted(raw_dir.glob("*")) if p.is_file()} if raw_dir.is_dir() else {}
    tables, inputs = read_raw(raw_dir, secret)
    _files, ignored = _raw_files(raw_dir)
    for name, frame in tables.items():
        tables[name] = frame.drop(columns=[c for c in _PROVENANCE_COLUMNS if c in frame])
        tables[name].attrs = {}  # reader attrs hold raw paths and headers; parquet would store them
        assert_no_identity_numbers(tables[name], name)
    after = {p.name: sha256(p) for p in sorted(raw_dir.glob("*")) if p.is_file()}
    if before != after:  # pragma: no cover - a guard, not an expected path
        raise RuntimeError("raw files changed while prepare was reading them")

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".prepare-", dir=out_dir))
    try:
        outputs = []
        for name in TABLES:
            if name not in tables:
                continue
            target = staging / f"{name}.parquet"
            tables[name].to_parquet(target, index=False)
            outputs.append({"file": target.name, "table": name, "sha256": sha256(target),
                            "rows": len(tables[name]), "columns": list(tables[name].columns)})
        manifest = {
            "package": "fouress_eval", "version": __version__,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "raw_dir": raw_dir.name,
            "synthetic": (raw_dir / SYNTHETIC_MARKER).exists(),
            "python": platform.python_version(), "pandas": pd.__version__,
            "inputs": inputs, "ignored": [p.name for p in ignored], "outputs": outputs,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for stale in out_dir.glob("*.parquet"):
            if not (staging / stale.name).exists():
                stale.unlink()
        for item in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):  # manifest last
            os.replace(item, out_dir / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def load_manifest(processed_dir: Path) -> dict:
    """The manifest written by :func:`prepare`."""
    path = Path(processed_dir) / MANIFEST
    if not path.exists():
        raise InputError("no prepared data found (manifest.json is missing)", file=path,
                         expected="run `fouress-eval prepare` first")
    return json.loads(path.read_text(encoding="utf-8"))


def load_table(name: str, processed_dir: Path) -> pd.DataFrame:
    """One tidy table from the processed store (months as ``Period[M]``)."""
    path = Path(processed_dir) / f"{name}.parquet"
    if not path.exists():
        raise InputError(f"table '{name}' is not in the prepared data", file=path,
                         expected=f"one of {', '.join(TABLES)} produced by `fouress-eval prepare`")
    return pd.read_parquet(path)


def load_tables(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """Every tidy table the manifest lists."""
    manifest = load_manifest(processed_dir)
    return {o["table"]: load_table(o["table"], processed_dir) for o in manifest["outputs"]}
