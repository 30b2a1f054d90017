"""Participant and process metrics: inflow, stock, meetings, compensation, exits.

Time to return to work (:func:`episode_durations`, :func:`time_to_return`, :class:`TimeToReturn`)
lives in :mod:`.survival` and is re-exported here, as are the code lists of :mod:`._episodes`.

Inputs are the tidy ``participants`` table (one row per episode: ``participant_id``,
``municipality_code``, ``sex`` K/M, ``sector``, ``start_date``, ``end_date`` missing while
ongoing, ``entry_compensation``, ``exit_compensation``, ``exit_reason``) and the ``meetings`` log
(``participant_id``, ``municipality_code``, ``date``, ``meeting_type``); see DESIGN.md section 5.

Conventions used throughout:

- an episode is *closed* when ``end_date`` is present and *ongoing* otherwise;
- counts are numbers of episodes (participants) and are returned unsuppressed — small-cell
  suppression (:func:`fouress_eval.privacy.mask_small_counts`) is applied where a table is shown;
- shares are in **per cent** (0–100) in columns ending ``_pct``;
- ``by`` names grouping columns of ``participants`` (a column name, a list of them, or ``None``
  for no split); tables contain every combination of the observed group values, with zero counts
  where a combination has none, so that a table's shape does not depend on the data;
- durations are whole **days** from ``start_date``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from ._episodes import (
    COMPETING_REASONS,
    ENTRY_ORDER,
    EXIT_ORDER,
    EXIT_REASON_ORDER,
    MEETING_TYPE_ORDER,
    WORK_REASONS,
    _by_list,
    _check_codes,
    _closed,
    _dates,
    _require_columns,
)
from .survival import (  # noqa: F401  CENSORED … EventDefinition stay importable from here
    CENSORED,
    COMPETING,
    EVENT,
    EVENT_DEFINITIONS,
    EventDefinition,
    TimeToReturn,
    episode_durations,
    time_to_return,
)

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

__all__ = [
    "DEFAULT_BY", "ENTRY_ORDER", "EXIT_ORDER", "EXIT_REASON_ORDER", "MEETING_TYPE_ORDER",
    "EVENT_DEFINITIONS", "COMPETING_REASONS", "WORK_REASONS",
    "inflow", "active_at", "meetings_per_participant", "MeetingCounts",
    "compensation_transitions", "compensation_shares", "exit_reasons",
    "episode_durations", "time_to_return", "TimeToReturn",
]

DEFAULT_BY: tuple[str, ...] = ("municipality_code", "sex")
Period = Literal["M", "Q", "Y"]


# --------------------------------------------------------------------------------------- helpers

def _grid(frame: pd.DataFrame, by: list[str], extra: dict[str, Sequence]) -> pd.Index:
    """Every combination of the observed values of ``by`` with the given extra levels."""
    levels = [sorted(frame[c].dropna().unique().tolist()) for c in by] + [list(v) for v in extra.values()]
    names = [*by, *extra]
    if len(levels) == 1:  # pandas groups by one key into a plain Index, not a MultiIndex
        return pd.Index(levels[0], name=names[0])
    return pd.MultiIndex.from_product(levels, names=names)


def _counts(frame: pd.DataFrame, by: list[str], column: str, order: Sequence, name: str) -> pd.DataFrame:
    """Counts of ``column`` values within ``by`` groups, every category present, plus shares in %."""
    keys = [*by, column]
    counts = frame.groupby(keys, dropna=False).size() if len(frame) else pd.Series(dtype="int64")
    index = _grid(frame, by, {column: order})
    counts = counts.reindex(index, fill_value=0).rename(name).reset_index()
    totals = counts.groupby(by)[name].transform("sum") if by else counts[name].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        counts["share_pct"] = np.where(totals > 0, 100 * counts[name] / totals, np.nan)
    counts[name] = counts[name].astype("int64")
    return counts


# ------------------------------------------------------------------------------- flow and stock

def inflow(participants: pd.DataFrame, period: Period = "M",
           by: str | Sequence[str] | None = DEFAULT_BY) -> pd.DataFrame:
    """Episode starts per calendar period.

    ``period`` is ``"M"`` (month), ``"Q"`` (quarter) or ``"Y"`` (calendar year). Returns a tidy
    table with the ``by`` columns, ``period`` (``pandas.Period``) and ``inflow`` (number of
    episodes starting in the period). Periods run without gaps from the first to the last start,
    and every group appears in every period (zero where none started).
    """
    if period not in ("M", "Q", "Y"):
        raise InputError("unknown period", column="period", value=period, expected="'M', 'Q' or 'Y'")
    _require_columns(participants, ["start_date"], "participants")
    columns = _by_list(by, participants)
    frame = _dates(participants) if "participant_id" in participants else participants.copy()
    frame["period"] = pd.to_datetime(frame["start_date"]).dt.to_period(period)
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "period", "inflow"])
    periods = pd.period_range(frame["period"].min(), frame["period"].max(), freq=frame["period"].dt.freq)
    counts = frame.groupby([*columns, "period"]).size()
    index = _grid(frame, columns, {"period": periods})
    return counts.reindex(index, fill_value=0).rename("inflow").astype("int64").reset_index()


def active_at(participants: pd.DataFrame, date: object | Sequence[object],
              by: str | Sequence[str] | None = DEFAULT_BY) -> pd.DataFrame:
    """Participants active on a date: ``start_date <= date`` and (``end_date`` missing or ``>= date``).

    An episode that ends on ``date`` still counts as active that day. ``date`` may be one date or
    a sequence of dates. Returns ``date``, the ``by`` columns and ``active`` (number of episodes).
    """
    _require_columns(participants, ["participant_id", "start_date", "end_date"], "participants")
    columns = _by_list(by, participants)
    frame = _dates(participants)
    dates = pd.to_datetime(list(date) if pd.api.types.is_list_like(date) else [date])
    rows = []
    for day in dates:
        active = frame[(frame["start_date"] <= day) & (frame["end_date"].isna() | (frame["end_date"] >= day))]
        if columns:
            counts = active.groupby(columns).size().reindex(_grid(frame, columns, {}), fill_value=0)
            part = counts.rename("active").reset_index()
        else:
            part = pd.DataFrame({"active": [len(active)]})
        part.insert(0, "date", day)
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["active"] = out["active"].astype("int64")
    return out


# ------------------------------------------------------------------------------------ meetings

@dataclass
class MeetingCounts:
    """Meetings per participant (see :func:`meetings_per_participant`).

    ``per_participant``: one row per participant (``by`` columns, ``meetings``);
    ``summary``: per group ``participants``, ``meetings`` (total), ``mean`` and ``median``
    (meetings per participant); ``distribution``: per group and number of meetings
    ``n_meetings`` = 0, 1, 2, … up to the largest observed, ``participants`` with exactly that
    many and ``share_pct`` (per cent of the group's participants).
    """

    by: list[str]
    meeting_type: tuple[str, ...] | None
    per_participant: pd.DataFrame
    summary: pd.DataFrame
    distribution: pd.DataFrame

    def plot(self, *, ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
        """Bar chart of the distribution (:func:`fouress_eval.plots.participants.meeting_distribution`)."""
        from ..plots.participants import meeting_distribution
        return meeting_distribution(self, ax=ax, language=language)


def meetings_per_participant(meetings: pd.DataFrame, participants: pd.DataFrame,
                             by: str | Sequence[str] | None = DEFAULT_BY,
                             meeting_type: str | Sequence[str] | None = None) -> MeetingCounts:
    """Number of meetings per participant: mean, median and distribution, by group.

    Every participant in ``participants`` counts, those without a meeting as 0; meetings of
    participants not in ``participants`` are left out (so a subset of the register gives that
    subset's figures). A participant with several episodes counts once, grouped by their first
    episode. ``meeting_type``: ``None`` counts every meeting; otherwise one type or a list of
    types (``"follow_up"`` = avstämningsmöte with Försäkringskassan, ``"three_party"`` =
    trepartsmöte without it). Units: meetings per participant.
    """
    _require_columns(meetings, ["participant_id", "meeting_type"], "meetings")
    _require_columns(participants, ["participant_id"], "participants")
    columns = _by_list(by, participants)
    _check_codes(meetings["meeting_type"], MEETING_TYPE_ORDER, "meeting_type")
    types: tuple[str, ...] | None = None
    if meeting_type is not None:
        types = (meeting_type,) if isinstance(meeting_type, str) else tuple(meeting_type)
        unknown = [t for t in types if t not in MEETING_TYPE_ORDER]
        if unknown:
            raise InputError("unknown meeting type", column="meeting_type", value=unknown[0],
                             expected="one of " + ", ".join(MEETING_TYPE_ORDER))
        meetings = meetings[meetings["meeting_type"].isin(types)]
    people = participants.drop_duplicates("participant_id")[["participant_id", *columns]]
    counts = meetings.groupby("participant_id").size()
    per = people.assign(meetings=people["participant_id"].map(counts).fillna(0).astype("int64"))
    per = per.reset_index(drop=True)

    if columns:
        summary = per.groupby(columns)["meetings"].agg(participants="size", meetings="sum",
                                                       mean="mean", median="median")
        summary = summary.reindex(_grid(per, columns, {})).reset_index()
        summary[["participants", "meetings"]] = summary[["participants", "meetings"]].fillna(0).astype("int64")
    else:
        summary = pd.DataFrame({"participants": [len(per)], "meetings": [int(per["meetings"].sum())],
                                "mean": [per["meetings"].mean()], "median": [per["meetings"].median()]})
    largest = int(per["meetings"].max()) if len(per) else 0
    distribution = _counts(per.rename(columns={"meetings": "n_meetings"}), columns, "n_meetings",
                           range(largest + 1), "participants")
    return MeetingCounts(columns, types, per, summary, distribution)


# -------------------------------------------------------------------- compensation and exits

def compensation_transitions(participants: pd.DataFrame, *, margins: bool = False) -> pd.DataFrame:
    """Entry × exit compensation for closed episodes (counts of episodes).

    Rows are compensation at entry (``ENTRY_ORDER``), columns compensation at exit
    (``EXIT_ORDER``); every category appears, zero where empty. ``margins=True`` adds a
    ``total`` row and column. Ongoing episodes are left out (their exit is not known yet).
    """
    _require_columns(participants, ["entry_compensation"], "participants")
    _check_codes(participants["entry_compensation"], ENTRY_ORDER, "entry_compensation", required=True)
    closed = _closed(participants)
    table = pd.crosstab(closed["entry_compensation"], closed["exit_compensation"])
    table = table.reindex(index=list(ENTRY_ORDER), columns=list(EXIT_ORDER), fill_value=0).astype("int64")
    table.index.name, table.columns.name = "entry_compensation", "exit_compensation"
    if margins:
        table["total"] = table.sum(axis=1)
        table.loc["total"] = table.sum(axis=0)
    return table


def compensation_shares(participants: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Compensation type at entry (all episodes) and at exit (closed episodes), counts and shares.

    Returns the ``by`` columns, ``stage`` (``"entry"``/``"exit"``), ``compensation``, ``count``
    (episodes) and ``share_pct`` (per cent of the group's episodes at that stage: all episodes
    for entry, closed ones for exit).
    """
    _require_columns(participants, ["entry_compensation"], "participants")
    columns = _by_list(by, participants)
    _check_codes(participants["entry_compensation"], ENTRY_ORDER, "entry_compensation", required=True)
    closed = _closed(participants)
    entry = _counts(participants.rename(columns={"entry_compensation": "compensation"}), columns,
                    "compensation", ENTRY_ORDER, "count")
    # exit groups follow all episodes, so a group with no closed episode still shows (as zeros)
    exit_frame = closed.rename(columns={"exit_compensation": "compensation"})
    exit_ = _counts(exit_frame, columns, "compensation", EXIT_ORDER, "count")
    if columns:
        exit_ = exit_.set_index([*columns, "compensation"]).reindex(
            _grid(participants, columns, {"compensation": EXIT_ORDER})).reset_index()
        exit_["count"] = exit_["count"].fillna(0).astype("int64")
    out = pd.concat([entry.assign(stage="entry"), exit_.assign(stage="exit")], ignore_index=True)
    return out[[*columns, "stage", "compensation", "count", "share_pct"]]


def exit_reasons(participants: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Exit reasons of closed episodes: the ``by`` columns, ``exit_reason``, ``count`` (episodes)
    and ``share_pct`` (per cent of the group's closed episodes); every reason appears."""
    columns = _by_list(by, participants)
    closed = _closed(participants)
    out = _counts(closed, columns, "exit_reason", EXIT_REASON_ORDER, "count")
    if columns:
        out = out.set_index([*columns, "exit_reason"]).reindex(
            _grid(participants, columns, {"exit_reason": EXIT_REASON_ORDER})).reset_index()
        out["count"] = out["count"].fillna(0).astype("int64")
    return out
