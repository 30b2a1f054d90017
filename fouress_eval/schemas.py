"""pandera schemas of the tidy tables, and validation that reports like a person would.

:func:`validate` checks a tidy table (with the readers' ``source_file``/``source_row`` columns)
and raises :class:`~fouress_eval.errors.InputError` for the first problem, naming the file, row,
column and value, and saying how many more problems there are. Rules beyond single columns
(gaps in monthly series, dates after today) are pandera wide checks or functions here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import InputError
from .municipalities import municipalities

__all__ = ["SCHEMAS", "validate", "check_complete_months"]

_CODES = set(municipalities()["municipality_code"])
_SEXES = ["K", "M", "alla"]


def _nonneg(what: str) -> pa.Check:
    return pa.Check.ge(0, error=f"{what} of 0 or more")


def _is_month(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.PeriodDtype) and series.dtype.freq.freqstr in ("M", "ME")


_MUNICIPALITY = pa.Column(str, pa.Check.isin(_CODES, error="one of the 290 municipality codes"))
_MONTH = pa.Column(checks=pa.Check(_is_month, element_wise=False, error="monthly periods"))


# Wide (row-wise) checks: pandera reports every column of a failing row, so we remember which
# column a failure is about and which other columns explain it: error text -> (column, *context).
_BLAME: dict[str, tuple[str, ...]] = {}


def _row_check(check, error: str, column: str, *context: str) -> pa.Check:
    _BLAME[error] = (column, *context)
    return pa.Check(check, error=error)


def _not_future(column: str) -> pa.Check:
    def check(frame: pd.DataFrame) -> pd.Series:
        values = frame[column]
        today = pd.Timestamp.today()
        if isinstance(values.dtype, pd.PeriodDtype):
            return values.isna() | (values <= today.to_period("M"))
        return values.isna() | (values <= today.normalize())
    return _row_check(check, f"a {column.replace('_', ' ')} that is not in the future (today or earlier)", column)


def _le(small: str, large: str, text: str, *, blame: str | None = None) -> pa.Check:
    blame = blame or small
    other = large if blame == small else small

    def check(frame: pd.DataFrame) -> pd.Series:
        low, high = frame[small], frame[large]
        if pd.api.types.is_float_dtype(low) or pd.api.types.is_float_dtype(high):
            high = high + 1e-9  # hours computed from decimals: allow for rounding
        return low.isna() | high.isna() | (low <= high)
    return _row_check(check, text, blame, other)


def _both_or_neither(column: str, text: str) -> pa.Check:
    return _row_check(lambda f: f["end_date"].isna() == f[column].isna(), text, column, "end_date")


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "absence_monthly": pa.DataFrameSchema(
        {
            "municipality_code": _MUNICIPALITY,
            "month": _MONTH,
            "sex": pa.Column(str, pa.Check.isin(_SEXES, error="K, M or alla")),
            "age_group": pa.Column(str, pa.Check.isin(["-29", "30-49", "50-", "alla"], error="-29, 30-49, 50- or alla")),
            "employees": pa.Column(float, _nonneg("a number of employees")),
            "scheduled_hours": pa.Column(float, _nonneg("hours")),
            "sick_hours": pa.Column(float, _nonneg("hours")),
            "long_sick_hours": pa.Column(float, _nonneg("hours"), nullable=True),
            "short_sick_hours": pa.Column(float, _nonneg("hours"), nullable=True),
        },
        checks=[
            _le("sick_hours", "scheduled_hours", "sick hours no larger than scheduled hours"),
            _le("long_sick_hours", "sick_hours", "hours in spells of 60+ days no larger than all sick hours"),
            _le("short_sick_hours", "sick_hours", "hours on days 1-14 no larger than all sick hours"),
            _not_future("month"),
        ],
        unique=["municipality_code", "month", "sex", "age_group"],
    ),
    "sickpay_monthly": pa.DataFrameSchema(
        {
            "area_level": pa.Column(str, pa.Check.isin(["kommun", "lan", "riket"], error="kommun, lan or riket")),
            "municipality_code": pa.Column(str, pa.Check.isin(_CODES, error="one of the 290 municipality codes"),
                                           nullable=True),
            "sex": pa.Column(str, pa.Check.isin(_SEXES, error="K, M or alla")),
            "month": _MONTH,
            "measure": pa.Column(str),
            "value": pa.Column(float, _nonneg("a value"), nullable=True),
            "suppressed": pa.Column(bool),
        },
        checks=[
            _row_check(lambda f: (f["measure"] != "andel") | f["value"].isna() | (f["value"] <= 100),
                       "a share (andel) between 0 and 100", "value", "measure"),
            _not_future("month"),
        ],
        unique=["area_level", "municipality_code", "county_code", "sex", "age_group", "month", "measure",
                "measure_version"],
    ),
    "kolada": pa.DataFrameSchema(
        {"kpi": pa.Column(str), "year": pa.Column(int), "sex": pa.Column(str, pa.Check.isin(_SEXES)),
         "value": pa.Column(float, nullable=True)},
        unique=["kpi", "area_level", "municipality_code", "county_code", "year", "sex"],
    ),
    "clinic_sicklistings": pa.DataFrameSchema(
        {
            "clinic": pa.Column(str),
            "municipality_code": _MUNICIPALITY,
            "month": _MONTH,
            "diagnosis_chapter": pa.Column(str),
            "sicklisted": pa.Column(int, _nonneg("a count")),
            "listed_population": pa.Column(int, pa.Check.gt(0, error="a listed population above 0")),
        },
        checks=[_le("sicklisted", "listed_population", "no more sick-listed patients than listed patients"),
                _not_future("month")],
        unique=["clinic", "month", "diagnosis_chapter"],
    ),
    "participants": pa.DataFrameSchema(
        {
            "participant_id": pa.Column(str),
            "municipality_code": _MUNICIPALITY,
            "sex": pa.Column(str, pa.Check.isin(["K", "M"], error="K or M")),
            "start_date": pa.Column("datetime64[ns]"),
            "end_date": pa.Column("datetime64[ns]", nullable=True),
        },
        checks=[
            _le("start_date", "end_date", "an end date on or after the start date", blame="end_date"),
            _not_future("start_date"), _not_future("end_date"),
            _both_or_neither("exit_compensation",
                             "compensation at exit given exactly when the episode has ended (end date)"),
            _both_or_neither("exit_reason", "an exit reason given exactly when the episode has ended (end date)"),
        ],
        unique=["participant_id", "start_date"],
    ),
    "meetings": pa.DataFrameSchema(
        {"participant_id": pa.Column(str), "municipality_code": _MUNICIPALITY,
         "date": pa.Column("datetime64[ns]"), "meeting_type": pa.Column(str)},
        checks=[_not_future("date")],
    ),
    "interviews": pa.DataFrameSchema(
        {"interview_id": pa.Column(str), "role": pa.Column(str), "municipality_code": _MUNICIPALITY},
        checks=[_not_future("date")],
        unique=["interview_id"],
    ),
}

_SERIES_KEYS = {
    "absence_monthly": ["municipality_code", "sex", "age_group"],
    "clinic_sicklistings": ["clinic", "diagnosis_chapter"],
    "sickpay_monthly": ["area_level", "municipality_code", "county_code", "sex", "age_group", "measure",
                        "measure_version"],
}


# The headers documented in data_raw/README.md, for messages about tables that no longer carry
# their file's own headers (several files stacked); tidy name -> header.
_LABELS = {
    "municipality_code": "Kommun", "month": "Månad", "sex": "Kön", "age_group": "Åldersgrupp",
    "employees": "Antal anställda", "scheduled_hours": "Schemalagd tid (timmar)",
    "sick_hours": "Sjukfrånvaro (timmar)", "long_sick_hours": "Varav 60 dagar eller mer (timmar)",
    "short_sick_hours": "Varav dag 1-14 (timmar)", "clinic": "Vårdcentral", "diagnosis_chapter": "Diagnoskapitel",
    "sicklisted": "Antal sjukskrivna", "listed_population": "Listade", "participant_id": "Personnummer",
    "sector": "Sektor", "start_date": "Startdatum", "end_date": "Slutdatum",
    "entry_compensation": "Ersättning vid start", "exit_compensation": "Ersättning vid avslut",
    "exit_reason": "Avslutsorsak", "date": "Datum", "meeting_type": "Mötestyp", "interview_id": "Intervju-id",
    "role": "Roll", "mode": "Form",
}
_READER_NAMES = {"municipality_code": "municipality", "participant_id": "personal_id"}


def _label(frame: pd.DataFrame, column: str) -> str:
    """The header a person sees for a tidy column: the file's own when known, else the documented one."""
    headers = frame.attrs.get("headers") or {}
    return headers.get(column) or headers.get(_READER_NAMES.get(column, "")) or _LABELS.get(column, column)


def _source(frame: pd.DataFrame, index: object) -> tuple[object, int | None]:
    if index is None or index not in frame.index or "source_row" not in frame:
        return frame.attrs.get("file"), None
    row = frame.loc[index]
    return row.get("source_file", frame.attrs.get("file")), int(row["source_row"])


def _places(frame: pd.DataFrame, indexes) -> str:
    """'rows 5 and 9', or 'row 5 of a.csv and row 3 of b.csv' when the rows are in different files."""
    places = [_source(frame, i) for i in indexes]
    files = {str(f) for f, _r in places}
    if len(files) == 1:
        parts = [str(r) for _f, r in places]
        prefix = "row " if len(parts) == 1 else "rows "
    else:
        parts = [f"row {r} of {Path(str(f)).name}" for f, r in places]
        prefix = ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return prefix + text


_TABLE_NAMES = {"absence_monthly": "personnel hours", "sickpay_monthly": "Försäkringskassan",
                "clinic_sicklistings": "health-centre sick-listings", "participants": "participant register",
                "meetings": "meeting log", "interviews": "interview list"}


def _table_name(table: str) -> str:
    return _TABLE_NAMES.get(table, table.replace("_", " "))


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy table; raise :class:`InputError` for the first failure with its location."""
    schema = SCHEMAS[table]
    frame = frame.reset_index(drop=True)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise _first_problem(table, schema, frame, errors.failure_cases) from None
    if table in _SERIES_KEYS:
        check_complete_months(frame, _SERIES_KEYS[table], table)
    return frame


def _first_problem(table: str, schema: pa.DataFrameSchema, frame: pd.DataFrame,
                   cases: pd.DataFrame) -> InputError:
    """The failure on the earliest row (problems with a whole column first) as an :class:`InputError`."""
    order = pd.to_numeric(cases["index"], errors="coerce").fillna(-1).astype(int)
    # on one row, a bad value (negative hours) before a rule between columns it may cause
    wide = cases["schema_context"].astype(str) != "Column"
    cases = cases.assign(_order=order, _wide=wide).sort_values(["_order", "_wide"], kind="stable")
    first = cases.iloc[0]
    check = str(first["check"])
    index = int(first["_order"]) if first["_order"] >= 0 and int(first["_order"]) in frame.index else None
    bad_rows = set(cases.loc[cases["_order"] >= 0, "_order"])
    if "uniqueness" in check:
        return _duplicate(table, schema, frame, index, bad_rows)
    others = len(bad_rows - {index})
    more = f" ({others} more row(s) with problems)" if others > 0 else ""
    file, row = _source(frame, index)
    column = first["column"] if isinstance(first["column"], str) else None
    expected = check
    if check in _BLAME and index is not None:
        column, *context = _BLAME[check]
        shown = [f"{_label(frame, c)} is " + ("empty" if pd.isna(frame.loc[index, c]) else
                                              str(_plain(frame.loc[index, c]))) for c in context if c in frame]
        expected += f" ({'; '.join(shown)} in this row)" if shown else ""
    value = frame.loc[index, column] if (index is not None and column in frame) else first["failure_case"]
    problem = "missing value" if index is not None and column in frame and pd.isna(value) else "invalid value"
    return InputError(f"{problem} in the {_table_name(table)} table{more}", file=file, row=row,
                      column=_label(frame, column) if column else None,
                      value=None if problem == "missing value" else _plain(value), expected=expected)


def _duplicate(table: str, schema: pa.DataFrameSchema, frame: pd.DataFrame, index: int | None,
               bad_rows: set) -> InputError:
    """Name every row that repeats the first duplicated key, and the key's values."""
    keys = [k for k in (schema.unique or []) if k in frame]
    group = frame.groupby(keys, dropna=False, sort=False).ngroup()
    if index is None:
        index = int(frame.index[frame.duplicated(keys, keep=False)][0])
    members = list(frame.index[group == group[index]])
    values = ", ".join(f"{_label(frame, k)} {_plain(frame.loc[index, k])}" for k in keys
                       if pd.notna(frame.loc[index, k]))
    others = len(bad_rows - set(members))
    more = f" ({others} more row(s) with problems)" if others > 0 else ""
    file, row = _source(frame, members[0])
    return InputError(f"duplicate rows in the {_table_name(table)} table: {_places(frame, members)} "
                      f"{'both' if len(members) == 2 else 'all'} have {values}{more}", file=file, row=row,
                      expected=f"each combination of {', '.join(_label(frame, k) for k in keys)} only once")


def _plain(value: object) -> object:
    if isinstance(value, (pd.Timestamp, pd.Period)):
        return str(value.date() if isinstance(value, pd.Timestamp) else value)
    if hasattr(value, "item"):
        return value.item()
    return value


def check_complete_months(frame: pd.DataFrame, keys: list[str], table: str) -> None:
    """Every series (``keys``) must have every month between its first and last exactly once.

    A gap is reported at the row just before it, naming the row just after it too.
    """
    keys = [k for k in keys if k in frame]
    for group, part in frame.groupby(keys, dropna=False, sort=False):
        months = part["month"].dropna()
        if months.empty:
            continue
        span = pd.period_range(months.min(), months.max(), freq="M")
        missing = span.difference(pd.PeriodIndex(months))
        if not len(missing):
            continue
        label = ", ".join(f"{_label(frame, k)} {v}" for k, v in
                          zip(keys, group if isinstance(group, tuple) else (group,)) if v is not None and v == v)
        before = months[months < missing[0]].sort_values().index[-1]
        after = months[months > missing[0]].sort_values().index[0]
        file, row = _source(frame, before)
        shown = ", ".join(str(m) for m in missing[:6]) + (" ..." if len(missing) > 6 else "")
        raise InputError(
            f"month(s) {shown} missing from the series {label} of the {_table_name(table)} table: "
            f"this row has {months[before]} and the next one ({_places(frame, [after])}) "
            f"has {months[after]}", file=file, row=row, column=_label(frame, "month"),
            expected="every month between the first and the last, once each")
