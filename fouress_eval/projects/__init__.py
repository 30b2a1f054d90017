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

One job per module: :mod:`.inputs` (:func:`collect`, each evaluation's prepared data and
interviews), :mod:`.overview`, :mod:`.targets`, :mod:`.themes`; this module holds the header and the
reading and re-exports the rest, so ``from fouress_eval.projects import X`` works for every name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..evaluation import Evaluation
from ..labels import label, register
from ..participants_report import missing_reason as participants_missing
from ..store import SYNTHETIC_MARKER, sha256
from .inputs import _check_language, _corpus, _day, _evaluations, _join, _number, _prepared, _root, collect
from .overview import overview_table
from .targets import target_rows, targets_table
from .themes import SHARED_THEMES, SharedTheme, load_shared_themes, shared_themes, theme_counts

__all__ = ["collect", "overview_table", "targets_table", "target_rows", "shared_themes", "theme_counts",
           "load_shared_themes", "SharedTheme", "header_markdown", "reading", "SHARED_THEMES"]

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
    "pj_read_met": {"sv": " (nått)", "en": " (met)"},
    "pj_read_not_met": {"sv": " (inte nått)", "en": " (not met)"},
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


def _synthetic(evaluation: Evaluation) -> bool:
    """True when the evaluation's prepared data, raw folder or interview folder say they are synthetic."""
    prepared = _prepared(evaluation)
    if prepared is not None and prepared[0].get("synthetic"):
        return True
    settings = evaluation.settings()
    folders = [Path(settings.raw_dir)] + ([Path(settings.qual_dir).parent] if settings.qual_dir else [])
    for folder in folders:
        marker = folder / SYNTHETIC_MARKER
        if marker.is_file():
            try:
                if json.loads(marker.read_text(encoding="utf-8")).get("synthetic"):
                    return True
            except (ValueError, AttributeError):
                continue
    return False


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


def _met_text(row: dict, language: str) -> str:
    """" (nått)"/" (inte nått)" after a goal whose direction is known, else nothing."""
    if row.get("met") is None:
        return ""
    return label("pj_read_met" if row["met"] else "pj_read_not_met", language)


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
    data = [(e, _prepared(e)) for e in chosen]
    prepared = [e.title for e, found in data if found is not None]
    unprepared = [e.title for e in chosen if e.title not in prepared]
    if not prepared:
        text = label("pj_read_prepared_none", language)
    elif not unprepared:
        text = label("pj_read_prepared_all", language)
    else:
        text = label("pj_read_prepared", language).format(yes=_join(prepared, language),
                                                          no=_join(unprepared, language))
    with_register = [e.title for e, found in data
                     if found is not None and participants_missing(found[1], None) is None]
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
                    date=row["target_date"]) + _met_text(row, language))
            elif row["kind"] == "goal":
                items.append(label("pj_read_goal", language).format(
                    name=row["name"], outcome=_number(row["outcome"], language), target=_number(row["target"], language))
                    + _met_text(row, language))
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
