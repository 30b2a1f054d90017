"""Privacy: Swedish identity numbers, keyed pseudonyms, output scanning, small-cell suppression.

Identity numbers (personnummer and samordningsnummer) are ``YYMMDD-NNNC``, ``YYMMDD+NNNC``
(the ``+`` marks a person aged 100 or more), ``YYMMDDNNNC``, ``YYYYMMDDNNNC`` or
``YYYYMMDD-NNNC``; the month is 01–12, the day 01–31, or 61–91 for a samordningsnummer (day +
60), and ``C`` is the Luhn check digit over the ten digits ``YYMMDDNNN``. Identity numbers are
replaced at ingest by ``P-`` plus 12 hex characters of an HMAC-SHA256 under a project secret
(see :func:`load_secret`); the secret is never written anywhere but ``.fouress_secret``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .clean import is_missing
from .config import find_project_root
from .errors import InputError

__all__ = ["luhn_check_digit", "is_identity_number", "find_identity_numbers", "normalise_identity_number",
           "mask", "load_secret", "pseudonym", "pseudonymise_column", "Finding", "scan_frame",
           "PrivacyError", "assert_no_identity_numbers", "scan_files", "mask_small_counts", "suppress"]

SECRET_ENV = "FOURESS_EVAL_SECRET"
SECRET_FILE_ENV = "FOURESS_EVAL_SECRET_FILE"
SECRET_FILE = ".fouress_secret"
EXPECTED = "a valid personnummer/samordningsnummer (check digit)"

# One whole identity number: optional century, YYMMDD, separator ('+' only in the ten-digit form), NNNC.
_FULL = re.compile(r"(?:(?P<century>\d{2})(?P<d12>\d{6})-?|(?P<d10>\d{6})(?P<sep>[-+]?))(?P<tail>\d{4})")
# Anything shaped like one, valid or not (used to refuse mistyped numbers instead of hashing them).
_SHAPED = re.compile(r"\d{6}(?:\d{2})?[-+]?\d{4}")
# A candidate in free text. It must not touch an ASCII letter or digit (so digits inside longer
# digit runs, hex digests and pseudonyms are not matched) unless it follows an escape such as a
# literal "\n" in JSON; nor may it be the decimals or integer part of a decimal number.
_CANDIDATE = re.compile(r"""
    (?:(?<![0-9A-Za-z])|(?<=\\[A-Za-z]))
    (?<!\d\.)
    (\d{8}-?\d{4}|\d{6}[-+]?\d{4})
    (?![0-9A-Za-z])(?!\.\d)
""", re.VERBOSE)
_TEXT_SUFFIXES = {".csv", ".json", ".html", ".htm", ".ipynb", ".md", ".txt", ".yml", ".yaml", ".tsv", ".xml"}
_BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".zip", ".gz", ".pkl", ".pickle", ".npy",
                    ".xls", ".ods", ".feather", ".woff", ".woff2", ".ttf", ".ico", ".db", ".sqlite"}


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit over ``YYMMDDNNN`` (weights 2, 1, 2, …; digits of products summed)."""
    if len(nine_digits) != 9 or not nine_digits.isascii() or not nine_digits.isdigit():
        raise ValueError(f"expected nine digits, not {nine_digits!r}")
    total = 0
    for position, digit in enumerate(nine_digits):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _parse(text: object) -> tuple[str | None, str, str, str] | None:
    """(century or None, YYMMDD, NNNC, separator) of a valid identity number, else None."""
    if not isinstance(text, str):
        return None
    match = _FULL.fullmatch(text.strip())
    if match is None:
        return None
    century, yymmdd = match["century"], match["d12"] or match["d10"]
    tail, separator = match["tail"], match["sep"] or ""
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if century is not None and century not in ("18", "19", "20"):
        return None
    if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
        return None
    if luhn_check_digit(yymmdd + tail[:3]) != int(tail[3]):
        return None
    return century, yymmdd, tail, separator


def is_identity_number(text: str) -> bool:
    """True if ``text`` (whitespace around allowed) is a valid personnummer or samordningsnummer."""
    return _parse(text) is not None


def find_identity_numbers(text: str) -> list[str]:
    """Every valid identity number in free text, as written, in order of appearance."""
    return [m.group(1) for m in _CANDIDATE.finditer(text) if _parse(m.group(1)) is not None]


def normalise_identity_number(text: str, *, today: date | None = None) -> str:
    """The 12-digit form ``YYYYMMDDNNNC``.

    A ten-digit number gets the century that makes the person 0–99 years old on ``today``
    (default: the current date), or 100 or more with the ``+`` separator.
    """
    parsed = _parse(text)
    if parsed is None:
        raise InputError("not a valid Swedish identity number", value=mask(str(text)), expected=EXPECTED)
    century, yymmdd, tail, separator = parsed
    if century is None:
        today = today or date.today()
        yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]) % 60
        year = today.year - (today.year - yy) % 100  # the latest year ending in yy
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
        if separator == "+":
            year -= 100
        century = f"{year // 100:02d}"
    return century + yymmdd + tail


def mask(text: object) -> str:
    """A display form revealing only the shape: every digit becomes ``*`` (``******-****``)."""
    return re.sub(r"\d", "*", str(text).strip())


def load_secret(project_root: Path | None = None) -> bytes:
    """The HMAC key for pseudonyms.

    Taken from ``$FOURESS_EVAL_SECRET``, else the file named by ``$FOURESS_EVAL_SECRET_FILE``,
    else ``.fouress_secret`` in the project root, which is created (32 random bytes as hex,
    mode 0600) when missing. The secret is never printed.
    """
    text = os.environ.get(SECRET_ENV, "")
    if text.strip():
        return text.strip().encode("utf-8")
    named = os.environ.get(SECRET_FILE_ENV, "")
    if named.strip():
        path = Path(named.strip()).expanduser()
        if not path.is_file():
            raise InputError("the secret file named by $" + SECRET_FILE_ENV + " does not exist", file=path,
                             expected="a file holding the project's pseudonymisation secret")
        return _read_secret(path)
    root = Path(project_root) if project_root is not None else \
        Path(os.environ.get("FOURESS_EVAL_ROOT") or find_project_root())
    path = root / SECRET_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    secret = path.read_bytes().strip()
    if not secret:
        raise InputError("the secret file is empty", file=path, expected="a non-empty pseudonymisation secret")
    return secret


def pseudonym(identifier: str, secret: bytes) -> str:
    """``"P-"`` + 12 hex characters of HMAC-SHA256(secret, identifier).

    Identity numbers are first normalised to 12 digits, so every written form of one person's
    number gives the same pseudonym; other identifiers are used as stripped text.
    """
    if not secret:
        raise ValueError("the pseudonymisation secret is empty")
    text = str(identifier).strip()
    key = normalise_identity_number(text) if is_identity_number(text) else text
    return "P-" + hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def _as_text(value: object) -> str:
    """A cell as text; integral floats without '.0' (identity numbers Excel read as numbers)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def pseudonymise_column(series: pd.Series, secret: bytes, *, file: str | Path | None = None,
                        column: str | None = None) -> pd.Series:
    """Pseudonyms for every value of ``series`` (same index).

    Raises :class:`InputError` for a missing value or one shaped like an identity number that
    fails the date or check-digit test; ``row`` is the position + 2 (header = row 1).
    """
    file = file if file is not None else series.attrs.get("file")
    column = column if column is not None else (None if series.name is None else str(series.name))
    cache: dict[str, str] = {}
    out = []
    for position, value in enumerate(series.tolist()):
        where = dict(file=file, row=position + 2, column=column)
        if is_missing(value):
            raise InputError("identifier is missing", expected="an identity number or participant id in every row",
                             **where)
        text = _as_text(value).strip()
        if re.fullmatch(r"\d{9}", text) and is_identity_number(text.zfill(10)):
            text = text.zfill(10)  # a leading zero lost to a numeric cell (born 2000–2009)
        if text not in cache:
            if _SHAPED.fullmatch(text) and not is_identity_number(text):
                raise InputError("invalid identity number (wrong date or check digit)", value=mask(text),
                                 expected=EXPECTED, **where)
            cache[text] = pseudonym(text, secret)
        out.append(cache[text])
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


@dataclass(frozen=True)
class Finding:
    """An identity number found somewhere; ``row`` is spreadsheet-style (header = 1) or a line number."""

    location: str
    column: str | None
    row: int | None
    masked: str


def _scannable(series: pd.Series) -> bool:
    dtype = series.dtype
    return not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
                or pd.api.types.is_timedelta64_dtype(dtype) or isinstance(dtype, pd.PeriodDtype))


def scan_frame(frame: pd.DataFrame, location: str) -> list[Finding]:
    """Every identity number in ``frame``'s column names (row 1), cells (row = position + 2) and index."""
    findings = [Finding(location, mask(name), 1, mask(number))
                for name in map(str, frame.columns) for number in find_identity_numbers(name)]
    columns = [(str(name), frame.iloc[:, i]) for i, name in enumerate(frame.columns)]
    if not isinstance(frame.index, pd.RangeIndex):
        columns.append((str(frame.index.name or "(index)"), frame.index.to_series()))
    for name, series in columns:
        if not _scannable(series):
            continue
        shown = mask(name) if find_identity_numbers(name) else name
        findings.extend(Finding(location, shown, position + 2, mask(number)) for position, number in _cells(series))
    return findings


def _cells(series: pd.Series) -> Iterable[tuple[int, str]]:
    """(position, identity number) for every number in the column's cells, in order.

    The same test as :func:`find_identity_numbers` on each cell's text, made fast for the large
    tables ``prepare`` checks before writing: a number column can only hold one as an integral
    value of 10 to 12 digits (``_CANDIDATE`` needs 10 or 12 digits with no digit or decimal part
    around them), so only such cells are read; other columns are tested once per distinct value.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_complex_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            size = np.abs(values)
            candidates = np.flatnonzero((size >= 1e9) & (size < 1e13) & (values == np.round(values)))
        cells = [(int(p), series.iat[p]) for p in candidates]
    else:
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # unhashable cells (lists, dicts): each one as text
            codes, uniques = None, None
        if codes is not None:
            found = {i: find_identity_numbers(_as_text(value)) for i, value in enumerate(uniques)
                     if not is_missing(value)}
            hits = [i for i, numbers in found.items() if numbers]
            return [(int(p), number) for p in np.flatnonzero(np.isin(codes, hits)) for number in found[codes[p]]]
        cells = list(enumerate(series.tolist()))
    return [(p, number) for p, value in cells if not is_missing(value)
            for number in find_identity_numbers(_as_text(value))]


class PrivacyError(InputError):
    """A table or file that would be written still holds a personal identity number."""


def assert_no_identity_numbers(frame: pd.DataFrame, name: str) -> None:
    """Raise :class:`PrivacyError` (table, column, row, masked value) if ``frame`` holds an identity number."""
    findings = scan_frame(frame, name)
    if findings:
        first = findings[0]
        raise PrivacyError(f"table '{name}' still holds {len(findings)} personal identity number(s) and is "
                           "not written", row=first.row, column=first.column, value=first.masked,
                           expected="pseudonymised identifiers (P-…) only")


def _files(paths: Path | Iterable[Path]) -> list[Path]:
    items = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else [Path(p) for p in paths]
    files: list[Path] = []
    for item in items:
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*") if p.is_file()))
        elif item.is_file():
            files.append(item)
        else:
            raise InputError("file or folder to scan not found", file=item, expected="an existing path")
    return files


def _scan_text(path: Path) -> list[Finding]:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif path.suffix.lower() not in _TEXT_SUFFIXES and b"\x00" in data[:8192]:
        return []  # binary content under an unknown suffix
    else:
        text = data.decode("utf-8", errors="replace")
    return [Finding(str(path), None, line_number, mask(number))
            for line_number, line in enumerate(text.split("\n"), start=1)
            for number in find_identity_numbers(line)]


def _scan_workbook(path: Path) -> list[Finding]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)
    try:
        findings = []
        for sheet in workbook.worksheets:
            location = f"{path} (sheet '{sheet.title}')"
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None or not isinstance(cell.value, (str, int, float)):
                        continue
                    findings.extend(Finding(location, cell.column_letter, cell.row, mask(number))
                                    for number in find_identity_numbers(_as_text(cell.value)))
        return findings
    finally:
        workbook.close()


def scan_files(paths: Path | Iterable[Path]) -> list[Finding]:
    """Identity numbers in files or folders (recursively), masked.

    Parquet tables and Excel workbooks (every sheet) are read cell by cell; text-like files
    (csv, json, html, ipynb, md, txt, yml, …) line by line, ``row`` being the line number;
    known binary formats (png, pdf, …) are skipped.
    """
    findings: list[Finding] = []
    for path in _files(paths):
        suffix = path.suffix.lower()
        try:
            if suffix == ".parquet":
                findings.extend(scan_frame(pd.read_parquet(path), str(path)))
            elif suffix in (".xlsx", ".xlsm"):
                findings.extend(_scan_workbook(path))
            elif suffix not in _BINARY_SUFFIXES:
                findings.extend(_scan_text(path))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise InputError(f"cannot read the file to check it for identity numbers ({error})", file=path,
                             expected="a readable file") from error
    return findings


def mask_small_counts(counts: pd.Series, min_count: int = 5) -> pd.Series:
    """Counts for display: 1 … ``min_count`` - 1 become ``"<min_count"``; 0, larger counts and NaN stay.

    Primary small-cell suppression only: totals or neighbouring cells may still reveal a hidden
    count; secondary suppression is a separate, later step.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    hidden = f"<{min_count}"

    def shown(value: object) -> object:
        if pd.isna(value):
            return value
        if value < 0:
            raise ValueError(f"a count cannot be negative, got {value!r}")
        number = int(value) if float(value).is_integer() else value
        return hidden if 0 < number < min_count else number

    return pd.Series([shown(v) for v in counts.tolist()], index=counts.index, name=counts.name, dtype=object)


from .disclosure import suppress  # noqa: E402
