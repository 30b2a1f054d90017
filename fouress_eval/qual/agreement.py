"""Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha, and a per-code table.

- :func:`cohen_kappa` — two coders, equal-length label sequences; the contingency table goes to
  :func:`statsmodels.stats.inter_rater.cohens_kappa`.
- :func:`krippendorff_alpha` — any number of coders, missing ratings allowed (coders × units);
  computed by the ``krippendorff`` package.
- :func:`percent_agreement` — share of agreeing coder pairs among the pairable ones.
- :func:`agreement_table` — for a corpus with two or more coders, per codable code and overall.

Undefined statistics are NaN rather than an error: kappa when chance agreement is 1 (both coders
used one and the same category throughout), alpha when fewer than two distinct values occur or
no unit has two ratings.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
from statsmodels.stats.inter_rater import cohens_kappa as _sm_cohens_kappa

from ..errors import InputError
from .codings import sentence_spans
from .corpus import Corpus
from .tallies import code_table

__all__ = ["cohen_kappa", "krippendorff_alpha", "percent_agreement", "agreement_table", "contingency_table"]

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, (float, np.floating))
                                                                   and np.isnan(value))


def _pairs(a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = pd.Series(list(a), dtype=object), pd.Series(list(b), dtype=object)
    if len(a) != len(b):
        raise InputError("the two coders' label sequences differ in length", value=(len(a), len(b)),
                         expected="one label per unit from each coder")
    keep = ~(a.map(_missing) | b.map(_missing)).to_numpy(dtype=bool)
    return a.to_numpy()[keep], b.to_numpy()[keep]


def contingency_table(a, b) -> pd.DataFrame:
    """Counts of (coder a's label, coder b's label) over the units both labelled; rows a, columns b."""
    a, b = _pairs(a, b)
    categories = sorted(set(a) | set(b), key=lambda v: (str(type(v)), v))
    index = {v: i for i, v in enumerate(categories)}
    counts = np.zeros((len(categories), len(categories)), dtype=int)
    np.add.at(counts, (np.array([index[v] for v in a], dtype=int), np.array([index[v] for v in b], dtype=int)), 1)
    return pd.DataFrame(counts, index=pd.Index(categories, name="a"), columns=pd.Index(categories, name="b"))


def cohen_kappa(a, b) -> float:
    """Cohen's kappa of two coders' labels (pairs where either label is missing are dropped).

    kappa = (p_o − p_e) / (1 − p_e) with p_o the observed and p_e the chance agreement from the
    coders' own marginals. NaN when there are no pairs or p_e = 1.
    """
    table = contingency_table(a, b).to_numpy(dtype=float)
    n = table.sum()
    if n == 0:
        return float("nan")
    expected = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
    if np.isclose(expected, 1.0):
        return float("nan")
    return float(_sm_cohens_kappa(table).kappa)


def _matrix(ratings) -> np.ndarray:
    """coders × units array of floats (NaN missing), categories coded as integers when not numeric."""
    if isinstance(ratings, pd.DataFrame):
        values = ratings.to_numpy(dtype=object) if not all(
            pd.api.types.is_numeric_dtype(t) for t in ratings.dtypes) else ratings.to_numpy(dtype=float)
    else:
        values = np.asarray(ratings)
    if values.ndim != 2:
        raise InputError("ratings must be a coders × units table", value=f"{values.ndim} dimension(s)",
                         expected="a 2-D array or DataFrame")
    if values.dtype.kind in "biuf":
        return values.astype(float)
    flat = [v for v in values.ravel() if not _missing(v)]
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in flat):
        return np.array([[np.nan if _missing(v) else float(v) for v in row] for row in values], dtype=float)
    categories = {v: i for i, v in enumerate(sorted(set(flat), key=str))}
    return np.array([[np.nan if _missing(v) else categories[v] for v in row] for row in values], dtype=float)


def _numeric(ratings) -> bool:
    values = ratings.to_numpy(dtype=object) if isinstance(ratings, pd.DataFrame) else np.asarray(ratings)
    if values.dtype.kind in "biuf":
        return True
    return all(isinstance(v, (int, float, np.integer, np.floating)) or _missing(v) for v in values.ravel())


def krippendorff_alpha(ratings, level: str = "nominal") -> float:
    """Krippendorff's alpha of a coders × units table (DataFrame or 2-D array; NaN = missing).

    ``level`` is the level of measurement: nominal, ordinal, interval or ratio. Non-numeric
    labels are allowed for nominal data. NaN when fewer than two distinct values occur or no unit
    was rated by two coders.
    """
    if level not in _LEVELS:
        raise InputError("unknown level of measurement", column="level", value=level, expected=", ".join(_LEVELS))
    data = _matrix(ratings)
    if level != "nominal" and not _numeric(ratings):
        raise InputError(f"{level} alpha needs numeric ratings", column="level", value=level,
                         expected="numbers, or level='nominal' for labels")
    present = ~np.isnan(data)
    if len(np.unique(data[present])) < 2 or not (present.sum(axis=0) >= 2).any():
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def percent_agreement(a, b=None) -> float:
    """Share of agreement. With two sequences: share of units (both labelled) where a == b. With
    one coders × units table: over units with at least two ratings, the share of agreeing coder
    pairs, averaged over units. NaN when nothing is pairable."""
    if b is not None:
        x, y = _pairs(a, b)
        return float(np.mean(x == y)) if len(x) else float("nan")
    data = _matrix(a)
    present = ~np.isnan(data)
    m = present.sum(axis=0)
    pairable = m >= 2
    if not pairable.any():
        return float("nan")
    agreeing = np.zeros(data.shape[1])
    for value in np.unique(data[present]):
        count = (data == value).sum(axis=0)
        agreeing += count * (count - 1) / 2
    total = m * (m - 1) / 2
    return float(np.mean(agreeing[pairable] / total[pairable]))


def _light_kappa(data: np.ndarray) -> float:
    """Cohen's kappa for two coders; the mean of pairwise kappas (Light's kappa) for more."""
    kappas = [cohen_kappa(data[i], data[j]) for i, j in combinations(range(data.shape[0]), 2)]
    kappas = [k for k in kappas if not np.isnan(k)]
    return float(np.mean(kappas)) if kappas else float("nan")


def _coverage(corpus: Corpus, coder_guids: list[str], level: str, unit: str) -> tuple[dict, int]:
    """code GUID → coders × units 0/1 array, and the number of units."""
    codes = code_table(corpus)
    codable = list(codes.loc[codes["is_codable"], "guid"])
    sources = list(corpus.sources["guid"])
    texts = dict(zip(corpus.sources["guid"], corpus.sources["text"]))
    codings = corpus.codings
    out: dict[str, np.ndarray] = {}
    if level == "interview":
        present = set(zip(codings["coder_guid"], codings["code_guid"], codings["source_guid"]))
        for code in codable:
            out[code] = np.array([[1.0 if (c, code, s) in present else 0.0 for s in sources] for c in coder_guids])
        return out, len(sources)
    # segment level: per-source character masks per coder and code
    offsets, total = {}, 0
    for s in sources:
        offsets[s] = total
        total += len(texts[s])
    masks = {code: np.zeros((len(coder_guids), total), dtype=bool) for code in codable}
    row = {c: i for i, c in enumerate(coder_guids)}
    for item in codings.itertuples():
        if item.coder_guid in row and item.code_guid in masks and item.source_guid in offsets:
            base = offsets[item.source_guid]
            masks[item.code_guid][row[item.coder_guid], base + item.start:base + item.end] = True
    if unit == "character":
        return {code: m.astype(float) for code, m in masks.items()}, total
    spans = [(offsets[s] + a, offsets[s] + b) for s in sources for a, b in sentence_spans(texts[s])]
    starts = np.array([a for a, _ in spans], dtype=int)
    lengths = np.array([b - a for a, b in spans], dtype=int)
    for code, mask in masks.items():
        cumulative = np.concatenate([np.zeros((mask.shape[0], 1), dtype=int), np.cumsum(mask, axis=1)], axis=1)
        covered = cumulative[:, starts + lengths] - cumulative[:, starts]
        out[code] = (covered * 2 >= lengths).astype(float)
    return out, len(spans)


def agreement_table(corpus: Corpus, level: str = "interview", *, unit: str = "sentence",
                    coders: list[str] | None = None) -> pd.DataFrame:
    """Agreement per codable code and overall, for two or more coders.

    ``level="interview"``: a unit is an interview (source) × code, rated 1 when the coder applied
    the code anywhere in the interview, else 0. ``level="segment"``: a unit is a sentence of a
    transcript (``unit="sentence"``, sentences as :func:`~fouress_eval.qual.codings.sentence_spans`
    finds them) rated 1 when the coder's codings of the code cover at least half of the sentence's
    characters — so a span trimmed by a word still counts as the same sentence — or a single
    character (``unit="character"``) rated 1 when covered. Every coder is taken to have read
    every source: a code a coder never applied in a source is "absent", not missing. Uncoded
    text counts as agreement on absence, which lifts percent agreement (kappa and alpha correct
    for chance).

    Columns: code, label_sv, label_en, units, ``applied_<coder>`` (units rated 1 per coder),
    percent_agreement, cohen_kappa (Cohen's for two coders; the mean of pairwise kappas — Light's
    kappa — for more), krippendorff_alpha (nominal). The last row, code ``"overall"``, pools all
    code × unit ratings.
    """
    if level not in ("interview", "segment"):
        raise InputError("unknown agreement level", column="level", value=level, expected="'interview' or 'segment'")
    if unit not in ("sentence", "character"):
        raise InputError("unknown segment unit", column="unit", value=unit, expected="'sentence' or 'character'")
    names = dict(zip(corpus.coders["guid"], corpus.coders["name"]))
    if coders is None:
        guids = list(corpus.coders["guid"])
    else:
        by_name = {n: g for g, n in names.items()}
        guids = []
        for c in coders:
            if c not in names and c not in by_name:
                raise InputError("unknown coder", column="coders", value=c, expected=", ".join(names.values()))
            guids.append(c if c in names else by_name[c])
    if len(guids) < 2:
        raise InputError("agreement needs two or more coders", column="coders",
                         value=[names.get(g, g) for g in guids], expected="a corpus coded by at least two coders")
    ratings, n_units = _coverage(corpus, guids, level, unit)
    table = code_table(corpus).set_index("guid")
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for code, data in ratings.items():
            rows.append(_row(table.at[code, "code"], table.at[code, "label_sv"], table.at[code, "label_en"], data,
                             guids, names))
        pooled = np.concatenate(list(ratings.values()), axis=1) if ratings else np.zeros((len(guids), 0))
        rows.append(_row("overall", "Samtliga koder", "All codes", pooled, guids, names))
    out = pd.DataFrame(rows)
    out.attrs.update({"level": level, "unit": unit if level == "segment" else "interview", "units_per_code": n_units})
    return out


def _row(code: str, label_sv: str, label_en: str, data: np.ndarray, guids: list[str], names: dict) -> dict:
    row = {"code": code, "label_sv": label_sv, "label_en": label_en, "units": int(data.shape[1])}
    for i, g in enumerate(guids):
        row[f"applied_{names[g]}"] = int(data[i].sum())
    row["percent_agreement"] = percent_agreement(data) if data.shape[1] else float("nan")
    row["cohen_kappa"] = _light_kappa(data)
    row["krippendorff_alpha"] = krippendorff_alpha(data) if data.shape[1] else float("nan")
    return row
