"""Funnel-plot statistics: the pooled mean of unit estimates, over-dispersion and pointwise limits.

Hand-rolled because no maintained Python library estimates funnel-plot over-dispersion the way
public-health league tables do (Spiegelhalter 2005: winsorised z-scores, a multiplicative
dispersion factor or an additive DerSimonian–Laird variance).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["funnel_limits", "WINSOR"]

WINSOR = 0.10  # share of z-scores winsorised in each tail when estimating over-dispersion


def funnel_limits(target: float, se, *, dispersion: float = 1.0, tau2: float = 0.0,
                  level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise limits ``target ± z·√(dispersion·se² + tau2)``, z the normal quantile at ``level``."""
    z = stats.norm.ppf(0.5 + level / 2)
    half = z * np.sqrt(dispersion * np.asarray(se, dtype=float) ** 2 + tau2)
    return target - half, target + half


def _winsorised(z: np.ndarray, share: float = WINSOR) -> np.ndarray:
    if len(z) < 3:
        return z
    low, high = np.quantile(z, [share, 1 - share])
    return np.clip(z, low, high)


def _winsorised_square_mean(share: float = WINSOR) -> float:
    """E[z_w²] for a standard normal z winsorised at its ``share`` and 1 − ``share`` quantiles (≈ 0.68
    for 10 %): dividing by it makes the winsorised dispersion estimate consistent (≈ 1 without
    over-dispersion) while the winsorising still keeps outliers such as the treated units' out."""
    k = stats.norm.ppf(1 - share)
    return float((1 - 2 * share) - 2 * k * stats.norm.pdf(k) + 2 * share * k ** 2)


def _funnel_parameters(estimate: np.ndarray, se: np.ndarray, overdispersion: str | None) -> tuple[float, float, float]:
    """Pooled (inverse-variance) mean, multiplicative dispersion (≥ 1) and additive variance (≥ 0)."""
    w = 1.0 / se ** 2
    pooled = float((w * estimate).sum() / w.sum())
    if overdispersion is None or len(estimate) < 3:
        return pooled, 1.0, 0.0
    z = _winsorised((estimate - pooled) / se)
    k = len(z)
    squares = z ** 2 / _winsorised_square_mean()
    if overdispersion == "multiplicative":
        return pooled, max(1.0, float(squares.mean())), 0.0
    q = float(squares.sum())  # DerSimonian–Laird on winsorised z (Spiegelhalter 2005, section 3.2)
    tau2 = max(0.0, (q - (k - 1)) / float(w.sum() - (w ** 2).sum() / w.sum()))
    return pooled, 1.0, tau2
