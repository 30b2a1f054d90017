"""Synthetic interview corpora of two sister projects of 4-Ess: På väg and Omställning.

Each project has an interview list (who was interviewed, where, when, individually or in a group)
and a :class:`~fouress_eval.qual.demo_corpus.CorpusSpec`: a codebook with themes that fit the
project, and sentence templates in the voices of its stakeholder roles. The projects' text lives
in :mod:`~fouress_eval.demo.corpus_pa_vag` and :mod:`~fouress_eval.demo.corpus_omstallning` as
plain data; this module assembles each into its spec. Every sentence there was written for this
package: invented text, no sentence taken from any report or real interview, no person named.
:func:`fouress_eval.qual.demo_corpus.write_corpus` turns a spec and an interview list into
transcripts and two coders' codings.
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from ..qual.demo_corpus import CorpusSpec
from . import corpus_omstallning, corpus_pa_vag
# the projects' municipalities stay importable from here
from .corpus_omstallning import ARVIKA, KARLSTAD, KRISTINEHAMN  # noqa: F401
from .corpus_pa_vag import SKURUP, SVEDALA  # noqa: F401

__all__ = ["PA_VAG_CORPUS", "OMSTALLNING_CORPUS", "PA_VAG_INTERVIEWS", "OMSTALLNING_INTERVIEWS", "Interview",
           "interview_frame"]

#: (interview id, role id, municipality code, date, mode individual/group)
Interview = tuple[str, str, str, str, str]

_GENERATOR = "Genererad av fouress_eval.demo.sister.write_evaluation_demo."


def _theme(id_: str, sv: str, en: str, valence: str, definition: str) -> dict:
    return dict(id=id_, label_sv=sv, label_en=en, valence=valence, definition=definition)


def _code(id_: str, parent: str, sv: str, en: str, definition: str, use: str, not_use: str, example: str) -> dict:
    return dict(id=id_, parent=parent, label_sv=sv, label_en=en, definition=definition, when_to_use=use,
                when_not_to_use=not_use, example=example)


def _spec(project: ModuleType) -> CorpusSpec:
    """A project module's codebook, templates and coder settings as a :class:`CorpusSpec`."""
    return CorpusSpec(
        name=project.NAME, header=project.HEADER + _GENERATOR,
        themes=tuple(_theme(*entry) for entry in project.THEMES),
        codes=tuple(_code(*entry) for entry in project.CODES),
        templates=project.TEMPLATES, fillers=project.FILLERS, propensity=project.PROPENSITY,
        confused=project.CONFUSED, role_key=project.ROLE_KEY, role_titles=project.ROLE_TITLES,
        questions=project.QUESTIONS, extra_codes=project.EXTRA_CODES, group_title=project.GROUP_TITLE,
        code_from=project.CODE_FROM,
    )


#: På väg – Skurup (project owner) and Svedala, 2019-05 … 2020-12: a process evaluation
PA_VAG_INTERVIEWS: tuple[Interview, ...] = corpus_pa_vag.INTERVIEWS
PA_VAG_CORPUS = _spec(corpus_pa_vag)
#: Omställning – Värmland, 2018-02 … 2019-01: a service-design project in phases
OMSTALLNING_INTERVIEWS: tuple[Interview, ...] = corpus_omstallning.INTERVIEWS
OMSTALLNING_CORPUS = _spec(corpus_omstallning)


def interview_frame(interviews: tuple[Interview, ...]) -> pd.DataFrame:
    """The interview plan as a frame: interview_id, role, municipality_code, date, mode."""
    return pd.DataFrame(list(interviews), columns=["interview_id", "role", "municipality_code", "date", "mode"])
