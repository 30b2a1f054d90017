"""Disclosure control for published tables: primary, secondary and source suppression.

Conventions of :func:`suppress`:

* It returns a *display* table (hidden cells are text, so those columns become ``object``); the
  analytic table it is given is never changed. Shown counts that are whole numbers become ``int``.
* ``mode="count"`` (participants, cases): a count ``c`` with ``0 < c < min_count`` is shown as
  ``"<min_count"`` (*primary*); zero is not sensitive unless ``suppress_zero=True``.
* ``mode="employees"`` (the statutory rule for sick-leave figures of employee groups, KRL 1997:614
  4 kap. 1 a §, carried into LKBR 2018:597): a row (group) with ``min_employees`` or fewer employees
  has every figure and its employee count withheld as ``"–"`` (*employees*).
* *source*: values flagged suppressed at source (``suppressed_col``, e.g. Försäkringskassan's
  ``rojd``) stay hidden; cells already showing a marker (``"<5"``, ``".."``, ``"–"``, ``"X"``) stay
  hidden, so suppressing a display table again changes nothing.
* *secondary*: a line (a row over the count columns, or a count column over the rows) whose total
  is displayed — a ``totals`` row/column cell that is not hidden, or a total implied by displayed
  shares — and which holds exactly one hidden cell gets its smallest other non-zero cell hidden
  (or, if there is none, its total), repeated until no such line is left; shown as ``".."``
  (a complement may be 5 or more). Employees mode does this on the employee counts, row-wise.
  The guarantee is per line (no hidden cell equals a displayed total minus displayed cells); it
  is not a full linear-programming audit across several lines.
* Shares (``share_cols``: share column → its count column, or a list of share columns each taken
  to derive from the nearest count column to its left; ``share_rows``: share row → count row) are
  hidden wherever their count is, and a count line with shares counts as having a displayed total.
* ``display.attrs["suppressed"]`` lists ``(row, column, reason)`` in table order, reason one of
  ``primary``, ``secondary``, ``source``, ``employees``; ``display.attrs["footnote"]`` holds the
  explanatory footnote in Swedish and English (see :func:`footnote`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import pandas as pd

from .errors import InputError

__all__ = ["suppress", "footnote", "REASONS", "SECONDARY_LABEL", "EMPLOYEES_LABEL"]

REASONS = ("primary", "secondary", "source", "employees")
SECONDARY_LABEL = ".."
EMPLOYEES_LABEL = "–"
_MARKERS = {"..", ".", "–", "-", "X", "x", "×"}
_TRUE = {"true", "1", "ja", "yes", "x"}
Cell = tuple[Hashable, Hashable]


def footnote(language: str = "sv", *, mode: str = "count", min_count: int = 5, min_employees: int = 10,
             label: str | None = None, secondary_label: str = SECONDARY_LABEL) -> str:
    """The explanatory footnote for a suppressed table, in Swedish (``"sv"``) or English (``"en"``)."""
    if language not in ("sv", "en"):
        raise InputError("unknown footnote language", value=language, expected="'sv' or 'en'")
    if mode == "employees":
        label = label or EMPLOYEES_LABEL
        if language == "sv":
            return (f"{label} = uppgiften redovisas inte: gruppen har högst {min_employees} anställda eller "
                    "uppgiften skulle kunna föras tillbaka till en enskild person; antalet anställda i gruppen "
                    f"visas inte heller. {secondary_label} = dold redan hos källan.")
        return (f"{label} = not reported: the group has {min_employees} or fewer employees, or the figure could "
                "be traced to one person; the group's number of employees is not shown either. "
                f"{secondary_label} = suppressed at source.")
    label = label or f"<{min_count}"
    if language == "sv":
        return (f"{label} = färre än {min_count}; visas inte för att skydda enskildas integritet. "
                f"{secondary_label} = dold så att ett dolt värde inte kan räknas fram ur summorna, "
                "eller dold redan hos källan. Andelar av dolda antal visas inte.")
    return (f"{label} = fewer than {min_count}; not shown to protect individuals' privacy. "
            f"{secondary_label} = hidden so that a hidden value cannot be worked out from the totals, "
            "or suppressed at source. Shares of hidden counts are not shown.")


def _resolve_totals(table: pd.DataFrame, totals: object) -> tuple[Hashable | None, Hashable | None]:
    """(totals row label, totals column name) from a label, a list of labels or {"row": …, "column": …}."""
    if totals is None:
        return None, None
    if isinstance(totals, Mapping):
        unknown = set(totals) - {"row", "column"}
        if unknown:
            raise InputError("unknown key in totals", value=sorted(map(str, unknown)), expected="'row', 'column'")
        row, column = totals.get("row"), totals.get("column")
    else:
        row = column = None
        for item in (totals if isinstance(totals, list) else [totals]):
            in_columns, in_rows = item in table.columns, item in table.index
            if in_columns and in_rows:
                raise InputError("totals label is both a row and a column", value=item,
                                 expected="totals={'row': ..., 'column': ...}")
            if in_columns:
                column = item
            elif in_rows:
                row = item
            else:
                raise InputError("totals label not found", value=item, expected="a row label or column name")
    if row is not None and row not in table.index:
        raise InputError("totals row not found", value=row, expected="a row label of the table")
    if column is not None and column not in table.columns:
        raise InputError("totals column not found", column=str(column), expected="a column of the table")
    return row, column


def _share_map(table: pd.DataFrame, counts: list, share_cols: object) -> dict:
    """Share column → count column."""
    if share_cols is None:
        return {}
    if isinstance(share_cols, Mapping):
        pairs = dict(share_cols)
    else:
        names, pairs = list(table.columns), {}
        for share in ([share_cols] if isinstance(share_cols, str) else share_cols):
            left = [c for c in names[:names.index(share)] if c in counts] if share in names else []
            if not left:
                raise InputError("no count column to the left of share column", column=str(share),
                                 expected="share_cols as {share column: count column}")
            pairs[share] = left[-1]
    for share, count in pairs.items():
        if share not in table.columns or count not in counts:
            raise InputError("share column or its count column not found", column=str(share), value=count,
                             expected="a share column of the table mapped to one of count_cols")
    return pairs


def _flagged(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value) if not pd.isna(value) else False


def suppress(table: pd.DataFrame, count_cols: Sequence[Hashable] | str, min_count: int = 5, *,
             totals: object = None, share_cols: Mapping | Sequence | None = None,
             share_rows: Mapping | None = None, label: str | None = None,
             secondary_label: str = SECONDARY_LABEL, mode: str = "count", employees_col: Hashable | None = None,
             min_employees: int = 10, suppressed_col: Hashable | Mapping | None = None,
             suppress_zero: bool = False) -> pd.DataFrame:
    """A display copy of ``table`` with small cells and their complements hidden (see the module doc).

    ``count_cols``: the count columns (employees mode: the figure columns, e.g. ``sick_pct``);
    ``totals``: a totals row label and/or totals column name (a label, a list, or
    ``{"row": ..., "column": ...}``); ``suppressed_col``: a flag column hiding every value column of
    its row, or ``{value column: flag column}``.
    """
    if mode not in ("count", "employees"):
        raise InputError("unknown suppression mode", value=mode, expected="'count' or 'employees'")
    if min_count < 1 or min_employees < 0:
        raise InputError("thresholds must be positive", value=(min_count, min_employees))
    if not (table.index.is_unique and table.columns.is_unique):
        raise InputError("table has duplicate row labels or column names", expected="unique labels")
    counts = [count_cols] if isinstance(count_cols, str) else list(count_cols)
    for column in counts:
        if column not in table.columns:
            raise InputError("count column not found", column=str(column), expected="a column of the table")
    total_row, total_col = _resolve_totals(table, totals)
    if total_col is not None and total_col not in counts:
        counts.append(total_col)
    employees = mode == "employees"
    if employees and (employees_col not in table.columns or total_col is not None):
        raise InputError("employees mode needs employees_col (a column of the table) and takes a totals row only",
                         column=None if employees_col is None else str(employees_col))
    label = label or (EMPLOYEES_LABEL if employees else f"<{min_count}")
    shares = _share_map(table, counts, share_cols)
    share_rows = dict(share_rows or {})
    rows = [r for r in table.index if r not in share_rows]
    value_cols = counts + ([employees_col] if employees and employees_col not in counts else [])
    previous = {(r, c): reason for r, c, reason in table.attrs.get("suppressed", [])}
    markers = _MARKERS | {label, secondary_label}
    values: dict[Cell, float] = {}
    hidden: dict[Cell, str] = {}

    def hide(cell: Cell, reason: str) -> None:
        for target in ([(cell[0], c) for c in value_cols] if employees else [cell]):
            hidden.setdefault(target, reason)

    for r in rows:
        for c in value_cols:
            value = table.at[r, c]
            if isinstance(value, str) and (value.strip() in markers or value.strip().startswith("<")):
                hide((r, c), previous.get((r, c), "employees" if employees else
                                          "primary" if value.strip() == label else "secondary"))
                value = math.nan
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InputError(f"not a count (row {r!r})", column=str(c), value=value,
                                 expected="a number or a suppression marker such as '<5' or '..'") from None
            if number < 0:
                raise InputError(f"a count cannot be negative (row {r!r})", column=str(c), value=value,
                                 expected="a count of 0 or more")
            values[(r, c)] = number
    flags = suppressed_col if isinstance(suppressed_col, Mapping) else \
        {c: suppressed_col for c in value_cols} if suppressed_col is not None else {}
    for c, flag in flags.items():
        if flag not in table.columns:
            raise InputError("suppressed_col not found", column=str(flag), expected="a flag column of the table")
        for r in rows:
            if _flagged(table.at[r, flag]):
                hidden.setdefault((r, c), "source")
    for (r, c), number in values.items():
        if employees:
            if c == employees_col and (math.isnan(number) or number <= min_employees):
                hide((r, c), "employees")
        elif 0 < number < min_count or (suppress_zero and number == 0):
            hide((r, c), "primary")

    # Secondary suppression over lines (parts, total cell or None, total implied by shares).
    part_cols = [employees_col] if employees else [c for c in counts if c != total_col]
    part_rows = [r for r in rows if r != total_row]
    lines = [] if employees else \
        [([(r, c) for c in part_cols], None if total_col is None else (r, total_col), r in share_rows.values())
         for r in rows]
    lines += [([(r, c) for r in part_rows], None if total_row is None else (total_row, c),
               c in shares.values()) for c in (part_cols if employees else counts)]
    changed = True
    while changed:
        changed = False
        for parts, total, implied in lines:
            if not (implied or (total is not None and total not in hidden)):
                continue
            if sum(cell in hidden for cell in parts) != 1:
                continue
            candidates = [cell for cell in parts if cell not in hidden and values[cell] > 0]
            if candidates:
                hide(min(candidates, key=lambda cell: values[cell]), "secondary")
            elif total is not None and total not in hidden:
                hide(total, "secondary")
            else:
                continue  # every other cell is zero or missing: shares imply no total
            changed = True

    for share, count in shares.items():
        for r in table.index:
            if (r, count) in hidden:
                hidden.setdefault((r, share), hidden[(r, count)])
    for share_row, count_row in share_rows.items():
        for c in table.columns:
            if (count_row, c) in hidden:
                hidden.setdefault((share_row, c), hidden[(count_row, c)])

    display = table.copy(deep=True)
    touched = set(value_cols) | {c for _, c in hidden}
    int_cols = {employees_col} if employees else set(counts)
    for c in table.columns:
        if c in touched:
            display[c] = display[c].astype(object)
    for (r, c), number in values.items():
        if (r, c) not in hidden and not math.isnan(number) and number.is_integer() and c in int_cols:
            display.at[r, c] = int(number)
    marker = {"primary": label, "employees": label, "source": secondary_label,
              "secondary": label if employees else secondary_label}
    for (r, c), reason in hidden.items():
        is_share = c in shares or r in share_rows
        display.at[r, c] = secondary_label if is_share and not employees else marker[reason]
    rank_r = {r: i for i, r in enumerate(table.index)}
    rank_c = {c: i for i, c in enumerate(table.columns)}
    cells = sorted(hidden, key=lambda cell: (rank_r[cell[0]], rank_c[cell[1]]))
    kwargs = dict(mode=mode, min_count=min_count, min_employees=min_employees, label=label,
                  secondary_label=secondary_label)
    display.attrs = {**table.attrs, "suppressed": [(r, c, hidden[(r, c)]) for r, c in cells],
                     "footnote": {lang: footnote(lang, **kwargs) for lang in ("sv", "en")}}
    return display
