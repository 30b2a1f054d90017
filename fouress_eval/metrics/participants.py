"""Participant and process metrics: inflow, stock, meetings, compensation, exits, time to return.

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

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.survfunc import CumIncidenceRight, SurvfuncRight, survdiff

from ..errors import InputError

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
ENTRY_ORDER = ("repeated_short_term_absence", "sick_pay_days_1_14", "part_time_sick_leave", "full_time_sick_leave")
EXIT_ORDER = ("salary", "part_time_sick_leave", "full_time_sick_leave")
EXIT_REASON_ORDER = ("ordinary_work", "other_work_same_employer", "medical_obstacle", "left_employer", "other")
MEETING_TYPE_ORDER = ("follow_up", "three_party")
WORK_REASONS = ("ordinary_work", "other_work_same_employer")
COMPETING_REASONS = ("left_employer", "medical_obstacle")

EVENT_DEFINITIONS: dict[str, str] = {
    "salary": ("returned to work = the episode closed with compensation at exit 'salary' (fully back on "
               "salary, no sickness benefit), whatever the exit reason; other closed episodes are "
               "censored at their end date; ongoing episodes are censored at the cut-off"),
    "work": ("returned to work = the episode closed with exit reason 'ordinary_work' or "
             "'other_work_same_employer' (back at work, possibly still part-time sick-listed); other "
             "closed episodes are censored at their end date; ongoing episodes are censored at the cut-off"),
    "exit": ("time in the project = every closed episode is an event, whatever its reason; ongoing "
             "episodes are censored at the cut-off"),
}
EventDefinition = Literal["salary", "work", "exit"]
Period = Literal["M", "Q", "Y"]

# status codes of episode_durations
CENSORED, EVENT, COMPETING = 0, 1, 2


# --------------------------------------------------------------------------------------- helpers

def _by_list(by: str | Sequence[str] | None, frame: pd.DataFrame, what: str = "participants") -> list[str]:
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by)
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"cannot split by '{column}': no such column in the {what} table", column=column,
                             expected="one of " + ", ".join(map(str, frame.columns)))
    return columns


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} table lacks column(s) {', '.join(missing)}",
                         expected=f"the tidy {what} table from `fouress-eval prepare`")


def _check_codes(values: pd.Series, allowed: Sequence[str], column: str, required: bool = False) -> None:
    if required and values.isna().any():
        raise InputError(f"'{column}' is missing for an episode", column=column,
                         expected="one of " + ", ".join(allowed) + " for every episode")
    unknown = sorted(set(values.dropna()) - set(allowed))
    if unknown:
        raise InputError(f"unknown code in '{column}'", column=column, value=unknown[0],
                         expected="one of " + ", ".join(allowed))


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("start_date", "end_date"):
        out[column] = pd.to_datetime(out[column])
    if out["start_date"].isna().any():
        who = out.loc[out["start_date"].isna(), "participant_id"].iloc[0]
        raise InputError("an episode has no start date", column="start_date", value=who,
                         expected="a start date for every episode")
    backwards = out["end_date"].notna() & (out["end_date"] < out["start_date"])
    if backwards.any():
        who = out.loc[backwards, "participant_id"].iloc[0]
        raise InputError("an episode ends before it starts", column="end_date", value=who,
                         expected="end date on or after the start date")
    return out


def _closed(participants: pd.DataFrame) -> pd.DataFrame:
    """Closed episodes, checked to carry both exit compensation and exit reason."""
    _require_columns(participants, ["participant_id", "end_date", "exit_compensation", "exit_reason"], "participants")
    closed = participants[participants["end_date"].notna()]
    for column in ("exit_compensation", "exit_reason"):
        lacking = closed[column].isna()
        if lacking.any():
            raise InputError(f"a closed episode has no {column.replace('_', ' ')}", column=column,
                             value=closed.loc[lacking, "participant_id"].iloc[0],
                             expected="exit compensation and exit reason for every episode with an end date")
    _check_codes(closed["exit_compensation"], EXIT_ORDER, "exit_compensation")
    _check_codes(closed["exit_reason"], EXIT_REASON_ORDER, "exit_reason")
    return closed


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


# ---------------------------------------------------------------------------- time to return

def _cutoff(cutoff: object | None) -> pd.Timestamp:
    if cutoff is not None:
        return pd.Timestamp(cutoff)
    from ..config import get_settings
    return pd.Timestamp(get_settings().data_cutoff)


def _group_labels(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    if not by:
        return pd.Series("all", index=frame.index)
    return frame[by].astype(str).agg(" / ".join, axis=1)


def episode_durations(participants: pd.DataFrame, event: EventDefinition = "salary", cutoff: object | None = None,
                      competing: Sequence[str] = COMPETING_REASONS) -> pd.DataFrame:
    """One row per episode with its duration and outcome under an event definition.

    Columns added to the episode's own: ``time_days`` (whole days from ``start_date`` to the end
    date, or to ``cutoff`` for an episode still ongoing then), ``status`` (0 censored, 1 event =
    returned to work under ``event``, 2 competing exit) and ``outcome`` (``"event"``,
    ``"competing"``, ``"censored_exit"``, ``"ongoing"``). An episode that ends after ``cutoff``
    counts as ongoing at the cut-off; episodes starting after it are left out. ``competing``
    lists the exit reasons that count as competing events (status 2) when the episode is not an
    event; they are censored in the Kaplan–Meier estimate and separated only in the cumulative
    incidence (see :func:`time_to_return`). ``event`` is one of :data:`EVENT_DEFINITIONS`.
    """
    if event not in EVENT_DEFINITIONS:
        raise InputError("unknown event definition", column="event", value=event,
                         expected="one of " + ", ".join(EVENT_DEFINITIONS))
    unknown = [r for r in competing if r not in EXIT_REASON_ORDER]
    if unknown:
        raise InputError("unknown exit reason among the competing ones", column="competing", value=unknown[0],
                         expected="any of " + ", ".join(EXIT_REASON_ORDER))
    _require_columns(participants, ["participant_id", "start_date", "end_date"], "participants")
    day = _cutoff(cutoff)
    frame = _dates(participants)
    frame = frame[frame["start_date"] <= day].copy()
    closed = frame["end_date"].notna() & (frame["end_date"] <= day)
    _closed(frame[closed])  # closed episodes must carry exit compensation and reason
    end = frame["end_date"].where(closed, day)
    frame["time_days"] = (end - frame["start_date"]).dt.days.astype("int64")
    if event == "salary":
        is_event = closed & (frame["exit_compensation"] == "salary")
    elif event == "work":
        is_event = closed & frame["exit_reason"].isin(WORK_REASONS)
    else:
        is_event = closed
    is_competing = closed & ~is_event & frame["exit_reason"].isin(list(competing))
    frame["status"] = np.select([is_event, is_competing], [EVENT, COMPETING], CENSORED).astype("int64")
    frame["outcome"] = np.select([is_event, is_competing, closed], ["event", "competing", "censored_exit"],
                                 "ongoing")
    return frame


def _step(times: np.ndarray, values: np.ndarray, at: np.ndarray, before: float) -> np.ndarray:
    """Right-continuous step function through (times, values), ``before`` left of the first time."""
    position = np.searchsorted(times, at, side="right") - 1
    return np.where(position >= 0, values[np.clip(position, 0, None)] if len(values) else before, before)


def _loglog_ci(surv: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(−log) interval: S^exp(±z·se/(S·|log S|)); (1, 1) where S = 1, NaN where S = 0."""
    surv, se = np.asarray(surv, float), np.asarray(se, float)
    low, high = np.full_like(surv, np.nan), np.full_like(surv, np.nan)
    inner = (surv > 0) & (surv < 1) & np.isfinite(se)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = se[inner] / (surv[inner] * np.abs(np.log(surv[inner])))
        low[inner] = surv[inner] ** np.exp(z * sigma)
        high[inner] = surv[inner] ** np.exp(-z * sigma)
    low[surv >= 1], high[surv >= 1] = 1.0, 1.0
    return low, high


@dataclass
class TimeToReturn:
    """Kaplan–Meier analysis of time to return to work (see :func:`time_to_return`).

    All times are days since ``start_date``; survival S(t) is the probability of **not yet having
    returned** t days after the start, so 1 − S(t) is the share returned. Intervals are pointwise
    with coverage 1 − ``alpha``: survival on the log(−log) scale from Greenwood's variance;
    medians by inverting that test (statsmodels ``quantile_ci``, method ``cloglog``).

    Attributes: ``table`` (group, time, at_risk, events, censored, survival, ci_low, ci_high — one
    row per distinct time, starting at 0; competing exits count as censored), ``medians`` (group,
    n, events, median, ci_low, ci_high; NaN where not estimable), ``at_days`` (group, days,
    survival, ci_low, ci_high; NaN beyond a group's follow-up), ``logrank`` (``statistic``,
    ``df``, ``p``; ``None`` without ``by``; NaN when the groups share no event time at risk),
    ``cumulative_incidence`` (group, time, cause
    ``"return"``/``"competing"``, incidence, se — Aalen–Johansen, treating ``competing`` exits as
    competing events), ``episodes`` (the per-episode input of the estimate).
    """

    event: str
    event_definition: str
    cutoff: pd.Timestamp
    alpha: float
    by: list[str]
    episodes: pd.DataFrame
    table: pd.DataFrame
    medians: pd.DataFrame
    at_days: pd.DataFrame
    logrank: dict | None
    cumulative_incidence: pd.DataFrame
    survfuncs: dict[str, SurvfuncRight] = field(default_factory=dict, repr=False)

    def summary(self) -> pd.DataFrame:
        """One row per group: n, events, censored, median days with CI, and survival at each day
        of ``at_days`` (columns ``S_90`` …)."""
        out = self.medians.copy()
        counts = self.episodes.groupby("group")["outcome"].value_counts().unstack(fill_value=0)
        out["censored"] = out["group"].map(counts.drop(columns="event", errors="ignore").sum(axis=1)).fillna(0)
        out["censored"] = out["censored"].astype("int64")
        wide = self.at_days.pivot(index="group", columns="days", values="survival")
        for days in wide.columns:
            out[f"S_{days}"] = out["group"].map(wide[days])
        return out

    def plot(self, ax: plt.Axes | None = None, *, language: str = "sv", ci: bool = True) -> plt.Axes:
        """Kaplan–Meier curves with censoring ticks (:func:`fouress_eval.plots.participants.km_plot`)."""
        from ..plots.participants import km_plot
        return km_plot(self, ax=ax, language=language, ci=ci)


def time_to_return(participants: pd.DataFrame, by: str | Sequence[str] | None = None, cutoff: object | None = None,
                   *, event: EventDefinition = "salary", competing: Sequence[str] = COMPETING_REASONS,
                   alpha: float = 0.05, days: Sequence[int] = (90, 180, 365)) -> TimeToReturn:
    """Time to return to work with Kaplan–Meier and right-censoring (statsmodels ``SurvfuncRight``).

    Time is whole days from ``start_date``. Ongoing episodes — no end date, or an end date after
    the cut-off — are right-censored at ``cutoff`` (default: the settings' ``data_cutoff``,
    2019-10-31 for 4-Ess); episodes starting after the cut-off are left out.

    The event, ``event=``:

    - ``"salary"`` (default): the episode closed with compensation at exit ``salary`` — fully
      back on salary with no sickness benefit, whatever the exit reason. This is the end of the
      project's compensation chain (full-time → part-time sick leave → salary) and the
      final report's "helt åter i lön". Exit reason ``ordinary_work`` alone is not used because
      many leave the project back in their job but still part-time sick-listed: they have not
      completed their return, and their follow-up ends, so they are censored at the end date.
    - ``"work"``: the episode closed with exit reason ``ordinary_work`` or
      ``other_work_same_employer`` — back at work, even if still part-time sick-listed.
    - ``"exit"``: any closure — time in the project, not a return-to-work measure.

    Every other closed episode is censored at its end date in the Kaplan–Meier estimate, which
    assumes its chance of returning later equals that of those still followed. For exits that
    rule out a return to this employer (``competing``, default ``left_employer`` and
    ``medical_obstacle``) that assumption does not hold, so 1 − S(t) overstates the share
    returned; ``cumulative_incidence`` gives the Aalen–Johansen estimate that treats them as
    competing events instead, and ``episodes.outcome`` shows how many there are.

    ``by`` splits into groups (curves, medians, a log-rank test of equal survival across groups
    with df = groups − 1 via statsmodels ``survdiff``). ``days``: the days at which survival is
    reported. Returns :class:`TimeToReturn`.
    """
    if not 0 < alpha < 1:
        raise InputError("alpha must lie between 0 and 1", column="alpha", value=alpha, expected="e.g. 0.05")
    columns = _by_list(by, participants)
    episodes = episode_durations(participants, event=event, cutoff=cutoff, competing=competing)
    episodes["group"] = _group_labels(episodes, columns)
    if episodes.empty:
        raise InputError("no episode started on or before the cut-off", column="start_date",
                         expected="at least one episode to estimate time to return")
    z = float(stats.norm.ppf(1 - alpha / 2))
    days_array = np.asarray(list(days), dtype=float)
    keys = episodes[["group", *columns]].drop_duplicates().sort_values(columns or "group")

    tables, medians, at_days, incidence, survfuncs = [], [], [], [], {}
    for _, key in keys.iterrows():
        group = key["group"]
        part = episodes[episodes["group"] == group]
        time = part["time_days"].to_numpy(float)
        status = part["status"].to_numpy()
        returned = (status == EVENT).astype(float)
        fit = SurvfuncRight(time, returned, title=group)
        survfuncs[group] = fit
        extra = {c: key[c] for c in columns}

        # tidy table at every distinct time (events and censorings), starting at 0
        grid = np.unique(np.r_[0.0, time])
        at_risk = np.array([(time >= t).sum() for t in grid])
        events = np.array([((time == t) & (returned == 1)).sum() for t in grid])
        censored = np.array([((time == t) & (returned == 0)).sum() for t in grid])
        surv = _step(fit.surv_times, fit.surv_prob, grid, 1.0)
        se = _step(fit.surv_times, fit.surv_prob_se, grid, 0.0)
        low, high = _loglog_ci(surv, se, z)
        tables.append(pd.DataFrame({"group": group, **extra, "time": grid.astype("int64"), "at_risk": at_risk,
                                    "events": events, "censored": censored, "survival": surv,
                                    "ci_low": low, "ci_high": high}))

        # median with the statsmodels (SAS) convention: first time with S(t) < 0.5
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            median = fit.quantile(0.5) if len(fit.surv_times) else np.nan
            m_low, m_high = fit.quantile_ci(0.5, alpha=alpha) if len(fit.surv_times) else (np.nan, np.nan)
        medians.append({"group": group, **extra, "n": len(part), "events": int(returned.sum()),
                        "median": float(median),
                        "ci_low": float(m_low), "ci_high": np.nan if np.isinf(m_high) else float(m_high)})

        # survival at chosen days, NaN beyond the group's follow-up
        surv_d = _step(fit.surv_times, fit.surv_prob, days_array, 1.0)
        se_d = _step(fit.surv_times, fit.surv_prob_se, days_array, 0.0)
        low_d, high_d = _loglog_ci(surv_d, se_d, z)
        beyond = days_array > time.max()
        for values in (surv_d, low_d, high_d):
            values[beyond] = np.nan
        at_days.append(pd.DataFrame({"group": group, **extra, "days": days_array.astype("int64"),
                                     "survival": surv_d, "ci_low": low_d, "ci_high": high_d}))

        # Aalen–Johansen cumulative incidence of return and of competing exits
        if status.max() > 0:
            with np.errstate(all="ignore"):  # statsmodels divides by zero in the last risk set
                cif = CumIncidenceRight(time, status)
            for cause_number, cause in ((EVENT, "return"), (COMPETING, "competing")):
                if cause_number <= len(cif.cinc):
                    incidence.append(pd.DataFrame({"group": group, **extra, "time": cif.times.astype("int64"),
                                                   "cause": cause, "incidence": cif.cinc[cause_number - 1],
                                                   "se": cif.cinc_se[cause_number - 1]}))

    logrank = None
    if columns:
        groups = episodes["group"].to_numpy()
        if len(np.unique(groups)) >= 2:
            try:
                with np.errstate(all="ignore"):
                    statistic, p = survdiff(episodes["time_days"].to_numpy(float),
                                            (episodes["status"] == EVENT).to_numpy(float), groups)
            except np.linalg.LinAlgError:  # no event time with more than one group at risk: no information
                statistic, p = np.nan, np.nan
            logrank = {"statistic": float(statistic), "df": int(len(np.unique(groups)) - 1), "p": float(p)}

    incidence_columns = ["group", *columns, "time", "cause", "incidence", "se"]
    return TimeToReturn(
        event=event, event_definition=EVENT_DEFINITIONS[event], cutoff=_cutoff(cutoff), alpha=alpha, by=columns,
        episodes=episodes.reset_index(drop=True),
        table=pd.concat(tables, ignore_index=True),
        medians=pd.DataFrame(medians),
        at_days=pd.concat(at_days, ignore_index=True),
        logrank=logrank,
        cumulative_incidence=(pd.concat(incidence, ignore_index=True) if incidence
                              else pd.DataFrame(columns=incidence_columns)),
        survfuncs=survfuncs,
    )
