"""Försäkringskassan open data (sjukpenningtal, ongoing/started cases) → tidy ``sickpay_monthly``.

Two forms: the JSON API (:func:`read_fk_json`) and the Excel download (:func:`read_fk_excel`).
One row per area × sex × age group × month × measure. ``value`` is in the measure's unit
(sjukpenningtal: net days per insured person over a rolling 12 months; antal: cases; andel:
percent, 0–100; sjukfall_over_365: ongoing sick cases that have lasted more than 365 days, from
the JSON key ``antal_over_365`` or an Excel column such as ``Antal pågående sjukfall > 365
dagar``); ``denominator`` is FK's ``namnare`` (insured persons). Values suppressed at source
(``rojd: true``, ``X``, ``..``) are NaN with ``suppressed`` True. ``source_row`` is the 1-based
record number (JSON) or the Excel row number counting the heading rows (Excel).
"""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..clean import is_missing, parse_month, parse_number, parse_sex
from ..errors import InputError
from ..municipalities import county_code, fold, municipality_code
from .common import header_key
from .kolada import load_json

__all__ = ["read_fk_json", "read_fk_excel", "parse_age_group", "COLUMNS", "MEASURES"]

COLUMNS = ["area_level", "municipality_code", "county_code", "sex", "age_group", "month", "measure",
           "measure_version", "value", "denominator", "suppressed", "source_row", "source_file"]
#: JSON observation key → tidy measure; ``namnare`` is the denominator, not a measure.
MEASURES = {"spt": "sjukpenningtal", "antal": "antal", "andel": "andel", "antal_over_365": "sjukfall_over_365"}
DENOMINATOR_KEY = "namnare"
_LIST_KEYS = ("data", "values", "observations", "records")
_ALL = {"all", "alla", "riket", "hela riket", "sverige", "samtliga kommuner", "alla kommuner",
        "samtliga lan", "alla lan"}
_ALL_AGES = {"all", "alla", "samtliga", "samtliga aldrar", "alla aldrar", "totalt", "total"}
_FLAGS = {"true": True, "ja": True, "1": True, "false": False, "nej": False, "0": False, "none": False}
_JSON_EXPECTED = ('a list of FK records {"dimensions": ..., "observations": ...}, or an object holding '
                  'that list under "data", "values", "observations" or "records"')
_EXCEL_EXPECTED = "a header row with År, Månad, Kommun, Kön and a value column such as Sjukpenningtal 1.0"


def _integer(value: object) -> int | None:
    text = str(value).strip()
    return None if isinstance(value, bool) or not re.fullmatch(r"\d+(\.0*)?", text) else int(float(text))


def _period(year_raw: object, month_raw: object, columns: tuple[str, str]) -> pd.Period:
    """The month of a year (1900–2100) and a month (1–12 or a Swedish/English month name)."""
    year, number = _integer(year_raw), _integer(month_raw)
    if year is None or not 1900 <= year <= 2100:
        raise InputError("year is missing" if is_missing(year_raw) else "not a year", column=columns[0],
                         value=year_raw, expected="a year such as 2016")
    if number is not None and 1 <= number <= 12:
        return pd.Period(year=year, month=number, freq="M")
    if isinstance(month_raw, str) and re.fullmatch(r"[^\W\d_]+", month_raw.strip()):
        with contextlib.suppress(InputError):
            return parse_month(f"{month_raw.strip()} {year}")
    raise InputError("month is missing" if is_missing(month_raw) else "not a month", column=columns[1], value=month_raw,
                     expected="a month number 1-12 or a Swedish month name such as augusti")


def parse_age_group(value: object) -> str:
    """An age class as ``"16-29"`` (``"16–29 år"`` → ``"16-29"``, ``"65 år och äldre"`` → ``"65-"``);
    all ages (``ALL``, ``Samtliga åldrar``) → ``"alla"``."""
    text = "" if is_missing(value) else fold(str(value).replace("–", "-").replace("—", "-"))
    older = re.fullmatch(r"(\d{1,3}) (?:ar )?(?:och|eller) (?:aldre|over)", text)
    compact = re.sub(r"\s+", "", re.sub(r"\s*ar$", "", text))
    if text in _ALL_AGES or older or re.fullmatch(r"\d{1,3}-\d{1,3}|\d{1,3}-|-\d{1,3}|\d{1,3}\+", compact):
        return "alla" if text in _ALL_AGES else f"{older[1]}-" if older else compact
    raise InputError("age group is missing" if not text else "unknown age group", value=value,
                     expected="ALL / Samtliga åldrar or an age class such as 16-29 or '16-29 år'")


def _version(value: object) -> str:
    match = re.search(r"(?<![\d.])([12])(?:[.,]0)?(?![\d.])", str(value))
    if match is None:
        raise InputError("unknown measure version", value=value, expected="1.0 or 2.0")
    return f"{match[1]}.0"


def _flag(value: object) -> bool:
    key = fold(str(value)).removesuffix(".0")
    if key not in _FLAGS:
        raise InputError("not true or false", value=value, expected="true or false")
    return _FLAGS[key]


def _located(parse: Callable[[object], Any], value: object, column: str) -> Any:
    try:
        return parse(value)
    except InputError as error:
        raise error.located(column=column) from None


@functools.lru_cache(maxsize=4096)
def _cached_code(parse: Callable[[object], str], value: str | int) -> str:
    return parse(value)


def _county_code(value: object) -> str:
    """:func:`county_code`, memoised for text and whole numbers (a file repeats a few areas many times)."""
    cacheable = isinstance(value, (str, int)) and not isinstance(value, bool)
    return _cached_code(county_code, value) if cacheable else county_code(value)


def _municipality_code(value: object) -> str:
    """:func:`municipality_code`, memoised like :func:`_county_code`."""
    cacheable = isinstance(value, (str, int)) and not isinstance(value, bool)
    return _cached_code(municipality_code, value) if cacheable else municipality_code(value)


def _area(county_raw: object, kommun_raw: object, columns: tuple[str, str]) -> tuple[str, str | None, str | None]:
    """(area_level, municipality_code, county_code) from a county field and a municipality field.

    The municipality field may say ``ALL_<county>`` (the county) or ``ALL_ALL`` (Sweden); empty or
    "Samtliga kommuner" means the county given, or Sweden when no county is given.
    """
    def is_all(value: object) -> bool:
        return is_missing(value) or fold(str(value)) in _ALL

    county = None if is_all(county_raw) else _located(_county_code, county_raw, columns[0])
    total = None if is_missing(kommun_raw) else re.fullmatch(r"all_(all|\d{1,2})", fold(str(kommun_raw)))
    if total and total[1] == "all":
        level, code, own = "riket", None, None
    elif total:
        level, code, own = "lan", None, _located(_county_code, total[1], columns[1])
    elif is_all(kommun_raw):
        level, code, own = ("lan", None, county) if county else ("riket", None, None)
    else:
        code = _located(_municipality_code, kommun_raw, columns[1])
        level, own = "kommun", code[:2]
    if county and own != county:
        raise InputError(f"the area is not in county {county}", column=columns[1], value=kommun_raw,
                         expected=f"an area within {columns[0]} {county} (this one is in "
                                  f"{'county ' + own if own else 'no county: it is Sweden'})")
    return level, code, own


def _checked(area: tuple, sex: str, age: str, month: pd.Period, measure: str, version: str, raw: object,
             suppressed: bool, denominator: float, column: str) -> dict:
    """One tidy row (without its source); the value NaN when suppressed, else checked ≥ 0 (andel ≤ 100)."""
    value = float("nan") if suppressed else _located(parse_number, raw, column)
    if value < 0 or (measure == "andel" and value > 100):
        raise InputError("negative value" if value < 0 else "a share (andel) above 100", column=column,
                         value=raw, expected="a value of 0 or more" + (", at most 100" if measure == "andel" else ""))
    return dict(zip(COLUMNS, (*area, sex, age, month, measure, version, value, denominator, suppressed)))


def _json_rows(record: object, default_version: str) -> list[dict]:
    if not (isinstance(record, dict) and isinstance(record.get("dimensions"), dict)
            and isinstance(record.get("observations"), dict)):
        raise InputError("not a record of the expected form", value=str(record)[:80],
                         expected='{"dimensions": {...}, "observations": {...}}')
    dims, observations = record["dimensions"], record["observations"]
    month_key = next((k for k in ("manad", "man") if k in dims), "manad")
    month = _period(dims.get("ar"), dims.get(month_key), ("ar", month_key))
    area = _area(dims.get("lan_kod"), dims.get("kommun_kod"), ("lan_kod", "kommun_kod"))
    sex = _located(parse_sex, dims["kon_kod"], "kon_kod") if "kon_kod" in dims else "alla"
    age = _located(parse_age_group, dims["aldersklass_kod"], "aldersklass_kod") if "aldersklass_kod" in dims \
        else "alla"
    version_raw = dims.get("version", record.get("version"))
    version = default_version if is_missing(version_raw) else _located(_version, version_raw, "version")
    unknown = [k for k in observations if k not in MEASURES and k != DENOMINATOR_KEY]
    measures = [k for k in observations if k in MEASURES]
    if unknown or not measures:
        raise InputError("unknown observation" if unknown else "the record has no value", column="observations",
                         value=unknown[0] if unknown else sorted(observations),
                         expected="observations spt, antal, andel or antal_over_365 (and namnare)")

    def observation(key: str) -> tuple[object, bool]:
        item = observations[key]
        raw, rojd = (item.get("value"), item.get("rojd")) if isinstance(item, dict) else (item, False)
        return raw, _located(_flag, rojd, f"{key}.rojd")

    denominator = float("nan")
    if DENOMINATOR_KEY in observations:
        denominator = _checked(area, sex, age, month, "", version, *observation(DENOMINATOR_KEY), float("nan"),
                               f"{DENOMINATOR_KEY}.value")["value"]
    return [_checked(area, sex, age, month, MEASURES[key], version, *observation(key), denominator,
                     f"{key}.value") for key in measures]


def _frame(rows: list[dict], path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"month": "period[M]", "value": float, "denominator": float, "suppressed": bool, "source_row": int})
    frame["source_file"] = str(path)
    frame.attrs["file"] = str(path)  # str: attrs go into parquet metadata as JSON
    return frame


def read_fk_json(path: Path) -> pd.DataFrame:
    """Read an FK open-data API file (a list of records, or an object holding the list under
    ``data``/``values``/``observations``/``records``) into ``sickpay_monthly`` rows.

    Absent ``kon_kod``/``aldersklass_kod`` mean all sexes/ages; ``version`` (in ``dimensions``, the
    record or the top-level object) selects sjukpenningtal 2.0, otherwise 1.0.
    """
    path = Path(path)
    document = load_json(path, _JSON_EXPECTED)
    records = document if isinstance(document, list) else next(
        (document[k] for k in _LIST_KEYS if isinstance(document, dict) and isinstance(document.get(k), list)), None)
    if not records:
        found = f"an object with keys {sorted(document)[:8]}" if isinstance(document, dict) else document
        raise InputError("no records" if records == [] else "not the expected structure", file=path,
                         value=str(found)[:80], expected=_JSON_EXPECTED)
    top_version = document.get("version") if isinstance(document, dict) else None
    default_version = "1.0" if is_missing(top_version) else _located(_version, top_version, "version")
    rows = []
    for number, record in enumerate(records, start=1):
        try:
            rows.extend(dict(row, source_row=number) for row in _json_rows(record, default_version))
        except InputError as error:
            raise error.located(path, number) from None
    return _frame(rows, path)


_EXCEL_KEYS = {"year": {"ar"}, "month": {"manad"}, "county": {"lan"}, "municipality": {"kommun"},
               "sex": {"kon"}, "age_group": {"alder", "aldersklass", "aldersgrupp"}, "denominator": {"namnare"}}
_VALUE_PREFIXES = ("sjukpenningtal", "antal", "andel")
#: an ``Antal …`` column of ongoing cases longer than a year: "> 365 dagar", "längre än 365 dagar", "över 365"
_LONG_CASES = re.compile(r"(?:>|over|langre an|mer an)\s*365\b")


def _excel_layout(row: list) -> tuple[dict[str, int], list[tuple[int, str, str]]]:
    """Key column positions, and value columns as (position, measure, version), of a header row."""
    keys: dict[str, int] = {}
    values = []
    for position, cell in enumerate(row):
        key = header_key(cell) if isinstance(cell, str) else ""
        name = next((n for n, accepted in _EXCEL_KEYS.items() if key in accepted), None)
        prefix = next((p for p in _VALUE_PREFIXES if key.startswith(p)), None)
        if name and name not in keys:
            keys[name] = position
        elif prefix:
            version = _version(key) if prefix == "sjukpenningtal" and re.search(r"\d", key) else "1.0"
            measure = "sjukfall_over_365" if prefix == "antal" and _LONG_CASES.search(key) else prefix
            values.append((position, measure, version))
    return keys, values


def _excel_rows(cells: list, keys: dict[str, int], values: list, headers: list[str]) -> list[dict]:
    def located(parse: Callable[[object], Any], name: str) -> Any:
        return _located(parse, cells[keys[name]], headers[keys[name]])

    month = _period(cells[keys["year"]], cells[keys["month"]], (headers[keys["year"]], headers[keys["month"]]))
    area = _area(cells[keys["county"]] if "county" in keys else None, cells[keys["municipality"]],
                 (headers[keys["county"]] if "county" in keys else "Län", headers[keys["municipality"]]))
    sex = located(parse_sex, "sex")
    age = located(parse_age_group, "age_group") if "age_group" in keys else "alla"
    denominator = float("nan") if "denominator" not in keys or _suppressed(cells[keys["denominator"]]) \
        else located(parse_number, "denominator")
    return [_checked(area, sex, age, month, measure, version, cells[position], _suppressed(cells[position]),
                     denominator, headers[position]) for position, measure, version in values]


def _suppressed(cell: object) -> bool:
    return isinstance(cell, str) and fold(cell) in ("x", "..")


def read_fk_excel(path: Path) -> pd.DataFrame:
    """Read an FK Excel download (heading rows, then a header row with ``År``, ``Månad``, ``Län``,
    ``Kommun``, ``Kön``, ``Ålder`` and value columns such as ``Sjukpenningtal 1.0``, ``Antal``,
    ``Andel``) into ``sickpay_monthly`` rows. Every sheet with such a header is read (a table split
    over sheets); rows with at most one filled cell (notes) are skipped; ``X``/``..`` are suppressed.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(f"the Excel file cannot be opened ({type(error).__name__})", file=path,
                         expected="an .xlsx workbook") from None
    rows = []
    for name, sheet in sheets.items():
        grid = [[None if v is None or v != v else v for v in r] for r in sheet.itertuples(index=False)]
        try:
            layouts = [_excel_layout(r) for r in grid[:10]]
        except InputError as error:
            raise error.located(path) from None
        header_at = next((i for i, (k, v) in enumerate(layouts)
                          if {"year", "month", "municipality", "sex"} <= set(k) and v), None)
        if header_at is None:
            if any(r and _integer(r[0]) and 1900 <= _integer(r[0]) <= 2100 for r in grid):
                raise InputError(f"sheet '{name}' holds data but no header row", file=path, expected=_EXCEL_EXPECTED)
            continue
        headers = ["" if v is None else str(v).strip() for v in grid[header_at]]
        for index in range(header_at + 1, len(grid)):
            if sum(v is not None and str(v).strip() != "" for v in grid[index]) <= 1:
                continue
            try:
                parsed = _excel_rows(grid[index], *layouts[header_at], headers)
            except InputError as error:
                raise InputError(f"{error.message} (sheet '{name}')", path, index + 1, error.column,
                                 error.value, error.expected) from None
            rows.extend(dict(row, source_row=index + 1) for row in parsed)
    if not rows:
        raise InputError("no FK table found in any sheet", file=path, expected=_EXCEL_EXPECTED + ", then data rows")
    return _frame(rows, path)
