"""National scale: the same interrupted time series in every municipality, the project
municipalities ranked among the rest (placebo in space), and a funnel view.

``rank_municipalities`` recomputes monthly sick leave (% of scheduled hours) per municipality
from summed hours (never from averaged percentages), fits one segmented regression with one
common interruption to every municipality with :func:`fouress_eval.its.fit_panel` (through
:func:`fouress_eval.its.placebo_in_space`, whose permutation convention it keeps), and ranks each
treated municipality's effect among the non-treated ones:
two-sided p = #{units u: |s_u| ≥ |s_treated|} / n, the treated unit counted, so p ≥ 1/n, where n
is the number of non-treated municipalities that could be fitted plus one. Several treated
municipalities are each ranked against the non-treated ones only (never against each other).

The funnel view plots each municipality's effect against its precision (1 / standard error) or its
size (mean monthly scheduled hours), with pointwise 95 % limits around the pooled mean effect of
the non-treated municipalities (Spiegelhalter 2005, *Statistics in Medicine* 24:1185). Standard
errors from a per-unit ITS rarely carry every source of between-municipality variation (and OLS
standard errors ignore autocorrelation), so by default the limits are widened by a multiplicative
over-dispersion factor estimated from the non-treated units' z-scores, winsorised at 10 % in each
tail and scaled to be consistent for normal z (so about 95 % of comparable municipalities fall
inside, and the treated units never influence the limits); ``"additive"``
adds a between-municipality variance instead (DerSimonian–Laird), ``None`` uses the standard
errors as they are.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .funnel import WINSOR, _funnel_parameters, funnel_limits  # noqa: F401  (funnel_limits, WINSOR re-exported)
from .its import placebo_in_space
from .its.fit import default_maxlags
from .its.models import COUNT_METHODS, METHODS
from .labels import label, register
from .municipalities import municipalities as _all_municipalities
from .municipalities import municipality_code
from .national_text import SMALL_N  # noqa: F401  (re-exported)
from .sickness import monthly_sick_pct

__all__ = ["NationalRanking", "rank_municipalities", "funnel_limits", "header_markdown", "SMALL_N"]

_TERMS = ("level_change", "slope_change")
_OVERDISPERSION = ("multiplicative", "additive", None)

register({
    "nat_title": {"sv": "Nationell jämförelse av sjukfrånvaro", "en": "National comparison of sick leave"},
    "nat_where": {"sv": "Alla kommuner i data", "en": "Every municipality in the data"},
    "nat_intro": {"sv": "Samma avbrutna tidsserie (samma modell och samma startmånad) skattas för varje kommun som "
                        "finns i data, med sjukfrånvaro i procent av schemalagd tid beräknad från timmar. "
                        "Projektkommunernas effekter rangordnas sedan bland de övriga kommunernas "
                        "(placebotest i rummet): om insatsen inte gjorde någon skillnad borde en projektkommun inte "
                        "sticka ut bland kommuner utan insats.",
                  "en": "The same interrupted time series (the same model and the same start month) is fitted to "
                        "every municipality in the data, with sick leave in per cent of scheduled hours computed "
                        "from hours. The project municipalities' effects are then ranked among the other "
                        "municipalities' (placebo test in space): had the intervention made no difference, a project "
                        "municipality should not stand out among municipalities without it."},
    "nat_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "nat_caterpillar": {"sv": "Effekten i varje kommun", "en": "The effect in every municipality"},
    "nat_funnel": {"sv": "Trattdiagram: effekt mot precision", "en": "Funnel plot: effect against precision"},
    "nat_ranks": {"sv": "Projektkommunernas rang", "en": "The project municipalities' ranks"},
    "nat_failed": {"sv": "Kommuner som inte kunde skattas", "en": "Municipalities that could not be fitted"},
    "nat_notes": {"sv": "Anmärkningar", "en": "Notes"},
    "nat_county": {"sv": "Län", "en": "County"},
    "nat_rank": {"sv": "Rang", "en": "Rank"},
    "nat_n": {"sv": "Antal kommuner i testet", "en": "Municipalities in the test"},
    "nat_p_two": {"sv": "Permutations-p (tvåsidigt)", "en": "Permutation p (two-sided)"},
    "nat_p_one": {"sv": "Permutations-p (ensidigt)", "en": "Permutation p (one-sided)"},
    "nat_in_funnel": {"sv": "Inom trattens 95 %-gränser", "en": "Within the funnel's 95 % limits"},
    "nat_error": {"sv": "Orsak", "en": "Reason"},
    "nat_treated_col": {"sv": "Projektkommun", "en": "Project municipality"},
    "nat_no": {"sv": "nej", "en": "no"},
})


@dataclass
class NationalRanking:
    """Result of :func:`rank_municipalities`.

    ``effects``: one row per fitted municipality — ``municipality_code``, ``name``, ``county``,
    ``estimate``, ``ci_low``, ``ci_high`` (percentage points; per month for a slope change),
    ``std_error``, ``size`` (mean monthly scheduled hours), ``treated``, ``rank`` (1 = the largest
    |statistic| among all fitted municipalities, ties counted against the unit), ``statistic``
    (what is ranked), ``p_value`` (the unit's own ITS p-value), ``precision`` (1 / std_error) and
    ``in_funnel`` (inside the funnel's limits at its own precision); sorted by rank.
    ``tests``: one row per ranked treated municipality — ``municipality_code``, ``name``,
    ``estimate``, ``ci_low``, ``ci_high``, ``statistic``, ``rank`` among the non-treated plus
    itself, ``n``, ``p_value`` (two-sided permutation p) and ``p_value_one_sided``.
    ``failed``: ``municipality_code``, ``name``, ``treated``, ``error`` for every municipality
    that could not be fitted (or has no hours at all). ``pooled``, ``dispersion`` (multiplicative
    factor on the variance, ≥ 1) and ``tau2`` (additive between-municipality variance) define the
    funnel limits; ``size_scale`` is c in se ≈ c / √size for the size axis.
    """

    effects: pd.DataFrame
    tests: pd.DataFrame
    failed: pd.DataFrame
    treated: list[str]
    term: str
    interruption: str
    method: str
    statistic: str
    seasonality: object
    pooled: float
    dispersion: float = 1.0
    tau2: float = 0.0
    overdispersion: str | None = "multiplicative"
    size_scale: float = float("nan")
    level: float = 0.95
    months: tuple[str, str] = ("", "")
    notes: list[str] = field(default_factory=list)

    @property
    def n_units(self) -> int:
        """Municipalities fitted and ranked (treated included)."""
        return len(self.effects)

    @property
    def n_controls(self) -> int:
        """Non-treated municipalities fitted and ranked."""
        return int((~self.effects["treated"]).sum())

    def limits(self, x, axis: str = "precision", level: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper funnel limits at ``x`` (precisions 1/se, or sizes in scheduled hours)."""
        if axis == "precision":
            se = 1.0 / np.asarray(x, dtype=float)
        elif axis == "size":
            se = self.size_scale / np.sqrt(np.asarray(x, dtype=float))
        else:
            raise InputError("unknown funnel axis", value=axis, expected="'precision' or 'size'")
        return funnel_limits(self.pooled, se, dispersion=self.dispersion, tau2=self.tau2,
                             level=self.level if level is None else level)

    def summary(self, language: str = "sv") -> str:
        """Plain text: what was fitted, each treated municipality's effect, rank and permutation p,
        the funnel, a warning when n is small, and what the ranking cannot show
        (:func:`fouress_eval.national_text.ranking_summary`)."""
        from .national_text import ranking_summary

        return ranking_summary(self, language)

    def ranks_table(self, language: str = "sv") -> pd.DataFrame:
        """The treated municipalities' ranks as a display table (report labels)."""
        funnel = self.effects.set_index("municipality_code")["in_funnel"]
        yes, no = label("yes", language), label("nat_no", language)
        return pd.DataFrame({
            label("municipality", language): [f"{r.name} ({r.municipality_code})" for r in self.tests.itertuples()],
            label("estimate", language): self.tests["estimate"].to_numpy(float),
            label("ci_low", language): self.tests["ci_low"].to_numpy(float),
            label("ci_high", language): self.tests["ci_high"].to_numpy(float),
            label("nat_rank", language): self.tests["rank"].to_numpy(int),
            label("nat_n", language): self.tests["n"].to_numpy(int),
            label("nat_p_two", language): self.tests["p_value"].to_numpy(float),
            label("nat_p_one", language): self.tests["p_value_one_sided"].to_numpy(float),
            label("nat_in_funnel", language): [yes if funnel.get(c, False) else no
                                               for c in self.tests["municipality_code"]],
        })

    def failed_table(self, language: str = "sv") -> pd.DataFrame:
        """The municipalities that could not be fitted, with the reason (report labels)."""
        yes = label("yes", language)
        return pd.DataFrame({
            label("municipality", language): [f"{r.name} ({r.municipality_code})" for r in self.failed.itertuples()],
            label("nat_treated_col", language): [yes if t else "" for t in self.failed["treated"]],
            label("nat_error", language): self.failed["error"].astype(str).to_numpy(),
        })

    def key_results(self) -> dict:
        """Machine-readable key numbers (plain JSON: no NaN)."""
        def clean(value):
            if isinstance(value, (np.floating, float)):
                return float(value) if np.isfinite(value) else None
            return value.item() if hasattr(value, "item") else value

        funnel = self.effects.set_index("municipality_code")["in_funnel"]
        treated = [{**{k: clean(v) for k, v in row.items()}, "in_funnel": bool(funnel.get(row["municipality_code"]))}
                   for row in self.tests.to_dict(orient="records")]
        return {"term": self.term, "interruption": self.interruption, "method": self.method,
                "statistic": self.statistic, "seasonality": self.seasonality, "months": list(self.months),
                "n_units": self.n_units, "n_controls": self.n_controls, "n_failed": len(self.failed),
                "failed": self.failed["municipality_code"].tolist(), "pooled": clean(self.pooled),
                "overdispersion": self.overdispersion, "dispersion": clean(self.dispersion), "tau2": clean(self.tau2),
                "treated": treated}

    def plot_caterpillar(self, ax=None, language: str = "sv"):
        """Every municipality's effect with its 95 % interval, sorted; treated highlighted and named."""
        from .plots.national import caterpillar_plot

        return caterpillar_plot(self, ax=ax, language=language)

    def plot_funnel(self, ax=None, language: str = "sv", axis: str = "precision"):
        """Effect against precision (or size) with pointwise 95 % limits around the pooled mean."""
        from .plots.national import funnel_plot

        return funnel_plot(self, ax=ax, language=language, axis=axis)


def _complete_grid(series: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality and month from the first to the last month in the data; a month a
    municipality lacks has no sick_pct (so its fit fails rather than silently skipping months)."""
    months = pd.period_range(series["month"].min(), series["month"].max(), freq="M")
    codes = pd.unique(series["municipality_code"])
    grid = pd.MultiIndex.from_product([codes, months], names=["municipality_code", "month"])
    return series.set_index(["municipality_code", "month"]).reindex(grid).reset_index()


def _names() -> pd.DataFrame:
    table = _all_municipalities()
    return table.rename(columns={"municipality_name": "name", "county_name": "county"})[
        ["municipality_code", "name", "county"]]


def rank_municipalities(hours: pd.DataFrame, *, treated: Sequence[str], interventions: Sequence,
                        method: str = "ols", seasonality: int | str | None = 2, term: str = "slope_change",
                        statistic: str = "estimate", exclude: Sequence | None = None, maxlags: int | None = None,
                        overdispersion: str | None = "multiplicative") -> NationalRanking:
    """Fit one ITS of monthly sick leave to every municipality in ``hours`` and rank ``treated``.

    ``hours``: an ``absence_monthly`` table (any number of municipalities; sick % is recomputed
    per municipality and month from summed hours). Every municipality gets the same model:
    ``method`` (not a count method: sick % is a percentage), ``seasonality``, ``exclude`` windows
    and the common interruption(s) ``interventions``; ``term`` and the first interruption are
    ranked, by the estimate or by ``statistic="t"`` (estimate / standard error). Municipalities are
    fitted on one common monthly grid, first to last month in the data: one that lacks a month (or
    has a month without scheduled hours) lands in ``failed`` with the reason, as does a treated code
    with no hours at all; the others are still ranked. ``maxlags`` (newey-west) defaults to the
    Newey–West rule of thumb for the series length. ``overdispersion`` sets how the funnel limits
    allow for variation beyond the standard errors (see the module docstring).

    Speed: ``ols`` and ``newey-west`` are solved for all municipalities at once (one
    pseudo-inverse for the shared design), so 290 municipalities × 72 months take well under a
    second; ``prais-winsten``, ``ar1-ml`` and ``ar1-reml`` are fitted one municipality at a time
    (an optimisation each), so ``ar1-reml`` over 290 units takes seconds, not milliseconds.
    """
    if method not in METHODS or method in COUNT_METHODS:
        raise InputError("unknown or unsuitable ITS method for sick leave in per cent", value=method,
                         expected="one of " + ", ".join(m for m in METHODS if m not in COUNT_METHODS))
    if term not in _TERMS:
        raise InputError("unknown effect term", value=term, expected="'level_change' or 'slope_change'")
    if statistic not in ("estimate", "t"):
        raise InputError("unknown ranking statistic", value=statistic, expected="'estimate' or 't'")
    if overdispersion not in _OVERDISPERSION:
        raise InputError("unknown over-dispersion model for the funnel", value=overdispersion,
                         expected="'multiplicative', 'additive' or None")
    if isinstance(treated, str):
        treated = [treated]
    treated = list(dict.fromkeys(municipality_code(c) for c in treated))
    if not treated:
        raise InputError("no treated municipality given", expected="a list of municipality codes, e.g. ['1480', '0180']")
    series = _complete_grid(monthly_sick_pct(hours))
    codes = list(pd.unique(series["municipality_code"]))
    months = (str(series["month"].min()), str(series["month"].max()))
    names = _names()
    failed_rows = [{"municipality_code": c, "error": "no personnel hours for this municipality in the data"}
                   for c in treated if c not in codes]
    incomplete = set(series.loc[series["sick_pct"].isna(), "municipality_code"])
    ranked = [c for c in treated if c in codes and c not in incomplete]
    if not ranked:
        raise InputError("none of the treated municipalities has complete monthly hours in the data",
                         value=", ".join(treated), expected=f"hours for every month {months[0]}–{months[1]}")
    if method == "newey-west" and maxlags is None:
        maxlags = default_maxlags(series["month"].nunique())
    options = dict(method=method, seasonality=seasonality, exclude=exclude)
    if maxlags is not None:
        options["maxlags"] = maxlags
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        # treated units with incomplete months stay in the panel: fit_panel reports why they fail,
        # and as failed units they are never used as comparisons
        placebo = placebo_in_space(series, "municipality_code", ranked, outcome="sick_pct", time="month",
                                   interventions=list(interventions), term=term, statistic=statistic, **options)
    notes = list(dict.fromkeys(str(w.message) for w in caught))
    failed_rows += [{"municipality_code": u, "error": m} for u, m in placebo.excluded.items()]
    failed = pd.DataFrame(failed_rows, columns=["municipality_code", "error"])
    failed.insert(1, "treated", failed["municipality_code"].isin(treated))
    failed = failed.merge(names, on="municipality_code", how="left")
    failed["name"] = failed["name"].fillna(failed["municipality_code"])
    failed = failed[["municipality_code", "name", "treated", "error"]]

    size = series.groupby("municipality_code")["scheduled_hours"].mean().rename("size")
    effects = placebo.effects.rename(columns={"unit": "municipality_code"})
    effects = effects.merge(names, on="municipality_code", how="left").merge(size, on="municipality_code", how="left")
    effects["name"] = effects["name"].fillna(effects["municipality_code"])
    effects["precision"] = 1.0 / effects["std_error"]
    control = ~effects["treated"].to_numpy()
    if not control.any():
        raise InputError("no municipality without the intervention could be fitted, so there is nothing to rank "
                         "against" + (": " + " | ".join(dict.fromkeys(failed["error"].astype(str))) if len(failed) else ""),
                         expected="hours for non-treated municipalities over the same months")
    estimate, se = effects["estimate"].to_numpy(float), effects["std_error"].to_numpy(float)
    pooled, dispersion, tau2 = _funnel_parameters(estimate[control], se[control], overdispersion)
    low, high = funnel_limits(pooled, se, dispersion=dispersion, tau2=tau2)
    effects["in_funnel"] = (estimate >= low) & (estimate <= high)
    ratio = se[control] ** 2 * effects["size"].to_numpy(float)[control]
    size_scale = float(np.sqrt(np.median(ratio))) if control.any() else float("nan")
    effects = effects[["municipality_code", "name", "county", "estimate", "ci_low", "ci_high", "std_error", "size",
                       "treated", "rank", "statistic", "p_value", "precision", "in_funnel"]]
    effects = effects.sort_values(["rank", "municipality_code"], kind="stable").reset_index(drop=True)

    tests = placebo.tests.rename(columns={"unit": "municipality_code", "n_units": "n"})
    tests = tests.merge(effects[["municipality_code", "name", "estimate", "ci_low", "ci_high"]], on="municipality_code",
                        how="left")
    tests = tests[["municipality_code", "name", "estimate", "ci_low", "ci_high", "statistic", "rank", "n", "p_value",
                   "p_value_one_sided"]]
    return NationalRanking(effects=effects, tests=tests, failed=failed.reset_index(drop=True), treated=treated,
                           term=term, interruption=placebo.interruption, method=placebo.method, statistic=statistic,
                           seasonality=seasonality, pooled=pooled, dispersion=dispersion, tau2=tau2,
                           overdispersion=overdispersion, size_scale=size_scale, months=months,
                           notes=notes)


def header_markdown(manifest: dict, municipality: str, parameters: dict, tables: dict, *, language: str = "sv") -> str:
    """:func:`fouress_eval.report.header_markdown` for the national report: with ``"all"`` it names
    every municipality in the data rather than the project municipalities."""
    from .report import header_markdown as _header

    text = _header(manifest, municipality, parameters, tables, title=label("nat_title", language), language=language)
    if municipality == "all":
        text = text.replace(label("all_municipalities", language), label("nat_where", language))
    return text
