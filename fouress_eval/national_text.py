"""The national report's sentences: a :class:`~fouress_eval.national.NationalRanking` in plain
language (Swedish by default, English), with its small-n and funnel caveats."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .errors import InputError
from .labels import label
from .sickness import number

if TYPE_CHECKING:
    from .national import NationalRanking

__all__ = ["ranking_summary", "SMALL_N"]

SMALL_N = 20  # below this many units per test the smallest possible p (1/n) exceeds 0.05


def _text(sv: str, en: str, language: str) -> str:
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")
    return sv if language == "sv" else en


def _nice(value: float, language: str, digits: int = 3) -> str:
    """A number with ``digits`` significant figures (decimal comma and minus sign in Swedish)."""
    if value is None or not np.isfinite(value):
        return "–"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value))))) if value else 0
    return number(float(value), min(decimals, 6), language)


def _unit_words(ranking: NationalRanking, language: str) -> str:
    if ranking.term == "slope_change":
        return _text(" procentenheter per månad", " percentage points per month", language)
    return _text(" procentenheter", " percentage points", language)


def ranking_summary(ranking: NationalRanking, language: str = "sv") -> str:
    """Plain text: what was fitted, each treated municipality's effect, rank and permutation p,
    the funnel, a warning when n is small, and what the ranking cannot show."""
    _text("", "", language)  # checks the language
    term = label(ranking.term, language).split(" (")[0].lower()
    season = ({None: _text("ingen säsongskomponent", "no seasonal terms", language),
               "month": _text("månadsindikatorer för säsong", "month dummies for season", language)}
              .get(ranking.seasonality or None) if not isinstance(ranking.seasonality, (int, np.integer))
              or not ranking.seasonality
              else _text(f"{ranking.seasonality} fourierpar för säsong", f"{ranking.seasonality} Fourier pairs for season",
                         language))
    n_fail = len(ranking.failed)
    lines = [_text(
        f"Modellen (metod {ranking.method}, {season}) skattades för {ranking.n_units + n_fail} kommuner med samma startmånad "
        f"{ranking.interruption}, månaderna {ranking.months[0]}–{ranking.months[1]}. "
        + (f"{ranking.n_units} kunde skattas; {n_fail} kunde inte skattas (se tabellen längre ned)." if n_fail
           else "Alla kunde skattas."),
        f"The model (method {ranking.method}, {season}) was fitted to {ranking.n_units + n_fail} municipalities with the "
        f"same start month {ranking.interruption}, months {ranking.months[0]}–{ranking.months[1]}. "
        + (f"{ranking.n_units} could be fitted; {n_fail} could not (see the table further down)." if n_fail
           else "All could be fitted."),
        language)]
    n = ranking.n_controls + 1
    stat = (_text("t-värdet (skattning / standardfel)", "the t-value (estimate / standard error)", language)
            if ranking.statistic == "t" else _text("skattningen", "the estimate", language))
    lines.append(_text(
        f"Varje projektkommuns {term} rangordnas bland de {ranking.n_controls} kommunerna utan insats efter "
        f"{stat} till beloppet (rang 1 = störst). Tvåsidigt permutations-p = andelen kommuner, projektkommunen "
        f"inräknad, vars värde är minst lika stort till beloppet; det minsta möjliga p-värdet är därför 1/n = "
        f"1/{n} ≈ {number(1 / n, 3, language)}.",
        f"Each project municipality's {term} is ranked among the {ranking.n_controls} municipalities without the "
        f"intervention by the absolute value of {stat} (rank 1 = largest). Two-sided permutation p = the share of "
        "municipalities, the project municipality included, whose value is at least as large in absolute value; "
        f"the smallest possible p is therefore 1/n = 1/{n} ≈ {number(1 / n, 3, language)}.", language))
    unit = _unit_words(ranking, language)
    for row in ranking.tests.itertuples(index=False):
        lines.append(_text(
            f"{row.name}: {number(row.estimate, 3, language)}{unit} (95 % KI {number(row.ci_low, 3, language)} till "
            f"{number(row.ci_high, 3, language)}), rang {row.rank} av {row.n} "
            f"(permutations-p = {number(row.p_value, 3, language)}).",
            f"{row.name}: {number(row.estimate, 3, language)}{unit} (95 % CI {number(row.ci_low, 3, language)} to "
            f"{number(row.ci_high, 3, language)}), rank {row.rank} of {row.n} "
            f"(permutation p = {number(row.p_value, 3, language)}).", language))
    if len(ranking.tests):
        if n < SMALL_N:
            lines.append(_text(
                f"Observera: med bara n = {n} kommuner i testet kan p aldrig bli lägre än 1/{n} ≈ "
                f"{number(1 / n, 3, language)}, så testet kan inte visa en effekt på 5 %-nivån. Rangen är "
                "beskrivande; det nationella testet kräver data för många fler kommuner.",
                f"Note: with only n = {n} municipalities in the test, p can never be below 1/{n} ≈ "
                f"{number(1 / n, 3, language)}, so the test cannot show an effect at the 5 % level. The rank is "
                "descriptive; the national test needs data for many more municipalities.", language))
    controls = ranking.effects[~ranking.effects["treated"]]
    inside = int(controls["in_funnel"].sum())
    share = 100 * inside / len(controls) if len(controls) else float("nan")
    widened = {"multiplicative": _text(
        "Spridningen mellan kommunerna är inte större än standardfelen anger, så gränserna bygger på dem som de är.",
        "The spread between municipalities is no larger than the standard errors imply, so the limits use them as "
        "they are.", language) if ranking.dispersion <= 1.0 else _text(
        f"Spridningen mellan kommunerna är {number(math.sqrt(ranking.dispersion), 2, language)} gånger större än "
        "standardfelen anger, och gränserna är vidgade i motsvarande grad.",
        f"The spread between municipalities is {number(math.sqrt(ranking.dispersion), 2, language)} times what the "
        "standard errors imply, and the limits are widened accordingly.", language),
        "additive": _text(
            f"Gränserna inkluderar en variation mellan kommunerna (standardavvikelse "
            f"{_nice(math.sqrt(ranking.tau2), language)}).",
            f"The limits include a between-municipality variation (standard deviation "
            f"{_nice(math.sqrt(ranking.tau2), language)}).", language),
        None: _text("Gränserna bygger på standardfelen som de är.", "The limits use the standard errors as they are.",
                    language)}[ranking.overdispersion]
    outside = [r.name for r in ranking.effects[ranking.effects["treated"] & ~ranking.effects["in_funnel"]].itertuples()]
    lines.append(_text(
        f"I trattdiagrammet ligger {inside} av {len(controls)} kommuner utan insats ({number(share, 0, language)} %) "
        f"inom 95 %-gränserna kring det sammanvägda medelvärdet {number(ranking.pooled, 3, language)}. {widened} "
        + (f"Utanför gränserna: {', '.join(outside)}." if outside else "Ingen projektkommun ligger utanför gränserna."),
        f"In the funnel plot, {inside} of {len(controls)} municipalities without the intervention "
        f"({number(share, 0, language)} %) lie within the 95 % limits around the pooled mean "
        f"{number(ranking.pooled, 3, language)}. {widened} "
        + (f"Outside the limits: {', '.join(outside)}." if outside else "No project municipality lies outside the limits."),
        language))
    lines.append(_text(
        "Kommunerna utan insats kan ha haft egna förändringar under perioden, och rangen visar samband i tid, inte "
        "bevisad orsak.",
        "The municipalities without the intervention may have had changes of their own during the period, and the "
        "rank shows an association in time, not proven cause.", language))
    return "\n\n".join(lines)
