"""The participant register and meeting log of the national-scale SYNTHETIC dataset's adopters.

:func:`fouress_eval.demo.national.write_national_demo` calls :func:`_register_files` to write
``deltagare_national.csv`` and ``moten_national.csv``: 20–60 participant episodes per adopting
municipality, all starting in or after its start month and cut off at the last month's end, and
the follow-up and three-party meetings of those episodes. Each adopter's episodes and each
episode's meetings draw from their own random stream, ``default_rng([seed, tag, key])`` with the
tags below (the series' streams in ``national.py`` use the other tags). Nothing in it is real.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..io.register import ENTRY_COMPENSATION, EXIT_COMPENSATION, EXIT_REASONS, MEETING_TYPES, SECTORS
from . import _label, _registers
from ._writers import write_csv

if TYPE_CHECKING:
    from .national import Adopter

EPISODES = (20, 60)                           # participant episodes per adopter (inclusive)
WOMEN_SHARE = 0.92
FOLLOW_UPS_PER_EPISODE = 1.9                  # at the median episode length
THREE_PARTY_SHARE = 0.58

# random-stream tags, numbered together with those in national.py (1–4 and 6 are the series')
_REGISTER, _MEETING = 5, 7

_REGISTER_HEADER = ("Personnummer", "Kommun", "Kön", "Sektor", "Startdatum", "Slutdatum", "Ersättning vid start",
                    "Ersättning vid avslut", "Avslutsorsak")
_MEETING_HEADER = ("Personnummer", "Kommun", "Datum", "Mötestyp")


def _rng(seed: int, tag: int, key: int = 0) -> np.random.Generator:
    """The random stream ``(seed, tag, key)``: the national dataset's one stream factory (national.py uses it too)."""
    return np.random.default_rng([seed, tag, key])


def _shares(counts: dict) -> tuple[list, np.ndarray]:
    keys = list(counts)
    weights = np.array([counts[k] for k in keys], dtype=float)
    return keys, weights / weights.sum()


def _episodes(seed: int, adopter: Adopter, cutoff: pd.Timestamp, taken: set[str]) -> list[dict]:
    """20–60 participant episodes starting on or after the first day of the adopter's start month."""
    rng = _rng(seed, _REGISTER, int(adopter.code))
    first = adopter.start.to_timestamp()
    room = max((cutoff - pd.Timedelta(days=14) - first).days, 0)
    n = int(rng.integers(EPISODES[0], EPISODES[1] + 1))
    offsets = np.sort(rng.integers(0, room + 1, n))
    duration = np.maximum(np.round(rng.lognormal(np.log(190), 0.55, n)), 30).astype(int)
    sexes = np.where(rng.random(n) < WOMEN_SHARE, "K", "M")
    sector_keys, sector_p = _shares(_registers.SECTORS)
    entry_keys, entry_p = _shares(_registers.ENTRY)
    exit_keys, exit_p = _shares(_registers.EXIT)
    rows = []
    for i in range(n):
        start = first + pd.Timedelta(days=int(offsets[i]))
        end = start + pd.Timedelta(days=int(duration[i]))
        sector = sector_keys[rng.choice(len(sector_keys), p=sector_p)]
        entry = entry_keys[rng.choice(len(entry_keys), p=entry_p)]
        reason, compensation = exit_keys[rng.choice(len(exit_keys), p=exit_p)]
        closed = end <= cutoff
        rows.append({"personal_id": _registers._identity_number(rng, sexes[i], i % 3, taken),
                     "municipality_code": adopter.code, "sex": str(sexes[i]), "sector": sector,
                     "start_date": start, "end_date": end if closed else None,
                     "entry_compensation": entry, "exit_compensation": compensation if closed else None,
                     "exit_reason": reason if closed else None})
    return rows


def _meetings(seed: int, episodes: list[dict], cutoff: pd.Timestamp) -> list[tuple]:
    """Follow-up meetings (about 1.9 for an episode of median length) and three-party meetings
    early in an episode, all dated within the episode; identity numbers in the 12-digit form."""
    rows = []
    for number, episode in enumerate(episodes):
        rng = _rng(seed, _MEETING, number)
        start = episode["start_date"]
        last = cutoff if episode["end_date"] is None else episode["end_date"]
        span = (last - start).days
        twelve = episode["personal_id"].replace("-", "")
        twelve = twelve if len(twelve) == 12 else "19" + twelve
        expected = float(np.clip(FOLLOW_UPS_PER_EPISODE * span / 190, 0.3, 5.0))
        for offset in np.sort(rng.integers(0, span + 1, rng.poisson(expected))):
            rows.append((start + pd.Timedelta(days=int(offset)), twelve, episode["municipality_code"], "follow_up"))
        if rng.random() < THREE_PARTY_SHARE:
            day = start + pd.Timedelta(days=int(rng.integers(0, min(28, span) + 1)))
            rows.append((day, twelve, episode["municipality_code"], "three_party"))
    return sorted(rows)


def _register_files(out: Path, seed: int, adopters: Sequence[Adopter], cutoff: pd.Timestamp,
                    names: dict[str, str], note: str) -> list[Path]:
    """Write ``deltagare_national.csv`` (the adopters' participant episodes up to ``cutoff``) and
    ``moten_national.csv`` (their meeting log) to ``out``, each titled with ``note``."""
    taken: set[str] = set()
    episodes = [e for a in adopters for e in _episodes(seed, a, cutoff, taken)]
    entry, exit_, reasons = _label(ENTRY_COMPENSATION), _label(EXIT_COMPENSATION), _label(EXIT_REASONS)
    sectors, kinds = _label(SECTORS), _label(MEETING_TYPES)

    def day(value) -> str:
        return "" if value is None else f"{value:%Y-%m-%d}"

    register, log = out / "deltagare_national.csv", out / "moten_national.csv"
    write_csv(register, _REGISTER_HEADER,
              [[e["personal_id"], names[e["municipality_code"]], e["sex"], sectors[e["sector"]], day(e["start_date"]),
                day(e["end_date"]), entry[e["entry_compensation"]], exit_.get(e["exit_compensation"], ""),
                reasons.get(e["exit_reason"], "")] for e in episodes],
              title=f"Deltagare, uttag {cutoff:%Y-%m-%d} – " + note)
    meetings = _meetings(seed, episodes, cutoff)
    write_csv(log, _MEETING_HEADER, [[pid, names[code], day(date), kinds[kind]] for date, pid, code, kind in meetings],
              title="Mötesregister – " + note)
    return [register, log]
