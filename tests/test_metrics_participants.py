"""Participant metrics: Kaplan–Meier against hand and textbook values, and the published figures.

The demo figures are typed in from DESIGN.md section 3 (the 4-Ess final report), never imported
from the demo generator, so that a change to the generator cannot move the goal posts.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from fouress_eval.errors import InputError  # noqa: E402
from fouress_eval.labels import label  # noqa: E402
from fouress_eval.metrics import participants as mp  # noqa: E402
from fouress_eval.evaluation import load_evaluation
from fouress_eval.metrics.targets import (  # noqa: E402
    read_targets, targets_vs_outcomes, write_targets)
from fouress_eval.store import load_table, prepare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CUTOFF = pd.Timestamp("2019-10-31")


# ----------------------------------------------------------------------------------- helpers

def episodes(times: list[float], events: list[int], **columns: list) -> pd.DataFrame:
    """Episodes with the given durations: an event closes on salary after ``time`` days; a
    censored one is still ongoing at CUTOFF, having started ``time`` days before it."""
    rows = []
    for number, (time, event) in enumerate(zip(times, events)):
        if event:
            start = CUTOFF - pd.Timedelta(days=1000)
            rows.append((start, start + pd.Timedelta(days=time), "salary", "ordinary_work"))
        else:
            rows.append((CUTOFF - pd.Timedelta(days=time), pd.NaT, None, None))
    frame = pd.DataFrame(rows, columns=["start_date", "end_date", "exit_compensation", "exit_reason"])
    frame.insert(0, "participant_id", [f"P-{i:03d}" for i in range(len(rows))])
    frame["municipality_code"], frame["sex"] = "0834", "K"
    frame["entry_compensation"] = "full_time_sick_leave"
    for name, values in columns.items():
        frame[name] = values
    return frame


# Hand example, n = 10, "+" = censored: 2, 3, 3, 3+, 5, 6+, 7, 7, 9+, 10.
#   t   n at risk  d   S(t)
#   2      10      1   9/10                 = 0.9
#   3       9      2   0.9 · 7/9            = 0.7      (3+ is still at risk at 3: censoring after events)
#   5       6      1   0.7 · 5/6            = 0.583333
#   7       4      2   0.583333 · 2/4       = 0.291667 (6+ left the risk set)
#  10       1      1   0                               (9+ left the risk set)
# Greenwood at t = 5: S² · (1/(10·9) + 2/(9·7) + 1/(6·5)) = 0.340278 · 0.0761905 = 0.0259259,
# se = 0.161015. Median: first t with S(t) < 0.5 (statsmodels/SAS; R's S(t) ≤ 0.5 agrees here) = 7.
HAND_TIMES = [2, 3, 3, 3, 5, 6, 7, 7, 9, 10]
HAND_EVENTS = [1, 1, 1, 0, 1, 0, 1, 1, 0, 1]


def test_kaplan_meier_by_hand_with_ties_and_censoring():
    result = mp.time_to_return(episodes(HAND_TIMES, HAND_EVENTS), cutoff=CUTOFF)
    table = result.table.set_index("time")
    assert list(table.index) == [0, 2, 3, 5, 6, 7, 9, 10]
    assert table["at_risk"].tolist() == [10, 10, 9, 6, 5, 4, 2, 1]
    assert table["events"].tolist() == [0, 1, 2, 1, 0, 2, 0, 1]
    assert table["censored"].tolist() == [0, 0, 1, 0, 1, 0, 1, 0]
    expected = [1, 0.9, 0.7, 0.7 * 5 / 6, 0.7 * 5 / 6, 0.7 * 5 / 6 * 2 / 4, 0.7 * 5 / 6 * 2 / 4, 0.0]
    np.testing.assert_allclose(table["survival"], expected, atol=1e-12)
    fit = result.survfuncs["all"]
    se5 = fit.surv_prob_se[list(fit.surv_times).index(5)]
    assert se5 == pytest.approx(math.sqrt((0.7 * 5 / 6) ** 2 * (1 / 90 + 2 / 63 + 1 / 30)), rel=1e-9)
    # log(-log) interval at t = 5, by hand
    s, z = 0.7 * 5 / 6, stats.norm.ppf(0.975)
    sigma = se5 / (s * abs(math.log(s)))
    assert table.loc[5, "ci_low"] == pytest.approx(s ** math.exp(z * sigma))
    assert table.loc[5, "ci_high"] == pytest.approx(s ** math.exp(-z * sigma))
    assert table.loc[0, ["ci_low", "ci_high"]].tolist() == [1.0, 1.0]
    assert np.isnan(table.loc[10, "ci_low"])  # S = 0: no log(-log) interval
    assert result.medians.loc[0, "median"] == 7
    assert result.medians.loc[0, "n"] == 10 and result.medians.loc[0, "events"] == 7


def test_median_and_interval_sanity():
    result = mp.time_to_return(episodes(HAND_TIMES, HAND_EVENTS), cutoff=CUTOFF)
    row = result.medians.iloc[0]
    assert row["ci_low"] <= row["median"]
    assert np.isnan(row["ci_high"]) or row["ci_high"] >= row["median"]
    table = result.table
    assert (table["ci_low"].dropna() <= table["survival"][table["ci_low"].notna()] + 1e-12).all()
    assert (table["ci_high"].dropna() >= table["survival"][table["ci_high"].notna()] - 1e-12).all()
    assert (np.diff(table["survival"]) <= 0).all()
    # median not reached: fewer than half returned
    few = mp.time_to_return(episodes([5, 8, 9, 10, 12], [1, 0, 0, 0, 0]), cutoff=CUTOFF)
    assert np.isnan(few.medians.loc[0, "median"])
    # a wider interval at a lower confidence level is impossible
    narrow = mp.time_to_return(episodes(HAND_TIMES, HAND_EVENTS), cutoff=CUTOFF, alpha=0.5).table
    inner = table["ci_low"].notna() & (table["survival"] < 1)
    assert (narrow["ci_low"][inner] >= table["ci_low"][inner]).all()


def test_survival_at_days_is_the_step_function_and_nan_beyond_follow_up():
    result = mp.time_to_return(episodes(HAND_TIMES, HAND_EVENTS), cutoff=CUTOFF, days=(1, 4, 7, 8, 11))
    at = result.at_days.set_index("days")["survival"]
    assert at[1] == 1 and at[4] == pytest.approx(0.7) and at[7] == pytest.approx(0.7 * 5 / 6 / 2)
    assert at[8] == pytest.approx(0.7 * 5 / 6 / 2)
    assert np.isnan(at[11])


# Gehan (1965) leukaemia remission weeks, 6-MP vs placebo (Freireich et al. 1963); "+" censored.
SIX_MP = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def test_textbook_six_mp_kaplan_meier_and_logrank():
    frame = episodes(SIX_MP + PLACEBO, SIX_MP_EVENT + [1] * len(PLACEBO),
                     arm=["6-MP"] * len(SIX_MP) + ["placebo"] * len(PLACEBO))
    result = mp.time_to_return(frame, by="arm", cutoff=CUTOFF)
    # Kleinbaum & Klein, Survival Analysis (3rd ed.), KM of the 6-MP group
    table = result.table[result.table["group"] == "6-MP"].set_index("time")["survival"]
    for week, surv in {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}.items():
        assert table[week] == pytest.approx(surv, abs=5e-4)
    medians = result.medians.set_index("group")["median"]
    assert medians["6-MP"] == 23 and medians["placebo"] == 8
    # R: survdiff(Surv(time, cens) ~ treat, data = MASS::gehan) gives Chisq = 16.8 on 1 df
    assert result.logrank["statistic"] == pytest.approx(16.793, abs=1e-3)
    assert result.logrank["df"] == 1
    assert result.logrank["p"] == pytest.approx(4.17e-5, rel=0.01)


def test_logrank_by_hand():
    # A: 1, 3, 4+   B: 2, 3, 5.  Per event time: n, d, E_A = d·n_A/n, V = d·(n_A/n)(1 − n_A/n)(n − d)/(n − 1)
    #   t=1: n=6 (3/3), d=1, O_A=1, E_A=0.5, V=0.25
    #   t=2: n=5 (2/3), d=1, O_A=0, E_A=0.4, V=0.24
    #   t=3: n=4 (2/2), d=2, O_A=1, E_A=1.0, V=2·0.25·2/3 = 1/3
    #   t=5: n=1 (0/1), d=1, O_A=0, E_A=0,   V=0
    # O − E = 0.1, V = 0.823333, chi² = 0.01 / 0.823333 = 0.0121457
    frame = episodes([1, 3, 4, 2, 3, 5], [1, 1, 0, 1, 1, 1], arm=list("AAABBB"))
    result = mp.time_to_return(frame, by="arm", cutoff=CUTOFF)
    assert result.logrank["statistic"] == pytest.approx(0.01 / (0.25 + 0.24 + 1 / 3), rel=1e-9)
    assert result.logrank["p"] == pytest.approx(stats.chi2.sf(0.01 / (0.25 + 0.24 + 1 / 3), 1))
    assert mp.time_to_return(frame, cutoff=CUTOFF).logrank is None


def test_cumulative_incidence_is_one_minus_km_without_competing_exits():
    result = mp.time_to_return(episodes(HAND_TIMES, HAND_EVENTS), cutoff=CUTOFF)
    cif = result.cumulative_incidence
    assert set(cif["cause"]) == {"return"}
    km = result.table.set_index("time")["survival"]
    for _, row in cif.iterrows():
        assert row["incidence"] == pytest.approx(1 - km[row["time"]], abs=1e-12)


def test_event_definitions_and_censoring_at_the_cutoff():
    frame = pd.DataFrame({
        "participant_id": ["a", "b", "c", "d", "e", "f", "g"],
        "municipality_code": "0781", "sex": "K", "entry_compensation": "full_time_sick_leave",
        "start_date": pd.to_datetime(["2019-01-01"] * 6 + ["2019-11-15"]),
        "end_date": pd.to_datetime(["2019-02-01", "2019-03-01", "2019-04-01", "2019-05-01", None,
                                    "2019-12-01", None]),
        "exit_compensation": ["salary", "part_time_sick_leave", "salary", "full_time_sick_leave", None,
                              "salary", None],
        "exit_reason": ["ordinary_work", "ordinary_work", "left_employer", "medical_obstacle", None,
                        "ordinary_work", None],
    })
    salary = mp.episode_durations(frame, "salary", cutoff=CUTOFF).set_index("participant_id")
    assert "g" not in salary.index  # starts after the cut-off
    assert salary.loc["a", "time_days"] == 31
    assert salary.loc["e", "time_days"] == salary.loc["f", "time_days"] == (CUTOFF - pd.Timestamp("2019-01-01")).days
    assert salary["outcome"].to_dict() == {"a": "event", "b": "censored_exit", "c": "event", "d": "competing",
                                           "e": "ongoing", "f": "ongoing"}
    work = mp.episode_durations(frame, "work", cutoff=CUTOFF).set_index("participant_id")
    assert work["outcome"].to_dict() == {"a": "event", "b": "event", "c": "competing", "d": "competing",
                                         "e": "ongoing", "f": "ongoing"}
    anyexit = mp.episode_durations(frame, "exit", cutoff=CUTOFF)
    assert (anyexit["status"] == 1).sum() == 4
    # competing exits are censored in the KM estimate, separated in the cumulative incidence
    result = mp.time_to_return(frame, cutoff=CUTOFF, event="work")
    assert result.medians.loc[0, "events"] == 2
    assert set(result.cumulative_incidence["cause"]) == {"return", "competing"}
    # default cut-off comes from the settings
    assert mp.time_to_return(frame).cutoff == CUTOFF
    with pytest.raises(InputError, match="unknown event"):
        mp.time_to_return(frame, event="recovered")


def test_closed_episode_without_exit_data_is_refused():
    frame = episodes([5, 6], [1, 1])
    frame.loc[1, "exit_compensation"] = None
    with pytest.raises(InputError, match="no exit compensation"):
        mp.time_to_return(frame, cutoff=CUTOFF)
    with pytest.raises(InputError, match="no exit compensation"):
        mp.compensation_transitions(frame)


def test_inflow_and_active_at_conventions():
    frame = episodes([10, 20, 30], [1, 0, 0])
    frame["start_date"] = pd.to_datetime(["2019-01-15", "2019-03-02", "2019-03-31"])
    frame["end_date"] = pd.to_datetime(["2019-03-31", None, None])
    monthly = mp.inflow(frame, "M", by=None)
    assert monthly["inflow"].tolist() == [1, 0, 2]  # Jan, Feb (none), Mar
    assert str(monthly["period"].iloc[0]) == "2019-01"
    active = mp.active_at(frame, ["2019-03-31", "2019-04-01"], by=None)
    assert active["active"].tolist() == [3, 2]  # the episode ending on 31 March counts that day
    with pytest.raises(InputError, match="period"):
        mp.inflow(frame, "W")
    with pytest.raises(InputError, match="cannot split"):
        mp.inflow(frame, "M", by="age")


def test_meetings_count_participants_without_meetings_as_zero():
    frame = episodes([10, 20, 30], [1, 1, 1])
    meetings = pd.DataFrame({"participant_id": ["P-000", "P-000", "P-001", "P-001", "Z"],
                             "meeting_type": ["follow_up", "follow_up", "follow_up", "three_party", "follow_up"]})
    counts = mp.meetings_per_participant(meetings, frame, by=None, meeting_type="follow_up")
    assert counts.summary.loc[0, ["participants", "meetings", "mean", "median"]].tolist() == [3, 3, 1.0, 1.0]
    assert counts.distribution["participants"].tolist() == [1, 1, 1]  # 0, 1, 2 meetings
    every = mp.meetings_per_participant(meetings, frame, by=None)
    assert every.summary.loc[0, "meetings"] == 4
    with pytest.raises(InputError, match="meeting type"):
        mp.meetings_per_participant(meetings, frame, meeting_type="lunch")


# ------------------------------------------------------------------------------- demo figures

@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    demo_dir = ROOT / "data_raw" / "demo"
    if not demo_dir.is_dir():
        pytest.skip("data_raw/demo is absent")
    raw = tmp_path_factory.mktemp("raw")  # only the register and the meeting log: a faster prepare
    for name in ("deltagare.xlsx", "moten.csv"):
        shutil.copy2(demo_dir / name, raw / name)
    out = tmp_path_factory.mktemp("processed")
    prepare(raw, out, secret=b"test-secret")
    return load_table("participants", out), load_table("meetings", out)


def test_demo_participants_and_inflow(demo):
    participants, _ = demo
    assert len(participants) == 103
    by_municipality = mp.inflow(participants, "Y", by="municipality_code").groupby("municipality_code")["inflow"].sum()
    assert by_municipality.to_dict() == {"0781": 35, "0834": 37, "0884": 31}  # Ljungby, Torsås, Vimmerby
    yearly = mp.inflow(participants, "Y", by=None)
    assert dict(zip(yearly["period"].astype(str), yearly["inflow"])) == {"2017": 11, "2018": 45, "2019": 47}
    quarterly = mp.inflow(participants, "Q")
    assert quarterly["inflow"].sum() == 103
    assert set(quarterly.columns) == {"municipality_code", "sex", "period", "inflow"}
    assert len(quarterly) == 3 * 2 * quarterly["period"].nunique()  # every group in every quarter


def test_demo_closed_and_ongoing_at_cutoff(demo):
    participants, _ = demo
    assert participants["end_date"].notna().sum() == 76
    assert mp.active_at(participants, CUTOFF, by=None)["active"].item() == 27
    result = mp.time_to_return(participants)
    outcomes = result.episodes["outcome"].value_counts()
    assert outcomes["ongoing"] == 27
    assert outcomes["event"] == 41  # 54 % of 76 fully back on salary


def test_demo_compensation_shares(demo):
    participants, _ = demo
    shares = mp.compensation_shares(participants).set_index(["stage", "compensation"])
    entry = shares.loc["entry"]
    assert entry["count"].sum() == 103
    assert entry["share_pct"].round().to_dict() == {"repeated_short_term_absence": 38, "sick_pay_days_1_14": 1,
                                                    "part_time_sick_leave": 17, "full_time_sick_leave": 44}
    exit_ = shares.loc["exit"]
    assert exit_["count"].sum() == 76
    assert exit_["share_pct"].round().to_dict() == {"salary": 54, "full_time_sick_leave": 9,
                                                    "part_time_sick_leave": 37}
    transitions = mp.compensation_transitions(participants, margins=True)
    assert transitions.loc["total", "total"] == 76
    assert transitions.loc["total", "salary"] == exit_.loc["salary", "count"]


def test_demo_exit_reasons(demo):
    participants, _ = demo
    reasons = mp.exit_reasons(participants).set_index("exit_reason")
    assert reasons["count"].sum() == 76
    assert reasons["share_pct"].round().to_dict() == {"ordinary_work": 79, "other_work_same_employer": 5,
                                                      "medical_obstacle": 1, "left_employer": 11, "other": 4}
    by_sex = mp.exit_reasons(participants, by="sex")
    assert by_sex["count"].sum() == 76
    np.testing.assert_allclose(by_sex.groupby("sex")["share_pct"].sum(), 100)


def test_demo_follow_up_meetings(demo):
    participants, meetings = demo
    counts = mp.meetings_per_participant(meetings, participants, by="municipality_code", meeting_type="follow_up")
    assert counts.summary.set_index("municipality_code")["meetings"].to_dict() == {"0781": 106, "0834": 41,
                                                                                    "0884": 50}
    total = mp.meetings_per_participant(meetings, participants, by=None, meeting_type="follow_up")
    assert total.summary.loc[0, "meetings"] == 197
    assert round(total.summary.loc[0, "mean"], 1) == 1.9
    assert total.distribution["participants"].sum() == 103
    assert (total.distribution["n_meetings"] * total.distribution["participants"]).sum() == 197


def test_demo_time_to_return_by_municipality(demo):
    participants, _ = demo
    result = mp.time_to_return(participants, by="municipality_code", event="work")
    assert result.logrank["df"] == 2 and 0 <= result.logrank["p"] <= 1
    assert set(result.medians["group"]) == {"0781", "0834", "0884"}
    estimable = result.medians.dropna(subset=["median", "ci_low"])
    assert (estimable["ci_low"] <= estimable["median"]).all()
    summary = result.summary()
    assert summary["n"].sum() == 103 and {"S_90", "S_180", "S_365"} <= set(summary.columns)


def test_demo_targets_vs_outcomes_and_yaml_round_trip(demo, tmp_path):
    participants, meetings = demo
    DEMO_TARGETS = load_evaluation("fouress", root=ROOT).indicator_targets()  # evaluations/fouress.yml
    assert DEMO_TARGETS["participants"] == 200  # the ESF application (DESIGN.md section 3)
    assert DEMO_TARGETS["participants_women"] + DEMO_TARGETS["participants_men"] == 200
    path = write_targets(tmp_path / "targets.yaml", DEMO_TARGETS)
    assert read_targets(path) == {k: float(v) for k, v in DEMO_TARGETS.items()}
    table = targets_vs_outcomes(read_targets(path), participants, meetings).set_index("indicator")
    assert table.loc["participants", "outcome"] == 103
    assert table.loc["participants", "attainment"] == pytest.approx(103 / 200)
    assert table.loc["participants_women", "outcome"] + table.loc["participants_men", "outcome"] == 103
    assert table.loc["salary_at_exit_pct", "outcome"] == pytest.approx(100 * 41 / 76)
    assert table.loc["follow_up_per_participant", "outcome"] == pytest.approx(197 / 103)
    assert np.isnan(targets_vs_outcomes({"follow_up_per_participant": 2}, participants)["outcome"].item())


@pytest.mark.parametrize("text, message", [
    ("participants: 200\nhappiness: 5\n", "unknown target indicator"),
    ("participants: many\n", "must be a number"),
    ("participants: true\n", "must be a number"),
    ("back_in_work_pct: 120\n", "cannot exceed 100"),
    ("participants: -3\n", "must be positive"),
    ("- participants\n", "must be a mapping"),
    ("participants: [200\n", "not valid YAML"),
    ("", "empty"),
])
def test_targets_file_validation(tmp_path, text, message):
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_targets(path)
    assert "targets.yaml" in str(error.value)


def test_figures_draw_in_both_languages(demo):
    from fouress_eval.plots.participants import compensation_flow, km_plot, meeting_distribution
    participants, meetings = demo
    result = mp.time_to_return(participants, by="sex")
    for language in ("sv", "en"):
        ax = result.plot(language=language)
        assert ax.get_ylabel() == label("pp_not_returned", language)
        assert len(ax.get_lines()) >= 2
        ax = compensation_flow(mp.compensation_transitions(participants), language=language)
        assert ax.get_xlabel() == label("pp_share_of_closed_pct", language)
        assert any(t.get_text() == "n < 5" for t in ax.texts)  # the single sick-pay episode is hidden
        ax = meeting_distribution(mp.meetings_per_participant(meetings, participants, by="municipality_code",
                                                              meeting_type="follow_up"), language=language)
        assert ax.get_title() == label("pp_follow_up_title", language)
        plt.close("all")
    assert km_plot(mp.time_to_return(participants)).get_legend() is not None
    plt.close("all")


def test_every_code_and_indicator_has_a_report_label():
    from fouress_eval.metrics.targets import INDICATORS
    from fouress_eval.plots import participants as _  # noqa: F401  registers the labels
    keys = ([f"pp_comp_{c}" for c in (*mp.ENTRY_ORDER, *mp.EXIT_ORDER)]
            + [f"pp_reason_{r}" for r in mp.EXIT_REASON_ORDER]
            + [f"pp_event_{e}" for e in mp.EVENT_DEFINITIONS]
            + [f"pp_target_{k}" for k in INDICATORS])
    for key in keys:
        assert label(key, "sv") and label(key, "en"), key
