"""The YAML codebook, the synthetic qualitative demo and the CSV codings reader."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from fouress_eval.errors import InputError
from fouress_eval.io import is_skipped
from fouress_eval.qual.codebook import read_codebook, write_codebook
from fouress_eval.qual.codings import read_codings_csv, sentence_spans
from fouress_eval.qual.corpus import new_guid
from fouress_eval.qual.demo_corpus import SYNTHETIC_MARK, write_demo_corpus

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_raw" / "demo"
QUAL = DEMO / "qual"
INTERVIEWS = DEMO / "intervjuer.csv"


# ------------------------------------------------------------------------------------- codebook
def test_demo_codebook_covers_the_recurring_themes():
    codes = read_codebook(QUAL / "kodbok.yml")
    ids = set(codes["code_id"])
    assert {"fungerar", "fungerar_inte", "sammanhang"} <= ids
    assert {"tidigt_stod", "chef_sammankallar", "fasta_motestider", "ortsgrupp_nav", "samtycke_helhet", "chefsbyten",
            "svag_forankring", "skav_mellan_parter", "utbildningsblock", "jamstalldhet", "deltid_i_stallet"} <= ids
    row = codes.set_index("code_id")
    assert row.at["chefsbyten", "valence"] == "negative"  # inherited from fungerar_inte
    assert row.at["fasta_motestider", "valence"] == "positive"  # two levels down from fungerar
    assert row.at["fasta_motestider", "depth"] == 2
    assert row.at["tidigt_stod", "guid"] == new_guid("code", "tidigt_stod")
    assert row.at["tidigt_stod", "parent_guid"] == new_guid("code", "fungerar")
    assert not row.at["fungerar", "is_codable"] and row.at["tidigt_stod", "is_codable"]
    assert row.at["fungerar", "parent_guid"] is None
    for column in ("definition", "when_to_use", "when_not_to_use", "example", "label_en"):
        assert row.loc[row["kind"] == "code", column].notna().all(), column
    assert "SYNTETISK" in (QUAL / "kodbok.yml").read_text(encoding="utf-8").splitlines()[0]


def test_codebook_round_trip(tmp_path):
    codes = read_codebook(QUAL / "kodbok.yml")
    again = read_codebook(write_codebook(codes, tmp_path / "k.yml"))
    assert again.equals(codes)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kodbok.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_codebook_cycle_is_refused_naming_file_and_code(tmp_path):
    path = _write(tmp_path, """
themes:
  - {id: tema, label_sv: Tema}
codes:
  - {id: a, label_sv: A, parent: b}
  - {id: b, label_sv: B, parent: c}
  - {id: c, label_sv: C, parent: a}
""")
    with pytest.raises(InputError) as caught:
        read_codebook(path)
    message = str(caught.value)
    assert "kodbok.yml" in message and "loops" in message and "'a'" in message
    assert "a → b → c → a" in message


@pytest.mark.parametrize("body, needle", [
    ("codes:\n  - {id: a, label_sv: A}\n  - {id: a, label_sv: B}\n", "'a' is used twice"),
    ("codes:\n  - {id: a, label_sv: A, parent: saknas}\n", "'a' has parent 'saknas'"),
    ("codes:\n  - {id: a, label_sv: A, valence: glad}\n", "'a' has an unknown valence"),
    ("codes:\n  - {id: a}\n", "'a' has no label_sv"),
    ("codes:\n  - {label_sv: A}\n", "codes entry 1 (line 2) has no id"),
    ("codes:\n  - {id: a, label_sv: A, parent: a}\n", "loops at code 'a'"),
    ("codes: [\n", "not valid YAML"),
])
def test_codebook_errors_name_the_file_and_the_code(tmp_path, body, needle):
    with pytest.raises(InputError) as caught:
        read_codebook(_write(tmp_path, body))
    assert "kodbok.yml" in str(caught.value) and needle in str(caught.value)


# ------------------------------------------------------------------------------------- demo corpus
def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_corpus_is_deterministic_and_committed_copy_is_current(tmp_path):
    first = write_demo_corpus(tmp_path / "a", seed=2017, interviews_path=INTERVIEWS)
    second = write_demo_corpus(tmp_path / "b", seed=2017, interviews_path=INTERVIEWS)
    assert _files(first) == _files(second)
    committed = _files(QUAL)
    generated = _files(first)
    assert generated.keys() == committed.keys()
    for name in generated:
        assert generated[name] == committed[name], f"data_raw/demo/qual/{name} is stale: rerun write_demo_corpus"
    other = _files(write_demo_corpus(tmp_path / "c", seed=1, interviews_path=INTERVIEWS))
    assert other["kodningar.csv"] != generated["kodningar.csv"]


def test_demo_transcripts_are_marked_synthetic_one_per_interview():
    with INTERVIEWS.open(encoding="utf-8") as handle:
        ids = [row["Intervju-id"] for row in csv.DictReader(handle, delimiter=";")]
    files = sorted((QUAL / "transkript").glob("*.txt"))
    assert [p.stem for p in files] == sorted(ids) and len(ids) == 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == SYNTHETIC_MARK
        answers = [s for s in sentence_spans(text) if text.rfind("\n", 0, s[0]) < s[0]
                   and text[text.rfind("\n", 0, s[0]) + 1:].startswith("Svar: ")]
        assert 6 <= len(answers) <= 12, path.name


def test_prepare_passes_over_the_qual_folder():
    assert is_skipped(QUAL)
    from fouress_eval.store import _raw_files

    recognised, ignored = _raw_files(DEMO)
    assert QUAL not in recognised and QUAL not in ignored


def test_demo_coders_mostly_but_not_always_agree():
    corpus = read_codings_csv(QUAL / "kodningar.csv", QUAL / "transkript", QUAL / "kodbok.yml", INTERVIEWS)
    assert list(corpus.coders["name"]) == ["kodare_A", "kodare_B"]
    assert len(corpus.sources) == 30
    segments = corpus.segments()
    texts = dict(zip(corpus.sources["guid"], corpus.sources["text"]))
    a = segments[segments["coder"] == "kodare_A"]
    for row in a.itertuples():  # kodare_A codes exact sentences
        assert (row.start, row.end) in sentence_spans(texts[row.source_guid])
    keys = {coder: set(zip(part["source_guid"], part["start"], part["end"], part["code"]))
            for coder, part in segments.groupby("coder")}
    same = keys["kodare_A"] & keys["kodare_B"]
    assert 0.7 < len(same) / len(keys["kodare_A"]) < 0.98
    only_a = keys["kodare_A"] - keys["kodare_B"]
    spans_b = {(s, a_, b_) for s, a_, b_, _c in keys["kodare_B"]}
    codes_b = {(s, a_, b_, c) for s, a_, b_, c in keys["kodare_B"]}
    assert any((s, a_, b_) in spans_b and (s, a_, b_, c) not in codes_b for s, a_, b_, c in only_a)  # other code
    assert any((s, a_, b_) not in spans_b for s, a_, b_, c in only_a)  # missed or trimmed
    trimmed = [k for k in keys["kodare_B"] - same
               if any(k[0] == s and k[3] == c and a_ <= k[1] and k[2] <= b_ and (a_, b_) != (k[1], k[2])
                      for s, a_, b_, c in only_a)]
    assert trimmed


# ------------------------------------------------------------------------------------- codings reader
def test_sentence_spans_drop_speaker_labels():
    text = "Intervjuare: Hur gick det?\r\nSvar: Bra. Det gick bra!  Tack…\n\nSlut"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Hur gick det?", "Bra.", "Det gick bra!", "Tack…", "Slut"]


def _bad(tmp_path: Path, rows: list[str]) -> str:
    path = tmp_path / "kodningar.csv"
    path.write_text("interview_id;start;end;code_id;coder\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_codings_csv(path, QUAL / "transkript", QUAL / "kodbok.yml", INTERVIEWS)
    return str(caught.value)


def test_coding_past_the_end_of_its_transcript(tmp_path):
    length = len((QUAL / "transkript" / "I03.txt").read_text(encoding="utf-8"))
    message = _bad(tmp_path, ["I01;41;69;tidigt_stod;kodare_A", f"I03;10;{length + 1};chefsbyten;kodare_A"])
    assert "kodningar.csv" in message and "row 3" in message and "I03.txt" in message
    assert "past the end" in message and f"({length} characters)" in message and "'chefsbyten'" in message


def test_unknown_code_id(tmp_path):
    message = _bad(tmp_path, ["I01;41;69;ingen_sadan_kod;kodare_A"])
    assert "kodningar.csv" in message and "row 2" in message and "'ingen_sadan_kod'" in message
    assert "unknown code id" in message and "kodbok.yml" in message


def test_unknown_interview_id(tmp_path):
    message = _bad(tmp_path, ["I01;41;69;tidigt_stod;kodare_A", "I01;70;80;tidigt_stod;kodare_B",
                              "I99;41;69;tidigt_stod;kodare_A"])
    assert "kodningar.csv" in message and "row 4" in message and "'I99'" in message
    assert "unknown interview id" in message and "intervjuer.csv" in message


@pytest.mark.parametrize("start, end", [(69, 69), (70, 41)])
def test_start_not_before_end(tmp_path, start, end):
    message = _bad(tmp_path, [f"I02;{start};{end};chefsbyten;kodare_B"])
    assert "kodningar.csv" in message and "row 2" in message and "I02" in message and "'chefsbyten'" in message
    assert f"({start} ≥ {end})" in message


def test_overlapping_duplicate_codings(tmp_path):
    rows = ["I05;100;200;tidigt_stod;kodare_A", "I05;150;250;tidigt_stod;kodare_B",  # other coder: fine
            "I05;150;250;deltid_i_stallet;kodare_A",  # other code: fine
            "I05;200;260;tidigt_stod;kodare_A",  # touches, does not overlap: fine
            "I05;199;201;tidigt_stod;kodare_A"]  # overlaps rows 2 and 5
    message = _bad(tmp_path, rows)
    assert "kodningar.csv" in message and "row 6" in message and "row 2" in message
    assert "kodare_A coded 'tidigt_stod' twice on overlapping text in I05" in message


@pytest.mark.parametrize("row, needle", [
    ("I01;41;69;fungerar;kodare_A", "'fungerar' is a theme"),
    ("I01;4x;69;tidigt_stod;kodare_A", "column 'start': not a character offset"),
    ("I01;41;69;tidigt_stod;", "column 'coder': value is missing"),
])
def test_other_bad_rows(tmp_path, row, needle):
    message = _bad(tmp_path, [row])
    assert "kodningar.csv" in message and "row 2" in message and needle in message


def test_comma_separated_file_and_transcript_without_interview(tmp_path):
    path = tmp_path / "codings.csv"
    path.write_text("interview_id,start,end,code_id,coder\nI01,247,335,samtycke_helhet,x\n", encoding="utf-8-sig")
    corpus = read_codings_csv(path, QUAL / "transkript", QUAL / "kodbok.yml", INTERVIEWS)
    assert len(corpus.codings) == 1 and list(corpus.coders["name"]) == ["x"]
    folder = tmp_path / "transkript"
    shutil.copytree(QUAL / "transkript", folder)
    (folder / "I77.txt").write_text("Hej.", encoding="utf-8")
    with pytest.raises(InputError, match="I77.txt has no row in the interview list"):
        read_codings_csv(path, folder, QUAL / "kodbok.yml", INTERVIEWS)
