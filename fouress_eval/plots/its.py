"""Interrupted time-series figure."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..labels import LABELS, label

__all__ = ["its_plot"]


def its_plot(result, *, ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
    """An interrupted time series: observed points (hollow where excluded from estimation), fitted
    segments, the dashed counterfactual with its interval band, the post period shaded."""
    fitted = result.fitted
    if "series" in fitted:
        fitted = fitted[fitted["series"] == "treated"]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(10, 4.5))
    x = fitted["time"].map(lambda v: v.to_timestamp() if hasattr(v, "to_timestamp") else v)
    used = fitted["in_window"].to_numpy()
    ax.scatter(x[used], fitted["observed"][used], s=14, color="0.35", label=label("observed", language), zorder=3)
    if (~used).any():
        ax.scatter(x[~used], fitted["observed"][~used], s=14, facecolors="none", edgecolors="0.35",
                   label=label("excluded", language), zorder=3)
    t = result.design.t[: len(fitted)]
    bounds = [-float("inf"), *result.design.t0, float("inf")]
    for number, (low, high) in enumerate(zip(bounds[:-1], bounds[1:])):
        part = (t >= low) & (t < high)
        ax.plot(x[part], fitted["fitted"][part], color="C0", lw=2,
                label=label("fitted", language) if number == 0 else None)
    after = t >= result.design.t0[0]
    ax.plot(x[after], fitted["counterfactual"][after], color="C1", lw=1.5, ls="--",
            label=label("counterfactual", language))
    ax.fill_between(x[after], fitted["counterfactual_low"][after], fitted["counterfactual_high"][after],
                    color="C1", alpha=0.2, lw=0)
    ax.axvspan(x[after].iloc[0], x.iloc[-1], color="0.9", zorder=0, label=label("post_period", language))
    ax.set_xlabel(label("time", language))
    ax.set_ylabel(label(result.outcome, language) if result.outcome in LABELS else result.outcome)
    ax.legend(loc="best", fontsize="small", frameon=False)
    return ax
