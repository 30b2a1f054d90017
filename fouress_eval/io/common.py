"""Reading tabular exports (CSV or XLSX) into raw string/object frames with known columns.

Handles what Swedish exports look like: UTF-8 with or without BOM, cp1252/latin-1, `;`, `,` or
tab separators, title rows above the header, English or Swedish headers in any case. Every
frame returned carries ``source_row``: the row number a person sees in a spreadsheet program
(1-based, counting the header and any rows above it).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..clean import is_missing, parse_number
from ..municipalities import fold, municipality_code

__all__ = ["Column", "read_table", "read_text", "header_key", "category_parser", "parse_columns",
           "parse_count", "parse_amount", "parse_municipality", "require_values"]

_ZIP_MAGIC = b"PK\x03\x04"
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_HEADER_SEARCH_ROWS = 10


class Column:
    """A column a reader needs: tidy name, accepted headers, whether it must be present."""

    def __init__(self, name: str, *headers: str, required: bool = True) -> None:
        self.name = name
        self.headers = (name, *headers)
        self.required = required
        self.keys = {header_key(h) for h in self.headers}

    @property
    def label(self) -> str:
        """The header shown in messages: the Swedish one when there is one."""
        return self.headers[1] if len(self.headers) > 1 else self.name


def header_key(text: object) -> str:
    """A header folded for matching: lower case, no accents, dashes/underscores as spaces."""
    key = fold(str(text)).replace("–", "-")
    key = re.sub(r"[_\-/]+", " ", key)
    key = re.sub(r"\s*\(\s*", " (", key).replace(" )", ")")
    return re.sub(r"\s+", " ", key).strip()


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 (BOM or not), else cp1252, else latin-1. Refuses binary files."""
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        raise InputError("this is a zip/Excel file, not a text (CSV) file", file=path,
                         expected="a CSV text file, or rename it to .xlsx")
    if b"\x00" in data[:4096]:
        raise InputError("this is a binary file, not a text (CSV) file", file=path,
                         expected="a CSV text file (UTF-8 or cp1252)")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _sniff_separator(lines: Sequence[str]) -> str:
    best, best_score = ";", -1
    for sep in (";", "\t", ","):
        counts = [len(next(csv.reader([line], delimiter=sep))) for line in lines if line.strip()]
        if not counts or max(counts) < 2:
            continue
        # the separator that gives the most fields on the header-like rows, most consistently
        score = max(counts) * 10 - (len(set(counts)) - 1)
        if score > best_score:
            best, best_score = sep, score
    return best


def _rows_from_csv(path: Path) -> pd.DataFrame:
    text = read_text(path)
    if not text.strip():
        raise InputError("the file is empty", file=path, expected="a header row and data rows")
    lines = text.splitlines()
    hint = re.fullmatch(r"\s*sep=(.)\s*", lines[0], flags=re.IGNORECASE)
    if hint:  # Excel's "sep=;" first line: it names the separator and is not shown as a row
        sep, text = hint.group(1), text.split("\n", 1)[1] if "\n" in text else ""
    else:
        sep = _sniff_separator(lines[:_HEADER_SEARCH_ROWS + 5])
    rows = list(csv.reader(io.StringIO(text), delimiter=sep)) or [[""]]
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame.index = range(1, len(frame) + 1)
    return frame


def _rows_from_excel(path: Path, sheet_hint: str | None) -> tuple[pd.DataFrame, str]:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != _ZIP_MAGIC:
        raise InputError("not an Excel (.xlsx) file: its contents are something else, perhaps a CSV "
                         "or an old .xls renamed", file=path, expected="an .xlsx workbook")
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError(f"the Excel file cannot be opened ({error})", file=path,
                         expected="an .xlsx workbook") from None
    if not sheets:
        raise InputError("the workbook has no sheets", file=path)
    chosen = next((n for n in sheets if sheet_hint and fold(n) == fold(sheet_hint)), next(iter(sheets)))
    frame = sheets[chosen]
    frame.index = range(1, len(frame) + 1)
    return frame, chosen


def _find_header(frame: pd.DataFrame, columns: Sequence[Column]) -> int:
    required = [c for c in columns if c.required]
    best_row, best_hits = None, 0
    for row in list(frame.index)[:_HEADER_SEARCH_ROWS]:
        keys = {header_key(v) for v in frame.loc[row].tolist() if isinstance(v, str) and v.strip()}
        hits = sum(1 for c in required if c.keys & keys)
        if hits > best_hits:
            best_row, best_hits = row, hits
        if hits == len(required):
            return row
    return best_row if best_row is not None else int(frame.index[0])


def read_table(path: Path, columns: Sequence[Column], *, sheet_hint: str | None = None,
               what: str = "table") -> pd.DataFrame:
    """Read a CSV or XLSX file into a frame with the tidy column names of ``columns``.

    Values are left as read (strings for CSV, Python objects for Excel) for the readers'
    parsers. Adds ``source_row``. Columns not listed are dropped; optional columns that are
    absent are added as missing. Raises :class:`InputError` for empty files, missing columns
    and files whose contents do not match their extension.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, expected=f"a {what} with a header row and data rows")
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        raw = _rows_from_csv(path)
    elif suffix in _EXCEL_SUFFIXES:
        raw, _sheet = _rows_from_excel(path, sheet_hint)
    else:
        raise InputError(f"unsupported file type '{suffix}'", file=path, expected=".csv or .xlsx")
    raw = raw.dropna(how="all")
    raw = raw[~raw.apply(lambda r: all(isinstance(v, str) and not v.strip() for v in r), axis=1)]
    if raw.empty:
        raise InputError("the file is empty", file=path, expected=f"a {what} with a header row and data rows")
    header_row = _find_header(raw, columns)
    headers = [str(v).strip() if v is not None and v == v else "" for v in raw.loc[header_row].tolist()]
    positions: dict[str, int] = {}
    for column in columns:
        for position, header in enumerate(headers):
            if header_key(header) in column.keys and column.name not in positions:
                positions[column.name] = position
    missing = [c for c in columns if c.required and c.name not in positions]
    if missing:
        found = ", ".join(repr(h) for h in headers if h) or "none"
        raise InputError(
            f"missing column(s) {', '.join(repr(c.label) for c in missing)} in the {what}",
            file=path, row=header_row,
            expected=f"columns {', '.join(repr(c.label) for c in columns if c.required)} "
                     f"(Swedish or English headers); found {found}")
    data = raw.loc[raw.index > header_row]
    if data.empty:
        raise InputError("the file has a header but no data rows", file=path,
                         expected=f"a {what} with data rows")
    if suffix in _TEXT_SUFFIXES:
        _check_row_widths(path, data, headers)
    out = pd.DataFrame({c.name: data.iloc[:, positions[c.name]] if c.name in positions else None
                        for c in columns}, index=data.index)
    out["source_row"] = data.index.astype(int)
    out["source_file"] = str(path)
    out = out.reset_index(drop=True)
    out.attrs["headers"] = {c.name: headers[positions[c.name]] if c.name in positions else c.label
                            for c in columns}
    out.attrs["file"] = str(path)
    return out


def _check_row_widths(path: Path, data: pd.DataFrame, headers: list[str]) -> None:
    """Refuse CSV rows with values beyond the last header: the values would shift silently
    (typically a decimal comma, 7,8, in a comma-separated file without quotes)."""
    width = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    beyond = data.iloc[:, width:].apply(lambda c: c.map(lambda v: isinstance(v, str) and bool(v.strip())))
    if beyond.empty or not beyond.any(axis=None):
        return
    row = int(beyond.index[beyond.any(axis=1)][0])
    used = width + int(max(i + 1 for i, v in enumerate(beyond.loc[row].tolist()) if v))
    raise InputError(f"this row has {used} values but the header has {width} columns", file=path, row=row,
                     expected="one value per column; in a comma-separated file a number with a decimal comma "
                              'must be in quotes ("7,8"), or use ; as the separator')


def category_parser(mapping: Mapping[str, str], what: str):
    """A parser mapping accepted labels (any case, with or without å/ä/ö) to codes.

    ``mapping`` maps a label to its code; codes are accepted as themselves.
    """
    folded = {fold(k): v for k, v in mapping.items()}
    folded.update({fold(v): v for v in mapping.values()})
    shown = sorted(set(mapping))

    def parse(value: object) -> str:
        if is_missing(value):
            raise InputError(f"{what} is missing", expected="one of " + ", ".join(repr(s) for s in shown))
        key = fold(str(value))
        if key in folded:
            return folded[key]
        raise InputError(f"unknown {what}", value=value, expected="one of " + ", ".join(repr(s) for s in shown))

    return parse


def parse_columns(frame: pd.DataFrame, parsers: Mapping[str, object]) -> pd.DataFrame:
    """Apply one parser per column, errors naming the file, row and the header as written."""
    from ..clean import parse_column

    out = frame.copy()
    headers = frame.attrs.get("headers", {})
    for name, parser in parsers.items():
        out[name] = parse_column(frame[name], parser, file=frame.attrs.get("file"),
                                 column=headers.get(name, name), rows=frame["source_row"])
    out.attrs = dict(frame.attrs)
    return out


def labels_for(columns: Sequence[Column]) -> Mapping[str, str]:
    """Tidy column name → header shown in messages."""
    return {c.name: c.label for c in columns}


def parse_amount(value: object) -> float:
    """A number of hours or persons (``"1 234,5"``); missing → NaN. A ``%`` sign is refused: a
    percentage where an amount belongs would silently give a wrong number."""
    if isinstance(value, str) and "%" in value:
        raise InputError("a percentage where an amount is expected", value=value,
                         expected="a plain number such as 1 234,5 (hours or persons, not a percentage)")
    return parse_number(value)


def parse_count(value: object) -> float:
    """A whole number ≥ 0 written the Swedish way (``"1 234"``); missing → NaN."""
    number = parse_amount(value)
    if number == number and (not float(number).is_integer() or number < 0):
        raise InputError("not a whole number of 0 or more", value=value, expected="a count (0, 1, 2, ...)")
    return number


def parse_municipality(value: object) -> str:
    """A municipality code or name → 4-character code; an empty cell says the municipality is missing."""
    return municipality_code(None if is_missing(value) else value)


def require_values(frame: pd.DataFrame, columns: Sequence[str], expected: str = "a value in every row") -> None:
    """Raise for the first missing value in ``columns``, naming file, row and header."""
    headers = frame.attrs.get("headers", {})
    for column in columns:
        missing = frame[column].isna()
        if missing.any():
            first = frame.loc[missing].iloc[0]
            raise InputError("value is missing", file=first.get("source_file"), row=int(first["source_row"]),
                             column=headers.get(column, column), expected=expected)
