"""REFI-QDA exchange: projects (``.qdpx``) and codebooks (``.qdc``) to and from a :class:`Corpus`.

REFI-QDA (QDA-XML 1.0, www.qdasoftware.org) is what NVivo, ATLAS.ti, MAXQDA, QualCoder and
others import and export, so codings made in any of them can be tallied and compared here.

* :func:`read_qdpx` — a ``.qdpx`` archive, a bare ``project.qde`` or an unpacked folder → a
  :class:`RefiCorpus` (a Corpus plus ``warnings``; ``sources`` has a ``problem`` column).
* :func:`write_qdpx` — a Corpus → a ``.qdpx`` that validates against the project schema and is
  byte-for-byte the same for the same corpus.
* :func:`read_qdc` / :func:`write_qdc` — the codebook exchange file. The project schema defines
  only the ``Project`` root (its ``CodeBookType`` is a type, not a root element), so ``.qdc``
  follows the separate REFI-QDA codebook standard: root ``CodeBook`` with a ``Codes`` child and
  an ``origin`` attribute, in namespace ``urn:QDA-XML:codebook:1.0``.
* :func:`corpus_equal` / :func:`corpus_differences` — compare corpora table by table, ignoring
  row and column order and treating wholly empty columns as absent (so ``problem`` and
  ``color`` columns that a read adds do not count).

Details of the reading and writing decisions are in :mod:`.refi_read` and :mod:`.refi_write`.
"""

from __future__ import annotations

import pandas as pd

from .corpus import Corpus
from .refi_read import CODEBOOK_NS, PROJECT_NS, RefiCorpus, read_qdc, read_qdpx
from .refi_write import codebook_xml, project_xml, write_qdc, write_qdpx

__all__ = ["PROJECT_NS", "CODEBOOK_NS", "RefiCorpus", "read_qdpx", "write_qdpx", "read_qdc", "write_qdc",
           "project_xml", "codebook_xml", "corpus_equal", "corpus_differences"]

_TABLES = ("codes", "sources", "coders", "codings", "sets")


def _plain(value: object) -> object:
    """A comparable Python value: missing → None, NumPy scalars → Python scalars."""
    try:
        if value is None or bool(pd.isna(value)):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        return value
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical(frame: pd.DataFrame) -> tuple[list[str], list[tuple[object, ...]]]:
    columns = sorted(str(c) for c in frame.columns if not frame[c].isna().all())
    rows = [tuple(_plain(v) for v in row) for row in frame[columns].itertuples(index=False, name=None)] \
        if columns else [()] * len(frame)
    rows.sort(key=lambda row: tuple((v is None, str(v)) for v in row))
    return columns, rows


def corpus_differences(a: Corpus, b: Corpus, *, check_name: bool = True) -> list[str]:
    """What differs between two corpora (empty when they hold the same data)."""
    out = []
    if check_name and a.name != b.name:
        out.append(f"name: {a.name!r} != {b.name!r}")
    for table in _TABLES:
        (cols_a, rows_a), (cols_b, rows_b) = _canonical(getattr(a, table)), _canonical(getattr(b, table))
        if cols_a != cols_b:
            out.append(f"{table}: columns {cols_a} != {cols_b}")
        elif rows_a != rows_b:
            only_a = [r for r in rows_a if r not in rows_b][:3]
            only_b = [r for r in rows_b if r not in rows_a][:3]
            out.append(f"{table}: {len(rows_a)} vs {len(rows_b)} rows; only in first {only_a}; "
                       f"only in second {only_b}")
    return out


def corpus_equal(a: Corpus, b: Corpus, *, check_name: bool = True) -> bool:
    """Whether two corpora hold the same tables (see :func:`corpus_differences`)."""
    return not corpus_differences(a, b, check_name=check_name)
