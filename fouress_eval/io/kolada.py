"""Kolada API pages (v2 and v3) → the tidy ``kolada`` table of key figures per area, year and sex.

A paged download is several files ``kolada_*.json``, one per page, each read on its own (the
store concatenates them). The link to the next page (v2 ``next_page``, v3 ``next_url``) is
recorded in ``frame.attrs["next"]`` and never followed: the package does not use the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..clean import is_missing, parse_number
from ..errors import InputError
from ..municipalities import county_code, municipality_code

__all__ = ["read_kolada_json", "load_json", "kolada_area", "COLUMNS", "PERCENT_KPIS"]

COLUMNS = ["kpi", "area_level", "municipality_code", "county_code", "year", "sex", "value", "status",
           "source_row", "source_file"]
#: KPIs given in percent, which must lie within 0–100: N00090 sick leave of municipal employees,
#: N00091 share of it in spells of 60 days or more.
PERCENT_KPIS = frozenset({"N00090", "N00091"})
_SEX = {"T": "alla", "K": "K", "M": "M"}
_EXPECTED = ('a Kolada API page {"values": [{"kpi", "municipality", "period", "values": [{"gender", '
             '"status", "value"}]}], "count", "next_page"/"next_url"}')


def load_json(path: Path, what: str) -> Any:
    """Parse a UTF-8 JSON file (Kolada pages and FK API files).

    Raises :class:`InputError` for a missing, empty, non-UTF-8 or invalid file; ``what`` is what was expected.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("the file is empty", file=path, expected=what)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=path, expected=f"{what} (JSON, UTF-8)") from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                         file=path, expected=what) from None


def kolada_area(value: object) -> tuple[str, str | None, str | None]:
    """(area_level, municipality_code, county_code) of a Kolada area id.

    ``"0000"`` is Sweden (riket); ``"0001"``–``"0025"`` are counties (the county code is the last two
    digits); other ids are 4-digit municipality codes.
    """
    text = "" if is_missing(value) else str(value).strip()
    if text == "0000":
        return "riket", None, None
    county = re.fullmatch(r"00(\d\d)", text)
    if county:
        try:
            return "lan", None, county_code(county[1])
        except InputError:
            raise InputError("unknown Kolada county id", value=value,
                             expected="0000 (Sweden), a county 0001-0025 or a municipality code") from None
    if not re.fullmatch(r"\d{3,4}", text):
        raise InputError("unknown municipality", value=value,
                         expected="a 4-digit municipality code such as 1480, a county 0001-0025 or 0000")
    code = municipality_code(text)
    return "kommun", code, code[:2]


def _entry_rows(entry: object) -> list[dict]:
    if not (isinstance(entry, dict) and isinstance(entry.get("values"), list)):
        raise InputError("not a Kolada value entry", value=str(entry)[:80],
                         expected='{"kpi", "municipality", "period", "values": [...]}')
    kpi = entry.get("kpi")
    if is_missing(kpi) or not isinstance(kpi, str):
        raise InputError("KPI id is missing", column="kpi", value=kpi, expected="a KPI id such as N00090")
    try:
        area = kolada_area(entry.get("municipality"))
    except InputError as error:
        raise error.located(column="municipality") from None
    year = entry.get("period")
    if isinstance(year, bool) or not re.fullmatch(r"(19|20)\d\d", str(year).strip()):
        raise InputError("not a year", column="period", value=year, expected="a year such as 2016")
    rows = []
    for value_entry in entry["values"]:
        if not isinstance(value_entry, dict):
            raise InputError("not a value object", column="values", value=value_entry,
                             expected='{"gender", "status", "value"}')
        gender = value_entry.get("gender")
        if gender not in _SEX:
            raise InputError("unknown gender", column="gender", value=gender, expected="T, K or M")
        raw = value_entry.get("value")
        try:
            value = parse_number(raw)
        except InputError as error:
            raise error.located(column="value") from None
        if kpi in PERCENT_KPIS and not (value != value or 0 <= value <= 100):
            raise InputError(f"a percentage outside 0-100 for {kpi} (gender {gender})", column="value",
                             value=raw, expected="a percentage between 0 and 100")
        status = value_entry.get("status")
        rows.append(dict(zip(COLUMNS, (kpi, *area, int(str(year).strip()), _SEX[gender], value,
                                       "" if status is None else str(status).strip()))))
    return rows


def read_kolada_json(path: Path) -> pd.DataFrame:
    """Read one Kolada API page (v2 or v3) into ``kolada`` rows, one per entry × gender.

    ``value`` is in the KPI's unit (percent for N00090/N00091, checked to lie in 0–100), NaN when
    missing; ``status`` is Kolada's flag (``"Missing"`` …), ``""`` when none; gender T is ``"alla"``.
    ``source_row`` is the 1-based index of the entry in ``values``. An empty page gives an empty
    frame. ``frame.attrs["next"]`` holds ``next_page``/``next_url`` (not followed), ``attrs["count"]``
    the page's ``count``.
    """
    path = Path(path)
    document = load_json(path, _EXPECTED)
    entries = document.get("values") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        found = f"an object with keys {sorted(document)[:8]}" if isinstance(document, dict) else type(document).__name__
        raise InputError("not the expected structure", file=path, value=found, expected=_EXPECTED)
    rows = []
    for number, entry in enumerate(entries, start=1):
        try:
            rows.extend(dict(row, source_row=number) for row in _entry_rows(entry))
        except InputError as error:
            raise error.located(path, number) from None
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["source_row"] = frame["source_row"].astype(int)
    frame["source_file"] = str(path)
    frame.attrs["file"] = str(path)  # str: attrs go into parquet metadata as JSON
    frame.attrs["next"] = document.get("next_page") or document.get("next_url")
    frame.attrs["count"] = document.get("count")
    return frame
