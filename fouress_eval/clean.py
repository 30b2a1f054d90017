"""Parsers for the values Swedish exports contain: numbers, months, dates, sex.

Each parser takes one raw value and returns a clean one, or raises
:class:`~fouress_eval.errors.InputError` saying what was expected. :func:`parse_column` applies a
parser to a column and puts the file, row and column into the error.

Conventions: missing markers (empty, ``".."``, ``"-"``, ``"–"``) parse to NaN/NaT/None;
numbers accept decimal comma, thousands separated by space, no-break space, thin space or dot,
and a trailing ``%`` (the number is returned as written, 7,8 % → 7.8); months are
``pandas.Period[M]``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .errors import InputError
from .municipalities import fold

__all__ = ["parse_number", "parse_month", "parse_date", "parse_sex", "parse_column", "is_missing"]

_MISSING = {"", "..", "...", "-", "–", "—", "na", "n/a", "nan", "none", "null", "saknas"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def is_missing(value: object) -> bool:
    """True for None, NaN/NaT and the textual missing markers statistics exports use."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or (isinstance(value, type(pd.NA)) and value is pd.NA):
        return True
    if isinstance(value, (np.datetime64, np.timedelta64)) and np.isnat(value):
        return True
    return isinstance(value, str) and value.strip().lower() in _MISSING


def parse_number(value: object) -> float:
    """A number written the Swedish way (``"7,8"``, ``"1 234,5"``, ``"7,8 %"``, ``"−3"``) as float.

    Both separators present: the last one is the decimal mark (``"1.234,5"``, ``"1,234.5"``).
    Several dots and no comma (``"1.234.567"``) are thousands separators. Missing → NaN.
    """
    if isinstance(value, bool):
        raise InputError("not a number", value=value, expected="a number")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if is_missing(value):
        return float("nan")
    text = str(value).strip().replace("\u2212", "-").replace("\u2013", "-")
    text = _SPACES.sub("", text)
    if text.endswith("%"):
        text = text[:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise InputError("not a number", value=value, expected="a number such as 7,8 or 1 234,5")
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        raise InputError("not a number", value=value, expected="a number such as 7,8 or 1 234,5")
    return float(text)


_MONTH_NAMES = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "february": 2,
    "mar": 3, "mars": 3, "march": 3,
    "apr": 4, "april": 4,
    "maj": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augusti": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oct": 10, "oktober": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MONTH_EXPECTED = "a month such as 2018-05, maj-18, maj 2018, 2018M05 or an Excel date"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _excel_serial(number: float) -> pd.Timestamp | None:
    # Excel stores dates as days since 1899-12-30; accept 1982..2064 only, so that a stray
    # number is not silently read as a date.
    if 30000 <= number <= 60000 and float(number).is_integer():
        return _EXCEL_EPOCH + pd.Timedelta(days=int(number))
    return None


def parse_month(value: object) -> pd.Period:
    """A calendar month as ``pandas.Period[M]``; missing → NaT.

    Accepts ``2016-08``, ``2016-8``, ``201608``, ``2016M08``, ``2016-08-01``, ``08/2016``,
    ``aug-16``, ``Aug 2016``, ``augusti 2016``, English month names, datetimes and Excel serial dates.
    """
    if is_missing(value):  # before the date checks: pd.NaT is an instance of dt.date
        return pd.NaT
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return pd.Timestamp(value).to_period("M")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        stamp = _excel_serial(float(value))
        if stamp is not None:
            return stamp.to_period("M")
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = fold(str(value)).replace(".", " ").strip()
    patterns: list[tuple[str, Callable[[re.Match], tuple[int, int]]]] = [
        (r"(\d{4})\s*[-/m ]\s*(\d{1,2})(?:[-/ ]\d{1,2})?(?:[ t]\d{1,2}:\d{2}(:\d{2})?)?", lambda m: (int(m[1]), int(m[2]))),
        (r"(\d{4})(\d{2})", lambda m: (int(m[1]), int(m[2]))),
        (r"(\d{1,2})\s*[-/]\s*(\d{4})", lambda m: (int(m[2]), int(m[1]))),
        (r"([a-z]+)\s*[-/ ]\s*'?(\d{2}|\d{4})", lambda m: (_year(m[2]), _MONTH_NAMES.get(m[1], 0))),
        (r"(\d{4})\s*[-/ ]\s*([a-z]+)", lambda m: (int(m[1]), _MONTH_NAMES.get(m[2], 0))),
    ]
    for pattern, pick in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            year, month = pick(match)
            if 1 <= month <= 12 and 1900 <= year <= 2100:
                return pd.Period(year=year, month=month, freq="M")
            break
    raise InputError("not a month", value=value, expected=_MONTH_EXPECTED)


def parse_date(value: object) -> pd.Timestamp:
    """A calendar date as ``pandas.Timestamp`` (day precision); missing → NaT.

    Accepts ISO dates (``2017-02-15``, ``20170215``), ``15/2/2017``, datetimes and Excel serial dates.
    """
    if is_missing(value):  # before the date check: pd.NaT is an instance of dt.date
        return pd.NaT
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        stamp = _excel_serial(float(value))
        if stamp is not None:
            return stamp
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip()
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(:\d{2})?)?", "ymd"),
                           (r"(\d{4})(\d{2})(\d{2})", "ymd"),
                           (r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", "dmy")):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(match[i]) for i in (1, 2, 3))
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return pd.Timestamp(year=year, month=month, day=day)
            except ValueError:
                break
    raise InputError("not a date", value=value, expected="a date such as 2018-05-15")


_SEX = {
    "k": "K", "kvinna": "K", "kvinnor": "K", "kv": "K", "woman": "K", "women": "K", "female": "K",
    "m": "M", "man": "M", "men": "M", "male": "M",
    "alla": "alla", "totalt": "alla", "total": "alla", "t": "alla", "all": "alla", "both": "alla",
    "kvinnor och man": "alla", "man och kvinnor": "alla", "bada konen": "alla", "samtliga": "alla",
}


def parse_sex(value: object) -> str:
    """Sex as ``"K"`` (kvinnor), ``"M"`` (män) or ``"alla"`` (both).

    Accepts K/M/kvinna/kvinnor/man/män/women/men, and for both sexes alla/totalt/T/ALL/
    "Kvinnor och män".
    """
    if is_missing(value):
        raise InputError("sex is missing", expected="K, M, kvinna, man, kvinnor, män or alla")
    code = _SEX.get(fold(str(value)))
    if code is None:
        raise InputError("unknown sex", value=value, expected="K, M, kvinna, man, kvinnor, män or alla")
    return code


def parse_column(series: pd.Series, parser: Callable[[object], object], *, file: object = None,
                 column: str | None = None, rows: pd.Series | None = None) -> pd.Series:
    """Apply ``parser`` to every value, re-raising the first failure with file, row and column.

    ``rows`` gives each value's row number in the file (default: header on row 1, data from row 2).
    """
    cache: dict[object, object] = {}
    out = []
    for position, value in enumerate(series.tolist()):
        key = (type(value), value) if _hashable(value) else None
        if key is not None and key in cache:
            out.append(cache[key])
            continue
        try:
            parsed = parser(value)
        except InputError as error:
            row = int(rows.iloc[position]) if rows is not None else position + 2
            raise error.located(file, row, column or series.name) from None
        if key is not None:
            cache[key] = parsed
        out.append(parsed)
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return not (isinstance(value, float) and math.isnan(value))
