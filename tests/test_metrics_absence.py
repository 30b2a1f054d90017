"""Sick-leave metrics: hand-computed tiny examples, a property test, and the published 4-Ess figures.

The published figures are typed in from DESIGN.md section 3 (the 4-Ess final report), never
imported from the demo generator.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fouress_eval.errors import InputError  # noqa: E402
from fouress_eval.metrics.absence import (  # noqa: E402
    baseline_comparison,
    change_from_baseline,
    clinic_rate,
    index_vs_base,
    key_figures,
    long_term_share,
    repeated_short_term,
    rolling_12m,
    short_term_absence,
    sick_pct,
)

ROOT = Path(__file__).resolve().parents[1]
M = lambda text: pd.Period(text, freq="M")  # noqa: E731


def hours_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (municipality, month, sex, age, employees, scheduled, sick, long, short)."""
    frame = pd.DataFrame(rows, columns=["municipality_code", "month", "sex", "age_group", "employees",
                                        "scheduled_hours", "sick_hours", "long_sick_hours", "short_sick_hours"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    for column in ("employees", "scheduled_hours", "sick_hours", "long_sick_hours", "short_sick_hours"):
        frame[column] = frame[column].astype(float)
    return frame


# ------------------------------------------------------------------------- sick_pct by hand

def test_grouped_rate_is_ratio_of_sums_not_mean_of_rates():
    hours = hours_frame([
        ("0834", "2016-08", "K", "30-49", 5, 100.0, 10.0, 0, 0),   # 10 %
        ("0834", "2016-08", "M", "30-49", 50, 900.0, 18.0, 0, 0),  # 2 %
    ])
    out = sick_pct(hours, "municipality_code", "month")
    assert len(out) == 1
    assert out["scheduled_hours"].iloc[0] == 1000.0
    assert out["sick_hours"].iloc[0] == 28.0
    assert out["sick_pct"].iloc[0] == pytest.approx(2.8)  # 28 / 1000, not (10 + 2) / 2 = 6
    assert out["employees"].iloc[0] == 55
    by_sex = sick_pct(hours, ["municipality_code", "sex"], "month").set_index("sex")["sick_pct"]
    assert by_sex.to_dict() == pytest.approx({"K": 10.0, "M": 2.0})


def test_quarter_year_and_pooled_periods():
    hours = hours_frame([
        ("0834", "2019-08", "K", "-29", 10, 100, 1, 0, 0),
        ("0834", "2019-09", "K", "-29", 10, 100, 3, 0, 0),
        ("0834", "2019-10", "K", "-29", 20, 300, 6, 0, 0),
        ("0834", "2019-11", "K", "-29", 30, 600, 6, 0, 0),
    ])
    quarters = sick_pct(hours, "municipality_code", "quarter")
    assert list(quarters["quarter"]) == [pd.Period("2019Q3", freq="Q"), pd.Period("2019Q4", freq="Q")]
    assert quarters["sick_pct"].tolist() == pytest.approx([2.0, 100 * 12 / 900])
    assert quarters["months"].tolist() == [2, 2]
    assert quarters["employees"].tolist() == pytest.approx([10, 25])  # mean monthly head count
    year = sick_pct(hours, "municipality_code", "year")
    assert year["year"].tolist() == [2019]
    assert year["sick_pct"].iloc[0] == pytest.approx(100 * 16 / 1100)
    autumn = sick_pct(hours, "municipality_code", None, start="2019-09", end="2019-11")
    assert autumn["sick_pct"].iloc[0] == pytest.approx(100 * 15 / 1000)
    assert autumn["months"].iloc[0] == 3


def test_total_rows_are_not_counted_twice():
    hours = hours_frame([
        ("0834", "2016-08", "K", "-29", 5, 100, 10, 0, 0),
        ("0834", "2016-08", "M", "-29", 5, 100, 0, 0, 0),
        ("0834", "2016-08", "alla", "alla", 12, 220, 11, 0, 0),  # includes staff without a sex/age code
    ])
    assert sick_pct(hours)["sick_pct"].iloc[0] == pytest.approx(5.0)  # the total row: 11 / 220
    by_sex = sick_pct(hours, ["municipality_code", "sex"])
    assert by_sex["sex"].tolist() == ["K", "M"]
    assert by_sex["sick_pct"].tolist() == pytest.approx([10.0, 0.0])


def test_zero_scheduled_hours_gives_nan_not_infinity():
    hours = hours_frame([("0834", "2016-08", "K", "-29", 0, 0, 0, 0, 0)])
    assert math.isnan(sick_pct(hours)["sick_pct"].iloc[0])


def test_missing_column_is_a_clear_error():
    hours = hours_frame([("0834", "2016-08", "K", "-29", 1, 10, 1, 0, 0)]).drop(columns="sick_hours")
    with pytest.raises(InputError, match="sick_hours"):
        sick_pct(hours)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["0781", "0834"]), st.sampled_from(["K", "M"]),
                          st.floats(1, 10_000), st.floats(0, 1)), min_size=1, max_size=30))
def test_property_grouped_pct_is_sum_over_sum(cells):
    rows = [(code, f"2016-{1 + i % 12:02d}", sex, "30-49" if i < 12 else "50-", 3, scheduled,
             scheduled * share, 0, 0)
            for i, (code, sex, scheduled, share) in enumerate(cells)]
    hours = hours_frame(rows)
    hours = hours.drop_duplicates(["municipality_code", "month", "sex", "age_group"])
    out = sick_pct(hours, ["municipality_code", "sex"], None).set_index(["municipality_code", "sex"])
    for (code, sex), part in hours.groupby(["municipality_code", "sex"]):
        expected = 100 * part["sick_hours"].sum() / part["scheduled_hours"].sum()
        assert out.loc[(code, sex), "sick_pct"] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_property_counter_example_mean_of_percentages_differs():
    hours = hours_frame([
        ("0781", "2016-01", "K", "-29", 3, 10.0, 5.0, 0, 0),     # 50 %
        ("0781", "2016-02", "K", "-29", 300, 990.0, 0.0, 0, 0),  # 0 %
    ])
    pooled = sick_pct(hours, "municipality_code", None)["sick_pct"].iloc[0]
    monthly_mean = sick_pct(hours, "municipality_code", "month")["sick_pct"].mean()
    assert pooled == pytest.approx(0.5)
    assert monthly_mean == pytest.approx(25.0)


# ----------------------------------------------------------------------- key figures by hand

def key_figure_hours() -> pd.DataFrame:
    """One municipality, January and February 2019. Men: 11 employees in January, 9 in February;
    aged 29 or younger: 10 in both months."""
    jan = [("K", "-29", 6, 600, 30, 0), ("K", "30-49", 20, 2000, 100, 40), ("K", "50-", 15, 1500, 150, 90),
           ("M", "-29", 4, 400, 10, 0), ("M", "30-49", 5, 500, 20, 10), ("M", "50-", 2, 200, 40, 40)]
    feb = [("K", "-29", 6, 600, 30, 0), ("K", "30-49", 20, 2000, 100, 40), ("K", "50-", 15, 1500, 150, 90),
           ("M", "-29", 4, 400, 10, 0), ("M", "30-49", 3, 300, 5, 0), ("M", "50-", 2, 200, 40, 40)]
    rows = [("0834", month, sex, age, emp, sched, sick, long, sick / 4)
            for month, cells in (("2019-01", jan), ("2019-02", feb)) for sex, age, emp, sched, sick, long in cells]
    rows.append(("0834", "2018-12", "K", "-29", 6, 600, 600, 0, 0))  # another year: ignored
    return hours_frame(rows)


def test_key_figures_hand_computed():
    out = key_figures(key_figure_hours(), 2019)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["municipality_code"] == "0834" and row["year"] == 2019 and row["months"] == 2
    # totals: scheduled 5200 + 5000, sick 350 + 335, in 60+ day spells 180 + 170
    assert row["NT1"] == pytest.approx(100 * 685 / 10200)
    assert row["NT2"] == pytest.approx(100 * 350 / 685)  # share of SICK hours ...
    assert row["NT2"] != pytest.approx(100 * 350 / 10200)  # ... not of scheduled hours
    assert row["NT3"] == pytest.approx(100 * 560 / 8200)
    assert row["NT4"] == pytest.approx(100 * 125 / 2000)  # men: 11 employees -> shown
    assert math.isnan(row["NT5"])  # aged 29 or younger: 10 employees -> withheld
    assert row["NT6"] == pytest.approx(100 * 225 / 4800)
    assert row["NT7"] == pytest.approx(100 * 380 / 3400)
    assert row["employees_total"] == 52
    assert row["employees_men"] == 11
    assert row["employees_29_or_younger"] == 10
    assert row["withheld"] == "NT5"
    assert "NT5" in row["reason"] and "10" in row["reason"]
    assert "NT4" not in row["reason"]


def test_key_figures_mean_head_count_and_threshold():
    by_mean = key_figures(key_figure_hours(), 2019, headcount="mean").iloc[0]
    assert by_mean["employees_men"] == 10  # (11 + 9) / 2
    assert math.isnan(by_mean["NT4"]) and math.isnan(by_mean["NT5"])
    assert by_mean["withheld"] == "NT4, NT5"
    lenient = key_figures(key_figure_hours(), 2019, min_employees=9).iloc[0]
    assert lenient["NT5"] == pytest.approx(100 * 80 / 2000)
    assert lenient["withheld"] == ""


def test_key_figures_traceable_and_missing_long_hours():
    hours = key_figure_hours()
    traced = key_figures(hours, 2019, traceable=[("0834", "NT7")]).iloc[0]
    assert math.isnan(traced["NT7"]) and traced["withheld"] == "NT5, NT7"
    hours.loc[hours.index[0], "long_sick_hours"] = np.nan
    partial = key_figures(hours, 2019).iloc[0]
    assert math.isnan(partial["NT2"]) and "NT2" not in partial["withheld"]
    assert "NT2" in partial["reason"]
    with pytest.raises(InputError, match="2030"):
        key_figures(hours, 2030)


def test_long_and_short_term_shares():
    hours = key_figure_hours()
    year = hours[hours["month"].dt.year == 2019]
    long = long_term_share(year, "municipality_code", None).iloc[0]
    assert long["long_share_pct"] == pytest.approx(100 * 350 / 685)
    short = short_term_absence(year, "municipality_code", None).iloc[0]
    assert short["short_pct"] == pytest.approx(100 * (685 / 4) / 10200)
    assert short["short_share_pct"] == pytest.approx(25.0)
    year = year.copy()
    year.loc[year.index[0], "short_sick_hours"] = np.nan
    monthly = short_term_absence(year, "municipality_code", "month")
    assert math.isnan(monthly["short_pct"].iloc[0]) and not math.isnan(monthly["short_pct"].iloc[1])


# ---------------------------------------------------------------- change, index, rolling by hand

def test_change_from_baseline_and_index():
    series = pd.DataFrame({"municipality_code": ["A", "A", "B", "B"],
                           "month": pd.PeriodIndex(["2016-08", "2019-10"] * 2, freq="M"),
                           "sick_pct": [8.0, 6.0, 5.0, 5.5]})
    out = change_from_baseline(series, "2016-08")
    assert out["change_pp"].tolist() == pytest.approx([0, -2.0, 0, 0.5])
    assert out["change_pct"].tolist() == pytest.approx([0, -25.0, 0, 10.0])
    index = index_vs_base(series, "2016-08", value="sick_pct")
    assert index["index_pct"].tolist() == pytest.approx([0, -25.0, 0, 10.0])
    plain = change_from_baseline(pd.Series([4.0, 5.0], index=pd.PeriodIndex(["2016-08", "2016-09"], freq="M")),
                                 "2016-08")
    assert plain["change_pp"].tolist() == pytest.approx([0, 1.0])
    with pytest.raises(InputError, match="baseline"):
        change_from_baseline(series, "2016-07")


def test_rolling_12m_from_rolling_sums():
    months = pd.period_range("2016-01", "2017-02", freq="M")
    rows = [("0834", str(m), "K", "-29", 1, 100.0 * (i + 1), float(i + 1), 0, 0) for i, m in enumerate(months)]
    rows[1] = rows[1][:5] + (1000.0, 100.0, 0, 0)  # February 2016: 10 %
    out = rolling_12m(hours_frame(rows))
    assert out["sick_pct_12m"].iloc[:11].isna().all()
    first = [r for r in rows[:12]]
    expected = 100 * sum(r[6] for r in first) / sum(r[5] for r in first)
    assert out["sick_pct_12m"].iloc[11] == pytest.approx(expected)
    assert out["sick_pct_12m"].iloc[11] != pytest.approx(out["sick_pct"].iloc[:12].mean())
    gap = hours_frame([r for i, r in enumerate(rows) if i != 5])  # June 2016 missing
    assert rolling_12m(gap)["sick_pct_12m"].isna().all()


def test_clinic_rate_counts_each_centre_once():
    clinics = pd.DataFrame({
        "clinic": ["N", "N", "S", "S", "N"],
        "municipality_code": ["0781"] * 5,
        "month": pd.PeriodIndex(["2016-01"] * 4 + ["2016-02"], freq="M"),
        "diagnosis_chapter": ["F", "M", "F", "M", "F"],
        "sicklisted": [10, 20, 30, 40, 5],
        "listed_population": [1000, 1000, 4000, 4000, 1000],
    })
    out = clinic_rate(clinics)
    assert out["listed_population"].tolist() == [5000, 1000]
    assert out["rate_per_1000"].tolist() == pytest.approx([20.0, 5.0])
    assert out["clinics"].tolist() == [2, 1]
    only_f = clinic_rate(clinics, chapters=["F"], by="clinic")
    assert only_f.set_index(["clinic", "month"])["rate_per_1000"].loc[("S", M("2016-01"))] == pytest.approx(7.5)
    bad = clinics.copy()
    bad.loc[1, "listed_population"] = 999
    with pytest.raises(InputError, match="listed population"):
        clinic_rate(bad)


def test_repeated_short_term_on_spells():
    starts = pd.to_datetime(["2019-01-07", "2019-02-04", "2019-03-04", "2019-05-06", "2019-07-01",
                             "2019-09-02", "2019-09-05"])
    ends = starts + pd.Timedelta(days=1)
    spells = pd.DataFrame({"person_id": "p1", "start": starts, "end": ends})
    spells.loc[6, "end"] = pd.Timestamp("2019-09-30")  # a long spell
    spells = pd.concat([spells, pd.DataFrame({"person_id": ["p2", "p2"],
                                              "start": pd.to_datetime(["2019-03-01", "2019-03-03"]),
                                              "end": pd.to_datetime(["2019-03-02", "2019-03-05"])})],
                       ignore_index=True)  # back to back: one spell
    out = repeated_short_term(spells, [M("2019-12"), pd.Timestamp("2020-06-30")])
    dec = out[out["at"] == pd.Timestamp("2019-12-31")].set_index("person_id")
    assert dec.loc["p1", "spells"] == 7 and dec.loc["p1", "repeated"]
    assert dec.loc["p2", "spells"] == 1 and not dec.loc["p2", "repeated"]
    june = out[out["at"] == pd.Timestamp("2020-06-30")].set_index("person_id")
    assert june.loc["p1", "spells"] == 3  # July and September 2019 are within (2019-06-30, 2020-06-30]
    short_only = repeated_short_term(spells, "2019-12-31", max_spell_days=14).set_index("person_id")
    assert short_only.loc["p1", "spells"] == 6 and short_only.loc["p1", "repeated"]


# ------------------------------------------------------------------------------ demo, published

@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    """The demo tables from the processed store when it holds the synthetic demo, else read from
    the committed raw demo files."""
    from fouress_eval.store import load_manifest, load_table

    processed = ROOT / "data_processed" / "fouress"
    try:
        if load_manifest(processed).get("synthetic") is True:
            return {name: load_table(name, processed) for name in ("absence_monthly", "clinic_sicklistings")}
    except Exception:  # noqa: BLE001 - not prepared: fall back to the raw demo
        pass
    from fouress_eval.io import read_source

    frames: dict[str, list[pd.DataFrame]] = {}
    for path in sorted((ROOT / "data_raw" / "demo").iterdir()):
        if path.name in ("README.md", "_synthetic.json") or path.is_dir():  # qual/ is the interview corpus
            continue
        source, frame = read_source(path)
        frames.setdefault(source.table, []).append(frame)
    return {name: pd.concat(frames[name], ignore_index=True) for name in ("absence_monthly", "clinic_sicklistings")}


# DESIGN.md section 3: sick leave (% of scheduled hours), baseline (Aug 2016) -> autumn 2019
PUBLISHED_SICK_PCT = {"0834": (7.8, 5.8), "0781": (6.8, 6.4), "0884": (7.1, 7.0)}
# DESIGN.md section 3: F+M sick-listings per listed, index October 2019 vs January 2016 (whole per cent)
PUBLISHED_CLINIC_INDEX = {"0781": -49, "0884": -21, "0834": 1}


def test_demo_reproduces_published_sick_leave(demo):
    out = baseline_comparison(demo["absence_monthly"], "2016-08", ("2019-09", "2019-11")).set_index(
        "municipality_code")
    for code, (before, after) in PUBLISHED_SICK_PCT.items():
        assert round(out.loc[code, "baseline_sick_pct"], 1) == pytest.approx(before), code
        assert round(out.loc[code, "follow_up_sick_pct"], 1) == pytest.approx(after), code
        assert out.loc[code, "baseline_months"] == 1 and out.loc[code, "follow_up_months"] == 3
    assert round(out.loc["0834", "change_pp"], 1) == pytest.approx(-2.0)
    monthly = sick_pct(demo["absence_monthly"], "municipality_code", "month")
    august = change_from_baseline(monthly, "2016-08").set_index(["municipality_code", "month"])
    assert august.loc[("0834", M("2016-08")), "change_pp"] == 0


def test_demo_reproduces_published_clinic_index(demo):
    rates = clinic_rate(demo["clinic_sicklistings"], ("F", "M"), "municipality_code")
    index = index_vs_base(rates, "2016-01").set_index(["municipality_code", "month"])
    for code, published in PUBLISHED_CLINIC_INDEX.items():
        assert round(index.loc[(code, M("2019-10")), "index_pct"]) == published, code
    assert index.loc[("0781", M("2019-10")), "clinics"] == 2  # Ljungby's two centres combined


def test_demo_key_figures_shape(demo):
    out = key_figures(demo["absence_monthly"], 2019)
    assert set(PUBLISHED_SICK_PCT) <= set(out["municipality_code"])
    shown = out[["NT1", "NT2", "NT3", "NT4"]]
    assert ((shown > 0) & (shown < 100)).all().all()


# -------------------------------------------------------------------------------------- plots

@pytest.mark.parametrize("language, word", [("sv", "Sjukfrånvaro"), ("en", "Sick leave")])
def test_sick_leave_series_plot(demo, language, word):
    from fouress_eval.plots.absence import sick_leave_series

    ax = sick_leave_series(demo["absence_monthly"], municipalities=["0781", "0834", "0884"], language=language)
    assert isinstance(ax, plt.Axes)
    assert word in ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("Torsås" in t for t in legend)
    assert any(("aug 2016" if language == "sv" else "Aug 2016") in t for t in legend)
    plt.close(ax.figure)
    ax = sick_leave_series(demo["absence_monthly"], municipalities=["0834"], rolling=True, intervention=None,
                           language=language)
    assert "12" in ax.get_ylabel()
    plt.close(ax.figure)


@pytest.mark.parametrize("language, word", [("sv", "jan 2016"), ("en", "Jan 2016")])
def test_index_plot(demo, language, word):
    from fouress_eval.plots.absence import index_plot

    ax = index_plot(demo["clinic_sicklistings"], "2016-01", language=language)
    assert isinstance(ax, plt.Axes)
    assert word in ax.get_ylabel()
    assert ("Sjukskrivningar" if language == "sv" else "Sick-listings") in ax.get_title()
    assert len(ax.get_lines()) >= 3
    plt.close(ax.figure)
