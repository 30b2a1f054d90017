"""Display tables of the participant report (``02_participants``): labelled, split by sex, suppressed.

Every count passes :func:`fouress_eval.disclosure.suppress` (primary ``<min_count`` and
secondary suppression against the totals shown); shares of hidden counts are hidden too. The
analytic tables come from :mod:`fouress_eval.metrics.participants` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .disclosure import footnote, suppress
from .errors import InputError
from .io.register import ENTRY_COMPENSATION, EXIT_COMPENSATION, EXIT_REASONS
from .labels import label, register
from .metrics import participants as mp
from .metrics.targets import targets_vs_outcomes
from .sites import site_municipalities, site_names

__all__ = ["category", "inflow_table", "transition_table", "shares_table", "exit_reason_table",
           "meetings_table", "return_table", "targets_table", "select", "missing_reason", "key_results",
           "key_numbers_text"]

register({
    "total": {"sv": "Totalt", "en": "Total"},
    "sex_K": {"sv": "Kvinnor", "en": "Women"},
    "sex_M": {"sv": "Män", "en": "Men"},
    "year": {"sv": "År", "en": "Year"},
    "stage_entry": {"sv": "Vid start", "en": "At entry"},
    "stage_exit": {"sv": "Vid avslut", "en": "At exit"},
    "count": {"sv": "Antal", "en": "Count"},
    "share_pct": {"sv": "Andel (%)", "en": "Share (%)"},
    "entry_exit": {"sv": "Ersättning vid start → vid avslut", "en": "Compensation at entry → at exit"},
    "compensation": {"sv": "Ersättning", "en": "Compensation"},
    "exit_reason": {"sv": "Avslutsorsak", "en": "Exit reason"},
    "participants_n": {"sv": "Deltagare", "en": "Participants"},
    "meetings_n": {"sv": "Avstämningsmöten", "en": "Follow-up meetings"},
    "mean": {"sv": "Medelvärde", "en": "Mean"},
    "median": {"sv": "Median", "en": "Median"},
    "indicator": {"sv": "Indikator", "en": "Indicator"},
    "target": {"sv": "Mål", "en": "Target"},
    "outcome": {"sv": "Utfall", "en": "Outcome"},
    "attainment": {"sv": "Måluppfyllelse (utfall/mål)", "en": "Attainment (outcome/target)"},
    "pr_missing_register": {
        "sv": "Projektet har inga uppgifter om enskilda deltagare (inget deltagarregister i de förberedda data).",
        "en": "The project has no data on individual participants (no participant register in the prepared data)."},
    "pr_missing_empty": {"sv": "Deltagarregistret i de förberedda data är tomt.",
                         "en": "The participant register in the prepared data is empty."},
    "pr_missing_site": {"sv": "Deltagarregistret har inga deltagare från {site}.",
                        "en": "The participant register has no participants from {site}."},
})

_ENGLISH = {"repeated_short_term_absence": "Repeated short-term absence", "sick_pay_days_1_14": "Sick pay, days 1–14",
            "part_time_sick_leave": "Part-time sick leave", "full_time_sick_leave": "Full-time sick leave",
            "salary": "Back on full salary", "ordinary_work": "Back in ordinary work",
            "other_work_same_employer": "Other work, same employer", "medical_obstacle": "Medical obstacle",
            "left_employer": "Left the employer", "other": "Other (studies, parental leave)"}


def category(code: str, language: str = "sv") -> str:
    """The report label of a register code (Swedish: the register's own wording)."""
    if language == "en":
        return _ENGLISH.get(code, code)
    for mapping in (ENTRY_COMPENSATION, EXIT_COMPENSATION, EXIT_REASONS):
        for text, value in mapping.items():
            if value == code:
                return text
    return code


def _is_all(code: object) -> bool:
    return code is None or (isinstance(code, str) and code in ("", "all"))


def select(participants: pd.DataFrame, code: str | Sequence[str] | None) -> pd.DataFrame:
    """Episodes of a site (``None`` or ``"all"``: every episode of the register).

    ``code``: a municipality (code or name), a county (2-digit code or name such as "Uppsala
    län": every municipality of the county), or a list of them. An unknown site is an
    :class:`~fouress_eval.errors.InputError`; a site without episodes gives an empty frame
    (:func:`missing_reason` says so in a sentence).
    """
    if _is_all(code):
        return participants
    return participants[participants["municipality_code"].isin(site_municipalities(code))]


def missing_reason(tables: dict[str, pd.DataFrame], code: str | Sequence[str] | None = None, *,
                   language: str = "sv") -> str | None:
    """None when there are participant episodes to show, else one plain sentence (Swedish by
    default, ``language="en"``) saying why the section is empty: no participant register among the
    prepared ``tables``, an empty register, or no episode from the site ``code`` (as :func:`select`)."""
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")
    people = tables.get("participants")
    if people is None:
        return label("pr_missing_register", language)
    if people.empty:
        return label("pr_missing_empty", language)
    if select(people, code).empty:
        return label("pr_missing_site", language).format(site=site_names(code, language))
    return None


def _with_totals(table: pd.DataFrame, language: str) -> pd.DataFrame:
    table = table.copy()
    table[label("total", language)] = table.sum(axis=1)
    table.loc[label("total", language)] = table.sum(axis=0)
    return table


def _suppressed(table: pd.DataFrame, min_count: int, language: str, **kwargs) -> pd.DataFrame:
    total = label("total", language)
    counts = [c for c in table.columns if c != total]
    shown = suppress(table, counts, min_count, totals={"row": total, "column": total}, **kwargs)
    shown.attrs["note"] = footnote(language, min_count=min_count)
    return shown


def inflow_table(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv") -> pd.DataFrame:
    """New participants per year (rows) by sex (columns), with totals; suppressed."""
    counts = mp.inflow(participants, "Y", by=["sex"]).pivot(index="period", columns="sex", values="inflow")
    counts = counts.reindex(columns=["K", "M"], fill_value=0).rename(columns=lambda s: label(f"sex_{s}", language))
    counts.index = counts.index.map(str).rename(label("year", language))
    return _suppressed(_with_totals(counts, language), min_count, language)


def transition_table(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv") -> pd.DataFrame:
    """Closed episodes by compensation at entry (rows) and at exit (columns), with totals; suppressed."""
    table = mp.compensation_transitions(participants)
    table = table.rename(index=lambda c: category(c, language), columns=lambda c: category(c, language))
    table.index.name, table.columns.name = label("entry_exit", language), None
    return _suppressed(_with_totals(table, language), min_count, language)


def shares_table(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv") -> pd.DataFrame:
    """Compensation at entry (all episodes) and at exit (closed ones): counts and shares; suppressed."""
    shares = mp.compensation_shares(participants)
    parts = []
    for stage in ("entry", "exit"):
        part = shares[shares["stage"] == stage].set_index("compensation")[["count", "share_pct"]]
        part.index = part.index.map(lambda c: category(c, language))
        part.columns = [f"{label('stage_' + stage, language)}: {label('count', language)}",
                        f"{label('stage_' + stage, language)}: {label('share_pct', language)}"]
        parts.append(part)
    table = pd.concat(parts, axis=1)
    table.index.name = label("compensation", language)
    counts = [table.columns[0], table.columns[2]]
    shown = suppress(table.fillna(0), counts, min_count,
                     share_cols={table.columns[1]: table.columns[0], table.columns[3]: table.columns[2]})
    shown.attrs["note"] = footnote(language, min_count=min_count)
    return shown


def exit_reason_table(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv") -> pd.DataFrame:
    """Exit reasons of closed episodes: counts and shares; suppressed."""
    reasons = mp.exit_reasons(participants).set_index("exit_reason")[["count", "share_pct"]]
    reasons.index = reasons.index.map(lambda c: category(c, language)).rename(label("exit_reason", language))
    reasons.columns = [label("count", language), label("share_pct", language)]
    shown = suppress(reasons, [reasons.columns[0]], min_count, share_cols={reasons.columns[1]: reasons.columns[0]})
    shown.attrs["note"] = footnote(language, min_count=min_count)
    return shown


def meetings_table(meetings: pd.DataFrame, participants: pd.DataFrame, *, min_count: int = 5,
                   language: str = "sv") -> pd.DataFrame:
    """Follow-up meetings per participant by sex: participants, meetings, mean, median.

    A sex with fewer than ``min_count`` participants has all its figures hidden (a mean of few
    people describes individuals)."""
    result = mp.meetings_per_participant(meetings, participants, by=["sex"], meeting_type="follow_up").summary
    table = result.set_index("sex")[["participants", "meetings", "mean", "median"]]
    table.index = table.index.map(lambda s: label(f"sex_{s}", language))
    table.columns = [label(k, language) for k in ("participants_n", "meetings_n", "mean", "median")]
    shown = table.astype(object)
    small = table.iloc[:, 0] < min_count
    hide = small & (table.iloc[:, 0] > 0)
    shown.loc[hide, shown.columns[:2]] = f"<{min_count}"
    shown.loc[hide, shown.columns[2:]] = "–"
    shown.attrs["note"] = footnote(language, min_count=min_count)
    return shown


def return_table(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv",
                 cutoff: object | None = None) -> pd.DataFrame:
    """Time to return to work (event: fully back on salary; ongoing episodes censored at the data
    ``cutoff``, the evaluation's ``Settings.data_cutoff``): median days and the share not yet back at
    90/180/365 days, with 95 % intervals. Groups with fewer than ``min_count`` episodes are left out."""
    result = mp.time_to_return(participants, cutoff=cutoff)
    medians = result.medians.iloc[0]
    rows = [{"": label("median", language) + (" (dagar)" if language == "sv" else " (days)"),
             "value": medians.get("median"), "low": medians.get("ci_low"), "high": medians.get("ci_high")}]
    for _, row in result.at_days.iterrows():
        rows.append({"": (f"Ej åter efter {int(row['days'])} dagar" if language == "sv"
                          else f"Not yet back after {int(row['days'])} days"),
                     "value": row["survival"], "low": row["ci_low"], "high": row["ci_high"]})
    table = pd.DataFrame(rows).set_index("")
    table.columns = [label("estimate", language), label("ci_low", language), label("ci_high", language)]
    if len(participants) < min_count:
        table = table.astype(object)
        table[:] = None
    return table


def targets_table(targets: dict, participants: pd.DataFrame, meetings: pd.DataFrame | None = None,
                  language: str = "sv") -> pd.DataFrame:
    """Targets against outcomes for the whole project, with attainment (outcome / target)."""
    table = targets_vs_outcomes(targets, participants, meetings)
    names = _INDICATORS_SV if language == "sv" else {}
    out = pd.DataFrame({
        label("indicator", language): table["indicator"].map(lambda k: names.get(k, k.replace("_", " "))),
        label("target", language): table["target"], label("outcome", language): table["outcome"],
        label("attainment", language): table["attainment"]})
    return out


_INDICATORS_SV = {"participants": "Deltagare", "participants_women": "Deltagare, kvinnor",
                  "participants_men": "Deltagare, män", "back_in_work_pct": "Åter i arbete (% av avslutade)",
                  "salary_at_exit_pct": "Full lön vid avslut (% av avslutade)",
                  "follow_up_per_participant": "Avstämningsmöten per deltagare"}


def key_results(participants: pd.DataFrame, meetings: pd.DataFrame | None = None, *, min_count: int = 5,
                cutoff: object | None = None) -> dict:
    """Machine-readable key numbers for the cross-site report; counts below ``min_count`` are None
    and shares are only given when their denominator is at least ``min_count``; the median time to
    return censors ongoing episodes at ``cutoff`` (the evaluation's ``Settings.data_cutoff``)."""
    n = len(participants)
    closed = participants[participants["end_date"].notna()]

    def shown(count: int) -> int | None:
        return int(count) if count == 0 or count >= min_count else None

    def share(part: pd.Series, whole: int) -> float | None:
        return round(100 * float(part.sum()) / whole, 1) if whole >= min_count else None

    out = {"participants": shown(n), "closed": shown(len(closed)), "ongoing": shown(n - len(closed)),
           "entry_full_time_pct": share(participants["entry_compensation"] == "full_time_sick_leave", n),
           "exit_full_time_pct": share(closed["exit_compensation"] == "full_time_sick_leave", len(closed)),
           "exit_salary_pct": share(closed["exit_compensation"] == "salary", len(closed)),
           "median_days_to_return": None, "median_ci": None}
    if n >= min_count:
        medians = mp.time_to_return(participants, cutoff=cutoff).medians.iloc[0]
        value = medians.get("median")
        if value == value and value is not None:
            out["median_days_to_return"] = float(value)
            out["median_ci"] = [float(medians.get("ci_low")), float(medians.get("ci_high"))]
    if meetings is not None and n >= min_count:
        follow = meetings[meetings["meeting_type"] == "follow_up"]
        out["follow_up_per_participant"] = round(len(follow) / n, 2)
    return out


def key_numbers_text(participants: pd.DataFrame, *, min_count: int = 5, language: str = "sv") -> str:
    """Participants, closed and ongoing episodes as one line (suppressed), for exact regression checks."""
    n = len(participants)
    closed = int(participants["end_date"].notna().sum())

    def shown(count: int) -> str:
        return str(count) if count == 0 or count >= min_count else f"<{min_count}"

    if language == "sv":
        return f"{shown(n)} deltagare: {shown(closed)} avslutade, {shown(n - closed)} pågående"
    return f"{shown(n)} participants: {shown(closed)} closed, {shown(n - closed)} ongoing"
