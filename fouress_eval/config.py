"""Settings: one frozen object with the evaluation's paths, dates and disclosure thresholds.

Dates are monthly ``pandas.Period`` values. Defaults describe 4-Ess (ESF 2016/00499); every
field can be overridden with :func:`dataclasses.replace` or keyword arguments to
:func:`get_settings`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

PROJECT_MUNICIPALITIES = ("0781", "0834", "0884")  # Ljungby, Torsås, Vimmerby


def _month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


@dataclass(frozen=True)
class Settings:
    """Evaluation settings.

    ``min_count``: participant counts below it are shown as ``"<min_count"``;
    ``min_employees``: employee groups with this many or fewer employees are withheld
    (the statutory rule for municipal sick-leave key figures is 10).
    """

    project_root: Path = field(default_factory=lambda: Path(os.environ.get("FOURESS_EVAL_ROOT") or find_project_root()))
    raw_dir: Path | None = None
    processed_dir: Path | None = None
    reports_dir: Path | None = None
    municipalities: tuple[str, ...] = PROJECT_MUNICIPALITIES
    baseline: pd.Period = field(default_factory=lambda: _month("2016-08"))
    intervention_start: pd.Period = field(default_factory=lambda: _month("2017-02"))
    intervention_end: pd.Period = field(default_factory=lambda: _month("2020-01"))
    covid_start: pd.Period = field(default_factory=lambda: _month("2020-03"))
    data_cutoff: pd.Timestamp = field(default_factory=lambda: pd.Timestamp("2019-10-31"))
    min_count: int = 5
    min_employees: int = 10
    language: str = "sv"

    def __post_init__(self) -> None:
        root = Path(self.project_root)
        object.__setattr__(self, "project_root", root)
        if self.raw_dir is None:
            object.__setattr__(self, "raw_dir", root / "data_raw" / "demo")
        if self.processed_dir is None:
            object.__setattr__(self, "processed_dir", root / "data_processed")
        if self.reports_dir is None:
            object.__setattr__(self, "reports_dir", root / "reports")
        if self.language not in ("sv", "en"):
            raise ValueError(f"language must be 'sv' or 'en', not {self.language!r}")


def get_settings(**overrides) -> Settings:
    """The default settings with ``overrides`` applied."""
    return replace(Settings(), **overrides) if overrides else Settings()


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: cwd) holding ``data_processed/`` or
    ``pyproject.toml``; ``start`` itself when there is none (a pip-installed package run elsewhere)."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "data_processed").is_dir() or (folder / "pyproject.toml").is_file():
            return folder
    return start


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """``data_dir`` as given, or ``<project root>/data_processed`` when empty."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    return find_project_root() / "data_processed"
