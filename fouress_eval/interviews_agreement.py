"""Inter-coder agreement for the interview report (``03_interviews``): percent agreement, Cohen's
kappa and Krippendorff's alpha per code at interview and sentence level, read against
Krippendorff's (2004) thresholds. Figures from :mod:`fouress_eval.qual.agreement` unchanged;
re-exported by :mod:`fouress_eval.interviews_report`.
"""

from __future__ import annotations

import math

import pandas as pd

from .labels import label, register
from .qual import agreement as qa
from .qual.corpus import Corpus

__all__ = ["agreement_levels", "agreement_table", "agreement_reading", "alpha_verdict"]

ALPHA_GOOD, ALPHA_TENTATIVE = 0.800, 0.667  # Krippendorff (2004), Content Analysis, 2nd ed., p. 241

register({
    "ir_agreement": {"sv": "Överensstämmelse mellan kodare", "en": "Inter-coder agreement"},
    "ir_code": {"sv": "Kod", "en": "Code"},
    "ir_level_interview": {"sv": "Intervjunivå", "en": "Interview level"},
    "ir_level_sentence": {"sv": "Meningsnivå", "en": "Sentence level"},
    "ir_percent_agreement": {"sv": "Andel överensstämmelse", "en": "Percent agreement"},
    "ir_kappa": {"sv": "Cohens kappa", "en": "Cohen's kappa"},
    "ir_alpha": {"sv": "Krippendorffs alfa", "en": "Krippendorff's alpha"},
    "ir_overall": {"sv": "Samtliga koder", "en": "All codes"},
    "ir_agreement_note": {
        "sv": "Intervjunivå: en enhet är intervju × kod ({interviews} intervjuer). Meningsnivå: en enhet är en mening "
              "× kod ({sentences} meningar), kodad när kodarens segment täcker minst halva meningen. Okodad text "
              "räknas som överensstämmelse om frånvaro; kappa och alfa korrigerar för slumpen. Kodare: {coders}.",
        "en": "Interview level: a unit is an interview × code ({interviews} interviews). Sentence level: a unit is a "
              "sentence × code ({sentences} sentences), coded when the coder's segments cover at least half of it. "
              "Uncoded text counts as agreement on absence; kappa and alpha correct for chance. Coders: {coders}."},
    "ir_alpha_reading": {
        "sv": "Krippendorffs alfa för samtliga koder är {sentence} på meningsnivå (intervjunivå {interview}): {verdict}",
        "en": "Krippendorff's alpha over all codes is {sentence} at sentence level ({interview} at interview level): "
              "{verdict}"},
    "ir_alpha_good": {
        "sv": "tillförlitligt nog för slutsatser (α ≥ 0,800 enligt Krippendorff, 2004).",
        "en": "reliable enough to draw conclusions (α ≥ 0.800, Krippendorff 2004)."},
    "ir_alpha_tentative": {
        "sv": "räcker bara för preliminära slutsatser (0,667 ≤ α < 0,800 enligt Krippendorff, 2004).",
        "en": "sufficient for tentative conclusions only (0.667 ≤ α < 0.800, Krippendorff 2004)."},
    "ir_alpha_unacceptable": {
        "sv": "för lågt för slutsatser (α < 0,667 enligt Krippendorff, 2004); kodboken och kodningen behöver ses över.",
        "en": "too low to draw conclusions (α < 0.667, Krippendorff 2004); the codebook and the coding need revising."},
    "ir_alpha_undefined": {
        "sv": "alfa kan inte beräknas (för få kodare eller för lite variation i kodningen).",
        "en": "alpha cannot be computed (too few coders or too little variation in the coding)."},
    "ir_bars_sentence": {"sv": "Figuren visar meningsnivån.", "en": "The figure shows the sentence level."},
    "ir_one_coder": {
        "sv": "Korpusen har bara en kodare; överensstämmelse mellan kodare kan inte beräknas.",
        "en": "The corpus has a single coder; inter-coder agreement cannot be computed."},
})


# ---------------------------------------------------------------------------------------------
# agreement
# ---------------------------------------------------------------------------------------------
def agreement_levels(corpus: Corpus, coders: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """:func:`~fouress_eval.qual.agreement.agreement_table` at interview level and at sentence level,
    as ``{"interview": …, "sentence": …}``; empty when the corpus has fewer than two coders."""
    if len(corpus.coders) < 2 and coders is None:
        return {}
    return {"interview": qa.agreement_table(corpus, "interview", coders=coders),
            "sentence": qa.agreement_table(corpus, "segment", unit="sentence", coders=coders)}


def agreement_table(levels: dict[str, pd.DataFrame], *, language: str = "sv") -> pd.DataFrame:
    """Per code and overall (last row): percent agreement, Cohen's kappa and Krippendorff's alpha
    at interview level and at sentence level (columns level × measure)."""
    if not levels:
        return pd.DataFrame()
    measures = [("percent_agreement", "ir_percent_agreement"), ("cohen_kappa", "ir_kappa"),
                ("krippendorff_alpha", "ir_alpha")]
    first = levels["interview"]
    names = [label("ir_overall", language) if c == "overall" else n
             for c, n in zip(first["code"], first[f"label_{language}"])]
    columns = {}
    for level in ("interview", "sentence"):
        frame = levels[level].set_index("code").reindex(first["code"])
        for measure, name in measures:
            columns[(label(f"ir_level_{level}", language), label(name, language))] = frame[measure].astype(float).to_numpy()
    table = pd.DataFrame(columns, index=pd.Index(names, name=label("ir_code", language)))
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    coders = [c.removeprefix("applied_") for c in first.columns if c.startswith("applied_")]
    sentences = levels["sentence"].attrs.get("units_per_code")
    interviews = levels["interview"].attrs.get("units_per_code")
    table.attrs["note"] = label("ir_agreement_note", language).format(
        interviews=interviews, sentences=sentences, coders=", ".join(coders))
    return table


def _overall_alpha(levels: dict[str, pd.DataFrame], level: str) -> float:
    if not levels:
        return float("nan")
    frame = levels[level]
    return float(frame.loc[frame["code"] == "overall", "krippendorff_alpha"].iloc[0])


def alpha_verdict(alpha: float) -> str:
    """``"good"`` (α ≥ 0.800), ``"tentative"`` (0.667 ≤ α < 0.800), ``"unacceptable"`` (below) or
    ``"undefined"`` (NaN) — Krippendorff's (2004, p. 241) thresholds for drawing conclusions."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    if alpha >= ALPHA_GOOD:
        return "good"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "unacceptable"


def _number(value: float, language: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "sv" else text


def agreement_reading(levels: dict[str, pd.DataFrame], language: str = "sv") -> str:
    """One sentence reading the overall Krippendorff's alpha at sentence level (the unit of coding),
    with the interview-level value beside it, against Krippendorff's thresholds."""
    if not levels:
        return label("ir_one_coder", language)
    sentence, interview = _overall_alpha(levels, "sentence"), _overall_alpha(levels, "interview")
    return label("ir_alpha_reading", language).format(
        sentence=_number(sentence, language), interview=_number(interview, language),
        verdict=label(f"ir_alpha_{alpha_verdict(sentence)}", language))
