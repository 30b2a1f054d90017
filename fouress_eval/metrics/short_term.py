"""Repeated short-term sick leave from spell-level data: who had many sick spells within a window.

Short-term absence *volume* (sick hours on days 1–14 of a spell) comes from the monthly hours table
instead: :func:`fouress_eval.metrics.absence.short_term_absence`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError
from ._hours import _as_list, _require

__all__ = ["repeated_short_term"]


def repeated_short_term(spells: pd.DataFrame, at: object | Iterable[object], *, person: str = "person_id",
                        min_spells: int = 6, window_months: int = 12, max_spell_days: int | None = None,
                        join_gap_days: int = 0, by: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Repeated short-term absence from a spell table: who had ``min_spells`` (6) or more sick
    spells starting within the ``window_months`` (12) months up to each date in ``at``.

    ``spells`` has one row per sick spell: ``person`` (a pseudonym), ``start`` and ``end`` (dates,
    both days included; ``end`` missing while the spell is ongoing), plus optional ``by`` columns
    (e.g. ``municipality_code``, ``sex``; the person's first value is used). Spells of one person
    that overlap, or are separated by at most ``join_gap_days`` days (0: only back-to-back spells
    merge), count as one. ``max_spell_days`` (e.g. 14) counts only spells of at most that many
    days, measured up to the evaluation date. ``at`` is a date or several; a month
    (``Period[M]``) means its last day. The window for date *d* is (*d* − ``window_months``
    months, *d*], by spell start.

    Returns one row per person and date: ``at``, ``spells`` (count in the window) and
    ``repeated`` (``spells >= min_spells``). Persons with no spell in a window get 0.
    """
    _require(spells, [person, "start", "end", *_as_list(by)], "spells")
    if min_spells < 1 or window_months < 1 or join_gap_days < 0:
        raise InputError("min_spells and window_months must be at least 1, join_gap_days at least 0",
                         value=(min_spells, window_months, join_gap_days))
    keys = _as_list(by)
    frame = spells[[person, "start", "end", *keys]].copy()
    frame["start"] = pd.to_datetime(frame["start"], errors="coerce")
    frame["end"] = pd.to_datetime(frame["end"], errors="coerce")
    bad = frame["start"].isna() | (frame["end"].notna() & (frame["end"] < frame["start"]))
    if bad.any():
        row = spells.loc[bad].iloc[0]
        raise InputError("a spell lacks a start date or ends before it starts", row=int(bad.to_numpy().argmax()) + 2,
                         column="start", value=(str(row["start"]), str(row["end"])),
                         expected="start <= end (end may be empty while ongoing)")
    dates = [at] if not isinstance(at, (list, tuple, pd.Index, pd.Series, np.ndarray)) else list(at)
    stamps = [(d.to_timestamp(how="end").normalize() if isinstance(d, pd.Period) else pd.Timestamp(d).normalize())
              for d in dates]

    # merge overlapping or nearly adjacent spells per person
    frame = frame.sort_values([person, "start"], kind="stable")
    merged = []
    for pid, part in frame.groupby(person, sort=True):
        current_start, current_end = None, None
        for start, end in zip(part["start"], part["end"]):
            if current_start is not None and (pd.isna(current_end) or
                                              (start - current_end).days - 1 <= join_gap_days):
                current_end = pd.NaT if pd.isna(current_end) or pd.isna(end) else max(current_end, end)
                continue
            if current_start is not None:
                merged.append((pid, current_start, current_end))
            current_start, current_end = start, end
        merged.append((pid, current_start, current_end))
    episodes = pd.DataFrame(merged, columns=[person, "start", "end"])
    people = frame.groupby(person, sort=True)[keys].first() if keys else pd.DataFrame(
        index=pd.Index(sorted(frame[person].unique()), name=person))

    rows = []
    for stamp in stamps:
        low = stamp - pd.DateOffset(months=window_months)
        inside = episodes[(episodes["start"] > low) & (episodes["start"] <= stamp)]
        if max_spell_days is not None:
            last = inside["end"].where(inside["end"].notna() & (inside["end"] <= stamp), stamp)
            length = (last - inside["start"]).dt.days + 1
            inside = inside[length <= max_spell_days]
        counts = inside.groupby(person).size().reindex(people.index, fill_value=0)
        part = people.copy()
        part.insert(0, "at", stamp)
        part["spells"] = counts.astype(int)
        part["repeated"] = part["spells"] >= min_spells
        rows.append(part.reset_index())
    return pd.concat(rows, ignore_index=True)
