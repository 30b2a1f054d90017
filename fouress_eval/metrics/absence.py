"""Sick-leave metrics from hours: rates, changes, indices, rolling rates, sick-listing rates.

The statutory key figures NT1–NT7 (:mod:`.key_figures`) and repeated short-term absence from
spell data (:mod:`.short_term`) live in modules of their own and are re-exported here, so
``from fouress_eval.metrics.absence import key_figures, repeated_short_term`` keeps working.

Conventions used everywhere in this module (and in :mod:`.key_figures`):

- **Rates are recomputed from sums, never averaged.** A sick-leave percentage for any grouping
  (municipality, month, quarter, year, sex, age group, or several months pooled) is
  ``100 · Σ sick_hours / Σ scheduled_hours`` over the rows in the group. The mean of the
  rows' percentages weights a group of 9 employees like a group of 900, so it is never used.
- Months are ``pandas.Period[M]``; quarters ``Period[Q]``; years ``int``.
- Percentages are in per cent (0–100), changes in percentage points (``_pp``) and relative changes
  and indices in per cent (``_pct``). Nothing is rounded; round when displaying.
- ``absence_monthly`` may hold total rows (``sex`` or ``age_group`` equal to ``"alla"``) next to
  detail rows. Within each municipality and month, one consistent level is used so that nothing is
  counted twice: the most aggregated level that still carries the dimensions asked for (the
  ``alla``/``alla`` total when neither sex nor age is needed; sex totals when only sex is needed;
  and so on; detail rows otherwise).
- A zero denominator gives ``NaN``, not infinity; a sum that includes a missing value is missing
  (no silent partial sums).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from ..errors import InputError
from ._hours import (  # noqa: F401  AGE_GROUPS and TOTAL stay importable from here
    AGE_GROUPS,
    TOTAL,
    MonthLike,
    MonthRange,
    Period,
    _as_list,
    _filter_months,
    _hours_table,
    _keys,
    _month_range,
    _months_of,
    _pooled,
    _ratio,
    _require,
)
from .key_figures import KEY_FIGURES, key_figures
from .short_term import repeated_short_term

__all__ = [
    "sick_pct",
    "long_term_share",
    "short_term_absence",
    "key_figures",
    "KEY_FIGURES",
    "baseline_comparison",
    "change_from_baseline",
    "index_vs_base",
    "rolling_12m",
    "clinic_rate",
    "repeated_short_term",
]


# ------------------------------------------------------------------------------------ sick leave

def sick_pct(hours: pd.DataFrame, by: str | Iterable[str] | None = ("municipality_code",),
             period: Period = "month", *, start: MonthLike | None = None, end: MonthLike | None = None,
             headcount: Literal["mean", "max"] = "mean") -> pd.DataFrame:
    """Sick leave in per cent of scheduled hours, ``100 · Σ sick_hours / Σ scheduled_hours``.

    ``hours`` is an ``absence_monthly`` table (hours in hours). ``by`` names the grouping columns
    (any of ``municipality_code``, ``sex``, ``age_group``, or another column of the table);
    ``period`` adds ``month``, ``quarter`` (``Period[Q]``) or ``year`` (``int``), or pools every
    month when ``None``. ``start``/``end`` (inclusive months) restrict the months first, e.g.
    ``start="2019-09", end="2019-11", period=None`` pools those three months into one figure.

    Returns one row per group with ``months`` (distinct months pooled), ``employees`` (monthly
    head count summed over the group's rows in a month, then the ``headcount`` statistic over its
    months), ``scheduled_hours``, ``sick_hours`` (sums) and ``sick_pct`` (per cent; ``NaN`` when
    no hours were scheduled). Never an average of percentages.
    """
    keys = _keys(by, period)
    frame = _filter_months(_hours_table(hours, keys), start, end)
    out = _pooled(frame, keys, ["scheduled_hours", "sick_hours"], headcount)
    out["sick_pct"] = _ratio(out["sick_hours"], out["scheduled_hours"])
    return out


def long_term_share(hours: pd.DataFrame, by: str | Iterable[str] | None = ("municipality_code",),
                    period: Period = "month", *, start: MonthLike | None = None,
                    end: MonthLike | None = None) -> pd.DataFrame:
    """Share of sick time in continuous spells of 60 days or more, in per cent of **sick** hours
    (``100 · Σ long_sick_hours / Σ sick_hours``; the statutory NT2 at any grouping), and the same
    hours in per cent of scheduled hours (``long_pct_of_scheduled``). Groups as :func:`sick_pct`;
    ``NaN`` when any contributing row lacks ``long_sick_hours`` or there are no sick hours."""
    keys = _keys(by, period)
    frame = _filter_months(_hours_table(hours, keys, ["long_sick_hours"]), start, end)
    out = _pooled(frame, keys, ["scheduled_hours", "sick_hours", "long_sick_hours"])
    out["long_share_pct"] = _ratio(out["long_sick_hours"], out["sick_hours"])
    out["long_pct_of_scheduled"] = _ratio(out["long_sick_hours"], out["scheduled_hours"])
    return out


def short_term_absence(hours: pd.DataFrame, by: str | Iterable[str] | None = ("municipality_code",),
                       period: Period = "month", *, start: MonthLike | None = None,
                       end: MonthLike | None = None) -> pd.DataFrame:
    """Short-term absence: sick hours on days 1–14 of a spell (``short_sick_hours``), in per cent of
    scheduled hours (``short_pct``) and in per cent of all sick hours (``short_share_pct``).

    Groups as :func:`sick_pct`. Both are ``NaN`` for a group in which any row lacks
    ``short_sick_hours`` (the personnel system did not deliver the split), never a partial sum.

    This measures short-term absence *volume*. **Repeated** short-term absence (the common
    employer rule: six or more sick spells within 12 months) is a property of persons and needs
    spell-level data — person, start and end of each spell — which the monthly hours table does
    not hold; use :func:`repeated_short_term` on a spell table for that.
    """
    keys = _keys(by, period)
    frame = _filter_months(_hours_table(hours, keys, ["short_sick_hours"]), start, end)
    out = _pooled(frame, keys, ["scheduled_hours", "sick_hours", "short_sick_hours"])
    out["short_pct"] = _ratio(out["short_sick_hours"], out["scheduled_hours"])
    out["short_share_pct"] = _ratio(out["short_sick_hours"], out["sick_hours"])
    return out



# -------------------------------------------------------------------- changes, indices, rolling

def _series_frame(series: pd.DataFrame | pd.Series, value: str, time: str) -> pd.DataFrame:
    if isinstance(series, pd.Series):
        name = series.name if series.name is not None else value
        frame = series.rename(name).rename_axis(time).reset_index()
        return frame.rename(columns={name: value})
    _require(series, [time, value], "series")
    return series.copy()


def _relative_to(series: pd.DataFrame | pd.Series, reference: MonthRange, *, value: str,
                 by: str | Iterable[str] | None, time: str, what: str) -> pd.DataFrame:
    frame = _series_frame(series, value, time)
    keys = _as_list(by) if by is not None else (["municipality_code"] if "municipality_code" in frame else [])
    _require(frame, keys, "series")
    if time == "month":
        frame[time] = _months_of(frame)
    first, last = _month_range(reference, what) if time == "month" else (reference, reference)
    if first != last:
        raise InputError(f"the {what} must be a single {time} for a series of values "
                         "(pool hours over several months with baseline_comparison)", value=reference)
    at = frame[frame[time] == first]
    if (at.duplicated(keys).any() if keys else len(at) > 1):
        raise InputError(f"several rows for the {what} {first} in one group", value=str(first),
                         expected="one row per group and " + time + (f" (group by {', '.join(keys)})" if keys else ""))
    if keys:
        reference_values = at.set_index(keys)[value].rename("base_value")
        missing = frame[keys].drop_duplicates().merge(reference_values.reset_index(), how="left",
                                                      on=keys, indicator=True)
        absent = missing[missing["_merge"] == "left_only"]
        if len(absent):
            raise InputError(f"the {what} {first} is missing from the series", column=time,
                             value=", ".join(map(str, absent[keys].astype(str).agg("/".join, axis=1))),
                             expected=f"a value for {first} in every group")
        out = frame.merge(reference_values.reset_index(), on=keys, how="left")
    else:
        if at.empty:
            raise InputError(f"the {what} {first} is missing from the series", column=time, value=str(first))
        out = frame.assign(base_value=float(at[value].iloc[0]))
    out.index = frame.index
    return out


def change_from_baseline(series: pd.DataFrame | pd.Series, baseline: MonthLike, *,
                         value: str = "sick_pct", by: str | Iterable[str] | None = None,
                         time: str = "month") -> pd.DataFrame:
    """Each row's change from the same group's value in the ``baseline`` month.

    ``baseline`` is one month (e.g. ``"2016-08"``), required: it comes from the evaluation's
    configuration (``Settings.baseline``), never from a default here. ``series`` is a tidy frame
    with a ``time`` column (months) and a ``value`` column (e.g. the output of :func:`sick_pct`),
    or a Series indexed by month. ``by`` names the group columns (default ``municipality_code``
    when present). Adds ``baseline_value``, ``change_pp`` (value − baseline, in the value's units:
    percentage points for a percentage) and ``change_pct`` (relative change,
    ``100 · (value / baseline − 1)`` per cent; ``NaN`` for a zero baseline).
    A group without a baseline value is an :class:`InputError`.
    """
    out = _relative_to(series, baseline, value=value, by=by, time=time, what="baseline")
    out = out.rename(columns={"base_value": "baseline_value"})
    out["change_pp"] = out[value] - out["baseline_value"]
    out["change_pct"] = _ratio(out["change_pp"], out["baseline_value"].where(out["baseline_value"] != 0))
    return out


def index_vs_base(series: pd.DataFrame | pd.Series, base: MonthLike, *, value: str = "rate_per_1000",
                  by: str | Iterable[str] | None = None, time: str = "month") -> pd.DataFrame:
    """Index against a base month: ``index_pct = 100 · (value / base value − 1)`` per cent, per group.

    E.g. health-centre F+M sick-listings per 1 000 listed (:func:`clinic_rate`) against a month
    before the intervention: −49 means 49 % fewer than in the base month. Adds ``base_value`` and
    ``index_pct`` (``NaN`` for a zero base). ``series``/``by``/``time`` as in :func:`change_from_baseline`.
    """
    out = _relative_to(series, base, value=value, by=by, time=time, what="base month")
    out["index_pct"] = _ratio(out[value] - out["base_value"], out["base_value"].where(out["base_value"] != 0))
    return out


def baseline_comparison(hours: pd.DataFrame, baseline: MonthRange, follow_up: MonthRange, *,
                        by: str | Iterable[str] | None = ("municipality_code",)) -> pd.DataFrame:
    """Sick leave in a baseline period against a follow-up period, each pooled from hours.

    ``baseline`` and ``follow_up`` are a month or an inclusive ``(first, last)`` pair of months,
    e.g. ``"2016-08"`` and ``("2019-09", "2019-11")``; both are required and come from the
    evaluation's configuration (``Settings.baseline``, ``Settings.follow_up``). Returns per group
    ``baseline_sick_pct``, ``follow_up_sick_pct`` (per cent of scheduled hours, ``100 · Σ sick /
    Σ scheduled`` over the period), ``change_pp`` (percentage points) and ``change_pct`` (relative
    change, per cent), with the months found in each period (``baseline_months``,
    ``follow_up_months``) so an incomplete period is visible.
    """
    keys = _as_list(by)
    parts = []
    for name, months in (("baseline", baseline), ("follow_up", follow_up)):
        first, last = _month_range(months, name.replace("_", "-") + " period")
        pooled = sick_pct(hours, keys, None, start=first, end=last)
        pooled = pooled[[*keys, "months", "sick_pct"]].rename(
            columns={"months": f"{name}_months", "sick_pct": f"{name}_sick_pct"})
        parts.append(pooled)
    if keys:
        out = parts[0].merge(parts[1], on=keys, how="outer")
    else:
        out = pd.concat([parts[0], parts[1]], axis=1)
    out["change_pp"] = out["follow_up_sick_pct"] - out["baseline_sick_pct"]
    out["change_pct"] = _ratio(out["change_pp"], out["baseline_sick_pct"].where(out["baseline_sick_pct"] != 0))
    return out


def rolling_12m(hours: pd.DataFrame, by: str | Iterable[str] | None = ("municipality_code",), *,
                window: int = 12) -> pd.DataFrame:
    """Rolling 12-month sick leave in per cent, recomputed from rolling sums of hours.

    For each group and month *m*: ``100 · Σ sick_hours / Σ scheduled_hours`` over months
    *m − 11 … m* (``window`` months). ``NaN`` until ``window`` consecutive months are available and
    whenever a month inside the window is missing (gaps are not bridged). Returns the monthly
    ``sick_pct`` frame (see :func:`sick_pct`) plus ``scheduled_hours_12m``, ``sick_hours_12m`` and
    ``sick_pct_12m``.
    """
    if window < 1:
        raise InputError("the rolling window must be at least one month", value=window)
    keys = _as_list(by)
    monthly = sick_pct(hours, keys, "month")
    parts = []
    groups = monthly.groupby(keys, sort=True, dropna=False) if keys else [((), monthly)]
    for _, part in groups:
        part = part.set_index("month").sort_index()
        full = pd.period_range(part.index.min(), part.index.max(), freq="M")
        sums = part[["scheduled_hours", "sick_hours"]].reindex(full).rolling(window, min_periods=window).sum()
        sums = sums.reindex(part.index)
        part = part.assign(scheduled_hours_12m=sums["scheduled_hours"], sick_hours_12m=sums["sick_hours"])
        parts.append(part.reset_index().rename(columns={"index": "month"}))
    out = pd.concat(parts, ignore_index=True)
    out["sick_pct_12m"] = _ratio(out["sick_hours_12m"], out["scheduled_hours_12m"])
    return out[[*keys, "month", *[c for c in out.columns if c not in (*keys, "month")]]]


# ------------------------------------------------------------------------------ health centres

def clinic_rate(clinics: pd.DataFrame, chapters: Iterable[str] | None = ("F", "M"),
                by: str | Iterable[str] = "municipality_code") -> pd.DataFrame:
    """Sick-listings per 1 000 listed patients per group and month, combining health centres.

    ``clinics`` is a ``clinic_sicklistings`` table. ``chapters`` selects ICD-10 diagnosis
    chapters (default F, mental, and M, musculoskeletal; ``None`` keeps all). Per group of ``by``
    (``municipality_code`` combines a municipality's centres; ``clinic`` gives each centre) and
    month: ``sicklisted`` = Σ sick-listed over the chapters and centres; ``listed_population`` =
    Σ listed population of the **distinct** centres (each centre once, although its population
    is repeated on every chapter row); ``rate_per_1000 = 1000 · sicklisted / listed_population``.
    ``clinics`` counts the centres contributing that month — a change in it changes the mix. A
    centre whose listed population differs between chapter rows of one month is an
    :class:`InputError`. A chapter row absent for a centre is treated as absent, not as zero.
    """
    keys = _as_list(by)
    _require(clinics, ["clinic", "month", "diagnosis_chapter", "sicklisted", "listed_population", *keys],
             "clinic_sicklistings")
    frame = clinics.copy()
    frame["month"] = _months_of(frame)
    if chapters is not None:
        wanted = [str(c).upper() for c in ([chapters] if isinstance(chapters, str) else chapters)]
        frame = frame[frame["diagnosis_chapter"].astype(str).str.upper().isin(wanted)]
        if frame.empty:
            raise InputError("no sick-listings with the requested diagnosis chapters", column="diagnosis_chapter",
                             value=", ".join(wanted),
                             expected="one of " + ", ".join(sorted(map(str, clinics["diagnosis_chapter"].unique()))))
    centre_keys = list(dict.fromkeys(["clinic", "month", *keys]))
    listed = frame.groupby(centre_keys, sort=True, dropna=False)["listed_population"]
    if (listed.nunique() > 1).any():
        bad = listed.nunique()
        clinic, month = bad[bad > 1].index[0][:2]
        raise InputError("one health centre has different listed populations in the same month",
                         column="listed_population", value=f"{clinic} {month}",
                         expected="the same listed population on every diagnosis-chapter row")
    centres = listed.first().reset_index()
    group = [*keys, "month"] if "month" not in keys else keys
    population = centres.groupby(group, sort=True, dropna=False).agg(
        clinics=("clinic", "nunique"), listed_population=("listed_population", "sum"))
    counts = frame.groupby(group, sort=True, dropna=False)["sicklisted"].sum().rename("sicklisted")
    out = population.join(counts).reset_index()
    out = out[[*group, "clinics", "sicklisted", "listed_population"]]
    out["rate_per_1000"] = _ratio(out["sicklisted"], out["listed_population"], scale=1000.0)
    return out
