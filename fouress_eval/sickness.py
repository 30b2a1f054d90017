"""The sick-leave analysis of one municipality, as the ``01_sickness_its`` report tells it.

``analyse_sickness`` fits the controlled interrupted time series of monthly sick leave (% of
scheduled hours, from hours) against the municipality's comparison municipalities, compares the
estimators, runs placebo tests in time and in space, and states the result in plain language
with its uncertainty. Everything the notebook shows comes from here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import PROJECT_MUNICIPALITIES
from .errors import InputError
from .its import compare_methods, default_maxlags, fit_its, placebo_in_space, placebo_in_time
from .its.results import ITSResult
from .metrics.absence import baseline_comparison, sick_pct
from .municipalities import municipality_code, municipality_name

__all__ = ["SicknessAnalysis", "analyse_sickness", "monthly_sick_pct", "conclusion", "number", "key_numbers_text"]

HORIZONS = (12, 24)


def number(value: float, decimals: int = 1, language: str = "sv") -> str:
    """A number for running text: decimal comma and a proper minus sign in Swedish."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",").replace("-", "−") if language == "sv" else text


def monthly_sick_pct(hours: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Monthly sick leave (%) per municipality, recomputed from summed hours."""
    series = sick_pct(hours, by=["municipality_code"], period="month")
    if codes is not None:
        series = series[series["municipality_code"].isin(codes)]
    return series[["municipality_code", "month", "scheduled_hours", "sick_hours", "sick_pct"]].reset_index(drop=True)


@dataclass
class SicknessAnalysis:
    """Results of :func:`analyse_sickness` (tidy tables plus the fitted ITS results)."""

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

    def key_results(self) -> dict:
        """Machine-readable key numbers for the batch summary and the cross-site report."""
        effects = self.controlled.effects.set_index("term")
        out = {"municipality_code": self.code, "comparison": self.comparison, "method": self.controlled.method,
               "baseline": self.baseline.to_dict(orient="records")}
        for term in ("level_change", "slope_change"):
            out[term] = {k: float(effects.loc[term, k]) for k in ("estimate", "ci_low", "ci_high", "p_value")}
        out["horizons"] = self.horizons.to_dict(orient="records")
        if self.placebo_space is not None:
            out["placebo_space_p"] = float(self.placebo_space.p_value)
        return out


def analyse_sickness(hours: pd.DataFrame, municipality: str, *, baseline: str = "2016-08",
                     follow_up: tuple[str, str] = ("2019-09", "2019-11"), interventions=("2017-02",),
                     method: str = "ar1-reml", seasonality: int | str | None = 2, exclude=None,
                     comparison: list[str] | None = None, outcome: str = "sick_pct",
                     maxlags: int | None = None) -> SicknessAnalysis:
    """Controlled ITS of monthly sick leave in ``municipality`` against its comparison municipalities.

    Comparison municipalities default to every municipality in the data that is not a project
    site (their monthly sick leave averaged per month). Effects are treated-minus-comparison
    differences in percentage points; ``horizons`` holds the effect 12 and 24 months after start.
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
        comparison = [c for c in available if c not in PROJECT_MUNICIPALITIES and c != code]
    comparison = [municipality_code(c) for c in comparison]
    series = monthly_sick_pct(hours, [code, *comparison])
    treated = series[series["municipality_code"] == code]
    control = series[series["municipality_code"].isin(comparison)]
    if method == "newey-west" and maxlags is None:
        maxlags = default_maxlags(len(treated))  # Newey–West rule of thumb, stated in the methods table
    spec = dict(outcome="sick_pct", time="month", interventions=list(interventions), seasonality=seasonality,
                exclude=exclude)
    fit_options = {"maxlags": maxlags} if maxlags is not None else {}
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        controlled = fit_its(treated, method=method, control=control, control_unit="municipality_code",
                             **spec, **fit_options)
        single = fit_its(treated, method=method, **spec, **fit_options)
        methods = compare_methods(treated, control=control, control_unit="municipality_code", **spec, **fit_options)
        placebo_time = placebo_in_time(treated, shifts=[-6, -12, -18], method=method, **spec, **fit_options)
        placebo_space = None
        if len(comparison) >= 4:
            placebo_space = placebo_in_space(series, "municipality_code", code, method=method,
                                             term="slope_change", **spec, **fit_options)
    notes += [str(w.message) for w in caught]
    horizons = pd.concat([controlled.effect_at(h) for h in HORIZONS
                          if controlled.design.t0[0] + h <= controlled.design.t.max()], ignore_index=True)
    return SicknessAnalysis(code, comparison, series,
                            baseline_comparison(hours[hours["municipality_code"] == code], baseline, follow_up),
                            controlled, single, methods, placebo_time, placebo_space, horizons,
                            notes=list(dict.fromkeys(notes + controlled.warnings)))


def _interval(low: float, high: float, language: str, decimals: int = 2) -> str:
    word = "KI" if language == "sv" else "CI"
    return f"95 % {word} {number(low, decimals, language)} {'till' if language == 'sv' else 'to'} " \
           f"{number(high, decimals, language)}"


def conclusion(analysis: SicknessAnalysis, language: str = "sv") -> str:
    """A plain-language conclusion generated from the numbers, with their uncertainty."""
    sv = language == "sv"
    name = municipality_name(analysis.code)
    base = analysis.baseline.iloc[0]
    effects = analysis.controlled.effects.set_index("term")
    level, slope = effects.loc["level_change"], effects.loc["slope_change"]
    lines = []
    lines.append((f"I {name} var sjukfrånvaron bland kommunens anställda {number(base['baseline_sick_pct'], 1, language)} % "
                  f"vid utgångsläget och {number(base['follow_up_sick_pct'], 1, language)} % vid uppföljningen "
                  f"({number(base['change_pp'], 1, language)} procentenheter).") if sv else
                 (f"In {name}, sick leave among municipal employees was {number(base['baseline_sick_pct'], 1, language)} % "
                  f"at baseline and {number(base['follow_up_sick_pct'], 1, language)} % at follow-up "
                  f"({number(base['change_pp'], 1, language)} percentage points)."))
    lines.append((f"Jämfört med jämförelsekommunerna ändrades nivån vid insatsens start med "
                  f"{number(level['estimate'], 2, language)} procentenheter ({_interval(level['ci_low'], level['ci_high'], language)}) "
                  f"och trenden med {number(slope['estimate'], 3, language)} procentenheter per månad "
                  f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)}).") if sv else
                 (f"Relative to the comparison municipalities, the level changed by {number(level['estimate'], 2, language)} "
                  f"percentage points when the intervention started ({_interval(level['ci_low'], level['ci_high'], language)}) "
                  f"and the trend by {number(slope['estimate'], 3, language)} points per month "
                  f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)})."))
    if len(analysis.horizons):
        last = analysis.horizons.iloc[-1]
        clear = last["absolute_high"] < 0 or last["absolute_low"] > 0
        lines.append((f"{int(last['horizon'])} månader efter start var skillnaden mot det kontrafaktiska förloppet "
                      f"{number(last['absolute'], 2, language)} procentenheter ({_interval(last['absolute_low'], last['absolute_high'], language)}); "
                      + ("intervallet utesluter noll." if clear else "intervallet innehåller noll, så en effekt kan inte säkerställas."))
                     if sv else
                     (f"{int(last['horizon'])} months after the start, the difference from the counterfactual was "
                      f"{number(last['absolute'], 2, language)} percentage points ({_interval(last['absolute_low'], last['absolute_high'], language)}); "
                      + ("the interval excludes zero." if clear else "the interval includes zero, so an effect cannot be established.")))
    signs = np.sign(analysis.methods.loc[analysis.methods["term"] == "slope_change", "estimate"])
    robust = bool((signs == signs.iloc[0]).all())
    lines.append(("Alla skattningsmetoder ger samma riktning på trendförändringen." if robust else
                  "Skattningsmetoderna ger olika riktning på trendförändringen – slutsatsen beror på metoden.")
                 if sv else ("Every estimator gives the same direction of the trend change." if robust else
                             "The estimators disagree on the direction of the trend change – the conclusion depends on the method."))
    if analysis.placebo_space is not None:
        p = analysis.placebo_space.p_value
        lines.append((f"Placebotest i rummet: trendförändringen rangordnas {analysis.placebo_space.rank} av "
                      f"{analysis.placebo_space.n_units} kommuner (permutations-p = {number(p, 2, language)}).") if sv else
                     (f"Placebo in space: the trend change ranks {analysis.placebo_space.rank} of "
                      f"{analysis.placebo_space.n_units} municipalities (permutation p = {number(p, 2, language)})."))
    lines.append("Resultaten visar samband i tid, inte bevisad orsak: andra förändringar samtidigt med projektet kan bidra."
                 if sv else "The results show an association in time, not proven cause: other changes at the same time may contribute.")
    return " ".join(lines)


def key_numbers_text(analysis: SicknessAnalysis, language: str = "sv") -> str:
    """The published key figures as one line (baseline, follow-up, change), for exact regression checks."""
    base = analysis.baseline.iloc[0]
    values = [number(base[k], 1, language) for k in ("baseline_sick_pct", "follow_up_sick_pct", "change_pp")]
    if language == "sv":
        return f"{municipality_name(analysis.code)}: {values[0]} % → {values[1]} % ({values[2]} procentenheter)"
    return f"{municipality_name(analysis.code)}: {values[0]} % → {values[1]} % ({values[2]} percentage points)"
