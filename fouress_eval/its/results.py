"""``ITSResult``: tidy tables of an interrupted time-series fit, effects at a horizon, summary, plot.

Intervals: Wald intervals with the normal quantile, except plain OLS (Student t on the residual
df) and ``ar1-reml`` with Satterthwaite df (Student t per coefficient). Effects at a horizon and
cumulative effects use the delta method on the fitted coefficients and their covariance under
the chosen error model, never post-period residuals treated as independent draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from .design import Design, _as_index_value
from .models import Estimate

__all__ = ["ALL", "ITSResult", "quantile"]

ALL = "all"  # effect_at/cumulative_effect: every interruption at once


def quantile(df: float | pd.Series | None, alpha: float, term: str | None = None) -> float:
    """The two-sided critical value: normal when ``df`` is None, Student t otherwise."""
    if df is None:
        return float(stats.norm.ppf(1 - alpha / 2))
    if isinstance(df, pd.Series):
        df = float(df[term]) if term is not None else float(df.min())
    return float(stats.t.ppf(1 - alpha / 2, df))


def _p_value(z: float, df: float | pd.Series | None, term: str) -> float:
    if df is None:
        return float(2 * stats.norm.sf(abs(z)))
    dof = float(df[term]) if isinstance(df, pd.Series) else float(df)
    return float(2 * stats.t.sf(abs(z), dof))


@dataclass
class ITSResult:
    """The result of :func:`fouress_eval.its.fit_its`.

    Attributes are tidy DataFrames: ``effects`` (one row per interruption and term),
    ``coefficients`` (every model term), ``fitted`` (per period: observed, fitted, counterfactual
    with interval, in-window flag), plus ``diagnostics`` (a dict) and ``warnings`` (a list of text).
    """

    method: str
    outcome: str
    alpha: float
    design: Design
    fit: Estimate
    effects: pd.DataFrame
    coefficients: pd.DataFrame
    fitted: pd.DataFrame
    diagnostics: dict
    warnings: list[str] = field(default_factory=list)
    controlled: bool = False

    @property
    def scale(self) -> str:
        return "ratio" if self.fit.link == "log" else "difference"

    # -- effects beyond the coefficients ------------------------------------------------------
    def _rows(self, interruption: object | None) -> tuple[str, int, np.ndarray]:
        """The interruption's label, its position (``"all"``: the first's) and the rows it acts on."""
        labels = list(self.design.effect_terms)
        key = labels[0] if interruption is None else str(interruption)
        if self._removed(key) is None:
            raise InputError("unknown interruption", value=interruption,
                             expected="one of " + ", ".join(labels) + f" or {ALL!r}")
        return key, labels.index(key) if key in labels else 0, np.flatnonzero(self._treated_mask())

    def _removed(self, key: str) -> list[str] | None:
        """The columns an interruption's counterfactual sets to zero (``"all"``: every
        interruption's); None for an unknown label."""
        terms = self.design.effect_terms
        if key in terms:
            return list(terms[key])
        return [c for columns in terms.values() for c in columns] if key == ALL else None

    def _treated_mask(self) -> np.ndarray:
        if not self.controlled:
            return np.ones(len(self.design.y), dtype=bool)
        return self.design.X["treated"].to_numpy() == 1

    def _x_pair(self, key: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = self.design.X.iloc[rows]
        full = X.to_numpy(dtype=float)
        cf = X.copy()
        for column in self._removed(key):
            cf[column] = 0.0
        return full, cf.to_numpy(dtype=float)

    def _delta(self, gradient: np.ndarray) -> float:
        """Delta-method standard error of a function of the coefficients with this gradient."""
        return float(np.sqrt(gradient @ self.fit.cov.to_numpy() @ gradient))

    def _combine(self, full: np.ndarray, cf: np.ndarray, offset: np.ndarray) -> dict:
        beta = self.fit.params.to_numpy()
        if self.fit.link == "log":
            fitted = np.exp(full @ beta + offset)
            counter = np.exp(cf @ beta + offset)
            absolute = float((fitted - counter).sum())
            g_abs = (fitted[:, None] * full - counter[:, None] * cf).sum(axis=0)
        else:
            fitted, counter = full @ beta, cf @ beta
            absolute = float((fitted - counter).sum())
            g_abs = (full - cf).sum(axis=0)
        total_cf = float(counter.sum())
        g_cf = (counter[:, None] * cf).sum(axis=0) if self.fit.link == "log" else cf.sum(axis=0)
        relative = absolute / total_cf
        g_rel = g_abs / total_cf - absolute * g_cf / total_cf ** 2
        q = quantile(self.fit.df, self.alpha)
        se_abs, se_rel = self._delta(g_abs), self._delta(g_rel)
        return {"fitted": float(fitted.sum()), "counterfactual": total_cf,
                "absolute": absolute, "absolute_low": absolute - q * se_abs, "absolute_high": absolute + q * se_abs,
                "relative": relative, "relative_low": relative - q * se_rel, "relative_high": relative + q * se_rel,
                "interval": "delta method"}

    def _offset(self, rows: np.ndarray) -> np.ndarray:
        if self.design.offset is None:
            return np.zeros(len(rows))
        return np.log(self.design.offset[rows])

    def effect_at(self, horizon: int, interruption: object | None = None) -> pd.DataFrame:
        """Fitted minus counterfactual ``horizon`` periods after an interruption (0 = its first
        period, so horizon 0 is the level change), absolutely and relative to the counterfactual.

        The counterfactual removes only this interruption's terms; ``interruption="all"`` removes
        every interruption's (the whole intervention with its later phases) and counts the horizon
        from the first. One row; the interval is the delta method with the coefficients' covariance.
        """
        key, index, rows = self._rows(interruption)
        target = self.design.t0[index] + int(horizon)
        hit = rows[self.design.t[rows] == target]
        if len(hit) == 0:
            raise InputError("the horizon lies outside the series", value=horizon,
                             expected=f"0 to {int(self.design.t[rows].max()) - self.design.t0[index]} periods")
        full, cf = self._x_pair(key, hit)
        out = self._combine(full, cf, self._offset(hit))
        return pd.DataFrame([{"interruption": key, "horizon": int(horizon),
                              "time": str(self.fitted["time"].iloc[hit[0]]), **out}])

    def cumulative_effect(self, start: object, end: object, interruption: object | None = None) -> pd.DataFrame:
        """The summed difference between fitted and counterfactual over ``start``..``end``
        (inclusive, time labels), and the sum relative to the summed counterfactual;
        ``interruption`` as in :meth:`effect_at`."""
        key, index, rows = self._rows(interruption)
        times = pd.Index(self.fitted["time"].iloc[rows])
        lo = _as_index_value(start, self.design.monthly, "start")
        hi = _as_index_value(end, self.design.monthly, "end")
        chosen = rows[(times >= lo) & (times <= hi) & (self.design.t[rows] >= self.design.t0[index])]
        if len(chosen) == 0:
            raise InputError("no post-interruption period between start and end", value=f"{start}..{end}",
                             expected="periods at or after the interruption")
        full, cf = self._x_pair(key, chosen)
        out = self._combine(full, cf, self._offset(chosen))
        return pd.DataFrame([{"interruption": key, "start": str(lo), "end": str(hi), "periods": len(chosen), **out}])

    # -- presentation --------------------------------------------------------------------------
    def summary(self) -> str:
        """Readable text: method and conventions, effects with intervals, diagnostics, warnings."""
        level = int(round(100 * (1 - self.alpha)))
        lines = [f"Interrupted time series: {self.outcome}", f"Method: {self.method}" +
                 (" (controlled: treated minus control)" if self.controlled else ""),
                 "Convention: t = 0, 1, … ; post = 1[t >= t0]; t_since = (t - t0)·post; level change = post, "
                 "slope change = t_since" + (" (rate ratios, log link)" if self.scale == "ratio" else "") + ".",
                 f"Intervals: {level} % " + ("Student t" if self.fit.df is not None else "Wald, normal quantile") + ".",
                 f"Periods used: {int(self.design.in_window.sum())} of {len(self.design.in_window)}", ""]
        table = self.effects[["interruption", "term", "estimate", "ci_low", "ci_high", "p_value"]]
        lines.append(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines.append("")
        d = self.diagnostics
        for key in ("rho", "dispersion", "durbin_watson", "ljung_box_p"):
            if d.get(key) is not None:
                lines.append(f"{key}: {d[key]:.4g}")
        for text in self.warnings:
            lines.append(f"Warning: {text}")
        return "\n".join(lines)

    def __repr__(self) -> str:  # pragma: no cover - convenience
        return self.summary()

    def plot(self, ax=None, *, language: str = "sv"):
        """Observed points, fitted segments, dashed counterfactual with band, shaded post period."""
        from ..plots import its_plot

        return its_plot(self, ax=ax, language=language)
