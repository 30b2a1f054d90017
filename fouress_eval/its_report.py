"""The outcome ITS of one site as the ``01_sickness_its`` report tells it, driven by the evaluation.

:func:`analyse_site` picks the evaluation's outcome (its first, or one by name), the site's level
(municipality or county), the baseline, follow-up window and interruptions from the configuration,
and either fits the controlled interrupted time series (:mod:`fouress_eval.sickness`) or says in
one sentence why it cannot (no outcome series configured, the outcome not followed at the site's
level, no or too few months in the data). Municipal employees' sick leave from personnel hours is
analysed exactly as :func:`~fouress_eval.sickness.analyse_sickness` does it; every other series
(sjukpenningtal, long sick cases, health-centre sick-listings …) through
:func:`~fouress_eval.outcomes.outcome_series` and :func:`~fouress_eval.sickness.analyse_outcome`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from .config import Settings
from .labels import LABELS, label, register
from .outcomes import outcome_gap, outcome_series
from .sickness import SicknessAnalysis, analyse_outcome, analyse_sickness, unit_text
from .sites import site_level, site_name

__all__ = ["SiteOutcome", "analyse_site"]

register({
    "its_no_outcome": {"sv": "Utvärderingen följer ingen utfallsserie (`outcomes` är tom i konfigurationen), "
                             "så rapporten har ingen tidsserieanalys.",
                       "en": "The evaluation follows no outcome series (`outcomes` is empty in its configuration), "
                             "so this report has no time-series analysis."},
    "its_wrong_level": {"sv": "Utfallet {outcome} följs på nivån {levels}, inte för {site}, så det finns ingen "
                              "tidsserieanalys för platsen.",
                        "en": "The outcome {outcome} is followed at the level {levels}, not for {site}, so there is "
                              "no time-series analysis for this site."},
    "its_title_outcome": {"sv": "{measure}: avbruten tidsserie", "en": "{measure}: interrupted time series"},
    "its_title_none": {"sv": "Utfallsserier: avbruten tidsserie", "en": "Outcome series: interrupted time series"},
    "oc_title_sjukpenningtal": {"sv": "Sjukpenningtal", "en": "Sickness-benefit rate (sjukpenningtal)"},
    "oc_title_sjukfall_over_365": {"sv": "Pågående sjukfall längre än 365 dagar",
                                   "en": "Ongoing sick cases longer than 365 days"},
    "oc_title_long_sick_pct": {"sv": "Långtidssjukfrånvaro bland kommunens anställda",
                               "en": "Long-term sick leave among municipal employees"},
    "oc_title_short_sick_pct": {"sv": "Korttidssjukfrånvaro bland kommunens anställda",
                                "en": "Short-term sick leave among municipal employees"},
    "its_intro_outcome": {
        "sv": "Utfallet {measure} ({unit}) för {site} jämförs månad för månad med medelvärdet för "
              "jämförelseenheterna. Modellen skattar nivå- och trendförändring vid {starts}, utöver trend och "
              "säsong, och jämfört med jämförelseenheterna (kontrollerad avbruten tidsserie).",
        "en": "The outcome {measure} ({unit}) for {site} is compared month by month with the mean of the "
              "comparison units. The model estimates the change in level and trend at {starts}, beyond trend and "
              "season, and relative to the comparison units (controlled interrupted time series)."},
    "its_rolling_note": {"sv": " Måttet är ett rullande 12-månadersmått: varje värde delar elva månader med "
                               "grannvärdet, så autokorrelationen är stark och förändringar slår igenom gradvis.",
                         "en": " The measure is a rolling 12-month measure: each value shares eleven months with "
                               "its neighbour, so autocorrelation is strong and changes show gradually."},
    "its_series_outcome": {"sv": "Utfallet per månad", "en": "The outcome by month"},
    "its_model_outcome": {"sv": "Avbruten tidsserie mot jämförelseenheterna",
                          "en": "Interrupted time series against the comparison units"},
})


def _is_sick_pct(outcome, level: str) -> bool:
    """Employees' sick leave from personnel hours of a municipality: the 4-Ess report's own analysis."""
    return outcome.source == "personnel_hours" and (outcome.series or "sick_pct") == "sick_pct" \
        and level == "municipality"


@dataclass
class SiteOutcome:
    """The outcome analysis of one site: ``analysis`` (None when ``missing`` says why), the
    ``outcome`` configuration used and the values the report states as its ``parameters``."""

    code: str
    outcome: object | None
    analysis: SicknessAnalysis | None
    missing: str | None
    parameters: dict = field(default_factory=dict)
    intervention: tuple[pd.Period, pd.Period] | None = None
    baseline: pd.Period | None = None

    @property
    def sick_pct(self) -> bool:
        return self.outcome is not None and _is_sick_pct(self.outcome, site_level(self.code))

    def _measure(self, language: str = "sv") -> str:
        """The outcome's name in the report's language for a known series, else the configuration's
        ``measure`` up to its first comma."""
        series = self.outcome.series or ""
        if f"oc_title_{series}" in LABELS:
            return label(f"oc_title_{series}", language)
        text = self.outcome.measure.split(",")[0].strip() or self.outcome.name
        return text[:1].upper() + text[1:]

    def title(self, language: str = "sv") -> str:
        """The report's title: the sick-leave title, or ``"<measure>: avbruten tidsserie"``."""
        if self.outcome is None:
            return label("its_title_none", language)
        if self.sick_pct:
            return label("its_title", language)
        return label("its_title_outcome", language).format(measure=self._measure(language))

    def intro(self, language: str = "sv") -> str:
        """The introductory paragraph (with a note on rolling 12-month measures)."""
        if self.sick_pct:
            return label("its_intro", language)
        starts = ", ".join(str(m) for m in self.parameters.get("interventions", []))
        measure = self._measure(language)
        text = label("its_intro_outcome", language).format(measure=measure[:1].lower() + measure[1:],
                                                           unit=unit_text(self.outcome.unit, language),
                                                           site=site_name(self.code, language), starts=starts)
        return text + (label("its_rolling_note", language) if self.outcome.rolling_12m else "")

    def series_heading(self, language: str = "sv") -> str:
        return label("its_series" if self.sick_pct else "its_series_outcome", language)

    def model_heading(self, language: str = "sv") -> str:
        return label("its_model" if self.sick_pct else "its_model_outcome", language)

    def placebo_figure(self, *, language: str = "sv"):
        """The placebo-in-space caterpillar plot with the units' names, or None without that test."""
        placebo = self.analysis.placebo_space if self.analysis is not None else None
        if placebo is None:
            return None
        return placebo.plot(language=language, names=lambda unit: site_name(unit, language))

    def series_figure(self, *, language: str = "sv"):
        """The monthly series: the site's sick leave (as before), or the site against the comparison mean."""
        from . import plots

        if self.sick_pct:
            return plots.sick_leave_series(self.analysis.series, municipalities=[self.code], baseline=self.baseline,
                                           intervention=self.intervention, language=language)
        return plots.outcome_series_plot(self.analysis.series, self.code, comparison=self.analysis.comparison,
                                         baseline=self.baseline, intervention=self.intervention,
                                         ylabel=f"{self._measure(language)} ({unit_text(self.outcome.unit, language)})",
                                         title=f"{self._measure(language)}, {site_name(self.code, language)}",
                                         language=language)


def _follow_up(settings: Settings) -> tuple[pd.Period, pd.Period]:
    """The configured follow-up window, else the three months up to the data cut-off (or the period's end)."""
    if settings.follow_up is not None:
        return settings.follow_up
    end = settings.data_cutoff if settings.data_cutoff is not None else settings.evaluation.period_end
    last = pd.Timestamp(end).to_period("M")
    return last - 2, last


def analyse_site(tables: dict[str, pd.DataFrame], settings: Settings, code: str, *, outcome: str = "",
                 baseline: object = "", interventions: Sequence = (), method: str = "ar1-reml",
                 seasonality: int | str | None = 2, language: str | None = None) -> SiteOutcome:
    """The ITS of ``code``'s outcome (``outcome`` name; empty: the evaluation's first) against its
    comparison units, with ``baseline``/``interventions`` overriding the configuration's.

    Comparison units: every other unit of the series except the evaluation's sites when the
    configuration's ``comparison`` is a rule (``same_county``, ``other_counties``), else the listed
    units found in the data. Returns a :class:`SiteOutcome` whose ``missing`` is one sentence when
    there is nothing to analyse; a mistake in the parameters (an unknown outcome name, a month that
    is not a month) is an :class:`~fouress_eval.errors.InputError`.
    """
    language = language or settings.language
    evaluation = settings.evaluation
    spec = evaluation.outcome(outcome or None)
    base = pd.Period(baseline, freq="M") if baseline else settings.baseline
    starts = [pd.Period(m, freq="M") for m in interventions] or list(settings.interventions)
    parameters = {"outcome": spec.name if spec else "", "baseline": str(base),
                  "interventions": [str(m) for m in starts]}
    shading = (settings.intervention_start, settings.intervention_end)
    result = SiteOutcome(code, spec, None, None, parameters, shading, base)
    if spec is None:
        result.missing = label("its_no_outcome", language)
        return result
    level = site_level(code)
    if level not in spec.levels:
        result.missing = label("its_wrong_level", language).format(outcome=spec.name, levels=", ".join(spec.levels),
                                                                  site=site_name(code, language))
        return result
    result.missing = outcome_gap(tables, spec.source, level=level, series=spec.series, code=code,
                                 interventions=starts, language=language)
    if result.missing:
        return result
    follow_up = _follow_up(settings)
    options = dict(baseline=base, follow_up=follow_up, interventions=starts, method=method, seasonality=seasonality)
    if _is_sick_pct(spec, level):
        result.analysis = analyse_sickness(tables["absence_monthly"], code, sites=settings.sites, **options)
        return result
    series = outcome_series(tables, spec.source, level=level, series=spec.series)
    comparison = None
    if not isinstance(evaluation.comparison, str):
        units = set(series["unit_code"].astype(str))
        comparison = [c for c in settings.comparison if c in units]
    result.analysis = analyse_outcome(series, code, comparison=comparison, exclude_units=settings.sites,
                                      unit=spec.unit, rolling=spec.rolling_12m, **options)
    return result
