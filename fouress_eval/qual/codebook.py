"""The codebook: hierarchical themes and codes in YAML, read into the ``codes`` table of a Corpus.

File layout (UTF-8 YAML; comments allowed)::

    name: 4-Ess kodbok
    themes:                       # groupings; not codable unless ``is_codable: true``
      - id: fungerar
        label_sv: Det som fungerar
        label_en: What works
        valence: positive
    codes:                        # codable unless ``is_codable: false``
      - id: tidigt_stod
        parent: fungerar          # a theme or another code; omitted for a top-level entry
        label_sv: Tidigt stöd
        label_en: Early support
        definition: …
        when_to_use: …
        when_not_to_use: …
        example: …
        valence: positive         # positive / negative / neutral; inherited from the parent if omitted

``id`` must be unique over themes and codes together (letters, digits, ``_``, ``-``, ``.``);
``label_sv`` is required, ``label_en`` defaults to it. Parents must exist and the hierarchy may
not loop. :func:`read_codebook` returns the Corpus ``codes`` table: ``guid`` (``new_guid("code",
id)``), ``name`` (= the id, unique and stable, so codings files and QDA exports can refer to it),
``parent_guid`` (``None`` at the top), ``description`` (= the definition), ``is_codable``, and
``code_id``, ``parent_id``, ``kind`` (``theme``/``code``), ``label_sv``, ``label_en``,
``definition``, ``when_to_use``, ``when_not_to_use``, ``example``, ``valence``, ``depth`` (0 at
the top), in file order (themes first); ``attrs["name"]`` holds the codebook's name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError
from .corpus import new_guid

__all__ = ["read_codebook", "write_codebook", "codebook_from_entries", "VALENCES", "CODEBOOK_COLUMNS",
           "descendants", "ancestors"]

VALENCES = ("positive", "negative", "neutral")
TEXT_FIELDS = ("label_sv", "label_en", "definition", "when_to_use", "when_not_to_use", "example")
FIELDS = ("id", "parent", *TEXT_FIELDS, "valence", "is_codable")
CODEBOOK_COLUMNS = ["guid", "name", "parent_guid", "description", "is_codable", "code_id", "parent_id", "kind",
                    "label_sv", "label_en", "definition", "when_to_use", "when_not_to_use", "example", "valence",
                    "depth"]
_ID = re.compile(r"^[A-Za-z0-9ÅÄÖåäö_.\-]+$")
_VALENCE_SV = {"positiv": "positive", "negativ": "negative", "neutral": "neutral"}


def _entries_with_lines(path: Path) -> tuple[dict, dict[tuple[str, int], int]]:
    """The parsed YAML and the line (1-based) of every entry of ``themes``/``codes``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("codebook file not found", file=path, expected="a YAML codebook") from None
    except UnicodeDecodeError:
        raise InputError("codebook is not UTF-8 text", file=path, expected="a UTF-8 YAML file") from None
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"codebook is not valid YAML{where}: {getattr(error, 'problem', error)}",
                         file=path) from None
    if not isinstance(data, dict):
        raise InputError("codebook must be a YAML mapping with 'themes' and/or 'codes' lists", file=path,
                         expected="top-level keys themes:, codes:")
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    lines[(key.value, i)] = item.start_mark.line + 1
    return data, lines


def read_codebook(path: str | Path) -> pd.DataFrame:
    """Read and validate a YAML codebook; return the Corpus ``codes`` table (see module docstring).

    Raises :class:`InputError` naming the file and the code id for a missing or duplicate id, an
    unknown parent, a loop in the hierarchy, or a valence other than positive/negative/neutral.
    """
    path = Path(path)
    data, lines = _entries_with_lines(path)
    unknown = sorted(set(data) - {"name", "themes", "codes", "language", "description"})
    if unknown:
        raise InputError(f"unknown top-level key(s) in the codebook: {', '.join(map(str, unknown))}", file=path,
                         expected="name, description, themes, codes")
    entries = []
    for kind, key in (("theme", "themes"), ("code", "codes")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise InputError(f"'{key}' must be a list of entries", file=path, column=key,
                             expected="a YAML list (lines starting with '- ')")
        for i, item in enumerate(items):
            where = f"{key} entry {i + 1}" + (f" (line {lines[(key, i)]})" if (key, i) in lines else "")
            if not isinstance(item, dict):
                raise InputError(f"{where} is not a mapping", file=path, value=item,
                                 expected="id:, label_sv:, … on separate indented lines")
            entries.append({**item, "_kind": kind, "_where": where})
    codes = codebook_from_entries(entries, file=path)
    codes.attrs["name"] = data.get("name")
    return codes


def codebook_from_entries(entries: list[dict], *, file: str | Path | None = None) -> pd.DataFrame:
    """Validate codebook entries (dicts with the YAML keys; ``_kind`` theme/code) → the codes table."""
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for n, entry in enumerate(entries):
        kind = entry.get("_kind", "code")
        where = entry.get("_where", f"entry {n + 1}")
        extra = sorted(set(entry) - set(FIELDS) - {"_kind", "_where"})
        if extra:
            raise InputError(f"{where}: unknown field(s) {', '.join(map(str, extra))}", file=file,
                             expected=", ".join(FIELDS))
        code_id = entry.get("id")
        if code_id is None or str(code_id).strip() == "":
            raise InputError(f"{where} has no id", file=file, column="id", expected="a unique code id")
        code_id = str(code_id).strip()
        if not _ID.match(code_id):
            raise InputError(f"{where}: code id {code_id!r} has spaces or symbols", file=file, column="id",
                             value=code_id, expected="letters, digits, '_', '-' or '.'")
        if code_id in seen:
            raise InputError(f"code id {code_id!r} is used twice ({seen[code_id]} and {where})", file=file,
                             column="id", value=code_id, expected="each id once")
        seen[code_id] = where
        label_sv = entry.get("label_sv")
        if label_sv is None or str(label_sv).strip() == "":
            raise InputError(f"code {code_id!r} has no label_sv", file=file, column="label_sv",
                             expected="a Swedish label")
        valence = entry.get("valence")
        if valence is not None:
            folded = _VALENCE_SV.get(str(valence).strip().lower(), str(valence).strip().lower())
            if folded not in VALENCES:
                raise InputError(f"code {code_id!r} has an unknown valence", file=file, column="valence",
                                 value=valence, expected="positive, negative or neutral")
            valence = folded
        codable = entry.get("is_codable", kind == "code")
        if not isinstance(codable, bool):
            raise InputError(f"code {code_id!r}: is_codable must be true or false", file=file,
                             column="is_codable", value=codable, expected="true or false")
        parent = entry.get("parent")
        parent = None if parent is None or str(parent).strip() == "" else str(parent).strip()
        rows.append({"code_id": code_id, "parent_id": parent, "kind": kind, "is_codable": codable,
                     "valence": valence,
                     **{f: (None if entry.get(f) is None else str(entry.get(f)).strip()) for f in TEXT_FIELDS}})
    ids = {r["code_id"] for r in rows}
    for r in rows:
        if r["parent_id"] is not None and r["parent_id"] not in ids:
            raise InputError(f"code {r['code_id']!r} has parent {r['parent_id']!r}, which is not in the codebook",
                             file=file, column="parent", value=r["parent_id"],
                             expected="the id of a theme or code defined in the same file")
    parent_of = {r["code_id"]: r["parent_id"] for r in rows}
    for r in rows:
        chain = [r["code_id"]]
        current = r["parent_id"]
        while current is not None:
            if current in chain:
                loop = chain[chain.index(current):] + [current]
                raise InputError(f"the hierarchy loops at code {current!r}: {' → '.join(loop)}", file=file,
                                 column="parent", value=current, expected="parents that lead up to a top-level theme")
            chain.append(current)
            current = parent_of[current]
    by_id = {r["code_id"]: r for r in rows}

    def inherited(code_id: str) -> str:
        current: str | None = code_id
        while current is not None:
            if by_id[current]["valence"] is not None:
                return by_id[current]["valence"]
            current = parent_of[current]
        return "neutral"

    def depth(code_id: str) -> int:
        d, current = 0, parent_of[code_id]
        while current is not None:
            d, current = d + 1, parent_of[current]
        return d

    out = []
    for r in rows:
        out.append({
            "guid": new_guid("code", r["code_id"]), "name": r["code_id"],
            "parent_guid": None if r["parent_id"] is None else new_guid("code", r["parent_id"]),
            "description": r["definition"], "is_codable": r["is_codable"], "code_id": r["code_id"],
            "parent_id": r["parent_id"], "kind": r["kind"], "label_sv": r["label_sv"],
            "label_en": r["label_en"] if r["label_en"] else r["label_sv"],
            "definition": r["definition"], "when_to_use": r["when_to_use"], "when_not_to_use": r["when_not_to_use"],
            "example": r["example"], "valence": inherited(r["code_id"]), "depth": depth(r["code_id"]),
        })
    frame = pd.DataFrame(out, columns=CODEBOOK_COLUMNS)
    return frame.astype({"is_codable": bool, "depth": int})


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: D102
        return super().increase_indent(flow, False)


def write_codebook(codes: pd.DataFrame, path: str | Path, *, name: str = "Kodbok",
                   header: str | None = None) -> Path:
    """Write a codes table (as :func:`read_codebook` returns it) as a YAML codebook.

    Themes are the rows with ``kind == "theme"`` (or, without ``kind``, the rows that are not
    codable); ``header`` becomes ``#`` comment lines at the top. Valence is written only where
    it differs from the parent's, so ``read_codebook(write_codebook(t))`` gives ``t`` back.
    """
    path = Path(path)
    frame = codes.copy()
    if "code_id" not in frame:
        frame["code_id"] = frame["name"]
    ids = dict(zip(frame["guid"], frame["code_id"]))
    if "parent_id" not in frame:
        frame["parent_id"] = [ids.get(g) if isinstance(g, str) else None for g in frame["parent_guid"]]
    if "kind" not in frame:
        frame["kind"] = ["code" if c else "theme" for c in frame["is_codable"]]
    if "definition" not in frame:
        frame["definition"] = frame["description"]
    if "label_sv" not in frame:
        frame["label_sv"] = frame["name"]
    valence = dict(zip(frame["code_id"], frame["valence"])) if "valence" in frame else {}
    themes, entries = [], []
    for row in frame.to_dict("records"):
        entry: dict = {"id": row["code_id"]}
        if _present(row.get("parent_id")):
            entry["parent"] = row["parent_id"]
        for field in TEXT_FIELDS:
            value = row.get(field)
            if field == "label_en" and value == row.get("label_sv"):
                continue
            if _present(value):
                entry[field] = str(value)
        own = row.get("valence")
        parent_valence = valence.get(row.get("parent_id"), "neutral") if _present(row.get("parent_id")) else "neutral"
        if _present(own) and (own != parent_valence or not _present(row.get("parent_id"))):
            entry["valence"] = own
        is_theme = row["kind"] == "theme"
        if bool(row["is_codable"]) == is_theme:
            entry["is_codable"] = bool(row["is_codable"])
        (themes if is_theme else entries).append(entry)
    body = yaml.dump({"name": name, "themes": themes, "codes": entries}, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=100, default_flow_style=False)
    lines = [f"# {line}".rstrip() for line in (header or "").splitlines()]
    text = ("\n".join(lines) + "\n" if lines else "") + body
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and str(value) != ""


def descendants(codes: pd.DataFrame) -> dict[str, list[str]]:
    """code GUID → GUIDs of the code itself and everything below it in the hierarchy."""
    children: dict[str, list[str]] = {}
    for guid, parent in zip(codes["guid"], codes["parent_guid"]):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(guid)
    out: dict[str, list[str]] = {}
    for guid in codes["guid"]:
        found, stack = [], [guid]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(reversed(children.get(current, [])))
        out[guid] = found
    return out


def ancestors(codes: pd.DataFrame) -> dict[str, list[str]]:
    """code GUID → GUIDs of its parent, grandparent, … up to the top (nearest first)."""
    parent = {g: p for g, p in zip(codes["guid"], codes["parent_guid"]) if isinstance(p, str)}
    out = {}
    for guid in codes["guid"]:
        chain, current = [], parent.get(guid)
        while current is not None and current not in chain:
            chain.append(current)
            current = parent.get(current)
        out[guid] = chain
    return out
