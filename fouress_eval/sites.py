"""Sites that are a municipality or a whole county: resolving, expanding and naming them.

An evaluation's site is a municipality (4-digit code) or, for county-level projects, a county
(2-digit code). :func:`site_code` turns a code or name into one of those, :func:`site_municipalities`
expands sites (one, or a list) into the municipality codes they cover, and :func:`site_name` gives
the name a report uses ("Uppsala län" / "Uppsala County" for a county). Names are read as
municipality names first, so "Kalmar" is the municipality and "Kalmar län" the county.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InputError
from .municipalities import counties, county_code, municipalities, municipality_code, municipality_name

__all__ = ["site_code", "site_level", "site_codes", "site_municipalities", "site_name", "site_names", "county_name"]

_EXPECTED = ("a municipality code or name (e.g. '1480' or 'Göteborg') or a county code or name "
             "(e.g. '14' or 'Västra Götalands län')")
# county names that take no genitive -s before "län" (Uppsala län, not Uppsalas län)
_NO_GENITIVE = {"Uppsala", "Kalmar", "Blekinge", "Skåne", "Örebro"}


def site_level(code: str) -> str:
    """``"county"`` for a 2-digit code, ``"municipality"`` for a 4-digit one, else ``"other"``
    (a health centre's name, say)."""
    text = str(code)
    if re.fullmatch(r"\d{2}", text):
        return "county"
    if re.fullmatch(r"\d{4}", text):
        return "municipality"
    return "other"


def site_code(value: object) -> str:
    """A site given as code or name → a 4-digit municipality code or a 2-digit county code.

    One or two digits (``8``, ``"08"``) and names ending in "län"/"county" are counties; three or
    four digits and "1214 Svalöv" are municipalities; any other name is tried as a municipality
    first, then as a county ("Värmland" → ``"17"``). Anything else is an :class:`InputError`.
    """
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        raise InputError("site is missing", expected=_EXPECTED)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,2}(\.0)?", text):
        return county_code(text.split(".")[0])
    if re.search(r"\b(län|lan|county)$", text, re.I):
        try:
            return county_code(re.sub(r"\s*county$", "", text, flags=re.I))
        except InputError:
            raise InputError("unknown county", value=value, expected=_EXPECTED) from None
    try:
        return municipality_code(value)
    except InputError:
        pass
    if not re.match(r"\d", text):
        try:
            return county_code(text)
        except InputError:
            pass
    raise InputError("unknown site", value=value, expected=_EXPECTED)


def site_codes(sites: object) -> list[str]:
    """One site or a list/tuple/set of sites → their codes (see :func:`site_code`), duplicates dropped."""
    if isinstance(sites, (str, int)) or not isinstance(sites, Iterable):
        sites = [sites]
    return list(dict.fromkeys(site_code(s) for s in sites))


def site_municipalities(sites: object) -> list[str]:
    """The municipality codes a site (or a list of sites) covers: a county means all its municipalities."""
    table = municipalities()
    out: list[str] = []
    for code in site_codes(sites):
        if site_level(code) == "county":
            out += table.loc[table["county_code"] == code, "municipality_code"].tolist()
        else:
            out.append(code)
    return list(dict.fromkeys(out))


def county_name(code: str, language: str = "sv") -> str:
    """ "Uppsala län" / "Uppsala County" for a 2-digit county code."""
    table = counties().set_index("county_code")["county_name"]
    if code not in table.index:
        raise InputError("unknown county code", value=code, expected="one of the 21 two-digit county codes")
    name = table[code]
    if language == "en":
        return f"{name} County"
    return f"{name} län" if name in _NO_GENITIVE or name.endswith("s") else f"{name}s län"


def site_name(code: str, language: str = "sv") -> str:
    """The name of a unit: municipality or county (see :func:`county_name`); other units (health
    centres) are their own name."""
    level = site_level(code)
    if level == "county":
        return county_name(str(code), language)
    if level == "municipality":
        return municipality_name(str(code))
    return str(code)


def site_names(sites: object, language: str = "sv") -> str:
    """The names of one site or several, joined for running text: "Skurup och Svedala"."""
    names = [site_name(c, language) for c in site_codes(sites)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (" och " if language == "sv" else " and ") + names[-1]
