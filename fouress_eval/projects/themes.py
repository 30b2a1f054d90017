"""The themes the projects' interviews share (see :func:`shared_themes`).

Each project has its own codebook, so the comparison is made explicit by a mapping file (default
:data:`SHARED_THEMES`, ``fouress_eval/data/shared_themes.yml``; :func:`load_shared_themes` validates
it) from a cross-project theme to each evaluation's code ids. :func:`theme_counts` counts, per theme
and evaluation, the interviews in which the first coder applied at least one of the codes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import interviews_report as ir
from ..config import find_project_root
from ..errors import InputError
from ..evaluation import Evaluation, list_evaluations, load_evaluation
from ..labels import label, register
from ..qual import tallies
from ..qual.codebook import descendants, read_codebook
from ..yaml_check import Check, read_yaml
from .inputs import _check_language, _corpus, _evaluations, _root

__all__ = ["SHARED_THEMES", "SharedTheme", "load_shared_themes", "theme_counts", "shared_themes"]

_PACKAGE = Path(__file__).resolve().parents[1]
#: the packaged mapping of cross-project themes to each evaluation's code ids
SHARED_THEMES = _PACKAGE / "data" / "shared_themes.yml"

register({
    "pj_theme": {"sv": "Tema", "en": "Theme"},
    "pj_theme_projects": {"sv": "Projekt där temat förekommer", "en": "Projects raising the theme"},
    "pj_no_code": {"sv": "ingen kod", "en": "no code"},
    "pj_of": {"sv": "{k} av {n}", "en": "{k} of {n}"},
    "pj_themes_note": {
        "sv": "Antal intervjuer där minst en av temats koder användes (första kodaren) och andel av projektets "
              "intervjuer (n). – = projektet har inga kodade intervjuer; \"ingen kod\" = projektets kodbok har "
              "ingen kod för temat. Vilka koder som hör till ett tema står i {mapping}. Små antal visas: de anger "
              "vilka teman intervjuerna tog upp, inte uppgifter om en person.",
        "en": "Interviews in which at least one of the theme's codes was applied (first coder) and their share of "
              "the project's interviews (n). – = the project has no coded interviews; \"no code\" = the project's "
              "codebook has no code for the theme. Which codes belong to a theme is set in {mapping}. Small "
              "counts are shown: they tell which themes the interviews raised, not facts about a person."},
})


@dataclass(frozen=True)
class SharedTheme:
    """A cross-project theme: ``codes`` maps an evaluation name to the code ids of its codebook that
    express the theme (a theme id of the codebook stands for every code below it)."""
    id: str
    label_sv: str
    label_en: str
    codes: dict[str, tuple[str, ...]]
    description: str | None = None


def _codebook_path(evaluation: Evaluation) -> Path | None:
    """The evaluation's codebook file (``interviews.codebook``, else ``kodbok.yml`` in its corpus folder)."""
    if evaluation.codebook:
        return _root(evaluation) / evaluation.codebook
    if evaluation.corpus:
        return _root(evaluation) / evaluation.corpus / ir.CODEBOOK
    return None


def load_shared_themes(path: str | Path | None = None, *, root: str | Path | None = None,
                       evaluations: Iterable[Evaluation] = ()) -> tuple[SharedTheme, ...]:
    """Read and validate a shared-themes mapping (default :data:`SHARED_THEMES`).

    The file holds ``themes:``, a list of ``{id, label_sv, label_en, description?, codes}`` where
    ``codes`` maps evaluation names to lists of code ids. Every evaluation name must be one of
    ``<root>/evaluations/*.yml`` (or of ``evaluations``) with interviews in its configuration, and
    every code id must be in that evaluation's codebook when the codebook file exists (a project
    whose demo data are not written yet is checked once they are). Anything else is an
    :class:`InputError` naming the file, the key (with its line) and the values expected.
    """
    file = Path(path) if path else SHARED_THEMES
    if not file.is_file():
        raise InputError("shared-themes mapping not found", file=file,
                         expected="a YAML file like fouress_eval/data/shared_themes.yml")
    data, lines = read_yaml(file)
    fail = Check(file, lines).fail

    if not isinstance(data, dict) or "themes" not in data:
        raise fail("themes", "is missing", None, "a top-level 'themes:' list")
    unknown = [k for k in data if k not in ("themes", "name", "description")]
    if unknown:
        raise fail(str(unknown[0]), "unknown key", unknown[0], "themes (and optionally name, description)")
    if not isinstance(data["themes"], list) or not data["themes"]:
        raise fail("themes", "must be a non-empty list ('- ' lines)", data["themes"], "a list of themes")
    given = {e.name: e for e in evaluations}
    roots = {_root(e) for e in given.values()} or {Path(root or find_project_root())}
    if root is not None:
        roots.add(Path(root))
    known: dict[str, Path] = {}
    for folder in sorted(roots):
        for name in list_evaluations(folder):
            known.setdefault(name, folder)
    names = sorted(set(known) | set(given))
    loaded: dict[str, Evaluation] = dict(given)
    codebooks: dict[str, set[str] | None] = {}

    def evaluation_of(name: str) -> Evaluation:
        if name not in loaded:
            loaded[name] = load_evaluation(name, root=known[name])
        return loaded[name]

    def codebook_ids(key: str, name: str) -> set[str] | None:
        """The evaluation's code ids; None when its codebook file does not exist (yet)."""
        if name not in codebooks:
            codebook = _codebook_path(evaluation_of(name))
            if codebook is None:
                with_interviews = [n for n in names if _codebook_path(evaluation_of(n)) is not None]
                raise fail(key, "names an evaluation without interviews", name,
                           "an evaluation whose configuration names interviews (interviews.corpus/codebook): "
                           + (", ".join(with_interviews) or "none"))
            codebooks[name] = (set(map(str, read_codebook(codebook)["code_id"].dropna()))
                               if codebook.is_file() else None)
        return codebooks[name]

    themes: list[SharedTheme] = []
    allowed = ("id", "label_sv", "label_en", "description", "codes")
    for i, raw in enumerate(data["themes"]):
        where = f"themes[{i}]"
        if not isinstance(raw, dict):
            raise fail(where, "must be a mapping", raw, ", ".join(allowed))
        for key in raw:
            if key not in allowed:
                raise fail(f"{where}.{key}", "unknown key", key, "one of " + ", ".join(allowed))
        for key in ("id", "label_sv", "label_en", "codes"):
            if raw.get(key) in (None, "", [], {}):
                raise fail(f"{where}.{key}", "is missing", None, "a value: this key is required")
        theme_id = str(raw["id"])
        if not re.fullmatch(r"[a-z][a-z0-9_]*", theme_id):
            raise fail(f"{where}.id", "is not a valid theme id", theme_id, "lower-case letters, digits and _")
        if theme_id in {t.id for t in themes}:
            raise fail(f"{where}.id", "repeats a theme id", theme_id, "each theme id once")
        if not isinstance(raw["codes"], dict):
            raise fail(f"{where}.codes", "must map evaluation names to lists of code ids", raw["codes"],
                       "lines such as 'fouress: [tidigt_stod]'")
        codes = {}
        for name, ids in raw["codes"].items():
            key = f"{where}.codes.{name}"
            if str(name) not in names:
                raise fail(key, "unknown evaluation", name,
                           "one of " + (", ".join(names) or "none (evaluations/ is empty)")
                           + " (for other evaluations, write a mapping of their own and pass its path)")
            if isinstance(ids, str):
                ids = [ids]
            if not isinstance(ids, list) or not ids:
                raise fail(key, "must be a non-empty list of code ids", ids, "e.g. [tidigt_stod, deltid_i_stallet]")
            valid = codebook_ids(key, str(name))
            for j, code in enumerate(ids):
                if valid is not None and str(code) not in valid:
                    raise fail(f"{key}[{j}]", f"unknown code id in the codebook of {name}", code,
                               "one of " + ", ".join(sorted(valid)))
            codes[str(name)] = tuple(dict.fromkeys(map(str, ids)))
        themes.append(SharedTheme(theme_id, str(raw["label_sv"]), str(raw["label_en"]), codes,
                                  None if raw.get("description") is None else str(raw["description"])))
    return tuple(themes)


def _mapping_path(mapping: str | Path | None) -> str:
    """The mapping file as the note names it: relative to the folder holding the package when inside it."""
    file = Path(mapping) if mapping else SHARED_THEMES
    try:
        return file.resolve().relative_to(_PACKAGE.parent).as_posix()
    except ValueError:
        return file.as_posix()


def theme_counts(evaluations: Iterable[Evaluation | str] | None = None, mapping: str | Path | None = None
                 ) -> pd.DataFrame:
    """Per theme × evaluation (mapping order × evaluation order): ``theme``, ``label_sv``,
    ``label_en``, ``evaluation``, ``title``, ``codes`` (the mapped code ids, ";"-joined), ``status``
    (``counted``; ``no_interviews`` when the evaluation has no coded interviews; ``no_code`` when the
    mapping gives it no code for the theme), ``interviews`` (interviews in which the first coder
    applied at least one of the codes, or a code below a mapped theme id), ``total`` (the
    evaluation's interviews) and ``share`` = interviews / total."""
    chosen = _evaluations(evaluations)
    themes = load_shared_themes(mapping, evaluations=chosen)
    rows = []
    for evaluation in chosen:
        corpus, _reason = _corpus(evaluation)
        if corpus is not None:
            codes = tallies.code_table(corpus)
            guid_of = dict(zip(codes["code"], codes["guid"]))
            below = descendants(corpus.codes)
            selected = tallies.select_codings(corpus, None)  # the first coder
            by_code = selected.groupby("code_guid")["source_guid"].agg(set).to_dict()
        for theme in themes:
            ids = theme.codes.get(evaluation.name, ())
            row = {"theme": theme.id, "label_sv": theme.label_sv, "label_en": theme.label_en,
                   "evaluation": evaluation.name, "title": evaluation.title, "codes": ";".join(ids),
                   "status": "counted", "interviews": None, "total": None, "share": None}
            if corpus is None:
                row["status"] = "no_interviews"
            elif not ids:
                row.update(status="no_code", total=len(corpus.sources))
            else:
                missing = [c for c in ids if c not in guid_of]
                if missing:
                    raise InputError(f"the shared-themes mapping names a code that is not in the corpus of "
                                     f"{evaluation.name}", file=Path(mapping) if mapping else SHARED_THEMES,
                                     column=f"{theme.id}.codes.{evaluation.name}", value=missing[0],
                                     expected="one of " + ", ".join(codes["code"]))
                guids = {g for c in ids for g in below[guid_of[c]]}
                sources = set().union(*(by_code.get(g, set()) for g in guids))
                total = len(corpus.sources)
                row.update(interviews=len(sources), total=total, share=len(sources) / total if total else math.nan)
            rows.append(row)
    out = pd.DataFrame(rows, columns=["theme", "label_sv", "label_en", "evaluation", "title", "codes", "status",
                                      "interviews", "total", "share"])
    out["interviews"] = out["interviews"].astype("Int64")
    out["total"] = out["total"].astype("Int64")
    out["share"] = out["share"].astype(float)
    return out


def shared_themes(evaluations: Iterable[Evaluation | str] | None = None, language: str = "sv",
                  mapping: str | Path | None = None) -> pd.DataFrame:
    """Theme (rows, in the mapping's order) × evaluation (columns "title (n=interviews)"): the number
    of interviews in which at least one of the theme's codes was applied (first coder) and its share
    of the evaluation's interviews, as "9 (75 %)"; "–" when the evaluation has no coded interviews,
    "ingen kod"/"no code" when the mapping gives it no code for the theme. The last column counts the
    projects whose interviews raise the theme, of those that have a code for it."""
    _check_language(language)
    counts = theme_counts(evaluations, mapping)
    theme_order = list(dict.fromkeys(counts["theme"]))
    names = dict(zip(counts["theme"], counts[f"label_{language}"]))
    table = pd.DataFrame(index=pd.Index([names[t] for t in theme_order], name=label("pj_theme", language)))
    for evaluation in dict.fromkeys(counts["evaluation"]):
        part = counts[counts["evaluation"] == evaluation].set_index("theme").reindex(theme_order)
        total = part["total"].dropna()
        title = part["title"].iloc[0]
        head = f"{title} (n={int(total.iloc[0])})" if len(total) else title
        if head in table.columns:  # two evaluations with the same title
            head = f"{head} [{evaluation}]"
        cells = []
        for _theme, row in part.iterrows():
            if row["status"] == "no_interviews":
                cells.append("–")
            elif row["status"] == "no_code":
                cells.append(label("pj_no_code", language))
            else:
                cells.append(f"{int(row['interviews'])} ({100 * row['share']:.0f} %)")
        table[head] = cells
    if theme_order:
        raised = counts[counts["status"] == "counted"].groupby("theme", sort=False)
        table[label("pj_theme_projects", language)] = [
            label("pj_of", language).format(k=int((raised.get_group(t)["interviews"] > 0).sum()),
                                            n=len(raised.get_group(t))) if t in raised.groups
            else label("pj_of", language).format(k=0, n=0)
            for t in theme_order]
    table.attrs["note"] = label("pj_themes_note", language).format(mapping=_mapping_path(mapping))
    return table
