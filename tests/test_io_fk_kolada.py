"""Readers of Försäkringskassan open data (JSON API, Excel download) and Kolada API pages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.io import read_fk_excel, read_fk_json, read_kolada_json, read_source
from fouress_eval.io.fk import COLUMNS as FK_COLUMNS
from fouress_eval.io.kolada import COLUMNS as KOLADA_COLUMNS
from fouress_eval.schemas import validate


def record(kommun: str, month: int, observations: dict, *, lan: str = "07", sex: str = "ALL", age: str = "ALL",
           month_key: str = "manad", year: object = 2016, **extra) -> dict:
    dims = {"lan_kod": lan, "kommun_kod": kommun, "aldersklass_kod": age, "kon_kod": sex, "ar": year,
            month_key: month, **extra}
    return {"dimensions": dims, "observations": observations}


def spt(value: object, rojd: bool = False, namnare: object = None) -> dict:
    obs = {"spt": {"value": value, "rojd": rojd}}
    if namnare is not None:
        obs["namnare"] = {"value": namnare, "rojd": False}
    return obs


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def raises(reader, path: Path, *parts: str) -> str:
    """Run ``reader`` expecting an InputError whose message names the file and every part."""
    with pytest.raises(InputError) as info:
        reader(path)
    message = str(info.value)
    for part in (path.name, *parts):
        assert part in message, f"{part!r} not in {message!r}"
    return message


# --- FK JSON ----------------------------------------------------------------------------------

@pytest.fixture
def fk_records() -> list[dict]:
    return [
        record("0781", 7, spt(10.5, namnare=8123), sex="K"),                      # 1 kommun Ljungby, K
        record("0781", 8, spt("10,7", namnare="8 200"), sex="K"),                 # 2 Swedish strings
        record("ALL_07", 7, spt(9.9, namnare=100000)),                            # 3 county Kronoberg
        record("ALL_07", 8, spt(None, rojd=True, namnare=100500)),                # 4 suppressed
        record("ALL_ALL", 7, spt(8.0), lan="ALL", sex="M", age="16-29", month_key="man"),  # 5 riket
        record("ALL_ALL", 8, spt("8,25"), lan="ALL", sex="M", age="16-29", month_key="man"),
        record("0780", 7, {"antal": {"value": 120, "rojd": False}, "andel": {"value": "1,5", "rojd": False}},
               sex="M"),                                                          # 7 cases, Växjö
        record("0780", 8, {"antal": {"value": "130", "rojd": False}, "andel": {"value": 1.6, "rojd": False}},
               sex="M"),
    ]


def test_fk_json_tidy_rows(tmp_path: Path, fk_records: list[dict]) -> None:
    path = write_json(tmp_path / "fk_spt.json", fk_records)
    frame = read_fk_json(path)
    assert list(frame.columns) == FK_COLUMNS
    assert len(frame) == 10  # 6 spt records + 2 records × (antal, andel)
    assert frame.attrs["file"] == str(path)
    assert isinstance(frame["month"].dtype, pd.PeriodDtype)
    first = frame.iloc[0]
    assert (first["area_level"], first["municipality_code"], first["county_code"]) == ("kommun", "0781", "07")
    assert (first["sex"], first["age_group"], str(first["month"])) == ("K", "alla", "2016-07")
    assert (first["measure"], first["measure_version"], first["value"], first["denominator"]) == \
        ("sjukpenningtal", "1.0", 10.5, 8123.0)
    assert (first["source_row"], first["source_file"], first["suppressed"]) == (1, str(path), False)
    assert frame.loc[1, "value"] == 10.7 and frame.loc[1, "denominator"] == 8200.0
    county = frame[frame["area_level"] == "lan"]
    assert county["municipality_code"].isna().all() and set(county["county_code"]) == {"07"}
    suppressed = frame.iloc[3]
    assert suppressed["suppressed"] and math.isnan(suppressed["value"]) and suppressed["denominator"] == 100500
    riket = frame[frame["area_level"] == "riket"]
    assert riket["county_code"].isna().all() and riket["municipality_code"].isna().all()
    assert list(riket["month"].astype(str)) == ["2016-07", "2016-08"] and list(riket["value"]) == [8.0, 8.25]
    assert set(riket["sex"]) == {"M"} and set(riket["age_group"]) == {"16-29"}
    cases = frame[frame["municipality_code"] == "0780"]
    assert list(cases["measure"]) == ["antal", "andel", "antal", "andel"]
    assert list(cases["value"]) == [120.0, 1.5, 130.0, 1.6] and list(cases["source_row"]) == [7, 7, 8, 8]
    assert cases["denominator"].isna().all()
    validate("sickpay_monthly", frame)


def test_fk_json_long_cases_measure(tmp_path: Path) -> None:
    """``antal_over_365`` (ongoing cases longer than 365 days) is its own measure, beside spt in one record."""
    records = [
        record("ALL_03", 9, {"antal_over_365": {"value": 1267, "rojd": False}}, lan="03", sex="K"),
        record("ALL_03", 9, {"antal_over_365": {"value": "633", "rojd": False}}, lan="03", sex="M"),
        record("ALL_03", 10, {"spt": {"value": 10.4, "rojd": False}, "antal_over_365": {"value": None, "rojd": True},
                              "namnare": {"value": 240000, "rojd": False}}, lan="03"),
    ]
    frame = read_fk_json(write_json(tmp_path / "fk_langa_sjukfall.json", records))
    assert list(frame["measure"]) == ["sjukfall_over_365", "sjukfall_over_365", "sjukpenningtal", "sjukfall_over_365"]
    assert list(frame["sex"]) == ["K", "M", "alla", "alla"] and set(frame["county_code"]) == {"03"}
    assert list(frame["value"][:3]) == [1267.0, 633.0, 10.4] and math.isnan(frame.loc[3, "value"])
    assert list(frame["suppressed"]) == [False, False, False, True]
    assert list(frame["source_row"]) == [1, 2, 3, 3] and list(frame["denominator"][2:]) == [240000.0, 240000.0]
    validate("sickpay_monthly", frame)
    raises(read_fk_json, write_json(tmp_path / "fk_bad.json", [record("ALL_03", 9, {"antal_over_365": {
        "value": -4, "rojd": False}}, lan="03")]), "row 1", "antal_over_365.value", "negative")
    message = raises(read_fk_json, write_json(tmp_path / "fk_bad2.json", [record("ALL_03", 9, {"antal_365": {
        "value": 4, "rojd": False}}, lan="03")]), "row 1", "'antal_365'")
    assert "antal_over_365" in message


@pytest.mark.parametrize("key", ["data", "values", "observations", "records"])
def test_fk_json_wrapped_list_and_version(tmp_path: Path, key: str) -> None:
    records = [record("0834", m, spt(12.0 + m / 10), lan="08", version="2.0") for m in (1, 2, 3)]
    frame = read_fk_json(write_json(tmp_path / "fk_v2.json", {key: records, "count": 3}))
    assert list(frame["measure_version"]) == ["2.0"] * 3
    assert list(frame["month"].astype(str)) == ["2016-01", "2016-02", "2016-03"]
    validate("sickpay_monthly", frame)


def test_fk_json_top_level_version(tmp_path: Path) -> None:
    document = {"version": "Sjukpenningtal 2.0", "data": [record("0834", 1, spt(1), lan="08")]}
    assert read_fk_json(write_json(tmp_path / "fk.json", document))["measure_version"].tolist() == ["2.0"]


@pytest.mark.parametrize("records, parts", [
    ([record("0781", 7, spt(1)), record("0999", 7, spt(1))], ["row 2", "kommun_kod", "'0999'", "unknown municipality"]),
    ([record("ALL_99", 7, spt(1), lan="99")], ["row 1", "lan_kod", "'99'", "unknown county"]),
    ([record("0834", 7, spt(1), lan="07")], ["row 1", "kommun_kod", "'0834'", "not in county 07"]),
    ([record("ALL_08", 7, spt(1), lan="07")], ["row 1", "kommun_kod", "'ALL_08'"]),
    ([record("0781", 13, spt(1))], ["row 1", "manad", "13", "not a month"]),
    ([record("0781", 7, spt(1)), record("0781", 0, spt(1), month_key="man")], ["row 2", "'man'", "0"]),
    ([record("0781", 7, spt(1), year="20x6")], ["row 1", "'ar'", "'20x6'", "not a year"]),
    ([record("0781", 7, spt(-1.5))], ["row 1", "spt.value", "-1.5", "negative"]),
    ([record("0781", 7, spt("-2,0"))], ["row 1", "'-2,0'", "negative"]),
    ([record("0781", 7, spt("tio"))], ["row 1", "spt.value", "'tio'", "not a number"]),
    ([record("0781", 7, spt(1, namnare=-5))], ["row 1", "namnare.value", "-5", "negative"]),
    ([record("0781", 7, {"andel": {"value": 140, "rojd": False}})], ["row 1", "andel.value", "140", "above 100"]),
    ([record("0781", 7, {"sptx": {"value": 1, "rojd": False}})], ["row 1", "observations", "'sptx'"]),
    ([record("0781", 7, spt(1, rojd="kanske"))], ["row 1", "spt.rojd", "'kanske'"]),
    ([record("0781", 7, spt(1), sex="X")], ["row 1", "kon_kod", "'X'", "unknown sex"]),
    ([record("0781", 7, spt(1), age="ung")], ["row 1", "aldersklass_kod", "'ung'", "unknown age group"]),
    ([{"dimensions": [], "observations": {}}], ["row 1", "not a record"]),
    ([], ["no records"]),
    ({"rows": []}, ["not the expected structure", "rows"]),
])
def test_fk_json_errors(tmp_path: Path, records: object, parts: list[str]) -> None:
    raises(read_fk_json, write_json(tmp_path / "fk_bad.json", records), *parts)


def test_fk_json_invalid_json_and_empty(tmp_path: Path) -> None:
    bad = tmp_path / "fk_broken.json"
    bad.write_text('[{"dimensions": {"ar": 2016,}', encoding="utf-8")
    raises(read_fk_json, bad, "not valid JSON", "line 1")
    empty = tmp_path / "fk_empty.json"
    empty.write_text("  \n", encoding="utf-8")
    raises(read_fk_json, empty, "empty")


# --- FK Excel ---------------------------------------------------------------------------------

HEADER = ["År", "Månad", "Län", "Kommun", "Kön", "Ålder", "Sjukpenningtal 1.0"]


def write_workbook(path: Path, sheets: dict[str, list[list]], header: list[str] = HEADER) -> Path:
    """A workbook whose every sheet has a title row, a notes row, then ``header`` and the rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(["Sjukpenningtal per kommun, län och riket"])
        sheet.append(["Källa: Försäkringskassan. X = röjandeskyddat värde."])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


KALMAR, TORSAS = "08 Kalmar län", "0834 Torsås"
BOTH, ALL_AGES = "Kvinnor och män", "Samtliga åldrar"


def test_fk_excel_two_sheets(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "fk_download.xlsx", {
        "Blad1": [[2016, "juli", KALMAR, TORSAS, BOTH, ALL_AGES, 12.1],      # row 4
                  [2016, 8, KALMAR, TORSAS, BOTH, ALL_AGES, "12,3"],         # row 5
                  [2016, 7, KALMAR, TORSAS, "Kvinnor", "16-29 år", "X"],     # row 6
                  [2016, 8, KALMAR, TORSAS, "Kvinnor", "16–29 år", 5.5],     # row 7
                  [2016, 7, KALMAR, None, "Män", ALL_AGES, 9.0]],            # row 8
        "Blad2": [[2016, "augusti", KALMAR, "Samtliga kommuner", "Män", ALL_AGES, 9.2],  # row 4
                  [2016, 7, "Riket", "Riket", BOTH, ALL_AGES, 10.0],                   # row 5
                  [2016, 8, "Riket", None, BOTH, ALL_AGES, ".."],                      # row 6
                  ["Uppdaterad 2017-01-15"]],                                          # note, skipped
    })
    frame = read_fk_excel(path)
    assert list(frame.columns) == FK_COLUMNS and len(frame) == 8
    assert frame.attrs["file"] == str(path)
    assert list(frame["source_row"]) == [4, 5, 6, 7, 8, 4, 5, 6]
    first = frame.iloc[0]
    assert (first["area_level"], first["municipality_code"], first["county_code"], first["sex"],
            first["age_group"], str(first["month"]), first["measure"], first["measure_version"], first["value"]) == \
        ("kommun", "0834", "08", "alla", "alla", "2016-07", "sjukpenningtal", "1.0", 12.1)
    assert frame.loc[1, "value"] == 12.3 and frame["denominator"].isna().all()
    assert frame.loc[2, "suppressed"] and math.isnan(frame.loc[2, "value"]) and frame.loc[2, "sex"] == "K"
    assert list(frame.loc[2:3, "age_group"]) == ["16-29", "16-29"] and not frame.loc[3, "suppressed"]
    county = frame[frame["area_level"] == "lan"]
    assert list(county["value"]) == [9.0, 9.2] and list(county["month"].astype(str)) == ["2016-07", "2016-08"]
    assert county["municipality_code"].isna().all() and set(county["county_code"]) == {"08"}
    riket = frame[frame["area_level"] == "riket"]
    assert riket["county_code"].isna().all() and list(riket["suppressed"]) == [False, True]
    assert frame["suppressed"].sum() == 2
    validate("sickpay_monthly", frame)


def test_fk_excel_version_and_case_columns(tmp_path: Path) -> None:
    header = ["År", "Månad", "Län", "Kommun", "Kön", "Ålder", "Sjukpenningtal 2.0", "Antal", "Andel"]
    path = write_workbook(tmp_path / "fk_v2.xlsx", {"Data": [
        [2021, m, KALMAR, TORSAS, "Kvinnor", ALL_AGES, 11.0 + m, 40 + m, "2,5"] for m in (1, 2)]}, header)
    frame = read_fk_excel(path)
    assert list(frame["measure"]) == ["sjukpenningtal", "antal", "andel"] * 2
    assert list(frame["measure_version"]) == ["2.0", "1.0", "1.0"] * 2
    assert list(frame["value"]) == [12.0, 41.0, 2.5, 13.0, 42.0, 2.5]
    validate("sickpay_monthly", frame)


@pytest.mark.parametrize("column", ["Antal pågående sjukfall > 365 dagar", "Antal sjukfall längre än 365 dagar",
                                    "Antal pågående sjukfall, över 365 dagar"])
def test_fk_excel_long_case_column(tmp_path: Path, column: str) -> None:
    header = ["År", "Månad", "Län", "Kommun", "Kön", "Ålder", column, "Antal"]
    path = write_workbook(tmp_path / "fk_langa.xlsx", {
        "2016": [[2016, 9, "03 Uppsala län", "Samtliga kommuner", "Kvinnor", ALL_AGES, 1267, 5000],
                 [2016, 9, "Riket", "Samtliga kommuner", BOTH, ALL_AGES, "X", 90000]]}, header)
    frame = read_fk_excel(path)
    assert list(frame["measure"]) == ["sjukfall_over_365", "antal"] * 2
    assert (frame.loc[0, "area_level"], frame.loc[0, "county_code"], frame.loc[0, "value"]) == ("lan", "03", 1267.0)
    assert frame.loc[2, "area_level"] == "riket" and frame.loc[2, "suppressed"] and frame.loc[3, "value"] == 90000.0
    validate("sickpay_monthly", frame)


def test_fk_repeated_areas_are_parsed_once_and_errors_still_located(tmp_path: Path) -> None:
    """Area codes are memoised (a county file repeats 22 areas thousands of times); a bad one still
    raises with its own row, every time it appears."""
    good = [record("ALL_03", m, spt(10.0), lan=3) for m in range(1, 13)]
    frame = read_fk_json(write_json(tmp_path / "fk_many.json", good))
    assert set(frame["county_code"]) == {"03"} and len(frame) == 12
    for n in (1, 2):
        raises(read_fk_json, write_json(tmp_path / f"fk_bad{n}.json", [*good[:n], record("ALL_99", 1, spt(1), lan=99)]),
               f"row {n + 1}", "unknown county")


@pytest.mark.parametrize("row, parts", [
    ([2016, 7, KALMAR, "9999 Ingenstans", BOTH, ALL_AGES, 1.0], ["unknown municipality", "'9999 Ingenstans'"]),
    ([2016, 7, KALMAR, "0781 Ljungby", BOTH, ALL_AGES, 1.0], ["not in county 08", "'0781 Ljungby'"]),
    ([2016, 7, "Lappland", TORSAS, BOTH, ALL_AGES, 1.0], ["unknown county", "'Lappland'"]),
    ([2016, "Midsommar", KALMAR, TORSAS, BOTH, ALL_AGES, 1.0], ["column 'Månad'", "'Midsommar'"]),
    ([2016, 7, KALMAR, TORSAS, BOTH, ALL_AGES, -3.5], ["column 'Sjukpenningtal 1.0'", "-3.5", "negative"]),
    ([2016, 7, KALMAR, TORSAS, "Barn", ALL_AGES, 1.0], ["column 'Kön'", "'Barn'"]),
    (["år 2016", 7, KALMAR, TORSAS, BOTH, ALL_AGES, 1.0], ["column 'År'", "'år 2016'"]),
])
def test_fk_excel_errors(tmp_path: Path, row: list, parts: list[str]) -> None:
    good = [2016, 8, KALMAR, TORSAS, BOTH, ALL_AGES, 1.0]
    path = write_workbook(tmp_path / "fk_bad.xlsx", {"Blad1": [good], "Blad2": [good, row]})
    raises(read_fk_excel, path, "row 5", "sheet 'Blad2'", *parts)


def test_fk_excel_structure_errors(tmp_path: Path) -> None:
    not_excel = tmp_path / "fk_text.xlsx"
    not_excel.write_text("År;Månad\n2016;7\n", encoding="utf-8")
    raises(read_fk_excel, not_excel, "cannot be opened")
    no_header = write_workbook(tmp_path / "fk_noheader.xlsx", {"Blad1": [[2016, 7, KALMAR, TORSAS]]},
                               header=["Om statistiken"])
    raises(read_fk_excel, no_header, "sheet 'Blad1' holds data but no header row")
    notes_only = write_workbook(tmp_path / "fk_notes.xlsx", {"Info": []}, header=["Om statistiken"])
    raises(read_fk_excel, notes_only, "no FK table")


# --- Kolada -----------------------------------------------------------------------------------

def kolada_entry(kpi: str, area: str, period: object, values: list[dict]) -> dict:
    return {"kpi": kpi, "municipality": area, "period": period, "values": values}


def gender(code: str, value: object, status: object = "") -> dict:
    return {"count": 1 if value is not None else 0, "gender": code, "status": status, "value": value}


V2_PAGE = {
    "count": 3,
    "next_page": "http://api.kolada.se/v2/data/kpi/N00090/year/2016?page=2&per_page=3",
    "values": [
        kolada_entry("N00090", "0834", 2016, [gender("K", 8.9), gender("M", 4.1), gender("T", 7.8)]),
        kolada_entry("N00090", "0008", 2016, [gender("T", None, "Missing")]),
        kolada_entry("N00938", "0000", "2016", [gender("T", "10,2", None)]),
    ],
}
V3_PAGE = {
    "count": 2, "next_url": None,
    "values": [kolada_entry("N00091", "0834", 2017, [gender("T", 31.5), gender("K", 33.0)]),
               kolada_entry("N00091", "0834", 2018, [gender("T", 29.0, "Missing")])],
}


def test_kolada_v2_page(tmp_path: Path) -> None:
    path = write_json(tmp_path / "kolada_1.json", V2_PAGE)
    frame = read_kolada_json(path)
    assert list(frame.columns) == KOLADA_COLUMNS and len(frame) == 5
    assert frame.attrs["next"] == V2_PAGE["next_page"] and frame.attrs["file"] == str(path)
    assert list(frame["sex"]) == ["K", "M", "alla", "alla", "alla"]
    assert list(frame["source_row"]) == [1, 1, 1, 2, 3]
    assert list(frame["area_level"]) == ["kommun"] * 3 + ["lan", "riket"]
    assert list(frame["municipality_code"][:3]) == ["0834"] * 3 and frame["municipality_code"][3:].isna().all()
    assert list(frame["county_code"][:4]) == ["08"] * 4 and frame["county_code"].iloc[4] is None
    assert frame["value"].iloc[:3].tolist() == [8.9, 4.1, 7.8] and math.isnan(frame["value"].iloc[3])
    assert frame["value"].iloc[4] == 10.2 and list(frame["year"]) == [2016] * 5
    assert list(frame["status"]) == ["", "", "", "Missing", ""]
    assert frame["source_file"].eq(str(path)).all()
    validate("kolada", frame)


def test_kolada_v3_page(tmp_path: Path) -> None:
    frame = read_kolada_json(write_json(tmp_path / "kolada_v3.json", V3_PAGE))
    assert frame.attrs["next"] is None
    assert list(frame["year"]) == [2017, 2017, 2018] and list(frame["sex"]) == ["alla", "K", "alla"]
    assert list(frame["value"]) == [31.5, 33.0, 29.0] and list(frame["status"]) == ["", "", "Missing"]
    validate("kolada", frame)
    empty = read_kolada_json(write_json(tmp_path / "kolada_last.json", {"count": 0, "values": []}))
    assert empty.empty and list(empty.columns) == KOLADA_COLUMNS


@pytest.mark.parametrize("values, parts", [
    ([kolada_entry("N00938", "0834", 2016, [gender("T", 10)]),
      kolada_entry("N00090", "0834", 2016, [gender("T", 120.5)])], ["row 2", "column 'value'", "120.5", "0-100"]),
    ([kolada_entry("N00091", "0834", 2016, [gender("K", -1)])], ["row 1", "-1", "0-100"]),
    ([kolada_entry("N00090", "9999", 2016, [gender("T", 5)])], ["row 1", "municipality", "'9999'"]),
    ([kolada_entry("N00090", "0002", 2016, [gender("T", 5)])], ["row 1", "municipality", "'0002'"]),
    ([kolada_entry("N00090", "0834", 2016, [gender("X", 5)])], ["row 1", "gender", "'X'"]),
    ([kolada_entry("N00090", "0834", "senaste", [gender("T", 5)])], ["row 1", "period", "'senaste'"]),
    ([kolada_entry("N00090", "0834", 2016, [gender("T", "fem")])], ["row 1", "value", "'fem'"]),
    ([{"kpi": "N00090"}], ["row 1", "not a Kolada value entry"]),
])
def test_kolada_errors(tmp_path: Path, values: list, parts: list[str]) -> None:
    raises(read_kolada_json, write_json(tmp_path / "kolada_bad.json", {"count": len(values), "values": values}),
           *parts)


def test_kolada_structure_errors(tmp_path: Path) -> None:
    raises(read_kolada_json, write_json(tmp_path / "kolada_list.json", [1, 2]), "not the expected structure")
    broken = tmp_path / "kolada_broken.json"
    broken.write_text('{"values": [', encoding="utf-8")
    raises(read_kolada_json, broken, "not valid JSON")


def test_sources_recognise_fk_and_kolada_files(tmp_path: Path) -> None:
    fk = write_json(tmp_path / "fk_sjukpenningtal.json", [record("0834", 1, spt(1), lan="08")])
    kolada = write_json(tmp_path / "kolada_2.json", V3_PAGE)
    assert read_source(fk)[0].table == "sickpay_monthly" and read_source(kolada)[0].table == "kolada"
