"""What the cross-project tables read: the evaluations, their prepared data and their interviews.

:func:`collect` loads the evaluations to compare; the private helpers give each evaluation's
prepared data (:func:`_prepared`) and coded interviews (:func:`_corpus`), read once per report
while the files are unchanged, and the small formatting helpers the tables and the reading share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import interviews_report as ir
from ..config import find_project_root
from ..disclosure import suppress
from ..errors import InputError
from ..evaluation import Evaluation, Outcome, Site, list_evaluations, load_evaluation
from ..labels import label, register
from ..store import MANIFEST, load_manifest, load_tables

__all__ = ["collect"]

register({
    "pj_no_corpus": {"sv": "Konfigurationen anger inga intervjuer.",
                     "en": "The configuration names no interviews."},
})


def collect(names: Sequence[str | Path] | str | None = None, root: str | Path | None = None) -> list[Evaluation]:
    """The evaluations to compare: ``names`` (names in ``<root>/evaluations/`` or paths to YAML files,
    in the order given) or, when ``names`` is None or empty, every ``evaluations/*.yml`` in name order.

    A configuration that does not load is an :class:`InputError` (none is skipped); so is an empty
    ``evaluations/`` folder.
    """
    if isinstance(names, (str, Path)):
        names = [names]
    chosen = list(dict.fromkeys(str(n) for n in (names or [])))
    if not chosen:
        chosen = list_evaluations(root)
        if not chosen:
            folder = Path(root or find_project_root()) / "evaluations"
            raise InputError("no evaluation configurations found", file=folder,
                             expected="evaluations/<name>.yml files (`fouress-eval new NAME` writes one)")
    return [load_evaluation(name, root=root) for name in chosen]


def _evaluations(evaluations: Iterable[Evaluation | str] | Evaluation | str | None) -> list[Evaluation]:
    if evaluations is None or isinstance(evaluations, (str, Path, Evaluation)):
        evaluations = [] if evaluations is None else [evaluations]
    items = list(evaluations)
    if not items:
        return collect()
    return [e if isinstance(e, Evaluation) else load_evaluation(e) for e in items]


def _check_language(language: str) -> None:
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")


def _root(evaluation: Evaluation) -> Path:
    return Path(evaluation.root or find_project_root())


def _site_level(outcome: Outcome, site: Site) -> str | None:
    """The site's level when the outcome series is followed at it, else None."""
    return site.level if site.level in outcome.levels else None


# ---------------------------------------------------------------------------------------------
# prepared data and corpora, read once while their files are unchanged
# ---------------------------------------------------------------------------------------------
_MEMO: dict[tuple, Any] = {}


def _stamp(paths: Iterable[Path]) -> tuple:
    """What identifies the files' current contents cheaply: path, modification time and size."""
    out = []
    for path in paths:
        try:
            status = path.stat()
            out.append((str(path), status.st_mtime_ns, status.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def _memo(key: tuple, load: Callable[[], Any]) -> Any:
    """``load()`` once per ``key`` (the files' stamps), so that the tables and the reading of one
    report read each evaluation's data once. Callers never modify what they get."""
    if key not in _MEMO:
        if len(_MEMO) >= 32:
            _MEMO.clear()
        _MEMO[key] = load()
    return _MEMO[key]


def _prepared(evaluation: Evaluation) -> tuple[dict, dict[str, pd.DataFrame]] | None:
    """(manifest, tables) of the evaluation's prepared data, or None when there are none."""
    folder = Path(evaluation.settings().processed_dir)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    return _memo(("prepared", _stamp([manifest])), lambda: (load_manifest(folder), load_tables(folder)))


def _corpus_files(folder: Path) -> list[Path]:
    listings = [p for f in (folder.parent, folder) for pattern in ("intervjuer*.csv", "intervjuer*.xlsx")
                for p in sorted(f.glob(pattern))]
    return [folder / ir.CODEBOOK, folder / ir.CODINGS, *sorted((folder / ir.TRANSCRIPTS).glob("*.txt")), *listings]


def _corpus(evaluation: Evaluation, language: str = "sv"):
    """(corpus, None) for an evaluation with coded interviews, else (None, a sentence saying why not)."""
    if evaluation.corpus is None:
        return None, label("pj_no_corpus", language)
    folder = Path(evaluation.settings().qual_dir)
    complete = folder.is_dir() and all((folder / n).exists() for n in (ir.CODEBOOK, ir.CODINGS, ir.TRANSCRIPTS))
    if not complete:
        return None, ir.missing_reason(folder, language=language)
    try:
        corpus = _memo(("corpus", _stamp(_corpus_files(folder))), lambda: ir.load_corpus(folder))
    except InputError as error:
        if error.message == "interview list not found":
            return None, ir.missing_reason(folder, language=language)
        raise
    reason = ir.missing_reason(corpus, language=language)
    return (None, reason) if reason else (corpus, None)


# ---------------------------------------------------------------------------------------------
# formatting shared by the tables and the reading
# ---------------------------------------------------------------------------------------------
def _shown(count: int, min_count: int) -> int | str:
    """A participant count as published: ``"<min_count"`` when it is small (zero is shown)."""
    return suppress(pd.DataFrame({"n": [count]}), "n", min_count).iat[0, 0]


def _number(value: float, language: str, decimals: int = 1) -> str:
    """A number for running text: at most ``decimals`` decimals, trailing zeros dropped (decimal comma in Swedish)."""
    if isinstance(value, str):
        return value
    text = f"{value:.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",").replace("-", "−") if language == "sv" else text


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" och " if language == "sv" else " and ") + items[-1]


def _day(value: pd.Timestamp | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")
