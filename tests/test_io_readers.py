"""The CSV/XLSX readers on the variants data_raw/README.md accepts.

Every file is written here, byte by byte, in the form a Swedish export takes (encodings, separators,
decimal comma, thousands separators, month forms, title rows, English headers, Excel cells); the
tidy values expected are worked out by hand from what was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.io.clinic import read_clinic_sicklistings
from fouress_eval.io.personnel import read_personnel_hours
from fouress_eval.io.register import read_interviews, read_meetings, read_participants

NBSP = "\u00a0"
MONTH = pd.PeriodDtype("M")


# ---------------------------------------------------------------------------------------------
# Writers (independent of the package)
# ---------------------------------------------------------------------------------------------

def write_csv(path: Path, rows, sep: str = ";", encoding: str = "utf-8", *, bom: bool = False,
              newline: str = "\n") -> Path:
    """Rows of fields joined by ``sep`` (a field holding ``sep`` is quoted); a str row is written as
    it is (a title line), None as an empty line."""
    lines = ["" if r is None else r if isinstance(r, str) else
             sep.join(f'"{f}"' if sep in f else f for f in r) for r in rows]
    data = (newline.join(lines) + newline).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" + data) if bom else data)
    return path


def write_xlsx(path: Path, rows: list[list | None], *, sheet: str = "Blad1",
               before: dict[str, list[list]] | None = None) -> Path:
    """An .xlsx whose sheet ``sheet`` holds ``rows`` from A1 (None = an empty row); ``before``
    adds sheets in front of it."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, content in [*(before or {}).items(), (sheet, rows)]:
        target = workbook.create_sheet(name)
        for number, row in enumerate(content, start=1):
            for column, value in enumerate(row or [], start=1):
                if value is not None:
                    target.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_unchanged(reader, path: Path) -> pd.DataFrame:
    """Read with ``reader`` and check the file's bytes are untouched."""
    before = sha256(path)
    frame = reader(path)
    assert sha256(path) == before
    return frame


def assert_codes(series: pd.Series) -> None:
    assert all(isinstance(v, str) and len(v) == 4 and v.isdigit() for v in series)


def assert_tidy(reader, path: Path, expected: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """Read ``path`` unchanged; the tidy columns, 4-character codes and spreadsheet row numbers."""
    frame = read_unchanged(reader, path)
    pd.testing.assert_frame_equal(frame[list(expected)], expected)
    assert_codes(frame["municipality_code"])
    assert frame["source_row"].tolist() == rows
    assert set(frame["source_file"]) == {str(path)}
    return frame


# ---------------------------------------------------------------------------------------------
# Personnel hours
# ---------------------------------------------------------------------------------------------

SV_PERSONNEL = ["Kommun", "Månad", "Kön", "Åldersgrupp", "Antal anställda", "Schemalagd tid (timmar)",
                "Sjukfrånvaro (timmar)", "Varav 60 dagar eller mer (timmar)", "Varav dag 1-14 (timmar)"]
EN_PERSONNEL = ["municipality", "month", "sex", "age_group", "employees", "scheduled_hours", "sick_hours",
                "long_sick_hours", "short_sick_hours"]

# Two rows written in every variant: (municipality, month, sex, age group, employees, scheduled, sick,
# long, short) with the thousands separator as {t}. Expected: 0834, 2016-08 K 30-49 181 employees,
# 21 468,0 h scheduled, 1 631,6 h sick of which 745,2 long and 540,9 short; 2016-09 M 50- 42 employees,
# 5 040,5 h scheduled, 312,25 h sick, long missing (".."), short missing (empty).
EXPECTED_PERSONNEL = pd.DataFrame({
    "municipality_code": ["0834", "0834"], "month": pd.PeriodIndex(["2016-08", "2016-09"], freq="M"),
    "sex": ["K", "M"], "age_group": ["30-49", "50-"], "employees": [181.0, 42.0],
    "scheduled_hours": [21468.0, 5040.5], "sick_hours": [1631.6, 312.25],
    "long_sick_hours": [745.2, np.nan], "short_sick_hours": [540.9, np.nan],
})


def personnel_rows(kommun: tuple[str, str], months: tuple[str, str], sexes: tuple[str, str],
                   ages: tuple[str, str], t: str) -> list[list[str]]:
    return [
        [kommun[0], months[0], sexes[0], ages[0], "181", f"21{t}468,0", f"1{t}631,6", "745,2", "540,9"],
        [kommun[1], months[1], sexes[1], ages[1], "42", f"5{t}040,5", "312,25", "..", ""],
    ]


PERSONNEL_CSV_VARIANTS = {
    # id: (encoding, bom, sep, newline, title lines, headers, kommun, months, sexes, ages, thousands)
    "utf8-semicolon-space": ("utf-8", False, ";", "\n", [], SV_PERSONNEL, ("0834 Torsås", "0834"),
                             ("2016-08", "2016-09"), ("K", "M"), ("30-49", "50-"), " "),
    "utf8bom-comma-nbsp-title": ("utf-8", True, ",", "\n", ["Sjukfrånvaro per månad, Torsås kommun"],
                                 SV_PERSONNEL, ("TORSÅS", "torsås"), ("aug-16", "sep-16"),
                                 ("kvinna", "man"), ("30-49 år", "50 år eller äldre"), NBSP),
    "cp1252-tab-crlf-two-titles": ("cp1252", False, "\t", "\r\n", ["Personalsystemet – uttag 2017-01-05", None],
                                   SV_PERSONNEL, ("Torsås kommun", "Torsås"), ("augusti 2016", "september 2016"),
                                   ("Kvinnor", "Män"), ("30–49 år", "50-"), NBSP),
    "latin1-semicolon-english": ("latin-1", False, ";", "\n", [], EN_PERSONNEL, ("torsas", "TORSAS"),
                                 ("201608", "2016M09"), ("kvinnor", "MÄN"), ("30-49", "50+"), ""),
    "utf8-comma-iso-dates": ("utf-8", False, ",", "\n", [], [h.upper() for h in SV_PERSONNEL], ("834", "0834"),
                             ("2016-08-01", "Sep 2016"), ("k", "m"), ("30-49", "50-"), " "),
}


@pytest.mark.parametrize("variant", PERSONNEL_CSV_VARIANTS.values(), ids=PERSONNEL_CSV_VARIANTS.keys())
def test_personnel_csv_variants(tmp_path, variant):
    encoding, bom, sep, newline, titles, headers, kommun, months, sexes, ages, t = variant
    rows = [*titles, headers, *personnel_rows(kommun, months, sexes, ages, t)]
    path = write_csv(tmp_path / "personal_torsas.csv", rows, sep, encoding, bom=bom, newline=newline)
    frame = assert_tidy(read_personnel_hours, path, EXPECTED_PERSONNEL, [len(titles) + 2, len(titles) + 3])
    assert frame["month"].dtype == MONTH


def test_personnel_xlsx_reads_the_sheet_named_like_the_file_kind(tmp_path):
    # a first sheet with notes is passed over for the sheet called "Personal"; numbers as text
    path = write_xlsx(tmp_path / "personal_2016.xlsx", [
        EN_PERSONNEL, *personnel_rows(("0834", "Torsås"), ("augusti 2016", "2016-09"), ("K", "M"),
                                      ("30-49", "50-"), NBSP)],
        sheet="Personal", before={"Info": [["Uttag ur personalsystemet"], ["Kontakt: HR"]]})
    assert_tidy(read_personnel_hours, path, EXPECTED_PERSONNEL, [2, 3])


AUG16 = pd.Period("2016-08", freq="M")
FORMS = [  # (column, as written, tidy value) in a one-row personnel file
    *[("municipality_code", w, c) for w, c in [
        ("TORSÅS", "0834"), ("torsas", "0834"), ("0834", "0834"), ("834", "0834"), ("Torsås kommun", "0834"),
        ("0834 Torsås", "0834"), ("Håbo", "0305"), ("Habo", "0643"), ("Malmö stad", "1280"), ("MALMO", "1280"),
        ("Umeå", "2480")]],
    *[("month", w, AUG16) for w in ["2016-08", "2016-8", "201608", "2016M08", "aug-16", "Aug 2016", "AUG-2016",
                                    "augusti 2016", "Augusti 2016", "2016-08-01", "2016-08-31"]],
    *[("sex", w, s) for w, s in [("K", "K"), ("k", "K"), ("kvinna", "K"), ("Kvinnor", "K"), ("KVINNOR", "K"),
                                 ("M", "M"), ("man", "M"), ("Män", "M"), ("män", "M"), ("MÄN", "M"), ("man ", "M")]],
]


@pytest.mark.parametrize("column, written, tidy", FORMS)
def test_value_forms(tmp_path, column, written, tidy):
    values = {"municipality_code": "Torsås", "month": "2016-08", "sex": "K", column: written}
    path = write_csv(tmp_path / "personal.csv", [SV_PERSONNEL[:7], [values["municipality_code"], values["month"],
                                                                   values["sex"], "30-49", "3", "100", "5"]])
    frame = read_personnel_hours(path)
    assert frame[column].tolist() == [tidy]
    assert frame["month"].dtype == MONTH
    assert_codes(frame["municipality_code"])


def _totals_file(tmp_path: Path, total_employees: str, total_sick: str) -> Path:
    # K: 10 employees, 100,0 h scheduled, 5,0 h sick; M: 5, 50,5 h, 2,5 h → sum 15, 150,5 h, 7,5 h
    return write_csv(tmp_path / "personal_totals.csv", [
        SV_PERSONNEL[:7],
        ["0834", "2016-08", "K", "30-49", "10", "100,0", "5,0"],
        ["0834", "2016-08", "M", "30-49", "5", "50,5", "2,5"],
        ["0834", "2016-08", "Totalt", "30-49", total_employees, "150,5", total_sick],
    ])


def test_personnel_totals_row_that_adds_up_is_dropped(tmp_path):
    frame = read_personnel_hours(_totals_file(tmp_path, "15", "7,5"))
    assert frame["sex"].tolist() == ["K", "M"]
    assert frame["sick_hours"].tolist() == [5.0, 2.5]
    assert frame["source_row"].tolist() == [2, 3]


@pytest.mark.parametrize("employees, sick, header, found, expected", [
    ("15", "8,5", "Sjukfrånvaro (timmar)", "8.5", "7.5"),
    ("16", "7,5", "Antal anställda", "(found 16)", "15"),
])
def test_personnel_totals_row_that_does_not_add_up(tmp_path, employees, sick, header, found, expected):
    path = _totals_file(tmp_path, employees, sick)
    with pytest.raises(InputError) as caught:
        read_unchanged(read_personnel_hours, path)
    message = str(caught.value)
    assert "personal_totals.csv" in message and "row 4" in message
    assert f"'{header}'" in message and found in message and expected in message


def test_personnel_only_totals_are_kept(tmp_path):
    # a municipality that reports only totals (Kön and Åldersgrupp = Totalt) keeps them as "alla"
    path = write_csv(tmp_path / "personal.csv", [SV_PERSONNEL[:7],
                                                 ["Torsås", "2016-08", "Totalt", "Totalt", "420", "50 000", "2 500"]])
    frame = read_personnel_hours(path)
    assert frame[["sex", "age_group", "employees", "scheduled_hours", "sick_hours"]].values.tolist() == [
        ["alla", "alla", 420.0, 50000.0, 2500.0]]


def test_excel_separator_hint_line(tmp_path):
    # Excel's "sep=;" first line names the separator and is not a row in Excel: the header is row 1
    path = write_csv(tmp_path / "personal.csv", ["sep=;", SV_PERSONNEL[:7],
                                                 ["Torsås", "2016-08", "K", "30-49", "3", "100,5", "5,25"]], sep=";")
    frame = read_personnel_hours(path)
    assert frame[["scheduled_hours", "sick_hours", "source_row"]].values.tolist() == [[100.5, 5.25, 2]]


# ---------------------------------------------------------------------------------------------
# Health-centre sick-listings
# ---------------------------------------------------------------------------------------------

SV_CLINIC = ["Vårdcentral", "Kommun", "Månad", "Diagnoskapitel", "Antal sjukskrivna", "Listade"]
EN_CLINIC = ["clinic", "municipality", "month", "diagnosis_chapter", "sicklisted", "listed_population"]
# Expected: Vårdcentralen Torsås, 0834, 2016-01, F: 61 of 7 012 listed; chapter M: 1 204 of 7 012
EXPECTED_CLINIC = pd.DataFrame({
    "clinic": ["Vårdcentralen Torsås"] * 2, "municipality_code": ["0834", "0834"],
    "month": pd.PeriodIndex(["2016-01", "2016-01"], freq="M"), "diagnosis_chapter": ["F", "M"],
    "sicklisted": np.array([61, 1204], dtype="int64"), "listed_population": np.array([7012, 7012], dtype="int64"),
})

CLINIC_VARIANTS = {
    # id: (encoding, bom, sep, titles, headers, kommun, month, chapters, thousands)
    "utf8-comma": ("utf-8", False, ",", [], SV_CLINIC, "Torsås", "2016-01", ("F", "M"), ""),
    "utf8bom-semicolon-title": ("utf-8", True, ";", ["Sjukskrivningar per diagnoskapitel;;;;;"], SV_CLINIC,
                                "0834", "jan-16", ("F00-F99", "M00-M99"), " "),
    "cp1252-semicolon-nbsp": ("cp1252", False, ";", [], SV_CLINIC, "TORSÅS", "januari 2016", ("f", "Kapitel M"),
                              NBSP),
    "latin1-tab-english": ("latin-1", False, "\t", ["Export", None], EN_CLINIC, "torsås kommun", "201601",
                           ("F", "M"), " "),
}


@pytest.mark.parametrize("variant", CLINIC_VARIANTS.values(), ids=CLINIC_VARIANTS.keys())
def test_clinic_csv_variants(tmp_path, variant):
    encoding, bom, sep, titles, headers, kommun, month, chapters, t = variant
    rows = [*titles, headers,
            ["Vårdcentralen Torsås", kommun, month, chapters[0], "61", f"7{t}012"],
            ["Vårdcentralen Torsås", kommun, month, chapters[1], f"1{t}204", f"7{t}012"]]
    path = write_csv(tmp_path / "vardcentral.csv", rows, sep, encoding, bom=bom)
    assert_tidy(read_clinic_sicklistings, path, EXPECTED_CLINIC, [len(titles) + 2, len(titles) + 3])


# ---------------------------------------------------------------------------------------------
# Participant register
# ---------------------------------------------------------------------------------------------

SV_PARTICIPANTS = ["Personnummer", "Kommun", "Kön", "Sektor", "Startdatum", "Slutdatum", "Ersättning vid start",
                   "Ersättning vid avslut", "Avslutsorsak"]
EN_PARTICIPANTS = ["personal_id", "municipality", "sex", "sector", "start_date", "end_date", "entry_compensation",
                   "exit_compensation", "exit_reason"]
EXPECTED_PARTICIPANTS = pd.DataFrame({
    "personal_id": ["P001", "P002"], "municipality_code": ["0834", "0834"], "sex": ["K", "M"],
    "sector": ["social_services", "school"], "start_date": pd.to_datetime(["2017-02-15", "2017-03-01"]),
    "end_date": pd.to_datetime(["2017-06-30", None]),
    "entry_compensation": ["full_time_sick_leave", "sick_pay_days_1_14"],
    "exit_compensation": ["salary", None], "exit_reason": ["ordinary_work", None],
})


def participant_rows(kommun: str, sexes: tuple[str, str]) -> list[list[str]]:
    return [["P001", kommun, sexes[0], "Socialtjänst/omsorg", "2017-02-15", "2017-06-30", "Heltidssjukskrivning",
             "Lön", "Åter i ordinarie arbete"],
            ["P002", kommun, sexes[1], "skola/förskola", "2017-03-01", "", "Sjuklön dag 1-14", "", ""]]


PARTICIPANT_VARIANTS = {
    "utf8-semicolon": ("utf-8", False, ";", [], SV_PARTICIPANTS, "Torsås", ("K", "M")),
    "utf8bom-comma-title": ("utf-8", True, ",", ["Deltagare i 4-Ess", None, None], SV_PARTICIPANTS, "0834",
                            ("kvinna", "man")),
    "cp1252-semicolon": ("cp1252", False, ";", [], SV_PARTICIPANTS, "TORSÅS", ("Kvinnor", "Män")),
    "latin1-tab-english": ("latin-1", False, "\t", [], EN_PARTICIPANTS, "torsas", ("k", "MÄN")),
}


@pytest.mark.parametrize("variant", PARTICIPANT_VARIANTS.values(), ids=PARTICIPANT_VARIANTS.keys())
def test_participant_csv_variants(tmp_path, variant):
    encoding, bom, sep, titles, headers, kommun, sexes = variant
    path = write_csv(tmp_path / "deltagare.csv", [*titles, headers, *participant_rows(kommun, sexes)], sep,
                     encoding, bom=bom)
    frame = assert_tidy(read_participants, path, EXPECTED_PARTICIPANTS, [len(titles) + 2, len(titles) + 3])
    assert frame["start_date"].dtype == np.dtype("datetime64[ns]")


def test_participants_without_sector_column_are_other(tmp_path):
    headers = [h for h in SV_PARTICIPANTS if h != "Sektor"]
    rows = [[v for i, v in enumerate(r) if i != 3] for r in participant_rows("Torsås", ("K", "M"))]
    frame = read_participants(write_csv(tmp_path / "deltagare.csv", [headers, *rows]))
    assert frame["sector"].tolist() == ["other", "other"]


# ---------------------------------------------------------------------------------------------
# Meeting log and interviews
# ---------------------------------------------------------------------------------------------

SV_MEETINGS = ["Personnummer", "Kommun", "Datum", "Mötestyp"]
EN_MEETINGS = ["personal_id", "municipality", "date", "meeting_type"]
EXPECTED_MEETINGS = pd.DataFrame({
    "personal_id": ["P001", "P001"], "municipality_code": ["0834", "0834"],
    "date": pd.to_datetime(["2017-03-10", "2017-04-12"]), "meeting_type": ["follow_up", "three_party"],
})

MEETING_VARIANTS = {
    "utf8bom-semicolon": ("utf-8", True, ";", [], SV_MEETINGS, "Torsås", ("Avstämningsmöte", "Trepartsmöte")),
    "cp1252-semicolon-title": ("cp1252", False, ";", ["Möten 2017"], SV_MEETINGS, "TORSÅS",
                               ("avstämningsmöte", "TREPARTSMÖTE")),
    "latin1-comma-english": ("latin-1", False, ",", [], EN_MEETINGS, "0834", ("Avstamningsmote", "trepartsmote")),
    "utf8-tab": ("utf-8", False, "\t", [], SV_MEETINGS, "834", ("follow_up", "three_party")),
}


@pytest.mark.parametrize("variant", MEETING_VARIANTS.values(), ids=MEETING_VARIANTS.keys())
def test_meeting_csv_variants(tmp_path, variant):
    encoding, bom, sep, titles, headers, kommun, types = variant
    rows = [*titles, headers, ["P001", kommun, "2017-03-10", types[0]], ["P001", kommun, "2017-04-12", types[1]]]
    path = write_csv(tmp_path / "moten.csv", rows, sep, encoding, bom=bom)
    assert_tidy(read_meetings, path, EXPECTED_MEETINGS, [len(titles) + 2, len(titles) + 3])


SV_INTERVIEWS = ["Intervju-id", "Roll", "Kommun", "Datum", "Form"]
EN_INTERVIEWS = ["interview_id", "role", "municipality", "date", "mode"]
EXPECTED_INTERVIEWS = pd.DataFrame({
    "interview_id": ["I01", "I02"], "role": ["case_officer", "steering_group"], "municipality_code": ["0834"] * 2,
    "date": pd.to_datetime(["2017-05-02", None]), "mode": ["individual", "group"],
})

INTERVIEW_VARIANTS = {
    "utf8-comma": ("utf-8", False, ",", [], SV_INTERVIEWS, "Torsås"),
    "cp1252-semicolon": ("cp1252", False, ";", ["Intervjuer – metadata"], SV_INTERVIEWS, "TORSÅS"),
    "latin1-tab-english": ("latin-1", False, "\t", [], EN_INTERVIEWS, "torsas"),
    "utf8bom-semicolon": ("utf-8", True, ";", [], [h.lower() for h in SV_INTERVIEWS], "0834"),
}


@pytest.mark.parametrize("variant", INTERVIEW_VARIANTS.values(), ids=INTERVIEW_VARIANTS.keys())
def test_interview_csv_variants(tmp_path, variant):
    encoding, bom, sep, titles, headers, kommun = variant
    rows = [*titles, headers, ["I01", "Handläggare FK", kommun, "2017-05-02", "Individuell"],
            ["I02", "Styrgrupp", kommun, "", "grupp"]]
    path = write_csv(tmp_path / "intervjuer.csv", rows, sep, encoding, bom=bom)
    assert_tidy(read_interviews, path, EXPECTED_INTERVIEWS, [len(titles) + 2, len(titles) + 3])


def test_interviews_of_the_sister_projects_roles_and_focus_groups(tmp_path):
    """The roles of På väg and Omställning, in Swedish, and focus groups as group interviews."""
    rows = [SV_INTERVIEWS,
            ["P01", "Socialsekreterare", "Skurup", "2019-10-08", "Individuell"],
            ["P02", "Handläggare Arbetsförmedlingen", "Svedala", "2019-10-17", "Fokusgrupp"],
            ["P03", "Arbetsförmedlare", "1263", "", ""],
            ["P04", "Hälso- och sjukvård", "Skurup", "2020-11-10", "Individuell"],
            ["P05", "Region Skåne", "Skurup", "", ""],
            ["P06", "Deltagare", "Svedala", "", "fokusgrupp"],
            ["O01", "Företagshälsovård", "Karlstad", "2018-05-15", "Individuell"],
            ["O02", "Tjänstedesigner", "Karlstad", "2018-09-25", "Grupp"],
            ["O03", "tjanstedesigner", "Arvika", "", ""]]
    frame = read_interviews(write_csv(tmp_path / "intervjuer.csv", rows))
    assert frame["role"].tolist() == ["social_worker", "employment_officer", "employment_officer", "health_care",
                                      "health_care", "participant", "occupational_health", "service_designer",
                                      "service_designer"]
    assert frame["mode"].tolist() == ["individual", "group", "individual", "individual", "individual", "group",
                                      "individual", "group", "individual"]
    assert frame["municipality_code"].tolist()[:3] == ["1264", "1263", "1263"]


def test_every_role_has_swedish_and_english_labels():
    from fouress_eval.io.register import ROLES
    from fouress_eval.qual.tallies import ROLE_LABELS

    assert set(ROLES.values()) == set(ROLE_LABELS)
    assert all(set(labels) == {"sv", "en"} and all(labels.values()) for labels in ROLE_LABELS.values())


def test_interviews_without_form_column_are_individual(tmp_path):
    path = write_csv(tmp_path / "intervjuer.csv", [SV_INTERVIEWS[:4], ["I01", "Läkare", "Torsås", "2017-05-02"],
                                                   ["I02", "HR-strateg", "0834", ""]])
    frame = read_interviews(path)
    assert frame[["role", "mode"]].values.tolist() == [["doctor", "individual"], ["hr_strategist", "individual"]]


# ---------------------------------------------------------------------------------------------
# .xlsx files with real Excel cells: numbers, integer municipality codes, datetimes
# ---------------------------------------------------------------------------------------------

XLSX_CASES = {  # id: (reader, file name, sheet rows (None = empty row), expected, expected source rows)
    # title on row 1, empty row 2, header on row 3: data rows are 4 and 5
    "personnel": (read_personnel_hours, "personal.xlsx", [
        ["Sjukfrånvaro Torsås 2016"], None, SV_PERSONNEL,
        [834, dt.datetime(2016, 8, 1), "kvinnor", "30-49", 181, 21468.0, 1631.6, 745.2, 540.9],
        ["Torsås", dt.datetime(2016, 9, 30, 0, 0), "män", "50-", 42, 5040.5, 312.25, None, None]],
        EXPECTED_PERSONNEL, [4, 5]),
    "clinic": (read_clinic_sicklistings, "vardcentral.xlsx", [
        ["Sjukskrivna per vårdcentral"], SV_CLINIC,
        ["Vårdcentralen Torsås", 834, dt.datetime(2016, 1, 1), "F", 61, 7012],
        ["Vårdcentralen Torsås", "0834", dt.date(2016, 1, 15), "M", 1204, 7012.0]], EXPECTED_CLINIC, [3, 4]),
    "participants": (read_participants, "deltagare.xlsx", [
        SV_PARTICIPANTS,
        ["P001", 834, "K", "Socialtjänst/omsorg", dt.datetime(2017, 2, 15), dt.datetime(2017, 6, 30),
         "Heltidssjukskrivning", "Lön", "Åter i ordinarie arbete"],
        ["P002", "Torsås", "M", "Skola/förskola", dt.datetime(2017, 3, 1, 9, 30), None, "Sjuklön dag 1-14"]],
        EXPECTED_PARTICIPANTS, [2, 3]),
    "meetings": (read_meetings, "möten.xlsx", [
        ["Mötesloggen"], None, None, SV_MEETINGS, ["P001", 834, dt.datetime(2017, 3, 10), "Avstämningsmöte"],
        ["P001", "torsås", dt.datetime(2017, 4, 12, 13, 15), "Trepartsmöte"]], EXPECTED_MEETINGS, [5, 6]),
    "interviews": (read_interviews, "intervjuer.xlsx", [
        SV_INTERVIEWS, ["I01", "Handläggare FK", 834, dt.datetime(2017, 5, 2), "Individuell"],
        ["I02", "Styrgrupp", "TORSÅS", None, "Grupp"]], EXPECTED_INTERVIEWS, [2, 3]),
}


@pytest.mark.parametrize("case", XLSX_CASES.values(), ids=XLSX_CASES.keys())
def test_xlsx_with_excel_cells(tmp_path, case):
    reader, name, rows, expected, source_rows = case
    assert_tidy(reader, write_xlsx(tmp_path / name, rows), expected, source_rows)

