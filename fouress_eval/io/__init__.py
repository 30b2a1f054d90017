"""Readers, one per raw source, and the rules that recognise a raw file by its name.

Each reader returns the tidy frame of DESIGN.md section 5 plus ``source_file``/``source_row``
columns (dropped before anything is written) so that validation errors can point at the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import InputError
from ..municipalities import fold
from .clinic import read_clinic_sicklistings
from .fk import read_fk_excel, read_fk_json
from .kolada import read_kolada_json
from .personnel import read_personnel_hours
from .register import read_interviews, read_meetings, read_participants

__all__ = [
    "Source", "SOURCES", "identify", "read_source",
    "read_personnel_hours", "read_fk_json", "read_fk_excel", "read_kolada_json",
    "read_clinic_sicklistings", "read_participants", "read_meetings", "read_interviews",
]


@dataclass(frozen=True)
class Source:
    """A kind of raw file: how its name starts, the tidy table it feeds and a reader per format."""

    prefix: str
    table: str
    readers: dict[str, Callable[[Path], pd.DataFrame]]
    description: str


SOURCES: tuple[Source, ...] = (
    Source("personal", "absence_monthly", {".csv": read_personnel_hours, ".xlsx": read_personnel_hours},
           "personnel hours"),
    Source("fk", "sickpay_monthly", {".json": read_fk_json, ".xlsx": read_fk_excel},
           "Försäkringskassan open data"),
    Source("kolada", "kolada", {".json": read_kolada_json}, "Kolada API"),
    Source("vardcentral", "clinic_sicklistings",
           {".csv": read_clinic_sicklistings, ".xlsx": read_clinic_sicklistings}, "health-centre sick-listings"),
    Source("deltagare", "participants", {".csv": read_participants, ".xlsx": read_participants},
           "participant register"),
    Source("moten", "meetings", {".csv": read_meetings, ".xlsx": read_meetings}, "meeting log"),
    Source("intervjuer", "interviews", {".csv": read_interviews, ".xlsx": read_interviews}, "interview list"),
)


def is_skipped(path: Path) -> bool:
    """Files ``prepare`` passes over silently: READMEs, hidden files and ``_``-prefixed notes."""
    return path.name.startswith((".", "_")) or path.name.lower().startswith("readme") or path.is_dir()


def identify(path: Path) -> Source | None:
    """The source a raw file belongs to, from the start of its name; ``None`` if none matches.

    Raises :class:`InputError` when the name matches but the format is not one the source has.
    """
    name = fold(path.name)
    for source in SOURCES:
        if re.match(re.escape(source.prefix), name):
            suffix = path.suffix.lower()
            if suffix == ".xlsm":
                suffix = ".xlsx"
            if suffix not in source.readers:
                raise InputError(f"a {source.description} file must be {' or '.join(source.readers)}",
                                 file=path, value=path.suffix, expected=" or ".join(source.readers))
            return source
    return None


def read_source(path: Path) -> tuple[Source, pd.DataFrame]:
    """Identify and read one raw file."""
    source = identify(path)
    if source is None:
        raise InputError("file name not recognised", file=path,
                         expected="a name starting with " + ", ".join(s.prefix for s in SOURCES))
    suffix = ".xlsx" if path.suffix.lower() == ".xlsm" else path.suffix.lower()
    return source, source.readers[suffix](path)
