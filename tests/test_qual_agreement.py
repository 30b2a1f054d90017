"""Inter-coder agreement against published worked examples and hand computations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.qual.agreement import (agreement_table, cohen_kappa, contingency_table, krippendorff_alpha,
                                         percent_agreement)
from fouress_eval.qual.codings import read_codings_csv
from fouress_eval.qual.corpus import Corpus, new_guid

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"
QUAL = DEMO / "qual"
NA = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Section C: nominal data,
# four observers, twelve units, missing values; alpha (nominal) = 0.743.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],   # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],     # observer B
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],    # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],     # observer D
]
# Same paper, section A: binary data, two observers, ten units, no missing values; alpha = 0.095.
KRIPPENDORFF_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def test_krippendorff_nominal_worked_example():
    frame = pd.DataFrame(KRIPPENDORFF_C, index=list("ABCD"))
    assert round(krippendorff_alpha(frame), 3) == 0.743
    assert round(krippendorff_alpha(np.array(KRIPPENDORFF_C)), 3) == 0.743
    letters = frame.apply(lambda col: col.map(lambda v: None if pd.isna(v) else "abcde"[int(v) - 1]))
    assert round(krippendorff_alpha(letters), 3) == 0.743  # labels instead of numbers: same nominal alpha


def test_krippendorff_binary_two_coder_example():
    assert round(krippendorff_alpha(KRIPPENDORFF_A), 3) == 0.095
    # by hand: coincidences o00 = 10, o11 = 2, o01 = o10 = 4; n0 = 14, n1 = 6, n = 20;
    # alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 19 * 4 / 84 = 0.0952
    assert krippendorff_alpha(KRIPPENDORFF_A) == pytest.approx(1 - 19 * 4 / 84)


def test_krippendorff_undefined_and_bad_level():
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    assert np.isnan(krippendorff_alpha([[1, NA, 2], [NA, 2, NA]]))  # no unit rated twice
    with pytest.raises(InputError, match="level of measurement"):
        krippendorff_alpha(KRIPPENDORFF_A, level="fuzzy")
    with pytest.raises(InputError, match="needs numeric ratings"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")


def _sequences(table: list[list[int]]) -> tuple[list[str], list[str]]:
    """Two coders' labels reproducing a 2×2 table (rows coder A yes/no, columns coder B yes/no)."""
    a, b = [], []
    for i, label_a in enumerate(("yes", "no")):
        for j, label_b in enumerate(("yes", "no")):
            a += [label_a] * table[i][j]
            b += [label_b] * table[i][j]
    return a, b


def test_cohen_kappa_textbook_tables():
    # 50 cases, A yes & B yes 20, A yes & B no 5, A no & B yes 10, A no & B no 15.
    # p_o = (20 + 15) / 50 = 0.70; A says yes 25/50 = 0.5, B says yes 30/50 = 0.6;
    # p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.50; kappa = (0.70 - 0.50) / (1 - 0.50) = 0.400.
    a, b = _sequences([[20, 5], [10, 15]])
    assert round(cohen_kappa(a, b), 3) == 0.400
    assert contingency_table(a, b).loc["yes", "no"] == 5
    # 100 cases: 45, 15 / 25, 15. p_o = 0.60; A yes 0.60, B yes 0.70;
    # p_e = 0.60 * 0.70 + 0.40 * 0.30 = 0.54; kappa = 0.06 / 0.46 = 0.130.
    a, b = _sequences([[45, 15], [25, 15]])
    assert round(cohen_kappa(a, b), 3) == 0.130
    assert cohen_kappa(a, b) == pytest.approx(0.06 / 0.46)


def test_cohen_kappa_edge_cases():
    assert cohen_kappa([1, 1, NA, 0], [1, 1, 0, 0]) == pytest.approx(1.0)  # the missing pair is dropped
    assert np.isnan(cohen_kappa(["x", "x"], ["x", "x"]))  # chance agreement 1: undefined
    with pytest.raises(InputError, match="differ in length"):
        cohen_kappa([1, 0], [1])


def test_percent_agreement():
    assert percent_agreement([1, 0, 1, 1], [1, 1, 1, 0]) == 0.5
    # matrix form: unit 1 two ratings agreeing (1), unit 2 three ratings a, a, b → 1 of 3 pairs agree,
    # unit 3 a single rating (not pairable): (1 + 1/3) / 2
    assert percent_agreement([["a", "a", "a"], ["a", "a", None], [None, "b", None]]) == pytest.approx((1 + 1 / 3) / 2)
    # Krippendorff's example C by hand: pairable units 1–11; units 1, 3, 4, 5, 7, 9, 10, 11 fully agree,
    # unit 2 (2, 2, 3, 2): 3 of 6 pairs, unit 6 (1, 2, 3, 4): 0 of 6, unit 8 (1, 1, 2, 1): 3 of 6
    assert percent_agreement(KRIPPENDORFF_C) == pytest.approx((8 + 0.5 + 0 + 0.5) / 11)


def _corpus(texts: list[str], codings: list[tuple[int, int, int, str, str]], coders=("A", "B")) -> Corpus:
    sources = pd.DataFrame([{"guid": new_guid("source", str(i)), "name": str(i), "text": t}
                            for i, t in enumerate(texts)])
    codes = pd.DataFrame([{"guid": new_guid("code", c), "name": c, "parent_guid": None, "description": "",
                           "is_codable": True} for c in ("x", "y")])
    coder_table = pd.DataFrame([{"guid": new_guid("coder", c), "name": c} for c in coders])
    rows = [{"source_guid": new_guid("source", str(s)), "start": a, "end": b, "code_guid": new_guid("code", code),
             "coder_guid": new_guid("coder", coder)} for s, a, b, code, coder in codings]
    return Corpus(codes=codes, sources=sources, coders=coder_table,
                  codings=pd.DataFrame(rows, columns=["source_guid", "start", "end", "code_guid", "coder_guid"]))


def test_agreement_table_interview_level_by_hand():
    # code x over four interviews: A applies it in interviews 0 and 1, B only in 0.
    # p_o = 3/4; p_e = 0.5 * 0.25 + 0.5 * 0.75 = 0.5; kappa = (0.75 - 0.5) / 0.5 = 0.5.
    # alpha: o11 = 2, o10 = o01 = 1, o00 = 4; n1 = 3, n0 = 5, n = 8; 1 - 7 * 1 / 15 = 0.5333.
    # code y: both coders apply it in interview 3 only → full agreement.
    corpus = _corpus(["Ett.", "Två.", "Tre.", "Fyra."],
                     [(0, 0, 4, "x", "A"), (1, 0, 4, "x", "A"), (0, 0, 3, "x", "B"), (3, 0, 5, "y", "A"),
                      (3, 1, 4, "y", "B")])
    table = agreement_table(corpus, "interview").set_index("code")
    assert table.at["x", "units"] == 4 and table.at["x", "applied_A"] == 2 and table.at["x", "applied_B"] == 1
    assert table.at["x", "percent_agreement"] == pytest.approx(0.75)
    assert table.at["x", "cohen_kappa"] == pytest.approx(0.5)
    assert table.at["x", "krippendorff_alpha"] == pytest.approx(1 - 7 / 15)
    assert table.at["y", "cohen_kappa"] == pytest.approx(1.0) and table.at["y", "percent_agreement"] == 1.0
    # overall pools the 8 code × interview units: A = x 1100, y 0001; B = x 1000, y 0001
    # p_o = 7/8; A yes 3/8, B yes 2/8; p_e = 3/8 * 2/8 + 5/8 * 6/8 = 36/64; kappa = (56/64 - 36/64) / (28/64)
    assert table.at["overall", "units"] == 8
    assert table.at["overall", "cohen_kappa"] == pytest.approx(20 / 28)


def test_agreement_table_sentence_units():
    text = "Svar: Ett två tre fyra. Fem sex sju åtta. Nio tio elva tolv."
    s1, s3 = (6, 23), (text.index("Nio"), len(text))
    codings = [(0, *s1, "x", "A"),
               (0, s1[0] + 4, s1[1] - 1, "x", "B"),  # trimmed by a word and the full stop: most of sentence 1
               (0, s3[0], s3[0] + 3, "x", "B")]  # three characters of sentence 3: under half, not counted
    sentence = agreement_table(_corpus([text], codings), "segment").set_index("code")
    assert sentence.at["x", "units"] == 3
    assert sentence.at["x", "applied_A"] == 1 and sentence.at["x", "applied_B"] == 1
    assert sentence.at["x", "percent_agreement"] == 1.0
    character = agreement_table(_corpus([text], codings), "segment", unit="character").set_index("code")
    assert character.at["x", "units"] == len(text)
    assert character.at["x", "applied_A"] == 17 and character.at["x", "applied_B"] == 12 + 3
    assert character.at["x", "percent_agreement"] == pytest.approx(1 - (5 + 3) / len(text))


def test_agreement_table_needs_two_coders_and_valid_level():
    corpus = _corpus(["Ett."], [(0, 0, 4, "x", "A")], coders=("A",))
    with pytest.raises(InputError, match="two or more coders"):
        agreement_table(corpus)
    with pytest.raises(InputError, match="unknown agreement level"):
        agreement_table(corpus, "word")


def test_demo_coders_agree_well_but_not_perfectly():
    corpus = read_codings_csv(QUAL / "kodningar.csv", QUAL / "transkript", QUAL / "kodbok.yml", DEMO / "intervjuer.csv")
    for level in ("interview", "segment"):
        table = agreement_table(corpus, level)
        assert list(table["code"])[-1] == "overall" and len(table) == 12
        overall = table.iloc[-1]
        assert 0.7 < overall["krippendorff_alpha"] < 0.98
        assert 0.7 < overall["cohen_kappa"] < 0.98
        assert overall["percent_agreement"] > 0.9
        assert (table["krippendorff_alpha"] < 1).sum() >= 6
