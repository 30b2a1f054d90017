"""Display tables of the interview report (``03_interviews``): codes by role and municipality,
themes, what works and what does not, co-occurring codes, inter-coder agreement and quotes.

The coded corpus is loaded, selected and introduced by :mod:`fouress_eval.interviews_corpus`
(:func:`load_corpus`, :func:`select`, :func:`missing_reason`, :func:`header_markdown`, re-exported
here). Every figure comes from :mod:`fouress_eval.qual.tallies` and :mod:`fouress_eval.qual.agreement`
unchanged; this module only selects, orders and labels (Swedish by default, ``language="en"`` for English).

Which coder: tallies and quotes use one coder (``coder``; empty or ``None`` means the first in
the codings file), never the coders' segments added together; agreement uses all coders.

Disclosure
----------
The number of interviews per role × municipality is small by design (1–3 in the demo).
The tables show the counts of interviews unsuppressed: an interview count says which themes a
professional group raised, not anything about a person's health or employment, and hiding every
count below 3 would hide nearly the whole table. What can point at a person is what they said,
so quotes carry the speaker's role and municipality only (never the interview id, date or a
name), and follow the rule of :func:`fouress_eval.qual.tallies.quotes`: when fewer than
``min_interviews`` (3) interviews share the speaker's role × municipality the municipality is
hidden (and its name removed from the quote), and when fewer share the role the role is hidden
too. Quotes are computed on the *selection*: in a one-municipality report the reader knows the
municipality, so there the role itself is hidden whenever the role × municipality cell is small.
Identity numbers, common first names and the word after "heter" are scrubbed from every quote.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .errors import InputError
from .interviews_agreement import (  # noqa: F401  (ALPHA_* re-exported)
    ALPHA_GOOD, ALPHA_TENTATIVE, _overall_alpha, agreement_levels, agreement_reading, agreement_table, alpha_verdict)
from .interviews_corpus import (CODEBOOK, CODINGS, TRANSCRIPTS, _is_all, _site_label, header_markdown,
                                load_corpus, missing_reason, resolve_qual_dir, select)
from .labels import label, register
from .municipalities import municipality_name
from .qual import tallies
from .qual.corpus import Corpus
from .qual.tallies import ROLE_LABELS

__all__ = ["load_corpus", "resolve_qual_dir", "select", "header_markdown", "code_tally", "code_role_table",
           "code_municipality_table", "theme_table", "valence_table", "cooccurrence_pairs", "agreement_levels",
           "agreement_table", "agreement_reading", "alpha_verdict", "leading_codes", "quotes_table",
           "key_results", "missing_reason", "CODEBOOK", "CODINGS", "TRANSCRIPTS", "MIN_QUOTE_INTERVIEWS"]

MIN_QUOTE_INTERVIEWS = 3  # speaker details of quotes are hidden below this many interviews per cell

register({
    "ir_intro": {
        "sv": "Intervjuerna med handläggare, läkare, rehabkoordinatorer, HR-strateger, chefer, medarbetare och "
              "styrgrupp är kodade enligt projektets kodbok. Tabellerna räknar intervjuer där en kod förekommer "
              "(och kodade segment) för en kodare; överensstämmelsen jämför alla kodare. Antalet intervjuer per "
              "roll och kommun är litet och redovisas ändå, eftersom det visar vilka teman en yrkesgrupp tog upp; "
              "citat visar bara roll och kommun, och även dessa döljs när färre än 3 intervjuer delar roll och "
              "kommun.",
        "en": "The interviews with case officers, doctors, rehabilitation coordinators, HR strategists, managers, "
              "employees and the steering group are coded with the project's codebook. The tables count the "
              "interviews where a code occurs (and coded segments) for one coder; agreement compares all coders. "
              "The number of interviews per role and municipality is small and is shown nonetheless, since it "
              "tells which themes a professional group raised; quotes show only role and municipality, and hide "
              "those too when fewer than 3 interviews share the role and municipality."},
    "ir_code_role": {"sv": "Koder per roll", "en": "Codes by role"},
    "ir_code_municipality": {"sv": "Koder per kommun (hela projektet)", "en": "Codes by municipality (whole project)"},
    "ir_themes": {"sv": "Teman", "en": "Themes"},
    "ir_valence": {"sv": "Fungerar och fungerar inte, per roll", "en": "What works and what does not, by role"},
    "ir_cooccurrence": {"sv": "Koder som förekommer i samma intervju", "en": "Codes occurring in the same interview"},
    "ir_quotes": {"sv": "Citat för de vanligaste koderna", "en": "Quotes for the most frequent codes"},
    "ir_all_municipalities": {"sv": "Alla projektkommuner", "en": "All project municipalities"},
    "ir_theme": {"sv": "Tema", "en": "Theme"},
    "ir_role": {"sv": "Roll", "en": "Role"},
    "ir_group_all": {"sv": "Alla intervjuer", "en": "All interviews"},
    "ir_interviews": {"sv": "Intervjuer", "en": "Interviews"},
    "ir_share": {"sv": "Andel (%)", "en": "Share (%)"},
    "ir_segments": {"sv": "Segment", "en": "Segments"},
    "ir_codes_n": {"sv": "Koder", "en": "Codes"},
    "ir_code_a": {"sv": "Kod A", "en": "Code A"},
    "ir_code_b": {"sv": "Kod B", "en": "Code B"},
    "ir_both": {"sv": "Intervjuer med båda", "en": "Interviews with both"},
    "ir_with_a": {"sv": "Intervjuer med A", "en": "Interviews with A"},
    "ir_with_b": {"sv": "Intervjuer med B", "en": "Interviews with B"},
    "ir_jaccard": {"sv": "Jaccard-index", "en": "Jaccard index"},
    "ir_valence_positive": {"sv": "Fungerar", "en": "Works"},
    "ir_valence_negative": {"sv": "Fungerar inte", "en": "Does not work"},
    "ir_valence_neutral": {"sv": "Sammanhang (neutralt)", "en": "Context (neutral)"},
    "ir_balance": {"sv": "Balans (−1 till +1)", "en": "Balance (−1 to +1)"},
    "ir_speaker": {"sv": "Talare", "en": "Speaker"},
    "ir_quote": {"sv": "Citat", "en": "Quote"},
    "ir_counts_note": {
        "sv": "Antal intervjuer där koden förekommer (kodare {coder}), andel av gruppens intervjuer och antal kodade "
              "segment. Små antal visas: de anger vilka teman en yrkesgrupp tog upp, inte uppgifter om en person.",
        "en": "Interviews where the code occurs (coder {coder}), share of the group's interviews and coded segments. "
              "Small counts are shown: they tell which themes a professional group raised, not facts about a person."},
    "ir_valence_note": {
        "sv": "Segment och intervjuer med koder under \"Det som fungerar\" och \"Det som inte fungerar\" (kodare "
              "{coder}). Balans = (fungerar − fungerar inte) / (fungerar + fungerar inte), räknat på segment.",
        "en": "Segments and interviews with codes under \"What works\" and \"What does not work\" (coder {coder}). "
              "Balance = (works − does not work) / (works + does not work), counted on segments."},
    "ir_cooccurrence_note": {
        "sv": "De {n} kodpar som oftast förekommer i samma intervju (kodare {coder}); Jaccard = intervjuer med "
              "båda / intervjuer med någon av dem.",
        "en": "The {n} code pairs most often found in the same interview (coder {coder}); Jaccard = interviews with "
              "both / interviews with either."},
    "ir_quotes_note": {
        "sv": "Högst {per_code} citat för var och en av de {n} koder som förekommer i flest intervjuer (kodare {coder}). "
              "Talaren anges bara med roll och kommun; kommunen döljs när färre än {min} intervjuer delar roll och "
              "kommun, och rollen döljs när färre än {min} intervjuer i urvalet har rollen. Personnummer och namn "
              "är borttagna.",
        "en": "At most {per_code} quotes for each of the {n} codes found in most interviews (coder {coder}). The "
              "speaker is given by role and municipality only; the municipality is hidden when fewer than {min} "
              "interviews share role and municipality, and the role when fewer than {min} interviews of the "
              "selection have that role. Identity numbers and names are removed."},
})

_ROLE_ORDER = list(ROLE_LABELS)
_VALENCES = ("positive", "negative", "neutral")



def _coder(coder: str | None) -> str | None:
    return coder or None


def _coder_name(corpus: Corpus, coder: str | None) -> str:
    if coder == "union":
        return "union"
    return str(coder) if coder else (str(corpus.coders["name"].iloc[0]) if len(corpus.coders) else "")



# ---------------------------------------------------------------------------------------------
# tallies
# ---------------------------------------------------------------------------------------------
def _group_order(by: str | None, groups) -> list:
    groups = list(dict.fromkeys(groups))
    if by == "role":
        return sorted(groups, key=lambda g: (_ROLE_ORDER.index(g) if g in _ROLE_ORDER else len(_ROLE_ORDER), str(g)))
    return sorted(groups, key=str)


def _group_label(by: str | None, value: object, language: str) -> str:
    if by is None:
        return label("ir_group_all", language)
    if by == "role":
        return ROLE_LABELS.get(value, {}).get(language, str(value))
    if by == "municipality_code":
        try:
            return municipality_name(str(value))
        except InputError:
            return str(value)
    return str(value)


def code_tally(corpus: Corpus, by: str | None = "role", *, coder: str | None = None) -> pd.DataFrame:
    """:func:`~fouress_eval.qual.tallies.code_by_group` with groups in report order (roles as in
    the interview list's role set, municipalities by code) — the input of ``plots.code_group_heatmap``."""
    tally = tallies.code_by_group(corpus, by, _coder(coder))
    column = "group" if by is None else by
    order = {g: i for i, g in enumerate(_group_order(by, tally[column]))}
    codes = {c: i for i, c in enumerate(dict.fromkeys(tally["code"]))}
    keys = pd.DataFrame({"c": tally["code"].map(codes), "g": tally[column].map(order)})
    return tally.loc[keys.sort_values(["c", "g"], kind="stable").index].reset_index(drop=True)


def _wide(tally: pd.DataFrame, key: str, by: str | None, language: str, note: str,
          prefix: pd.DataFrame | None = None) -> pd.DataFrame:
    """code/theme × group tally → rows = label, columns = (group (n=…), measure)."""
    column = "group" if by is None else by
    groups = _group_order(by, tally[column])
    sizes = tally.drop_duplicates(column).set_index(column)["group_interviews"]
    rows = list(dict.fromkeys(tally[key]))
    names = dict(zip(tally[key], tally[f"label_{language}"]))
    measures = [("interviews", "ir_interviews"), ("share", "ir_share"), ("segments", "ir_segments")]
    parts = {}
    for group in groups:
        part = tally[tally[column] == group].set_index(key).reindex(rows)
        head = f"{_group_label(by, group, language)} (n={int(sizes[group])})"
        for measure, name in measures:
            values = part[measure] * 100 if measure == "share" else part[measure].astype(int)
            parts[(head, label(name, language))] = values.to_numpy()
    table = pd.DataFrame(parts, index=pd.Index([names[r] for r in rows],
                                               name=label("ir_theme" if key == "theme" else "ir_code", language)))
    if prefix is not None:
        prefix.index = table.index
        table = pd.concat([prefix, table], axis=1)
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    table.attrs["note"] = note
    return table


def _counts_note(corpus: Corpus, coder: str | None, language: str) -> str:
    return label("ir_counts_note", language).format(coder=_coder_name(corpus, coder))


def code_role_table(corpus: Corpus, *, coder: str | None = None, language: str = "sv") -> pd.DataFrame:
    """Codes (rows, codebook labels) × roles: interviews with the code, share of the role's
    interviews (%), and segments; column headings carry each role's number of interviews."""
    return _wide(code_tally(corpus, "role", coder=coder), "code", "role", language,
                 _counts_note(corpus, coder, language))


def code_municipality_table(corpus: Corpus, *, coder: str | None = None, language: str = "sv") -> pd.DataFrame:
    """Codes (rows) × municipalities, as :func:`code_role_table`; pass the whole corpus to compare sites."""
    return _wide(code_tally(corpus, "municipality_code", coder=coder), "code", "municipality_code", language,
                 _counts_note(corpus, coder, language))


def theme_table(corpus: Corpus, *, by: str | None = None, coder: str | None = None,
                language: str = "sv") -> pd.DataFrame:
    """Themes (every codebook entry with codes below it, sub-themes indented) × group (``None``: all
    interviews of the selection): interviews where any of the theme's codes occurs, share, segments."""
    rollup = tallies.theme_rollup(corpus, by, _coder(coder))
    column = "group" if by is None else by
    order = {g: i for i, g in enumerate(_group_order(by, rollup[column]))}
    rollup = rollup.assign(_g=rollup[column].map(order)).sort_values("_g", kind="stable").drop(columns="_g")
    themes = list(dict.fromkeys(tallies.theme_rollup(corpus, None, _coder(coder))["theme"]))
    rollup = rollup.assign(_t=rollup["theme"].map({t: i for i, t in enumerate(themes)}))
    rollup = rollup.sort_values(["_t"], kind="stable").drop(columns="_t")
    codes = tallies.code_table(corpus)
    parent = dict(zip(codes["code"], codes["parent_guid"].map(dict(zip(codes["guid"], codes["code"])))))
    for lang in ("sv", "en"):  # a sub-theme is shown with its path: "Det som fungerar › Mötesformen"
        names = dict(zip(codes["code"], codes[f"label_{lang}"]))

        def path(theme: str) -> str:
            chain = [theme]
            while isinstance(parent.get(chain[-1]), str) and len(chain) < 10:
                chain.append(parent[chain[-1]])
            return " › ".join(names[c] for c in reversed(chain))

        rollup[f"label_{lang}"] = rollup["theme"].map(path)
    first = rollup.drop_duplicates("theme")
    prefix = pd.DataFrame({(label("ir_codes_n", language), ""): first["codes"].astype(int).to_numpy()})
    return _wide(rollup, "theme", by, language, _counts_note(corpus, coder, language), prefix=prefix)


def valence_table(corpus: Corpus, *, by: str = "role", coder: str | None = None, language: str = "sv") -> pd.DataFrame:
    """Per role (or ``by``): interviews, segments and interviews with codes that work / do not work /
    are neutral context, and the balance (positive − negative) / (positive + negative) segments."""
    balance = tallies.valence_balance(corpus, by, _coder(coder))
    column = "group" if by is None else by
    order = _group_order(by, balance[column])
    balance = balance.set_index(column).reindex(order)
    table = pd.DataFrame(index=pd.Index([_group_label(by, g, language) for g in order],
                                        name=label("ir_role" if by == "role" else "municipality", language)))
    table[label("ir_interviews", language)] = balance["group_interviews"].astype(int).to_numpy()
    for valence in _VALENCES:
        name = label(f"ir_valence_{valence}", language)
        table[f"{name}: {label('ir_segments', language).lower()}"] = balance[f"{valence}_segments"].astype(int).to_numpy()
        table[f"{name}: {label('ir_interviews', language).lower()}"] = (
            balance[f"{valence}_interviews"].astype(int).to_numpy())
    table[label("ir_balance", language)] = balance["balance"].astype(float).to_numpy()
    table.attrs["note"] = label("ir_valence_note", language).format(coder=_coder_name(corpus, coder))
    return table


def cooccurrence_pairs(corpus: Corpus, *, top: int = 10, coder: str | None = None,
                       language: str = "sv") -> pd.DataFrame:
    """The ``top`` pairs of different codes found in most interviews together (ties: higher Jaccard,
    then codebook order), with the interviews of each code and the Jaccard index."""
    cooc = tallies.cooccurrence(corpus, "interview", _coder(coder))
    order = {c: i for i, c in enumerate(dict.fromkeys(cooc["code_a"]))}
    pairs = cooc[(cooc["code_a"].map(order) < cooc["code_b"].map(order)) & (cooc["count"] > 0)].copy()
    pairs["_a"], pairs["_b"] = pairs["code_a"].map(order), pairs["code_b"].map(order)
    pairs = pairs.sort_values(["count", "jaccard", "_a", "_b"], ascending=[False, False, True, True],
                              kind="stable").head(top)
    names = dict(zip(*(tallies.code_table(corpus)[c] for c in ("code", f"label_{language}"))))
    table = pd.DataFrame({
        label("ir_code_a", language): pairs["code_a"].map(names).to_numpy(),
        label("ir_code_b", language): pairs["code_b"].map(names).to_numpy(),
        label("ir_both", language): pairs["count"].astype(int).to_numpy(),
        label("ir_with_a", language): pairs["n_a"].astype(int).to_numpy(),
        label("ir_with_b", language): pairs["n_b"].astype(int).to_numpy(),
        label("ir_jaccard", language): pairs["jaccard"].astype(float).to_numpy(),
    })
    table.attrs["note"] = label("ir_cooccurrence_note", language).format(n=len(table), coder=_coder_name(corpus, coder))
    return table


# ---------------------------------------------------------------------------------------------
# quotes and key results
# ---------------------------------------------------------------------------------------------
def leading_codes(corpus: Corpus, n: int = 3, *, coder: str | None = None) -> pd.DataFrame:
    """The ``n`` codes occurring in most interviews of the corpus (ties: more segments, then codebook
    order), with ``code``, ``label_sv``, ``label_en``, ``interviews``, ``group_interviews``, ``share``, ``segments``."""
    tally = tallies.code_by_group(corpus, None, _coder(coder))
    tally = tally[tally["interviews"] > 0].assign(_order=range(int((tally["interviews"] > 0).sum())))
    tally = tally.sort_values(["interviews", "segments", "_order"], ascending=[False, False, True], kind="stable")
    columns = ["code", "label_sv", "label_en", "interviews", "group_interviews", "share", "segments"]
    return tally.head(n)[columns].reset_index(drop=True)


def quotes_table(corpus: Corpus, *, n_codes: int = 3, per_code: int = 2, coder: str | None = None,
                 min_interviews: int = MIN_QUOTE_INTERVIEWS, language: str = "sv") -> pd.DataFrame:
    """Up to ``per_code`` quotes (distinct texts, different speakers first) for each of the
    :func:`leading_codes`, with the speaker as role and municipality only, hidden for small cells
    (see the module docstring); columns code label, speaker, quote."""
    rows = []
    for item in leading_codes(corpus, n_codes, coder=coder).to_dict("records"):
        found = tallies.quotes(corpus, item["code"], coder=_coder(coder), min_interviews=min_interviews,
                               include_subcodes=False, language=language)
        found = found.drop_duplicates("quote")
        # prefer different speakers: first quote of every speaker, then the rest
        found = pd.concat([found.drop_duplicates("speaker"), found]).drop_duplicates("quote")
        for quote in found.head(per_code).to_dict("records"):
            rows.append({label("ir_code", language): item[f"label_{language}"],
                         label("ir_speaker", language): quote["speaker"], label("ir_quote", language): quote["quote"]})
    table = pd.DataFrame(rows, columns=[label(k, language) for k in ("ir_code", "ir_speaker", "ir_quote")])
    table.attrs["note"] = label("ir_quotes_note", language).format(
        per_code=per_code, n=n_codes, coder=_coder_name(corpus, coder), min=min_interviews)
    return table


def _plain(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 4)


def key_results(corpus: Corpus, code: str | None = "all", *, coder: str | None = None, top: int = 3) -> dict:
    """Key results for the batch summary and the cross-site report (JSON-ready; NaN → ``None``):
    municipality, interviews, coder, the ``top`` codes (``label`` = Swedish label, also ``label_sv`` and
    ``label_en``) with their interview counts and shares, and the overall Krippendorff's alpha at
    sentence level (``overall_alpha``) and at both levels, with its verdict (:func:`alpha_verdict`)."""
    selection = select(corpus, code)
    levels = agreement_levels(selection)
    alpha = {level: _plain(_overall_alpha(levels, level)) for level in ("interview", "sentence")}
    themes = [{"code": r["code"], "label": r["label_sv"], "label_sv": r["label_sv"], "label_en": r["label_en"],
               "interviews": int(r["interviews"]),
               "share_pct": _plain(100 * float(r["share"]))}
              for r in leading_codes(selection, top, coder=coder).to_dict("records")]
    return {
        "municipality": "all" if _is_all(code) else _site_label(code),
        "interviews": int(len(selection.sources)),
        "coder": _coder_name(selection, coder),
        "coders": [str(c) for c in selection.coders["name"]],
        "top_themes": themes,
        "overall_alpha": alpha["sentence"],
        "krippendorff_alpha": alpha,
        "alpha_verdict": alpha_verdict(np.nan if alpha["sentence"] is None else alpha["sentence"]),
    }
