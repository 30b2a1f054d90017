"""The estimators of ``fit_its``, each returning the same :class:`Estimate`.

``ols``, ``newey-west``, ``poisson`` and ``quasi-poisson`` are statsmodels fits. GLS with AR(1)
errors by ML or REML (``ar1-ml``, ``ar1-reml``) and Prais–Winsten are written here because
statsmodels has neither: its ``GLSAR`` is a feasible Cochrane–Orcutt fit that drops the first
observation and estimates rho from residual regressions, not by (restricted) maximum likelihood
as nlme::gls does. The AR(1) correlation uses the true time distance between rows
(rho^|t_i − t_j|, nlme's corCAR1 at whole periods), so excluded windows keep their length, and
rows of different series (``groups``) are independent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize

__all__ = ["Estimate", "estimate", "METHODS", "COUNT_METHODS"]

METHODS = ("ols", "newey-west", "prais-winsten", "ar1-ml", "ar1-reml", "poisson", "quasi-poisson")
COUNT_METHODS = ("poisson", "quasi-poisson")


@dataclass
class Estimate:
    """A fitted model: coefficients, their covariance, and what the results need besides.

    ``df`` is the residual degrees of freedom for Student-t intervals (plain OLS), a Series of
    per-coefficient Satterthwaite df (``ar1-reml`` with ``df="satterthwaite"``), or ``None`` for
    Wald intervals with the normal quantile. ``resid`` are raw residuals (outcome − fitted, on the
    outcome scale); ``white_resid`` are the residuals with the fitted error model removed
    (decorrelated, or Pearson residuals for count models), used for diagnostics.
    """

    params: pd.Series
    cov: pd.DataFrame
    df: float | pd.Series | None
    fitted: np.ndarray
    resid: np.ndarray
    white_resid: np.ndarray
    link: str = "identity"
    extra: dict = field(default_factory=dict)


@dataclass
class _Whitened:
    rho: float
    Xs: np.ndarray
    ys: np.ndarray
    beta: np.ndarray
    rss: float
    logdet_corr: float
    logdet_xtx: float


def _ar1_steps(t: np.ndarray, groups: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """For each row: whether it continues the previous row's series, and the distance in periods."""
    gap = np.zeros(len(t), dtype=np.int64)
    gap[1:] = np.rint(np.diff(t)).astype(np.int64)
    continues = np.zeros(len(t), dtype=bool)
    continues[1:] = gap[1:] > 0
    if groups is not None:
        continues[1:] &= groups[1:] == groups[:-1]
    return continues, gap


def _whiten(y: np.ndarray, X: np.ndarray, t: np.ndarray, groups: np.ndarray | None, rho: float) -> _Whitened:
    """Decorrelate with the inverse Cholesky factor of the AR(1) correlation rho^|t_i − t_j|.

    The process is Markov, so the factor is sparse: a row d periods after the previous one of its
    series becomes (a_i − rho^d·a_(i−1)) / sqrt(1 − rho^(2d)); a series' first row is kept. O(n),
    exact also across gaps (excluded windows); rows of different series are independent.
    """
    continues, gap = _ar1_steps(t, groups)
    phi = np.where(continues, np.power(rho, np.maximum(gap, 1)), 0.0)  # integer powers: sign-safe
    scale = np.sqrt(1.0 - phi ** 2)
    Xs, ys = X.astype(float).copy(), y.astype(float).copy()
    Xs[1:] -= phi[1:, None] * X[:-1]
    ys[1:] -= phi[1:] * y[:-1]
    Xs /= scale[:, None]
    ys /= scale
    beta, *_ = np.linalg.lstsq(Xs, ys, rcond=None)
    resid = ys - Xs @ beta
    return _Whitened(rho, Xs, ys, beta, float(resid @ resid), float(np.log(scale).sum() * 2),
                     float(np.linalg.slogdet(Xs.T @ Xs)[1]))


def _profile_loglik(w: _Whitened, n: int, p: int, reml: bool) -> float:
    """nlme's profiled (restricted) log-likelihood at ``w.rho``, up to a constant."""
    if reml:
        return -0.5 * (n - p) * np.log(w.rss / (n - p)) - 0.5 * w.logdet_corr - 0.5 * w.logdet_xtx
    return -0.5 * n * np.log(w.rss / n) - 0.5 * w.logdet_corr


def _grid_profile(y, X, t, groups, grid: np.ndarray, reml: bool) -> np.ndarray:
    """The profiled (restricted) log-likelihood at every rho of ``grid`` at once.

    The same whitening as :func:`_whiten`, stacked over the grid and solved by one batched QR
    (numpy has no batched least squares): the grid only brackets the maximum, so this is a speed
    path — about a tenth of the time of one ``_whiten`` per grid point. Rank-deficient or
    non-finite points come back as ``-inf``.
    """
    n, p = X.shape
    continues, gap = _ar1_steps(t, groups)
    phi = np.where(continues, np.power(grid[:, None], np.maximum(gap, 1)), 0.0)  # (grid, n)
    scale = np.sqrt(1.0 - phi ** 2)
    X, y = X.astype(float), y.astype(float)
    Xs = np.broadcast_to(X, (len(grid), n, p)).copy()
    ys = np.broadcast_to(y, (len(grid), n)).copy()
    Xs[:, 1:] -= phi[:, 1:, None] * X[None, :-1]
    ys[:, 1:] -= phi[:, 1:] * y[None, :-1]
    Xs /= scale[:, :, None]
    ys /= scale
    q, r = np.linalg.qr(Xs)
    diagonal = np.abs(np.diagonal(r, axis1=1, axis2=2))
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = np.linalg.solve(r, np.einsum("gnp,gn->gp", q, ys)[:, :, None])[:, :, 0]
        resid = ys - np.einsum("gnp,gp->gn", Xs, beta)
        rss = np.einsum("gn,gn->g", resid, resid)
        logdet_corr = 2 * np.log(scale).sum(axis=1)
        if reml:
            value = (-0.5 * (n - p) * np.log(rss / (n - p)) - 0.5 * logdet_corr
                     - np.log(diagonal).sum(axis=1))  # log det(Xs'Xs) = 2 Σ log|r_ii|
        else:
            value = -0.5 * n * np.log(rss / n) - 0.5 * logdet_corr
    rank_ok = diagonal.min(axis=1) > diagonal.max(axis=1) * n * np.finfo(float).eps
    return np.where(rank_ok & np.isfinite(value), value, -np.inf)


def _max_rho(y, X, t, groups, reml: bool) -> _Whitened:
    n, p = X.shape

    def negative(rho: float) -> float:
        return -_profile_loglik(_whiten(y, X, t, groups, rho), n, p, reml)

    grid = np.linspace(-0.95, 0.95, 39)
    values = -_grid_profile(y, X, t, groups, grid, reml)
    if not np.isfinite(values).any():  # a degenerate design: fall back to the exact path point by point
        values = np.array([negative(r) for r in grid])
    best = int(np.argmin(values))
    low, high = grid[max(best - 1, 0)] - (0.04 if best == 0 else 0), grid[min(best + 1, len(grid) - 1)]
    high = high + (0.04 if best == len(grid) - 1 else 0)
    found = optimize.minimize_scalar(negative, bounds=(max(low, -0.999), min(high, 0.999)), method="bounded",
                                     options={"xatol": 1e-10})
    return _whiten(y, X, t, groups, float(found.x))


def _gls_estimate(y, X, names, t, groups, w: _Whitened, sigma2: float, **extra) -> Estimate:
    cov = sigma2 * np.linalg.inv(w.Xs.T @ w.Xs)
    fitted = X @ w.beta
    return Estimate(pd.Series(w.beta, names), pd.DataFrame(cov, names, names), None, fitted, y - fitted,
                    (w.ys - w.Xs @ w.beta) / np.sqrt(sigma2), extra={"rho": w.rho, "sigma": float(np.sqrt(sigma2)),
                                                                    **extra})


def _ar1(y, X, names, t, groups, reml: bool, df: str | None) -> Estimate:
    n, p = X.shape
    w = _max_rho(y, X, t, groups, reml)
    # nlme::gls reports the coefficients' covariance with sigma² = RSS/(n − p) under ML as under
    # REML (checked against R on the Sicily series)
    sigma2 = w.rss / (n - p)
    result = _gls_estimate(y, X, names, t, groups, w, sigma2,
                           loglik=float(_profile_loglik(w, n, p, reml)))
    if df == "satterthwaite":
        result.df = _satterthwaite(y, X, names, t, groups, sigma2, w.rho)
    return result


def _reml_loglik(y, X, t, groups, sigma2: float, rho: float) -> float:
    """Full restricted log-likelihood in (sigma², rho), for the Satterthwaite information matrix."""
    n, p = X.shape
    w = _whiten(y, X, t, groups, rho)
    return -0.5 * ((n - p) * np.log(2 * np.pi * sigma2) + w.logdet_corr + w.logdet_xtx + w.rss / sigma2)


def _satterthwaite(y, X, names, t, groups, sigma2: float, rho: float) -> pd.Series:
    """Satterthwaite df per coefficient: 2·Var(β̂_j)² / (g'Ag), g the gradient of Var(β̂_j) in
    (sigma², rho) and A the inverse observed information of the REML estimates (as lmerTest does
    for mixed models; Turner et al. 2021's REML-Satterthwaite). Derivatives by central differences."""
    theta = np.array([sigma2, rho])
    steps = np.array([sigma2 * 1e-4, 1e-4])

    def loglik(th):
        return _reml_loglik(y, X, t, groups, th[0], th[1])

    def variances(th):
        w = _whiten(y, X, t, groups, th[1])
        return th[0] * np.diag(np.linalg.inv(w.Xs.T @ w.Xs))

    hessian = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * steps[i], np.eye(2)[j] * steps[j]
            hessian[i, j] = (loglik(theta + ei + ej) - loglik(theta + ei - ej) - loglik(theta - ei + ej)
                             + loglik(theta - ei - ej)) / (4 * steps[i] * steps[j])
    information_inv = np.linalg.inv(-hessian)
    gradient = np.column_stack([(variances(theta + np.eye(2)[i] * steps[i])
                                 - variances(theta - np.eye(2)[i] * steps[i])) / (2 * steps[i]) for i in range(2)])
    var = variances(theta)
    denominator = np.einsum("ki,ij,kj->k", gradient, information_inv, gradient)
    return pd.Series(np.clip(2 * var ** 2 / denominator, 1.0, len(y) - X.shape[1]), names)


def _prais_winsten(y, X, names, t, groups, tol: float = 1e-8, max_iter: int = 200) -> Estimate:
    """Iterated Prais–Winsten (Stata's ``prais`` default): rho from the regression of each residual
    on the previous period's residual (same series, one period apart), GLS at that rho, repeated
    until rho changes by less than ``tol``. Standard errors from the transformed regression."""
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    same = np.diff(t) == 1
    if groups is not None:
        same &= groups[1:] == groups[:-1]
    rho = 0.0
    for _ in range(max_iter):
        e = y - X @ beta
        new = float(np.clip((e[1:][same] @ e[:-1][same]) / (e[:-1][same] @ e[:-1][same]), -0.999, 0.999))
        w = _whiten(y, X, t, groups, new)
        beta = w.beta
        if abs(new - rho) < tol:
            rho = new
            break
        rho = new
    return _gls_estimate(y, X, names, t, groups, w, w.rss / (n - p))


def estimate(method: str, y: np.ndarray, X: pd.DataFrame, *, t: np.ndarray, groups: np.ndarray | None = None,
             offset: np.ndarray | None = None, maxlags: int | None = None, df: str | None = None) -> Estimate:
    """Fit ``method`` to outcome ``y`` on design ``X`` (rows already restricted to the estimation window)."""
    names = list(X.columns)
    Xa = X.to_numpy(dtype=float)
    if method in ("ols", "newey-west"):
        model = sm.OLS(y, Xa)
        if method == "ols":
            fit = model.fit()
            dof: float | None = float(fit.df_resid)
        elif groups is not None:
            fit = model.fit(cov_type="hac-panel", cov_kwds={"groups": groups, "maxlags": maxlags,
                                                            "use_correction": "hac"})
            dof = None
        else:
            # Bartlett kernel, no prewhitening, small-sample factor n/(n-k): sandwich::NeweyWest(adjust=TRUE)
            fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True})
            dof = None
        resid = np.asarray(fit.resid)
        return Estimate(pd.Series(fit.params, names), pd.DataFrame(fit.cov_params(), names, names), dof,
                        np.asarray(fit.fittedvalues), resid, resid / np.sqrt(fit.scale),
                        extra={"sigma": float(np.sqrt(fit.scale))})
    if method in COUNT_METHODS:
        model = sm.GLM(y, Xa, family=sm.families.Poisson(), offset=None if offset is None else np.log(offset))
        fit = model.fit(scale="X2" if method == "quasi-poisson" else None)
        dispersion = float(fit.pearson_chi2 / fit.df_resid)
        return Estimate(pd.Series(fit.params, names), pd.DataFrame(fit.cov_params(), names, names), None,
                        np.asarray(fit.fittedvalues), y - np.asarray(fit.fittedvalues),
                        np.asarray(fit.resid_pearson), link="log", extra={"dispersion": dispersion})
    if method in ("ar1-ml", "ar1-reml"):
        return _ar1(y, Xa, names, t, groups, reml=method == "ar1-reml", df=df)
    if method == "prais-winsten":
        return _prais_winsten(y, Xa, names, t, groups)
    raise ValueError(f"unknown method {method!r}")  # callers check names first
