"""Swedish municipalities and counties: codes, names, lookup and comparison sets.

Codes are 4-character strings with a leading zero (``"0834"``); county codes are 2 characters
(``"08"``). Names resolve case-insensitively, with or without å/ä/ö and with or without the
word "kommun"/"stad" or a leading code (``"0834 Torsås"``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from ._geodata import COUNTIES, MUNICIPALITIES
from .errors import InputError

__all__ = [
    "municipalities",
    "counties",
    "municipality_code",
    "municipality_name",
    "county_of",
    "comparison_municipalities",
    "fold",
    "county_code",
]


def fold(text: str) -> str:
    """Lower-case, strip accents (å→a, ä→a, ö→o, é→e) and collapse white space."""
    text = unicodedata.normalize("NFKD", str(text).replace("\u00a0", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().lower()


def municipalities() -> pd.DataFrame:
    """All 290 municipalities: ``municipality_code``, ``municipality_name``, ``county_code``, ``county_name``."""
    county_names = dict(COUNTIES)
    frame = pd.DataFrame(MUNICIPALITIES, columns=["municipality_code", "municipality_name", "county_code"])
    frame["county_name"] = frame["county_code"].map(county_names)
    return frame


def counties() -> pd.DataFrame:
    """All 21 counties (regions): ``county_code``, ``county_name``."""
    return pd.DataFrame(COUNTIES, columns=["county_code", "county_name"])


def _exact(text: str) -> str:
    """Lower-case and collapse white space, keeping å/ä/ö (so "Håbo" and "Habo" stay apart)."""
    text = unicodedata.normalize("NFC", str(text).replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip().lower()


def _variants(name: str) -> tuple[str, ...]:
    return (name, f"{name} kommun", f"{name}s kommun", f"{name} stad", f"{name}s stad")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, _name, _county in MUNICIPALITIES:
        table[code] = code
    return table


@lru_cache(maxsize=1)
def _name_tables() -> tuple[dict[str, str], dict[str, str | None]]:
    """Names as written (case-insensitive), and folded names; a folded name shared by two
    municipalities (Håbo 0305 and Habo 0643 both fold to "habo") maps to None."""
    exact: dict[str, str] = {}
    folded: dict[str, str | None] = {}
    for code, name, _county in MUNICIPALITIES:
        for variant in _variants(name):
            exact.setdefault(_exact(variant), code)
            key = fold(variant)
            folded[key] = code if folded.get(key, code) == code else None
    return exact, folded


_CODE_PREFIX = re.compile(r"^\s*(\d{3,4})(?:\s+|\s*[-–]\s*|$)")


def municipality_code(value: object) -> str:
    """The 4-digit code for a municipality given as code (``834``, ``"0834"``), name or ``"0834 Torsås"``.

    Raises :class:`InputError` for anything that is not one of the 290 municipalities.
    """
    if value is None or (isinstance(value, float) and value != value):
        raise InputError("municipality is missing", expected="a municipality code or name")
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0)?", text):
        text = text.split(".")[0].zfill(4)
    match = _CODE_PREFIX.match(text)
    table = _lookup()
    if match:
        code = match.group(1).zfill(4)
        if code in table:
            return code
    else:
        exact, folded = _name_tables()
        code = exact.get(_exact(text)) or folded.get(fold(text))
        if code:
            return code
    raise InputError("unknown municipality", value=value,
                     expected="one of Sweden's 290 municipality codes (e.g. '1480') or names (e.g. 'Göteborg')")


def municipality_name(code: str) -> str:
    """The short name of a municipality code (``"0834"`` → ``"Torsås"``)."""
    for c, name, _county in MUNICIPALITIES:
        if c == code:
            return name
    raise InputError("unknown municipality code", value=code, expected="a 4-digit municipality code")


def county_of(code: str) -> str:
    """The 2-digit county code of a municipality code."""
    return municipality_code(code)[:2]


def county_code(value: object) -> str:
    """A county given as code (``8``, ``"08"``) or name (``"Kalmar län"``) → 2-digit code."""
    text = fold(str(value))
    text = re.sub(r"^(\d{1,2})\s.*$", r"\1", text)
    for code, name in COUNTIES:
        if text in (code, code.lstrip("0"), fold(name), fold(name + " län"), fold(name + "s län")):
            return code
    raise InputError("unknown county", value=value, expected="one of the 21 county codes (e.g. '08') or names")


def comparison_municipalities(code: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Municipalities in the same county as ``code``, without ``code`` and ``exclude``."""
    own = municipality_code(code)  # "834", 834 or "Torsås" must exclude "0834" too
    county = own[:2]
    skip = {own, *(municipality_code(other) for other in exclude)}
    return [c for c, _n, k in MUNICIPALITIES if k == county and c not in skip]
