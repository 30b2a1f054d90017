"""Monthly outcome series at any level, and the one-sentence reason when a site's series cannot carry an ITS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fouress_eval.errors import InputError
from fouress_eval.outcomes import outcome_gap, outcome_series

JAN, FEB = pd.Period("2020-01", "M"), pd.Period("2020-02", "M")
# two municipalities of Skåne county (12), one of Halland (13); none is a project site
SVALOV, STAFFANSTORP, HALMSTAD = "1214", "1230", "1380"


def _hours() -> pd.DataFrame:
    """Personnel hours: Svalöv by sex (600 + 400 scheduled, 30 + 20 sick), Staffanstorp as one row
    (3000, 270), Halmstad (500, 40); Staffanstorp lacks February."""
    rows = [
        # municipality, month, sex, scheduled, sick, long (60+ days), short (days 1-14)
        (SVALOV, JAN, "K", 600.0, 30.0, 12.0, 9.0), (SVALOV, JAN, "M", 400.0, 20.0, 8.0, 6.0),
        (STAFFANSTORP, JAN, "alla", 3000.0, 270.0, 90.0, 60.0),
        (HALMSTAD, JAN, "alla", 500.0, 40.0, 10.0, 10.0),
        (SVALOV, FEB, "K", 600.0, 24.0, 12.0, 3.0), (SVALOV, FEB, "M", 400.0, 16.0, 8.0, 2.0),
        (HALMSTAD, FEB, "alla", 500.0, 45.0, 10.0, 12.0),
    ]
    frame = pd.DataFrame(rows, columns=["municipality_code", "month", "sex", "scheduled_hours", "sick_hours",
                                        "long_sick_hours", "short_sick_hours"])
    frame["age_group"] = "alla"
    frame["employees"] = 10.0
    frame["month"] = frame["month"].astype("period[M]")
    return frame


def test_personnel_hours_by_municipality_and_county():
    tables = {"absence_monthly": _hours()}
    municipal = outcome_series(tables, "personnel_hours", level="municipality").set_index(["unit_code", "month"])
    assert municipal.loc[(SVALOV, JAN), "value"] == pytest.approx(100 * 50 / 1000)  # 5.0 %, from summed hours
    assert municipal.loc[(SVALOV, JAN), "numerator"] == 50 and municipal.loc[(SVALOV, JAN), "denominator"] == 1000
    assert municipal.loc[(STAFFANSTORP, JAN), "value"] == pytest.approx(9.0)
    county = outcome_series(tables, "personnel_hours", level="county").set_index(["unit_code", "month"])
    # Skåne in January: (50 + 270) / (1000 + 3000) = 8.0 %, not the mean of 5 % and 9 % (7 %)
    assert county.loc[("12", JAN), "value"] == pytest.approx(8.0)
    assert county.loc[("12", JAN), "numerator"] == 320 and county.loc[("12", JAN), "denominator"] == 4000
    # February lacks Staffanstorp: no county value rather than Svalöv alone
    assert np.isnan(county.loc[("12", FEB), "value"])
    assert county.loc[("13", FEB), "value"] == pytest.approx(9.0)
    assert list(county.reset_index().columns) == ["unit_code", "month", "value", "numerator", "denominator"]


def test_long_and_short_sick_leave_per_scheduled_hours():
    tables = {"absence_monthly": _hours()}
    long = outcome_series(tables, "personnel_hours", level="county", series="long_sick_pct")
    jan = long.set_index(["unit_code", "month"]).loc[("12", JAN)]
    assert jan["value"] == pytest.approx(100 * (20 + 90) / 4000)  # 2.75 % of scheduled hours
    short = outcome_series(tables, "personnel_hours", level="municipality", series="short_sick_pct",
                           codes=["Svalöv"])
    assert set(short["unit_code"]) == {SVALOV}
    assert short["value"].tolist() == pytest.approx([100 * 15 / 1000, 100 * 5 / 1000])
    assert long.attrs["series"] == "long_sick_pct" and long.attrs["level"] == "county"
    without = _hours().drop(columns="long_sick_hours")
    with pytest.raises(InputError, match="long_sick_hours"):
        outcome_series({"absence_monthly": without}, "personnel_hours", level="municipality", series="long_sick_pct")


def test_codes_select_units_and_a_county_means_its_municipalities():
    tables = {"absence_monthly": _hours()}
    series = outcome_series(tables, "personnel_hours", level="municipality", codes=["12"])
    assert set(series["unit_code"]) == {SVALOV, STAFFANSTORP}
    county = outcome_series(tables, "personnel_hours", level="county", codes=["Hallands län"])
    assert set(county["unit_code"]) == {"13"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(1.0, 1e6), st.floats(0.0, 1.0)), min_size=2, max_size=6))
def test_county_value_lies_between_its_municipalities(parts):
    """Summed hours give a weighted mean of the municipal percentages, so it lies between them."""
    codes = ["1214", "1230", "1231", "1233", "1256", "1257"][:len(parts)]
    frame = pd.DataFrame({"municipality_code": codes, "month": pd.PeriodIndex([JAN] * len(parts), freq="M"),
                          "sex": "alla", "age_group": "alla", "employees": 1.0,
                          "scheduled_hours": [s for s, _ in parts], "sick_hours": [s * share for s, share in parts]})
    tables = {"absence_monthly": frame}
    municipal = outcome_series(tables, "personnel_hours", level="municipality")["value"]
    county = outcome_series(tables, "personnel_hours", level="county")["value"].iloc[0]
    assert municipal.min() - 1e-9 <= county <= municipal.max() + 1e-9


def _sickpay() -> pd.DataFrame:
    rows = []
    for month, uppsala, varmland, knivsta in ((JAN, 10.2, 11.0, 8.0), (FEB, 10.1, 11.1, np.nan)):
        rows += [("lan", None, "03", "alla", month, "sjukpenningtal", "1.0", uppsala, 250000.0),
                 ("lan", None, "17", "alla", month, "sjukpenningtal", "1.0", varmland, 180000.0),
                 ("lan", None, "03", "K", month, "sjukpenningtal", "1.0", 99.0, 1.0),  # women only: not used
                 ("kommun", "0330", "03", "alla", month, "sjukpenningtal", "1.0", knivsta, 12000.0),
                 ("riket", None, None, "alla", month, "sjukpenningtal", "1.0", 9.9, 6e6),
                 ("lan", None, "03", "alla", month, "sjukfall_over_365", "1.0", 1900.0 - (month == FEB), None)]
    frame = pd.DataFrame(rows, columns=["area_level", "municipality_code", "county_code", "sex", "month", "measure",
                                        "measure_version", "value", "denominator"])
    frame["age_group"] = "alla"
    frame["suppressed"] = frame["value"].isna()
    return frame


def test_sickpay_by_county_and_municipality():
    tables = {"sickpay_monthly": _sickpay()}
    county = outcome_series(tables, "sickpay", level="county")
    assert county["unit_code"].tolist() == ["03", "03", "17", "17"]
    assert county["value"].tolist() == [10.2, 10.1, 11.0, 11.1]
    assert county["denominator"].tolist()[:1] == [250000.0] and "numerator" not in county
    municipal = outcome_series(tables, "sickpay", level="municipality")
    assert municipal["unit_code"].tolist() == ["0330", "0330"]
    assert municipal["value"].iloc[0] == 8.0 and np.isnan(municipal["value"].iloc[1])  # suppressed stays missing
    cases = outcome_series(tables, "sickpay", level="county", series="sjukfall_over_365")
    assert cases["value"].tolist() == [1900.0, 1899.0]


def test_sickpay_versions_must_not_be_spliced():
    frame = _sickpay()
    newer = frame[frame["measure"] == "sjukpenningtal"].assign(measure_version="2.0", month=lambda f: f["month"] + 2)
    tables = {"sickpay_monthly": pd.concat([frame, newer], ignore_index=True)}
    with pytest.raises(InputError, match="several versions") as caught:
        outcome_series(tables, "sickpay", level="county")
    assert "'sjukpenningtal 1.0'" in str(caught.value)
    only = outcome_series(tables, "sickpay", level="county", series="sjukpenningtal 2.0")
    assert only["month"].min() == pd.Period("2020-03", "M") and len(only) == 4


def _clinics() -> pd.DataFrame:
    rows = []
    for month in (JAN, FEB):
        for clinic, code, population, f, m, z in (("VC Svalöv Norra", SVALOV, 4000, 40, 20, 8),
                                                  ("VC Svalöv Södra", SVALOV, 6000, 30, 30, 5),
                                                  ("VC Halmstad", HALMSTAD, 5000, 25, 25, 10)):
            extra = 5 if month == FEB else 0
            rows += [(clinic, code, month, "F", f + extra, population), (clinic, code, month, "M", m, population),
                     (clinic, code, month, "Z", z, population)]
    return pd.DataFrame(rows, columns=["clinic", "municipality_code", "month", "diagnosis_chapter", "sicklisted",
                                       "listed_population"])


def test_clinic_rates_per_centre_and_municipality():
    tables = {"clinic_sicklistings": _clinics()}
    centres = outcome_series(tables, "clinic", level="health_centre", series="F+M").set_index(["unit_code", "month"])
    assert centres.loc[("VC Svalöv Norra", JAN), "value"] == pytest.approx(1000 * 60 / 4000)  # 15 per 1 000
    assert centres.loc[("VC Svalöv Norra", JAN), "municipality_code"] == SVALOV
    municipal = outcome_series(tables, "clinic", level="municipality", series="F+M").set_index(["unit_code", "month"])
    # both Svalöv centres summed before dividing: (60 + 60) / (4000 + 6000)
    assert municipal.loc[(SVALOV, JAN), "value"] == pytest.approx(1000 * 120 / 10000)
    assert municipal.loc[(SVALOV, FEB), "numerator"] == 130 and municipal.loc[(SVALOV, FEB), "denominator"] == 10000
    every = outcome_series(tables, "clinic", level="municipality").set_index(["unit_code", "month"])
    assert every.loc[(HALMSTAD, JAN), "value"] == pytest.approx(1000 * (25 + 25 + 10) / 5000)  # all chapters
    only_f = outcome_series(tables, "clinic", level="municipality", series="f").set_index(["unit_code", "month"])
    assert only_f.loc[(SVALOV, JAN), "value"] == pytest.approx(1000 * 70 / 10000)
    county = outcome_series(tables, "clinic", level="county", series="F+M").set_index(["unit_code", "month"])
    assert county.loc[("12", JAN), "value"] == pytest.approx(12.0) and county.loc[("13", JAN), "value"] == 10.0


def test_errors_name_the_value_and_what_was_expected():
    tables = {"absence_monthly": _hours(), "clinic_sicklistings": _clinics(), "kolada": pd.DataFrame()}
    with pytest.raises(InputError, match="yearly") as caught:
        outcome_series(tables, "kolada", level="municipality")
    assert "monthly" in str(caught.value)
    with pytest.raises(InputError, match="unknown outcome source") as caught:
        outcome_series(tables, "sickness", level="municipality")
    assert "'sickness'" in str(caught.value) and "personnel_hours" in str(caught.value)
    with pytest.raises(InputError, match="unknown level") as caught:
        outcome_series(tables, "personnel_hours", level="health_centre")
    assert "municipality, county" in str(caught.value)
    with pytest.raises(InputError, match="unknown series") as caught:
        outcome_series(tables, "personnel_hours", level="municipality", series="ohalsotal")
    assert "'ohalsotal'" in str(caught.value) and "sick_pct" in str(caught.value)
    with pytest.raises(InputError, match="no table 'sickpay_monthly'") as caught:
        outcome_series(tables, "sickpay", level="county")
    assert "fk_" in str(caught.value)
    with pytest.raises(InputError, match="diagnosis chapter") as caught:
        outcome_series(tables, "clinic", level="health_centre", series="F+J")
    assert "'J'" in str(caught.value) and "F, M, Z" in str(caught.value)
    with pytest.raises(InputError, match="measure"):
        outcome_series({"sickpay_monthly": _sickpay()}, "sickpay", level="county", series="ohalsotal")
    with pytest.raises(InputError, match="county"):
        outcome_series(tables, "personnel_hours", level="county", codes=[SVALOV])


def _long_county_series(months: int) -> dict:
    """Sjukpenningtal for Uppsala and Värmland counties over ``months`` months from 2015-01."""
    frame = _sickpay().iloc[:0]
    rows = []
    for i, month in enumerate(pd.period_range("2015-01", periods=months, freq="M")):
        for county, value in (("03", 10.0 - 0.01 * i), ("17", 11.0)):
            rows.append({"area_level": "lan", "municipality_code": None, "county_code": county, "sex": "alla",
                         "age_group": "alla", "month": month, "measure": "sjukpenningtal", "measure_version": "1.0",
                         "value": value, "denominator": 1.0, "suppressed": False})
    return {"sickpay_monthly": pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)}


def test_gap_sentences_say_why_in_one_sentence():
    tables = _long_county_series(30)
    assert outcome_gap(tables, "sickpay", level="county", code="Uppsala län", interventions=["2016-01"]) is None
    assert outcome_gap({}, "sickpay", level="county", code="03") == \
        "De förberedda data saknar Försäkringskassans statistik (ingen tabell sickpay_monthly)."
    assert outcome_gap({}, "sickpay", level="county", code="03", language="en") == \
        "The prepared data hold no statistics from Försäkringskassan (no table sickpay_monthly)."
    assert outcome_gap(tables, "sickpay", level="county", code="12") == \
        "Skåne län finns inte i Försäkringskassans statistik på länsnivå."
    assert outcome_gap(tables, "sickpay", level="county", code="12", language="en") == \
        "Skåne County is not in the statistics from Försäkringskassan at county level."
    short = _long_county_series(20)
    assert outcome_gap(short, "sickpay", level="county", code="03") == (
        "Uppsala län har bara 20 månader med värden i Försäkringskassans statistik, och en avbruten tidsserie "
        "behöver minst 24.")
    assert outcome_gap(short, "sickpay", level="county", code="03", min_months=18) is None
    # 2015-01 .. 2015-05 before the first interruption: 5 months
    early = outcome_gap(tables, "sickpay", level="county", code="03", interventions=["2015-06", "2016-01"],
                        language="en")
    assert early == ("Uppsala County has only 5 months with values in the statistics from Försäkringskassan before "
                     "the first interruption (2015-06), and at least 8 are needed.")
    assert outcome_gap(tables, "sickpay", level="county", code="03", interventions=["2015-06"],
                       min_pre_months=5) is None
    assert "sjukfall_over_365" in outcome_gap(tables, "sickpay", level="county", series="sjukfall_over_365",
                                              code="03")
    assert outcome_gap(tables, "kolada", level="county", code="03") == \
        "Kolada redovisar bara årsvärden, och en avbruten tidsserie behöver månadsvärden."
    for sentence in (early, outcome_gap({}, "clinic", level="health_centre", code="VC Svalöv Norra")):
        assert sentence.count(". ") == 0 and sentence.endswith(".")


def test_gap_still_raises_for_a_wrong_configuration():
    with pytest.raises(InputError, match="unknown outcome source"):
        outcome_gap({}, "fk", level="county", code="03")
    with pytest.raises(InputError, match="not a county"):
        outcome_gap(_long_county_series(30), "sickpay", level="county", code=SVALOV)
