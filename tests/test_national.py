"""National scale: every municipality fitted, the treated ones ranked (placebo in space), the funnel."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import papermill as pm  # noqa: E402
import pytest  # noqa: E402

from fouress_eval.errors import InputError  # noqa: E402
from fouress_eval.its import placebo_in_space  # noqa: E402
from fouress_eval.municipalities import municipalities  # noqa: E402
from fouress_eval.national import funnel_limits, rank_municipalities  # noqa: E402
from fouress_eval.sickness import monthly_sick_pct  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "20_national_its.ipynb"
MONTHS = pd.period_range("2014-01", "2019-12", freq="M")  # 72 months
START = pd.Period("2017-02", "M")
INTERVENTIONS = [str(START)]  # the common start month, passed explicitly (no default)
CODES = municipalities()["municipality_code"].tolist()


def _hours(n_units: int, *, seed: int, effects: dict | None = None, rho: float = 0.5) -> pd.DataFrame:
    """Monthly hours for the first ``n_units`` municipality codes: sick % = trend + season + AR(1)
    noise (+ a slope change of ``effects[code]`` points per month from 2017-02), in hours."""
    rng = np.random.default_rng(seed)
    codes = CODES[:n_units]
    n = len(MONTHS)
    noise = np.zeros((n, n_units))
    shocks = rng.normal(scale=0.25, size=(n, n_units))
    for i in range(n):
        noise[i] = (rho * noise[i - 1] if i else 0.0) + shocks[i]
    t = np.arange(n)[:, None]
    since = np.maximum(0, (MONTHS - START).map(lambda d: d.n).to_numpy())[:, None]
    slope = np.array([(effects or {}).get(c, 0.0) for c in codes])[None, :]
    level = rng.uniform(4.5, 8.0, size=n_units)[None, :]
    season = 0.6 * np.sin(2 * np.pi * MONTHS.month.to_numpy() / 12)[:, None]
    pct = level + 0.005 * t + season + slope * since + noise
    scheduled = np.broadcast_to(rng.uniform(3e4, 1.5e6, size=n_units)[None, :], (n, n_units))
    return pd.DataFrame({"municipality_code": np.tile(codes, n), "month": np.repeat(MONTHS, n_units),
                         "scheduled_hours": scheduled.ravel(), "sick_hours": (scheduled * pct / 100).ravel()})


@pytest.fixture(scope="module")
def effect_hours() -> pd.DataFrame:
    return _hours(60, seed=11, effects={CODES[7]: -0.12})


@pytest.fixture(scope="module")
def null_hours() -> pd.DataFrame:
    return _hours(60, seed=5)


def test_treated_with_a_large_slope_change_ranks_first(effect_hours):
    treated = CODES[7]
    ranking = rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[treated])
    assert ranking.failed.empty and ranking.n_units == 60 and ranking.n_controls == 59
    effects = ranking.effects.set_index("municipality_code")
    assert effects.loc[treated, "treated"] and effects["treated"].sum() == 1
    # by hand: p = #{|s_j| >= |s_treated|} / n over the 59 controls and the treated unit itself
    s = effects["estimate"]
    own = s[treated]
    p_hand = (np.abs(s) >= abs(own)).sum() / len(s)
    test = ranking.tests.set_index("municipality_code").loc[treated]
    assert test["rank"] == 1 and test["n"] == 60
    assert test["p_value"] == pytest.approx(1 / 60) == pytest.approx(p_hand)
    assert test["estimate"] == pytest.approx(-0.12, abs=0.03)
    assert effects.loc[treated, "rank"] == 1
    assert not effects.loc[treated, "in_funnel"]
    assert list(ranking.effects.columns[:10]) == ["municipality_code", "name", "county", "estimate", "ci_low",
                                                  "ci_high", "std_error", "size", "treated", "rank"]
    # the same numbers as its.placebo_in_space on the same monthly series (the shared convention)
    series = monthly_sick_pct(effect_hours)
    direct = placebo_in_space(series, "municipality_code", treated, outcome="sick_pct", time="month",
                              interventions=["2017-02"], term="slope_change", method="ols", seasonality=2)
    assert direct.p_value == pytest.approx(test["p_value"]) and direct.rank == test["rank"]
    # sizes are mean scheduled hours per month, the names come from the municipality register
    assert effects.loc[CODES[0], "size"] == pytest.approx(
        effect_hours.loc[effect_hours["municipality_code"] == CODES[0], "scheduled_hours"].mean())
    assert effects.loc[CODES[0], "name"] == municipalities().set_index("municipality_code").loc[CODES[0],
                                                                                                "municipality_name"]


def test_t_statistic_and_several_treated(effect_hours):
    treated = [CODES[7], CODES[20], CODES[30]]
    ranking = rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=treated, statistic="t",
                                  term="slope_change")
    tests = ranking.tests.set_index("municipality_code")
    assert list(tests["n"]) == [58, 58, 58]  # each treated against the 57 non-treated, plus itself
    assert tests.loc[CODES[7], "rank"] == 1
    effects = ranking.effects.set_index("municipality_code")
    np.testing.assert_allclose(effects["statistic"], effects["estimate"] / effects["std_error"])
    level = rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=treated, term="level_change")
    assert set(level.tests["municipality_code"]) == set(treated)


def test_no_effect_anywhere_gives_no_small_p(null_hours):
    ranking = rank_municipalities(null_hours, interventions=INTERVENTIONS, treated=[CODES[3]])
    p = float(ranking.tests["p_value"].iloc[0])
    assert p > 0.1
    assert ranking.tests["rank"].iloc[0] > 6


def test_funnel_limits_hold_about_95_percent_without_effects(null_hours):
    ranking = rank_municipalities(null_hours, interventions=INTERVENTIONS, treated=[CODES[3]])
    controls = ranking.effects[~ranking.effects["treated"]]
    assert controls["in_funnel"].mean() >= 0.85
    # OLS standard errors ignore the AR(1) noise, so the spread exceeds them: the limits are widened
    assert ranking.dispersion > 1.5
    # limits as documented: pooled inverse-variance mean of the controls ± 1.96·√(φ)·se
    w = 1 / controls["std_error"] ** 2
    assert ranking.pooled == pytest.approx((w * controls["estimate"]).sum() / w.sum())
    low, high = ranking.limits(controls["precision"])
    expected_low, _ = funnel_limits(ranking.pooled, controls["std_error"], dispersion=ranking.dispersion)
    np.testing.assert_allclose(low, expected_low)
    assert (np.asarray(high) - ranking.pooled) == pytest.approx(1.959964 * np.sqrt(ranking.dispersion)
                                                                * controls["std_error"].to_numpy(), rel=1e-6)
    raw = rank_municipalities(null_hours, interventions=INTERVENTIONS, treated=[CODES[3]], overdispersion=None)
    assert raw.dispersion == 1.0 and raw.effects["in_funnel"].mean() < controls["in_funnel"].mean()
    additive = rank_municipalities(null_hours, interventions=INTERVENTIONS, treated=[CODES[3]],
                                   overdispersion="additive")
    assert additive.tau2 > 0 and additive.effects.loc[~additive.effects["treated"], "in_funnel"].mean() >= 0.85
    # the size axis: se ≈ c/√size
    sizes = np.array([1e5, 4e5])
    low, high = ranking.limits(sizes, axis="size")
    assert (high - ranking.pooled)[0] == pytest.approx(2 * (high - ranking.pooled)[1])


def test_missing_months_land_in_failed_without_aborting(effect_hours):
    gap, treated_gap = CODES[12], CODES[20]
    drop = ((effect_hours["municipality_code"] == gap) & effect_hours["month"].isin(MONTHS[30:33])) | (
        (effect_hours["municipality_code"] == treated_gap) & (effect_hours["month"] == MONTHS[40]))
    hours = effect_hours[~drop]
    # 2584 Kiruna: no hours
    ranking = rank_municipalities(hours, interventions=INTERVENTIONS, treated=[CODES[7], treated_gap, "2584"])
    failed = ranking.failed.set_index("municipality_code")
    assert set(failed.index) == {gap, treated_gap, "2584"}
    assert "missing" in failed.loc[gap, "error"] and not failed.loc[gap, "treated"]
    assert failed.loc[treated_gap, "treated"] and failed.loc["2584", "treated"]
    assert "no personnel hours" in failed.loc["2584", "error"]
    assert gap not in set(ranking.effects["municipality_code"])
    tests = ranking.tests.set_index("municipality_code")
    assert list(tests.index) == [CODES[7]]
    assert tests.loc[CODES[7], "n"] == 58 and tests.loc[CODES[7], "p_value"] == pytest.approx(1 / 58)
    table = ranking.failed_table("en")
    assert list(table.columns) == ["Municipality", "Project municipality", "Reason"] and len(table) == 3
    with pytest.raises(InputError, match="none of the treated"):
        rank_municipalities(hours, interventions=INTERVENTIONS, treated=[treated_gap])


def test_input_errors(effect_hours):
    with pytest.raises(InputError, match="method"):
        rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[CODES[7]], method="poisson")
    with pytest.raises(InputError, match="term"):
        rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[CODES[7]], term="trend")
    with pytest.raises(InputError, match="statistic"):
        rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[CODES[7]], statistic="z")
    with pytest.raises(InputError, match="municipality"):
        rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=["9999"])
    with pytest.raises(TypeError, match="interventions"):
        rank_municipalities(effect_hours, treated=[CODES[7]])  # the start month has no default
    with pytest.raises(InputError, match="no treated municipality") as caught:
        rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[])
    assert not {"0781", "0834", "0884"} & set(re.findall(r"\d{4}", str(caught.value)))  # a neutral example


def test_290_municipalities_are_quick():
    hours = _hours(290, seed=3, effects={"0834": -0.1})
    began = time.perf_counter()
    ranking = rank_municipalities(hours, interventions=INTERVENTIONS, treated=["0781", "0834", "0884"],
                                  method="newey-west")
    assert time.perf_counter() - began < 5  # vectorised: typically ~0.1 s
    assert ranking.n_units == 290
    assert ranking.tests.set_index("municipality_code").loc["0834", "p_value"] == pytest.approx(1 / 288)


def test_summary_plots_and_key_results(effect_hours):
    ranking = rank_municipalities(effect_hours.loc[effect_hours["municipality_code"].isin(CODES[:12])],
                                  interventions=INTERVENTIONS, treated=[CODES[7]])
    sv, en = ranking.summary(), ranking.summary("en")
    assert "rang 1 av 12" in sv and "1/12" in sv and "5 %-nivån" in sv  # small n is stated
    assert "rank 1 of 12" in en and "cannot show an effect at the 5 % level" in en
    big = rank_municipalities(effect_hours, interventions=INTERVENTIONS, treated=[CODES[7]])
    assert "1/60" in big.summary("en") and "cannot show" not in big.summary("en")
    ax = ranking.plot_caterpillar()
    name = ranking.tests["name"].iloc[0]
    assert name in [t.get_text() for t in ax.texts]
    assert "Trendförändring" in ax.get_ylabel()
    funnel = big.plot_funnel(language="en")
    assert funnel.get_xlabel().startswith("Precision") and name in [t.get_text() for t in funnel.texts]
    assert big.plot_funnel(axis="size").get_xscale() == "log"
    plt.close("all")
    keys = ranking.key_results()
    json.dumps(keys, allow_nan=False)
    assert keys["treated"][0]["rank"] == 1 and keys["n_units"] == 12


def _prepared(tmp_path: Path) -> Path:
    processed = ROOT / "data_processed" / "fouress"
    if (processed / "manifest.json").exists() and (processed / "absence_monthly.parquet").exists():
        return processed
    from fouress_eval.store import prepare

    target = tmp_path / "processed"
    prepare(ROOT / "data_raw" / "demo", target, secret=b"x")
    return target


def test_notebook_runs_on_the_demo(tmp_path):
    data = _prepared(tmp_path)
    out, reports = tmp_path / "20_national_its.ipynb", tmp_path / "reports"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", progress_bar=False,
                        cwd=str(ROOT / "notebooks"), parameters={"data_dir": str(data), "out_dir": str(reports)})
    executed = nbformat.read(str(out), as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    heading = next(i for i, c in enumerate(executed.cells)
                   if any("## Effekten i varje kommun" in str(o.get("data", {}).get("text/markdown", ""))
                          for o in c.get("outputs", [])))
    assert any("image/png" in o.get("data", {}) for o in executed.cells[heading].outputs)
    markdown = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Alla kommuner i data" in markdown and "Torsås" in markdown
    assert "kan p aldrig bli lägre än 1/" in markdown  # the demo's 13 municipalities: small n is said
    keys = json.loads((reports / "20_national_its.json").read_text(encoding="utf-8"))
    assert {t["municipality_code"] for t in keys["treated"]} == {"0781", "0834", "0884"}
    assert (reports / "tables" / "20_national_its" / "ranks.csv").exists()
    assert (reports / "figures" / "20_national_its" / "caterpillar.png").exists()
