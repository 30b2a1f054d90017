"""Data-quality figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..labels import label
from ._style import PALETTE

__all__ = ["coverage_heatmap"]

def coverage_heatmap(coverage: pd.DataFrame, *, language: str = "sv", ax: plt.Axes | None = None) -> plt.Axes:
    """Heat map of :func:`fouress_eval.quality.coverage`: tables down, months across, share 0–1."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=(11, 0.6 * max(len(coverage.columns), 2) + 1.2))
    data = coverage.T
    data.columns = [str(m) for m in data.columns]
    sns.heatmap(data, vmin=0, vmax=1, cmap=PALETTE, ax=ax, cbar_kws={"label": label("share_present", language)},
                linewidths=0, xticklabels=False, yticklabels=True)  # explicit: "auto" draws the figure to measure
    ticks = [i for i, m in enumerate(data.columns) if m.endswith(("-01", "-07"))]
    ax.set_xticks([t + 0.5 for t in ticks])
    ax.set_xticklabels([data.columns[t] for t in ticks], rotation=90)
    ax.set_xlabel(label("month", language))
    ax.set_ylabel("")
    ax.set_title(label("dq_coverage", language))
    return ax
