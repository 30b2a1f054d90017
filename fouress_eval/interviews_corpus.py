"""Getting the interview corpus for the interview report (``03_interviews``): finding and loading
it, selecting a site, saying why there is none, and the report's opening block.

The qualitative corpus is not part of the prepared data folder: :func:`load_corpus` reads it
from a raw folder (codebook ``kodbok.yml``, transcripts ``transkript/<interview_id>.txt``,
codings ``kodningar.csv``) and the interview list next to it (``intervjuer.csv``), by default
the synthetic demo under ``<project>/data_raw/demo/qual``. :func:`select` keeps the interviews of
a municipality, a county or a list of them; :func:`missing_reason` says in one sentence why a
report has no interviews to show; :func:`header_markdown` opens the report with the corpus files
as its sources. The display tables are in :mod:`fouress_eval.interviews_report`, which
re-exports every public name of this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import report
from .config import find_project_root
from .errors import InputError
from .labels import label, register
from .qual.codings import read_codings_csv
from .qual.corpus import Corpus
from .qual.demo_corpus import SYNTHETIC_MARK
from .sites import site_codes, site_municipalities, site_names
from .store import sha256

__all__ = ["load_corpus", "resolve_qual_dir", "select", "missing_reason", "header_markdown",
           "CODEBOOK", "CODINGS", "TRANSCRIPTS"]

CODEBOOK = "kodbok.yml"
CODINGS = "kodningar.csv"
TRANSCRIPTS = "transkript"

register({
    "ir_title": {"sv": "Intervjuer: teman, överensstämmelse och citat",
                 "en": "Interviews: themes, agreement and quotes"},
    "ir_transcripts": {"sv": "transkript", "en": "transcripts"},
    "ir_not_configured": {"sv": "Utvärderingen har inga intervjuer (konfigurationen saknar avsnittet `interviews`).",
                          "en": "The evaluation has no interviews (its configuration has no `interviews` section)."},
    "ir_missing_folder": {"sv": "Utvärderingen har inga intervjuer: mappen {folder} finns inte.",
                          "en": "The evaluation has no interviews: the folder {folder} does not exist."},
    "ir_missing_files": {"sv": "Intervjuerna är inte kodade: mappen {folder} saknar {files}.",
                         "en": "The interviews are not coded: the folder {folder} lacks {files}."},
    "ir_missing_list": {"sv": "Det finns ingen intervjulista (intervjuer.csv) bredvid mappen {folder}.",
                        "en": "There is no interview list (intervjuer.csv) next to the folder {folder}."},
    "ir_missing_corpus": {"sv": "Intervjulistan innehåller inga intervjuer.",
                          "en": "The interview list holds no interviews."},
    "ir_missing_site": {"sv": "Det finns inga intervjuer från {site} i intervjulistan.",
                        "en": "There are no interviews from {site} in the interview list."},
})


# ---------------------------------------------------------------------------------------------
# loading and selecting
# ---------------------------------------------------------------------------------------------
def resolve_qual_dir(qual_dir: str | Path | None = None) -> Path:
    """``qual_dir`` as given, or ``<project root>/data_raw/demo/qual`` when empty."""
    if qual_dir:
        return Path(qual_dir).expanduser().resolve()
    return find_project_root() / "data_raw" / "demo" / "qual"


def _interview_list(qual_dir: Path) -> Path:
    for folder in (qual_dir.parent, qual_dir):
        for pattern in ("intervjuer*.csv", "intervjuer*.xlsx"):
            found = sorted(folder.glob(pattern))
            if found:
                return found[0]
    raise InputError("interview list not found", file=qual_dir.parent,
                     expected="intervjuer.csv (or .xlsx) in the raw folder that holds the qual folder")


def load_corpus(qual_dir: str | Path | None = None, interviews: str | Path | None = None) -> Corpus:
    """The coded interview corpus of ``qual_dir`` (``kodbok.yml``, ``transkript/``, ``kodningar.csv``)
    with the interview list ``interviews`` (default: ``intervjuer.csv`` in the folder above ``qual_dir``).

    Both default to the synthetic demo. The corpus carries ``input_files`` (the files read) and
    ``synthetic`` (every transcript carries the demo's synthetic mark) for the report header.
    """
    folder = resolve_qual_dir(qual_dir)
    if not folder.is_dir():
        raise InputError("interview corpus folder not found", file=folder,
                         expected=f"a folder with {CODEBOOK}, {CODINGS} and {TRANSCRIPTS}/")
    listing = Path(interviews).expanduser().resolve() if interviews else _interview_list(folder)
    corpus = read_codings_csv(folder / CODINGS, folder / TRANSCRIPTS, folder / CODEBOOK, listing)
    transcripts = sorted((folder / TRANSCRIPTS).glob("*.txt"))
    corpus.input_files = [folder / CODEBOOK, folder / CODINGS, listing, *transcripts]
    corpus.synthetic = bool(len(corpus.sources)) and all(
        str(t).lstrip("\ufeff").startswith(SYNTHETIC_MARK) for t in corpus.sources["text"])
    return corpus


def _is_all(code: object) -> bool:
    return code is None or (isinstance(code, str) and code in ("", "all"))


def _site_label(code: object) -> str:
    return ", ".join(site_codes(code))


def select(corpus: Corpus, code: str | Sequence[str] | None) -> Corpus:
    """The interviews of a site, or the whole corpus for ``"all"``/``None``.

    ``code``: a municipality (code or name), a county (2-digit code or name such as "Uppsala
    län": every municipality of the county), or a list of them. Codebook and coders are kept whole
    (a coder who coded nothing in the selection still read it). No interview in the selection is
    an :class:`InputError` (:func:`missing_reason` says it in a sentence for the report).
    """
    if _is_all(code):
        return corpus
    wanted = site_municipalities(code)
    sources = corpus.sources[corpus.sources["municipality_code"].isin(wanted)].reset_index(drop=True)
    if sources.empty:
        raise InputError(f"no interviews from {site_names(code)} ({_site_label(code)}) in the corpus", value=code,
                         expected="a municipality or county of the interview list, or 'all'")
    codings = corpus.codings[corpus.codings["source_guid"].isin(sources["guid"])].reset_index(drop=True)
    out = Corpus(codes=corpus.codes, sources=sources, coders=corpus.coders, codings=codings, sets=corpus.sets,
                 name=f"{corpus.name} ({_site_label(code)})")
    out.input_files = getattr(corpus, "input_files", [])
    out.synthetic = getattr(corpus, "synthetic", False)
    return out


def _shown_path(folder: Path) -> str:
    """A folder as the evaluator knows it: relative to the project root when inside it."""
    try:
        return folder.resolve().relative_to(find_project_root()).as_posix()
    except ValueError:
        return folder.as_posix()


def missing_reason(source: str | Path | Corpus | None, code: str | Sequence[str] | None = None, *,
                   language: str = "sv") -> str | None:
    """None when there are interviews to show, else one plain sentence saying why the section is empty.

    ``source``: the qual folder (it may not exist; empty means the demo folder, as
    :func:`load_corpus`) or a loaded corpus; ``code``: a site as :func:`select` takes (``None`` or
    ``"all"``: the whole corpus). A folder that exists with every file is loaded, so a broken file
    is still an :class:`InputError`, not a missing section.
    """
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")
    corpus = source
    if not isinstance(source, Corpus):
        folder = resolve_qual_dir(source)
        shown = _shown_path(folder)
        if not folder.is_dir():
            return label("ir_missing_folder", language).format(folder=shown)
        lacking = [name + ("/" if name == TRANSCRIPTS else "") for name in (CODEBOOK, CODINGS, TRANSCRIPTS)
                   if not (folder / name).exists()]
        if lacking:
            files = (" och " if language == "sv" else " and ").join(
                [", ".join(lacking[:-1]), lacking[-1]] if len(lacking) > 1 else lacking)
            return label("ir_missing_files", language).format(folder=shown, files=files)
        try:
            _interview_list(folder)
        except InputError:
            return label("ir_missing_list", language).format(folder=shown)
        corpus = load_corpus(folder)
    if corpus.sources.empty:
        return label("ir_missing_corpus", language)
    if not _is_all(code) and not corpus.sources["municipality_code"].isin(site_municipalities(code)).any():
        return label("ir_missing_site", language).format(site=site_names(code, language))
    return None

# ---------------------------------------------------------------------------------------------
# report header
# ---------------------------------------------------------------------------------------------
def _inputs(files: list[Path], language: str) -> list[dict]:
    """Manifest-style inputs: single files with their SHA-256, the transcripts as one combined digest."""
    entries, transcripts = [], []
    for path in files:
        if path.parent.name == TRANSCRIPTS and path.suffix == ".txt":
            transcripts.append(path)
        else:
            entries.append({"file": path.name, "sha256": sha256(path)})
    if transcripts:
        digest = hashlib.sha256()
        for path in sorted(transcripts):
            digest.update(f"{path.name}:{sha256(path)}\n".encode())
        entries.append({"file": f"{TRANSCRIPTS}/*.txt ({len(transcripts)} {label('ir_transcripts', language)})",
                        "sha256": digest.hexdigest()})
    return entries


def header_markdown(manifest: dict, corpus: Corpus | None, code: str, parameters: dict, *, title: str | None = None,
                    language: str = "sv", evaluation: str | None = None) -> str:
    """The report's opening block (:func:`fouress_eval.report.header_markdown`) for the interviews.

    The period is that of the interview dates; the sources are the corpus files (codebook,
    codings, interview list, transcripts as one digest) rather than the prepared tables; the
    synthetic banner follows the corpus. ``code="all"`` names all project municipalities; a county
    code names the county. ``corpus`` None (no interviews, see :func:`missing_reason`) gives the
    block without period and sources. ``evaluation``: the evaluation's title, stated when given.
    """
    title = title or label("ir_title", language)
    sources = corpus.sources if corpus is not None else pd.DataFrame({"date": []})
    dates = pd.to_datetime(sources["date"], errors="coerce").dropna()
    tables = {"interviews": pd.DataFrame({"month": dates.dt.to_period("M")})}
    shown = dict(manifest)
    shown["inputs"] = _inputs(list(getattr(corpus, "input_files", [])), language) if corpus is not None else []
    shown["synthetic"] = bool(getattr(corpus, "synthetic", False)) if corpus is not None else bool(
        manifest.get("synthetic"))
    return report.header_markdown(shown, "all" if _is_all(code) else code, parameters, tables,
                                  title=title, language=language, evaluation=evaluation)
