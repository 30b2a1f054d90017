"""The run manifest ``<out>/runs.json`` and the cache key of a run.

A run's key is the SHA-256 of its notebook's bytes, its parameters, the checksums of its inputs
(the ``sha256`` of every output listed in ``<data_dir>/manifest.json``; for the cross-site run
also the key-results JSON files of the municipality runs) and the package version. A run whose
key equals the one recorded for its last successful run, and whose outputs are still there, is
skipped as ``cached``. The manifest is rewritten atomically after every finished run, so an
interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

from .. import __version__
from ..config import resolve_data_dir
from .execution import RunResult, now
from .planning import Run

__all__ = ["MANIFEST_NAME", "MANIFEST_FORMAT", "RunKeys", "RunManifest"]

MANIFEST_NAME = "runs.json"
MANIFEST_FORMAT = "fouress-eval-runs/1"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()


class RunKeys:
    """Computes run keys, reading each notebook and data manifest once per batch."""

    def __init__(self, version: str = __version__) -> None:
        self.version = version
        self._notebooks: dict[Path, str] = {}
        self._data: dict[Path, str] = {}

    def notebook(self, path: Path) -> str:
        """SHA-256 of the notebook file's bytes."""
        if path not in self._notebooks:
            self._notebooks[path] = _digest(Path(path).read_bytes())
        return self._notebooks[path]

    def inputs(self, data_dir: Path | None) -> str:
        """SHA-256 over the (file, sha256) pairs of ``<data_dir>/manifest.json``'s outputs; ``"missing"``
        when there is no readable manifest (such a run fails, and failed runs are never cached)."""
        folder = Path(data_dir) if data_dir else resolve_data_dir("")
        if folder not in self._data:
            try:
                manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                pairs = sorted((str(o.get("file")), str(o.get("sha256"))) for o in manifest.get("outputs", []))
                self._data[folder] = _digest(_canonical(pairs))
            except (OSError, ValueError, AttributeError, TypeError):
                self._data[folder] = "missing"
        return self._data[folder]

    @staticmethod
    def upstream(run: Run) -> str | None:
        """For a run that goes last (cross-site): SHA-256 over the key-results files
        ``<out>/<code>-<name>/*.json`` it reads; ``None`` for other runs. Computed when the run is
        due, after every other run of the batch has finished."""
        if not run.last:
            return None
        root = run.root
        files = sorted(root.glob("[0-9][0-9][0-9][0-9]-*/*.json"))  # what cross_site.collect reads
        return _digest(_canonical([(p.relative_to(root).as_posix(), _digest(p.read_bytes())) for p in files]))

    def parts(self, run: Run) -> dict:
        """What the key is made of, each as a digest (recorded in the manifest to explain a rerun)."""
        return {"notebook": self.notebook(run.notebook), "parameters": _digest(_canonical(run.parameters)),
                "inputs": self.inputs(run.data_dir), "upstream": self.upstream(run), "version": self.version}

    def key(self, run: Run) -> tuple[str, dict]:
        """The run's key and its parts."""
        parts = self.parts(run)
        return _digest(_canonical(parts)), parts


class RunManifest:
    """``<out>/runs.json``: one record per run (keyed by :attr:`Run.id`), kept across batches.

    Format::

        {"format": "fouress-eval-runs/1", "updated": "<UTC ISO time>", "runs": [<record>, ...]}

    A record: ``id``, ``notebook`` (name), ``notebook_path``, ``municipality`` (code or ``all``),
    ``variant``, ``parameters`` (as injected), ``key`` and ``key_parts``, ``status``
    (``ok``/``failed``/``cached``), ``seconds`` (time spent in the batch that wrote the record),
    ``attempts``, ``error``, ``cell`` and ``execution_count`` of a failing cell, ``output`` and ``html``
    (relative to the reports folder), ``with_code``, ``started`` and ``finished`` (that batch),
    ``executed`` (when the outputs were produced), ``version``.
    """

    def __init__(self, path: Path, records: dict[str, dict] | None = None) -> None:
        self.path = Path(path)
        self.records: dict[str, dict] = records or {}

    @classmethod
    def load(cls, path: Path) -> "RunManifest":
        """Read the manifest; a missing one is empty, an unreadable one is replaced (with a warning)."""
        path = Path(path)
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            records = {r["id"]: r for r in content["runs"]}
        except FileNotFoundError:
            records = {}
        except (OSError, ValueError, KeyError, TypeError) as error:
            warnings.warn(f"{path}: unreadable run manifest ({error}); every run executes again", stacklevel=2)
            records = {}
        return cls(path, records)

    def save(self) -> None:
        """Write atomically (a temporary file renamed over the old one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        content = {"format": MANIFEST_FORMAT, "updated": now(),
                   "runs": [self.records[k] for k in sorted(self.records)]}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(content, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return Path(path).relative_to(self.path.parent).as_posix()
        except ValueError:
            return str(path)

    def _absolute(self, text: str | None) -> Path | None:
        return None if text is None else self.path.parent / text

    def cached(self, run: Run, key: str) -> dict | None:
        """The record of ``run`` when its last successful execution had this ``key`` and its executed
        notebook and HTML are still there; else ``None``."""
        record = self.records.get(run.id)
        if not record or record.get("status") not in ("ok", "cached") or record.get("key") != key:
            return None
        output, html = self._absolute(record.get("output")), self._absolute(record.get("html"))
        if output is None or html is None or not output.exists() or not html.exists():
            return None
        return record

    def record(self, result: RunResult, parts: dict | None = None, *, with_code: bool = False) -> dict:
        """Store ``result`` as the run's record (a cached result keeps the record's ``executed``)."""
        run, previous = result.run, self.records.get(result.run.id, {})
        record = {
            "id": run.id, "notebook": run.name, "notebook_path": str(run.notebook),
            "municipality": run.municipality_code, "variant": run.variant, "parameters": run.parameters,
            "key": result.key, "key_parts": parts, "status": result.status,
            "seconds": round(result.seconds, 3), "attempts": result.attempts, "error": result.error or None,
            "cell": result.cell, "execution_count": result.exec_count,
            "output": self._relative(run.output),
            "html": self._relative(result.html),
            "with_code": with_code, "started": result.started, "finished": result.finished,
            "executed": previous.get("executed") if result.status == "cached" else result.finished,
            "version": __version__,
        }
        self.records[run.id] = record
        return record
