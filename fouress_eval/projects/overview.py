"""The overview of the cross-project view: one row per evaluation (see :func:`overview_table`)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from ..evaluation import Evaluation, Outcome
from ..labels import label, register
from ..outcomes import outcome_series
from ..sites import site_names
from .inputs import _check_language, _corpus, _day, _evaluations, _prepared, _shown, _site_level

__all__ = ["overview_table"]

register({
    "pj_col_evaluation": {"sv": "Utvärdering", "en": "Evaluation"},
    "pj_col_owner": {"sv": "Projektägare", "en": "Owner"},
    "pj_col_sites": {"sv": "Platser", "en": "Sites"},
    "pj_col_period": {"sv": "Projektperiod", "en": "Project period"},
    "pj_col_baseline": {"sv": "Basmånad", "en": "Baseline month"},
    "pj_col_interruptions": {"sv": "Start, faser och avbrott", "en": "Start, phases and interruptions"},
    "pj_col_target_group": {"sv": "Målgrupp", "en": "Target group"},
    "pj_col_outcomes": {"sv": "Utfallsserier", "en": "Outcome series"},
    "pj_col_prepared": {"sv": "Förberedda data", "en": "Prepared data"},
    "pj_col_register": {"sv": "Deltagarregister", "en": "Participant register"},
    "pj_col_interviews": {"sv": "Intervjuer", "en": "Interviews"},
    "pj_col_outcome_data": {"sv": "Utfallsserier med data", "en": "Outcome series with data"},
    "pj_yes_prepared": {"sv": "ja (förberedda {date})", "en": "yes (prepared {date})"},
    "pj_no_prepared": {"sv": "nej – kör `fouress-eval prepare --evaluation {name}`",
                       "en": "no – run `fouress-eval prepare --evaluation {name}`"},
    "pj_no_data_short": {"sv": "inga förberedda data", "en": "no prepared data"},
    "pj_yes_register": {"sv": "ja ({n} deltagare)", "en": "yes ({n} participants)"},
    "pj_yes_interviews": {"sv": "ja ({n} intervjuer)", "en": "yes ({n} interviews)"},
    "pj_no": {"sv": "nej", "en": "no"},
    "pj_no_outcomes": {"sv": "inga", "en": "none"},
    "pj_rolling": {"sv": "rullande 12 mån", "en": "rolling 12 months"},
    "pj_series_months": {"sv": "{name}: {first}–{last}", "en": "{name}: {first}–{last}"},
    "pj_series_missing": {"sv": "{name}: saknas", "en": "{name}: missing"},
    "pj_from": {"sv": "från {start}", "en": "from {start}"},
    "pj_kind_intervention": {"sv": "insats", "en": "intervention"},
    "pj_kind_phase": {"sv": "fas", "en": "phase"},
    "pj_kind_external": {"sv": "extern händelse, inte projektets", "en": "external event, not the project's"},
})


def _outcome_months(evaluation: Evaluation, tables: dict[str, pd.DataFrame], outcome: Outcome, language: str) -> str:
    """"name: first–last" months with a value at the evaluation's sites, or "name: missing"."""
    months = []
    for site in evaluation.sites:
        level = _site_level(outcome, site)
        if level is None:
            continue
        try:
            frame = outcome_series(tables, outcome.source, level=level, series=outcome.series, codes=[site.code])
        except InputError as error:
            if not hasattr(error, "gap"):
                raise
            continue
        months += list(frame.loc[frame["value"].notna(), "month"])
    if not months:
        return label("pj_series_missing", language).format(name=outcome.name)
    return label("pj_series_months", language).format(name=outcome.name, first=min(months), last=max(months))


def _interruptions(evaluation: Evaluation, language: str) -> str:
    parts = []
    for stop in evaluation.interruptions:
        when = (f"{stop.start}–{stop.end}" if stop.end is not None
                else label("pj_from", language).format(start=stop.start))
        kind = "" if stop.kind == "intervention" else f", {label('pj_kind_' + stop.kind, language)}"
        parts.append(f"{stop.name} ({when}{kind})")
    return "; ".join(parts)


def _outcomes(evaluation: Evaluation, language: str) -> str:
    if not evaluation.outcomes:
        return label("pj_no_outcomes", language)
    return "; ".join(f"{o.name} ({o.unit}" + (f", {label('pj_rolling', language)}" if o.rolling_12m else "") + ")"
                     for o in evaluation.outcomes)


def overview_table(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv") -> pd.DataFrame:
    """One row per evaluation: title, owner, sites (municipality names; counties as "Uppsala län"),
    project period, baseline month, interruptions and phases, target group, outcome series, and the
    data available: prepared data (with the date they were prepared), participant register (with the
    number of distinct participants, suppressed below ``report.min_count``), coded interviews (with
    their number, or the reason there are none) and the months each outcome series has values at
    the evaluation's sites. An evaluation without prepared data says so in its cells."""
    _check_language(language)
    rows = []
    for evaluation in _evaluations(evaluations):
        prepared = _prepared(evaluation)
        corpus, why_not = _corpus(evaluation, language)
        if prepared is None:
            prepared_text = label("pj_no_prepared", language).format(name=evaluation.name)
            register_text = outcome_text = label("pj_no_data_short", language)
        else:
            manifest, tables = prepared
            prepared_text = label("pj_yes_prepared", language).format(date=str(manifest.get("created", ""))[:10])
            people = tables.get("participants")
            register_text = (label("pj_no", language) if people is None or people.empty else
                             label("pj_yes_register", language).format(
                                 n=_shown(people["participant_id"].nunique(), evaluation.min_count)))
            outcome_text = ("; ".join(_outcome_months(evaluation, tables, o, language) for o in evaluation.outcomes)
                            or label("pj_no_outcomes", language))
        interviews_text = (label("pj_yes_interviews", language).format(n=len(corpus.sources)) if corpus is not None
                           else f"{label('pj_no', language)} – {why_not}")
        rows.append({
            "pj_col_evaluation": evaluation.title, "pj_col_owner": evaluation.owner,
            "pj_col_sites": site_names(list(evaluation.site_codes), language),
            "pj_col_period": f"{_day(evaluation.period_start)} – {_day(evaluation.period_end)}",
            "pj_col_baseline": str(evaluation.baseline),
            "pj_col_interruptions": _interruptions(evaluation, language),
            "pj_col_target_group": evaluation.target_group, "pj_col_outcomes": _outcomes(evaluation, language),
            "pj_col_prepared": prepared_text, "pj_col_register": register_text,
            "pj_col_interviews": interviews_text, "pj_col_outcome_data": outcome_text})
    table = pd.DataFrame(rows, columns=list(rows[0]) if rows else None)
    return table.rename(columns=lambda key: label(key, language))
