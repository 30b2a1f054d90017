"""Shared helpers of the hours metrics (:mod:`.absence`, :mod:`.key_figures`, :mod:`.short_term`).

Reading months, checking columns, choosing one consistent aggregation level of the
``absence_monthly`` table, pooling sums and dividing them. The conventions (rates recomputed from
summed hours, total rows next to detail rows, missing values) are stated in
:mod:`fouress_eval.metrics.absence`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd

from ..errors import InputError

Period = Literal["month", "quarter", "year"] | None
MonthLike = pd.Period | str
MonthRange = MonthLike | tuple[MonthLike, MonthLike]

TOTAL = "alla"
AGE_GROUPS = ("-29", "30-49", "50-")
_TIME_KEYS = ("month", "quarter", "year")


def _month(value: MonthLike, what: str = "month") -> pd.Period:
    try:
        return pd.Period(value, freq="M")
    except (ValueError, TypeError) as error:
        raise InputError(f"cannot read the {what}", value=value, expected="a month such as '2018-05'") from error


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
