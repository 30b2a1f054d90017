"""The interrupted-time-series analysis of one site's outcome, as the ``01_sickness_its`` report tells it.

:func:`analyse_outcome` takes a monthly series from :func:`fouress_eval.outcomes.outcome_series`
(any source, any level: municipal employees' sick leave, sjukpenningtal per county, sick-listings
per health centre …), fits the controlled interrupted time series of one site against its
comparison units (one interruption, or several project phases), compares the estimators, runs
placebo tests in time and in space, and compares the baseline month with the follow-up window.
:func:`analyse_sickness` is the same for municipal employees' sick leave (% of scheduled hours,
from hours), with the baseline comparison pooled from hours. :func:`conclusion` and
:func:`key_numbers_text` (in :mod:`fouress_eval.its_text`, re-exported here) state the result in
plain language with its uncertainty, in Swedish (default) or English.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .clean import parse_month
from .errors import InputError
from .its import compare_methods, default_maxlags, fit_its, placebo_in_space, placebo_in_time
from .its.results import ALL, ITSResult
from .metrics.absence import baseline_comparison, sick_pct
from .municipalities import municipality_code, municipality_name
from .outcomes import outcome_series
from .sites import site_code, site_level, site_municipalities, site_name

__all__ = ["SicknessAnalysis", "analyse_sickness", "analyse_outcome", "outcome_baseline", "monthly_sick_pct",
           "conclusion", "number", "key_numbers_text", "unit_text", "HORIZONS", "MIN_PLACEBO_UNITS"]

HORIZONS = (12, 24)
MIN_PLACEBO_UNITS = 4  # comparison units needed before a placebo test in space is run
Text = str | Mapping[str, str]  # a text, or the same text per language {"sv": …, "en": …}

def monthly_sick_pct(hours: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Monthly sick leave (%) per municipality, recomputed from summed hours."""
    series = sick_pct(hours, by=["municipality_code"], period="month")
    if codes is not None:
        series = series[series["municipality_code"].isin(codes)]
    return series[["municipality_code", "month", "scheduled_hours", "sick_hours", "sick_pct"]].reset_index(drop=True)


@dataclass
class SicknessAnalysis:
    """Results of :func:`analyse_outcome` / :func:`analyse_sickness` (tidy tables plus the fitted ITS results).

    ``code`` is the site (municipality or county code, or a health centre's name); ``outcome`` the
    series' name (``sick_pct``, ``sjukpenningtal`` …), ``outcome_label`` its wording in text (None:
    a known outcome's default), ``unit`` its unit (``"%"``: changes in percentage points), ``level``
    the level of the units (``municipality``, ``county``, ``health_centre``).
    """

    code: str
    comparison: list[str]
    series: pd.DataFrame
    baseline: pd.DataFrame
    controlled: ITSResult
    single: ITSResult
    methods: pd.DataFrame
    placebo_time: pd.DataFrame
    placebo_space: object | None
    horizons: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    outcome: str = "sick_pct"
    outcome_label: Text | None = None
    unit: Text = "%"
    level: str = "municipality"

    def key_results(self) -> dict:
        """Machine-readable key numbers for the batch summary and the cross-site report.

        ``level_change``/``slope_change`` are those of the first interruption; with several
        (phases) ``interruptions`` lists every interruption's effects.
        """
        effects = self.controlled.effects
        first = effects[effects["interruption"] == effects["interruption"].iloc[0]].set_index("term")
        out = {"municipality_code": self.code if site_level(self.code) == "municipality" else None,
               "unit_code": self.code, "outcome": self.outcome, "unit": _plain_text(self.unit),
               "comparison": self.comparison, "method": self.controlled.method,
               "baseline": self.baseline.to_dict(orient="records")}
        for term in ("level_change", "slope_change"):
            out[term] = {k: float(first.loc[term, k]) for k in ("estimate", "ci_low", "ci_high", "p_value")}
        if effects["interruption"].nunique() > 1:
            out["interruptions"] = [{"interruption": str(r["interruption"]), "term": r["term"],
                                     **{k: float(r[k]) for k in ("estimate", "ci_low", "ci_high", "p_value")}}
                                    for r in effects.to_dict("records")]
        out["horizons"] = self.horizons.to_dict(orient="records")
        if self.placebo_space is not None:
            out["placebo_space_p"] = float(self.placebo_space.p_value)
        return out


def _plain_text(text: Text) -> str | dict:
    return text if isinstance(text, str) else dict(text)


# ------------------------------------------------------------------------------------- fitting
def _months(value: object, what: str) -> tuple[pd.Period, pd.Period]:
    """A month or an inclusive (first, last) pair of months."""
    pair = value if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2:
        raise InputError(f"the {what} must be a month or a (first, last) pair of months", value=value,
                         expected="e.g. '2018-05' or ('2018-05', '2018-07')")
    try:
        first, last = (parse_month(p) for p in pair)
    except InputError as error:
        raise InputError(f"the {what} is not a month", value=value, expected=error.expected) from None
    if last < first:
        raise InputError(f"the {what} ends before it starts", value=value, expected="(first, last) in time order")
    return first, last


def outcome_baseline(series: pd.DataFrame, code: str, baseline: object, follow_up: object) -> pd.DataFrame:
    """The site's value at the baseline month against the mean over the follow-up window.

    ``baseline`` and ``follow_up`` are a month or an inclusive (first, last) pair (the mean of the
    months with a value). One row: ``unit_code``, ``baseline_months``/``follow_up_months`` (months
    with a value), ``baseline_value``, ``follow_up_value`` (in the series' unit), ``change``
    (follow-up minus baseline, same unit; percentage points for a percentage) and ``change_pct``
    (relative change, per cent). Missing when the window has no value.
    """
    own = series[series["unit_code"].astype(str) == str(code)]
    months = pd.PeriodIndex(own["month"], freq="M")
    row: dict = {"unit_code": str(code)}
    for name, window in (("baseline", baseline), ("follow_up", follow_up)):
        first, last = _months(window, name.replace("_", "-") + " period")
        values = own.loc[np.asarray((months >= first) & (months <= last)), "value"].dropna()
        row[f"{name}_months"] = int(len(values))
        row[f"{name}_value"] = float(values.mean()) if len(values) else np.nan
    row["change"] = row["follow_up_value"] - row["baseline_value"]
    base = row["baseline_value"]
    row["change_pct"] = 100 * row["change"] / base if base and not math.isnan(base) else np.nan
    return pd.DataFrame([row])


def _find_unit(value: object, units: Sequence[str], what: str = "site") -> str:
    text = str(value)
    if text in units:
        return text
    try:
        code = site_code(value)
    except InputError:
        code = None
    if code in units:
        return code
    shown = ", ".join(f"{site_name(u)} ({u})" if site_level(u) != "other" else u for u in units[:20])
    raise InputError(f"the {what} is not in the outcome series", value=value,
                     expected="one of " + shown + (" …" if len(units) > 20 else ""))


def _excluded(exclude_units: Sequence[str], units: Sequence[str]) -> set[str]:
    """Units never used as comparisons: the given ones, the municipalities of a given county, and the
    county of a given municipality (a county holding a project municipality is partly treated)."""
    out: set[str] = set()
    for value in exclude_units:
        if str(value) in units and site_level(str(value)) == "other":
            out.add(str(value))
            continue
        code = site_code(value)
        out.add(code)
        if site_level(code) == "county":
            out.update(site_municipalities(code))
        else:
            out.add(code[:2])
    return out


def _fit(panel: pd.DataFrame, unit_col: str, outcome: str, code: str, comparison: list[str], *, interventions,
         method: str, seasonality, exclude, maxlags: int | None, rolling: bool | None) -> dict:
    """Controlled and single ITS, methods, placebos and horizons for one site of a panel."""
    treated = panel[panel[unit_col] == code]
    control = panel[panel[unit_col].isin(comparison)]
    if method == "newey-west" and maxlags is None:
        maxlags = default_maxlags(len(treated))  # Newey–West rule of thumb, stated in the methods table
    spec = dict(outcome=outcome, time="month", interventions=list(interventions), seasonality=seasonality,
                exclude=exclude)
    if rolling is not None:
        spec["rolling"] = rolling
    fit_options = {"maxlags": maxlags} if maxlags is not None else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        controlled = fit_its(treated, method=method, control=control, control_unit=unit_col, **spec, **fit_options)
        single = fit_its(treated, method=method, **spec, **fit_options)
        methods = compare_methods(treated, control=control, control_unit=unit_col, **spec, **fit_options)
        placebo_time = placebo_in_time(treated, shifts=[-6, -12, -18], method=method, **spec, **fit_options)
        placebo_space = None
        if len(comparison) >= MIN_PLACEBO_UNITS:
            placebo_space = placebo_in_space(panel, unit_col, code, method=method, term="slope_change", **spec,
                                             **fit_options)
    notes = [str(w.message) for w in caught]
    # with phases, the effect of the whole intervention: every phase removed from the counterfactual
    whole = ALL if len(controlled.design.t0) > 1 else None
    horizons = [controlled.effect_at(h, whole) for h in HORIZONS
                if controlled.design.t0[0] + h <= controlled.design.t.max()]
    horizons = pd.concat(horizons, ignore_index=True) if horizons else pd.DataFrame(
        columns=["interruption", "horizon", "time", "fitted", "counterfactual", "absolute", "absolute_low",
                 "absolute_high", "relative", "relative_low", "relative_high", "interval"])
    return dict(controlled=controlled, single=single, methods=methods, placebo_time=placebo_time,
                placebo_space=placebo_space, horizons=horizons,
                notes=list(dict.fromkeys(notes + controlled.warnings)))


def analyse_outcome(series: pd.DataFrame, site: str, *, baseline, follow_up, interventions,
                    comparison: Sequence[str] | None = None, exclude_units: Sequence[str] = (),
                    method: str = "ar1-reml", seasonality: int | str | None = 2, exclude=None,
                    maxlags: int | None = None, outcome_label: Text | None = None, unit: Text = "%",
                    baseline_table: pd.DataFrame | None = None, rolling: bool | None = None) -> SicknessAnalysis:
    """Controlled ITS of ``site``'s monthly outcome against comparison units of the same series.

    ``series``: a frame from :func:`fouress_eval.outcomes.outcome_series` (``unit_code``,
    ``month``, ``value``). ``interventions``: start month(s) of the interruptions (project start
    and any later phases), each with its own level and slope change. ``comparison`` defaults to
    every other unit in the series except ``exclude_units`` (the evaluation's other sites, never
    comparisons; a county holding an excluded municipality, or the municipalities of an excluded
    county, are left out too); their monthly values are averaged. Months without a value are left
    out; a comparison unit lacking one of the site's months is dropped (stated in ``notes``).
    Effects are site-minus-comparison differences in the series' ``unit`` (percentage points for
    ``"%"``); ``horizons`` holds the effect of the first interruption 12 and 24 months after it.
    The baseline comparison is :func:`outcome_baseline` unless ``baseline_table`` is given.
    ``rolling``: whether the outcome is a rolling 12-month measure (None: guessed from its name).
    A placebo test in space needs at least :data:`MIN_PLACEBO_UNITS` comparison units.
    """
    missing = [c for c in ("unit_code", "month", "value") if c not in series.columns]
    if missing:
        raise InputError(f"the outcome series lacks column(s) {', '.join(missing)}", column=missing[0],
                         expected="a frame from fouress_eval.outcomes.outcome_series (unit_code, month, value)")
    if isinstance(interventions, (str, pd.Period)):
        interventions = [interventions]
    if not len(interventions):
        raise InputError("no interruption given", expected="the start month of at least one interruption")
    outcome = str(series.attrs.get("series") or "value")
    level = str(series.attrs.get("level") or "")
    frame = series.assign(unit_code=series["unit_code"].astype(str))
    units = sorted(frame["unit_code"].unique())
    code = _find_unit(site, units)
    level = level or (site_level(code) if site_level(code) != "other" else "other")
    notes: list[str] = []
    if comparison is None:
        skip = _excluded(exclude_units, units)
        if "municipality_code" in frame.columns:  # health centres of an excluded municipality (or county)
            home = frame.groupby("unit_code")["municipality_code"].first().astype(str)
            skip |= {u for u, m in home.items() if m in skip}
        comparison = [u for u in units if u != code and u not in skip]
    else:
        comparison = [u for u in dict.fromkeys(_find_unit(c, units, "comparison unit") for c in comparison) if u != code]
    if not comparison:
        raise InputError("no comparison units: every other unit of the series is a site or excluded", value=site,
                         expected="at least one other unit in the series that is not one of exclude_units")
    panel = frame.loc[frame["unit_code"].isin([code, *comparison]) & frame["value"].notna(),
                      ["unit_code", "month", "value"]].rename(columns={"value": outcome})
    panel = panel.assign(month=pd.PeriodIndex(panel["month"], freq="M")).sort_values(["unit_code", "month"])
    own = set(panel.loc[panel["unit_code"] == code, "month"])
    if not own:
        raise InputError("the site has no values in the outcome series", value=site,
                         expected="monthly values for the site")
    kept = []
    for unit_code in comparison:
        months = set(panel.loc[panel["unit_code"] == unit_code, "month"])
        if own <= months:
            kept.append(unit_code)
        else:
            notes.append(f"comparison unit {unit_code} lacks {len(own - months)} of the site's months and is "
                         "not used")
    if not kept:
        raise InputError("no comparison unit has values for every month of the site", value=site,
                         expected="at least one other unit of the series with the same months")
    comparison = kept
    panel = panel[panel["unit_code"].isin([code, *comparison]) & panel["month"].isin(own)].reset_index(drop=True)
    fitted = _fit(panel, "unit_code", outcome, code, comparison, interventions=interventions, method=method,
                  seasonality=seasonality, exclude=exclude, maxlags=maxlags, rolling=rolling)
    if baseline_table is None:
        baseline_table = outcome_baseline(frame, code, baseline, follow_up)
    return SicknessAnalysis(code, comparison, frame[frame["unit_code"].isin([code, *comparison])].reset_index(drop=True),
                            baseline_table, fitted["controlled"], fitted["single"], fitted["methods"],
                            fitted["placebo_time"], fitted["placebo_space"], fitted["horizons"],
                            notes=list(dict.fromkeys(notes + fitted["notes"])), outcome=outcome,
                            outcome_label=outcome_label, unit=unit, level=level)


def analyse_sickness(hours: pd.DataFrame, municipality: str, *, baseline, follow_up, interventions,
                     sites: Sequence[str] = (), method: str = "ar1-reml", seasonality: int | str | None = 2,
                     exclude=None, comparison: list[str] | None = None, outcome: str = "sick_pct",
                     maxlags: int | None = None) -> SicknessAnalysis:
    """Controlled ITS of municipal employees' monthly sick leave in ``municipality`` against its
    comparison municipalities.

    ``hours``: an ``absence_monthly`` table; sick leave (% of scheduled hours) is recomputed from
    summed hours. ``baseline`` (month), ``follow_up`` (month or inclusive (first, last) pair) and
    ``interventions`` (start months) come from the evaluation. Comparison municipalities default to
    every municipality in the data that is not one of the evaluation's ``sites`` (a county site
    excludes its municipalities), their monthly sick leave averaged per month. Effects are
    treated-minus-comparison differences in percentage points; the baseline comparison pools hours
    over each period (:func:`fouress_eval.metrics.absence.baseline_comparison`).
    """
    if outcome != "sick_pct":
        raise InputError("this analysis models monthly sick leave of municipal employees", value=outcome,
                         expected="outcome 'sick_pct' (% of scheduled hours)")
    code = municipality_code(municipality)
    available = sorted(hours["municipality_code"].unique())
    if code not in available:
        raise InputError("no personnel hours for this municipality", value=municipality,
                         expected="one of " + ", ".join(f"{municipality_name(c)} ({c})" for c in available))
    if comparison is None:
        project = set(site_municipalities(list(sites))) if len(sites) else set()
        comparison = [c for c in available if c not in project and c != code]
    comparison = [municipality_code(c) for c in comparison]
    series = outcome_series({"absence_monthly": hours}, "personnel_hours", level="municipality",
                            codes=[code, *comparison])
    pooled = baseline_comparison(hours[hours["municipality_code"] == code], baseline, follow_up)
    analysis = analyse_outcome(series, code, baseline=baseline, follow_up=follow_up, interventions=interventions,
                               comparison=comparison, method=method, seasonality=seasonality, exclude=exclude,
                               maxlags=maxlags, baseline_table=pooled)
    return replace(analysis, series=monthly_sick_pct(hours, [code, *comparison]))


from .its_text import conclusion, key_numbers_text, number, unit_text  # noqa: E402  (re-exported; its_text only types against this module)
