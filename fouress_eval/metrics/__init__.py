"""Metrics computed from the tidy tables in ``data_processed/``.

Submodules (imported on demand, so that this package imports nothing eagerly):

- :mod:`fouress_eval.metrics.absence` — sick-leave %, change from baseline, rolling 12-month rates,
  indices, health-centre sick-listing rates;
- :mod:`fouress_eval.metrics.key_figures` — the statutory key figures NT1–NT7;
- :mod:`fouress_eval.metrics.short_term` — repeated short-term absence spells;
- :mod:`fouress_eval.metrics.participants` — participant flow, meetings, transitions, exits;
- :mod:`fouress_eval.metrics.survival` — time to return to work (Kaplan–Meier);
- :mod:`fouress_eval.metrics.targets` — targets against outcomes;
- :mod:`fouress_eval.metrics.consistency` — checks that subgroup counts and shares add up.
"""

from __future__ import annotations

import importlib
from types import ModuleType

_SUBMODULES = ("absence", "key_figures", "short_term", "participants", "survival", "targets", "consistency")


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
