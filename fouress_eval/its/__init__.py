"""Interrupted time-series analysis (DESIGN.md section 6): segmented regression with seven
estimators, counterfactuals and effects at a horizon, controlled designs, falsification tests and
many-unit fits. ``fit_its`` is the entry point."""

from .checks import is_rolling_outcome
from .falsification import PlaceboResult, placebo_in_space, placebo_in_time
from .fit import compare_methods, default_maxlags, fit_its
from .models import COUNT_METHODS, METHODS
from .panel import fit_panel
from .results import ITSResult

__all__ = ["fit_its", "compare_methods", "ITSResult", "METHODS", "COUNT_METHODS", "default_maxlags",
           "is_rolling_outcome", "placebo_in_time", "placebo_in_space", "PlaceboResult", "fit_panel"]
