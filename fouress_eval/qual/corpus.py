"""The qualitative corpus: codebook, interview texts, coders and codings as tidy tables.

Every reader (CSV codings, REFI-QDA ``.qdpx``/``.qde``) returns a :class:`Corpus`, and every
tally and agreement function takes one. Positions are Unicode character offsets into the
source's plain text (``start`` inclusive, ``end`` exclusive, as REFI-QDA's PlainTextSelection
counts them). GUIDs are stored in the canonical lower-case form without braces.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError

__all__ = ["Corpus", "CODE_COLUMNS", "SOURCE_COLUMNS", "CODER_COLUMNS", "CODING_COLUMNS", "canonical_guid",
           "new_guid"]

CODE_COLUMNS = ["guid", "name", "parent_guid", "description", "is_codable"]
SOURCE_COLUMNS = ["guid", "name", "text"]
CODER_COLUMNS = ["guid", "name"]
CODING_COLUMNS = ["source_guid", "start", "end", "code_guid", "coder_guid"]

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def canonical_guid(value: object, *, where: str = "") -> str:
    """A GUID in lower case without braces; QDA programs write upper case and ``{…}`` too."""
    match = _GUID.match(str(value).strip())
    if not match:
        raise InputError("not a GUID", file=where or None, value=value,
                         expected="a GUID such as 8d0e2f5c-1b2a-4c3d-9e8f-0a1b2c3d4e5f")
    return match.group(1).lower()


def new_guid(*names: str) -> str:
    """A stable GUID derived from names (UUID5), so exported projects are reproducible."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fouress_eval:" + "/".join(names)))


@dataclass
class Corpus:
    """Codebook, sources, coders and codings (tidy DataFrames with at least the listed columns).

    ``sources`` may carry attributes as extra columns (``interview_id``, ``role``,
    ``municipality_code`` …); ``codes`` may carry ``code_id``, labels, ``valence``, ``color``;
    ``sets`` lists named groups of sources or codes (``set_guid``, ``name``, ``member_guid``).
    """

    codes: pd.DataFrame
    sources: pd.DataFrame
    coders: pd.DataFrame
    codings: pd.DataFrame
    sets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["set_guid", "name", "member_guid"]))
    name: str = "fouress_eval corpus"

    def __post_init__(self) -> None:
        for table, columns in (("codes", CODE_COLUMNS), ("sources", SOURCE_COLUMNS), ("coders", CODER_COLUMNS),
                               ("codings", CODING_COLUMNS)):
            frame = getattr(self, table)
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise InputError(f"the corpus table '{table}' lacks column(s) {', '.join(missing)}",
                                 expected=", ".join(columns))

    def code_name(self) -> dict[str, str]:
        """code GUID → name."""
        return dict(zip(self.codes["guid"], self.codes["name"]))

    def coder_name(self) -> dict[str, str]:
        """coder GUID → name."""
        return dict(zip(self.coders["guid"], self.coders["name"]))

    def segments(self) -> pd.DataFrame:
        """Codings joined with code, coder and source attributes, and the coded text."""
        text = dict(zip(self.sources["guid"], self.sources["text"]))
        out = self.codings.merge(self.codes[["guid", "name"]].rename(columns={"guid": "code_guid", "name": "code"}),
                                 on="code_guid", how="left")
        out = out.merge(self.coders.rename(columns={"guid": "coder_guid", "name": "coder"}), on="coder_guid",
                        how="left")
        attributes = self.sources.drop(columns=["text"]).rename(columns={"guid": "source_guid", "name": "source"})
        out = out.merge(attributes, on="source_guid", how="left")
        out["text"] = [text[s][a:b] if isinstance(text.get(s), str) else None
                       for s, a, b in zip(out["source_guid"], out["start"], out["end"])]
        return out
