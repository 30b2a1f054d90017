"""The cross-project view (notebook ``30_projects``): several evaluations side by side.

An ESF or samordningsförbund reviewer compares return-to-work projects of the same period: where
and when they ran, whom they were for, what they promised against what they achieved, and what
the people interviewed in them talk about. Every function here takes a list of
:class:`~fouress_eval.evaluation.Evaluation` objects (or their names; :func:`collect` loads them,
by default every ``evaluations/*.yml``) and returns a tidy table, one row per evaluation, target or
theme, with Swedish column labels (``language="en"``: English).

- :func:`overview_table` — title, owner, sites, period, baseline, interruptions and phases, target
  group, outcome series, and which data exist (prepared data, participant register, interviews,
  outcome series with months).
- :func:`targets_table` — planned participants (total, women, men) against the distinct
  participants of the prepared register (small counts suppressed with
  :func:`fouress_eval.disclosure.suppress`, the rule of the participant report); goals on an
  indicator of the register (``back_in_work_pct`` …) against the register; goals linked to an
  outcome series (``targets.goals[].outcome``) against the series' value at each site in the goal's
  month, or the last month before it that has a value; every goal without data with the reason in
  the ``note`` column; published figures (``reported``) as published. An evaluation without
  prepared data says so in its rows; nothing here raises for missing data.
- :func:`shared_themes` — the themes the projects' interviews share. Each project has its own
  codebook, so the comparison is made explicit by a mapping file (default :data:`SHARED_THEMES`,
  ``fouress_eval/data/shared_themes.yml``; :func:`load_shared_themes` validates it): a theme ×
  evaluation table of interviews in which at least one of the theme's codes was applied (first
  coder), with the share of the evaluation's interviews. :func:`theme_counts` gives the same as a
  long table of numbers.
- :func:`header_markdown` and :func:`reading` — the report's opening block (evaluations, SHA-256
  of their configuration files, package version, synthetic banner) and a short plain-language
  reading of the three tables.

Counts of interviews are shown however small, as in the interview report
(:mod:`fouress_eval.interviews_report`): they say which themes a project's interviews raised, not
anything about a person. Participant counts below the evaluation's ``report.min_count`` are shown
as ``"<5"`` and their complements as ``".."``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import __version__
from . import interviews_report as ir
from .config import find_project_root
from .disclosure import footnote, suppress
from .errors import InputError
from .evaluation import Evaluation, Site, list_evaluations, load_evaluation
from .labels import label, register
from .metrics.targets import INDICATORS
from .outcomes import outcome_gap, outcome_series
from .participants_report import missing_reason as participants_missing
from .qual import tallies
from .qual.codebook import descendants, read_codebook
from .sites import site_name, site_names
from .store import MANIFEST, load_manifest, load_tables, sha256

__all__ = ["collect", "overview_table", "targets_table", "target_rows", "shared_themes", "theme_counts",
           "load_shared_themes", "SharedTheme", "header_markdown", "reading", "SHARED_THEMES"]

#: the packaged mapping of cross-project themes to each evaluation's code ids
SHARED_THEMES = Path(__file__).parent / "data" / "shared_themes.yml"
_LANGUAGES = ("sv", "en")
_PARTICIPANT_KEYS = ("participants", "participants_women", "participants_men")

register({
    "pj_title": {"sv": "Projekten sida vid sida", "en": "The projects side by side"},
    "pj_intro": {
        "sv": "Utvärderingarna jämförs sida vid sida: var och när projekten pågick, vilka de riktade sig till, "
              "vilka mål de satte och vad data visar om dem, och vilka teman som återkommer i intervjuerna i flera "
              "projekt. Allt kommer från utvärderingarnas konfigurationer (evaluations/*.yml), deras förberedda "
              "data och deras kodade intervjuer; ett projekt som saknar något säger det i sin rad.",
        "en": "The evaluations are set side by side: where and when the projects ran, whom they were for, which "
              "targets they set and what the data say about them, and which themes recur in the interviews of "
              "several projects. Everything comes from the evaluations' configurations (evaluations/*.yml), their "
              "prepared data and their coded interviews; a project that lacks something says so in its row."},
    "pj_overview": {"sv": "Projekten", "en": "The projects"},
    "pj_targets": {"sv": "Mål och utfall", "en": "Targets and outcomes"},
    "pj_themes": {"sv": "Gemensamma teman i intervjuerna", "en": "Themes the interviews share"},
    "pj_reading": {"sv": "Sammanfattning", "en": "Summary"},
    "pj_evaluations": {"sv": "Utvärderingar", "en": "Evaluations"},
    "pj_config": {"sv": "konfiguration", "en": "configuration"},
    "pj_synthetic_data": {"sv": "syntetiska data", "en": "synthetic data"},
    # overview columns
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
    # overview cells
    "pj_yes_prepared": {"sv": "ja (förberedda {date})", "en": "yes (prepared {date})"},
    "pj_no_prepared": {"sv": "nej – kör `fouress-eval prepare --evaluation {name}`",
                       "en": "no – run `fouress-eval prepare --evaluation {name}`"},
    "pj_no_data_short": {"sv": "inga förberedda data", "en": "no prepared data"},
    "pj_yes_register": {"sv": "ja ({n} deltagare)", "en": "yes ({n} participants)"},
    "pj_yes_interviews": {"sv": "ja ({n} intervjuer)", "en": "yes ({n} interviews)"},
    "pj_no": {"sv": "nej", "en": "no"},
    "pj_no_corpus": {"sv": "Konfigurationen anger inga intervjuer.",
                     "en": "The configuration names no interviews."},
    "pj_no_outcomes": {"sv": "inga", "en": "none"},
    "pj_rolling": {"sv": "rullande 12 mån", "en": "rolling 12 months"},
    "pj_series_months": {"sv": "{name}: {first}–{last}", "en": "{name}: {first}–{last}"},
    "pj_series_missing": {"sv": "{name}: saknas", "en": "{name}: missing"},
    "pj_from": {"sv": "från {start}", "en": "from {start}"},
    "pj_kind_intervention": {"sv": "insats", "en": "intervention"},
    "pj_kind_phase": {"sv": "fas", "en": "phase"},
    "pj_kind_external": {"sv": "extern händelse, inte projektets", "en": "external event, not the project's"},
    # targets columns
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
    "pj_targets_note": {
        "sv": "Måluppfyllelse = utfall / mål i procent, för antal och andelar där högre är bättre. För mål på en "
              "utfallsserie visas skillnaden utfall − mål, eftersom konfigurationen inte anger om målet är ett tak "
              "eller ett golv.",
        "en": "Attainment = outcome / target in per cent, for counts and shares where higher is better. For goals "
              "on an outcome series the difference outcome − target is shown, since the configuration does not "
              "say whether the goal is a ceiling or a floor."},
    # themes
    "pj_theme": {"sv": "Tema", "en": "Theme"},
    "pj_theme_projects": {"sv": "Projekt där temat förekommer", "en": "Projects raising the theme"},
    "pj_no_code": {"sv": "ingen kod", "en": "no code"},
    "pj_of": {"sv": "{k} av {n}", "en": "{k} of {n}"},
    "pj_themes_note": {
        "sv": "Antal intervjuer där minst en av temats koder användes (första kodaren) och andel av projektets "
              "intervjuer (n). – = projektet har inga kodade intervjuer; \"ingen kod\" = projektets kodbok har "
              "ingen kod för temat. Vilka koder som hör till ett tema står i {mapping}. Små antal visas: de anger "
              "vilka teman intervjuerna tog upp, inte uppgifter om en person.",
        "en": "Interviews in which at least one of the theme's codes was applied (first coder) and their share of "
              "the project's interviews (n). – = the project has no coded interviews; \"no code\" = the project's "
              "codebook has no code for the theme. Which codes belong to a theme is set in {mapping}. Small "
              "counts are shown: they tell which themes the interviews raised, not facts about a person."},
    # reading
    "pj_read_projects": {"sv": "{n} projekt jämförs: {list}.", "en": "{n} projects are compared: {list}."},
    "pj_read_span": {"sv": "Tillsammans spänner projektperioderna från {start} till {end}.",
                     "en": "Together the project periods run from {start} to {end}."},
    "pj_read_prepared": {"sv": "Förberedda data finns för {yes}; de saknas för {no}.",
                         "en": "Prepared data exist for {yes}; they are missing for {no}."},
    "pj_read_prepared_all": {"sv": "Förberedda data finns för alla projekten.",
                             "en": "Prepared data exist for every project."},
    "pj_read_prepared_none": {"sv": "Inget av projekten har förberedda data ännu.",
                              "en": "None of the projects has prepared data yet."},
    "pj_read_sources": {"sv": "Deltagarregister: {register}. Kodade intervjuer: {interviews}.",
                        "en": "Participant register: {register}. Coded interviews: {interviews}."},
    "pj_read_none": {"sv": "inget projekt", "en": "no project"},
    "pj_read_participants": {"sv": "{outcome} av {target} planerade deltagare ({pct} %)",
                             "en": "{outcome} of {target} planned participants ({pct} %)"},
    "pj_read_goal": {"sv": "{name} {outcome} mot målet {target}", "en": "{name} {outcome} against the goal {target}"},
    "pj_read_series_goal": {"sv": "{name} {outcome} {unit} i {site} {as_of} mot målet {target} {unit} till {date}",
                            "en": "{name} {outcome} {unit} in {site} in {as_of} against the goal {target} {unit} "
                                  "by {date}"},
    "pj_read_without": {"sv": "{n} mål saknar data att jämföra med; skälet står i kolumnen Kommentar.",
                        "en": "{n} goal(s) have no data to compare with; the reason is in the Note column."},
    "pj_read_no_targets": {"sv": "Inget mål kan ännu jämföras med data.",
                           "en": "No target can be compared with data yet."},
    "pj_read_shared": {"sv": "Teman som förekommer i intervjuerna i minst två projekt: {list}.",
                       "en": "Themes found in the interviews of at least two projects: {list}."},
    "pj_read_theme": {"sv": "{label} ({k} projekt)", "en": "{label} ({k} projects)"},
    "pj_read_no_shared": {"sv": "Inget tema förekommer i intervjuerna i mer än ett projekt.",
                          "en": "No theme occurs in the interviews of more than one project."},
    "pj_read_one_corpus": {"sv": "Färre än två projekt har kodade intervjuer, så inga teman kan jämföras.",
                           "en": "Fewer than two projects have coded interviews, so no themes can be compared."},
    "pj_read_caveat": {
        "sv": "Jämförelsen ställer projekten bredvid varandra; den säger inte vilket arbetssätt som fungerar bäst, "
              "eftersom målgrupper, platser, perioder och mått skiljer sig åt.",
        "en": "The comparison sets the projects next to each other; it does not say which way of working works "
              "best, since target groups, places, periods and measures differ."},
})


# ---------------------------------------------------------------------------------------------
# evaluations, prepared data and corpora
# ---------------------------------------------------------------------------------------------
def collect(names: Sequence[str | Path] | str | None = None, root: str | Path | None = None) -> list[Evaluation]:
    """The evaluations to compare: ``names`` (names in ``<root>/evaluations/`` or paths to YAML files,
    in the order given) or, when ``names`` is None or empty, every ``evaluations/*.yml`` in name order.

    A configuration that does not load is an :class:`InputError` (none is skipped); so is an empty
    ``evaluations/`` folder.
    """
    if isinstance(names, (str, Path)):
        names = [names]
    chosen = list(dict.fromkeys(str(n) for n in (names or [])))
    if not chosen:
        chosen = list_evaluations(root)
        if not chosen:
            folder = Path(root or find_project_root()) / "evaluations"
            raise InputError("no evaluation configurations found", file=folder,
                             expected="evaluations/<name>.yml files (`fouress-eval new NAME` writes one)")
    return [load_evaluation(name, root=root) for name in chosen]


def _evaluations(evaluations: Iterable[Evaluation | str] | Evaluation | str | None) -> list[Evaluation]:
    if evaluations is None or isinstance(evaluations, (str, Path, Evaluation)):
        evaluations = [] if evaluations is None else [evaluations]
    items = list(evaluations)
    if not items:
        return collect()
    return [e if isinstance(e, Evaluation) else load_evaluation(e) for e in items]


def _check_language(language: str) -> None:
    if language not in _LANGUAGES:
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")


def _root(evaluation: Evaluation) -> Path:
    return Path(evaluation.root or find_project_root())


_MEMO: dict[tuple, Any] = {}


def _stamp(paths: Iterable[Path]) -> tuple:
    """What identifies the files' current contents cheaply: path, modification time and size."""
    out = []
    for path in paths:
        try:
            status = path.stat()
            out.append((str(path), status.st_mtime_ns, status.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def _memo(key: tuple, load: Callable[[], Any]) -> Any:
    """``load()`` once per ``key`` (the files' stamps), so that the tables and the reading of one
    report read each evaluation's data once. Callers never modify what they get."""
    if key not in _MEMO:
        if len(_MEMO) >= 32:
            _MEMO.clear()
        _MEMO[key] = load()
    return _MEMO[key]


def _prepared(evaluation: Evaluation) -> tuple[dict, dict[str, pd.DataFrame]] | None:
    """(manifest, tables) of the evaluation's prepared data, or None when there are none."""
    folder = Path(evaluation.settings().processed_dir)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    return _memo(("prepared", _stamp([manifest])), lambda: (load_manifest(folder), load_tables(folder)))


def _corpus_files(folder: Path) -> list[Path]:
    listings = [p for f in (folder.parent, folder) for pattern in ("intervjuer*.csv", "intervjuer*.xlsx")
                for p in sorted(f.glob(pattern))]
    return [folder / ir.CODEBOOK, folder / ir.CODINGS, *sorted((folder / ir.TRANSCRIPTS).glob("*.txt")), *listings]


def _corpus(evaluation: Evaluation, language: str = "sv"):
    """(corpus, None) for an evaluation with coded interviews, else (None, a sentence saying why not)."""
    if evaluation.corpus is None:
        return None, label("pj_no_corpus", language)
    folder = Path(evaluation.settings().qual_dir)
    complete = folder.is_dir() and all((folder / n).exists() for n in (ir.CODEBOOK, ir.CODINGS, ir.TRANSCRIPTS))
    if not complete:
        return None, ir.missing_reason(folder, language=language)
    try:
        corpus = _memo(("corpus", _stamp(_corpus_files(folder))), lambda: ir.load_corpus(folder))
    except InputError as error:
        if error.message == "interview list not found":
            return None, ir.missing_reason(folder, language=language)
        raise
    reason = ir.missing_reason(corpus, language=language)
    return (None, reason) if reason else (corpus, None)


def _synthetic(evaluation: Evaluation) -> bool:
    """True when the evaluation's prepared data, raw folder or interview folder say they are synthetic."""
    prepared = _prepared(evaluation)
    if prepared is not None and prepared[0].get("synthetic"):
        return True
    settings = evaluation.settings()
    folders = [Path(settings.raw_dir)] + ([Path(settings.qual_dir).parent] if settings.qual_dir else [])
    for folder in folders:
        marker = folder / "_synthetic.json"
        if marker.is_file():
            try:
                if json.loads(marker.read_text(encoding="utf-8")).get("synthetic"):
                    return True
            except (ValueError, AttributeError):
                continue
    return False


def _shown(count: int, min_count: int) -> int | str:
    return int(count) if count == 0 or count >= min_count else f"<{min_count}"


def _number(value: float, language: str, decimals: int = 1) -> str:
    """A number for running text: at most ``decimals`` decimals, trailing zeros dropped (decimal comma in Swedish)."""
    if isinstance(value, str):
        return value
    text = f"{value:.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",").replace("-", "−") if language == "sv" else text


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" och " if language == "sv" else " and ") + items[-1]


def _whole(value: Any) -> Any:
    """200.0 → 200 (counts and targets read as whole numbers); NaN → None; anything else unchanged."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def _day(value: pd.Timestamp | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")


# ---------------------------------------------------------------------------------------------
# overview
# ---------------------------------------------------------------------------------------------
def _site_level(outcome, site: Site) -> str | None:
    return site.level if site.level in outcome.levels else None


def _outcome_months(evaluation: Evaluation, tables: dict[str, pd.DataFrame], outcome, language: str) -> str:
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


# ---------------------------------------------------------------------------------------------
# targets against outcomes
# ---------------------------------------------------------------------------------------------
_TARGET_COLUMNS = ("evaluation", "title", "kind", "indicator", "name", "site", "unit", "target", "target_date",
                   "outcome", "as_of", "attainment_pct", "difference", "note", "description", "source")


def _row(evaluation: Evaluation, **values: Any) -> dict:
    row = dict.fromkeys(_TARGET_COLUMNS)
    row.update(evaluation=evaluation.name, title=evaluation.title, **values)
    return row


def _participant_rows(evaluation: Evaluation, prepared, language: str) -> list[dict]:
    t = evaluation.targets
    planned = {k: v for k, v in zip(_PARTICIPANT_KEYS, (t.participants, t.participants_women, t.participants_men))
               if v is not None}
    if not planned:
        return []
    common = dict(kind="participants", site=label("pj_whole_project", language),
                  unit=label("pj_unit_participants", language), target_date=_day(t.participants_date),
                  source=t.participants_source)
    reason = None
    if prepared is None:
        reason = label("pj_note_no_data", language).format(name=evaluation.name)
    else:
        reason = participants_missing(prepared[1], None, language=language)
    if reason:
        return [_row(evaluation, indicator=k, name=label(f"pj_ind_{k}", language), target=v, note=reason, **common)
                for k, v in planned.items()]
    people = prepared[1]["participants"]
    # the total is shown in the overview even when it has no target, so it always takes part in the
    # secondary suppression: a hidden count of men must not follow from the total minus the women
    counts = pd.DataFrame({"n": [INDICATORS[k].outcome(people, None) for k in _PARTICIPANT_KEYS]},
                          index=list(_PARTICIPANT_KEYS))
    shown = suppress(counts.astype(int), ["n"], evaluation.min_count, totals={"row": "participants"})
    as_of = _day(evaluation.data_cutoff)
    rows = []
    for key, target in planned.items():
        value = shown.at[key, "n"]
        hidden = isinstance(value, str)
        rows.append(_row(evaluation, indicator=key, name=label(f"pj_ind_{key}", language), target=target,
                         outcome=value, as_of=as_of,
                         attainment_pct=value if hidden else round(100 * value / target, 1),
                         note=label("pj_note_counted", language), **common))
    return rows


def _indicator_goal(evaluation: Evaluation, goal, prepared, language: str) -> dict:
    common = dict(kind="goal", indicator=goal.name, name=label(f"pj_ind_{goal.name}", language),
                  site=label("pj_whole_project", language), unit=goal.unit, target=goal.value,
                  target_date=_day(goal.date), description=goal.description, source=goal.source)
    if prepared is None:
        return _row(evaluation, note=label("pj_note_no_data", language).format(name=evaluation.name), **common)
    tables = prepared[1]
    reason = participants_missing(tables, None, language=language)
    if reason:
        return _row(evaluation, note=reason, **common)
    people, meetings = tables["participants"], tables.get("meetings")
    indicator = INDICATORS[goal.name]
    if goal.name == "follow_up_per_participant":
        if meetings is None:
            return _row(evaluation, note=label("pj_note_no_meetings", language), **common)
        base = people["participant_id"].nunique()
    else:
        base = int(people["end_date"].notna().sum())
        if base == 0:
            return _row(evaluation, note=label("pj_note_no_closed", language), **common)
    value = indicator.outcome(people, meetings)
    if 0 < base < evaluation.min_count:
        hidden = f"<{evaluation.min_count}"
        return _row(evaluation, outcome=hidden, attainment_pct=hidden, as_of=_day(evaluation.data_cutoff),
                    note=label("pj_note_indicator", language), **common)
    return _row(evaluation, outcome=round(value, 2), attainment_pct=round(100 * value / goal.value, 1),
                as_of=_day(evaluation.data_cutoff), note=label("pj_note_indicator", language), **common)


def _outcome_goal(evaluation: Evaluation, goal, prepared, language: str) -> list[dict]:
    outcome = evaluation.outcome(goal.outcome)
    common = dict(kind="goal", indicator=goal.name, name=goal.name.replace("_", " "), unit=goal.unit,
                  target=goal.value, target_date=_day(goal.date), description=goal.description, source=goal.source)
    goal_month = goal.date.to_period("M")
    rows = []
    for site in evaluation.sites:
        where = dict(site=site_name(site.code, language), **common)
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
                site=site_name(site.code, language), goal=goal_month), **where))
            continue
        last = values.iloc[-1]
        month = last["month"]
        note = (label("pj_note_at_month", language) if month == goal_month
                else label("pj_note_before", language).format(month=month, goal=goal_month))
        value = float(last["value"])
        rows.append(_row(evaluation, outcome=value, as_of=str(month), difference=round(value - goal.value, 4),
                         note=note, **where))
    return rows


def target_rows(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv") -> pd.DataFrame:
    """The rows of :func:`targets_table` with stable English column names: ``evaluation`` (name),
    ``title``, ``kind`` (``participants``, ``goal``, ``reported`` or ``none``), ``indicator`` (the
    configuration's name), ``name`` (its label), ``site``, ``unit``, ``target``, ``target_date``,
    ``outcome`` (a number, or a suppression marker such as ``"<5"``/``".."``), ``as_of``,
    ``attainment_pct`` (100 · outcome / target for participants and register indicators),
    ``difference`` (outcome − target for goals on an outcome series), ``note`` (in ``language``: where
    the outcome comes from, or why there is none), ``description`` and ``source``."""
    _check_language(language)
    rows, thresholds = [], set()
    for evaluation in _evaluations(evaluations):
        prepared = _prepared(evaluation)
        found = _participant_rows(evaluation, prepared, language)
        for goal in evaluation.targets.goals:
            if goal.outcome:
                found += _outcome_goal(evaluation, goal, prepared, language)
            elif goal.name in INDICATORS:
                found.append(_indicator_goal(evaluation, goal, prepared, language))
            else:
                found.append(_row(evaluation, kind="goal", indicator=goal.name, name=goal.name.replace("_", " "),
                                  site=label("pj_whole_project", language), unit=goal.unit, target=goal.value,
                                  target_date=_day(goal.date), note=label("pj_note_not_linked", language),
                                  description=goal.description, source=goal.source))
        for figure in evaluation.reported:
            found.append(_row(evaluation, kind="reported", indicator=figure.name, name=figure.name.replace("_", " "),
                              site=label("pj_whole_project", language), unit=figure.unit,
                              outcome=int(figure.value) if float(figure.value).is_integer() else figure.value,
                              as_of=_day(figure.date), note=label("pj_note_published", language),
                              description=figure.description, source=figure.source))
        if not found:
            found.append(_row(evaluation, kind="none", note=label("pj_note_no_targets", language)))
        rows += found
        thresholds.add(evaluation.min_count)
    out = pd.DataFrame({c: pd.Series([_whole(r[c]) for r in rows], dtype=object) for c in _TARGET_COLUMNS})
    out.attrs["min_counts"] = tuple(sorted(thresholds))
    return out


def targets_table(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv") -> pd.DataFrame:
    """Targets against outcomes, one row per target (and per site for goals on an outcome series),
    labelled for the report (see the module docstring and :func:`target_rows`)."""
    rows = target_rows(evaluations, language)
    kinds = {k: label(f"pj_kind_{k}", language) for k in ("participants", "goal", "reported", "none")}
    table = pd.DataFrame({
        label("pj_col_evaluation", language): rows["title"],
        label("pj_col_kind", language): rows["kind"].map(kinds),
        label("pj_col_indicator", language): rows["name"],
        label("pj_col_site", language): rows["site"],
        label("pj_col_unit", language): rows["unit"],
        label("pj_col_target", language): rows["target"],
        label("pj_col_target_date", language): rows["target_date"],
        label("pj_col_outcome", language): rows["outcome"],
        label("pj_col_as_of", language): rows["as_of"],
        label("pj_col_attainment", language): rows["attainment_pct"],
        label("pj_col_difference", language): rows["difference"],
        label("pj_col_note", language): rows["note"],
        label("pj_col_description", language): rows["description"],
        label("pj_col_source", language): rows["source"],
    }).astype(object)
    table = table.where(table.notna(), None)
    notes = [label("pj_targets_note", language)]
    for threshold in sorted(set(rows.attrs.get("min_counts", ()))):  # one footnote per threshold in use
        notes.append(footnote(language, min_count=threshold))
    table.attrs["note"] = " ".join(notes)
    return table


# ---------------------------------------------------------------------------------------------
# shared themes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SharedTheme:
    """A cross-project theme: ``codes`` maps an evaluation name to the code ids of its codebook that
    express the theme (a theme id of the codebook stands for every code below it)."""
    id: str
    label_sv: str
    label_en: str
    codes: dict[str, tuple[str, ...]]
    description: str | None = None

    def label(self, language: str = "sv") -> str:
        return self.label_sv if language == "sv" else self.label_en


def _yaml_lines(node: yaml.Node | None, path: str, out: dict[str, int]) -> dict[str, int]:
    """Key path (``themes[2].codes.pa_vag[0]``) → 1-based line of the YAML file."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            out[sub] = key.start_mark.line + 1
            _yaml_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[f"{path}[{i}]"] = item.start_mark.line + 1
            _yaml_lines(item, f"{path}[{i}]", out)
    return out


def _codebook_path(evaluation: Evaluation) -> Path | None:
    """The evaluation's codebook file (``interviews.codebook``, else ``kodbok.yml`` in its corpus folder)."""
    if evaluation.codebook:
        return _root(evaluation) / evaluation.codebook
    if evaluation.corpus:
        return _root(evaluation) / evaluation.corpus / ir.CODEBOOK
    return None


def load_shared_themes(path: str | Path | None = None, *, root: str | Path | None = None,
                       evaluations: Iterable[Evaluation] = ()) -> tuple[SharedTheme, ...]:
    """Read and validate a shared-themes mapping (default :data:`SHARED_THEMES`).

    The file holds ``themes:``, a list of ``{id, label_sv, label_en, description?, codes}`` where
    ``codes`` maps evaluation names to lists of code ids. Every evaluation name must be one of
    ``<root>/evaluations/*.yml`` (or of ``evaluations``) with interviews in its configuration, and
    every code id must be in that evaluation's codebook when the codebook file exists (a project
    whose demo data are not written yet is checked once they are). Anything else is an
    :class:`InputError` naming the file, the key (with its line) and the values expected.
    """
    file = Path(path) if path else SHARED_THEMES
    if not file.is_file():
        raise InputError("shared-themes mapping not found", file=file,
                         expected="a YAML file like fouress_eval/data/shared_themes.yml")
    text = file.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"not valid YAML{where}: {getattr(error, 'problem', None) or error}", file=file,
                         expected="'key: value' lines indented with spaces") from None
    lines = _yaml_lines(node, "", {})

    def fail(key: str, message: str, value: Any = None, expected: str | None = None) -> InputError:
        line = f" (line {lines[key]})" if key in lines else ""
        return InputError(f"key '{key}'{line}: {message}", file=file, value=value, expected=expected)

    if not isinstance(data, dict) or "themes" not in data:
        raise fail("themes", "is missing", None, "a top-level 'themes:' list")
    unknown = [k for k in data if k not in ("themes", "name", "description")]
    if unknown:
        raise fail(str(unknown[0]), "unknown key", unknown[0], "themes (and optionally name, description)")
    if not isinstance(data["themes"], list) or not data["themes"]:
        raise fail("themes", "must be a non-empty list ('- ' lines)", data["themes"], "a list of themes")
    given = {e.name: e for e in evaluations}
    roots = {_root(e) for e in given.values()} or {Path(root or find_project_root())}
    if root is not None:
        roots.add(Path(root))
    known: dict[str, Path] = {}
    for folder in sorted(roots):
        for name in list_evaluations(folder):
            known.setdefault(name, folder)
    names = sorted(set(known) | set(given))
    loaded: dict[str, Evaluation] = dict(given)
    codebooks: dict[str, set[str] | None] = {}

    def evaluation_of(name: str) -> Evaluation:
        if name not in loaded:
            loaded[name] = load_evaluation(name, root=known[name])
        return loaded[name]

    def codebook_ids(key: str, name: str) -> set[str] | None:
        """The evaluation's code ids; None when its codebook file does not exist (yet)."""
        if name not in codebooks:
            codebook = _codebook_path(evaluation_of(name))
            if codebook is None:
                with_interviews = [n for n in names if _codebook_path(evaluation_of(n)) is not None]
                raise fail(key, "names an evaluation without interviews", name,
                           "an evaluation whose configuration names interviews (interviews.corpus/codebook): "
                           + (", ".join(with_interviews) or "none"))
            codebooks[name] = (set(map(str, read_codebook(codebook)["code_id"].dropna()))
                               if codebook.is_file() else None)
        return codebooks[name]

    themes, seen = [], set()
    allowed = ("id", "label_sv", "label_en", "description", "codes")
    for i, raw in enumerate(data["themes"]):
        where = f"themes[{i}]"
        if not isinstance(raw, dict):
            raise fail(where, "must be a mapping", raw, ", ".join(allowed))
        for key in raw:
            if key not in allowed:
                raise fail(f"{where}.{key}", "unknown key", key, "one of " + ", ".join(allowed))
        for key in ("id", "label_sv", "label_en", "codes"):
            if raw.get(key) in (None, "", [], {}):
                raise fail(f"{where}.{key}", "is missing", None, "a value: this key is required")
        theme_id = str(raw["id"])
        if not re.fullmatch(r"[a-z][a-z0-9_]*", theme_id):
            raise fail(f"{where}.id", "is not a valid theme id", theme_id, "lower-case letters, digits and _")
        if theme_id in seen:
            raise fail(f"{where}.id", "repeats a theme id", theme_id, "each theme id once")
        seen.add(theme_id)
        if not isinstance(raw["codes"], dict):
            raise fail(f"{where}.codes", "must map evaluation names to lists of code ids", raw["codes"],
                       "lines such as 'fouress: [tidigt_stod]'")
        codes = {}
        for name, ids in raw["codes"].items():
            key = f"{where}.codes.{name}"
            if str(name) not in names:
                raise fail(key, "unknown evaluation", name,
                           "one of " + (", ".join(names) or "none (evaluations/ is empty)")
                           + " (for other evaluations, write a mapping of their own and pass its path)")
            if isinstance(ids, str):
                ids = [ids]
            if not isinstance(ids, list) or not ids:
                raise fail(key, "must be a non-empty list of code ids", ids, "e.g. [tidigt_stod, deltid_i_stallet]")
            valid = codebook_ids(key, str(name))
            for j, code in enumerate(ids):
                if valid is not None and str(code) not in valid:
                    raise fail(f"{key}[{j}]", f"unknown code id in the codebook of {name}", code,
                               "one of " + ", ".join(sorted(valid)))
            codes[str(name)] = tuple(dict.fromkeys(map(str, ids)))
        themes.append(SharedTheme(theme_id, str(raw["label_sv"]), str(raw["label_en"]), codes,
                                  None if raw.get("description") is None else str(raw["description"])))
    return tuple(themes)


def _mapping_path(mapping: str | Path | None) -> str:
    file = Path(mapping) if mapping else SHARED_THEMES
    try:
        return file.resolve().relative_to(Path(__file__).resolve().parents[1]).as_posix()
    except ValueError:
        return file.as_posix()


def theme_counts(evaluations: Iterable[Evaluation | str] | None = None, mapping: str | Path | None = None
                 ) -> pd.DataFrame:
    """Per theme × evaluation (mapping order × evaluation order): ``theme``, ``label_sv``,
    ``label_en``, ``evaluation``, ``title``, ``codes`` (the mapped code ids, ";"-joined), ``status``
    (``counted``; ``no_interviews`` when the evaluation has no coded interviews; ``no_code`` when the
    mapping gives it no code for the theme), ``interviews`` (interviews in which the first coder
    applied at least one of the codes, or a code below a mapped theme id), ``total`` (the
    evaluation's interviews) and ``share`` = interviews / total."""
    chosen = _evaluations(evaluations)
    themes = load_shared_themes(mapping, evaluations=chosen)
    rows = []
    for evaluation in chosen:
        corpus, _reason = _corpus(evaluation)
        if corpus is not None:
            codes = tallies.code_table(corpus)
            guid_of = dict(zip(codes["code"], codes["guid"]))
            below = descendants(corpus.codes)
            selected = tallies.select_codings(corpus, None)  # the first coder
            by_code = selected.groupby("code_guid")["source_guid"].agg(set).to_dict()
        for theme in themes:
            ids = theme.codes.get(evaluation.name, ())
            row = {"theme": theme.id, "label_sv": theme.label_sv, "label_en": theme.label_en,
                   "evaluation": evaluation.name, "title": evaluation.title, "codes": ";".join(ids),
                   "status": "counted", "interviews": None, "total": None, "share": None}
            if corpus is None:
                row["status"] = "no_interviews"
            elif not ids:
                row.update(status="no_code", total=len(corpus.sources))
            else:
                missing = [c for c in ids if c not in guid_of]
                if missing:
                    raise InputError(f"the shared-themes mapping names a code that is not in the corpus of "
                                     f"{evaluation.name}", file=Path(mapping) if mapping else SHARED_THEMES,
                                     column=f"{theme.id}.codes.{evaluation.name}", value=missing[0],
                                     expected="one of " + ", ".join(codes["code"]))
                guids = {g for c in ids for g in below[guid_of[c]]}
                sources = set().union(*(by_code.get(g, set()) for g in guids))
                total = len(corpus.sources)
                row.update(interviews=len(sources), total=total, share=len(sources) / total if total else math.nan)
            rows.append(row)
    out = pd.DataFrame(rows, columns=["theme", "label_sv", "label_en", "evaluation", "title", "codes", "status",
                                      "interviews", "total", "share"])
    out["interviews"] = out["interviews"].astype("Int64")
    out["total"] = out["total"].astype("Int64")
    out["share"] = out["share"].astype(float)
    return out


def shared_themes(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv",
                  mapping: str | Path | None = None) -> pd.DataFrame:
    """Theme (rows, in the mapping's order) × evaluation (columns "title (n=interviews)"): the number
    of interviews in which at least one of the theme's codes was applied (first coder) and its share
    of the evaluation's interviews, as "9 (75 %)"; "–" when the evaluation has no coded interviews,
    "ingen kod"/"no code" when the mapping gives it no code for the theme. The last column counts the
    projects whose interviews raise the theme, of those that have a code for it."""
    _check_language(language)
    counts = theme_counts(evaluations, mapping)
    theme_order = list(dict.fromkeys(counts["theme"]))
    names = dict(zip(counts["theme"], counts[f"label_{language}"]))
    table = pd.DataFrame(index=pd.Index([names[t] for t in theme_order], name=label("pj_theme", language)))
    for evaluation in dict.fromkeys(counts["evaluation"]):
        part = counts[counts["evaluation"] == evaluation].set_index("theme").reindex(theme_order)
        total = part["total"].dropna()
        title = part["title"].iloc[0]
        head = f"{title} (n={int(total.iloc[0])})" if len(total) else title
        if head in table.columns:  # two evaluations with the same title
            head = f"{head} [{evaluation}]"
        cells = []
        for _theme, row in part.iterrows():
            if row["status"] == "no_interviews":
                cells.append("–")
            elif row["status"] == "no_code":
                cells.append(label("pj_no_code", language))
            else:
                cells.append(f"{int(row['interviews'])} ({100 * row['share']:.0f} %)")
        table[head] = cells
    if theme_order:
        raised = counts[counts["status"] == "counted"].groupby("theme", sort=False)
        table[label("pj_theme_projects", language)] = [
            label("pj_of", language).format(k=int((raised.get_group(t)["interviews"] > 0).sum()),
                                            n=len(raised.get_group(t))) if t in raised.groups
            else label("pj_of", language).format(k=0, n=0)
            for t in theme_order]
    table.attrs["note"] = label("pj_themes_note", language).format(mapping=_mapping_path(mapping))
    return table


# ---------------------------------------------------------------------------------------------
# header and reading
# ---------------------------------------------------------------------------------------------
def _config_path(evaluation: Evaluation) -> str:
    if evaluation.source is None:
        return evaluation.name
    try:
        return Path(evaluation.source).resolve().relative_to(_root(evaluation).resolve()).as_posix()
    except ValueError:
        return Path(evaluation.source).as_posix()


def header_markdown(evaluations: Iterable[Evaluation | str] | None = None, parameters: dict | None = None, *,
                    language: str = "sv", title: str | None = None) -> str:
    """The report's opening block as Markdown: the title, a synthetic-data banner when any
    evaluation's data are synthetic, each evaluation with its configuration file and the first 12
    characters of the file's SHA-256 (marked when its data are synthetic), the package version and
    the parameters."""
    _check_language(language)
    chosen = _evaluations(evaluations)
    synthetic = {e.name: _synthetic(e) for e in chosen}
    lines = [f"# {title or label('pj_title', language)}", ""]
    if any(synthetic.values()):
        lines += [f"> {label('synthetic_banner', language)}", ""]
    lines.append(f"- **{label('pj_evaluations', language)}:**")
    for evaluation in chosen:
        digest = sha256(Path(evaluation.source))[:12] if evaluation.source is not None else "–"
        mark = f"; {label('pj_synthetic_data', language)}" if synthetic[evaluation.name] else ""
        lines.append(f"  - {evaluation.title} ({label('pj_config', language)} `{_config_path(evaluation)}`, "
                     f"SHA-256 {digest}…{mark})")
    lines.append(f"- **{label('package_version', language)}:** fouress_eval {__version__}")
    if parameters:
        lines.append(f"- **{label('parameters', language)}:** "
                     + ", ".join(f"`{k}` = `{v}`" for k, v in parameters.items()))
    return "\n".join(lines)


def reading(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv",
            mapping: str | Path | None = None) -> str:
    """A short plain-language reading of the three tables as Markdown bullets: which projects and
    periods, which data exist, the targets that can be compared with data, the themes the interviews
    of at least two projects share, and what the comparison cannot say."""
    _check_language(language)
    chosen = _evaluations(evaluations)
    bullets = []
    titles = [e.title for e in chosen]
    bullets.append(label("pj_read_projects", language).format(n=len(chosen), list=_join(titles, language)) + " "
                   + label("pj_read_span", language).format(start=_day(min(e.period_start for e in chosen)),
                                                            end=_day(max(e.period_end for e in chosen))))
    prepared = [e.title for e in chosen if _prepared(e) is not None]
    unprepared = [e.title for e in chosen if e.title not in prepared]
    if not prepared:
        text = label("pj_read_prepared_none", language)
    elif not unprepared:
        text = label("pj_read_prepared_all", language)
    else:
        text = label("pj_read_prepared", language).format(yes=_join(prepared, language),
                                                          no=_join(unprepared, language))
    with_register = [e.title for e in chosen
                     if _prepared(e) is not None and participants_missing(_prepared(e)[1], None) is None]
    with_interviews = [e.title for e in chosen if _corpus(e)[0] is not None]
    none = label("pj_read_none", language)
    bullets.append(text + " " + label("pj_read_sources", language).format(
        register=_join(with_register, language) or none, interviews=_join(with_interviews, language) or none))

    rows = target_rows(chosen, language)
    sentences, without = [], 0
    for title, part in rows.groupby("title", sort=False):
        items = []
        for row in part.to_dict("records"):
            if row["kind"] not in ("participants", "goal"):
                continue
            if row["outcome"] is None:
                without += 1
            elif isinstance(row["outcome"], str):  # suppressed
                continue
            elif row["kind"] == "participants" and row["indicator"] == "participants":
                items.append(label("pj_read_participants", language).format(
                    outcome=_number(row["outcome"], language), target=_number(row["target"], language),
                    pct=_number(row["attainment_pct"], language, 0)))
            elif row["kind"] == "goal" and row["difference"] is not None:
                items.append(label("pj_read_series_goal", language).format(
                    name=row["name"], outcome=_number(row["outcome"], language, 2), unit=row["unit"],
                    site=row["site"], as_of=row["as_of"], target=_number(row["target"], language),
                    date=row["target_date"]))
            elif row["kind"] == "goal":
                items.append(label("pj_read_goal", language).format(
                    name=row["name"], outcome=_number(row["outcome"], language), target=_number(row["target"], language)))
        if items:
            sentences.append(f"{title}: " + "; ".join(items) + ".")
    if without:
        sentences.append(label("pj_read_without", language).format(n=without))
    bullets.append(" ".join(sentences) if sentences else label("pj_read_no_targets", language))

    counts = theme_counts(chosen, mapping)
    if len(with_interviews) < 2:
        bullets.append(label("pj_read_one_corpus", language))
    else:
        raised = counts[(counts["status"] == "counted") & (counts["interviews"] > 0)]
        per_theme = raised.groupby("theme", sort=False)["evaluation"].nunique()
        shared = per_theme[per_theme >= 2].sort_values(ascending=False, kind="stable")
        names = dict(zip(counts["theme"], counts[f"label_{language}"]))
        bullets.append(label("pj_read_shared", language).format(list="; ".join(
            label("pj_read_theme", language).format(label=names[t], k=int(k)) for t, k in shared.items()))
            if len(shared) else label("pj_read_no_shared", language))
    bullets.append(label("pj_read_caveat", language))
    return "\n".join(f"- {b}" for b in bullets)
