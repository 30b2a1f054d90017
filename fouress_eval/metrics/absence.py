"""Sick-leave metrics from hours: rates, statutory key figures, changes, indices, sick-listing rates.

Conventions used everywhere in this module:

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

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import InputError

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

Period = Literal["month", "quarter", "year"] | None
MonthLike = pd.Period | str
MonthRange = MonthLike | tuple[MonthLike, MonthLike]

TOTAL = "alla"
AGE_GROUPS = ("-29", "30-49", "50-")
_TIME_KEYS = ("month", "quarter", "year")

#: The statutory key figures (SKR's NT1–NT7): code → (dimension, value, description).
KEY_FIGURES: dict[str, tuple[str | None, str | None, str]] = {
    "NT1": (None, None, "total sick hours / total scheduled hours (%)"),
    "NT2": (None, None, "sick hours in continuous spells of 60+ days / total sick hours (%)"),
    "NT3": ("sex", "K", "women: sick hours / scheduled hours (%)"),
    "NT4": ("sex", "M", "men: sick hours / scheduled hours (%)"),
    "NT5": ("age_group", "-29", "age 29 or younger: sick hours / scheduled hours (%)"),
    "NT6": ("age_group", "30-49", "age 30-49: sick hours / scheduled hours (%)"),
    "NT7": ("age_group", "50-", "age 50 or older: sick hours / scheduled hours (%)"),
}
_GROUP_NAMES = {"NT1": "all employees", "NT2": "all employees", "NT3": "women", "NT4": "men",
                "NT5": "employees aged 29 or younger", "NT6": "employees aged 30-49",
                "NT7": "employees aged 50 or older"}
_EMPLOYEE_COLUMNS = {"NT1": "employees_total", "NT3": "employees_women", "NT4": "employees_men",
                     "NT5": "employees_29_or_younger", "NT6": "employees_30_49", "NT7": "employees_50_or_older"}


# --------------------------------------------------------------------------------------- helpers

def _month(value: MonthLike, what: str = "month") -> pd.Period:
    try:
        return pd.Period(value, freq="M")
    except (ValueError, TypeError) as error:
        raise InputError(f"cannot read the {what}", value=value, expected="a month such as '2016-08'") from error


def _month_range(value: MonthRange | None, what: str) -> tuple[pd.Period, pd.Period] | None:
    """A month or a ``(first, last)`` pair of months (both included) as a pair of periods."""
    if value is None:
        return None
    if isinstance(value, tuple):
        if len(value) != 2:
            raise InputError(f"the {what} must be one month or a (first, last) pair", value=value)
        first, last = _month(value[0], what), _month(value[1], what)
    else:
        first = last = _month(value, what)
    if last < first:
        raise InputError(f"the {what} ends before it starts", value=(str(first), str(last)),
                         expected="first month <= last month")
    return first, last


def _as_list(by: str | Iterable[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(dict.fromkeys(by))


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {table} table lacks column(s) {', '.join(missing)}", column=missing[0],
                         expected="columns " + ", ".join(frame.columns.astype(str)) + " plus the missing ones")


def _months_of(frame: pd.DataFrame) -> pd.Series:
    month = frame["month"]
    if not isinstance(month.dtype, pd.PeriodDtype):
        month = month.map(lambda v: _month(v))
        month = pd.Series(pd.PeriodIndex(month, freq="M"), index=frame.index)
    return month


def _with_time_keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Add derived ``quarter``/``year`` columns (from ``month``) when the keys ask for them."""
    frame = frame.copy()
    frame["month"] = _months_of(frame)
    if "quarter" in keys and "quarter" not in frame:
        frame["quarter"] = frame["month"].dt.asfreq("Q")
    if "year" in keys and "year" not in frame:
        frame["year"] = frame["month"].dt.year.astype(int)
    return frame


def _filter_months(frame: pd.DataFrame, start: MonthLike | None, end: MonthLike | None) -> pd.DataFrame:
    if start is None and end is None:
        return frame
    months = _months_of(frame)
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= months >= _month(start, "start month")
    if end is not None:
        keep &= months <= _month(end, "end month")
    return frame[keep]


def _one_level(hours: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Rows of one consistent aggregation level per municipality and month (see module docstring)."""
    has_sex, has_age = "sex" in hours, "age_group" in hours
    sex_total = hours["sex"].eq(TOTAL) if has_sex else pd.Series(False, index=hours.index)
    age_total = hours["age_group"].eq(TOTAL) if has_age else pd.Series(False, index=hours.index)
    if not (sex_total.any() or age_total.any()):
        return hours
    need_sex, need_age = "sex" in keys, "age_group" in keys
    level = sex_total.astype(int) * 2 + age_total.astype(int)  # 3 total, 2 age detail, 1 sex detail, 0 detail
    allowed = [lv for lv in (3, 2, 1, 0) if not (need_sex and lv >= 2) and not (need_age and lv % 2 == 1)]
    cell = [c for c in ("municipality_code", "month") if c in hours]
    usable = level.isin(allowed)
    rank = level.map({lv: i for i, lv in enumerate(allowed)}).where(usable)
    if cell:
        best = rank.groupby([hours[c] for c in cell], dropna=False).transform("min")
    else:
        best = pd.Series(rank.min(), index=hours.index)
    return hours[usable & (rank == best)]


def _pooled(hours: pd.DataFrame, keys: list[str], columns: Sequence[str],
            headcount: Literal["mean", "max"] = "mean") -> pd.DataFrame:
    """Σ of ``columns`` per group of ``keys``, with ``months`` (distinct months pooled) and
    ``employees`` (monthly head count summed within each month, then the mean or the maximum over
    the months). A sum that includes a missing value is missing."""
    frame = _one_level(hours, keys)
    group = [frame[k] for k in keys] if keys else [pd.Series(0, index=frame.index)]
    grouped = frame.groupby(group, sort=True, dropna=False, observed=True)
    out = pd.DataFrame(index=grouped.size().index)
    out["months"] = grouped["month"].nunique()
    if "employees" in frame:
        per_month = frame.groupby(group + [frame["month"]], sort=True, dropna=False, observed=True)["employees"].sum(
            min_count=1)
        out["employees"] = per_month.groupby(level=list(range(len(group))), dropna=False).agg(headcount)
    for column in columns:
        sums = grouped[column].sum(min_count=1)
        complete = grouped[column].count() == grouped.size()
        out[column] = sums.where(complete)
    out = out.reset_index()
    if keys:
        out.columns = [*keys, *out.columns[len(keys):]]
    else:
        out = out.iloc[:, 1:]
    return out


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 100.0) -> pd.Series:
    denominator = denominator.astype(float)
    return scale * numerator.astype(float) / denominator.where(denominator > 0)


def _keys(by: str | Iterable[str] | None, period: Period) -> list[str]:
    if period not in (None, *_TIME_KEYS):
        raise InputError("unknown period", value=period, expected="'month', 'quarter', 'year' or None")
    keys = _as_list(by)
    if period is not None and period not in keys:
        keys.append(period)
    return keys


def _hours_table(hours: pd.DataFrame, keys: list[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    _require(hours, ["month", "scheduled_hours", "sick_hours", *extra,
                     *[k for k in keys if k not in _TIME_KEYS]], "absence_monthly")
    return _with_time_keys(hours, keys)


# ------------------------------------------------------------------------------------ sick leave

def sick_pct(hours: pd.DataFrame, by: str | Iterable[str] | None = ("municipality_code",),
             period: Period = "month", *, start: MonthLike | None = None, end: MonthLike | None = None,
             headcount: Literal["mean", "max"] = "mean") -> pd.DataFrame:
    """Sick leave in per cent of scheduled hours, ``100 · Σ sick_hours / Σ scheduled_hours``.

    ``hours`` is an ``absence_monthly`` table (hours in hours). ``by`` names the grouping columns
    (any of ``municipality_code``, ``sex``, ``age_group``, or another column of the table);
    ``period`` adds ``month``, ``quarter`` (``Period[Q]``) or ``year`` (``int``), or pools every
    month when ``None``. ``start``/``end`` (inclusive months) restrict the months first, e.g.
    ``start="2019-09", end="2019-11", period=None`` pools autumn 2019.

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


# ----------------------------------------------------------------------------------- key figures

def key_figures(hours: pd.DataFrame, year: int, *, min_employees: int = 10,
                headcount: Literal["max", "mean"] = "max",
                traceable: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """The seven statutory sick-leave key figures of the municipal annual report for ``year``
    (KRL 1997:614 4 kap. 1 a §, carried into LKBR 2018:597; SKR's NT1–NT7), one row per municipality.

    All in per cent, pooled over the year's months from hours (never averaged percentages):

    - ``NT1`` total sick hours / total scheduled hours;
    - ``NT2`` sick hours in continuous spells of 60 days or more / **total sick hours** — a share
      of sick time, not of working time;
    - ``NT3`` women, ``NT4`` men, ``NT5`` age 29 or younger, ``NT6`` 30–49, ``NT7`` 50 or older:
      each the group's sick hours / the group's scheduled hours.

    **Withholding.** A figure is ``NaN`` when its group has ``min_employees`` (10) or fewer
    employees — NT1 and NT2 refer to all employees — or when the evaluator has judged it
    traceable to one person (pass ``traceable=[("0834", "NT5"), …]``; that judgement cannot be
    made from aggregates). The group's size is its **largest monthly head count in the year**
    (``headcount="max"``, the default): everyone counted in any month contributed hours to the
    figure, so the maximum is a lower bound on the number of distinct persons behind it — a group
    shown under this rule really has more than ``min_employees`` persons, and no larger head
    count can be derived from monthly aggregates without overstating the group. ``headcount=
    "mean"`` (mean monthly head count) withholds more and suits groups that shrank during the
    year. Figures are also ``NaN`` when there is nothing to divide (no scheduled or no sick hours,
    long-spell hours not delivered, group absent).

    Columns: ``municipality_code``, ``year``, ``months`` (months with data; fewer than 12 means a
    partial year), ``NT1``…``NT7``, the head counts ``employees_total``, ``employees_women``,
    ``employees_men``, ``employees_29_or_younger``, ``employees_30_49``, ``employees_50_or_older``,
    ``withheld`` (codes of the figures withheld for disclosure reasons, comma-separated, empty if
    none) and ``reason`` (why each figure is withheld or missing, ``; ``-separated).
    No secondary suppression is applied (the statutory figures are published without it);
    scheduled and sick hours are not part of the output, so a withheld group figure cannot be
    recomputed from the ones shown.
    """
    if min_employees < 0:
        raise InputError("min_employees cannot be negative", value=min_employees)
    if headcount not in ("max", "mean"):
        raise InputError("unknown head-count rule", value=headcount, expected="'max' or 'mean'")
    _require(hours, ["municipality_code", "month", "employees", "scheduled_hours", "sick_hours", "sex",
                     "age_group"], "absence_monthly")
    frame = _with_time_keys(hours, ["year"])
    frame = frame[frame["year"] == int(year)]
    if frame.empty:
        raise InputError(f"no absence data for the year {year}", column="month",
                         expected=f"months in {year}")
    if "long_sick_hours" not in frame:
        frame = frame.assign(long_sick_hours=np.nan)
    columns = ["scheduled_hours", "sick_hours", "long_sick_hours"]
    key = "municipality_code"
    total = _pooled(frame, [key], columns, headcount).set_index(key)
    by_sex = _pooled(frame, [key, "sex"], columns, headcount).set_index([key, "sex"])
    by_age = _pooled(frame, [key, "age_group"], columns, headcount).set_index([key, "age_group"])
    traceable = {(str(m), str(f)) for m, f in traceable}

    rows = []
    for code in total.index:
        row: dict[str, object] = {key: code, "year": int(year), "months": int(total.at[code, "months"])}
        withheld, reasons = [], []
        for figure, (dimension, value, _text) in KEY_FIGURES.items():
            source = total if dimension is None else by_sex if dimension == "sex" else by_age
            index = code if dimension is None else (code, value)
            group = _GROUP_NAMES[figure]
            if index not in source.index:
                row[figure] = np.nan
                reasons.append(f"{figure}: no data for {group}")
                if figure in _EMPLOYEE_COLUMNS:
                    row[_EMPLOYEE_COLUMNS[figure]] = np.nan
                continue
            data = source.loc[index]
            employees = float(data["employees"])
            if figure in _EMPLOYEE_COLUMNS:
                row[_EMPLOYEE_COLUMNS[figure]] = employees
            if figure == "NT2":
                numerator, denominator = data["long_sick_hours"], data["sick_hours"]
            else:
                numerator, denominator = data["sick_hours"], data["scheduled_hours"]
            if not np.isnan(employees) and employees <= min_employees:
                row[figure] = np.nan
                withheld.append(figure)
                reasons.append(f"{figure}: {employees:g} {group} ({headcount} monthly head count), "
                               f"{min_employees} or fewer")
            elif (code, figure) in traceable:
                row[figure] = np.nan
                withheld.append(figure)
                reasons.append(f"{figure}: can be traced to one person")
            elif pd.isna(numerator):
                row[figure] = np.nan
                reasons.append(f"{figure}: hours in spells of 60+ days not delivered" if figure == "NT2"
                               else f"{figure}: sick hours missing")
            elif pd.isna(denominator) or denominator <= 0:
                row[figure] = np.nan
                reasons.append(f"{figure}: no {'sick' if figure == 'NT2' else 'scheduled'} hours")
            else:
                row[figure] = 100.0 * float(numerator) / float(denominator)
        row["withheld"] = ", ".join(withheld)
        row["reason"] = "; ".join(reasons)
        rows.append(row)
    order = [key, "year", "months", *KEY_FIGURES, *_EMPLOYEE_COLUMNS.values(), "withheld", "reason"]
    return pd.DataFrame(rows)[order]


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


def change_from_baseline(series: pd.DataFrame | pd.Series, baseline: MonthLike = "2016-08", *,
                         value: str = "sick_pct", by: str | Iterable[str] | None = None,
                         time: str = "month") -> pd.DataFrame:
    """Each row's change from the same group's value in the ``baseline`` month (4-Ess: August 2016).

    ``series`` is a tidy frame with a ``time`` column (months) and a ``value`` column (e.g. the
    output of :func:`sick_pct`), or a Series indexed by month. ``by`` names the group columns
    (default ``municipality_code`` when present). Adds ``baseline_value``, ``change_pp`` (value −
    baseline, in the value's units: percentage points for a percentage) and ``change_pct``
    (relative change, ``100 · (value / baseline − 1)`` per cent; ``NaN`` for a zero baseline).
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

    E.g. health-centre F+M sick-listings per 1 000 listed (:func:`clinic_rate`) against January
    2016: −49 means 49 % fewer than in the base month. Adds ``base_value`` and ``index_pct``
    (``NaN`` for a zero base). ``series``/``by``/``time`` as in :func:`change_from_baseline`.
    """
    out = _relative_to(series, base, value=value, by=by, time=time, what="base month")
    out["index_pct"] = _ratio(out[value] - out["base_value"], out["base_value"].where(out["base_value"] != 0))
    return out


def baseline_comparison(hours: pd.DataFrame, baseline: MonthRange = "2016-08",
                        follow_up: MonthRange = ("2019-09", "2019-11"), *,
                        by: str | Iterable[str] | None = ("municipality_code",)) -> pd.DataFrame:
    """Sick leave in a baseline period against a follow-up period, each pooled from hours.

    ``baseline`` and ``follow_up`` are a month or an inclusive ``(first, last)`` pair of months
    (defaults: August 2016 and autumn 2019 = September–November 2019, as in the 4-Ess final
    report). Returns per group ``baseline_sick_pct``, ``follow_up_sick_pct`` (per cent of
    scheduled hours, ``100 · Σ sick / Σ scheduled`` over the period), ``change_pp`` (percentage
    points) and ``change_pct`` (relative change, per cent), with the months found in each period
    (``baseline_months``, ``follow_up_months``) so an incomplete period is visible.
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


# -------------------------------------------------------------------- repeated short-term absence

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
