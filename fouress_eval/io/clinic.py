"""Health-centre sick-listings by diagnosis chapter, with the listed population."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..clean import is_missing, parse_month
from ..errors import InputError
from .common import Column, parse_columns, parse_count, parse_municipality, read_table, require_values

__all__ = ["read_clinic_sicklistings"]

COLUMNS = (
    Column("clinic", "Vårdcentral", "Hälsocentral", "health centre", "health center"),
    Column("municipality", "Kommun"),
    Column("month", "Månad", "period"),
    Column("diagnosis_chapter", "Diagnoskapitel", "Diagnos", "ICD-10 kapitel", "chapter"),
    Column("sicklisted", "Antal sjukskrivna", "Sjukskrivna", "sick-listed", "sick listed"),
    Column("listed_population", "Listade", "Antal listade", "listed", "listed patients"),
)


def _chapter(value: object) -> str:
    text = "" if is_missing(value) else str(value).strip().upper()
    match = re.fullmatch(r"([A-Z])(\d{2}(-[A-Z]?\d{2})?)?|KAPITEL ([A-Z])", text)
    if not match:
        raise InputError("unknown diagnosis chapter", value=value,
                         expected="an ICD-10 chapter letter such as F (mental) or M (musculoskeletal)")
    return match.group(1) or match.group(4)


def _text(value: object) -> str:
    text = "" if is_missing(value) else str(value).strip()
    if not text:
        raise InputError("value is missing", expected="the health centre's name")
    return text


def read_clinic_sicklistings(path: Path) -> pd.DataFrame:
    """Read health-centre sick-listings into the tidy ``clinic_sicklistings`` form.

    ``sicklisted``: patients with an active sick-listing in the month (count);
    ``listed_population``: patients listed at the centre that month (count).
    """
    frame = read_table(path, COLUMNS, sheet_hint="vardcentral", what="health-centre sick-listing file")
    frame = parse_columns(frame, {
        "clinic": _text, "municipality": parse_municipality, "month": parse_month,
        "diagnosis_chapter": _chapter, "sicklisted": parse_count, "listed_population": parse_count,
    })
    require_values(frame, ["month", "sicklisted", "listed_population"])
    for column in ("sicklisted", "listed_population"):
        frame[column] = frame[column].astype("int64")
    frame["month"] = frame["month"].astype("period[M]")
    return frame.rename(columns={"municipality": "municipality_code"})
