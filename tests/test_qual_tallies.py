"""Tallies on the demo corpus against counts made by hand from the raw CSV files with plain Python.

The expected numbers are computed here from ``kodningar.csv`` and ``intervjuer.csv`` with the
csv module only — independently of :mod:`fouress_eval.qual.tallies`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from fouress_eval.errors import InputError  # noqa: E402
from fouress_eval.privacy import luhn_check_digit  # noqa: E402
from fouress_eval.qual.codings import read_codings_csv  # noqa: E402
from fouress_eval.qual.corpus import Corpus, new_guid  # noqa: E402
from fouress_eval.qual.tallies import (code_by_group, code_table, cooccurrence, quotes, theme_rollup,  # noqa: E402
                                       valence_balance)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"
QUAL = DEMO / "qual"
ROLE = {"Chef": "manager", "HR-strateg": "hr_strategist", "Handläggare FK": "case_officer", "Läkare": "doctor",
        "Medarbetare": "participant", "Rehabkoordinator": "rehab_coordinator", "Styrgrupp": "steering_group"}
MUNICIPALITY = {"Ljungby": "0781", "Torsås": "0834", "Vimmerby": "0884"}
POSITIVE = {"tidigt_stod", "chef_sammankallar", "fasta_motestider", "ortsgrupp_nav", "samtycke_helhet",
            "deltid_i_stallet"}
NEGATIVE = {"chefsbyten", "svag_forankring", "skav_mellan_parter"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return read_codings_csv(QUAL / "kodningar.csv", QUAL / "transkript", QUAL / "kodbok.yml", DEMO / "intervjuer.csv")


@pytest.fixture(scope="module")
def raw() -> tuple[dict, list[dict]]:
    with (DEMO / "intervjuer.csv").open(encoding="utf-8") as handle:
        interviews = {r["Intervju-id"]: {"role": ROLE[r["Roll"]], "municipality_code": MUNICIPALITY[r["Kommun"]]}
                      for r in csv.DictReader(handle, delimiter=";")}
    with (QUAL / "kodningar.csv").open(encoding="utf-8") as handle:
        rows = [{**r, "start": int(r["start"]), "end": int(r["end"])} for r in csv.DictReader(handle, delimiter=";")]
    return interviews, rows


def _by_hand(raw, codes: set[str], by: str, coders: set[str]) -> dict[str, tuple[int, int, int]]:
    """group → (interviews with any of ``codes``, interviews in the group, segments)."""
    interviews, rows = raw
    size = defaultdict(int)
    for info in interviews.values():
        size[info[by]] += 1
    seen, segments = defaultdict(set), defaultdict(int)
    for r in rows:
        if r["code_id"] in codes and r["coder"] in coders:
            group = interviews[r["interview_id"]][by]
            seen[group].add(r["interview_id"])
            segments[group] += 1
    return {g: (len(seen[g]), size[g], segments[g]) for g in size}


@pytest.mark.parametrize("code, by", [("tidigt_stod", "role"), ("chefsbyten", "role"), ("fasta_motestider", "role"),
                                      ("ortsgrupp_nav", "municipality_code"), ("jamstalldhet", "municipality_code")])
def test_code_by_group_matches_hand_count(corpus, raw, code, by):
    tally = code_by_group(corpus, by=by)  # default coder: the first, kodare_A
    expected = _by_hand(raw, {code}, by, {"kodare_A"})
    part = tally[tally["code"] == code].set_index(by)
    assert set(part.index) == set(expected)
    for group, (n, size, segments) in expected.items():
        assert part.at[group, "interviews"] == n, group
        assert part.at[group, "group_interviews"] == size
        assert part.at[group, "segments"] == segments
        assert part.at[group, "share"] == pytest.approx(n / size)


def test_every_code_and_group_listed_and_other_coder(corpus, raw):
    tally = code_by_group(corpus, by="role", coder="kodare_B")
    codable = [c for c in code_table(corpus).query("is_codable")["code"]]
    assert len(tally) == len(codable) * 7 and list(dict.fromkeys(tally["code"])) == codable
    expected = _by_hand(raw, {"skav_mellan_parter"}, "role", {"kodare_B"})
    part = tally[tally["code"] == "skav_mellan_parter"].set_index("role")
    assert {g: (part.at[g, "interviews"], part.at[g, "group_interviews"], part.at[g, "segments"])
            for g in expected} == expected


def test_union_of_coders_merges_overlapping_segments(corpus, raw):
    _interviews, rows = raw
    spans = defaultdict(list)
    for r in rows:
        if r["code_id"] == "svag_forankring":
            spans[r["interview_id"]].append((r["start"], r["end"]))
    merged = 0
    for items in spans.values():
        end = -1
        for a, b in sorted(items):
            if a >= end:
                merged += 1
                end = b
            else:
                end = max(end, b)
    tally = code_by_group(corpus, by=None, coder="union").set_index("code")
    assert tally.at["svag_forankring", "interviews"] == len(spans)
    assert tally.at["svag_forankring", "segments"] == merged
    assert tally.at["svag_forankring", "group_interviews"] == 30
    one = code_by_group(corpus, by=None).set_index("code")
    assert one.at["svag_forankring", "segments"] < merged + 1


def test_theme_rollup_matches_hand_count(corpus, raw):
    rollup = theme_rollup(corpus, by="role")
    for theme, codes in (("fungerar_inte", NEGATIVE), ("motesformen", {"chef_sammankallar", "fasta_motestider"}),
                         ("fungerar", POSITIVE)):
        expected = _by_hand(raw, codes, "role", {"kodare_A"})
        part = rollup[rollup["theme"] == theme].set_index("role")
        for group, (n, size, segments) in expected.items():
            assert (part.at[group, "interviews"], part.at[group, "group_interviews"], part.at[group, "segments"]) == (
                n, size, segments), (theme, group)
    depth = rollup.drop_duplicates("theme").set_index("theme")
    assert depth.at["motesformen", "depth"] == 1 and depth.at["fungerar", "depth"] == 0
    assert depth.at["fungerar", "codes"] == 6
    assert set(theme_rollup(corpus, by=None, top_only=True)["theme"]) == {"fungerar", "fungerar_inte", "sammanhang"}


def test_cooccurrence_by_interview_and_by_segment(corpus, raw):
    _interviews, rows = raw
    a_rows = [r for r in rows if r["coder"] == "kodare_A"]
    with_code = defaultdict(set)
    for r in a_rows:
        with_code[r["code_id"]].add(r["interview_id"])
    both = with_code["chefsbyten"] & with_code["svag_forankring"]
    either = with_code["chefsbyten"] | with_code["svag_forankring"]
    table = cooccurrence(corpus, level="interview").set_index(["code_a", "code_b"])
    assert table.at[("chefsbyten", "svag_forankring"), "count"] == len(both)
    assert table.at[("svag_forankring", "chefsbyten"), "count"] == len(both)
    assert table.at[("chefsbyten", "svag_forankring"), "jaccard"] == pytest.approx(len(both) / len(either))
    assert table.at[("chefsbyten", "chefsbyten"), "count"] == len(with_code["chefsbyten"])
    # kodare_A codes whole sentences, so a segment unit is a sentence: count sentences with both codes
    codes_on = defaultdict(set)
    for r in a_rows:
        codes_on[(r["interview_id"], r["start"], r["end"])].add(r["code_id"])
    pair = sum({"tidigt_stod", "deltid_i_stallet"} <= c for c in codes_on.values())
    n_early = sum("tidigt_stod" in c for c in codes_on.values())
    segment = cooccurrence(corpus, level="segment").set_index(["code_a", "code_b"])
    assert pair > 0
    assert segment.at[("tidigt_stod", "deltid_i_stallet"), "count"] == pair
    assert segment.at[("tidigt_stod", "tidigt_stod"), "count"] == n_early
    assert segment.at[("ortsgrupp_nav", "jamstalldhet"), "count"] == 0


def test_valence_balance_matches_hand_count(corpus, raw):
    interviews, rows = raw
    pos, neg = defaultdict(int), defaultdict(int)
    for r in rows:
        if r["coder"] == "kodare_A":
            role = interviews[r["interview_id"]]["role"]
            pos[role] += r["code_id"] in POSITIVE
            neg[role] += r["code_id"] in NEGATIVE
    table = valence_balance(corpus, by="role").set_index("role")
    for role in pos:
        assert table.at[role, "positive_segments"] == pos[role]
        assert table.at[role, "negative_segments"] == neg[role]
        assert table.at[role, "balance"] == pytest.approx((pos[role] - neg[role]) / (pos[role] + neg[role]))


def test_demo_quotes_carry_role_and_municipality_only(corpus, raw):
    interviews, _rows = raw
    table = quotes(corpus, "chefsbyten")
    assert list(table.columns) == ["code", "role", "municipality_code", "speaker", "quote"]
    assert len(table) > 5
    assert not table["quote"].str.contains(r"I\d\d|Syntetisk|Intervju").any()
    cells = defaultdict(int)
    for info in interviews.values():
        cells[(info["role"], info["municipality_code"])] += 1
    for row in table.itertuples():
        if isinstance(row.municipality_code, str):
            assert cells[(row.role, row.municipality_code)] >= 3
    assert (table["speaker"] == "Chef (kommun dold)").any()  # managers: two per municipality
    theme = quotes(corpus, "fungerar_inte")
    assert set(theme["code"]) == NEGATIVE


def _tiny() -> Corpus:
    """Four interviews: three employees in Ljungby, one manager in Torsås."""
    number = "811218-987"
    number += str(luhn_check_digit(number.replace("-", "")))
    texts = {
        "T1": f"Svar: Jag heter Lisa Berg. Min chef Karin ringde direkt. Mitt nummer är {number} om ni undrar.",
        "T2": "Svar: Här i Torsås gick det fort. Chefen tog det på allvar.",
        "T3": "Svar: Inget särskilt.",
        "T4": "Svar: Inget särskilt.",
    }
    meta = {"T1": ("participant", "0781"), "T2": ("manager", "0834"), "T3": ("participant", "0781"),
            "T4": ("participant", "0781")}
    sources = pd.DataFrame([{"guid": new_guid("source", k), "name": k, "text": t, "role": meta[k][0],
                             "municipality_code": meta[k][1]} for k, t in texts.items()])
    codes = pd.DataFrame([{"guid": new_guid("code", "x"), "name": "x", "parent_guid": None, "description": "",
                           "is_codable": True}])
    coders = pd.DataFrame([{"guid": new_guid("coder", "a"), "name": "a"}])
    t1, t2 = texts["T1"], texts["T2"]
    codings = pd.DataFrame([
        # from the middle of the first sentence to two characters into the third: trimmed to sentences 1–2
        {"source_guid": new_guid("source", "T1"), "start": t1.index("Lisa"), "end": t1.index("Mitt") + 2},
        {"source_guid": new_guid("source", "T1"), "start": t1.index("Mitt"), "end": len(t1)},
        {"source_guid": new_guid("source", "T2"), "start": 6, "end": len(t2)},
    ]).assign(code_guid=new_guid("code", "x"), coder_guid=new_guid("coder", "a"))
    return Corpus(codes=codes, sources=sources, coders=coders, codings=codings)


def test_quotes_are_scrubbed_and_small_cells_hidden():
    table = quotes(_tiny(), "x")
    assert table["quote"].tolist() == [
        "Jag heter [namn]. Min chef [namn] ringde direkt.",
        "Mitt nummer är [personnummer] om ni undrar.",
        "Här i [kommun] gick det fort. Chefen tog det på allvar.",
    ]
    assert table["speaker"].tolist() == ["Medarbetare, Ljungby", "Medarbetare, Ljungby", "(roll och kommun dolda)"]
    assert table["role"].isna().tolist() == [False, False, True]
    english = quotes(_tiny(), "x", min_interviews=1, language="en")
    assert english["speaker"].iloc[2] == "Manager, Torsås"
    assert "Torsås" in english["quote"].iloc[2]


def test_bad_parameters(corpus):
    with pytest.raises(InputError, match="unknown coder"):
        code_by_group(corpus, coder="kodare_Q")
    with pytest.raises(InputError, match="no attribute 'sex'"):
        code_by_group(corpus, by="sex")
    with pytest.raises(InputError, match="unknown code"):
        quotes(corpus, "nope")
    with pytest.raises(InputError, match="co-occurrence level"):
        cooccurrence(corpus, level="word")


def test_figures_draw(corpus):
    import matplotlib.pyplot as plt

    from fouress_eval.plots.qual import agreement_bars, code_group_heatmap, cooccurrence_heatmap
    from fouress_eval.qual.agreement import agreement_table

    for language in ("sv", "en"):
        ax = code_group_heatmap(code_by_group(corpus, by="role"), language=language)
        assert ax.get_title() and len(ax.texts) == 11 * 7
        ax = code_group_heatmap(theme_rollup(corpus, by="municipality_code"), language=language)
        assert "Torsås" in " ".join(t.get_text() for t in ax.get_xticklabels())
        ax = cooccurrence_heatmap(cooccurrence(corpus), labels=code_table(corpus), language=language)
        assert ax.get_title()
        ax = agreement_bars(agreement_table(corpus, "interview"), language=language)
        assert ax.get_legend() is not None
        plt.close("all")
    assert np.isfinite(code_by_group(corpus)["share"]).all()
