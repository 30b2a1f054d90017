"""Time to return to work: episode durations under an event definition and Kaplan–Meier estimates.

Inputs and conventions as in :mod:`fouress_eval.metrics.participants` (one row per episode,
durations in whole **days** from ``start_date``); ongoing episodes are right-censored at the
data cut-off, which comes from the evaluation's configuration (``Settings.data_cutoff``) unless
given.
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
from ._episodes import COMPETING_REASONS, EXIT_REASON_ORDER, WORK_REASONS, _by_list, _closed, _dates, _require_columns

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

__all__ = ["EVENT_DEFINITIONS", "episode_durations", "time_to_return", "TimeToReturn"]

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

# status codes of episode_durations
CENSORED, EVENT, COMPETING = 0, 1, 2


def _cutoff(cutoff: object | None) -> pd.Timestamp:
    if cutoff is not None:
        return pd.Timestamp(cutoff)
    from ..config import get_settings
    from ..errors import InputError

    settings = get_settings()
    if settings.data_cutoff is None:
        raise InputError("no data cut-off to censor ongoing episodes at", value=settings.name,
                         expected="cutoff=YYYY-MM-DD, or data.data_cutoff in the evaluation's configuration")
    return pd.Timestamp(settings.data_cutoff)


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
    the cut-off — are right-censored at ``cutoff`` (default: the data cut-off from the evaluation's
    configuration, ``Settings.data_cutoff``); episodes starting after the cut-off are left out.

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
