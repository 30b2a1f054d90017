"""The sentences of the ``01_sickness_its`` report: a :class:`~fouress_eval.sickness.SicknessAnalysis`
in plain language with its uncertainty, Swedish (default) or English."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .sites import site_level, site_name

if TYPE_CHECKING:
    from .sickness import SicknessAnalysis

__all__ = ["conclusion", "key_numbers_text", "number", "unit_text"]

Text = str | Mapping[str, str]

# plain-language names of known outcomes (the definite form, as the sentence uses it)
_OUTCOME_LABELS = {
    "sick_pct": {"sv": "sjukfrånvaron bland kommunens anställda", "en": "sick leave among municipal employees"},
    "long_sick_pct": {"sv": "långtidssjukfrånvaron (60 dagar eller mer) bland kommunens anställda",
                      "en": "long-term sick leave (60 days or more) among municipal employees"},
    "short_sick_pct": {"sv": "korttidssjukfrånvaron (dag 1–14) bland kommunens anställda",
                       "en": "short-term sick leave (days 1–14) among municipal employees"},
    "sjukpenningtal": {"sv": "sjukpenningtalet", "en": "the sickness-benefit rate (sjukpenningtal)"},
}
# units in both languages; any other unit is used as given
_UNITS = [{"sv": "dagar", "en": "days"}, {"sv": "sjukfall", "en": "cases"},
          {"sv": "per 1 000 listade", "en": "per 1 000 listed"}]
_COMPARISON = {"municipality": ("jämförelsekommunerna", "the comparison municipalities", "kommuner", "municipalities"),
               "county": ("jämförelselänen", "the comparison counties", "län", "counties"),
               "health_centre": ("jämförelsevårdcentralerna", "the comparison health centres", "vårdcentraler",
                                 "health centres"),
               "other": ("jämförelseenheterna", "the comparison units", "enheter", "units")}


def number(value: float, decimals: int = 1, language: str = "sv") -> str:
    """A number for running text: decimal comma and a proper minus sign in Swedish."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",").replace("-", "−") if language == "sv" else text


def _text(value: Text, language: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(language) or next(iter(value.values())))
    for known in _UNITS:
        if value in known.values():
            return known[language]
    return str(value)


def unit_text(unit: Text, language: str = "sv") -> str:
    """A measurement unit in the report's language (``"days"`` → ``"dagar"``); unknown units as given."""
    return _text(unit, language)


def _words(analysis: SicknessAnalysis, language: str) -> dict:
    """The pieces of a sentence: outcome wording, unit, unit of a change, comparison words."""
    sv = language == "sv"
    unit = _text(analysis.unit, language)
    percent = unit == "%"
    if analysis.outcome_label is not None:
        outcome = _text(analysis.outcome_label, language)
    else:
        outcome = _OUTCOME_LABELS.get(analysis.outcome, {}).get(language, analysis.outcome)
    kind = site_level(analysis.code)
    kind = analysis.level if kind == "other" and analysis.level in _COMPARISON else kind
    words = _COMPARISON.get(kind, _COMPARISON["other"])
    at = ("Vid" if sv else "At") if kind == "health_centre" else ("I" if sv else "In")
    return {"name": site_name(analysis.code, language), "at": at, "outcome": outcome, "unit": unit,
            "change": ("procentenheter" if sv else "percentage points") if percent else unit,
            "slope": ("procentenheter" if sv else "points") if percent else unit,
            "comparison": words[0] if sv else words[1], "units": words[2] if sv else words[3]}


def _baseline_values(table: pd.DataFrame) -> tuple[float, float, float]:
    row = table.iloc[0]
    if "baseline_value" in table.columns:
        return float(row["baseline_value"]), float(row["follow_up_value"]), float(row["change"])
    return float(row["baseline_sick_pct"]), float(row["follow_up_sick_pct"]), float(row["change_pp"])


def _interval(low: float, high: float, language: str, decimals: int = 2) -> str:
    word = "KI" if language == "sv" else "CI"
    return f"95 % {word} {number(low, decimals, language)} {'till' if language == 'sv' else 'to'} " \
           f"{number(high, decimals, language)}"


def _effects_by_interruption(analysis: SicknessAnalysis) -> list[tuple[str, pd.DataFrame]]:
    effects = analysis.controlled.effects
    return [(str(key), effects[effects["interruption"] == key].set_index("term"))
            for key in pd.unique(effects["interruption"])]


def conclusion(analysis: SicknessAnalysis, language: str = "sv") -> str:
    """A plain-language conclusion generated from the numbers, with their uncertainty.

    Employees' sick leave reads "I Svalöv var sjukfrånvaron bland kommunens anställda 6,5 % vid
    utgångsläget …"; another outcome uses its ``outcome_label`` and ``unit`` ("I Uppsala län var
    sjukpenningtalet 10,2 dagar vid utgångsläget …"). ``language``: ``"sv"`` or ``"en"``.
    """
    sv = language == "sv"
    w = _words(analysis, language)
    name, outcome, unit, change, slope_unit = w["name"], w["outcome"], w["unit"], w["change"], w["slope"]
    base, follow, difference = _baseline_values(analysis.baseline)
    lines = []
    if math.isnan(base) or math.isnan(follow):
        lines.append(f"För {name} saknas värden för {outcome} vid utgångsläget eller under uppföljningen." if sv else
                     f"For {name}, {outcome} has no value at baseline or during follow-up.")
    else:
        lines.append((f"{w['at']} {name} var {outcome} {number(base, 1, language)} {unit} "
                      f"vid utgångsläget och {number(follow, 1, language)} {unit} vid uppföljningen "
                      f"({number(difference, 1, language)} {change}).") if sv else
                     (f"{w['at']} {name}, {outcome} was {number(base, 1, language)} {unit} "
                      f"at baseline and {number(follow, 1, language)} {unit} at follow-up "
                      f"({number(difference, 1, language)} {change})."))
    (_first, effects), *later = _effects_by_interruption(analysis)
    level, slope = effects.loc["level_change"], effects.loc["slope_change"]
    lines.append((f"Jämfört med {w['comparison']} ändrades nivån vid insatsens start med "
                  f"{number(level['estimate'], 2, language)} {change} ({_interval(level['ci_low'], level['ci_high'], language)}) "
                  f"och trenden med {number(slope['estimate'], 3, language)} {slope_unit} per månad "
                  f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)}).") if sv else
                 (f"Relative to {w['comparison']}, the level changed by {number(level['estimate'], 2, language)} "
                  f"{change} when the intervention started ({_interval(level['ci_low'], level['ci_high'], language)}) "
                  f"and the trend by {number(slope['estimate'], 3, language)} {slope_unit} per month "
                  f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)})."))
    for start, phase in later:
        level, slope = phase.loc["level_change"], phase.loc["slope_change"]
        lines.append((f"När nästa fas började ({start}) ändrades nivån med {number(level['estimate'], 2, language)} "
                      f"{change} ({_interval(level['ci_low'], level['ci_high'], language)}) och trenden med "
                      f"{number(slope['estimate'], 3, language)} {slope_unit} per månad "
                      f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)}).") if sv else
                     (f"When the next phase started ({start}), the level changed by "
                      f"{number(level['estimate'], 2, language)} {change} "
                      f"({_interval(level['ci_low'], level['ci_high'], language)}) and the trend by "
                      f"{number(slope['estimate'], 3, language)} {slope_unit} per month "
                      f"({_interval(slope['ci_low'], slope['ci_high'], language, 3)})."))
    if len(analysis.horizons):
        last = analysis.horizons.iloc[-1]
        clear = last["absolute_high"] < 0 or last["absolute_low"] > 0
        lines.append((f"{int(last['horizon'])} månader efter start var skillnaden mot det kontrafaktiska förloppet "
                      f"{number(last['absolute'], 2, language)} {change} ({_interval(last['absolute_low'], last['absolute_high'], language)}); "
                      + ("intervallet utesluter noll." if clear else "intervallet innehåller noll, så en effekt kan inte säkerställas."))
                     if sv else
                     (f"{int(last['horizon'])} months after the start, the difference from the counterfactual was "
                      f"{number(last['absolute'], 2, language)} {change} ({_interval(last['absolute_low'], last['absolute_high'], language)}); "
                      + ("the interval excludes zero." if clear else "the interval includes zero, so an effect cannot be established.")))
    methods = analysis.methods
    first_rows = methods["interruption"] == methods["interruption"].iloc[0] if "interruption" in methods else True
    signs = np.sign(methods.loc[(methods["term"] == "slope_change") & first_rows, "estimate"])
    robust = bool((signs == signs.iloc[0]).all())
    lines.append(("Alla skattningsmetoder ger samma riktning på trendförändringen." if robust else
                  "Skattningsmetoderna ger olika riktning på trendförändringen – slutsatsen beror på metoden.")
                 if sv else ("Every estimator gives the same direction of the trend change." if robust else
                             "The estimators disagree on the direction of the trend change – the conclusion depends on the method."))
    if analysis.placebo_space is not None:
        p = analysis.placebo_space.p_value
        lines.append((f"Placebotest i rummet: trendförändringen rangordnas {analysis.placebo_space.rank} av "
                      f"{analysis.placebo_space.n_units} {w['units']} (permutations-p = {number(p, 2, language)}).") if sv else
                     (f"Placebo in space: the trend change ranks {analysis.placebo_space.rank} of "
                      f"{analysis.placebo_space.n_units} {w['units']} (permutation p = {number(p, 2, language)})."))
    lines.append("Resultaten visar samband i tid, inte bevisad orsak: andra förändringar samtidigt med projektet kan bidra."
                 if sv else "The results show an association in time, not proven cause: other changes at the same time may contribute.")
    return " ".join(lines)


def key_numbers_text(analysis: SicknessAnalysis, language: str = "sv") -> str:
    """The key figures as one line (baseline, follow-up, change), for exact regression checks:
    "Svalöv: 6,5 % → 5,9 % (−0,6 procentenheter)" or "Uppsala län: 10,2 dagar → 9,8 dagar (−0,4 dagar)"."""
    w = _words(analysis, language)
    values = [number(v, 1, language) for v in _baseline_values(analysis.baseline)]
    return f"{w['name']}: {values[0]} {w['unit']} → {values[1]} {w['unit']} ({values[2]} {w['change']})"
