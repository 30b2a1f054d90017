"""The statutory sick-leave key figures of the municipal annual report (SKR's NT1–NT7).

Pooled per municipality and year from the ``absence_monthly`` hours table under the conventions of
:mod:`fouress_eval.metrics.absence`: rates recomputed from summed hours, never averaged percentages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from ._hours import _pooled, _require, _with_time_keys

__all__ = ["key_figures", "KEY_FIGURES"]

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
