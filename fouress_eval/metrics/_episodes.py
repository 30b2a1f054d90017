"""The participants table's code lists and the checks every participant metric runs on it.

Shared by :mod:`.participants` and :mod:`.survival`; the table itself is described in
:mod:`fouress_eval.metrics.participants` and DESIGN.md section 5.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import InputError

ENTRY_ORDER = ("repeated_short_term_absence", "sick_pay_days_1_14", "part_time_sick_leave", "full_time_sick_leave")
EXIT_ORDER = ("salary", "part_time_sick_leave", "full_time_sick_leave")
EXIT_REASON_ORDER = ("ordinary_work", "other_work_same_employer", "medical_obstacle", "left_employer", "other")
MEETING_TYPE_ORDER = ("follow_up", "three_party")
WORK_REASONS = ("ordinary_work", "other_work_same_employer")
COMPETING_REASONS = ("left_employer", "medical_obstacle")


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
