"""Consistency checks on counts and shares, including the 4-Ess report's published slips."""

from __future__ import annotations

import pandas as pd
import pytest
from pathlib import Path

from fouress_eval.errors import InputError
from fouress_eval.evaluation import load_evaluation
from fouress_eval.metrics.consistency import (Finding, check_parts, check_published,
                                              check_table, rounding_tolerance)

ROOT = Path(__file__).resolve().parents[1]


def test_counts_must_add_up_exactly():
    assert check_parts(103, [35, 37, 31]) == []
    [finding] = check_parts(103, {"women": 95, "men": 5}, label="sex")
    assert (finding.expected, finding.found, finding.label) == (103, 100, "sex")
    assert "women + men" in str(finding) and "expected 103, found 100" in str(finding)
    assert check_parts(10, [4, 5]) and check_parts(10, [6, 5])


def test_counts_whole_and_not_negative():
    assert any("not a whole number" in f.what for f in check_parts(10, [4.5, 5.5]))
    assert any("outside" in f.what for f in check_parts(0, [-2, 2]))


def test_missing_part_checks_known_parts_only():
    assert check_parts(10, [3, None, 4]) == []
    assert check_parts(10, [8, float("nan"), 4])[0].what.startswith("the known parts")
    assert "missing" in check_parts(None, [1, 2])[0].what


@pytest.mark.parametrize("shares", [[33, 33, 33], [34, 34, 33], [50, 49], [50, 51], [38, 1, 17, 44]])
def test_rounded_shares_within_rounding_pass(shares):
    assert check_parts(None, shares, "share") == []


@pytest.mark.parametrize("shares", [[33, 33, 31], [50, 47], [38, 1, 14, 44], [60, 10, 10, 10, 7]])
def test_shares_summing_to_97_are_flagged(shares):
    [finding] = check_parts(None, shares, "share")
    assert finding.found == 97 and finding.expected == 100


def test_share_tolerance_rule():
    assert rounding_tolerance([50, 50]) == 1.0
    assert rounding_tolerance([10] * 10) == 2.5  # capped
    assert rounding_tolerance([33.3, 33.3, 33.3]) == pytest.approx(0.15)
    assert check_parts(None, [33.3, 33.3, 33.3], "share") == []
    assert check_parts(None, [33.3, 33.3, 33.0], "share")  # 99.6 with one decimal is too far off
    assert check_parts(None, [50, 49], "share", tolerance=0) != []
    assert check_parts(None, [50, 52], "share", tolerance=2) == []
    assert check_parts(None, [101, 0], "share")[0].what.startswith("part 1 is outside")
    assert check_parts(50, [25, 24], "share") == []  # shares of a sub-total


def test_check_table_rows_and_columns():
    table = pd.DataFrame({"women": [30, 28, 58], "men": [5, 9, 14], "total": [35, 37, 72]},
                         index=["Ljungby", "Torsås", "Totalt"])
    assert check_table(table, total_row="Totalt", total_col="total") == []
    table.at["Torsås", "men"] = 10
    labels = {f.label for f in check_table(table, total_row="Totalt", total_col="total", label="sex")}
    assert labels == {"sex: row Torsås", "sex: column men"}
    assert [f.label for f in check_table(table, total_col="total")] == ["row Torsås"]


def test_check_table_shares():
    shares = pd.DataFrame({"entry": [38, 1, 17, 44], "exit": [0, 54, 9, 36]})
    assert check_table(shares, kind="share", axis="columns") == []  # 99 % from rounding
    [finding] = check_table(shares, kind="share", axis="columns", tolerance=0.5)
    assert (finding.label, finding.found) == ("column exit", 99)
    shares.loc[3, "exit"] = 34
    [finding] = check_table(shares, kind="share", axis="columns")
    assert (finding.label, finding.found) == ("column exit", 97)
    with pytest.raises(InputError):
        check_table(shares, kind="share")
    with pytest.raises(InputError):
        check_table(shares, axis="columns")  # counts need a totals row


def test_check_table_bad_input():
    with pytest.raises(InputError):
        check_table(pd.DataFrame({"a": [1]}), total_col="nope")
    with pytest.raises(InputError):
        check_parts(3, ["<5", 1])
    with pytest.raises(InputError):
        check_parts(3, [1, 2], kind="ratio")


def test_published_slips_flagged_and_consistent_figures_pass():
    assert check_parts(103, {"women": 95, "men": 5}) != []
    assert check_parts(103, {"Ljungby": 35, "Torsås": 37, "Vimmerby": 31}) == []
    assert check_parts(None, [38, 1, 17, 44], "share") == []  # compensation at entry
    assert check_parts(None, [54, 9, 37], "share") == []  # compensation at exit
    assert check_parts(None, [79, 5, 1, 11, 4], "share") == []  # exit reasons
    assert check_parts(103, [11, 45, 47]) == []
    published = load_evaluation("fouress", root=ROOT).published_aggregates
    findings = check_published(published)
    assert all(isinstance(f, Finding) for f in findings)
    assert {f.label for f in findings} == {"participants by sex",
                                           "inflow with 'about 11 per quarter' for the rest of 2017"}
    by_label = {f.label: f for f in findings}
    assert (by_label["participants by sex"].expected, by_label["participants by sex"].found) == (103, 100)
    assert by_label["inflow with 'about 11 per quarter' for the rest of 2017"].found > 103
    assert len(published) == 10


def test_demo_split_passes():
    assert check_parts(103, {"women": 98, "men": 5}) == []
