"""A synthetic qualitative demo: codebook, 30 invented interview transcripts and two coders' codings.

``write_demo_corpus(out_dir, seed=2017)`` writes into ``out_dir`` (normally
``data_raw/demo/qual/``, a subfolder that ``prepare`` passes over):

- ``kodbok.yml`` — the codebook of the recurring 4-Ess themes (DESIGN.md section 3);
- ``transkript/I01.txt`` … — one short transcript per interview of ``intervjuer.csv``, 6–12
  answer sentences in the voice of the interviewee's role, assembled from sentence templates
  written for this package (invented text: no sentence is taken from any report, no real person
  is named). Each file starts with the line ``[Syntetisk demointervju – påhittad text]``;
- ``kodningar.csv`` — codings by ``kodare_A`` and ``kodare_B`` (``;``-separated, UTF-8):
  interview_id, start, end (Unicode character offsets into the transcript, end exclusive),
  code_id, coder. kodare_A codes each templated sentence with the template's code(s), exactly
  on the sentence. kodare_B agrees most of the time but sometimes misses a segment, picks a
  neighbouring code, trims a span by a word or the final full stop, or codes an extra sentence.

The output is byte-identical for the same seed and interview list; the committed
``data_raw/demo/qual/`` is ``write_demo_corpus("data_raw/demo/qual", seed=2017)``.

The machinery is general: a :class:`CorpusSpec` holds a codebook, sentence templates, fillers,
role propensities and coder mix-ups, and :func:`write_corpus` writes any spec's corpus for any
interview list (the sister projects' corpora in :mod:`fouress_eval.demo.sister_corpus` use it);
:data:`FOURESS_CORPUS` is the 4-Ess spec that :func:`write_demo_corpus` writes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..io import read_interviews
from ..municipalities import municipality_name
from . import corpus_fouress as F
from .codebook import codebook_from_entries, write_codebook

__all__ = ["write_demo_corpus", "write_corpus", "demo_codebook", "CorpusSpec", "FOURESS_CORPUS",
           "SYNTHETIC_MARK", "CODERS"]

SYNTHETIC_MARK = "[Syntetisk demointervju – påhittad text]"
CODERS = ("kodare_A", "kodare_B")
@dataclass(frozen=True)
class CorpusSpec:
    """What a synthetic corpus is made of: codebook, sentence templates and how the coders behave.

    ``templates`` are ``(codes, role key or "*", sentence)``; ``role_key`` maps a role id of the
    interview list to the role keys used by ``templates``, ``fillers`` (uncoded background sentences)
    and ``propensity`` (relative weight of each code for that role; a template is only drawn when all
    its codes have a weight). ``confused`` is kodare_B's most likely mix-up per code and
    ``extra_codes`` the two codes kodare_B now and then puts on a background sentence. ``questions``
    holds the interviewer's question per block (``intro``, ``positive``, ``negative``, ``neutral``);
    a coded sentence goes to the block of its first code's valence (inherited from the themes).
    ``role_titles`` are the Swedish role names of the transcript heading; ``group_title`` (e.g.
    ``"Fokusgrupp"``) replaces the word "Intervju" in the heading of group interviews when given.
    ``code_from`` maps a code to the first date (``YYYY-MM-DD``) an interview can raise it (a
    pandemic theme not before 2020-03): earlier interviews draw no template with that code, and
    kodare_B does not mix another code up with it.
    """

    name: str
    header: str
    themes: tuple[dict, ...]
    codes: tuple[dict, ...]
    templates: tuple[tuple[tuple[str, ...], str, str], ...]
    fillers: dict[str, list[str]]
    propensity: dict[str, dict[str, float]]
    confused: dict[str, str]
    role_key: dict[str, str]
    role_titles: dict[str, str]
    questions: dict[str, str]
    extra_codes: tuple[str, str]
    group_title: str | None = None
    code_from: dict[str, str] = field(default_factory=dict)

    def available(self, code: str, date: object) -> bool:
        """Whether an interview held on ``date`` (missing: any date) can raise ``code``."""
        return code not in self.code_from or pd.isna(date) or pd.Timestamp(date) >= pd.Timestamp(self.code_from[code])

    def codebook(self) -> pd.DataFrame:
        """The codebook as a codes table."""
        entries = [{**t, "_kind": "theme"} for t in self.themes] + [{**c, "_kind": "code"} for c in self.codes]
        return codebook_from_entries(entries)

    def valence(self) -> dict[str, str]:
        """Code id → the valence of its nearest ancestor (or itself) that states one."""
        entries = {e["id"]: e for e in (*self.themes, *self.codes)}

        def resolve(key: str) -> str:
            entry = entries[key]
            if entry.get("valence"):
                return entry["valence"]
            return resolve(entry["parent"]) if entry.get("parent") else "neutral"
        return {c["id"]: resolve(c["id"]) for c in self.codes}


FOURESS_CORPUS = CorpusSpec(
    name="4-Ess kodbok (syntetisk demo)", header=F.HEADER, themes=tuple(F.THEMES), codes=tuple(F.CODES),
    templates=tuple(F.TEMPLATES), fillers=F.FILLERS, propensity=F.PROPENSITY, confused=F.CONFUSED,
    role_key=F.ROLE_KEY, role_titles=F.ROLE_TITLES, questions=F.QUESTIONS,
    extra_codes=("utbildningsblock", "svag_forankring"))


def demo_codebook() -> pd.DataFrame:
    """The demo codebook as a codes table."""
    return FOURESS_CORPUS.codebook()


class _Draw:
    """Deterministic draws from ``random.Random(seed).random()`` only (stable across Python versions)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def uniform(self) -> float:
        return self._random.random()

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + min(int(self.uniform() * (high - low + 1)), high - low)

    def weighted(self, weights: list[float]) -> int:
        total = sum(weights)
        target, cumulative = self.uniform() * total, 0.0
        for i, w in enumerate(weights):
            cumulative += w
            if target < cumulative:
                return i
        return len(weights) - 1


def _plan(spec: CorpusSpec, role: str, draw: _Draw,
          date: object = None) -> tuple[list[str], list[tuple[tuple[str, ...], str]]]:
    """Filler sentences and coded (codes, sentence) pairs for one interview (held on ``date``)."""
    key = spec.role_key[role]
    propensity = spec.propensity[key]
    fillers = list(spec.fillers[key])
    n_fill = draw.integer(1, min(3, len(fillers)))
    chosen_fill = []
    for _ in range(n_fill):
        chosen_fill.append(fillers.pop(draw.integer(0, len(fillers) - 1)))
    pool = [(codes, text) for codes, roles, text in spec.templates if roles in ("*", key)
            and all(c in propensity and spec.available(c, date) for c in codes)]
    n_coded = min(draw.integer(5, 9), len(pool))
    chosen = []
    for _ in range(n_coded):
        weights = [sum(propensity[c] for c in codes) / len(codes) for codes, _text in pool]
        chosen.append(pool.pop(draw.weighted(weights)))
    return chosen_fill, chosen


def _transcript(spec: CorpusSpec, row: pd.Series, draw: _Draw,
                valence: dict[str, str]) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
    """The transcript text and kodare_A's (start, end, codes) per coded sentence."""
    fill, coded = _plan(spec, row["role"], draw, row.get("date"))
    word = spec.group_title if spec.group_title and row.get("mode") == "group" else "Intervju"
    head = (f"{SYNTHETIC_MARK}\n{word} {row['interview_id']} – {spec.role_titles[row['role']]}, "
            f"{municipality_name(row['municipality_code'])}\n\n")
    text = head
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    blocks = [("intro", [((), s) for s in fill])]
    for block in ("positive", "negative", "neutral"):
        blocks.append((block, [(codes, s) for codes, s in coded if valence[codes[0]] == block]))
    for question, sentences in blocks:
        if not sentences:
            continue
        text += spec.questions[question] + "\n" + "Svar: "
        for i, (codes, sentence) in enumerate(sentences):
            if i:
                text += " "
            if codes:
                spans.append((len(text), len(text) + len(sentence), codes))
            text += sentence
        text += "\n\n"
    return text.rstrip("\n") + "\n", spans


def _coder_b(spec: CorpusSpec, text: str, spans: list[tuple[int, int, tuple[str, ...]]], draw: _Draw,
             date: object = None) -> list[tuple[int, int, str]]:
    """kodare_B's codings: mostly kodare_A's, with misses, mix-ups, trimmed spans and an extra now and then."""
    out = []
    for first, last, codes in spans:
        for code in codes:
            start, end = first, last
            u = draw.uniform()
            if u < 0.07:
                continue  # missed
            if u < 0.14:
                other = spec.confused.get(code, code)
                if other not in codes and spec.available(other, date):
                    code = other
            elif u < 0.19:
                first_space = text.find(" ", start, end)
                start = first_space + 1 if first_space > 0 else start  # starts one word later
            elif u < 0.23:
                end = end - 1  # leaves out the final full stop
            out.append((start, end, code))
    return out


def _extra_b(spec: CorpusSpec, fill_spans: list[tuple[int, int]], draw: _Draw) -> list[tuple[int, int, str]]:
    """Now and then kodare_B codes a background sentence that kodare_A left alone."""
    out = []
    for start, end in fill_spans:
        if draw.uniform() < 0.08:
            out.append((start, end, spec.extra_codes[0] if draw.uniform() < 0.5 else spec.extra_codes[1]))
    return out


def write_demo_corpus(out_dir: str | Path, seed: int = 2017, *, interviews_path: str | Path | None = None) -> Path:
    """Write the synthetic 4-Ess codebook, transcripts and codings into ``out_dir`` (see module docstring).

    ``interviews_path`` defaults to ``intervjuer.csv`` in the parent of ``out_dir`` (the demo
    folder). Returns ``out_dir``.
    """
    return write_corpus(out_dir, FOURESS_CORPUS, seed, interviews_path=interviews_path)


def write_corpus(out_dir: str | Path, spec: CorpusSpec, seed: int = 2017, *,
                 interviews_path: str | Path | None = None) -> Path:
    """Write the codebook, transcripts and two coders' codings of ``spec`` into ``out_dir``.

    One transcript per interview of ``interviews_path`` (default: ``intervjuer.csv`` in the parent
    of ``out_dir``); every role of that list must be a key of ``spec.role_key``. Byte-identical
    output for the same seed, spec and interview list. Returns ``out_dir``.
    """
    out = Path(out_dir)
    interviews_path = Path(interviews_path) if interviews_path is not None else out.parent / "intervjuer.csv"
    if not interviews_path.is_file():
        raise InputError("interview list not found", file=interviews_path,
                         expected="intervjuer.csv beside the qual folder (write the demo first)")
    interviews = read_interviews(interviews_path).sort_values("interview_id", kind="stable")
    unknown = sorted(set(interviews["role"]) - set(spec.role_key))
    if unknown:
        raise InputError("the corpus has no sentence templates for this role", file=interviews_path,
                         column="Roll", value=unknown[0], expected="one of " + ", ".join(spec.role_key))
    draw = _Draw(seed)
    valence = spec.valence()
    transcripts = out / "transkript"
    transcripts.mkdir(parents=True, exist_ok=True)
    write_codebook(spec.codebook(), out / "kodbok.yml", name=spec.name, header=spec.header)
    rows: list[tuple[str, int, int, str, str]] = []
    for _, row in interviews.iterrows():
        text, spans = _transcript(spec, row, draw, valence)
        with (transcripts / f"{row['interview_id']}.txt").open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        for start, end, codes in spans:
            rows.extend((row["interview_id"], start, end, code, CODERS[0]) for code in codes)
        b = _coder_b(spec, text, spans, draw, row.get("date"))
        coded = {(s, e) for s, e, _c in spans}
        fill_spans = [span for span in _sentence_spans_in_answers(text) if span not in coded]
        b += _extra_b(spec, fill_spans, draw)
        rows.extend((row["interview_id"], s, e, c, CODERS[1]) for s, e, c in b)
    rows.sort(key=lambda r: (r[0], r[1], r[4], r[3]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["interview_id", "start", "end", "code_id", "coder"])
    writer.writerows(rows)
    with (out / "kodningar.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    return out


def _sentence_spans_in_answers(text: str) -> list[tuple[int, int]]:
    """Sentence spans on the ``Svar:`` lines (the demo's own layout: sentences joined by one space)."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.startswith("Svar: "):
            position = offset + len("Svar: ")
            # sentences end with '.', '?' or '!' followed by a space
            body = line[len("Svar: "):]
            start = 0
            for i, ch in enumerate(body):
                if ch in ".?!" and (i + 1 == len(body) or body[i + 1] == " "):
                    spans.append((position + start, position + i + 1))
                    start = i + 2
        offset += len(line) + 1
    return spans
