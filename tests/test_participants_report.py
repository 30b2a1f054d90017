"""Display tables of the participant report: labelled, and no small count left visible."""

from __future__ import annotations

import pandas as pd
import pytest

from fouress_eval import participants_report as pr
from fouress_eval.errors import InputError


# planned participants of the ESF application (DESIGN.md section 3), typed in for the test
TARGETS = {"participants": 200, "participants_women": 150, "participants_men": 50}


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
    table = pr.targets_table(TARGETS, people, None, "sv")
    row = table[table["Indikator"] == "Deltagare"].iloc[0]
    assert row["Utfall"] == 7 and row["Måluppfyllelse (utfall/mål)"] == pytest.approx(7 / 200)


def test_small_group_return_table_is_withheld():
    table = pr.return_table(_register().iloc[:3], min_count=5)
    assert table.isna().all().all()


def _two_counties() -> pd.DataFrame:
    """The Torsås register plus two episodes in Uppsala county (Enköping 0381, Knivsta 0330) and one in Umeå."""
    people = _register()
    extra = people.iloc[:3].copy()
    extra["participant_id"] = ["P-a", "P-b", "P-c"]
    extra["municipality_code"] = ["0381", "0330", "2480"]
    return pd.concat([people, extra], ignore_index=True)


def test_select_takes_a_county_a_name_or_a_list():
    people = _two_counties()
    assert set(pr.select(people, "03")["participant_id"]) == {"P-a", "P-b"}  # every municipality of the county
    assert set(pr.select(people, "Uppsala län")["participant_id"]) == {"P-a", "P-b"}
    assert len(pr.select(people, "Torsås")) == 7 and len(pr.select(people, "0834")) == 7
    assert set(pr.select(people, ["0381", "Umeå"])["participant_id"]) == {"P-a", "P-c"}
    assert len(pr.select(people, "all")) == len(pr.select(people, None)) == 10
    with pytest.raises(InputError, match="unknown site"):
        pr.select(people, "Atlantis")


def test_missing_reason_says_why_in_one_sentence():
    people = _two_counties()
    assert pr.missing_reason({"participants": people}, "03") is None
    assert pr.missing_reason({"participants": people}, "all") is None
    assert pr.missing_reason({}, "03") == ("Projektet har inga uppgifter om enskilda deltagare (inget "
                                           "deltagarregister i de förberedda data).")
    assert pr.missing_reason({"absence_monthly": pd.DataFrame()}, "03", language="en") == (
        "The project has no data on individual participants (no participant register in the prepared data).")
    assert pr.missing_reason({"participants": people.iloc[:0]}) == "Deltagarregistret i de förberedda data är tomt."
    assert pr.missing_reason({"participants": people}, "Värmlands län") == \
        "Deltagarregistret har inga deltagare från Värmlands län."
    assert pr.missing_reason({"participants": people}, ["1214", "1263"], language="en") == \
        "The participant register has no participants from Svalöv and Svedala."
    with pytest.raises(InputError, match="language"):
        pr.missing_reason({}, language="de")
