"""Qualitative figures: code × group heat map, co-occurrence heat map, inter-coder agreement bars.

Each function takes the result of the matching function in :mod:`fouress_eval.qual.tallies` or
:mod:`fouress_eval.qual.agreement`, draws on ``ax`` (a new figure when ``None``) and returns the
axes. Labels are Swedish by default (``language="en"`` for English).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..errors import InputError
from ..labels import label, register
from ..municipalities import municipality_name
from ..qual.tallies import ROLE_LABELS
from ._style import CATEGORICAL, PALETTE

__all__ = ["code_group_heatmap", "cooccurrence_heatmap", "agreement_bars", "group_value_label"]

register({
    **{f"ql_role_{role}": texts for role, texts in ROLE_LABELS.items()},
    "ql_group_all": {"sv": "Alla intervjuer", "en": "All interviews"},
    "ql_code": {"sv": "Kod", "en": "Code"},
    "ql_theme": {"sv": "Tema", "en": "Theme"},
    "ql_role": {"sv": "Roll", "en": "Role"},
    "ql_municipality": {"sv": "Kommun", "en": "Municipality"},
    "ql_share_interviews": {"sv": "Andel av gruppens intervjuer", "en": "Share of the group's interviews"},
    "ql_heatmap_title": {"sv": "Koder per grupp: andel intervjuer (antal intervjuer i rutan)",
                         "en": "Codes by group: share of interviews (number of interviews in the cell)"},
    "ql_group_n": {"sv": "n", "en": "n"},
    "ql_cooc_title_interview": {"sv": "Koder som förekommer i samma intervju",
                                "en": "Codes occurring in the same interview"},
    "ql_cooc_title_segment": {"sv": "Koder på samma textavsnitt", "en": "Codes on the same passage"},
    "ql_jaccard": {"sv": "Jaccard-index", "en": "Jaccard index"},
    "ql_count": {"sv": "Antal", "en": "Count"},
    "ql_agreement_title": {"sv": "Överensstämmelse mellan kodare", "en": "Inter-coder agreement"},
    "ql_percent_agreement": {"sv": "Andel överensstämmelse", "en": "Percent agreement"},
    "ql_cohen_kappa": {"sv": "Cohens kappa", "en": "Cohen's kappa"},
    "ql_krippendorff_alpha": {"sv": "Krippendorffs alfa", "en": "Krippendorff's alpha"},
    "ql_measure": {"sv": "Mått", "en": "Measure"},
    "ql_value": {"sv": "Värde", "en": "Value"},
    "ql_overall": {"sv": "Samtliga koder", "en": "All codes"},
    "ql_alpha_threshold": {"sv": "α = 0,667 (lägsta godtagbara)", "en": "α = 0.667 (lowest acceptable)"},
})

_GROUP_TITLES = {"role": "ql_role", "municipality_code": "ql_municipality"}


def group_value_label(by: str, value: object, language: str = "sv") -> str:
    """Display text of a group value: role label, municipality name, or the value itself."""
    if by == "role" and f"ql_role_{value}" in _role_keys():
        return label(f"ql_role_{value}", language)
    if by == "municipality_code":
        try:
            return municipality_name(str(value))
        except InputError:
            return str(value)
    if by == "group" and value == "all":
        return label("ql_group_all", language)
    return str(value)


def _role_keys() -> set[str]:
    return {f"ql_role_{r}" for r in ROLE_LABELS}


def _code_labels(frame: pd.DataFrame, key: str, language: str) -> dict[str, str]:
    column = f"label_{language}"
    if column in frame:
        return dict(zip(frame[key], frame[column]))
    return {k: k for k in frame[key]}


def code_group_heatmap(tally: pd.DataFrame, *, language: str = "sv", ax: plt.Axes | None = None,
                       annotate: str = "interviews") -> plt.Axes:
    """Heat map of :func:`~fouress_eval.qual.tallies.code_by_group` (or ``theme_rollup``): codes
    down, groups across, colour = share of the group's interviews (0–1), each cell annotated with
    ``annotate`` (interviews or segments). Column headings carry the group's number of interviews."""
    key = "theme" if "theme" in tally and "code" not in tally else "code"
    by = next(c for c in tally.columns if c not in (key, "label_sv", "label_en", "valence", "interviews",
                                                        "group_interviews", "share", "segments", "depth", "codes"))
    codes = list(dict.fromkeys(tally[key]))
    groups = list(dict.fromkeys(tally[by]))
    shares = tally.pivot(index=key, columns=by, values="share").reindex(index=codes, columns=groups)
    counts = tally.pivot(index=key, columns=by, values=annotate).reindex(index=codes, columns=groups)
    sizes = tally.drop_duplicates(by).set_index(by)["group_interviews"]
    names = _code_labels(tally, key, language)
    shares.index = [names[c] for c in codes]
    shares.columns = [f"{group_value_label(by, g, language)}\n({label('ql_group_n', language)}={sizes[g]})"
                      for g in groups]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(1.3 * len(groups) + 4.5, 0.45 * len(codes) + 1.8))
    sns.heatmap(shares, vmin=0, vmax=1, cmap=PALETTE, annot=counts.fillna(0).astype(int).to_numpy(), fmt="d",
                linewidths=0.5, linecolor="white", ax=ax,
                cbar_kws={"label": label("ql_share_interviews", language)})
    ax.set_xlabel(label(_GROUP_TITLES[by], language) if by in _GROUP_TITLES else "")
    ax.set_ylabel(label("ql_theme" if key == "theme" else "ql_code", language))
    ax.set_title(label("ql_heatmap_title", language))
    ax.tick_params(axis="x", rotation=0)
    ax.figure.tight_layout()
    return ax


def cooccurrence_heatmap(cooc: pd.DataFrame, *, value: str = "jaccard", language: str = "sv",
                         ax: plt.Axes | None = None, labels: pd.DataFrame | None = None,
                         level: str = "interview") -> plt.Axes:
    """Heat map of :func:`~fouress_eval.qual.tallies.cooccurrence`: colour = ``value`` (``jaccard``
    or ``count``), cells annotated with the count; the diagonal (a code with itself) is left blank.
    ``labels`` (``code_table(corpus)``) gives code labels instead of ids; ``level`` sets the title."""
    if value not in ("jaccard", "count"):
        raise InputError("unknown co-occurrence value", column="value", value=value, expected="'jaccard' or 'count'")
    codes = list(dict.fromkeys(cooc["code_a"]))
    matrix = cooc.pivot(index="code_a", columns="code_b", values=value).reindex(index=codes, columns=codes)
    counts = cooc.pivot(index="code_a", columns="code_b", values="count").reindex(index=codes, columns=codes)
    mask = np.eye(len(codes), dtype=bool)
    names = _code_labels(labels, "code", language) if labels is not None else {c: c for c in codes}
    matrix.index = [names.get(c, c) for c in codes]
    matrix.columns = [names.get(c, c) for c in codes]
    if ax is None:
        size = 0.55 * len(codes) + 3
        _fig, ax = plt.subplots(figsize=(size + 1.5, size))
    vmax = 1 if value == "jaccard" else max(float(np.nanmax(np.where(mask, np.nan, matrix.to_numpy(float)))), 1)
    sns.heatmap(matrix, mask=mask, vmin=0, vmax=vmax, cmap=PALETTE, annot=counts.to_numpy(), fmt="d",
                square=True, linewidths=0.5, linecolor="white", ax=ax,
                cbar_kws={"label": label("ql_jaccard" if value == "jaccard" else "ql_count", language)})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(label(f"ql_cooc_title_{'segment' if level == 'segment' else 'interview'}", language))
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
    ax.figure.tight_layout()
    return ax


def agreement_bars(table: pd.DataFrame, *, measures: tuple[str, ...] = ("percent_agreement", "cohen_kappa",
                                                                         "krippendorff_alpha"),
                   language: str = "sv", ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal grouped bars of :func:`~fouress_eval.qual.agreement.agreement_table`: one group
    per code (the overall row last), one bar per measure; a dotted line at α = 0.667, the lowest
    value Krippendorff accepts for tentative conclusions."""
    long = table.melt(id_vars=[c for c in ("code", "label_sv", "label_en") if c in table], value_vars=list(measures),
                      var_name="measure", value_name="value")
    names = _code_labels(table, "code", language)
    names["overall"] = label("ql_overall", language)
    long["code_label"] = long["code"].map(names)
    long["measure_label"] = long["measure"].map(lambda m: label(f"ql_{m}", language))
    if ax is None:
        _fig, ax = plt.subplots(figsize=(10, 0.55 * len(table) + 1.8))
    sns.barplot(data=long, y="code_label", x="value", hue="measure_label", palette=CATEGORICAL, ax=ax,
                order=[names[c] for c in table["code"]])
    ax.axvline(0.667, color="0.3", ls=":", lw=1, label=label("ql_alpha_threshold", language))
    ax.set_xlim(min(0.0, float(np.nanmin(long["value"])) if long["value"].notna().any() else 0.0), 1.0)
    ax.set_xlabel(label("ql_value", language))
    ax.set_ylabel(label("ql_code", language))
    ax.set_title(label("ql_agreement_title", language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False,
              title=label("ql_measure", language))
    ax.figure.tight_layout()
    return ax
