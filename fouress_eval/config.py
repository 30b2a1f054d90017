"""Settings: one frozen object with an evaluation's paths, sites, dates and disclosure thresholds.

Every value comes from an evaluation configuration, ``evaluations/<name>.yml`` (see
:mod:`fouress_eval.evaluation`): :func:`get_settings` loads one (default: the evaluation named by
``$FOURESS_EVAL_EVALUATION``, else :data:`DEFAULT_EVALUATION`). ``Settings()`` itself knows no
project: no sites, no dates. Dates are monthly ``pandas.Period`` values; site codes are 4-digit
municipality or 2-digit county codes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Settings", "get_settings", "default_evaluation", "find_project_root", "resolve_data_dir", "report_context",
           "DEFAULT_EVALUATION", "COVID_START"]

DEFAULT_EVALUATION = "fouress"  # the evaluation a bare `make report` or notebook runs
COVID_START = pd.Period("2020-03", freq="M")  # the pandemic's first month in Sweden, for every evaluation


@dataclass(frozen=True)
class Settings:
    """Evaluation settings (normally made by :meth:`Evaluation.settings`).

    ``sites``: site codes in the configuration's order; ``comparison``: comparison unit codes;
    ``interventions``: start months of the project's interruptions (phases included), the ITS
    breaks; ``follow_up``: the (first, last) month whose mean is set against ``baseline``;
    ``min_count``: participant counts below it are shown as ``"<min_count"``; ``min_employees``:
    employee groups with this many or fewer employees are withheld (the statutory rule for municipal
    sick-leave key figures is 10). ``evaluation`` is the parsed configuration (or None).
    """

    project_root: Path = field(default_factory=lambda: Path(os.environ.get("FOURESS_EVAL_ROOT") or find_project_root()))
    name: str = ""
    title: str = ""
    raw_dir: Path | None = None
    processed_dir: Path | None = None
    reports_dir: Path | None = None
    qual_dir: Path | None = None
    sites: tuple[str, ...] = ()
    comparison: tuple[str, ...] = ()
    baseline: pd.Period | None = None
    follow_up: tuple[pd.Period, pd.Period] | None = None
    interventions: tuple[pd.Period, ...] = ()
    intervention_start: pd.Period | None = None
    intervention_end: pd.Period | None = None
    covid_start: pd.Period = COVID_START
    data_cutoff: pd.Timestamp | None = None
    min_count: int = 5
    min_employees: int = 10
    language: str = "sv"
    evaluation: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        root = Path(self.project_root)
        object.__setattr__(self, "project_root", root)
        folder = self.name or "default"
        defaults = {"raw_dir": root / "data_raw" / folder, "processed_dir": root / "data_processed" / folder,
                    "reports_dir": root / "reports" / folder}
        for key, value in defaults.items():
            object.__setattr__(self, key, value if getattr(self, key) is None else Path(getattr(self, key)))
        if self.language not in ("sv", "en"):
            raise ValueError(f"language must be 'sv' or 'en', not {self.language!r}")

    @property
    def municipalities(self) -> tuple[str, ...]:
        """The municipality sites (4-digit codes)."""
        return tuple(s for s in self.sites if len(s) == 4)

    def site(self, value: object = "") -> str:
        """A site given as code or name → its code; empty → the first site; ``"all"`` stays ``"all"``.

        A county site is a 2-digit code (or a county name); anything else is read as a municipality.
        """
        from .errors import InputError
        from .sites import site_code

        text = "" if value is None else str(value).strip()
        if not text:
            if not self.sites:
                raise InputError("the evaluation has no sites", value=self.name,
                                 expected="sites: in evaluations/<name>.yml")
            return self.sites[0]
        if text.lower() == "all":
            return "all"
        return text if text in self.sites else site_code(text)


def default_evaluation() -> str:
    """``$FOURESS_EVAL_EVALUATION``, else :data:`DEFAULT_EVALUATION`."""
    return os.environ.get("FOURESS_EVAL_EVALUATION") or DEFAULT_EVALUATION


def get_settings(evaluation: str | Path | None = None, *, root: str | Path | None = None, **overrides) -> Settings:
    """The settings of ``evaluation`` (a name in ``evaluations/`` or a path; default
    :func:`default_evaluation`) with ``overrides`` applied; raises InputError for a bad configuration."""
    from .evaluation import load_evaluation

    return load_evaluation(evaluation or default_evaluation(), root=root).settings(**overrides)


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: cwd) holding ``data_processed/`` or
    ``pyproject.toml``; ``start`` itself when there is none (a pip-installed package run elsewhere)."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "data_processed").is_dir() or (folder / "pyproject.toml").is_file():
            return folder
    return start


def resolve_data_dir(data_dir: str | Path | None, settings: Settings | None = None) -> Path:
    """``data_dir`` as given, or the evaluation's processed folder (``settings.processed_dir``,
    default ``<project root>/data_processed/<evaluation>``) when empty."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    return Path((settings or get_settings()).processed_dir)


def report_context(evaluation: str | Path | None = "", site: object = "", data_dir: str | Path | None = "", *,
                   language: str | None = "", min_count: int | None = 0) -> tuple[Settings, str, Path]:
    """What a report notebook starts from: the evaluation's settings (``language``/``min_count`` override
    the configuration's when given), the site's code (empty: the first site; ``"all"`` stays) and the
    prepared data folder (empty: the evaluation's ``processed_dir``)."""
    overrides = {k: v for k, v in (("language", language), ("min_count", min_count)) if v}
    settings = get_settings(evaluation or None, **overrides)
    return settings, settings.site(site), resolve_data_dir(data_dir, settings)
