"""Codings from a plain CSV file plus transcripts, codebook and interview list → a :class:`Corpus`.

The codings file has one row per coded segment::

    interview_id;start;end;code_id;coder
    I01;247;335;samtycke_helhet;kodare_A

``;`` or ``,`` separated, UTF-8 (a BOM is fine). ``start``/``end`` are Unicode character
offsets into the transcript ``<transcripts_dir>/<interview_id>.txt`` exactly as stored (UTF-8,
BOM dropped, line breaks counted as they are: ``\\r\\n`` is two characters), ``start`` inclusive,
``end`` exclusive — the convention of REFI-QDA's ``PlainTextSelection``. ``code_id`` refers to
an ``id`` of the YAML codebook (:mod:`fouress_eval.qual.codebook`); ``coder`` is any name.

Every transcript in the folder becomes a source, with the interview's ``role``,
``municipality_code``, ``date`` and ``mode`` from the interview list, also when nobody coded it
(it still counts in the denominators of the tallies). Coders are listed in order of first
appearance in the file; the first is the default coder of the tallies.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..io import read_interviews
from .codebook import read_codebook
from .corpus import CODING_COLUMNS, Corpus, new_guid

__all__ = ["read_codings_csv", "read_transcript", "sentence_spans", "CODINGS_CSV_COLUMNS"]

CODINGS_CSV_COLUMNS = ("interview_id", "start", "end", "code_id", "coder")
# a speaker label at the start of a line ("Svar: ", "Intervjuare: ", "Deltagare 2: ")
_SPEAKER = re.compile(r"[^\W\d_][\w\- ]{0,24}:[ \t]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``, end exclusive.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quote or bracket) followed
    by white space, or at a line break. A speaker label at the start of a line (``Svar:``, up to
    25 characters before a colon) is not part of the sentence; white space around sentences is
    left out.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body_end = len(line.rstrip("\r\n"))
        position = len(line[:body_end]) - len(line[:body_end].lstrip())
        label = _SPEAKER.match(line, position, body_end)
        if label:
            position = label.end()
        start = position
        for match in _SENTENCE_END.finditer(line, position, body_end):
            _add(spans, line, offset, start, match.end())
            start = match.end()
        _add(spans, line, offset, start, body_end)
        offset += len(line)
    return spans


def _add(spans: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))


def read_transcript(path: str | Path) -> str:
    """A transcript's text exactly as stored (UTF-8, BOM dropped, line breaks untouched)."""
    path = Path(path)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise InputError("transcript is not UTF-8 text", file=path, expected="a UTF-8 .txt file") from None


def _integer(value: str, *, file: Path, row: int, column: str) -> int:
    text = (value or "").strip()
    if not re.fullmatch(r"\d+", text):
        raise InputError("not a character offset", file=file, row=row, column=column, value=value,
                         expected="a whole number ≥ 0 (Unicode characters from the start of the transcript)")
    return int(text)


def read_codings_csv(codings_path: str | Path, transcripts_dir: str | Path, codebook_path: str | Path,
                     interviews_path: str | Path) -> Corpus:
    """Read codings, transcripts, codebook and interview list into a :class:`Corpus`.

    Raises :class:`InputError` naming the file, the row and the item for: a missing column or
    value, an unknown interview id (not in the interview list), an interview without a
    transcript, an unknown code id, a theme that is not codable, ``start ≥ end``, a coding past
    the end of its transcript, and overlapping duplicate codings (the same coder, code and
    interview with overlapping spans — merge them into one segment). A transcript whose name is
    not an interview id of the list is refused too, since its role and municipality are unknown.
    """
    codings_path, transcripts_dir = Path(codings_path), Path(transcripts_dir)
    codes = read_codebook(codebook_path)
    interviews = read_interviews(Path(interviews_path))
    if not transcripts_dir.is_dir():
        raise InputError("transcript folder not found", file=transcripts_dir,
                         expected="a folder of <interview_id>.txt files")
    known = dict(zip(interviews["interview_id"], interviews.to_dict("records")))
    texts: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for path in sorted(transcripts_dir.glob("*.txt")):
        if path.stem not in known:
            raise InputError(f"transcript {path.name} has no row in the interview list", file=path,
                             value=path.stem, expected=f"an interview id of {Path(interviews_path).name}")
        texts[path.stem] = read_transcript(path)
        paths[path.stem] = path
    sources = pd.DataFrame([{
        "guid": new_guid("source", iid), "name": iid, "text": texts[iid], "interview_id": iid,
        "role": known[iid]["role"], "municipality_code": known[iid]["municipality_code"],
        "date": known[iid].get("date"), "mode": known[iid].get("mode"),
        "path": paths[iid].name,
    } for iid in texts], columns=["guid", "name", "text", "interview_id", "role", "municipality_code", "date",
                                  "mode", "path"])

    code_by_id = dict(zip(codes["code_id"], codes.to_dict("records")))
    rows = _read_rows(codings_path)
    coders: list[str] = []
    records = []
    seen: dict[tuple[str, str, str], list[tuple[int, int, int]]] = {}
    for number, row in rows:
        def fail(message: str, column: str | None = None, value: object = None, expected: str | None = None):
            raise InputError(message, file=codings_path, row=number, column=column, value=value, expected=expected)

        for column in CODINGS_CSV_COLUMNS:
            if not (row.get(column) or "").strip():
                fail("value is missing", column, None, "a value in every column")
        iid = row["interview_id"].strip()
        code_id = row["code_id"].strip()
        coder = row["coder"].strip()
        start = _integer(row["start"], file=codings_path, row=number, column="start")
        end = _integer(row["end"], file=codings_path, row=number, column="end")
        if iid not in known:
            fail(f"unknown interview id {iid!r}", "interview_id", iid,
                 f"an interview id listed in {Path(interviews_path).name}")
        if iid not in texts:
            fail(f"interview {iid!r} has no transcript {iid}.txt in {transcripts_dir.as_posix()}", "interview_id", iid,
                 "a transcript file named after the interview id")
        if code_id not in code_by_id:
            fail(f"unknown code id {code_id!r}", "code_id", code_id,
                 f"a code id of the codebook {Path(codebook_path).name}")
        if not code_by_id[code_id]["is_codable"]:
            fail(f"{code_id!r} is a theme, not a codable code", "code_id", code_id,
                 "one of the codes under the theme")
        if start >= end:
            fail(f"coding of {code_id!r} in {iid} starts at or after its end ({start} ≥ {end})", "end", end,
                 "end greater than start (end is exclusive)")
        if end > len(texts[iid]):
            fail(f"coding of {code_id!r} in {iid} ends at character {end}, past the end of transcript "
                 f"{paths[iid].name} ({len(texts[iid])} characters)", "end", end,
                 f"at most {len(texts[iid])}")
        key = (iid, coder, code_id)
        for other_start, other_end, other_row in seen.get(key, []):
            if start < other_end and other_start < end:
                fail(f"{coder} coded {code_id!r} twice on overlapping text in {iid}: {start}–{end} here and "
                     f"{other_start}–{other_end} on row {other_row}", "start", start,
                     "one coding per stretch of text (merge overlapping segments)")
        seen.setdefault(key, []).append((start, end, number))
        if coder not in coders:
            coders.append(coder)
        records.append({"source_guid": new_guid("source", iid), "start": start, "end": end,
                        "code_guid": code_by_id[code_id]["guid"], "coder_guid": new_guid("coder", coder)})
    codings = pd.DataFrame(records, columns=CODING_COLUMNS).astype({"start": int, "end": int})
    coder_table = pd.DataFrame({"guid": [new_guid("coder", c) for c in coders], "name": coders})
    return Corpus(codes=codes, sources=sources, coders=coder_table, codings=codings, name=codings_path.stem)


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) for each data row; header checked."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("codings file not found", file=path, expected="a CSV file of codings") from None
    except UnicodeDecodeError:
        raise InputError("codings file is not UTF-8 text", file=path, expected="a UTF-8 CSV file") from None
    lines = text.splitlines()
    if not lines:
        raise InputError("codings file is empty", file=path, expected="a header " + ";".join(CODINGS_CSV_COLUMNS))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in CODINGS_CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(f"column(s) {', '.join(missing)} missing from the header", file=path, row=1,
                         value=";".join(header), expected=";".join(CODINGS_CSV_COLUMNS))
    out = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        out.append((number, dict(zip(header, values))))
    return out
