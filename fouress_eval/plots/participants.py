"""Participant figures: compensation entry → exit, meetings per participant, Kaplan–Meier curves.

Each function takes the result of the matching function in
:mod:`fouress_eval.metrics.participants`, draws on ``ax`` (a new figure when ``None``) and returns
the axes. Labels are Swedish by default (``language="en"`` for English).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..errors import InputError
from ..labels import LABELS, label, register
from ..municipalities import municipality_name
from ._style import CATEGORICAL, PALETTE

__all__ = ["compensation_flow", "meeting_distribution", "km_plot", "group_label"]

register({
    # compensation types (entry and exit)
    "pp_comp_repeated_short_term_absence": {"sv": "Upprepad korttidsfrånvaro", "en": "Repeated short-term absence"},
    "pp_comp_sick_pay_days_1_14": {"sv": "Sjuklön dag 1–14", "en": "Sick pay, days 1–14"},
    "pp_comp_part_time_sick_leave": {"sv": "Deltidssjukskrivning", "en": "Part-time sick leave"},
    "pp_comp_full_time_sick_leave": {"sv": "Heltidssjukskrivning", "en": "Full-time sick leave"},
    "pp_comp_salary": {"sv": "Helt åter i lön", "en": "Fully back on salary"},
    # exit reasons
    "pp_reason_ordinary_work": {"sv": "Åter i ordinarie arbete", "en": "Back in ordinary work"},
    "pp_reason_other_work_same_employer": {"sv": "Annat arbete hos samma arbetsgivare",
                                           "en": "Other work with the same employer"},
    "pp_reason_medical_obstacle": {"sv": "Medicinskt hinder", "en": "Medical obstacle"},
    "pp_reason_left_employer": {"sv": "Slutat hos arbetsgivaren", "en": "Left the employer"},
    "pp_reason_other": {"sv": "Annat (studier, föräldraledighet)", "en": "Other (studies, parental leave)"},
    # column and axis names
    "pp_entry_compensation": {"sv": "Ersättning vid start", "en": "Compensation at entry"},
    "pp_exit_compensation": {"sv": "Ersättning vid avslut", "en": "Compensation at exit"},
    "pp_exit_reason": {"sv": "Avslutsorsak", "en": "Exit reason"},
    "pp_stage": {"sv": "Tidpunkt", "en": "Stage"},
    "pp_stage_entry": {"sv": "Vid start", "en": "At entry"},
    "pp_stage_exit": {"sv": "Vid avslut", "en": "At exit"},
    "pp_count": {"sv": "Antal", "en": "Count"},
    "pp_share_pct": {"sv": "Andel (%)", "en": "Share (%)"},
    "pp_inflow": {"sv": "Nya deltagare", "en": "New participants"},
    "pp_active": {"sv": "Aktiva deltagare", "en": "Active participants"},
    "pp_sex_K": {"sv": "Kvinnor", "en": "Women"},
    "pp_sex_M": {"sv": "Män", "en": "Men"},
    "pp_sex_alla": {"sv": "Alla", "en": "All"},
    "pp_all": {"sv": "Alla deltagare", "en": "All participants"},
    # compensation flow
    "pp_flow_title": {"sv": "Ersättning vid start och vid avslut (avslutade deltagare)",
                      "en": "Compensation at entry and at exit (closed episodes)"},
    "pp_share_of_closed_pct": {"sv": "Andel av avslutade (%)", "en": "Share of closed episodes (%)"},
    # meetings
    "pp_meetings_title": {"sv": "Möten per deltagare", "en": "Meetings per participant"},
    "pp_follow_up_title": {"sv": "Avstämningsmöten per deltagare", "en": "Follow-up meetings per participant"},
    "pp_three_party_title": {"sv": "Trepartsmöten per deltagare", "en": "Three-party meetings per participant"},
    "pp_n_meetings": {"sv": "Antal möten", "en": "Number of meetings"},
    "pp_n_participants": {"sv": "Antal deltagare", "en": "Number of participants"},
    "pp_mean": {"sv": "Medelvärde", "en": "Mean"},
    "pp_median": {"sv": "Median", "en": "Median"},
    # time to return
    "pp_km_title": {"sv": "Tid till återgång i arbete (Kaplan–Meier)", "en": "Time to return to work (Kaplan–Meier)"},
    "pp_days_since_start": {"sv": "Dagar sedan start", "en": "Days since start"},
    "pp_not_returned": {"sv": "Andel ännu inte åter i arbete", "en": "Share not yet returned to work"},
    "pp_censored": {"sv": "Censurerad (pågående eller annat avslut)", "en": "Censored (ongoing or other exit)"},
    "pp_event_salary": {"sv": "Händelse: helt åter i lön", "en": "Event: fully back on salary"},
    "pp_event_work": {"sv": "Händelse: åter i arbete (ordinarie eller annat hos samma arbetsgivare)",
                      "en": "Event: back at work (ordinary or other work with the same employer)"},
    "pp_event_exit": {"sv": "Händelse: avslut oavsett orsak (tid i projektet)",
                      "en": "Event: any exit (time in the project)"},
    "pp_median_days": {"sv": "Median (dagar)", "en": "Median (days)"},
    "pp_logrank": {"sv": "Log-rank-test", "en": "Log-rank test"},
    # targets vs outcomes
    "pp_target": {"sv": "Mål", "en": "Target"},
    "pp_outcome": {"sv": "Utfall", "en": "Outcome"},
    "pp_attainment": {"sv": "Måluppfyllelse (utfall/mål)", "en": "Attainment (outcome/target)"},
    "pp_target_participants": {"sv": "Antal deltagare", "en": "Participants"},
    "pp_target_participants_women": {"sv": "Antal deltagare, kvinnor", "en": "Participants, women"},
    "pp_target_participants_men": {"sv": "Antal deltagare, män", "en": "Participants, men"},
    "pp_target_back_in_work_pct": {"sv": "Andel avslutade åter i arbete (%)",
                                   "en": "Share of closed episodes back at work (%)"},
    "pp_target_salary_at_exit_pct": {"sv": "Andel avslutade helt åter i lön (%)",
                                     "en": "Share of closed episodes fully back on salary (%)"},
    "pp_target_follow_up_per_participant": {"sv": "Avstämningsmöten per deltagare",
                                            "en": "Follow-up meetings per participant"},
    "pp_synthetic_goal": {"sv": "Påhittat demomål", "en": "Invented demo goal"},
})


def _number(value: float, language: str, decimals: int = 1) -> str:
    """A number for a label: decimal comma in Swedish."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "sv" else text


def _value_label(column: str, value: object, language: str) -> str:
    if column == "municipality_code":
        try:
            return municipality_name(str(value))
        except InputError:  # an unknown code is shown as it is
            return str(value)
    if column == "sex" and f"pp_sex_{value}" in LABELS:
        return label(f"pp_sex_{value}", language)
    return str(value)


def group_label(row: pd.Series | dict, by: list[str], language: str = "sv") -> str:
    """Display text of a group: municipality names, Kvinnor/Män, other values as they are."""
    if not by:
        return label("pp_all", language)
    return " · ".join(_value_label(c, row[c], language) for c in by)


def compensation_flow(transitions: pd.DataFrame, *, ax: plt.Axes | None = None, language: str = "sv",
                      annotate: bool = True, min_count: int | None = 5) -> plt.Axes:
    """Horizontal stacked bars, one per compensation at entry, split by compensation at exit.

    ``transitions`` is :func:`fouress_eval.metrics.participants.compensation_transitions`
    (counts; a ``total`` margin is ignored). Segments are per cent of the row's closed episodes;
    the number of closed episodes is printed at the end of each bar, and shares of 5 % or more
    inside their segment. Small-cell rule: a row with 1 to ``min_count`` − 1 closed episodes
    is drawn as an empty bar labelled ``n < min_count`` (its split would reveal individuals);
    ``min_count=None`` shows everything.
    """
    counts = transitions.drop(index="total", columns="total", errors="ignore")
    totals = counts.sum(axis=1)
    hidden = (totals > 0) & (totals < min_count) if min_count else totals < 0
    shares = counts.div(totals.where((totals > 0) & ~hidden), axis=0).mul(100).fillna(0)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 0.7 * len(shares) + 1.8))
    colours = sns.color_palette(PALETTE, len(shares.columns))
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for colour, column in zip(colours, shares.columns):
        widths = shares[column].to_numpy()
        ax.barh(y, widths, left=left, color=colour, edgecolor="white",
                label=label(f"pp_comp_{column}", language))
        if annotate:
            for yy, x0, w in zip(y, left, widths):
                if w >= 5:
                    bright = sum(colour[:3]) / 3 < 0.5
                    ax.text(x0 + w / 2, yy, f"{w:.0f}", ha="center", va="center", fontsize="small",
                            color="white" if bright else "black")
        left += widths
    for yy, n, small in zip(y, totals.to_numpy(), hidden.to_numpy()):
        if small:
            ax.barh(yy, 100, color="none", edgecolor="0.6", hatch="//", lw=0.8)
        ax.text(101, yy, f"n < {min_count}" if small else f"n = {int(n)}", va="center", fontsize="small")
    ax.set_yticks(y)
    ax.set_yticklabels([label(f"pp_comp_{c}", language) for c in shares.index])
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(label("pp_share_of_closed_pct", language))
    ax.set_ylabel(label("pp_entry_compensation", language))
    ax.set_title(label("pp_flow_title", language))
    ax.legend(title=label("pp_exit_compensation", language), loc="upper center", bbox_to_anchor=(0.5, -0.18),
              ncol=len(shares.columns), frameon=False, fontsize="small")
    sns.despine(ax=ax)
    ax.figure.tight_layout()
    return ax


def meeting_distribution(counts, *, ax: plt.Axes | None = None, language: str = "sv",
                         max_meetings: int | None = 6) -> plt.Axes:
    """Bar chart: participants (y) with 0, 1, 2, … meetings (x), one colour per group.

    ``counts`` is :class:`fouress_eval.metrics.participants.MeetingCounts`; the title names the
    meeting type and the legend gives each group's mean (of the unpooled counts). The sparse tail
    is pooled: ``max_meetings`` or more show as one bar ``"6+"`` (``None``: no pooling).
    """
    data = counts.distribution.copy()
    by = list(counts.by)
    if max_meetings is not None:
        data["n_meetings"] = [f"{max_meetings}+" if n >= max_meetings else str(n) for n in data["n_meetings"]]
        data = data.groupby([*by, "n_meetings"], sort=False, as_index=False)["participants"].sum()
    data["group"] = [group_label(row, by, language) for _, row in data.iterrows()]
    means = {group_label(row, by, language): row["mean"] for _, row in counts.summary.iterrows()}
    mean_word = label("pp_mean", language).lower()
    data["group"] = [f"{g} ({mean_word} {_number(means.get(g, np.nan), language)})" for g in data["group"]]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 4))
    sns.barplot(data=data, x="n_meetings", y="participants", hue="group", palette=CATEGORICAL, ax=ax)
    ax.set_xlabel(label("pp_n_meetings", language))
    ax.set_ylabel(label("pp_n_participants", language))
    types = counts.meeting_type
    title = ("pp_follow_up_title" if types == ("follow_up",) else
             "pp_three_party_title" if types == ("three_party",) else "pp_meetings_title")
    ax.set_title(label(title, language))
    ax.legend(frameon=False, fontsize="small")
    sns.despine(ax=ax)
    ax.figure.tight_layout()
    return ax


def km_plot(result, *, ax: plt.Axes | None = None, language: str = "sv", ci: bool = True) -> plt.Axes:
    """Kaplan–Meier curves of :class:`fouress_eval.metrics.participants.TimeToReturn`.

    Survival (share not yet returned) against days since start, one step curve per group with
    its pointwise interval as a band, censored episodes as vertical ticks; the event definition
    is in the title and the log-rank p-value, when there are groups, in the legend title.
    """
    table = result.table
    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 4.5))
    colours = sns.color_palette(CATEGORICAL, max(table["group"].nunique(), 1))
    for colour, (group, part) in zip(colours, table.groupby("group", sort=False)):
        part = part.sort_values("time")
        text = group_label(part.iloc[0], list(result.by), language)
        ax.step(part["time"], part["survival"], where="post", color=colour, lw=2, label=text)
        if ci:
            ax.fill_between(part["time"], part["ci_low"], part["ci_high"], step="post", color=colour,
                            alpha=0.15, lw=0)
        ticks = part[part["censored"] > 0]
        ax.plot(ticks["time"], ticks["survival"], ls="none", marker="|", ms=9, mew=1.3, color=colour)
    ax.plot([], [], ls="none", marker="|", ms=9, color="0.3", label=label("pp_censored", language))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(label("pp_days_since_start", language))
    ax.set_ylabel(label("pp_not_returned", language))
    ax.set_title(label("pp_km_title", language) + "\n" + label(f"pp_event_{result.event}", language),
                 fontsize="medium")
    title = None
    if result.logrank is not None:
        p = result.logrank["p"]
        p_text = f"p < {_number(0.001, language, 3)}" if p < 0.001 else f"p = {_number(p, language, 3)}"
        title = f"{label('pp_logrank', language)}: {p_text}"
    ax.legend(title=title, frameon=False, fontsize="small", title_fontsize="small", loc="upper right")
    sns.despine(ax=ax)
    ax.figure.tight_layout()
    return ax
