"""National comparison figures: caterpillar plot and funnel plot of one ITS effect per municipality.

Both take a :class:`fouress_eval.national.NationalRanking`, draw on ``ax`` (a new figure when
``None``) and return the axes. The project (treated) municipalities are drawn in a colour-blind-safe
vermilion and named; the rest in grey. Labels are Swedish by default (``language="en"`` for English).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from ..errors import InputError
from ..labels import label, register
from ._style import CATEGORICAL

__all__ = ["caterpillar_plot", "funnel_plot"]

register({
    "natp_caterpillar_title": {"sv": "Effekt per kommun med 95 % konfidensintervall",
                               "en": "Effect per municipality with 95 % confidence interval"},
    "natp_funnel_title": {"sv": "Trattdiagram", "en": "Funnel plot"},
    "natp_order": {"sv": "Kommuner, ordnade efter skattning", "en": "Municipalities, ordered by estimate"},
    "natp_precision": {"sv": "Precision (1 / standardfel)", "en": "Precision (1 / standard error)"},
    "natp_size": {"sv": "Kommunens storlek (schemalagda timmar per månad)",
                  "en": "Municipality size (scheduled hours per month)"},
    "natp_pooled": {"sv": "Sammanvägt medelvärde", "en": "Pooled mean"},
    "natp_limits": {"sv": "95 %-gränser", "en": "95 % limits"},
    "natp_treated": {"sv": "Projektkommun", "en": "Project municipality"},
    "natp_others": {"sv": "Övriga kommuner", "en": "Other municipalities"},
    "natp_zero": {"sv": "Ingen förändring", "en": "No change"},
    "natp_slope_unit": {"sv": "procentenheter per månad", "en": "percentage points per month"},
    "natp_level_unit": {"sv": "procentenheter", "en": "percentage points"},
})

_NAMED_TICKS = 40  # with at most this many municipalities, every one is named on the axis


def _colours() -> tuple:
    palette = sns.color_palette(CATEGORICAL)
    return palette[3], palette[0], "0.55"  # vermilion (treated), blue (reference lines), grey (others)


def _effect_label(ranking, language: str) -> str:
    unit = label("natp_slope_unit" if ranking.term == "slope_change" else "natp_level_unit", language)
    return f"{label(ranking.term, language).split(' (')[0]} ({unit})"


def caterpillar_plot(ranking, *, ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
    """Every fitted municipality's estimate with its 95 % interval, sorted by estimate; a dotted
    line at no change, a dashed one at the pooled mean of the non-treated municipalities."""
    table = ranking.effects.sort_values(["estimate", "municipality_code"], kind="stable").reset_index(drop=True)
    if table.empty:
        raise InputError("no municipality was fitted, so there is nothing to plot")
    treated_colour, line_colour, other_colour = _colours()
    n = len(table)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(max(7.0, min(14.0, 0.35 * n)) if n <= _NAMED_TICKS else 12.0, 5.0))
    x = np.arange(n)
    treated = table["treated"].to_numpy(bool)
    width = 1.2 if n > 100 else 1.8
    ax.vlines(x[~treated], table["ci_low"][~treated], table["ci_high"][~treated], colors=other_colour,
              lw=width * 0.6, alpha=0.7)
    ax.scatter(x[~treated], table["estimate"][~treated], s=10 if n > 100 else 18, color=other_colour, zorder=3,
               label=label("natp_others", language))
    ax.vlines(x[treated], table["ci_low"][treated], table["ci_high"][treated], colors=treated_colour, lw=width * 1.4,
              zorder=4)
    ax.scatter(x[treated], table["estimate"][treated], s=40, color=treated_colour, marker="D", zorder=5,
               label=label("natp_treated", language))
    ax.axhline(0.0, color="0.3", ls=":", lw=1, label=label("natp_zero", language))
    ax.axhline(ranking.pooled, color=line_colour, ls="--", lw=1, label=label("natp_pooled", language))
    span = float(np.nanmax(table["ci_high"]) - np.nanmin(table["ci_low"])) or 1.0
    for i in np.flatnonzero(treated):
        ax.annotate(table["name"].iloc[i], (x[i], table["ci_high"].iloc[i] + 0.02 * span), ha="center", va="bottom",
                    fontsize="small", color=treated_colour, fontweight="bold", rotation=90 if n > _NAMED_TICKS else 0)
    if n <= _NAMED_TICKS:
        ax.set_xticks(x)
        ax.set_xticklabels(table["name"], rotation=90, fontsize="small")
        for tick, is_treated in zip(ax.get_xticklabels(), treated):
            if is_treated:
                tick.set_color(treated_colour)
                tick.set_fontweight("bold")
    else:
        ax.set_xticks([])
    ax.set_xlim(-1, n)
    ax.set_xlabel(label("natp_order", language))
    ax.set_ylabel(_effect_label(ranking, language))
    ax.set_title(f"{label('natp_caterpillar_title', language)} ({ranking.method}, {ranking.interruption})")
    ax.legend(loc="best", fontsize="small", frameon=False)
    ax.figure.tight_layout()
    return ax


def funnel_plot(ranking, *, ax: plt.Axes | None = None, language: str = "sv", axis: str = "precision") -> plt.Axes:
    """Estimate against precision (``axis="precision"``, 1 / standard error) or size
    (``axis="size"``, mean monthly scheduled hours, log scale) with the pooled mean and pointwise
    95 % limits (see :meth:`NationalRanking.limits`)."""
    if axis not in ("precision", "size"):
        raise InputError("unknown funnel axis", value=axis, expected="'precision' or 'size'")
    table = ranking.effects
    if table.empty:
        raise InputError("no municipality was fitted, so there is nothing to plot")
    treated_colour, line_colour, other_colour = _colours()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(8.0, 5.0))
    x_all = table[axis].to_numpy(float)
    treated = table["treated"].to_numpy(bool)
    finite = np.isfinite(x_all) & (x_all > 0)
    low_x, high_x = np.nanmin(x_all[finite]), np.nanmax(x_all[finite])
    if axis == "size":
        grid = np.geomspace(low_x / 1.3, high_x * 1.3, 200)
        ax.set_xscale("log")
    else:
        grid = np.linspace(max(low_x * 0.7, 1e-12), high_x * 1.15, 200)
    lower, upper = ranking.limits(grid, axis=axis)
    ax.plot(grid, lower, color=line_colour, ls="--", lw=1.2, label=label("natp_limits", language))
    ax.plot(grid, upper, color=line_colour, ls="--", lw=1.2)
    ax.axhline(ranking.pooled, color=line_colour, lw=1.2, label=label("natp_pooled", language))
    ax.axhline(0.0, color="0.3", ls=":", lw=1, label=label("natp_zero", language))
    n = len(table)
    ax.scatter(x_all[~treated], table["estimate"][~treated], s=12 if n > 100 else 24, color=other_colour,
               alpha=0.8, label=label("natp_others", language), zorder=3)
    ax.scatter(x_all[treated], table["estimate"][treated], s=50, color=treated_colour, marker="D",
               label=label("natp_treated", language), zorder=5)
    for i in np.flatnonzero(treated):
        ax.annotate(table["name"].iloc[i], (x_all[i], table["estimate"].iloc[i]), xytext=(6, 4),
                    textcoords="offset points", fontsize="small", color=treated_colour, fontweight="bold")
    estimates = table["estimate"].to_numpy(float)
    top = max(np.nanmax(estimates), np.nanmax(upper[len(upper) // 10:]))
    bottom = min(np.nanmin(estimates), np.nanmin(lower[len(lower) // 10:]))
    pad = 0.06 * ((top - bottom) or 1.0)
    ax.set_ylim(bottom - pad, top + pad)  # the limits' far-out tips at tiny precision would swamp the points
    ax.set_xlabel(label("natp_precision" if axis == "precision" else "natp_size", language))
    ax.set_ylabel(_effect_label(ranking, language))
    ax.set_title(f"{label('natp_funnel_title', language)} ({ranking.method}, {ranking.interruption})")
    ax.legend(loc="best", fontsize="small", frameon=False)
    ax.figure.tight_layout()
    return ax
