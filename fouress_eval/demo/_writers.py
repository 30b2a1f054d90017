"""Writing demo files the way Swedish exports look, byte-for-byte reproducibly.

Numbers use a decimal comma and a space between thousands; CSV files come in the encodings and
separators municipal systems produce. ``.xlsx`` files are re-zipped with fixed timestamps,
because openpyxl stamps the current time into both the zip entries and ``docProps/core.xml`` and
the committed demo must be identical for the same seed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

__all__ = ["swedish_number", "write_csv", "write_xlsx", "write_json"]

_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_FIXED_ISO = "2020-01-01T00:00:00Z"


def swedish_number(value: float, decimals: int = 1) -> str:
    """``1234.5`` → ``"1 234,5"``: decimal comma, a space between thousands."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], *,
              encoding: str = "utf-8", separator: str = ";", title: str | None = None) -> None:
    """A CSV file with ``\\r\\n`` line ends (as Excel and personnel systems write them)."""
    buffer = io.StringIO()
    if title:
        buffer.write(title + "\r\n")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue()
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))


def write_xlsx(path: Path, sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[object]]]], *,
               titles: dict[str, Sequence[str]] | None = None) -> None:
    """An ``.xlsx`` workbook, one sheet per entry, optional title rows above the header."""
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        for line in (titles or {}).get(name, ()):
            sheet.append([line])
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + _FIXED_ISO.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()


def write_json(path: Path, payload: object, *, one_record_per_line: bool = False) -> None:
    """UTF-8 JSON; long record lists one per line so that diffs stay readable."""
    if one_record_per_line and isinstance(payload, list):
        body = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in payload) + "\n]\n"
    else:
        body = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    path.write_text(body, encoding="utf-8")
