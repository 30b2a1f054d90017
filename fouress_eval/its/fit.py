"""``fit_its`` and ``compare_methods``: one specification, any estimator, optional control series."""

from __future__ import annotations

import warnings as _warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from .checks import diagnose
from .design import Design, build_design
from .models import COUNT_METHODS, METHODS, Estimate, estimate
from .results import ITSResult, quantile

__all__ = ["fit_its", "compare_methods", "MIN_AR1_RESIDUAL_DF", "default_maxlags"]

MIN_AR1_RESIDUAL_DF = 10  # below this the AR(1) likelihood is too flat to estimate rho


def default_maxlags(n: int) -> int:
    """Newey and West's (1994) rule of thumb: floor(4·(n/100)^(2/9))."""
    return int(np.floor(4 * (n / 100) ** (2 / 9)))


def _control_series(control: pd.DataFrame, *, outcome: str, time: str, offset: str | None, unit: str | None,
                    how: str, count: bool) -> list[pd.DataFrame]:
    if unit is None:
        return [control]
    if unit not in control:
        raise InputError(f"column '{unit}' is not in the control data", column=unit)
    if how == "pool":
        return [part for _, part in control.groupby(unit, sort=True)]
    if how != "average":
        raise InputError("unknown way to combine control units", value=how, expected="'average' or 'pool'")
    columns = [outcome] + ([offset] if offset else [])
    grouped = control.groupby(time, sort=True)[columns]
    combined = grouped.sum() if count else grouped.mean()  # counts and populations add up; rates average
    return [combined.reset_index()]


def _stack(treated: Design, controls: list[Design]) -> Design:
    """Linden's multiple-group design: common terms plus treated × (const, t, post, t_since)."""
    blocks = []
    for index, design in enumerate([treated, *controls]):
        X = design.X.copy()
        z = 1.0 if index == 0 else 0.0
        base = [c for c in X.columns if c not in ("const", "t")]
        X.insert(2, "treated", z)
        X.insert(3, "treated_t", z * design.t)
        for level, slope in design.effect_terms.values():
            X[f"treated_{level}"] = z * X[level]
            X[f"treated_{slope}"] = z * X[slope]
        order = ["const", "t", "treated", "treated_t"]
        pairs = [c for pair in design.effect_terms.values() for c in pair]
        order += pairs + [f"treated_{c}" for c in pairs] + [c for c in base if c not in pairs]
        blocks.append(X[order])
    if len(controls) > 1:
        # pooled controls keep their own levels: effect-coded unit intercepts (sum to zero over the
        # controls), so `const` is the controls' average level and `treated` stays the treated-minus-
        # control-average difference in pre-period level
        sizes = [len(d.y) for d in [treated, *controls]]
        unit = np.concatenate([np.full(n, i) for i, n in enumerate(sizes)])
        for k in range(1, len(controls)):
            code = np.where(unit == k, 1.0, np.where(unit == len(controls), -1.0, 0.0))
            for block, start in zip(blocks, np.cumsum([0, *sizes[:-1]])):
                block[f"control_unit_{k}"] = code[start:start + len(block)]
    for design in controls:
        if len(design.time) != len(treated.time) or not (design.time == treated.time).all():
            raise InputError("the control series must cover the same periods as the treated series",
                             expected=f"{treated.time[0]}..{treated.time[-1]}, every period once")
    all_designs = [treated, *controls]
    return Design(
        y=np.concatenate([d.y for d in all_designs]), X=pd.concat(blocks, ignore_index=True),
        time=pd.Index(np.concatenate([np.asarray(d.time, dtype=object) for d in all_designs])),
        t=np.concatenate([d.t for d in all_designs]), interruptions=treated.interruptions, t0=treated.t0,
        in_window=np.concatenate([d.in_window for d in all_designs]),
        offset=None if treated.offset is None else np.concatenate([d.offset for d in all_designs]),
        monthly=treated.monthly, groups=np.concatenate([np.full(len(d.y), i) for i, d in enumerate(all_designs)]),
        effect_terms={k: (f"treated_{a}", f"treated_{b}") for k, (a, b) in treated.effect_terms.items()})


def _coefficient_table(fit: Estimate, alpha: float) -> pd.DataFrame:
    se = np.sqrt(np.diag(fit.cov.to_numpy()))
    rows = []
    for (term, b), s in zip(fit.params.items(), se):
        q = quantile(fit.df, alpha, term)
        rows.append({"term": term, "estimate": b, "std_error": s, "ci_low": b - q * s, "ci_high": b + q * s,
                     "p_value": (2 * stats.norm.sf(abs(b / s)) if fit.df is None else
                                 2 * stats.t.sf(abs(b / s), float(fit.df[term]) if isinstance(fit.df, pd.Series)
                                                else float(fit.df))) if s > 0 else np.nan})
    table = pd.DataFrame(rows)
    if isinstance(fit.df, pd.Series):
        table["df"] = fit.df.to_numpy()
    return table


def _effects(design: Design, coefficients: pd.DataFrame, method: str, link: str) -> pd.DataFrame:
    rows = []
    indexed = coefficients.set_index("term")
    for label, (level, slope) in design.effect_terms.items():
        for name, column in (("level_change", level), ("slope_change", slope)):
            c = indexed.loc[column]
            values = [c["estimate"], c["ci_low"], c["ci_high"]]
            if link == "log":
                values = list(np.exp(values))
            rows.append({"interruption": label, "term": name, "estimate": values[0], "ci_low": values[1],
                         "ci_high": values[2], "p_value": c["p_value"],
                         "scale": "ratio" if link == "log" else "difference", "method": method})
    return pd.DataFrame(rows)


def _fitted_table(design: Design, fit: Estimate, alpha: float, series: list[str]) -> pd.DataFrame:
    X = design.X.to_numpy(dtype=float)
    cf = design.X.copy()
    for pair in design.effect_terms.values():
        cf[list(pair)] = 0.0
    Xcf = cf.to_numpy(dtype=float)
    beta, cov = fit.params.to_numpy(), fit.cov.to_numpy()
    offset = np.zeros(len(X)) if design.offset is None else np.log(design.offset)
    eta, eta_cf = X @ beta + offset, Xcf @ beta + offset
    se_cf = np.sqrt(np.einsum("ij,jk,ik->i", Xcf, cov, Xcf))
    q = quantile(fit.df, alpha)
    inverse = np.exp if fit.link == "log" else (lambda v: v)
    table = pd.DataFrame({"time": design.time, "observed": design.y, "fitted": inverse(eta),
                          "counterfactual": inverse(eta_cf), "counterfactual_low": inverse(eta_cf - q * se_cf),
                          "counterfactual_high": inverse(eta_cf + q * se_cf), "in_window": design.in_window})
    if design.groups is not None:
        table.insert(0, "series", [series[g] for g in design.groups])
    return table


def fit_its(data: pd.DataFrame, *, outcome: str, time: str, interventions: Sequence, method: str = "ar1-reml",
            seasonality: int | str | None = None, offset: str | None = None, maxlags: int | None = None,
            exclude: Sequence | None = None, control: pd.DataFrame | None = None,
            control_unit: str | None = None, control_how: str = "average", alpha: float = 0.05,
            df: str | None = None, rolling: bool | None = None) -> ITSResult:
    """Segmented regression of ``outcome`` on time with level and slope changes at ``interventions``.

    ``method``: one of ``ols``, ``newey-west`` (needs ``maxlags``), ``prais-winsten``, ``ar1-ml``,
    ``ar1-reml`` (default; ``df="satterthwaite"`` for Satterthwaite t intervals), ``poisson``,
    ``quasi-poisson`` (log link, ``offset`` a population column, effects as rate ratios).
    ``exclude``: (start, end) windows left out of estimation but kept in ``fitted``.
    ``control``: a comparison series (same ``time``/``outcome`` columns), or a panel with
    ``control_unit`` naming the unit column, averaged (``control_how="average"``) or pooled
    (``"pool"``); effects are then treated-minus-control differences (Linden's design).
    ``rolling``: whether the outcome is a rolling 12-month measure (None: guessed from its name).
    """
    if method not in METHODS:
        raise InputError("unknown ITS method", value=method, expected="one of " + ", ".join(METHODS))
    if method == "newey-west" and maxlags is None:
        raise InputError("newey-west needs maxlags", expected=f"an integer, e.g. {default_maxlags(len(data))} "
                                                              "(Newey–West rule of thumb for this length)")
    if df not in (None, "satterthwaite") or (df == "satterthwaite" and method != "ar1-reml"):
        raise InputError("df='satterthwaite' is only available for ar1-reml", value=df)
    if not 0 < alpha < 1:
        raise InputError("alpha must lie between 0 and 1", value=alpha)
    count = method in COUNT_METHODS
    if offset and not count:
        raise InputError("an offset is only used by the count methods", value=offset,
                         expected="method poisson or quasi-poisson, or no offset")
    spec = dict(outcome=outcome, time=time, interventions=interventions, seasonality=seasonality,
                offset=offset, exclude=exclude, count=count)
    design = build_design(data, **spec)
    series = [outcome]
    if control is not None:
        parts = _control_series(control, outcome=outcome, time=time, offset=offset, unit=control_unit,
                                how=control_how, count=count)
        design = _stack(design, [build_design(p, **spec) for p in parts])
        series = ["treated"] + (["control"] if len(parts) == 1 else
                                [f"control {p[control_unit].iloc[0]}" for p in parts])
    used = design.in_window
    notes = []
    p = design.X.shape[1]
    if method.startswith(("ar1", "prais")) and used.sum() - p < MIN_AR1_RESIDUAL_DF:
        notes.append(f"the series is too short for {method} ({int(used.sum())} periods, {p} terms); fitted by ols "
                     "instead — its intervals ignore autocorrelation")
        _warnings.warn(notes[-1], UserWarning, stacklevel=2)
        method, df = "ols", None
    fit = estimate(method, design.y[used], design.X.loc[used].reset_index(drop=True), t=design.t[used],
                   groups=None if design.groups is None else design.groups[used],
                   offset=None if design.offset is None else design.offset[used], maxlags=maxlags, df=df)
    coefficients = _coefficient_table(fit, alpha)
    diagnostics, warns = diagnose(design, fit, seasonality=seasonality, rolling=rolling, outcome=outcome,
                                  method=method)
    return ITSResult(method=method + (" (satterthwaite df)" if df else ""), outcome=outcome, alpha=alpha,
                     design=design, fit=fit, effects=_effects(design, coefficients, method, fit.link),
                     coefficients=coefficients, fitted=_fitted_table(design, fit, alpha, series),
                     diagnostics=diagnostics, warnings=notes + warns, controlled=control is not None)


def compare_methods(data: pd.DataFrame, methods: Sequence[str] | None = None, **kwargs) -> pd.DataFrame:
    """The same specification under every method, one tidy table of effects.

    Default methods: the five continuous estimators, plus poisson and quasi-poisson when an
    ``offset`` is given. ``newey-west`` uses ``maxlags`` if given, else the Newey–West rule of
    thumb (stated in the ``method`` column). Columns as ``ITSResult.effects`` plus ``rho`` and
    ``dispersion`` and the number of ``warnings``.
    """
    if methods is None:
        methods = ["ols", "newey-west", "prais-winsten", "ar1-ml", "ar1-reml"]
        if kwargs.get("offset"):
            methods = ["poisson", "quasi-poisson"]
    tables = []
    for method in methods:
        options = dict(kwargs)
        if method not in COUNT_METHODS:
            options.pop("offset", None)
        if method == "newey-west" and options.get("maxlags") is None:
            options["maxlags"] = default_maxlags(len(data))
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore", UserWarning)
            result = fit_its(data, method=method, **options)
        effects = result.effects.copy()
        if method == "newey-west":
            effects["method"] = f"newey-west (maxlags {options['maxlags']})"
        for key in ("rho", "dispersion"):
            value = result.diagnostics[key]
            effects[key] = np.nan if value is None else float(value)
        effects["warnings"] = len(result.warnings)
        tables.append(effects)
    return pd.concat(tables, ignore_index=True)
