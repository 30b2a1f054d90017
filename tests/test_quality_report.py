"""What the data-quality report shows: row counts with suppression, coverage, findings, header."""

from __future__ import annotations

import pandas as pd
import pytest

from fouress_eval import quality, report

MONTHS = pd.period_range("2016-01", "2016-04", freq="M")


def _tables() -> dict[str, pd.DataFrame]:
    absence = pd.DataFrame({
        "municipality_code": ["0834"] * 8, "month": list(MONTHS) * 2,
        "sex": ["K"] * 4 + ["M"] * 4, "age_group": ["30-49"] * 8,
        "employees": [40.0] * 4 + [8.0] * 4, "scheduled_hours": [100.0] * 8, "sick_hours": [5.0] * 8,
    })
    # the M series lacks April: coverage in April is 1 of 2 series
    absence = absence.drop(index=7).reset_index(drop=True)
    participants = pd.DataFrame({
        "participant_id": [f"P-{i:012x}" for i in range(7)], "municipality_code": ["0834"] * 6 + ["0781"],
        "start_date": pd.to_datetime(["2016-01-10"] * 3 + ["2016-03-05"] * 4),
        "end_date": pd.to_datetime(["2016-02-01", None, None, None, None, None, "2016-04-01"]),
    })
    return {"absence_monthly": absence, "participants": participants}


def test_rows_per_table_suppresses_small_person_counts():
    rows = quality.rows_per_table(_tables(), "0834", min_count=5, language="en")
    counts = dict(zip(rows["Table"], rows["Rows"]))
    assert counts["Participants"] == 6  # 6 >= 5 is shown
    rows = quality.rows_per_table(_tables(), "0834", min_count=7, language="en")
    counts = dict(zip(rows["Table"], rows["Rows"]))
    assert counts["Participants"] == "<7"
    assert 7 in counts.values()  # employee-hour rows are not person counts and are not masked


def test_coverage_is_share_of_series_per_month():
    cover = quality.coverage(_tables(), "0834", language="en")
    absence = cover.iloc[:, 0]
    assert list(absence.round(3)) == [1.0, 1.0, 1.0, 0.5]
    people = cover.iloc[:, 1]
    assert list(people) == [1.0, 0.0, 1.0, 0.0]  # presence only: January and March starts


def test_validation_findings_name_small_groups_and_ongoing_suppressed():
    findings = quality.validation_findings({"ignored": ["notes.txt"]}, _tables(), "0834", language="en")
    text = findings.to_string()
    assert "notes.txt" in text
    assert "10 or fewer employees" in text and "1 group(s), 3 monthly rows" in text
    ongoing = findings[findings.iloc[:, 0].str.startswith("Ongoing")].iloc[0, 2]
    assert ongoing == "5"  # 5 ongoing of 6 in Torsås: not below 5, shown
    tables = _tables()
    tables["participants"].loc[1, "end_date"] = pd.Timestamp("2016-02-01")
    findings = quality.validation_findings({}, tables, "0834", language="en")
    assert findings[findings.iloc[:, 0].str.startswith("Ongoing")].iloc[0, 2] == "<5"


def test_header_states_synthetic_sources_and_parameters():
    manifest = {"synthetic": True, "created": "2026-01-01T00:00:00+00:00",
                "inputs": [{"file": "personal.csv", "sha256": "ab" * 32}]}
    text = report.header_markdown(manifest, "0834", {"language": "sv"}, _tables(), title="Datakvalitet")
    assert text.startswith("# Datakvalitet: Torsås (0834)")
    assert "Syntetiska demodata" in text
    assert "2016-01 – 2016-04" in text
    assert "personal.csv (SHA-256 abababababab…)" in text
    real = report.header_markdown({**manifest, "synthetic": False}, "0834", {}, _tables(), title="T")
    assert "Syntetiska" not in real


def test_display_table_hides_row_numbers_and_rounds():
    frame = pd.DataFrame({"Kommun": ["Torsås"], "Sjukfrånvaro (%)": [5.8333], "Antal": [37]})
    html = report.display_table(frame).to_html()
    assert "5.8" in html and "5.8333" not in html and "37" in html
    assert "row0" in html and ">0<" not in html  # no index column
    assert report.display_table(pd.DataFrame()).empty


@pytest.mark.parametrize("language", ["sv", "en"])
def test_sources_table_lists_every_input(language):
    manifest = {"inputs": [{"file": "a.csv", "table": "absence_monthly", "rows": 3, "sha256": "0" * 64}]}
    table = quality.sources_table(manifest, language=language)
    assert table.iloc[0, 0] == "a.csv" and table.iloc[0, 2] == 3 and table.iloc[0, 3] == "0" * 12
