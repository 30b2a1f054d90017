"""Tallies of a coded corpus: codes by stakeholder group or municipality, theme roll-ups,
co-occurrence, valence balance, and pseudonymised quotes. Each returns a tidy DataFrame.

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

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError
from ..municipalities import municipality_name
from ..privacy import find_identity_numbers
from .codebook import descendants
from .codings import sentence_spans
from .corpus import Corpus

__all__ = ["code_by_group", "theme_rollup", "cooccurrence", "valence_balance", "quotes", "select_codings",
           "code_table", "ROLE_LABELS", "FIRST_NAMES"]

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
FIRST_NAMES = frozenset("""
Anna Eva Maria Karin Kristina Lena Sara Emma Kerstin Elisabeth Ingrid Marie Malin Jenny Annika Linda
Susanne Monica Helena Johanna Birgitta Åsa Ulla Camilla Sofia Ida Elin Margareta Inger Cecilia Carina
Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Lennart Olof Magnus Stefan Fredrik Mats
Daniel Andreas Gunnar Sven Bengt Jonas Thomas Göran Björn Bo Leif Ulf Henrik Patrik Martin
""".split())
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


# ---------------------------------------------------------------------------------------------
# quotes
# ---------------------------------------------------------------------------------------------
_SHAPED_ID = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:\d{2})?[-+]?\d{4}(?![0-9A-Za-z])")
_HETER = re.compile(r"\b([Hh]eter)(\s+)(\S+(?:\s+[A-ZÅÄÖ][\w\-]*)*)")
_WORD = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?\b")


def scrub(text: str, *, names: Iterable[str] = FIRST_NAMES, places: Iterable[str] = ()) -> str:
    """``text`` with identity numbers, names and (optionally) place names replaced.

    Identity numbers found by :func:`fouress_eval.privacy.find_identity_numbers`, and anything
    else shaped like one, become ``[personnummer]``; the word after "heter" and any capitalised
    words following it, and capitalised words in ``names`` (a small list of common Swedish first
    names by default), become ``[namn]``; words in ``places`` become ``[kommun]``.
    """
    for number in find_identity_numbers(text):
        text = text.replace(number, "[personnummer]")
    text = _SHAPED_ID.sub("[personnummer]", text)
    text = _HETER.sub(lambda m: m.group(1) + m.group(2) + "[namn]" + _trailing(m.group(3)), text)
    name_set, place_set = set(names), set(places)

    def word(match: re.Match) -> str:
        w = match.group(0)
        if w in name_set or any(part in name_set for part in w.split("-")):
            return "[namn]"
        if w in place_set:
            return "[kommun]"
        return w

    return _WORD.sub(word, text)


def _trailing(token: str) -> str:
    """Keep sentence punctuation that followed a redacted name."""
    match = re.search(r"[.,;:!?…]+$", token)
    return match.group(0) if match else ""


def _whole_sentences(text: str, start: int, end: int, cache: list[tuple[int, int]]) -> str:
    """The whole sentences a coding covers: a sentence counts if at least half of it is coded;
    if none is, the sentence with the largest coded part."""
    kept, best, best_overlap = [], None, 0
    for a, b in cache:
        overlap = min(b, end) - max(a, start)
        if overlap <= 0:
            continue
        if overlap * 2 >= b - a:
            kept.append((a, b))
        if overlap > best_overlap:
            best, best_overlap = (a, b), overlap
    if not kept and best is not None:
        kept = [best]
    return " ".join(text[a:b] for a, b in kept)


def quotes(corpus: Corpus, code: str, *, coder: str | None = None, min_interviews: int = 3,
           include_subcodes: bool = True, names: Iterable[str] = FIRST_NAMES, language: str = "sv") -> pd.DataFrame:
    """Pseudonymised quotes for ``code`` (a code id or name; a theme gives its codes' quotes too).

    Each coding becomes its whole sentences (see :func:`_whole_sentences`), scrubbed by
    :func:`scrub`, with the speaker's ``role`` and ``municipality_code`` only — never the
    interview id or a name. Disclosure control: when fewer than ``min_interviews`` interviews of
    the corpus share the speaker's role and municipality, the municipality is hidden (and its
    name removed from the quote); when fewer share the role, the role is hidden too. ``speaker``
    is the display text in ``language``. The same quote from the same interview appears once.
    Columns: code, role, municipality_code, speaker, quote.
    """
    table = code_table(corpus)
    match = table[(table["code"] == code) | (table["guid"] == code)]
    if match.empty:
        raise InputError("unknown code", column="code", value=code, expected="a code id of the codebook")
    guid = match["guid"].iloc[0]
    wanted = descendants(corpus.codes)[guid] if include_subcodes else [guid]
    key = dict(zip(table["guid"], table["code"]))
    sources = corpus.sources.set_index("guid")
    role_col = sources["role"] if "role" in sources else pd.Series(None, index=sources.index)
    muni_col = sources["municipality_code"] if "municipality_code" in sources else pd.Series(None, index=sources.index)
    cell = pd.Series(list(zip(role_col, muni_col))).value_counts().to_dict()
    role_n = role_col.value_counts().to_dict()
    places = {municipality_name(m) for m in muni_col.dropna().unique() if _known_municipality(m)}
    selected = select_codings(corpus, coder)
    selected = selected[selected["code_guid"].isin(wanted)]
    spans_cache: dict[str, list[tuple[int, int]]] = {}
    rows, seen = [], set()
    for item in selected.itertuples():
        text = sources.at[item.source_guid, "text"]
        if item.source_guid not in spans_cache:
            spans_cache[item.source_guid] = sentence_spans(text)
        role, muni = role_col.get(item.source_guid), muni_col.get(item.source_guid)
        hide_muni = cell.get((role, muni), 0) < min_interviews
        hide_role = role_n.get(role, 0) < min_interviews
        quote = _whole_sentences(text, item.start, item.end, spans_cache[item.source_guid])
        quote = scrub(quote, names=names, places=places if hide_muni else ())
        if (item.source_guid, quote) in seen:
            continue
        seen.add((item.source_guid, quote))
        shown_role = None if hide_role else role
        shown_muni = None if hide_muni else muni
        rows.append({"code": key[item.code_guid], "role": shown_role, "municipality_code": shown_muni,
                     "speaker": _speaker(shown_role, shown_muni, language), "quote": quote})
    return pd.DataFrame(rows, columns=["code", "role", "municipality_code", "speaker", "quote"])


def _known_municipality(code: object) -> bool:
    try:
        municipality_name(str(code))
    except InputError:
        return False
    return True


def _speaker(role: str | None, municipality: str | None, language: str) -> str:
    if language not in ("sv", "en"):
        raise ValueError(f"language must be 'sv' or 'en', not {language!r}")
    if role is None:
        return "(roll och kommun dolda)" if language == "sv" else "(role and municipality hidden)"
    role_text = ROLE_LABELS.get(role, {}).get(language, str(role))
    if municipality is None:
        return role_text + (" (kommun dold)" if language == "sv" else " (municipality hidden)")
    place = municipality_name(municipality) if _known_municipality(municipality) else str(municipality)
    return f"{role_text}, {place}"
