"""Tallies of a coded corpus: codes by stakeholder group or municipality, theme roll-ups,
co-occurrence and valence balance (pseudonymised quotes: :mod:`.quotes`). Each returns a tidy DataFrame.

Conventions
-----------
- An *interview* is a source of the corpus; its group (``role``, ``municipality_code``) comes
  from the sources table. Denominators count every source of the group, coded or not.
- A *segment* is one coding (one coded stretch of text by one coder).
- Which coder: ``coder=None`` (default) uses the first coder of ``corpus.coders`` (for
  :func:`~fouress_eval.qual.codings.read_codings_csv`, the first to appear in the file);
  ``coder="<name>"`` (or a coder GUID) uses that coder; ``coder="union"`` pools all coders,
  merging overlapping codings of the same code in the same source into one segment — a code
  then "occurs" in an interview when any coder applied it there. Tallies never add coders'
  segments together.
- Codes are named by ``code_id`` when the codes table has it (the YAML codebook), else by
  ``name`` (e.g. a REFI-QDA import); labels come from ``label_sv``/``label_en`` or the name.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError
from .codebook import descendants
from .corpus import Corpus

__all__ = ["code_by_group", "theme_rollup", "cooccurrence", "valence_balance", "quotes", "select_codings",
           "code_table", "ROLE_LABELS", "FIRST_NAMES", "scrub"]

ROLE_LABELS = {
    "case_officer": {"sv": "Handläggare FK", "en": "Case officer (SSIA)"},
    "doctor": {"sv": "Läkare", "en": "Doctor"},
    "rehab_coordinator": {"sv": "Rehabkoordinator", "en": "Rehabilitation coordinator"},
    "hr_strategist": {"sv": "HR-strateg", "en": "HR strategist"},
    "manager": {"sv": "Chef", "en": "Manager"},
    "participant": {"sv": "Medarbetare", "en": "Employee (participant)"},
    "steering_group": {"sv": "Styrgrupp", "en": "Steering group"},
    "social_worker": {"sv": "Socialsekreterare", "en": "Social worker"},
    "employment_officer": {"sv": "Handläggare Arbetsförmedlingen", "en": "Employment officer (PES)"},
    "health_care": {"sv": "Hälso- och sjukvård", "en": "Health care staff"},
    "occupational_health": {"sv": "Företagshälsovård", "en": "Occupational health service"},
    "service_designer": {"sv": "Tjänstedesigner", "en": "Service designer"},
}
_GROUPS = ("role", "municipality_code")
_ALL = "all"


# ---------------------------------------------------------------------------------------------
# selection helpers
# ---------------------------------------------------------------------------------------------
def code_table(corpus: Corpus) -> pd.DataFrame:
    """guid, code, label_sv, label_en, valence, is_codable, parent_guid — one row per code, codebook order."""
    codes = corpus.codes
    key = codes["code_id"] if "code_id" in codes else codes["name"]
    key = key.where(key.notna(), codes["name"])
    out = pd.DataFrame({"guid": codes["guid"], "code": key.astype(str),
                        "label_sv": codes["label_sv"] if "label_sv" in codes else codes["name"],
                        "label_en": codes["label_en"] if "label_en" in codes else codes["name"],
                        "valence": codes["valence"] if "valence" in codes else "neutral",
                        "is_codable": codes["is_codable"].astype(bool), "parent_guid": codes["parent_guid"]})
    out["label_sv"] = out["label_sv"].where(out["label_sv"].notna(), out["code"])
    out["label_en"] = out["label_en"].where(out["label_en"].notna(), out["label_sv"])
    out["valence"] = out["valence"].where(out["valence"].notna(), "neutral")
    return out.reset_index(drop=True)


def _coder_guids(corpus: Corpus, coder: str | None) -> list[str] | None:
    """Coder GUIDs to use; ``None`` means the union of all coders."""
    if coder == "union":
        return None
    if corpus.coders.empty:
        return []
    if coder is None:
        return [corpus.coders["guid"].iloc[0]]
    for guid, name in zip(corpus.coders["guid"], corpus.coders["name"]):
        if coder in (guid, name):
            return [guid]
    raise InputError("unknown coder", column="coder", value=coder,
                     expected="None (the first coder), 'union' or one of " + ", ".join(map(str, corpus.coders["name"])))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping [start, end) spans merged (spans that only touch stay apart)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def select_codings(corpus: Corpus, coder: str | None = None) -> pd.DataFrame:
    """The segments a tally counts: ``source_guid, start, end, code_guid`` for one coder or the
    union (see the module docstring), in the order of the sources table, then by position."""
    guids = _coder_guids(corpus, coder)
    codings = corpus.codings
    if guids is not None:
        out = codings.loc[codings["coder_guid"].isin(guids), ["source_guid", "start", "end", "code_guid"]]
    else:
        rows = []
        for (source, code), part in codings.groupby(["source_guid", "code_guid"], sort=True):
            rows.extend((source, a, b, code) for a, b in _merge(zip(part["start"], part["end"])))
        out = pd.DataFrame(rows, columns=["source_guid", "start", "end", "code_guid"])
    source_order = {g: i for i, g in enumerate(corpus.sources["guid"])}
    code_order = {g: i for i, g in enumerate(corpus.codes["guid"])}
    keys = pd.DataFrame({"s": out["source_guid"].map(source_order), "a": out["start"], "b": out["end"],
                         "c": out["code_guid"].map(code_order)})
    order = keys.sort_values(["s", "a", "b", "c"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _sources(corpus: Corpus, by: str | None) -> pd.DataFrame:
    """guid and group of every source."""
    if by is None:
        return pd.DataFrame({"guid": corpus.sources["guid"], "group": _ALL})
    if by not in corpus.sources.columns:
        raise InputError(f"the sources have no attribute {by!r}", column="by", value=by,
                         expected="one of " + ", ".join(c for c in _GROUPS if c in corpus.sources.columns))
    return pd.DataFrame({"guid": corpus.sources["guid"], "group": corpus.sources[by].astype(object)})


def _group_column(by: str | None) -> str:
    return "group" if by is None else by


def _with_group(corpus: Corpus, selected: pd.DataFrame, by: str | None) -> pd.DataFrame:
    groups = _sources(corpus, by).rename(columns={"guid": "source_guid"})
    return selected.merge(groups, on="source_guid", how="left")


# ---------------------------------------------------------------------------------------------
# tallies
# ---------------------------------------------------------------------------------------------
def _tally(corpus: Corpus, by: str | None, coder: str | None,
           members: dict[str, list[str]], names: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """Interviews and segments per (row of ``names``) × group, counting the codes in ``members``."""
    selected = _with_group(corpus, select_codings(corpus, coder), by)
    sources = _sources(corpus, by)
    group_sizes = sources.groupby("group", sort=True).size()
    rows = []
    for item in names.to_dict("records"):
        part = selected[selected["code_guid"].isin(members[item["guid"]])]
        interviews = part.groupby("group")["source_guid"].nunique()
        segments = part.groupby("group").size()
        for group, size in group_sizes.items():
            n = int(interviews.get(group, 0))
            rows.append({name_column: item["code"], "label_sv": item["label_sv"], "label_en": item["label_en"],
                         "valence": item["valence"], _group_column(by): group, "interviews": n,
                         "group_interviews": int(size), "share": n / size if size else np.nan,
                         "segments": int(segments.get(group, 0))})
    return pd.DataFrame(rows, columns=[name_column, "label_sv", "label_en", "valence", _group_column(by),
                                       "interviews", "group_interviews", "share", "segments"])


def code_by_group(corpus: Corpus, by: str | None = "role", coder: str | None = None) -> pd.DataFrame:
    """Per codable code × group: ``interviews`` where the code occurs, ``group_interviews`` (all
    interviews of the group), ``share`` = interviews / group_interviews, and ``segments``.

    ``by`` is ``"role"``, ``"municipality_code"`` (or another source attribute), or ``None`` for
    all interviews together (group ``"all"``). Every code × group appears, zeros included.
    """
    table = code_table(corpus)
    codable = table[table["is_codable"]]
    return _tally(corpus, by, coder, {g: [g] for g in codable["guid"]}, codable, "code")


def theme_rollup(corpus: Corpus, by: str | None = "role", coder: str | None = None, *,
                 top_only: bool = False) -> pd.DataFrame:
    """Per theme × group, counting the theme and every code below it in the hierarchy.

    A theme is any entry with codes below it (``top_only=True``: only top-level ones). An
    interview counts once however many of the theme's codes occur in it; ``segments`` adds the
    segments of all those codes (a passage coded with two of them counts twice). ``depth`` is 0
    for a top-level theme; ``codes`` is the number of codable codes under it.
    """
    table = code_table(corpus)
    below = descendants(corpus.codes)
    themes = table[[len(below[g]) > 1 for g in table["guid"]]]
    if top_only:
        themes = themes[[not isinstance(p, str) for p in themes["parent_guid"]]]
    out = _tally(corpus, by, coder, below, themes, "theme")
    codable = set(table.loc[table["is_codable"], "guid"])
    parent = dict(zip(table["guid"], table["parent_guid"]))

    def depth(guid: str) -> int:
        d = 0
        while isinstance(parent.get(guid), str):
            guid, d = parent[guid], d + 1
        return d

    key_to_guid = dict(zip(themes["code"], themes["guid"]))
    out.insert(4, "depth", [depth(key_to_guid[t]) for t in out["theme"]])
    out.insert(5, "codes", [sum(g in codable for g in below[key_to_guid[t]]) for t in out["theme"]])
    return out


def cooccurrence(corpus: Corpus, level: str = "interview", coder: str | None = None) -> pd.DataFrame:
    """How often two codes occur together, for every ordered pair of codable codes (diagonal included).

    ``level="interview"``: ``count`` = interviews where both codes occur, ``n_a``/``n_b`` =
    interviews with each. ``level="segment"``: the units are the stretches of text covered by
    codings of the chosen coder(s), overlapping codings merged into one stretch; ``count`` =
    stretches where both codes were applied. ``jaccard`` = count / (n_a + n_b − count) (NaN when
    neither occurs). Pivot ``count`` or ``jaccard`` on code_a × code_b for a symmetric matrix.
    """
    if level not in ("interview", "segment"):
        raise InputError("unknown co-occurrence level", column="level", value=level,
                         expected="'interview' or 'segment'")
    table = code_table(corpus)
    codable = table[table["is_codable"]]
    key = dict(zip(codable["guid"], codable["code"]))
    selected = select_codings(corpus, coder)
    selected = selected[selected["code_guid"].isin(key)]
    units: list[set[str]] = []
    if level == "interview":
        for _source, part in selected.groupby("source_guid"):
            units.append(set(part["code_guid"]))
    else:
        for _source, part in selected.groupby("source_guid"):
            stretches = _merge(zip(part["start"], part["end"]))
            for a, b in stretches:
                inside = part[(part["start"] < b) & (part["end"] > a)]
                units.append(set(inside["code_guid"]))
    guids = list(codable["guid"])
    index = {g: i for i, g in enumerate(guids)}
    matrix = np.zeros((len(guids), len(guids)), dtype=int)
    for unit in units:
        members = [index[g] for g in unit]
        for i in members:
            for j in members:
                matrix[i, j] += 1
    rows = []
    for i, a in enumerate(guids):
        for j, b in enumerate(guids):
            count, n_a, n_b = int(matrix[i, j]), int(matrix[i, i]), int(matrix[j, j])
            union = n_a + n_b - count
            rows.append({"code_a": key[a], "code_b": key[b], "count": count, "n_a": n_a, "n_b": n_b,
                         "jaccard": count / union if union else np.nan})
    return pd.DataFrame(rows, columns=["code_a", "code_b", "count", "n_a", "n_b", "jaccard"])


def valence_balance(corpus: Corpus, by: str | None = "role", coder: str | None = None) -> pd.DataFrame:
    """Per group: segments and interviews with positive, negative and neutral codes, and the balance.

    Valence is the code's own (the YAML codebook fills it in from the parent when a code has none;
    codes without any are neutral). ``balance`` = (positive − negative) / (positive + negative)
    segments, from −1 (only negative) to +1 (only positive); NaN when there are neither.
    """
    table = code_table(corpus)
    valence = dict(zip(table["guid"], table["valence"]))
    selected = _with_group(corpus, select_codings(corpus, coder), by)
    selected["valence"] = selected["code_guid"].map(valence).fillna("neutral")
    sizes = _sources(corpus, by).groupby("group", sort=True).size()
    rows = []
    for group, size in sizes.items():
        part = selected[selected["group"] == group]
        row = {_group_column(by): group, "group_interviews": int(size)}
        for v in ("positive", "negative", "neutral"):
            these = part[part["valence"] == v]
            row[f"{v}_segments"] = len(these)
            row[f"{v}_interviews"] = int(these["source_guid"].nunique())
        pos, neg = row["positive_segments"], row["negative_segments"]
        row["balance"] = (pos - neg) / (pos + neg) if pos + neg else np.nan
        rows.append(row)
    columns = [_group_column(by), "group_interviews"] + [f"{v}_{w}" for v in ("positive", "negative", "neutral")
                                                         for w in ("segments", "interviews")] + ["balance"]
    return pd.DataFrame(rows, columns=columns)


from .quotes import FIRST_NAMES, quotes, scrub  # noqa: E402  (re-exported; quotes builds on the tallies above)
