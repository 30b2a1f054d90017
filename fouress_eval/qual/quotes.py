"""Pseudonymised quotes from a coded corpus: whole sentences, names and identity numbers scrubbed,
the speaker given by role and municipality only (the municipality hidden when fewer than
``min_interviews`` interviews share the group)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from ..municipalities import municipality_name
from ..privacy import find_identity_numbers
from .codebook import descendants
from .codings import sentence_spans
from .corpus import Corpus
from .tallies import ROLE_LABELS, code_table, select_codings

__all__ = ["quotes", "scrub", "FIRST_NAMES"]

FIRST_NAMES = frozenset("""
Anna Eva Maria Karin Kristina Lena Sara Emma Kerstin Elisabeth Ingrid Marie Malin Jenny Annika Linda
Susanne Monica Helena Johanna Birgitta Åsa Ulla Camilla Sofia Ida Elin Margareta Inger Cecilia Carina
Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Lennart Olof Magnus Stefan Fredrik Mats
Daniel Andreas Gunnar Sven Bengt Jonas Thomas Göran Björn Bo Leif Ulf Henrik Patrik Martin
""".split())

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
