"""The segmented-regression design matrix (DESIGN.md section 6).

Convention everywhere: ``t = 0, 1, …`` counts periods from the first row (monthly periods count
calendar months, so a gap keeps its length); for an interruption at ``t0``,
``post = 1[t ≥ t0]`` and ``t_since = (t − t0)·post``. Level change = coefficient of ``post``
(the immediate change at the first post period); slope change = coefficient of ``t_since``.
Several interruptions add one pair each, named ``post_1``/``t_since_1`` … in time order.
Seasonality: ``None``, an int K (Fourier pairs ``sin/cos(2πk·month/12)``) or ``"month"``
(11 month dummies, January the reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["Design", "build_design", "to_periods"]

MIN_SEGMENT = 3  # Cochrane EPOC: at least three points before and after an interruption


@dataclass
class Design:
    """A model-ready design: outcome, regressors and the bookkeeping the results need."""

    y: np.ndarray
    X: pd.DataFrame
    time: pd.Index  # the time labels as given (periods or integers), one per row
    t: np.ndarray  # 0, 1, … in periods since the first row
    interruptions: list  # labels, time-ordered
    t0: list[int]
    in_window: np.ndarray  # rows used for estimation (False inside ``exclude`` windows)
    offset: np.ndarray | None = None
    monthly: bool = True
    groups: np.ndarray | None = None  # series id per row (controlled designs stack series)
    effect_terms: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (level, slope) column

    @property
    def names(self) -> list[str]:
        return list(self.X.columns)


def to_periods(values: pd.Series | Sequence, what: str = "time") -> tuple[pd.Index, bool]:
    """Monthly ``PeriodIndex`` from periods, dates or ``"2017-02"`` strings; integers stay integers.

    Returns the index and whether it is monthly.
    """
    series = pd.Series(values)
    if isinstance(series.dtype, pd.PeriodDtype):
        return pd.PeriodIndex(series.astype("period[M]")), True
    if pd.api.types.is_integer_dtype(series.dtype):
        return pd.Index(series.astype("int64")), False
    if pd.api.types.is_float_dtype(series.dtype) and series.dropna().map(float.is_integer).all():
        return pd.Index(series.astype("int64")), False
    try:
        return pd.PeriodIndex(pd.to_datetime(series.astype(str)).dt.to_period("M")), True
    except (ValueError, TypeError):
        raise InputError(f"the {what} values are not months, dates or whole numbers",
                         column=what, value=series.iloc[0],
                         expected="monthly periods such as 2018-05, dates, or integers") from None


def _as_index_value(point: object, monthly: bool, what: str) -> object:
    if monthly:
        try:
            return pd.Period(point, freq="M") if not isinstance(point, pd.Timestamp) else point.to_period("M")
        except (ValueError, TypeError):
            raise InputError(f"the {what} is not a month", value=point, expected="a month such as 2018-05") from None
    if isinstance(point, (int, np.integer)) or (isinstance(point, float) and point.is_integer()):
        return int(point)
    raise InputError(f"the {what} must be a whole number for integer time", value=point, expected="an integer")


def _steps(time: pd.Index, origin: object, monthly: bool) -> np.ndarray:
    if monthly:
        return np.asarray([(p - origin).n for p in time], dtype=float)
    return np.asarray(time, dtype=float) - float(origin)


def seasonal_terms(months: np.ndarray, seasonality: int | str | None) -> pd.DataFrame:
    """Fourier pairs or month dummies on the calendar month (1–12)."""
    if seasonality is None or seasonality == 0:
        return pd.DataFrame(index=range(len(months)))
    if seasonality == "month":
        return pd.DataFrame({f"month_{m}": (months == m).astype(float) for m in range(2, 13)})
    if isinstance(seasonality, (int, np.integer)) and 1 <= seasonality <= 6:
        terms = {}
        for k in range(1, int(seasonality) + 1):
            terms[f"sin{k}"] = np.sin(2 * np.pi * k * months / 12)
            terms[f"cos{k}"] = np.cos(2 * np.pi * k * months / 12)
        if seasonality == 6:  # sin(π·month) is 0 for every whole month
            del terms["sin6"]
        return pd.DataFrame(terms)
    raise InputError("unknown seasonality", value=seasonality,
                     expected="None, a number of Fourier pairs 1–6, or 'month' (month dummies)")


def build_design(data: pd.DataFrame, *, outcome: str, time: str, interventions: Sequence,
                 seasonality: int | str | None = None, offset: str | None = None,
                 exclude: Sequence[tuple] | None = None, count: bool = False) -> Design:
    """Check the input and build the segmented-regression design for one series."""
    for column in (outcome, time, *([offset] if offset else [])):
        if column not in data.columns:
            raise InputError(f"column '{column}' is not in the data", column=column,
                             expected="one of " + ", ".join(map(str, data.columns)))
    if len(data) == 0:
        raise InputError("the series is empty", expected="one row per period")
    labels, monthly = to_periods(data[time], time)
    if labels.hasnans:
        row = int(np.flatnonzero(pd.isna(labels))[0])
        raise InputError("a time value is missing", row=row + 1, column=time, expected="a time in every row")
    if labels.has_duplicates:
        dup = labels[labels.duplicated()][0]
        raise InputError("the time column has a duplicated value", column=time, value=str(dup),
                         expected="each period once")
    if not labels.is_monotonic_increasing:
        position = int(np.flatnonzero(np.diff(_steps(labels, labels[0], monthly)) < 0)[0]) + 1
        raise InputError("the time column is not in increasing order", row=position + 1, column=time,
                         value=str(labels[position]), expected="rows sorted by time")
    y = pd.to_numeric(data[outcome], errors="coerce").to_numpy(dtype=float)
    if np.isnan(y).any():
        row = int(np.flatnonzero(np.isnan(y))[0])
        raise InputError("the outcome has a missing or non-numeric value", row=row + 1, column=outcome,
                         value=data[outcome].iloc[row], expected="a number for every period")
    if count and ((y < 0).any() or not np.allclose(y, np.round(y))):
        row = int(np.flatnonzero((y < 0) | ~np.isclose(y, np.round(y)))[0])
        raise InputError("a count method needs whole numbers of 0 or more", row=row + 1, column=outcome,
                         value=y[row], expected="counts (0, 1, 2, …)")
    off = None
    if offset:
        off = pd.to_numeric(data[offset], errors="coerce").to_numpy(dtype=float)
        bad = ~(off > 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError("the offset (population) must be above 0", row=row + 1, column=offset,
                             value=data[offset].iloc[row], expected="a population above 0 in every row")
    t = _steps(labels, labels[0], monthly)
    points = sorted({_as_index_value(p, monthly, "interruption") for p in interventions})
    if not points:
        raise InputError("no interruption given", expected="at least one start point, e.g. ['2018-05']")
    in_window = np.ones(len(t), dtype=bool)
    for window in exclude or ():
        start, end = (window, window) if not isinstance(window, (tuple, list)) else window
        start, end = (_as_index_value(start, monthly, "exclusion start"), _as_index_value(end, monthly, "exclusion end"))
        in_window &= ~((labels >= start) & (labels <= end))
    columns = {"const": np.ones(len(t)), "t": t}
    effect_terms = {}
    t0s = []
    for i, point in enumerate(points, start=1):
        if point <= labels[0] or point > labels[-1]:
            raise InputError("the interruption is outside the series", value=str(point),
                             expected=f"a start after {labels[0]} and no later than {labels[-1]}")
        t0 = float(_steps(pd.Index([point]) if not monthly else pd.PeriodIndex([point]), labels[0], monthly)[0])
        suffix = "" if len(points) == 1 else f"_{i}"
        post = (t >= t0).astype(float)
        columns[f"post{suffix}"] = post
        columns[f"t_since{suffix}"] = (t - t0) * post
        effect_terms[str(point)] = (f"post{suffix}", f"t_since{suffix}")
        t0s.append(int(t0))
    bounds = [-np.inf, *t0s, np.inf]
    for before, after in zip(bounds[:-1], bounds[1:]):
        n = int(((t >= before) & (t < after) & in_window).sum())
        if n < MIN_SEGMENT:
            raise InputError(f"too few points in a segment ({n}) for an interrupted time series",
                             expected=f"at least {MIN_SEGMENT} periods before, between and after interruptions "
                                      "(Cochrane EPOC criteria)")
    months = np.asarray([p.month for p in labels]) if monthly else None
    if seasonality not in (None, 0) and not monthly:
        raise InputError("seasonality needs monthly time", value=seasonality, expected="monthly periods")
    season = seasonal_terms(months, seasonality) if monthly else pd.DataFrame(index=range(len(t)))
    X = pd.concat([pd.DataFrame(columns), season.reset_index(drop=True)], axis=1)
    return Design(y=y, X=X, time=labels, t=t, interruptions=points, t0=t0s, in_window=in_window,
                  offset=off, monthly=monthly, effect_terms=effect_terms)
