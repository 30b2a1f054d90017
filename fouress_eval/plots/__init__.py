"""Figures, one function each; seaborn/matplotlib with labels from :mod:`fouress_eval.labels`
(Swedish by default, English with ``language="en"``) and colour-blind-safe palettes."""

from ._style import CATEGORICAL, PALETTE
from .absence import index_plot, outcome_series_plot, sick_leave_series
from .its import its_plot
from .national import caterpillar_plot, funnel_plot
from .participants import compensation_flow, km_plot, meeting_distribution
from .qual import agreement_bars, code_group_heatmap, cooccurrence_heatmap
from .quality import coverage_heatmap

__all__ = ["coverage_heatmap", "its_plot", "sick_leave_series", "index_plot", "outcome_series_plot", "compensation_flow", "km_plot",
           "meeting_distribution", "code_group_heatmap", "cooccurrence_heatmap", "agreement_bars", "caterpillar_plot", "funnel_plot", "PALETTE", "CATEGORICAL"]
