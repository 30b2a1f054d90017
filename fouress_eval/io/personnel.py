"""Municipal personnel-system exports: scheduled and sick hours per month and group."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import parse_month, parse_sex
from ..errors import InputError
from .common import (Column, category_parser, parse_amount, parse_columns, parse_count, parse_municipality,
                     read_table, require_values)

__all__ = ["read_personnel_hours", "AGE_GROUPS", "HOUR_COLUMNS"]

AGE_GROUPS = ("-29", "30-49", "50-")
HOUR_COLUMNS = ("scheduled_hours", "sick_hours", "long_sick_hours", "short_sick_hours")

COLUMNS = (
    Column("municipality", "Kommun", "municipality_code", "kommunkod"),
    Column("month", "Månad", "period", "period (månad)"),
    Column("sex", "Kön", "gender"),
    Column("age_group", "Åldersgrupp", "Ålder", "age"),
    Column("employees", "Antal anställda", "anställda", "number of employees"),
    Column("scheduled_hours", "Schemalagd tid (timmar)", "Schemalagd tid", "Schemalagd arbetstid (timmar)",
           "Schemalagd arbetstid", "scheduled hours"),
    Column("sick_hours", "Sjukfrånvaro (timmar)", "Sjukfrånvaro", "Sjukfrånvarotid (timmar)", "sick hours"),
    Column("long_sick_hours", "Varav 60 dagar eller mer (timmar)", "Varav 60 dagar eller mer",
           "long sick hours", "sick hours 60 days or more", required=False),
    Column("short_sick_hours", "Varav dag 1-14 (timmar)", "Varav dag 1-14", "short sick hours",
           "sick hours days 1-14", required=False),
)

_AGE_LABELS = {
    "-29": "-29", "29 år eller yngre": "-29", "0-29": "-29", "16-29": "-29", "18-29": "-29", "<30": "-29",
    "under 30": "-29", "-29 år": "-29", "29 eller yngre": "-29",
    "30-49": "30-49", "30–49": "30-49", "30-49 år": "30-49", "30–49 år": "30-49",
    "50-": "50-", "50+": "50-", "50 år eller äldre": "50-", "50 eller äldre": "50-", "50-67": "50-", "50- år": "50-",
    "Totalt": "alla", "alla": "alla", "samtliga": "alla", "alla åldrar": "alla", "total": "alla",
}
parse_age_group = category_parser(_AGE_LABELS, "age group")


def read_personnel_hours(path: Path) -> pd.DataFrame:
    """Read a personnel-hours export into the tidy ``absence_monthly`` form.

    Hours are hours; ``employees`` is a head count. Totals rows (``Kön`` or ``Åldersgrupp`` =
    Totalt) are checked against the sum of their parts and dropped when parts exist.
    """
    frame = read_table(path, COLUMNS, sheet_hint="personal", what="personnel-hours export")
    frame = parse_columns(frame, {
        "municipality": parse_municipality, "month": parse_month, "sex": parse_sex,
        "age_group": parse_age_group, "employees": parse_count,
        **{c: parse_amount for c in HOUR_COLUMNS},
    })
    require_values(frame, ["month", "employees", "scheduled_hours", "sick_hours"])
    for column in ("employees", *HOUR_COLUMNS):
        frame[column] = frame[column].astype(float)
    frame["month"] = frame["month"].astype("period[M]")
    frame = frame.rename(columns={"municipality": "municipality_code"})
    check_not_negative(frame, path)
    frame = check_and_drop_totals(frame, path)
    return frame


def check_not_negative(frame: pd.DataFrame, path: Path) -> None:
    """Refuse negative hours before the totals are compared, so that the row at fault is named
    (a negative subgroup would otherwise show up as a totals row that does not add up)."""
    negative = frame[list(HOUR_COLUMNS)].lt(0)
    if not negative.any(axis=None):
        return
    position = int(negative.any(axis=1).to_numpy().argmax())
    column = next(c for c in HOUR_COLUMNS if negative[c].iloc[position])
    raise InputError("negative number of hours", file=path, row=int(frame["source_row"].iloc[position]),
                     column=frame.attrs.get("headers", {}).get(column, column),
                     value=_number(frame[column].iloc[position]), expected="hours of 0 or more")


def check_and_drop_totals(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check that ``Totalt`` rows equal the sum of their parts; drop them when parts exist.

    Hours may differ by rounding (0.05 h per part written with one decimal); employees must agree exactly.
    """
    is_total = (frame["sex"] == "alla") | (frame["age_group"] == "alla")
    if not is_total.any():
        return frame
    detail = frame[~is_total]
    values = ["employees", *HOUR_COLUMNS]
    for _, total in frame[is_total].iterrows():
        parts = detail[(detail["municipality_code"] == total["municipality_code"])
                       & (detail["month"] == total["month"])]
        if total["sex"] != "alla":
            parts = parts[parts["sex"] == total["sex"]]
        if total["age_group"] != "alla":
            parts = parts[parts["age_group"] == total["age_group"]]
        if parts.empty:
            continue
        tolerance = 0.05 * (len(parts) + 1) + 1e-9
        for column in values:
            if np.isnan(total[column]):
                continue
            found = parts[column].sum(min_count=1)
            if abs(found - total[column]) > (0 if column == "employees" else tolerance):
                raise InputError(
                    f"the totals row does not equal the sum of its {len(parts)} subgroup rows",
                    file=path, row=int(total["source_row"]),
                    column=frame.attrs.get("headers", {}).get(column, column),
                    value=_number(total[column]), expected=f"{found:g} (the sum of the subgroup rows)")
    keep = ~is_total
    # municipalities that only report totals keep them
    only_totals = ~frame["municipality_code"].isin(detail["municipality_code"])
    return frame[keep | only_totals].reset_index(drop=True)


def _number(value: float) -> float | int:
    """A plain Python number for messages: 17 rather than 17.0 or np.float64(17.0)."""
    return int(value) if float(value).is_integer() else float(value)
