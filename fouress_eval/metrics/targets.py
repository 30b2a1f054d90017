"""Targets against outcomes: a YAML targets file, its validation, and the attainment table.

A targets file is a flat YAML mapping of indicator → target value, for example::

    participants: 200
    participants_women: 150
    back_in_work_pct: 80

The known indicators are :data:`INDICATORS` (all "higher is better", so attainment =
outcome / target, 1.0 = target met). Percentages are per cent (0–100). Unknown keys and values
that are not positive numbers raise :class:`fouress_eval.errors.InputError` naming the file and key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError

# from _episodes, not .participants: that imports scipy and statsmodels, which evaluation loading
# (and so every command's start) would then pay for
from ._episodes import WORK_REASONS, _closed

__all__ = ["INDICATORS", "Indicator",
           "read_targets", "write_targets", "validate_targets", "targets_vs_outcomes"]


@dataclass(frozen=True)
class Indicator:
    """A target indicator: unit, description, and how its outcome is computed."""

    unit: str
    description: str
    outcome: Callable[[pd.DataFrame, pd.DataFrame | None], float]
    percent: bool = False


def _participants(participants: pd.DataFrame, meetings: pd.DataFrame | None) -> float:
    return float(participants["participant_id"].nunique())


def _participants_of(sex: str) -> Callable[[pd.DataFrame, pd.DataFrame | None], float]:
    def outcome(participants: pd.DataFrame, meetings: pd.DataFrame | None) -> float:
        return float(participants.loc[participants["sex"] == sex, "participant_id"].nunique())
    return outcome


def _share_closed(test: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame, pd.DataFrame | None], float]:
    def outcome(participants: pd.DataFrame, meetings: pd.DataFrame | None) -> float:
        closed = _closed(participants)
        return float(100 * test(closed).mean()) if len(closed) else math.nan
    return outcome


def _follow_up_per_participant(participants: pd.DataFrame, meetings: pd.DataFrame | None) -> float:
    if meetings is None:
        return math.nan
    people = participants["participant_id"].nunique()
    follow_up = meetings[(meetings["meeting_type"] == "follow_up")
                         & meetings["participant_id"].isin(participants["participant_id"])]
    return len(follow_up) / people if people else math.nan


INDICATORS: dict[str, Indicator] = {
    "participants": Indicator("participants", "participants enrolled (distinct participant ids)", _participants),
    "participants_women": Indicator("participants", "women enrolled", _participants_of("K")),
    "participants_men": Indicator("participants", "men enrolled", _participants_of("M")),
    "back_in_work_pct": Indicator(
        "%", "closed episodes with exit reason back in ordinary work or other work with the same employer",
        _share_closed(lambda c: c["exit_reason"].isin(WORK_REASONS)), percent=True),
    "salary_at_exit_pct": Indicator(
        "%", "closed episodes fully back on salary at exit",
        _share_closed(lambda c: c["exit_compensation"] == "salary"), percent=True),
    "follow_up_per_participant": Indicator(
        "meetings per participant", "follow-up meetings (avstämningsmöten) per participant, all participants",
        _follow_up_per_participant),
}

def validate_targets(targets: object, file: str | Path | None = None) -> dict[str, float]:
    """``targets`` checked and normalised to ``{indicator: float}``.

    Raises :class:`InputError` when it is not a mapping, a key is not in :data:`INDICATORS`, or a
    value is not a finite positive number (percentages at most 100).
    """
    if not isinstance(targets, Mapping):
        raise InputError("a targets file must be a mapping of indicator: value", file=file,
                         value=type(targets).__name__, expected="lines such as 'participants: 200'")
    out: dict[str, float] = {}
    for key, value in targets.items():
        if key not in INDICATORS:
            raise InputError("unknown target indicator", file=file, column=str(key), value=key,
                             expected="one of " + ", ".join(INDICATORS))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError("a target must be a number", file=file, column=key, value=value,
                             expected="a number such as 200 or 80.5 (decimal point, no unit)")
        if value <= 0:
            raise InputError("a target must be positive", file=file, column=key, value=value,
                             expected="a number above 0")
        if INDICATORS[key].percent and value > 100:
            raise InputError("a percentage target cannot exceed 100", file=file, column=key, value=value,
                             expected="a per-cent value between 0 and 100")
        out[key] = float(value)
    return out


def read_targets(path: str | Path) -> dict[str, float]:
    """Read and validate a YAML targets file (see the module docstring)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("targets file not found", file=path, expected="a YAML file of indicator: value") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(f"the targets file is not valid YAML ({getattr(error, 'problem', error)})", file=path,
                         row=mark.line + 1 if mark is not None else None,
                         expected="lines such as 'participants: 200'") from None
    if data is None:
        raise InputError("the targets file is empty", file=path, expected="lines such as 'participants: 200'")
    return validate_targets(data, file=path)


def write_targets(path: str | Path, targets: Mapping[str, float]) -> Path:
    """Validate ``targets`` and write them as a YAML targets file, each line commented with the
    indicator's description and unit. Returns the path."""
    path = Path(path)
    checked = validate_targets(targets)
    lines = ["# Targets for fouress_eval (indicator: value); percentages in per cent."]
    for key, value in checked.items():
        number = int(value) if value.is_integer() else value
        indicator = INDICATORS[key]
        entry = yaml.safe_dump({key: number}, default_flow_style=False, allow_unicode=True).strip()
        lines.append(f"{entry}  # {indicator.description} ({indicator.unit})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def targets_vs_outcomes(targets: Mapping[str, float], participants: pd.DataFrame,
                        meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per target: ``indicator``, ``unit``, ``target``, ``outcome`` and ``attainment``
    (outcome / target as a ratio, 1.0 = met). Outcomes come from ``participants`` (and
    ``meetings`` for meeting indicators; NaN without it), as of whatever the register holds."""
    checked = validate_targets(targets)
    rows = []
    for key, target in checked.items():
        indicator = INDICATORS[key]
        outcome = indicator.outcome(participants, meetings)
        rows.append({"indicator": key, "unit": indicator.unit, "target": target, "outcome": outcome,
                     "attainment": outcome / target})
    return pd.DataFrame(rows, columns=["indicator", "unit", "target", "outcome", "attainment"])
