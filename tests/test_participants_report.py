"""Display tables of the participant report: labelled, and no small count left visible."""

from __future__ import annotations

import pandas as pd
import pytest

from fouress_eval import participants_report as pr
from fouress_eval.metrics.targets import DEMO_TARGETS


def _register() -> pd.DataFrame:
    # 7 episodes in Torsås: 6 women, 1 man; 4 closed
    start = pd.to_datetime(["2018-01-10", "2018-02-01", "2018-03-01", "2018-04-01", "2019-01-01", "2019-02-01",
                            "2019-03-01"])
    end = pd.to_datetime(["2018-06-01", "2018-09-01", "2018-12-01", "2019-01-15", None, None, None])
    return pd.DataFrame({
        "participant_id": [f"P-{i:012x}" for i in range(7)], "municipality_code": "0834",
        "sex": ["K"] * 6 + ["M"], "sector": "school", "start_date": start, "end_date": end,
        "entry_compensation": ["full_time_sick_leave"] * 4 + ["part_time_sick_leave"] * 3,
        "exit_compensation": ["salary", "salary", "part_time_sick_leave", "salary", None, None, None],
        "exit_reason": ["ordinary_work"] * 3 + ["left_employer", None, None, None],
    })


def test_inflow_hides_small_counts_and_their_complements():
    table = pr.inflow_table(_register(), min_count=5, language="en")
    # 2018: 4 women (hidden), 2019: 2 women + 1 man; total 7 shown
    assert table.loc["2018", "Women"] == "<5"
    assert table.loc["Total", "Total"] == 7
    for line in [table.loc[r] for r in table.index] + [table[c] for c in table.columns]:
        hidden = sum(isinstance(v, str) for v in line)
        assert hidden != 1 or isinstance(line.iloc[-1], str)  # never exactly one hidden cell beside a shown total


def test_exit_reasons_hide_shares_of_hidden_counts():
    table = pr.exit_reason_table(_register(), min_count=5, language="sv")
    assert table.loc["Åter i ordinarie arbete", "Antal"] == "<5"
    assert table.loc["Åter i ordinarie arbete", "Andel (%)"] in ("..", "<5")
    assert "Avslutsorsak" == table.index.name


def test_categories_keep_the_register_wording():
    assert pr.category("full_time_sick_leave") == "Heltidssjukskrivning"
    assert pr.category("salary") == "Lön"
    assert pr.category("salary", "en") == "Back on full salary"


def test_targets_table_labels_and_attainment():
    people = _register()
    table = pr.targets_table(DEMO_TARGETS, people, None, "sv")
    row = table[table["Indikator"] == "Deltagare"].iloc[0]
    assert row["Utfall"] == 7 and row["Måluppfyllelse (utfall/mål)"] == pytest.approx(7 / 200)


def test_small_group_return_table_is_withheld():
    table = pr.return_table(_register().iloc[:3], min_count=5)
    assert table.isna().all().all()
