"""Small-cell suppression of display tables: primary, secondary, source, shares, employee groups."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fouress_eval.disclosure import footnote, suppress
from fouress_eval.errors import InputError
from fouress_eval.privacy import suppress as reexported

TOTALS = {"row": "Totalt", "column": "total"}


def with_totals(cells: list[list[int]], columns: list[str] | None = None) -> pd.DataFrame:
    columns = columns or [f"c{j}" for j in range(len(cells[0]))]
    table = pd.DataFrame(cells, columns=columns, index=[f"r{i}" for i in range(len(cells))])
    table.loc["Totalt"] = table.sum()
    table["total"] = table.sum(axis=1)
    return table


def hidden(display: pd.DataFrame) -> set[tuple]:
    return {(r, c) for r, c, _ in display.attrs["suppressed"]}


def reasons(display: pd.DataFrame) -> dict[tuple, str]:
    return {(r, c): reason for r, c, reason in display.attrs["suppressed"]}


def test_reexported_from_privacy():
    assert reexported is suppress


def test_primary_only_small_nonzero_counts():
    table = pd.DataFrame({"n": [0, 1, 4, 5, 12.0, float("nan")]}, index=list("abcdef"))
    display = suppress(table, ["n"])
    assert display["n"].tolist()[:5] == [0, "<5", "<5", 5, 12]
    assert pd.isna(display.at["f", "n"])
    assert reasons(display) == {("b", "n"): "primary", ("c", "n"): "primary"}
    assert suppress(table, ["n"], suppress_zero=True).at["a", "n"] == "<5"
    assert suppress(table, ["n"], label="färre än 5").at["b", "n"] == "färre än 5"
    assert suppress(table, ["n"], min_count=10).at["d", "n"] == "<10"


def test_secondary_in_a_row_with_one_small_cell():
    table = pd.DataFrame({"women": [30, 3], "men": [20, 9], "total": [50, 12]}, index=["Ljungby", "Torsås"])
    display = suppress(table, ["women", "men"], totals="total")
    assert display.loc["Torsås"].tolist() == ["<5", "..", 12]
    assert reasons(display) == {("Torsås", "women"): "primary", ("Torsås", "men"): "secondary"}
    assert display.loc["Ljungby"].tolist() == [30, 20, 50]  # no column totals shown: nothing more to hide


def test_total_row_and_total_column():
    table = with_totals([[10, 3, 20], [8, 9, 12], [15, 14, 30]], ["Ljungby", "Torsås", "Vimmerby"])
    display = suppress(table, ["Ljungby", "Torsås", "Vimmerby"], totals=["total", "Totalt"])
    assert display.at["r0", "Torsås"] == "<5"
    assert reasons(display)[("r0", "Ljungby")] == "secondary"  # smallest other cell of row r0
    assert reasons(display)[("r1", "Torsås")] == "secondary"  # smallest other cell of column Torsås
    assert reasons(display)[("r1", "Ljungby")] == "secondary"  # then row r1 and column Ljungby need a second
    assert display.loc["Totalt"].tolist() == [33, 26, 62, 121]
    assert display["total"].tolist() == [33, 29, 59, 121]
    assert suppress(table, list(table.columns[:3]), totals=TOTALS).equals(display)


def test_small_total_row_and_column_are_hidden_and_protected():
    table = with_totals([[0, 3, 0], [6, 0, 7], [5, 0, 9]])
    display = suppress(table, ["c0", "c1", "c2"], totals=TOTALS)
    assert display.at["r0", "total"] == "<5" and display.at["Totalt", "c1"] == "<5"
    # the small row total alone in the totals column, the small column total alone in the totals row
    assert display["total"].map(lambda v: isinstance(v, str)).sum() >= 2
    assert display.loc["Totalt"].map(lambda v: isinstance(v, str)).sum() >= 2
    assert_no_single_hidden_cell(display, ["c0", "c1", "c2"])


def test_source_suppressed_cell_with_all_other_cells_zero_hides_the_total():
    table = pd.DataFrame({"a": [float("nan"), 40], "b": [0, 7], "total": [25, 47], "rojd": [True, False]},
                         index=["x", "y"])
    display = suppress(table, ["a", "b"], totals="total", suppressed_col={"a": "rojd"})
    assert suppress(table, ["a", "b"], totals="total", suppressed_col="rojd").loc["x"].tolist()[:3] == [".."] * 3
    assert reasons(display) == {("x", "a"): "source", ("x", "total"): "secondary"}
    assert display.loc["x", ["a", "b", "total"]].tolist() == ["..", 0, ".."]


def test_source_flags_per_column():
    table = pd.DataFrame({"antal": [120, 130], "antal_rojd": ["ja", "nej"], "andel": [1.0, 2.0]})
    display = suppress(table, ["antal"], suppressed_col={"antal": "antal_rojd"})
    assert display["antal"].tolist() == ["..", 130]
    assert reasons(display) == {(0, "antal"): "source"}


def test_shares_of_hidden_counts_are_hidden():
    table = pd.DataFrame({"n": [30, 3, 50, 17], "pct": [30.0, 3.0, 50.0, 17.0]}, index=list("abcd"))
    display = suppress(table, ["n"], share_cols={"pct": "n"})
    assert display.at["b", "n"] == "<5" and display.at["b", "pct"] == ".."
    # the shares imply the column total, so a second count (the smallest, 17) and its share go too
    assert display.loc["d"].tolist() == ["..", ".."]
    assert display.loc["a"].tolist() == [30, 30.0]
    assert suppress(table, ["n"], share_cols=["pct"]).equals(display)  # share next to its count column


def test_share_rows():
    table = pd.DataFrame({"Ljungby": [35, 34.0], "Torsås": [2, 1.9], "Vimmerby": [68, 64.1]}, index=["n", "%"])
    display = suppress(table, ["Ljungby", "Torsås", "Vimmerby"], share_rows={"%": "n"})
    assert display.loc["n"].tolist() == ["..", "<5", 68]
    assert display.loc["%"].tolist() == ["..", "..", 64.1]


def test_employees_mode_ten_withheld_eleven_shown():
    table = pd.DataFrame({"employees": [10, 11, 250], "sick_pct": [6.0, 7.2, 5.5]}, index=["A", "B", "C"])
    display = suppress(table, ["sick_pct"], mode="employees", employees_col="employees")
    assert display.loc["A"].tolist() == ["–", "–"]  # the group's size is not revealed either
    assert display.loc["B"].tolist() == [11, 7.2]
    assert display.loc["C"].tolist() == [250, 5.5]
    assert reasons(display) == {("A", "employees"): "employees", ("A", "sick_pct"): "employees"}
    assert suppress(table.assign(sick_pct=[6.0, 7.0, 5.0]), ["sick_pct"], mode="employees",
                    employees_col="employees").at["B", "sick_pct"] == 7.0  # figures stay figures


def test_employees_mode_with_totals_row_withholds_a_second_group():
    table = pd.DataFrame({"employees": [9, 40, 30, 79], "sick_pct": [6.0, 7.2, 5.5, 6.4]},
                         index=["A", "B", "C", "Totalt"])
    display = suppress(table, ["sick_pct"], mode="employees", employees_col="employees", totals="Totalt",
                       label="–")
    assert display.loc["C"].tolist() == ["–", "–"] and reasons(display)[("C", "employees")] == "secondary"
    assert display.loc["Totalt"].tolist() == [79, 6.4]
    assert "högst 10 anställda" in display.attrs["footnote"]["sv"]


def test_idempotent_on_a_display_table():
    table = with_totals([[10, 3, 20], [8, 9, 12], [1, 14, 30]])
    once = suppress(table, ["c0", "c1", "c2"], totals=TOTALS)
    twice = suppress(once, ["c0", "c1", "c2"], totals=TOTALS)
    assert twice.equals(once) and twice.attrs["suppressed"] == once.attrs["suppressed"]
    shares = pd.DataFrame({"n": [30, 3, 50, 17], "pct": [30.0, 3.0, 50.0, 17.0]})
    once = suppress(shares, ["n"], share_cols={"pct": "n"})
    assert suppress(once, ["n"], share_cols={"pct": "n"}).equals(once)
    people = pd.DataFrame({"employees": [9, 40, 30, 79], "sick_pct": [6.0, 7.2, 5.5, 6.4]})
    once = suppress(people, ["sick_pct"], mode="employees", employees_col="employees", totals=3)
    assert suppress(once, ["sick_pct"], mode="employees", employees_col="employees", totals=3).equals(once)


def test_input_table_is_unchanged():
    table = with_totals([[10, 3, 20], [8, 9, 12]]).assign(pct=[1.0, 2.0, 3.0])
    table.attrs["file"] = "x.parquet"
    before = table.copy(deep=True)
    display = suppress(table, ["c0", "c1", "c2"], totals=TOTALS, share_cols={"pct": "c1"})
    pd.testing.assert_frame_equal(table, before)
    assert table.attrs == {"file": "x.parquet"} and display.attrs["file"] == "x.parquet"
    assert display is not table


def test_footnote_languages():
    assert "<5" in footnote("sv") and "fewer than 5" in footnote("en")
    assert "10 or fewer employees" in footnote("en", mode="employees")
    with pytest.raises(InputError):
        footnote("de")


@pytest.mark.parametrize("kwargs", [dict(count_cols=["missing"]), dict(count_cols=["n"], totals="nowhere"),
                                    dict(count_cols=["n"], mode="persons"),
                                    dict(count_cols=["n"], mode="employees"),
                                    dict(count_cols=["n"], share_cols=["n"])])
def test_bad_parameters(kwargs):
    with pytest.raises(InputError):
        suppress(pd.DataFrame({"n": [1, 2]}), **kwargs)


@pytest.mark.parametrize("value", ["many", -1])
def test_bad_counts(value):
    with pytest.raises(InputError):
        suppress(pd.DataFrame({"n": [value, 2]}, dtype=object), ["n"])


def assert_no_single_hidden_cell(display: pd.DataFrame, parts: list[str], total_row: str = "Totalt",
                                 total_col: str = "total") -> None:
    """Every row/column whose total is displayed holds 0 or at least 2 hidden cells."""
    is_hidden = display.map(lambda v: isinstance(v, str))
    rows = [r for r in display.index if r != total_row]
    for r in display.index:
        if not is_hidden.at[r, total_col]:
            assert is_hidden.loc[r, parts].sum() != 1, f"row {r} lets a hidden cell be recovered\n{display}"
    for c in parts + [total_col]:
        if not is_hidden.at[total_row, c]:
            assert is_hidden.loc[rows, c].sum() != 1, f"column {c} lets a hidden cell be recovered\n{display}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 5).flatmap(lambda n_cols: st.lists(
    st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=n_cols, max_size=n_cols),
    min_size=1, max_size=5)))
def test_no_hidden_count_recoverable_from_displayed_totals(cells):
    table = with_totals(cells)
    parts = [c for c in table.columns if c != "total"]
    display = suppress(table, parts, totals=TOTALS)
    assert_no_single_hidden_cell(display, parts)
    for r in table.index:
        for c in table.columns:
            shown, value = display.at[r, c], table.at[r, c]
            if 0 < value < 5:
                assert shown == "<5"
            elif not isinstance(shown, str):
                assert shown == value
