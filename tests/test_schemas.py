"""Every validation rule, each with a bad file read by the real reader.

The error must tell a non-programmer where to look and what to fix: the file name, the row (as a
spreadsheet shows it), the column header as written in the file, the value found and what was
expected. Reading must never change the raw file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.io.clinic import read_clinic_sicklistings
from fouress_eval.io.personnel import read_personnel_hours
from fouress_eval.io.register import read_interviews, read_meetings, read_participants
from fouress_eval.schemas import validate

PERSONNEL = ["Kommun", "Månad", "Kön", "Åldersgrupp", "Antal anställda", "Schemalagd tid (timmar)",
             "Sjukfrånvaro (timmar)", "Varav 60 dagar eller mer (timmar)"]
CLINIC = ["Vårdcentral", "Kommun", "Månad", "Diagnoskapitel", "Antal sjukskrivna", "Listade"]
PARTICIPANTS = ["Personnummer", "Kommun", "Kön", "Sektor", "Startdatum", "Slutdatum", "Ersättning vid start",
                "Ersättning vid avslut", "Avslutsorsak"]
MEETINGS = ["Personnummer", "Kommun", "Datum", "Mötestyp"]
INTERVIEWS = ["Intervju-id", "Roll", "Kommun", "Datum", "Form"]

# One good row per reader (prefix, reader, table, header, row)
GOOD = {
    "personal": (read_personnel_hours, "absence_monthly", PERSONNEL,
                 ["Torsås", "2016-08", "K", "30-49", "10", "1 600,0", "80,5", "20,0"]),
    "vardcentral": (read_clinic_sicklistings, "clinic_sicklistings", CLINIC,
                    ["Vårdcentralen Torsås", "Torsås", "2016-08", "F", "61", "7 012"]),
    "deltagare": (read_participants, "participants", PARTICIPANTS,
                  ["P001", "Torsås", "K", "Skola/förskola", "2017-02-15", "2017-06-30", "Heltidssjukskrivning",
                   "Lön", "Åter i ordinarie arbete"]),
    "moten": (read_meetings, "meetings", MEETINGS, ["P001", "Torsås", "2017-03-10", "Avstämningsmöte"]),
    "intervjuer": (read_interviews, "interviews", INTERVIEWS, ["I01", "Chef", "Torsås", "2017-05-02", "Grupp"]),
}


def write_csv(path: Path, rows: list[list[str] | str], encoding: str = "utf-8") -> Path:
    path.write_bytes("".join((r if isinstance(r, str) else ";".join(r)) + "\n" for r in rows).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def check(path: Path, reader, table: str | None = None) -> str:
    """Read ``path`` (and validate it as ``table``), expecting an InputError; returns its message.

    The file's bytes must be the same afterwards."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputError) as caught:
        frame = reader(path)
        if table is not None:
            validate(table, frame.rename(columns={"personal_id": "participant_id"}))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    message = str(caught.value)
    assert path.name in message
    return message


def personnel(tmp_path: Path, *rows: list[str], title: bool = False) -> Path:
    return write_csv(tmp_path / "personal_torsas.csv", [*(["Sjukfrånvaro 2016"] if title else []), PERSONNEL, *rows])


def row(month="2016-08", sex="K", age="30-49", employees="10", scheduled="1 600,0", sick="80,5", long="20,0",
        kommun="Torsås") -> list[str]:
    return [kommun, month, sex, age, employees, scheduled, sick, long]


def test_good_files_pass(tmp_path):
    for prefix, (reader, table, header, good) in GOOD.items():
        frame = reader(write_csv(tmp_path / f"{prefix}.csv", [header, good]))
        validated = validate(table, frame.rename(columns={"personal_id": "participant_id"}))
        assert len(validated) == 1


# ------------------------------------------------------------------------------------ municipality

@pytest.mark.parametrize("prefix", GOOD)
def test_unknown_municipality(tmp_path, prefix):
    reader, table, header, good = GOOD[prefix]
    bad = [("Atlantis" if h == "Kommun" else v) for h, v in zip(header, good)]
    message = check(write_csv(tmp_path / f"{prefix}.csv", [header, good, bad]), reader, table)
    assert "row 3" in message and "'Kommun'" in message and "'Atlantis'" in message
    assert "unknown municipality" in message and "290 municipality" in message


def test_missing_municipality(tmp_path):
    message = check(personnel(tmp_path, row(), row(month="2016-09", kommun="")), read_personnel_hours)
    assert "row 3" in message and "'Kommun'" in message and "municipality is missing" in message


# ------------------------------------------------------------------------------------ months

def test_missing_month_in_a_series(tmp_path):
    # K 30-49 has 2016-08 (row 2), 2016-09 (row 3), 2016-11 (row 5): 2016-10 is missing; M is complete
    path = personnel(tmp_path, row("2016-08"), row("2016-09"), row("2016-08", sex="M"), row("2016-11"),
                     row("2016-09", sex="M"))
    message = check(path, read_personnel_hours, "absence_monthly")
    assert "2016-10" in message and "missing" in message
    assert "row 3" in message and "'Månad'" in message and "2016-09" in message
    assert "row 5" in message and "2016-11" in message
    assert "Kön K" in message and "Åldersgrupp 30-49" in message


def test_missing_month_in_clinic_series(tmp_path):
    rows = [CLINIC, ["VC Torsås", "Torsås", "2016-01", "F", "61", "7012"],
            ["VC Torsås", "Torsås", "2016-04", "F", "60", "7012"]]
    message = check(write_csv(tmp_path / "vardcentral.csv", rows), read_clinic_sicklistings, "clinic_sicklistings")
    assert "2016-02, 2016-03" in message and "row 2" in message and "row 3" in message


def test_duplicate_month(tmp_path):
    # title row 1, header row 2, data rows 3-6; rows 4 and 6 are both 0834 / 2016-09 / K / 30-49
    # (written differently: "sep-16" and "2016-09", "Torsås" and "0834")
    path = personnel(tmp_path, row("2016-08"), row("sep-16"), row("2016-08", sex="M"),
                     row("2016-09", kommun="0834"), title=True)
    message = check(path, read_personnel_hours, "absence_monthly")
    assert "duplicate" in message and "rows 4 and 6" in message
    assert "0834" in message and "2016-09" in message and "Kön K" in message and "30-49" in message
    assert "only once" in message


def test_same_rows_in_two_files(tmp_path):
    # the same export saved twice: the tables are stacked as prepare does, and both files are named
    first = read_personnel_hours(personnel(tmp_path, row("2016-08"), row("2016-09")))
    second_path = write_csv(tmp_path / "personal_kopia.csv", [PERSONNEL, row("2016-09")])
    stacked = pd.concat([first, read_personnel_hours(second_path)], ignore_index=True)
    with pytest.raises(InputError) as caught:
        validate("absence_monthly", stacked)
    message = str(caught.value)
    assert "row 3 of personal_torsas.csv and row 2 of personal_kopia.csv" in message and "2016-09" in message


def test_duplicate_interview_id(tmp_path):
    rows = [INTERVIEWS, GOOD["intervjuer"][3], ["I02", "Chef", "Torsås", "", ""], ["I01", "Läkare", "0834", "", ""]]
    message = check(write_csv(tmp_path / "intervjuer.csv", rows), read_interviews, "interviews")
    assert "rows 2 and 4" in message and "I01" in message and "Intervju-id" in message


def test_month_in_the_future(tmp_path):
    message = check(personnel(tmp_path, row("2016-08"), row("2099-01", sex="M")), read_personnel_hours,
                    "absence_monthly")
    assert "row 3" in message and "'Månad'" in message and "2099-01" in message and "future" in message


# ------------------------------------------------------------------------------------ amounts

def test_negative_hours(tmp_path):
    message = check(personnel(tmp_path, row(), row("2016-09", scheduled="-12,5", sick="0")), read_personnel_hours,
                    "absence_monthly")
    assert "row 3" in message and "'Schemalagd tid (timmar)'" in message and "-12.5" in message
    assert "0 or more" in message


def test_sick_hours_above_scheduled_hours(tmp_path):
    message = check(personnel(tmp_path, row(), row("2016-09", scheduled="200", sick="250,5", long="0")),
                    read_personnel_hours, "absence_monthly")
    assert "row 3" in message and "'Sjukfrånvaro (timmar)'" in message and "250.5" in message
    assert "no larger than scheduled hours" in message and "Schemalagd tid (timmar) is 200.0" in message


def test_long_sick_hours_above_sick_hours(tmp_path):
    message = check(personnel(tmp_path, row(sick="10", long="12")), read_personnel_hours, "absence_monthly")
    assert "row 2" in message and "'Varav 60 dagar eller mer (timmar)'" in message and "12.0" in message
    assert "Sjukfrånvaro (timmar) is 10.0" in message


def test_percent_sign_in_hours_is_refused(tmp_path):
    message = check(personnel(tmp_path, row(sick="5,2 %")), read_personnel_hours)
    assert "row 2" in message and "'Sjukfrånvaro (timmar)'" in message and "'5,2 %'" in message
    assert "percentage" in message


def test_sicklisted_above_listed(tmp_path):
    # more sick-listed patients than listed patients: a share above 100 %
    rows = [CLINIC, ["VC Torsås", "Torsås", "2016-01", "F", "61", "7012"],
            ["VC Torsås", "Torsås", "2016-02", "F", "80", "75"]]
    message = check(write_csv(tmp_path / "vardcentral.csv", rows), read_clinic_sicklistings, "clinic_sicklistings")
    assert "row 3" in message and "'Antal sjukskrivna'" in message and "80" in message
    assert "Listade is 75" in message


def test_percentage_above_100_in_kolada(tmp_path):
    from fouress_eval.io.kolada import read_kolada_json

    path = tmp_path / "kolada_N00090.json"
    path.write_text(json.dumps({"values": [
        {"kpi": "N00090", "municipality": "0834", "period": 2016, "values": [{"gender": "T", "value": 8.9}]},
        {"kpi": "N00090", "municipality": "0834", "period": 2017, "values": [{"gender": "K", "value": 112.5}]},
    ], "count": 2}), encoding="utf-8")
    message = check(path, read_kolada_json)
    assert "row 2" in message and "112.5" in message and "100" in message


def test_share_above_100_in_fk(tmp_path):
    from fouress_eval.io.fk import read_fk_json

    record = {"dimensions": {"lan_kod": "08", "kommun_kod": "0834", "kon_kod": "K", "ar": 2016, "manad": 8},
              "observations": {"andel": {"value": 101.5, "rojd": False}}}
    path = tmp_path / "fk_andel.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    message = check(path, read_fk_json)
    assert "row 1" in message and "101.5" in message and "100" in message


def test_subgroups_that_do_not_add_up(tmp_path):
    # K 30-49 + M 30-49 = 10 + 5 = 15 employees, but the totals row (row 4) says 17
    path = personnel(tmp_path, row(employees="10"), row(sex="M", employees="5"),
                     row(sex="Totalt", employees="17", scheduled="3 200,0", sick="161,0", long="40,0"))
    message = check(path, read_personnel_hours)
    assert "row 4" in message and "'Antal anställda'" in message and "(found 17)" in message
    assert "15 (the sum of the subgroup rows)" in message


# ------------------------------------------------------------------------------------ dates

def test_meeting_date_in_the_future(tmp_path):
    rows = [MEETINGS, GOOD["moten"][3], ["P001", "Torsås", "2099-03-01", "Trepartsmöte"]]
    message = check(write_csv(tmp_path / "moten.csv", rows), read_meetings, "meetings")
    assert "row 3" in message and "'Datum'" in message and "2099-03-01" in message and "future" in message


def test_start_date_in_the_future(tmp_path):
    bad = ["P002", "Torsås", "M", "Övrigt", "2099-01-01", "", "Deltidssjukskrivning", "", ""]
    message = check(write_csv(tmp_path / "deltagare.csv", [PARTICIPANTS, GOOD["deltagare"][3], bad]),
                    read_participants, "participants")
    assert "row 3" in message and "'Startdatum'" in message and "2099-01-01" in message and "future" in message


def test_end_date_before_start_date(tmp_path):
    bad = ["P002", "Torsås", "M", "Övrigt", "2017-03-01", "2017-02-01", "Deltidssjukskrivning", "Lön",
           "Medicinskt hinder"]
    message = check(write_csv(tmp_path / "deltagare.csv", [PARTICIPANTS, GOOD["deltagare"][3], bad]),
                    read_participants, "participants")
    assert "row 3" in message and "'Slutdatum'" in message and "2017-02-01" in message
    assert "on or after the start date" in message and "Startdatum is 2017-03-01" in message


def test_ended_episode_without_exit_reason(tmp_path):
    bad = ["P002", "Torsås", "M", "Övrigt", "2017-03-01", "2017-05-01", "Deltidssjukskrivning", "Lön", ""]
    message = check(write_csv(tmp_path / "deltagare.csv", [PARTICIPANTS, bad]), read_participants, "participants")
    assert "row 2" in message and "'Avslutsorsak'" in message and "Slutdatum is 2017-05-01" in message
    assert "missing value" in message


def test_exit_reason_without_end_date(tmp_path):
    bad = ["P002", "Torsås", "M", "Övrigt", "2017-03-01", "", "Deltidssjukskrivning", "", "Medicinskt hinder"]
    message = check(write_csv(tmp_path / "deltagare.csv", [PARTICIPANTS, bad]), read_participants, "participants")
    assert "row 2" in message and "'Avslutsorsak'" in message and "'medical_obstacle'" in message
    assert "Slutdatum is empty" in message


def test_missing_required_value(tmp_path):
    message = check(personnel(tmp_path, row(), row("2016-09", employees="..")), read_personnel_hours)
    assert "row 3" in message and "'Antal anställda'" in message and "missing" in message


def test_unknown_category_value(tmp_path):
    bad = ["P002", "Torsås", "M", "Rymdfart", "2017-03-01", "", "Deltidssjukskrivning", "", ""]
    message = check(write_csv(tmp_path / "deltagare.csv", [PARTICIPANTS, bad]), read_participants)
    assert "row 2" in message and "'Sektor'" in message and "'Rymdfart'" in message and "Skola/förskola" in message


# ------------------------------------------------------------------------------------ whole files

@pytest.mark.parametrize("prefix", GOOD)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_file(tmp_path, prefix, suffix):
    path = tmp_path / f"{prefix}{suffix}"
    path.write_bytes(b"")
    assert "empty" in check(path, GOOD[prefix][0])


@pytest.mark.parametrize("prefix", GOOD)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_only_file(tmp_path, prefix, suffix):
    reader, _table, header, _good = GOOD[prefix]
    path = tmp_path / f"{prefix}{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, [header])
    assert "no data rows" in check(path, reader)


def test_unquoted_decimal_comma_in_comma_separated_file(tmp_path):
    # 21468,5 unquoted would shift 1631,6 into the next column: refused rather than silently wrong
    path = tmp_path / "personal.csv"
    path.write_text(",".join(PERSONNEL[:7]) + "\n0834,2016-08,K,30-49,181,21468,5,1631,6\n", encoding="utf-8")
    message = check(path, read_personnel_hours)
    assert "row 2" in message and "9 values" in message and "7 columns" in message and "quotes" in message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_wrong_columns(tmp_path, suffix):
    path = tmp_path / f"personal{suffix}"
    rows = [["Kommun", "Datum", "Antal"], ["Torsås", "2016-08-01", "3"]]
    (write_csv if suffix == ".csv" else write_xlsx)(path, rows)
    message = check(path, read_personnel_hours)
    assert "missing column(s)" in message and "row 1" in message
    for expected in ("'Månad'", "'Kön'", "'Åldersgrupp'", "'Antal anställda'", "'Schemalagd tid (timmar)'",
                     "'Sjukfrånvaro (timmar)'"):
        assert expected in message
    assert "found 'Kommun', 'Datum', 'Antal'" in message


def test_csv_renamed_to_xlsx(tmp_path):
    path = write_csv(tmp_path / "vardcentral.xlsx", [CLINIC, GOOD["vardcentral"][3]])
    message = check(path, read_clinic_sicklistings)
    assert "not an Excel (.xlsx) file" in message


def test_xlsx_renamed_to_csv(tmp_path):
    path = write_xlsx(tmp_path / "deltagare.csv", [PARTICIPANTS, GOOD["deltagare"][3]])
    message = check(path, read_participants)
    assert "zip/Excel file, not a text (CSV) file" in message and "rename it to .xlsx" in message


def test_valid_file_is_not_modified_either(tmp_path):
    path = personnel(tmp_path, row(), row("2016-09"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    frame = validate("absence_monthly", read_personnel_hours(path))
    assert len(frame) == 2 and hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert isinstance(frame["month"].dtype, pd.PeriodDtype)
