"""Consistency checks: do subgroup counts and shares add up to their totals?

Rules (a check returns a list of :class:`Finding`; empty means consistent):

* Counts must sum exactly to the total, and be whole numbers of 0 or more. When a part is missing
  (None/NaN) the sum cannot be checked exactly; the known parts must then not exceed the total.
* Shares are per cent (0–100) and must sum to the total (100 by default) within rounding. A share
  rounded to a unit ``u`` (1 for whole per cent, 0.1 for one decimal; inferred as the finest number
  of decimals among the parts, at most 3) is off by at most ``u/2``, so ``n`` parts may be off by
  ``n·u/2`` in all. The default tolerance is ``min(n, 5)·u/2``: for whole per cent 99–101 always
  pass when there are two or more parts, 98–102 with four or more, never more than ±2.5 points,
  so a sum of 97 % is always flagged. ``tolerance`` (percentage points) overrides the rule.

:func:`check_published` checks the aggregates a project's report states, as an evaluation's
``published_aggregates`` lists them (for 4-Ess it flags the final report's slips: "95 women and 5
men" of 103 participants; an inflow of 11 + 45 + 47 = 103 that leaves no room for "about 11 per
quarter" in the rest of 2017).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import InputError

__all__ = ["Finding", "check_parts", "check_table", "rounding_tolerance", "check_published"]

Parts = Mapping[Hashable, object] | Sequence[object]


@dataclass(frozen=True)
class Finding:
    """One inconsistency: ``what`` is wrong, the ``expected`` and ``found`` values, where (``label``)."""

    what: str
    expected: float | None
    found: float | None
    label: str = ""

    def __str__(self) -> str:
        where = f"{self.label}: " if self.label else ""
        return f"{where}{self.what} (expected {_fmt(self.expected)}, found {_fmt(self.found)})"


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _number(value: object, name: object) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError("not a number", column=str(name), value=value, expected="a count or a share") from None


def _decimals(value: float) -> int:
    for places in range(4):
        if abs(round(value, places) - value) < 1e-9:
            return places
    return 3


def rounding_tolerance(shares: Sequence[float]) -> float:
    """The default tolerance for a sum of rounded shares: ``min(n, 5) × unit / 2`` (see the module doc)."""
    known = [s for s in shares if not math.isnan(s)]
    unit = 10.0 ** -max((_decimals(s) for s in known), default=0)
    return min(len(known), 5) * unit / 2


def check_parts(total: object, parts: Parts, kind: str = "count", label: str = "",
                tolerance: float | None = None) -> list[Finding]:
    """Findings for ``parts`` that do not add up to ``total`` (shares: ``total`` None means 100)."""
    if kind not in ("count", "share"):
        raise InputError("unknown kind of parts", value=kind, expected="'count' or 'share'")
    named = dict(parts) if isinstance(parts, Mapping) else dict(enumerate(parts, start=1))
    values = {name: _number(value, name) for name, value in named.items()}
    expected = 100.0 if kind == "share" and total is None else _number(total, "total")
    findings: list[Finding] = []
    if math.isnan(expected):
        return [Finding("the total is missing, so the parts cannot be checked", None, None, label)]
    for name, value in values.items():
        if math.isnan(value):
            continue
        if value < 0 or (kind == "share" and value > 100):
            findings.append(Finding(f"part {name} is outside " + ("0–100 %" if kind == "share" else "0 or more"),
                                    None, value, label))
        elif kind == "count" and not value.is_integer():
            findings.append(Finding(f"count {name} is not a whole number", round(value), value, label))
    known = [v for v in values.values() if not math.isnan(v)]
    found = math.fsum(known)
    names = " + ".join(map(str, values))
    if len(known) < len(values):
        if found > expected + (tolerance or 0.0) + 1e-9:
            findings.append(Finding(f"the known parts ({names}) exceed the total", expected, found, label))
        return findings
    if kind == "count":
        allowed = 0.0 if tolerance is None else tolerance
        what = f"the counts {names} do not add up to the total"
    else:
        allowed = rounding_tolerance(known) if tolerance is None else tolerance
        what = f"the shares {names} do not add up to {_fmt(expected)} % within rounding (±{allowed:g})"
    if abs(found - expected) > allowed + 1e-9:
        findings.append(Finding(what, expected, found, label))
    return findings


def check_table(table: pd.DataFrame, *, kind: str = "count", axis: str | None = None,
                total_row: Hashable | None = None, total_col: Hashable | None = None,
                columns: Sequence[Hashable] | None = None, label: str = "",
                tolerance: float | None = None) -> list[Finding]:
    """:func:`check_parts` over the rows and/or columns of ``table``.

    ``axis="rows"``: each row's ``columns`` must add up to its ``total_col`` value; ``"columns"``:
    each column (and ``total_col``) over the rows other than ``total_row`` must add up to its
    ``total_row`` value; ``"both"``. A direction without its total is checked against 100 for
    shares and is an error for counts. The default is the direction(s) whose total is given.
    ``columns`` defaults to the numeric columns other than ``total_col``.
    """
    for name in (total_col, *(columns or [])):
        if name is not None and name not in table.columns:
            raise InputError("column not found", column=str(name), expected="a column of the table")
    if total_row is not None and total_row not in table.index:
        raise InputError("totals row not found", value=total_row, expected="a row label of the table")
    if axis is None:
        axes = {a for a, given in (("rows", total_col), ("columns", total_row)) if given is not None}
        if not axes:
            raise InputError("nothing to check against", expected="total_row, total_col or axis")
    elif axis in ("rows", "columns", "both"):
        axes = {"rows", "columns"} if axis == "both" else {axis}
    else:
        raise InputError("unknown axis", value=axis, expected="'rows', 'columns' or 'both'")
    if kind == "count" and (("rows" in axes and total_col is None) or ("columns" in axes and total_row is None)):
        raise InputError("counts need a total to add up to", expected="total_col for rows, total_row for columns")
    parts_cols = list(columns) if columns is not None else \
        [c for c in table.columns if c != total_col and pd.api.types.is_numeric_dtype(table[c])]
    rows = [r for r in table.index if r != total_row]
    prefix = f"{label}: " if label else ""
    findings: list[Finding] = []
    if "rows" in axes:
        for r in table.index:
            total = None if total_col is None else table.at[r, total_col]
            findings += check_parts(total, {c: table.at[r, c] for c in parts_cols}, kind,
                                    f"{prefix}row {r}", tolerance)
    if "columns" in axes:
        for c in parts_cols + ([total_col] if total_col is not None else []):
            total = None if total_row is None else table.at[total_row, c]
            findings += check_parts(total, {r: table.at[r, c] for r in rows}, kind,
                                    f"{prefix}column {c}", tolerance)
    return findings


def check_published(aggregates: Sequence[tuple[str, str, float | None, Mapping]]) -> list[Finding]:
    """Findings for published aggregates given as ``(label, kind, total, parts)``, as an evaluation's
    ``published_aggregates`` holds them (``Evaluation.published_aggregates``)."""
    return [finding for label, kind, total, parts in aggregates
            for finding in check_parts(total, parts, kind, label)]
