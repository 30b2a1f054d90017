"""Targets against outcomes in the cross-project view (see :func:`target_rows`).

Planned participants are set against the distinct participants of the prepared register (small
counts hidden with :func:`fouress_eval.disclosure.suppress`, the rule of the participant report);
goals on an indicator of the register against the register; goals linked to an outcome series
against the series' value at each site in the goal's month, or the last month before it with a
value; published figures as published. A target without data says why in ``note``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..disclosure import footnote, suppress
from ..evaluation import Evaluation, Goal
from ..labels import label, register
from ..metrics.targets import INDICATORS
from ..outcomes import outcome_gap, outcome_series
from ..participants_report import missing_reason as participants_missing
from ..sites import site_name
from .inputs import _check_language, _day, _evaluations, _join, _prepared, _shown, _site_level

__all__ = ["target_rows", "targets_table"]

_PARTICIPANT_KEYS = ("participants", "participants_women", "participants_men")
_COLUMNS = ("evaluation", "title", "kind", "indicator", "name", "site", "unit", "target", "target_date",
            "outcome", "as_of", "attainment_pct", "difference", "met", "note", "description", "source")

register({
    "pj_col_kind": {"sv": "Typ", "en": "Kind"},
    "pj_col_indicator": {"sv": "Indikator", "en": "Indicator"},
    "pj_col_site": {"sv": "Plats", "en": "Site"},
    "pj_col_unit": {"sv": "Enhet", "en": "Unit"},
    "pj_col_target": {"sv": "Mål", "en": "Target"},
    "pj_col_target_date": {"sv": "Måldatum", "en": "Target date"},
    "pj_col_outcome": {"sv": "Utfall", "en": "Outcome"},
    "pj_col_as_of": {"sv": "Utfallet avser", "en": "Outcome as of"},
    "pj_col_attainment": {"sv": "Måluppfyllelse (%)", "en": "Attainment (%)"},
    "pj_col_difference": {"sv": "Skillnad (utfall − mål)", "en": "Difference (outcome − target)"},
    "pj_col_note": {"sv": "Kommentar", "en": "Note"},
    "pj_col_description": {"sv": "Beskrivning", "en": "Description"},
    "pj_col_source": {"sv": "Källa", "en": "Source"},
    "pj_kind_participants": {"sv": "Planerade deltagare", "en": "Planned participants"},
    "pj_kind_goal": {"sv": "Mål", "en": "Goal"},
    "pj_kind_reported": {"sv": "Publicerad uppgift", "en": "Published figure"},
    "pj_kind_none": {"sv": "–", "en": "–"},
    "pj_whole_project": {"sv": "hela projektet", "en": "whole project"},
    "pj_unit_participants": {"sv": "deltagare", "en": "participants"},
    "pj_ind_participants": {"sv": "Deltagare", "en": "Participants"},
    "pj_ind_participants_women": {"sv": "Deltagare, kvinnor", "en": "Participants, women"},
    "pj_ind_participants_men": {"sv": "Deltagare, män", "en": "Participants, men"},
    "pj_ind_back_in_work_pct": {"sv": "Åter i arbete (% av avslutade)", "en": "Back in work (% of closed)"},
    "pj_ind_salary_at_exit_pct": {"sv": "Full lön vid avslut (% av avslutade)",
                                  "en": "Full salary at exit (% of closed)"},
    "pj_ind_follow_up_per_participant": {"sv": "Avstämningsmöten per deltagare",
                                         "en": "Follow-up meetings per participant"},
    "pj_note_no_data": {"sv": "Inga förberedda data: kör `fouress-eval prepare --evaluation {name}`.",
                        "en": "No prepared data: run `fouress-eval prepare --evaluation {name}`."},
    "pj_note_counted": {"sv": "Unika deltagare i deltagarregistret.",
                        "en": "Distinct participants in the participant register."},
    "pj_note_indicator": {"sv": "Beräknat ur deltagarregistret (och mötesloggen).",
                          "en": "Computed from the participant register (and the meeting log)."},
    "pj_note_no_closed": {"sv": "Registret har inga avslutade deltagare att räkna andelen på.",
                          "en": "The register holds no closed episodes to compute the share from."},
    "pj_note_no_meetings": {"sv": "De förberedda data saknar möteslogg.",
                            "en": "The prepared data hold no meeting log."},
    "pj_note_not_linked": {
        "sv": "Målet är inte kopplat till någon utfallsserie (targets.goals[].outcome) och kan inte räknas fram ur "
              "deltagarregistret; det finns inga data att jämföra med.",
        "en": "The goal is linked to no outcome series (targets.goals[].outcome) and cannot be computed from the "
              "participant register; there are no data to compare it with."},
    "pj_note_at_month": {"sv": "Seriens värde för måldatumets månad.", "en": "The series' value in the goal's month."},
    "pj_note_before": {"sv": "Seriens senaste värde före måldatumet ({month}); data för {goal} saknas.",
                       "en": "The series' last value before the goal date ({month}); there are no data for {goal}."},
    "pj_note_none_before": {"sv": "Serien har inget värde för {site} till och med {goal}.",
                            "en": "The series has no value for {site} up to {goal}."},
    "pj_note_level": {"sv": "Utfallsserien följs på {levels}, inte på platsens nivå ({level}).",
                      "en": "The outcome series is followed at {levels}, not at the site's level ({level})."},
    "pj_note_published": {"sv": "Projektets publicerade uppgift, inte omräknad ur data.",
                          "en": "The project's published figure, not recomputed from data."},
    "pj_note_no_targets": {"sv": "Konfigurationen har inga mål och inga publicerade uppgifter.",
                           "en": "The configuration holds no targets and no published figures."},
    "pj_col_met": {"sv": "Uppnått", "en": "Met"},
    "pj_targets_note": {
        "sv": "Måluppfyllelse = utfall / mål i procent, för antal och andelar där högre är bättre. För mål på en "
              "utfallsserie visas skillnaden utfall − mål, och om målet är nått när konfigurationen anger om det "
              "är ett golv att nå (direction: at_least) eller ett tak att hålla sig under (at_most).",
        "en": "Attainment = outcome / target in per cent, for counts and shares where higher is better. For goals "
              "on an outcome series the difference outcome − target is shown, and whether the goal is met when "
              "the configuration says whether it is a floor to reach (direction: at_least) or a ceiling to stay "
              "under (at_most)."},
})


def _row(evaluation: Evaluation, **values: Any) -> dict:
    row = dict.fromkeys(_COLUMNS)
    row.update(evaluation=evaluation.name, title=evaluation.title, **values)
    return row


def _whole(value: Any) -> Any:
    """200.0 → 200 (counts and targets read as whole numbers); NaN → None; anything else unchanged."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def _met(goal: Goal, value: float, direction: str | None = None) -> bool | None:
    """Whether ``value`` is at or above a floor, at or below a ceiling; None when the direction is
    not known."""
    direction = goal.direction or direction
    if direction is None:
        return None
    return bool(value >= goal.value if direction == "at_least" else value <= goal.value)


def _goal(goal: Goal, **values: Any) -> dict:
    """What every row of a goal says about the goal itself."""
    return dict(kind="goal", indicator=goal.name, unit=goal.unit, target=goal.value, target_date=_day(goal.date),
                description=goal.description, source=goal.source, **values)


def _participant_rows(evaluation: Evaluation, prepared, language: str) -> list[dict]:
    t = evaluation.targets
    planned = {k: getattr(t, k) for k in _PARTICIPANT_KEYS if getattr(t, k) is not None}
    if not planned:
        return []
    common = dict(kind="participants", site=label("pj_whole_project", language),
                  unit=label("pj_unit_participants", language), target_date=_day(t.participants_date),
                  source=t.participants_source)
    reason = (label("pj_note_no_data", language).format(name=evaluation.name) if prepared is None
              else participants_missing(prepared[1], None, language=language))
    if reason:
        return [_row(evaluation, indicator=k, name=label(f"pj_ind_{k}", language), target=v, note=reason, **common)
                for k, v in planned.items()]
    people = prepared[1]["participants"]
    # the total is shown in the overview even when it has no target, so it always takes part in the
    # secondary suppression: a hidden count of men must not follow from the total minus the women
    counts = pd.DataFrame({"n": [INDICATORS[k].outcome(people, None) for k in _PARTICIPANT_KEYS]},
                          index=list(_PARTICIPANT_KEYS))
    shown = suppress(counts.astype(int), ["n"], evaluation.min_count, totals={"row": "participants"})
    rows = []
    for key, target in planned.items():
        value = shown.at[key, "n"]
        rows.append(_row(evaluation, indicator=key, name=label(f"pj_ind_{key}", language), target=target,
                         outcome=value, as_of=_day(evaluation.data_cutoff),
                         attainment_pct=value if isinstance(value, str) else round(100 * value / target, 1),
                         note=label("pj_note_counted", language), **common))
    return rows


def _indicator_goal(evaluation: Evaluation, goal: Goal, prepared, language: str) -> dict:
    common = _goal(goal, name=label(f"pj_ind_{goal.name}", language), site=label("pj_whole_project", language))
    if prepared is None:
        return _row(evaluation, note=label("pj_note_no_data", language).format(name=evaluation.name), **common)
    tables = prepared[1]
    reason = participants_missing(tables, None, language=language)
    if reason:
        return _row(evaluation, note=reason, **common)
    people, meetings = tables["participants"], tables.get("meetings")
    if goal.name == "follow_up_per_participant":
        if meetings is None:
            return _row(evaluation, note=label("pj_note_no_meetings", language), **common)
        base = people["participant_id"].nunique()
    else:
        base = int(people["end_date"].notna().sum())
        if base == 0:
            return _row(evaluation, note=label("pj_note_no_closed", language), **common)
    value = INDICATORS[goal.name].outcome(people, meetings)
    found = dict(as_of=_day(evaluation.data_cutoff), note=label("pj_note_indicator", language), **common)
    hidden = _shown(base, evaluation.min_count)  # a share or mean of a small base is hidden with it
    if isinstance(hidden, str):
        return _row(evaluation, outcome=hidden, attainment_pct=hidden, **found)
    return _row(evaluation, outcome=round(value, 2), attainment_pct=round(100 * value / goal.value, 1),
                met=_met(goal, value, "at_least"), **found)  # the register's indicators: higher is better


def _outcome_goal(evaluation: Evaluation, goal: Goal, prepared, language: str) -> list[dict]:
    outcome = evaluation.outcome(goal.outcome)
    goal_month = goal.date.to_period("M")
    rows = []
    for site in evaluation.sites:
        where = _goal(goal, name=goal.name.replace("_", " "), site=site_name(site.code, language))
        if prepared is None:
            rows.append(_row(evaluation, note=label("pj_note_no_data", language).format(name=evaluation.name),
                             **where))
            continue
        level = _site_level(outcome, site)
        if level is None:
            levels = _join([label(f"oc_level_{lv}", language) for lv in outcome.levels], language)
            rows.append(_row(evaluation, note=label("pj_note_level", language).format(
                levels=levels, level=label(f"oc_level_{site.level}", language)), **where))
            continue
        tables = prepared[1]
        gap = outcome_gap(tables, outcome.source, level=level, series=outcome.series, code=site.code, min_months=1,
                          language=language)
        if gap:
            rows.append(_row(evaluation, note=gap, **where))
            continue
        frame = outcome_series(tables, outcome.source, level=level, series=outcome.series, codes=[site.code])
        values = frame[(frame["unit_code"] == site.code) & frame["value"].notna() & (frame["month"] <= goal_month)]
        if values.empty:
            rows.append(_row(evaluation, note=label("pj_note_none_before", language).format(
                site=where["site"], goal=goal_month), **where))
            continue
        last = values.iloc[-1]
        month = last["month"]
        note = (label("pj_note_at_month", language) if month == goal_month
                else label("pj_note_before", language).format(month=month, goal=goal_month))
        value = float(last["value"])
        rows.append(_row(evaluation, outcome=value, as_of=str(month), difference=round(value - goal.value, 4),
                         met=_met(goal, value), note=note, **where))
    return rows


def target_rows(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv") -> pd.DataFrame:
    """The rows of :func:`targets_table` with stable English column names: ``evaluation`` (name),
    ``title``, ``kind`` (``participants``, ``goal``, ``reported`` or ``none``), ``indicator`` (the
    configuration's name), ``name`` (its label), ``site``, ``unit``, ``target``, ``target_date``,
    ``outcome`` (a number, or a suppression marker such as ``"<5"``/``".."``), ``as_of``,
    ``attainment_pct`` (100 · outcome / target for participants and register indicators),
    ``difference`` (outcome − target for goals on an outcome series), ``met`` (True/False for
    goals whose direction is known: the configuration's ``direction``, register indicators
    ``at_least``; a hidden outcome says nothing), ``note`` (in ``language``: where
    the outcome comes from, or why there is none), ``description`` and ``source``."""
    _check_language(language)
    rows = []
    for evaluation in _evaluations(evaluations):
        prepared = _prepared(evaluation)
        found = _participant_rows(evaluation, prepared, language)
        for goal in evaluation.targets.goals:
            if goal.outcome:
                found += _outcome_goal(evaluation, goal, prepared, language)
            elif goal.name in INDICATORS:
                found.append(_indicator_goal(evaluation, goal, prepared, language))
            else:
                found.append(_row(evaluation, note=label("pj_note_not_linked", language), **_goal(
                    goal, name=goal.name.replace("_", " "), site=label("pj_whole_project", language))))
        for figure in evaluation.reported:
            found.append(_row(evaluation, kind="reported", indicator=figure.name, name=figure.name.replace("_", " "),
                              site=label("pj_whole_project", language), unit=figure.unit,
                              outcome=int(figure.value) if float(figure.value).is_integer() else figure.value,
                              as_of=_day(figure.date), note=label("pj_note_published", language),
                              description=figure.description, source=figure.source))
        if not found:
            found.append(_row(evaluation, kind="none", note=label("pj_note_no_targets", language)))
        rows += found
    return pd.DataFrame({c: pd.Series([_whole(r[c]) for r in rows], dtype=object) for c in _COLUMNS})


def targets_table(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv") -> pd.DataFrame:
    """Targets against outcomes, one row per target (and per site for goals on an outcome series),
    labelled for the report (see the module docstring and :func:`target_rows`), with a footnote for
    each disclosure threshold of the evaluations."""
    _check_language(language)
    chosen = _evaluations(evaluations)
    rows = target_rows(chosen, language)
    kinds = {k: label(f"pj_kind_{k}", language) for k in ("participants", "goal", "reported", "none")}
    columns = {"pj_col_evaluation": "title", "pj_col_kind": "kind", "pj_col_indicator": "name",
               "pj_col_site": "site", "pj_col_unit": "unit", "pj_col_target": "target",
               "pj_col_target_date": "target_date", "pj_col_outcome": "outcome", "pj_col_as_of": "as_of",
               "pj_col_attainment": "attainment_pct", "pj_col_difference": "difference", "pj_col_met": "met",
               "pj_col_note": "note",
               "pj_col_description": "description", "pj_col_source": "source"}
    shown = rows.assign(met=rows["met"].map(lambda m: None if m is None else label("yes" if m else "no", language)))
    table = pd.DataFrame({label(key, language): shown["kind"].map(kinds) if column == "kind" else shown[column]
                          for key, column in columns.items()}).astype(object)
    table = table.where(table.notna(), None)
    notes = [label("pj_targets_note", language)]
    notes += [footnote(language, min_count=threshold) for threshold in sorted({e.min_count for e in chosen})]
    table.attrs["note"] = " ".join(notes)
    return table
