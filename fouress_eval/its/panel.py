"""``fit_panel``: one ITS specification fitted separately to every unit of a panel.

A panel is a long table, one row per unit (e.g. municipality) and period. Each unit gets exactly
the model ``fit_its`` would fit to its rows alone (same conventions: ``t = 0, 1, …`` in periods,
``post``/``t_since`` effect terms, DESIGN.md section 6), and the result is one tidy table with
``ITSResult.effects``'s columns (``estimate``, ``ci_low``, ``ci_high`` on the effect scale: a
difference in outcome units, or a rate ratio for count methods) plus ``std_error`` of the
coefficient (the log rate ratio for count methods), ``rho`` (AR(1) methods), ``dispersion``
(count methods), ``n_warnings`` (as ``len(fit_its(...).warnings)``) and ``error``.

Units sharing a time grid share one design, built once. A unit whose data ``fit_its`` would
reject (missing outcome, too few points, …) gets one row with the message in ``error`` instead
of aborting the panel.
"""

from __future__ import annotations

import warnings as _warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tools.tools import pinv_extended

from ..errors import InputError
from .checks import diagnose
from .design import Design, build_design
from .fit import MIN_AR1_RESIDUAL_DF, default_maxlags
from .models import COUNT_METHODS, METHODS, Estimate, estimate

__all__ = ["fit_panel"]

COLUMNS = ["interruption", "term", "estimate", "ci_low", "ci_high", "p_value", "scale", "method", "std_error",
           "rho", "dispersion", "n_warnings", "error"]
_Y, _OFF = "__fit_panel_outcome__", "__fit_panel_offset__"  # placeholder columns of the shared design


# statsmodels fits one outcome at a time, and OLS/HAC per unit is mostly overhead (model set-up, a
# pseudo-inverse per fit); with a shared design one pseudo-inverse serves every unit. The formulas
# are statsmodels' own (OLS(method="pinv"), cov_type="HAC" with use_correction=True): params
# pinv(X)·y, df_resid n − rank, nonrobust cov s²·pinv·pinvᵀ, HAC cov H·S·H·n/(n − k) with
# H = pinv·pinvᵀ, S = Σ_l w_l (Γ_l + Γ_lᵀ) over scores x_t·u_t, Bartlett w_l = 1 − l/(L + 1).
def _solve_many(X: np.ndarray, Y: np.ndarray, method: str, maxlags: int | None):
    """OLS of every column of ``Y`` (n × U) on ``X`` (n × k): params (U × k), covariances
    (U × k × k), residual df and residuals (n × U)."""
    n, k = X.shape
    pinv, singular = pinv_extended(X)
    bread = pinv @ pinv.T
    B = pinv @ Y
    R = Y - X @ B
    df_resid = float(n - np.linalg.matrix_rank(np.diag(singular)))
    if method == "ols":
        return B.T, (R * R).sum(axis=0)[:, None, None] / df_resid * bread, df_resid, R
    scores = X[:, None, :] * R[:, :, None]  # n × U × k
    S = np.einsum("tui,tuj->uij", scores, scores)
    for lag in range(1, int(maxlags) + 1):
        s = np.einsum("tui,tuj->uij", scores[lag:], scores[:-lag])
        S += (1 - lag / (maxlags + 1.0)) * (s + s.transpose(0, 2, 1))
    return B.T, np.einsum("ij,ujk,lk->uil", bread, S, bread) * (n / float(n - k)), None, R


def _ljung_box_p(R: np.ndarray) -> np.ndarray:
    """Ljung–Box p-value per column of residuals, at the lag ``diagnose`` uses (min(12, n // 4))."""
    n = R.shape[0]
    h = max(int(min(12, n // 4)), 1)
    D = R - R.mean(axis=0)
    r = np.array([(D[lag:] * D[:-lag]).sum(axis=0) for lag in range(1, h + 1)]) / (D * D).sum(axis=0)
    q = n * (n + 2) * (r ** 2 / (n - np.arange(1, h + 1))[:, None]).sum(axis=0)
    return stats.chi2.sf(q, h)


def _fit_group(design: Design, ys: list[np.ndarray], offs: list[np.ndarray | None], *, method: str,
               maxlags: int | None, df: str | None, alpha: float, seasonality, rolling, outcome: str) -> pd.DataFrame:
    """Every unit of one shared design: rows unit-major, one per interruption and term."""
    used = design.in_window
    X = design.X.loc[used].reset_index(drop=True)
    Xa, t, p = X.to_numpy(dtype=float), design.t[used], X.shape[1]
    notes = 0
    if method.startswith(("ar1", "prais")) and used.sum() - p < MIN_AR1_RESIDUAL_DF:
        method, df, notes = "ols", None, 1  # as fit_its: too short for the AR(1) likelihood
        _warnings.warn(f"{len(ys)} unit(s) too short for an AR(1) fit; fitted by ols instead", UserWarning,
                       stacklevel=4)
    Y = np.column_stack([y[used] for y in ys])
    U = Y.shape[1]
    rho, dispersion = np.full(U, np.nan), np.full(U, np.nan)
    if method in ("ols", "newey-west"):
        B, cov, dof, white = _solve_many(Xa, Y, method, maxlags)
        dofs = None if dof is None else np.full((U, p), dof)
    else:
        fits = [estimate(method, Y[:, u], X, t=t, offset=None if offs[u] is None else offs[u][used],
                         maxlags=maxlags, df=df) for u in range(U)]
        B = np.array([f.params.to_numpy() for f in fits])
        cov = np.array([f.cov.to_numpy() for f in fits])
        dofs = None if fits[0].df is None else np.array([np.broadcast_to(np.asarray(f.df, dtype=float), p)
                                                          for f in fits])
        white = np.column_stack([f.white_resid for f in fits])
        rho = np.array([f.extra.get("rho", np.nan) for f in fits], dtype=float)
        dispersion = np.array([f.extra.get("dispersion", np.nan) for f in fits], dtype=float)
    # design-level warnings are the same for every unit: count them once (method "" skips the
    # residual checks), then add the residual checks diagnose makes for this method
    probe = Estimate(pd.Series(dtype=float), pd.DataFrame(), None, white[:, 0], white[:, 0], white[:, 0])
    shared = len(diagnose(design, probe, seasonality=seasonality, rolling=rolling, outcome=outcome, method="")[1])
    n_warnings = np.full(U, notes + shared)
    if method == "poisson":
        n_warnings += dispersion > 1.5
    if method in ("ols", "poisson", "quasi-poisson"):
        n_warnings += _ljung_box_p(white) < 0.05
    se = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    link = "log" if method in COUNT_METHODS else "identity"
    columns = list(X.columns)
    frames = []
    for label, (level, slope) in design.effect_terms.items():
        for term, column in (("level_change", level), ("slope_change", slope)):
            j = columns.index(column)
            b, s = B[:, j], se[:, j]
            if dofs is None:
                q, p_value = stats.norm.ppf(1 - alpha / 2), 2 * stats.norm.sf(np.abs(b / s))
            else:
                q, p_value = stats.t.ppf(1 - alpha / 2, dofs[:, j]), 2 * stats.t.sf(np.abs(b / s), dofs[:, j])
            values = [b, b - q * s, b + q * s]
            if link == "log":
                values = [np.exp(v) for v in values]
            frames.append(pd.DataFrame({
                "interruption": label, "term": term, "estimate": values[0], "ci_low": values[1],
                "ci_high": values[2], "p_value": np.where(s > 0, p_value, np.nan),
                "scale": "ratio" if link == "log" else "difference", "method": method, "std_error": s,
                "rho": rho, "dispersion": dispersion, "n_warnings": n_warnings, "error": None,
                "_unit": np.arange(U), "_row": len(frames)}))
    return pd.concat(frames, ignore_index=True)


def fit_panel(panel: pd.DataFrame, unit_col: str, *, outcome: str, time: str, interventions: Sequence,
              method: str = "ar1-reml", seasonality: int | str | None = None, offset: str | None = None,
              maxlags: int | None = None, exclude: Sequence | None = None, alpha: float = 0.05,
              df: str | None = None, rolling: bool | None = None) -> pd.DataFrame:
    """Fit the same interrupted time series to every unit of ``panel`` (long format, one row per
    unit and period, rows of a unit in time order) and return one tidy effects table.

    Arguments as :func:`fit_its` (without control series); ``unit_col`` names the unit column.
    Columns: ``unit_col``, then ``ITSResult.effects``'s (``interruption``, ``term``,
    ``estimate``, ``ci_low``, ``ci_high``, ``p_value``, ``scale``, ``method``), then
    ``std_error`` (coefficient scale: log for count methods), ``rho``, ``dispersion``,
    ``n_warnings`` and ``error``. Units in order of first appearance, two rows (level and slope
    change) per interruption; a unit ``fit_its`` rejects with an :class:`InputError` gets one row
    with the message in ``error`` and the rest empty. Numbers equal ``fit_its`` per unit.
    """
    if method not in METHODS:
        raise InputError("unknown ITS method", value=method, expected="one of " + ", ".join(METHODS))
    if df not in (None, "satterthwaite") or (df == "satterthwaite" and method != "ar1-reml"):
        raise InputError("df='satterthwaite' is only available for ar1-reml", value=df)
    if not 0 < alpha < 1:
        raise InputError("alpha must lie between 0 and 1", value=alpha)
    count = method in COUNT_METHODS
    if offset and not count:
        raise InputError("an offset is only used by the count methods", value=offset,
                         expected="method poisson or quasi-poisson, or no offset")
    missing = [c for c in (unit_col, outcome, time, offset) if c is not None and c not in panel.columns]
    if missing:
        raise InputError(f"column '{missing[0]}' is not in the panel", column=missing[0],
                         expected="one of " + ", ".join(map(str, panel.columns)))
    if len(panel) == 0:
        raise InputError("the panel is empty", expected="one row per unit and period")
    spec = dict(outcome=outcome, time=time, interventions=interventions, seasonality=seasonality,
                offset=offset, exclude=exclude, count=count)
    units = sorted(panel.groupby(unit_col, sort=False, dropna=False).indices.items(), key=lambda kv: kv[1][0])
    if method == "newey-west" and maxlags is None:
        raise InputError("newey-west needs maxlags", expected=f"an integer, e.g. {default_maxlags(len(units[0][1]))} "
                                                              "(Newey–West rule of thumb for this length)")
    times = pd.factorize(panel[time])[0]  # same code, same time value: units with equal codes share a grid
    y_all = pd.to_numeric(panel[outcome], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    off_all = (pd.to_numeric(panel[offset], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
               if offset else None)
    grids: dict[bytes, list[int]] = {}
    for position, (_, rows) in enumerate(units):
        grids.setdefault(times[rows].tobytes(), []).append(position)
    options = dict(method=method, maxlags=maxlags, df=df, alpha=alpha, seasonality=seasonality, rolling=rolling,
                   outcome=outcome)
    tables, errors = [], {}

    def clean(rows: np.ndarray) -> bool:
        y = y_all[rows]
        ok = not np.isnan(y).any() and (not count or (not (y < 0).any() and np.allclose(y, np.round(y))))
        return ok and (off_all is None or bool((off_all[rows] > 0).all()))

    def run(design: Design, members: list[int]) -> None:
        rows = [units[m][1] for m in members]
        table = _fit_group(design, [y_all[r] for r in rows], [None if off_all is None else off_all[r] for r in rows],
                           **options)
        table["_unit"] = np.asarray(members)[table["_unit"].to_numpy()]
        tables.append(table)

    for members in grids.values():
        first = units[members[0]][1]
        template = pd.DataFrame({time: panel[time].iloc[first].reset_index(drop=True), _Y: 0.0, _OFF: 1.0})
        try:
            shared = build_design(template, **{**spec, "outcome": _Y, "offset": _OFF if offset else None})
        except InputError:
            shared = None  # a problem with the time grid itself: each unit reports its own first error
        good = [m for m in members if shared is not None and clean(units[m][1])]
        if good:
            run(shared, good)
        for m in sorted(set(members) - set(good)):
            try:  # the unit's own design: the exact InputError fit_its raises, or a fit after all
                run(build_design(panel.iloc[units[m][1]], **spec), [m])
            except InputError as exc:
                errors[m] = str(exc)
    if errors:
        tables.append(pd.DataFrame({"error": list(errors.values()), "method": method, "_unit": list(errors),
                                    "_row": 0}))
    result = pd.concat(tables, ignore_index=True).sort_values(["_unit", "_row"], kind="stable")
    result.insert(0, unit_col, [units[u][0] for u in result["_unit"]])
    result["n_warnings"] = result["n_warnings"].astype("Int64") if "n_warnings" in result else pd.NA
    return result.reindex(columns=[unit_col, *COLUMNS]).reset_index(drop=True)
