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

import math
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError
from .its import placebo_in_space
from .its.fit import default_maxlags
from .its.models import COUNT_METHODS, METHODS
from .labels import label, register
from .municipalities import municipalities as _all_municipalities
from .municipalities import municipality_code
from .sickness import monthly_sick_pct, number

__all__ = ["NationalRanking", "rank_municipalities", "funnel_limits", "header_markdown", "SMALL_N"]

SMALL_N = 20  # below this many units per test the smallest possible p (1/n) exceeds 0.05
WINSOR = 0.10  # share of z-scores winsorised in each tail when estimating over-dispersion
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


def _text(sv: str, en: str, language: str) -> str:
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")
    return sv if language == "sv" else en


def _nice(value: float, language: str, digits: int = 3) -> str:
    """A number with ``digits`` significant figures (decimal comma and minus sign in Swedish)."""
    if value is None or not np.isfinite(value):
        return "–"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value))))) if value else 0
    return number(float(value), min(decimals, 6), language)


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

    def _unit_words(self, language: str) -> str:
        if self.term == "slope_change":
            return _text(" procentenheter per månad", " percentage points per month", language)
        return _text(" procentenheter", " percentage points", language)

    def summary(self, language: str = "sv") -> str:
        """Plain text: what was fitted, each treated municipality's effect, rank and permutation p,
        the funnel, a warning when n is small, and what the ranking cannot show."""
        _text("", "", language)  # checks the language
        term = label(self.term, language).split(" (")[0].lower()
        season = ({None: _text("ingen säsongskomponent", "no seasonal terms", language),
                   "month": _text("månadsindikatorer för säsong", "month dummies for season", language)}
                  .get(self.seasonality or None) if not isinstance(self.seasonality, (int, np.integer))
                  or not self.seasonality
                  else _text(f"{self.seasonality} fourierpar för säsong", f"{self.seasonality} Fourier pairs for season",
                             language))
        n_fail = len(self.failed)
        lines = [_text(
            f"Modellen (metod {self.method}, {season}) skattades för {self.n_units + n_fail} kommuner med samma startmånad "
            f"{self.interruption}, månaderna {self.months[0]}–{self.months[1]}. "
            + (f"{self.n_units} kunde skattas; {n_fail} kunde inte skattas (se tabellen längre ned)." if n_fail
               else "Alla kunde skattas."),
            f"The model (method {self.method}, {season}) was fitted to {self.n_units + n_fail} municipalities with the "
            f"same start month {self.interruption}, months {self.months[0]}–{self.months[1]}. "
            + (f"{self.n_units} could be fitted; {n_fail} could not (see the table further down)." if n_fail
               else "All could be fitted."),
            language)]
        n = self.n_controls + 1
        stat = (_text("t-värdet (skattning / standardfel)", "the t-value (estimate / standard error)", language)
                if self.statistic == "t" else _text("skattningen", "the estimate", language))
        lines.append(_text(
            f"Varje projektkommuns {term} rangordnas bland de {self.n_controls} kommunerna utan insats efter "
            f"{stat} till beloppet (rang 1 = störst). Tvåsidigt permutations-p = andelen kommuner, projektkommunen "
            f"inräknad, vars värde är minst lika stort till beloppet; det minsta möjliga p-värdet är därför 1/n = "
            f"1/{n} ≈ {number(1 / n, 3, language)}.",
            f"Each project municipality's {term} is ranked among the {self.n_controls} municipalities without the "
            f"intervention by the absolute value of {stat} (rank 1 = largest). Two-sided permutation p = the share of "
            "municipalities, the project municipality included, whose value is at least as large in absolute value; "
            f"the smallest possible p is therefore 1/n = 1/{n} ≈ {number(1 / n, 3, language)}.", language))
        unit = self._unit_words(language)
        for row in self.tests.itertuples(index=False):
            lines.append(_text(
                f"{row.name}: {number(row.estimate, 3, language)}{unit} (95 % KI {number(row.ci_low, 3, language)} till "
                f"{number(row.ci_high, 3, language)}), rang {row.rank} av {row.n} "
                f"(permutations-p = {number(row.p_value, 3, language)}).",
                f"{row.name}: {number(row.estimate, 3, language)}{unit} (95 % CI {number(row.ci_low, 3, language)} to "
                f"{number(row.ci_high, 3, language)}), rank {row.rank} of {row.n} "
                f"(permutation p = {number(row.p_value, 3, language)}).", language))
        if len(self.tests):
            if n < SMALL_N:
                lines.append(_text(
                    f"Observera: med bara n = {n} kommuner i testet kan p aldrig bli lägre än 1/{n} ≈ "
                    f"{number(1 / n, 3, language)}, så testet kan inte visa en effekt på 5 %-nivån. Rangen är "
                    "beskrivande; det nationella testet kräver data för många fler kommuner.",
                    f"Note: with only n = {n} municipalities in the test, p can never be below 1/{n} ≈ "
                    f"{number(1 / n, 3, language)}, so the test cannot show an effect at the 5 % level. The rank is "
                    "descriptive; the national test needs data for many more municipalities.", language))
        controls = self.effects[~self.effects["treated"]]
        inside = int(controls["in_funnel"].sum())
        share = 100 * inside / len(controls) if len(controls) else float("nan")
        widened = {"multiplicative": _text(
            "Spridningen mellan kommunerna är inte större än standardfelen anger, så gränserna bygger på dem som de är.",
            "The spread between municipalities is no larger than the standard errors imply, so the limits use them as "
            "they are.", language) if self.dispersion <= 1.0 else _text(
            f"Spridningen mellan kommunerna är {number(math.sqrt(self.dispersion), 2, language)} gånger större än "
            "standardfelen anger, och gränserna är vidgade i motsvarande grad.",
            f"The spread between municipalities is {number(math.sqrt(self.dispersion), 2, language)} times what the "
            "standard errors imply, and the limits are widened accordingly.", language),
            "additive": _text(
                f"Gränserna inkluderar en variation mellan kommunerna (standardavvikelse "
                f"{_nice(math.sqrt(self.tau2), language)}).",
                f"The limits include a between-municipality variation (standard deviation "
                f"{_nice(math.sqrt(self.tau2), language)}).", language),
            None: _text("Gränserna bygger på standardfelen som de är.", "The limits use the standard errors as they are.",
                        language)}[self.overdispersion]
        outside = [r.name for r in self.effects[self.effects["treated"] & ~self.effects["in_funnel"]].itertuples()]
        lines.append(_text(
            f"I trattdiagrammet ligger {inside} av {len(controls)} kommuner utan insats ({number(share, 0, language)} %) "
            f"inom 95 %-gränserna kring det sammanvägda medelvärdet {number(self.pooled, 3, language)}. {widened} "
            + (f"Utanför gränserna: {', '.join(outside)}." if outside else "Ingen projektkommun ligger utanför gränserna."),
            f"In the funnel plot, {inside} of {len(controls)} municipalities without the intervention "
            f"({number(share, 0, language)} %) lie within the 95 % limits around the pooled mean "
            f"{number(self.pooled, 3, language)}. {widened} "
            + (f"Outside the limits: {', '.join(outside)}." if outside else "No project municipality lies outside the limits."),
            language))
        lines.append(_text(
            "Kommunerna utan insats kan ha haft egna förändringar under perioden, och rangen visar samband i tid, inte "
            "bevisad orsak.",
            "The municipalities without the intervention may have had changes of their own during the period, and the "
            "rank shows an association in time, not proven cause.", language))
        return "\n\n".join(lines)

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
