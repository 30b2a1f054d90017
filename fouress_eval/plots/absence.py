"""Sick-leave figures: monthly sick-leave % per municipality and the health-centre sick-listing index."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..config import get_settings
from ..errors import InputError
from ..labels import label, register
from ..metrics.absence import clinic_rate, index_vs_base, rolling_12m, sick_pct
from ..sites import site_name
from ._style import CATEGORICAL

__all__ = ["sick_leave_series", "index_plot", "outcome_series_plot"]

register({
    "absence_sick_pct": {"sv": "Sjukfrånvaro (% av schemalagd tid)", "en": "Sick leave (% of scheduled hours)"},
    "absence_sick_pct_12m": {"sv": "Sjukfrånvaro, rullande 12 månader (% av schemalagd tid)",
                             "en": "Sick leave, rolling 12 months (% of scheduled hours)"},
    "absence_title": {"sv": "Sjukfrånvaro bland kommunens anställda per månad",
                      "en": "Sick leave among municipal employees by month"},
    "absence_baseline": {"sv": "Utgångsläge ({month})", "en": "Baseline ({month})"},
    "absence_base_month": {"sv": "Basmånad ({month})", "en": "Base month ({month})"},
    "absence_project_period": {"sv": "Projektperiod", "en": "Project period"},
    "absence_clinic_index_title": {
        "sv": "Sjukskrivningar med F- och M-diagnos per 1 000 listade, samtliga vårdcentraler",
        "en": "Sick-listings with F and M diagnoses per 1,000 listed, all health centres",
    },
    "absence_clinic_index_axis": {"sv": "Förändring jämfört med {month} (%)",
                                  "en": "Change compared with {month} (%)"},
    "absence_comparison_mean": {"sv": "Jämförelseenheter, medelvärde ({n})", "en": "Comparison units, mean ({n})"},
})

_MONTHS = {
    "sv": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _month_text(month: pd.Period, language: str) -> str:
    label("month", language)  # validates the language
    return f"{_MONTHS[language][month.month - 1]} {month.year}"


def _name(code: object) -> str:
    try:
        return f"{site_name(str(code))} ({code})"
    except (InputError, KeyError):
        return str(code)


def _x(month: pd.Period | pd.Series) -> pd.Timestamp | pd.Series:
    """Months drawn at their first day."""
    if isinstance(month, pd.Series):
        return month.dt.to_timestamp()
    return month.to_timestamp()


def _mark_project(ax: plt.Axes, intervention: tuple[object, object] | None, language: str) -> None:
    if intervention is None:
        return
    first, last = (pd.Period(m, freq="M") for m in intervention)
    ax.axvspan(_x(first), _x(last + 1), color="0.9", zorder=0, lw=0, label=label("absence_project_period", language))


def _select(frame: pd.DataFrame, municipalities: Iterable[str] | None, column: str) -> pd.DataFrame:
    if municipalities is None:
        return frame
    wanted = [str(m) for m in municipalities]
    missing = sorted(set(wanted) - set(frame[column].astype(str)))
    if missing:
        raise InputError("no data for the municipality", column=column, value=", ".join(missing))
    return frame[frame[column].astype(str).isin(wanted)]


def _lines(ax: plt.Axes, frame: pd.DataFrame, group: str, value: str) -> None:
    codes = list(dict.fromkeys(frame[group].astype(str)))
    colours = sns.color_palette(CATEGORICAL, n_colors=max(len(codes), 1))
    styles = ["-", "--", "-.", ":"]
    for number, code in enumerate(codes):
        part = frame[frame[group].astype(str) == code].sort_values("month")
        ax.plot(_x(part["month"]), part[value], color=colours[number], ls=styles[number % len(styles)], lw=1.8,
                label=_name(code) if group == "municipality_code" else code)


def _finish(ax: plt.Axes, ylabel: str, title: str, language: str) -> plt.Axes:
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(loc="best", fontsize="small", frameon=False)
    return ax


def sick_leave_series(hours: pd.DataFrame, *, municipalities: Iterable[str] | None = None,
                      baseline: object = None, intervention: tuple[object, object] | None | bool = True,
                      rolling: bool = False, ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
    """Monthly sick leave (% of scheduled hours) per municipality, one line each.

    ``hours`` is an ``absence_monthly`` table (rates are recomputed from hours with
    :func:`~fouress_eval.metrics.absence.sick_pct`) or a frame that already has ``municipality_code``,
    ``month`` and ``sick_pct``. ``rolling=True`` draws the rolling 12-month rate instead. The
    ``baseline`` month (default: the settings' baseline, August 2016) is a dotted vertical line;
    the ``intervention`` period (default: the settings' February 2017 – January 2020; a
    ``(first, last)`` pair of months; ``None`` for none) is shaded. Colour-blind-safe colours plus
    distinct line styles; labels in Swedish unless ``language="en"``.
    """
    settings = get_settings() if baseline is None or intervention is True else None  # only for what is not given
    baseline = settings.baseline if baseline is None else pd.Period(baseline, freq="M")
    if intervention is True:
        intervention = (settings.intervention_start, settings.intervention_end)
    elif intervention is False:
        intervention = None
    if rolling:
        data, value = rolling_12m(hours, "municipality_code"), "sick_pct_12m"
    elif "sick_pct" in hours:
        data, value = hours, "sick_pct"
    else:
        data, value = sick_pct(hours, "municipality_code", "month"), "sick_pct"
    data = _select(data, municipalities, "municipality_code")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(10, 4.5))
    _mark_project(ax, intervention, language)
    _lines(ax, data, "municipality_code", value)
    if baseline is not None:
        ax.axvline(_x(baseline), color="0.2", ls=":", lw=1.5,
                   label=label("absence_baseline", language).format(month=_month_text(baseline, language)))
    ylabel = label("absence_sick_pct_12m" if rolling else "absence_sick_pct", language)
    return _finish(ax, ylabel, label("absence_title", language), language)


def index_plot(clinics: pd.DataFrame, base: object, *, municipalities: Iterable[str] | None = None,
               by: str = "municipality_code", chapters: Iterable[str] | None = ("F", "M"),
               intervention: tuple[object, object] | None | bool = True, ax: plt.Axes | None = None,
               language: str = "sv") -> plt.Axes:
    """Index of health-centre sick-listings per 1 000 listed against a ``base`` month, in per cent
    (0 = as in the base month; −49 = 49 % fewer), one line per municipality (or per centre with
    ``by="clinic"``).

    ``clinics`` is a ``clinic_sicklistings`` table (combined per group with
    :func:`~fouress_eval.metrics.absence.clinic_rate` over ``chapters``, default F and M) or an
    output of ``clinic_rate``. The base month is a dotted line, the project period shaded.
    """
    base = pd.Period(base, freq="M")
    if intervention is True:
        settings = get_settings()
        intervention = (settings.intervention_start, settings.intervention_end)
    elif intervention is False:
        intervention = None
    rates = clinics if "rate_per_1000" in clinics else clinic_rate(clinics, chapters, by)
    rates = _select(rates, municipalities, by) if by == "municipality_code" else rates
    data = index_vs_base(rates, base, value="rate_per_1000", by=by)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(10, 4.5))
    _mark_project(ax, intervention, language)
    ax.axhline(0, color="0.5", lw=0.8)
    _lines(ax, data, by, "index_pct")
    month = _month_text(base, language)
    ax.axvline(_x(base), color="0.2", ls=":", lw=1.5, label=label("absence_base_month", language).format(month=month))
    return _finish(ax, label("absence_clinic_index_axis", language).format(month=month),
                   label("absence_clinic_index_title", language), language)


def outcome_series_plot(series: pd.DataFrame, site: str, *, comparison: Iterable[str] = (), baseline: object = None,
                        intervention: tuple[object, object] | None = None, ylabel: str = "", title: str = "",
                        ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
    """A monthly outcome series (``unit_code``, ``month``, ``value``, as
    :func:`fouress_eval.outcomes.outcome_series` returns it): the site's line and the mean of the
    ``comparison`` units per month, the ``baseline`` month dotted and the ``intervention`` period
    (``(first, last)`` months) shaded."""
    comparison = [str(c) for c in comparison]
    own = series[series["unit_code"].astype(str) == str(site)][["month", "value"]].assign(unit_code=str(site))
    if own.empty:
        raise InputError("no data for the site", column="unit_code", value=site)
    parts = [own]
    others = series[series["unit_code"].astype(str).isin(comparison)]
    if len(others):
        mean = others.groupby("month", as_index=False)["value"].mean()
        parts.append(mean.assign(unit_code=label("absence_comparison_mean", language).format(n=others["unit_code"].nunique())))
    if ax is None:
        _fig, ax = plt.subplots(figsize=(10, 4.5))
    _mark_project(ax, intervention, language)
    frame = pd.concat(parts, ignore_index=True)
    frame["label"] = [_name(c) if str(c) == str(site) else c for c in frame["unit_code"]]
    _lines(ax, frame, "label", "value")
    if baseline is not None:
        month = pd.Period(baseline, freq="M")
        ax.axvline(_x(month), color="0.2", ls=":", lw=1.5,
                   label=label("absence_baseline", language).format(month=_month_text(month, language)))
    return _finish(ax, ylabel, title, language)
