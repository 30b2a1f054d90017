"""The interview report (``03_interviews``): tallies checked by hand, quotes disclose no one, notebook runs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from fouress_eval import interviews_report as ir
from fouress_eval.errors import InputError
from fouress_eval.privacy import find_identity_numbers
from fouress_eval.store import prepare

ROOT = Path(__file__).resolve().parents[1]
QUAL = ROOT / "data_raw" / "demo" / "qual"
NOTEBOOK = ROOT / "notebooks" / "03_interviews.ipynb"
MUNICIPALITIES = ("Ljungby", "Torsås", "Vimmerby")


@pytest.fixture(scope="module")
def corpus():
    return ir.load_corpus(QUAL)


@pytest.fixture(scope="module")
def raw():
    """kodare_A's codings joined with the interview list, read with plain pandas."""
    codings = pd.read_csv(QUAL / "kodningar.csv", sep=";")
    interviews = pd.read_csv(ROOT / "data_raw" / "demo" / "intervjuer.csv", sep=";")
    codings = codings[codings["coder"] == "kodare_A"].merge(interviews, left_on="interview_id",
                                                            right_on="Intervju-id")
    return codings, interviews


def _expected(raw, code_id: str, role: str, municipality: str | None = None) -> tuple[int, int, int]:
    codings, interviews = raw
    if municipality:
        codings = codings[codings["Kommun"] == municipality]
        interviews = interviews[interviews["Kommun"] == municipality]
    hits = codings[(codings["code_id"] == code_id) & (codings["Roll"] == role)]
    return hits["interview_id"].nunique(), len(hits), int((interviews["Roll"] == role).sum())


def _column(table: pd.DataFrame, prefix: str) -> str:
    (head,) = {c[0] for c in table.columns if c[0].startswith(prefix + " (n=")}
    return head


@pytest.mark.parametrize("code_id, label, role, municipality", [
    ("tidigt_stod", "Tidigt stöd", "Medarbetare", None),
    ("chefsbyten", "Chefsbyten", "Chef", None),
    ("chef_sammankallar", "Chefen kallar och leder mötet", "Handläggare FK", "Ljungby"),
    ("svag_forankring", "Svag förankring i hemorganisationerna", "Styrgrupp", "Torsås"),
])
def test_code_role_cells_match_hand_counts(corpus, raw, code_id, label, role, municipality):
    selection = ir.select(corpus, municipality or "all")
    table = ir.code_role_table(selection, coder="kodare_A")
    interviews, segments, role_n = _expected(raw, code_id, role, municipality)
    head = _column(table, role)
    assert head == f"{role} (n={role_n})"
    assert table.loc[label, (head, "Intervjuer")] == interviews
    assert table.loc[label, (head, "Segment")] == segments
    assert table.loc[label, (head, "Andel (%)")] == pytest.approx(100 * interviews / role_n)
    assert interviews > 0  # the cases above are chosen to be non-trivial


def test_theme_rollup_counts_interviews_with_any_code_below(corpus, raw):
    codings, interviews = raw
    works = {"tidigt_stod", "chef_sammankallar", "fasta_motestider", "ortsgrupp_nav", "samtycke_helhet",
             "deltid_i_stallet"}
    hits = codings[codings["code_id"].isin(works) & (codings["Roll"] == "Chef")]
    table = ir.theme_table(corpus, by="role")
    head = _column(table, "Chef")
    assert table.loc["Det som fungerar", (head, "Intervjuer")] == hits["interview_id"].nunique()
    assert table.loc["Det som fungerar", (head, "Segment")] == len(hits)
    assert table.loc["Det som fungerar", ("Koder", "")] == len(works)
    assert "Det som fungerar › Mötesformen" in table.index


def test_role_columns_follow_the_role_list_and_selection(corpus):
    heads = list(dict.fromkeys(c[0] for c in ir.code_role_table(corpus).columns))
    assert [h.split(" (n=")[0] for h in heads] == ["Handläggare FK", "Läkare", "Rehabkoordinator", "HR-strateg",
                                                  "Chef", "Medarbetare", "Styrgrupp"]
    ljungby = ir.select(corpus, "0781")
    assert set(ljungby.sources["municipality_code"]) == {"0781"}
    assert set(ljungby.codings["source_guid"]) <= set(ljungby.sources["guid"])


def test_select_takes_a_county_a_name_or_a_list(corpus, raw):
    _codings, interviews = raw
    kalmar = ir.select(corpus, "08")  # Kalmar county: Torsås and Vimmerby
    assert set(kalmar.sources["municipality_code"]) == {"0834", "0884"}
    assert len(kalmar.sources) == int(interviews["Kommun"].isin(["Torsås", "Vimmerby"]).sum())
    assert set(kalmar.codings["source_guid"]) <= set(kalmar.sources["guid"])
    assert len(ir.select(corpus, "Kalmar län").sources) == len(kalmar.sources)
    pair = ir.select(corpus, ["Ljungby", "0884"])
    assert set(pair.sources["municipality_code"]) == {"0781", "0884"}
    assert ir.key_results(corpus, "08")["municipality"] == "08"
    with pytest.raises(InputError, match="no interviews from Uppsala län"):
        ir.select(corpus, "03")


def test_missing_reason_says_why_in_one_sentence(corpus, tmp_path):
    assert ir.missing_reason(corpus, "Ljungby") is None and ir.missing_reason(corpus, "all") is None
    assert ir.missing_reason(QUAL, "08") is None
    absent = ROOT / "data_raw" / "pa_vag" / "qual"
    assert ir.missing_reason(absent) == "Utvärderingen har inga intervjuer: mappen data_raw/pa_vag/qual finns inte."
    assert ir.missing_reason(absent, "Skurup", language="en") == \
        "The evaluation has no interviews: the folder data_raw/pa_vag/qual does not exist."
    folder = tmp_path / "qual"
    folder.mkdir()
    (folder / "kodbok.yml").write_text("themes: []\n", encoding="utf-8")
    assert ir.missing_reason(folder) == \
        f"Intervjuerna är inte kodade: mappen {folder.as_posix()} saknar kodningar.csv och transkript/."
    (folder / "kodningar.csv").write_text("", encoding="utf-8")
    (folder / "transkript").mkdir()
    assert ir.missing_reason(folder, language="en") == \
        f"There is no interview list (intervjuer.csv) next to the folder {folder.as_posix()}."
    assert ir.missing_reason(corpus, "Värmlands län") == "Det finns inga intervjuer från Värmlands län i intervjulistan."
    assert ir.missing_reason(corpus, ["1214", "1263"], language="en") == \
        "There are no interviews from Svalöv and Svedala in the interview list."
    empty = replace(corpus, sources=corpus.sources.iloc[:0], codings=corpus.codings.iloc[:0])
    assert ir.missing_reason(empty) == "Intervjulistan innehåller inga intervjuer."


def test_english_labels(corpus):
    table = ir.code_role_table(corpus, language="en")
    assert "Early support" in table.index and table.index.name == "Code"
    assert any(c == ("Manager (n=6)", "Interviews") for c in table.columns)
    assert "Share (%)" in {c[1] for c in table.columns}
    valence = ir.valence_table(corpus, language="en")
    assert valence.index.name == "Role" and "Doctor" in valence.index
    assert "Balance (−1 to +1)" in valence.columns
    levels = ir.agreement_levels(corpus)
    agreement = ir.agreement_table(levels, language="en")
    assert agreement.index[-1] == "All codes"
    assert ("Sentence level", "Krippendorff's alpha") in agreement.columns
    assert ir.agreement_reading(levels, "en").startswith("Krippendorff's alpha over all codes is")
    assert list(ir.quotes_table(corpus, language="en").columns) == ["Code", "Speaker", "Quote"]


def test_alpha_reading_uses_krippendorffs_thresholds():
    assert [ir.alpha_verdict(a) for a in (0.85, 0.8, 0.7, 0.667, 0.5, float("nan"))] == \
        ["good", "good", "tentative", "tentative", "unacceptable", "undefined"]


def _luhn_number(stem: str) -> str:
    digits = [int(d) for d in stem]
    products = [d * 2 if i % 2 == 0 else d for i, d in enumerate(digits)]
    total = sum(p - 9 if p > 9 else p for p in products)
    return f"{stem[:6]}-{stem[6:]}{(10 - total % 10) % 10}"


def _cells(interviews: pd.DataFrame) -> dict[tuple[str, str], int]:
    return interviews.groupby(["Roll", "Kommun"]).size().to_dict()


def test_quotes_hide_speaker_details_of_small_cells(corpus, raw):
    _, interviews = raw
    cells = _cells(interviews)
    for municipality in ("all", *MUNICIPALITIES):
        quotes = ir.quotes_table(ir.select(corpus, municipality), n_codes=20, per_code=1000)
        assert not quotes.empty
        for speaker, text in zip(quotes["Talare"], quotes["Citat"]):
            assert not find_identity_numbers(text) and "I0" not in speaker
            if ", " in speaker:  # role and municipality shown: the cell must hold 3 or more interviews
                role, place = speaker.split(", ")
                assert cells[(role, place)] >= 3
                assert municipality in ("all", place)
            elif municipality != "all":  # in a one-municipality report the role goes with the municipality
                assert speaker == "(roll och kommun dolda)"
            assert not any(place in speaker for place in MUNICIPALITIES) or ", " in speaker


def test_quotes_scrub_identity_numbers_and_places_of_small_cells(corpus):
    # I05 is the only doctor in Torsås: put an identity number and the place into one of its coded sentences
    source = corpus.sources.index[corpus.sources["interview_id"] == "I05"][0]
    guid = corpus.sources.at[source, "guid"]
    coded = corpus.codings[corpus.codings["source_guid"] == guid].iloc[0]
    text = corpus.sources.at[source, "text"]
    length = coded["end"] - coded["start"]
    number = _luhn_number("811218987")
    inserted = f"Jag bor i Torsås och mitt nummer är {number} sedan länge"
    inserted = (inserted + " och det vet alla här" * 10)[:length - 1] + "."
    assert find_identity_numbers(inserted)
    sources = corpus.sources.copy()
    sources.at[source, "text"] = text[:coded["start"]] + inserted + text[coded["end"]:]
    injected = replace(corpus, sources=sources)
    for municipality in ("all", "Torsås"):
        quotes = ir.quotes_table(ir.select(injected, municipality), n_codes=20, per_code=1000)
        joined = " ".join(quotes["Citat"])
        assert "[personnummer]" in joined and "[kommun]" in joined
        assert number not in joined and not find_identity_numbers(joined)
        assert not any("Torsås" in q for q, s in zip(quotes["Citat"], quotes["Talare"]) if "[personnummer]" in q)


def test_key_results_structure(corpus):
    results = ir.key_results(corpus, "Ljungby")
    json.dumps(results, allow_nan=False)  # plain JSON for the cross-site report
    assert results["municipality"] == "0781" and results["interviews"] == 10 and results["coder"] == "kodare_A"
    assert len(results["top_themes"]) == 3
    assert set(results["top_themes"][0]) == {"code", "label", "label_sv", "label_en", "interviews", "share_pct"}
    counts = [t["interviews"] for t in results["top_themes"]]
    assert counts == sorted(counts, reverse=True)
    assert 0 < results["overall_alpha"] <= 1
    assert results["overall_alpha"] == results["krippendorff_alpha"]["sentence"]
    assert results["alpha_verdict"] == ir.alpha_verdict(results["overall_alpha"])
    assert ir.key_results(corpus)["interviews"] == 30


def test_notebook_runs_for_ljungby(tmp_path):
    processed = tmp_path / "processed"
    prepare(ROOT / "data_raw" / "demo", processed, secret=b"interviews-test")
    out = tmp_path / "03_interviews.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", progress_bar=False,
                        cwd=str(ROOT / "notebooks"),
                        parameters={"municipality": "Ljungby", "data_dir": str(processed),
                                    "out_dir": str(tmp_path / "keys")})
    executed = nbformat.read(str(out), as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    heading = next(i for i, c in enumerate(executed.cells)
                   if any("## Koder per roll" in str(o.get("data", {}).get("text/markdown", ""))
                          for o in c.get("outputs", [])))
    assert any("image/png" in o.get("data", {}) for o in executed.cells[heading].outputs)
    markdown = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Ljungby (0781)" in markdown and "Syntetiska demodata" in markdown
    keys = json.loads((tmp_path / "keys" / "03_interviews.json").read_text(encoding="utf-8"))
    assert keys["municipality"] == "0781"
