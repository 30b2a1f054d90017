"""Falsification tests for an interrupted time series: placebo interruptions in time and in space.

``placebo_in_time`` refits the same model with fake interruptions inside the pre-period, using
only the rows before the first real interruption (so the real effect cannot leak into a placebo).
``placebo_in_space`` fits the model to every unit of a panel and ranks the treated unit's effect
among them (a permutation test in the style of Abadie's synthetic-control placebos):
two-sided p = #{units u: |s_u| ≥ |s_treated|} / n, the treated unit counted, so p ≥ 1/n.
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from .design import _as_index_value, to_periods
from .fit import fit_its

__all__ = ["placebo_in_time", "placebo_in_space", "PlaceboResult"]

_TERMS = ("level_change", "slope_change")
_EFFECT_COLUMNS = ["term", "estimate", "ci_low", "ci_high", "p_value", "scale", "method"]


def _placebo_point(spec: object, first: object, monthly: bool) -> tuple[object, int]:
    """A whole number is a shift in periods from ``first``; anything else is a time point."""
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return first + int(spec), int(spec)
    if not monthly and isinstance(spec, str) and spec.strip().lstrip("-").isdigit():
        spec = float(spec)  # a time point on an integer axis, given as text
    point = _as_index_value(spec, monthly, "placebo")
    return point, int((point - first).n) if monthly else int(point - first)


def _effect_rows(result, index: int, base: dict, notes: str) -> list[dict]:
    """Rows for interruption ``index`` of a fit, with the in-window periods of the treated series
    before it (from the previous interruption) and after it (up to the next)."""
    d = result.design
    keep = d.in_window & ((d.groups == 0) if d.groups is not None else True)
    bounds = [-np.inf, *d.t0, np.inf]
    n_pre = int((keep & (d.t >= bounds[index]) & (d.t < bounds[index + 1])).sum())
    n_post = int((keep & (d.t >= bounds[index + 1]) & (d.t < bounds[index + 2])).sum())
    effects = result.effects[result.effects["interruption"] == list(d.effect_terms)[index]]
    return [{**base, **e, "n_pre": n_pre, "n_post": n_post, "error": None, "notes": notes or None}
            for e in effects[_EFFECT_COLUMNS].to_dict("records")]


def placebo_in_time(data: pd.DataFrame, *, shifts: Sequence, outcome: str, time: str, interventions: Sequence,
                    **fit_kwargs) -> pd.DataFrame:
    """Fake interruptions in the pre-period, each fitted to the pre-period rows only.

    ``shifts``: whole numbers are offsets in periods from the first real interruption (negative,
    e.g. ``[-6, -12, -18]``); other values (``"2016-07"``, a Period, a date) are time points.
    ``fit_kwargs`` go to :func:`fit_its` unchanged (method, seasonality, offset, …); a ``control``
    series is cut to the pre-period too. Returns one row per placebo and term — ``placebo`` (start
    as text), ``shift``, ``real``, effect columns as ``ITSResult.effects``, ``n_pre``/``n_post``
    (in-window periods either side), ``error`` (why a placebo could not be fitted) and ``notes``
    (fit warnings, e.g. a fallback to OLS) — after the ``real`` rows fitted on the full data.
    Raises InputError only when no placebo can be fitted.
    """
    real = fit_its(data, outcome=outcome, time=time, interventions=interventions, **fit_kwargs)
    labels, monthly = to_periods(data[time], time)
    first, t0 = real.design.interruptions[0], real.design.t0
    rows = [row for i, label in enumerate(real.design.effect_terms)
            for row in _effect_rows(real, i, {"placebo": label, "shift": t0[i] - t0[0], "real": True},
                                    "; ".join(real.warnings))]
    pre, pre_labels = data.loc[np.asarray(labels < first)], labels[labels < first]
    options = dict(fit_kwargs)
    if options.get("control") is not None:
        control = options["control"]
        options["control"] = control.loc[np.asarray(to_periods(control[time], time)[0] < first)]
    for spec in shifts:
        point, shift = _placebo_point(spec, first, monthly)
        base = {"placebo": str(point), "shift": shift, "real": False}
        n_pre = int((pre_labels < point).sum())  # counted on the labels, for the error rows
        try:
            if shift >= 0:
                raise InputError(f"the placebo {point} is not before the real interruption {first}")
            with _warnings.catch_warnings(record=True) as caught:
                _warnings.simplefilter("always", UserWarning)
                result = fit_its(pre, outcome=outcome, time=time, interventions=[point], **options)
        except InputError as exc:
            rows += [{**base, "term": term, "n_pre": n_pre, "n_post": len(pre_labels) - n_pre, "error": str(exc)}
                     for term in _TERMS]
            continue
        rows += _effect_rows(result, 0, base, "; ".join(str(w.message) for w in caught))
    errors = [r["error"] for r in rows if not r["real"]]
    if all(errors):
        reasons = " | ".join(dict.fromkeys(errors)) or "no shifts given"
        raise InputError("no placebo interruption could be fitted: " + reasons,
                         expected="shifts leaving at least 3 pre-period points on each side of the placebo")
    return pd.DataFrame(rows, columns=["placebo", "shift", "real", *_EFFECT_COLUMNS, "n_pre", "n_post", "error",
                                       "notes"])


def _unit_effects(panel: pd.DataFrame, unit_col: str, **kwargs) -> pd.DataFrame:
    """Effects per unit (column ``unit``; ``error`` set where a unit could not be fitted)."""
    try:
        from .panel import fit_panel
    except ImportError:
        fit_panel = None
    if fit_panel is not None:
        return fit_panel(panel, unit_col, **kwargs).rename(columns={unit_col: "unit"})
    tables = []
    for unit, part in panel.groupby(unit_col, sort=True):
        try:
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore", UserWarning)
                result = fit_its(part, **kwargs)
            se = result.coefficients.set_index("term")["std_error"]
            effects = result.effects.assign(std_error=[se[c] for pair in result.design.effect_terms.values()
                                                       for c in pair])
        except InputError as exc:
            effects = pd.DataFrame([{"error": str(exc)}])
        tables.append(effects.assign(unit=unit))
    return pd.concat(tables, ignore_index=True)


def _count_extreme(values: np.ndarray, reference: float, how: str) -> int:
    tol = 1e-12 * max(1.0, abs(reference))  # estimates equal up to rounding count as ties (conservative)
    if how == "abs":
        return int((np.abs(values) >= abs(reference) - tol).sum())
    return int((values >= reference - tol).sum() if reference >= 0 else (values <= reference + tol).sum())


MAX_NAMED_UNITS = 40  # a caterpillar plot of more units names only the treated ones


@dataclass
class PlaceboResult:
    """A placebo-in-space (permutation) test; see :func:`placebo_in_space`.

    ``rank``, ``p_value`` and ``p_value_one_sided`` are numbers for one treated unit and dicts
    (unit → value) for several; ``tests`` has them as a table either way. ``effects`` has one row
    per unit: estimate and interval on the reported scale, the ranking ``statistic`` and ``rank``
    (1 = largest |statistic| among all units, ties counted against the unit).
    """

    effects: pd.DataFrame
    treated: list
    rank: int | dict
    n_units: int
    p_value: float | dict
    p_value_one_sided: float | dict
    tests: pd.DataFrame
    term: str
    interruption: str
    statistic: str
    method: str
    scale: str
    excluded: dict = field(default_factory=dict)

    def summary(self) -> str:
        """Readable text: test, conventions and each treated unit's rank and p-values."""
        stat = "t = estimate / standard error" if self.statistic == "t" else "the estimate"
        if self.scale == "ratio":
            stat += " on the log scale (log rate ratio)"
        lines = [f"Placebo test in space: {self.term} at {self.interruption}, method {self.method}. "
                 f"Ranking statistic: {stat}.",
                 f"Each treated unit is ranked against the {self.n_units - 1} non-treated units "
                 f"(n = {self.n_units}, so the smallest possible p is 1/{self.n_units}).",
                 "Two-sided p = #{|s_u| >= |s_treated|} / n; one-sided p counts units at least as far "
                 "in the treated unit's direction; the treated unit is counted in both.", ""]
        lines.append(self.tests.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines += [f"Excluded unit {unit}: {message}" for unit, message in self.excluded.items()]
        return "\n".join(lines)

    def plot(self, ax=None, *, language: str = "sv", names=None):
        """Caterpillar plot: units sorted by estimate with their intervals, treated units in red;
        labels in Swedish unless ``language="en"``; ``names`` (a mapping or function, unit → text)
        labels the units, else their identifiers; of more than :data:`MAX_NAMED_UNITS` units only
        the treated ones are named, in a figure of fixed height. Laid out when saved or shown (``bbox_inches="tight"``)."""
        import matplotlib.pyplot as plt

        from ..labels import LABELS, label

        table = self.effects.sort_values("estimate").reset_index(drop=True)
        many = len(table) > MAX_NAMED_UNITS  # e.g. all 290 municipalities: name only the treated ones
        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 7.0 if many else 0.22 * len(table) + 1.5))
        y = np.arange(len(table))
        colors = np.where(table["treated"], "C3", "0.45")
        ax.hlines(y, table["ci_low"], table["ci_high"], colors=colors, lw=0.6 if many else 1.5)
        ax.scatter(table["estimate"], y, c=colors, s=4 if many else 18, zorder=3)
        if many:
            ax.hlines(y[table["treated"]], table["ci_low"][table["treated"]], table["ci_high"][table["treated"]],
                      colors="C3", lw=2, zorder=4)
        ax.axvline(1.0 if self.scale == "ratio" else 0.0, color="0.6", ls=":", lw=1)
        ax.set_xscale("log" if self.scale == "ratio" else "linear")
        shown = y[table["treated"].to_numpy(dtype=bool)] if many else y
        units = table["unit"].astype(str).iloc[shown]
        ax.set_yticks(shown)
        ax.set_yticklabels(units if names is None else [(names.get(u, u) if hasattr(names, "get") else names(u))
                                                        for u in units])
        if many:
            ax.set_ylim(-1, len(table))
            ax.set_ylabel(label("placebo_units_sorted", language).format(n=len(table)))
        term = label(self.term, language) if self.term in LABELS else self.term
        scale = label("placebo_ratio" if self.scale == "ratio" else "placebo_difference", language)
        ax.set_xlabel(f"{term} ({scale}), {self.method}")
        ax.set_title(label("placebo_space_title", language).format(interruption=self.interruption))
        return ax


def placebo_in_space(panel: pd.DataFrame, unit_col: str, treated: object, *, outcome: str, time: str,
                     interventions: Sequence, term: str = "level_change", statistic: str = "estimate",
                     interruption: object | None = None, **fit_kwargs) -> PlaceboResult:
    """Fit the same model to every unit and rank the treated unit's effect among them.

    ``treated``: one unit or a list; several treated units are each ranked against the
    non-treated units only. ``statistic``: ``"estimate"`` or ``"t"`` (estimate / SE, the SE the
    fit's own on the coefficient scale; where the fit gives none, interval width / (2·z), z the
    normal quantile at ``alpha``: 1.959964 for 95 %). Ratio-scale (count) methods are ranked on log
    ratios. ``interruption``: which one (default the first). ``fit_kwargs`` go to the fit (method,
    seasonality, offset, …). Units that cannot be fitted, or give no finite statistic, are left
    out (listed in ``excluded``); a treated unit among them is an InputError.
    """
    if unit_col not in panel:
        raise InputError(f"column '{unit_col}' is not in the panel", column=unit_col)
    if term not in _TERMS:
        raise InputError("unknown effect term", value=term, expected="'level_change' or 'slope_change'")
    if statistic not in ("estimate", "t"):
        raise InputError("unknown ranking statistic", value=statistic, expected="'estimate' or 't'")
    many = isinstance(treated, (list, tuple, set, pd.Index, np.ndarray, pd.Series))
    treated_units = list(dict.fromkeys(treated)) if many else [treated]
    units = list(pd.unique(panel[unit_col]))
    for unit in treated_units:
        if unit not in units:
            raise InputError("the treated unit is not in the panel", column=unit_col, value=unit,
                             expected="one of " + ", ".join(map(str, units[:20])) + (" …" if len(units) > 20 else ""))
    if len(units) - len(treated_units) < 1:
        raise InputError("a placebo test in space needs non-treated units", expected="at least one comparison unit")
    options = dict(fit_kwargs, method=fit_kwargs.get("method", "ar1-reml"))
    table = _unit_effects(panel, unit_col, outcome=outcome, time=time, interventions=interventions, **options)
    failed = table[table["error"].notna()] if "error" in table else table.iloc[:0].assign(error=None)
    excluded = {u: str(m) for u, m in zip(failed["unit"], failed["error"])}
    table = table.drop(failed.index)
    if table.empty:
        raise InputError("no unit could be fitted: " + " | ".join(dict.fromkeys(excluded.values())))
    if interruption is None:
        interruption = table["interruption"].iloc[0]
    rows = table[(table["term"] == term) & (table["interruption"].astype(str) == str(interruption))]
    if rows.empty:
        raise InputError("unknown interruption", value=interruption,
                         expected="one of " + ", ".join(map(str, table["interruption"].unique())))
    rows = rows.drop_duplicates("unit").reset_index(drop=True)
    scale = str(rows["scale"].iloc[0])
    point, low, high = (rows[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high"))
    if scale == "ratio":
        point, low, high = np.log(point), np.log(low), np.log(high)
    se = (high - low) / (2 * stats.norm.ppf(1 - fit_kwargs.get("alpha", 0.05) / 2))
    if "std_error" in rows:
        se = np.where(rows["std_error"].notna(), rows["std_error"].to_numpy(dtype=float), se)
    values = point / se if statistic == "t" else point
    finite = np.isfinite(values)
    excluded.update({u: "no finite ranking statistic" for u in rows.loc[~finite, "unit"]})
    for unit in treated_units:
        if unit in excluded:
            raise InputError(f"the treated unit {unit} could not be used: {excluded[unit]}")
    rows, se, values = rows[finite].reset_index(drop=True), se[finite], values[finite]
    effects = pd.DataFrame({"unit": rows["unit"], "treated": rows["unit"].isin(treated_units),
                            "estimate": rows["estimate"], "ci_low": rows["ci_low"], "ci_high": rows["ci_high"],
                            "p_value": rows["p_value"], "std_error": se, "scale": scale, "statistic": values})
    effects["rank"] = [_count_extreme(values, v, "abs") for v in values]
    controls = values[~effects["treated"].to_numpy()]
    tests = []
    for unit in treated_units:
        own = float(values[(effects["unit"] == unit).to_numpy()][0])
        reference = np.append(controls, own)
        n, rank = len(reference), _count_extreme(reference, own, "abs")
        tests.append({"unit": unit, "statistic": own, "rank": rank, "n_units": n, "p_value": rank / n,
                      "p_value_one_sided": _count_extreme(reference, own, "signed") / n})
    tests = pd.DataFrame(tests)
    pick = (lambda c: tests[c].iloc[0].item()) if not many else (lambda c: dict(zip(tests["unit"], tests[c].tolist())))
    method = str(rows["method"].iloc[0]) if "method" in rows else options["method"]
    return PlaceboResult(effects=effects.sort_values("rank", kind="stable").reset_index(drop=True),
                         treated=treated_units, rank=pick("rank"), n_units=len(controls) + 1,
                         p_value=pick("p_value"), p_value_one_sided=pick("p_value_one_sided"), tests=tests,
                         term=term, interruption=str(interruption), statistic=statistic, method=method,
                         scale=scale, excluded=excluded)
