"""Writing REFI-QDA exchange files: a :class:`Corpus` as a ``.qdpx`` project, codes as a ``.qdc``.

The project is valid against the REFI-QDA project schema (QDA-XML 1.0) and byte-for-byte
reproducible: no dates (they are optional), GUIDs of selections, codings, variables and cases
derived with :func:`new_guid` from what they hold, fixed zip timestamps and member order.

Layout: ``project.qde`` with ``Users`` (the coders), ``CodeBook`` (codes nested by
``parent_guid`` in table order), ``Variables`` and ``Cases`` (one case per source, named after
it, carrying the source's attribute columns — every column except guid, name, text and
problem), ``Sources`` (a ``TextSource`` per source whose text is ``sources/<guid>.txt``, UTF-8
without BOM; one ``PlainTextSelection`` per source, span and coder, with a ``Coding`` per code)
and ``Sets`` (members are codes or sources, told apart by GUID). Not exported, as REFI-QDA has
no place for them: extra code columns (``code_id``, ``valence`` …) and set descriptions.
A source with text None is written without a text path (it reads back with a ``problem``).
Attribute types: bool → Boolean, whole numbers → Integer (also a float column whose values are
all whole, as pandas makes of integers with gaps), other numbers → Float, datetimes → DateTime
(read back as ISO text), everything else → Text (so ``"0760"`` stays text).
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ..errors import InputError
from .corpus import Corpus, canonical_guid, new_guid
from .refi_read import CODEBOOK_NS, PROJECT_NS, RESERVED_SOURCE_COLUMNS

__all__ = ["write_qdpx", "write_qdc", "project_xml", "codebook_xml"]

ORIGIN = "fouress_eval"
_RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # lists and other non-scalars
        return False


def _guids(frame: pd.DataFrame, column: str, table: str, *, optional: bool = False) -> list[str | None]:
    out: list[str | None] = []
    for number, value in enumerate(frame[column], start=1):
        if _missing(value):
            if optional:
                out.append(None)
                continue
            raise InputError(f"the corpus table '{table}' has an empty GUID in data row {number}", column=column,
                             expected="a GUID")
        try:
            out.append(canonical_guid(value))
        except InputError:
            raise InputError(f"the corpus table '{table}' has a value that is not a GUID in data row {number}",
                             column=column, value=value, expected="a GUID (see fouress_eval.qual.new_guid)") from None
    return out


def _unique(guids: list[str | None], table: str) -> None:
    seen: set[str | None] = set()
    for guid in guids:
        if guid in seen:
            raise InputError(f"the corpus table '{table}' lists the GUID twice", column="guid", value=guid,
                             expected="one row per GUID")
        seen.add(guid)


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _code_elements(codes: pd.DataFrame) -> list[ET.Element]:
    """Top-level ``Code`` elements with their children nested, in table order."""
    guids = _guids(codes, "guid", "codes")
    _unique(guids, "codes")
    parents = _guids(codes, "parent_guid", "codes", optional=True)
    rows = codes.to_dict("records")
    children: dict[str | None, list[int]] = {}
    for index, parent in enumerate(parents):
        if parent is not None and parent not in guids:
            raise InputError(f"code '{rows[index]['name']}' has a parent that is not in the codebook",
                             column="parent_guid", value=parent, expected="the GUID of another code, or empty")
        children.setdefault(parent, []).append(index)
    placed: set[int] = set()

    def build(index: int) -> ET.Element:
        placed.add(index)
        row = rows[index]
        name = _text(row["name"])
        if name is None:
            raise InputError(f"code {guids[index]} has no name", column="name", expected="a code name")
        element = ET.Element("Code", {"guid": str(guids[index]), "name": name,
                                      "isCodable": "true" if _codable(row.get("is_codable")) else "false"})
        color = _text(row.get("color"))
        if color is not None:
            if not _RGB.match(color.strip()):
                raise InputError(f"code '{name}' has a colour REFI-QDA cannot hold", column="color", value=color,
                                 expected="#RRGGBB or #RGB")
            element.set("color", color.strip())
        description = _text(row.get("description"))
        if description is not None:
            ET.SubElement(element, "Description").text = description
        element.extend(build(child) for child in children.get(guids[index], []))
        return element

    tops = [build(index) for index in children.get(None, [])]
    if len(placed) != len(rows):
        stuck = sorted(str(rows[i]["name"]) for i in range(len(rows)) if i not in placed)
        raise InputError("the code tree has a cycle (codes that are their own ancestors)", column="parent_guid",
                         value=", ".join(stuck), expected="a tree: every chain of parents ends at a top-level code")
    return tops


def _codable(value: object) -> bool:
    if _missing(value):
        return True
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def _variable_type(series: pd.Series) -> str:
    kind = series.dtype.kind
    if kind == "b":
        return "Boolean"
    if kind in "iu":
        return "Integer"
    values = [v for v in series if not _missing(v)]
    if kind == "f":  # integers with gaps arrive as floats: 52.0 is written as 52
        return "Integer" if values and all(float(v).is_integer() for v in values) else "Float"
    if kind == "M":
        return "DateTime"
    if not values:
        return "Text"
    if all(isinstance(v, (bool, np.bool_)) for v in values):
        return "Boolean"
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in values):
        return "Integer"
    if all(isinstance(v, (float, np.floating, int, np.integer)) for v in values):
        return "Integer" if all(float(v).is_integer() for v in values) else "Float"
    if all(isinstance(v, pd.Timestamp) for v in values):
        return "DateTime"
    return "Text"


def _value_text(value: object, kind: str, column: str) -> str:
    if kind == "Boolean":
        return "true" if bool(value) else "false"
    if kind == "Integer":
        return str(int(value))  # type: ignore[call-overload]
    if kind == "Float":
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            raise InputError("an attribute value is not a finite number", column=column, value=value,
                             expected="a finite number or an empty cell")
        return format(Decimal(repr(number)), "f")
    if kind == "DateTime":
        return pd.Timestamp(value).isoformat()  # type: ignore[arg-type]
    return str(value)


def project_xml(corpus: Corpus) -> tuple[bytes, dict[str, bytes]]:
    """The ``project.qde`` bytes and the source files (archive member → bytes) of ``corpus``."""
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": str(corpus.name or "fouress_eval corpus"),
                                  "origin": ORIGIN})
    coder_guids = _guids(corpus.coders, "guid", "coders")
    _unique(coder_guids, "coders")
    if coder_guids:
        users = ET.SubElement(root, "Users")
        for guid, name in zip(coder_guids, corpus.coders["name"]):
            user = ET.SubElement(users, "User", {"guid": str(guid)})
            if _text(name) is not None:
                user.set("name", str(name))

    code_guids = _guids(corpus.codes, "guid", "codes")
    tops = _code_elements(corpus.codes)
    if tops:
        ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes").extend(tops)

    sources = corpus.sources
    source_guids = _guids(sources, "guid", "sources")
    _unique(source_guids, "sources")
    attribute_columns = [c for c in sources.columns if c not in RESERVED_SOURCE_COLUMNS]
    kinds = {c: _variable_type(sources[c]) for c in attribute_columns}
    variable_guid = {c: new_guid("refi-variable", str(c)) for c in attribute_columns}
    if attribute_columns:
        variables = ET.SubElement(root, "Variables")
        for column in attribute_columns:
            ET.SubElement(variables, "Variable", {"guid": variable_guid[column], "name": str(column),
                                                  "typeOfVariable": kinds[column]})
    cases = []
    for index, guid in enumerate(source_guids):
        values = [(c, sources[c].iloc[index]) for c in attribute_columns if not _missing(sources[c].iloc[index])]
        if not values:
            continue
        case = ET.Element("Case", {"guid": new_guid("refi-case", str(guid)), "name": str(sources["name"].iloc[index])})
        for column, value in values:
            holder = ET.SubElement(case, "VariableValue")
            ET.SubElement(holder, "VariableRef", {"targetGUID": variable_guid[column]})
            ET.SubElement(holder, kinds[column] + "Value").text = _value_text(value, kinds[column], str(column))
        ET.SubElement(case, "SourceRef", {"targetGUID": str(guid)})
        cases.append(case)
    if cases:
        ET.SubElement(root, "Cases").extend(cases)

    files: dict[str, bytes] = {}
    texts = dict(zip(source_guids, sources["text"]))
    selections = _selections(corpus, set(source_guids), set(code_guids), set(coder_guids), texts)
    if source_guids:
        holder = ET.SubElement(root, "Sources")
        for guid, name in zip(source_guids, sources["name"]):
            element = ET.SubElement(holder, "TextSource", {"guid": str(guid), "name": str(name)})
            text = texts[guid]
            if not _missing(text):
                member = f"sources/{guid}.txt"
                element.set("plainTextPath", f"internal://{guid}.txt")
                files[member] = str(text).encode("utf-8")
            element.extend(selections.get(str(guid), []))

    _sets(root, corpus.sets, set(code_guids), set(source_guids))
    return _serialise(root), files


def _selections(corpus: Corpus, sources: set[str | None], codes: set[str | None], coders: set[str | None],
                texts: dict[str | None, object]) -> dict[str, list[ET.Element]]:
    """``PlainTextSelection`` elements per source GUID: one per (span, coder), a Coding per code."""
    codings = corpus.codings
    table = pd.DataFrame({
        "source": _guids(codings, "source_guid", "codings"),
        "code": _guids(codings, "code_guid", "codings"),
        "coder": _guids(codings, "coder_guid", "codings", optional=True),
    })
    starts, ends = [], []
    for number, (source, start, end) in enumerate(zip(table["source"], codings["start"], codings["end"]), start=1):
        try:
            a, b = int(start), int(end)
            if a != start or b != end:
                raise ValueError
        except (TypeError, ValueError):
            raise InputError(f"coding in data row {number} has a start or end that is not a whole number",
                             column="start/end", value=(start, end), expected="character positions") from None
        text = texts.get(source)
        length = None if _missing(text) else len(str(text))
        if a < 0 or b < a or (length is not None and b > length):
            raise InputError(f"coding in data row {number} lies outside its source text ({length} characters)",
                             column="start/end", value=(a, b), expected="0 <= start <= end <= length of text")
        starts.append(a)
        ends.append(b)
    table["start"], table["end"] = starts, ends
    for column, known, what in (("source", sources, "source"), ("code", codes, "code"), ("coder", coders, "coder")):
        unknown = sorted({g for g in table[column] if g is not None and g not in known})
        if unknown:
            raise InputError(f"codings refer to a {what} that is not in the corpus", column=f"{column}_guid",
                             value=unknown[0], expected=f"a GUID from the {what}s table")
    table["coder_key"] = table["coder"].fillna("")
    table = table.sort_values(["source", "start", "end", "coder_key", "code"], kind="stable")
    out: dict[str, list[ET.Element]] = {}
    for (source, start, end, coder_key), group in table.groupby(["source", "start", "end", "coder_key"], sort=False):
        selection_guid = new_guid("refi-selection", source, str(start), str(end), coder_key)
        selection = ET.Element("PlainTextSelection", {"guid": selection_guid, "startPosition": str(start),
                                                      "endPosition": str(end)})
        if coder_key:
            selection.set("creatingUser", coder_key)
        seen: dict[str, int] = {}
        for code in group["code"]:
            seen[code] = seen.get(code, 0) + 1
            coding = ET.SubElement(selection, "Coding",
                                   {"guid": new_guid("refi-coding", selection_guid, code, str(seen[code]))})
            if coder_key:
                coding.set("creatingUser", coder_key)
            ET.SubElement(coding, "CodeRef", {"targetGUID": code})
        out.setdefault(source, []).append(selection)
    return out


def _sets(root: ET.Element, sets: pd.DataFrame, codes: set[str | None], sources: set[str | None]) -> None:
    if sets is None or sets.empty:
        return
    set_guids = _guids(sets, "set_guid", "sets")
    members = _guids(sets, "member_guid", "sets")
    elements: dict[str, ET.Element] = {}
    parts: dict[str, tuple[list[str], list[str]]] = {}
    for guid, name, member in zip(set_guids, sets["name"], members):
        if guid not in elements:
            elements[str(guid)] = ET.Element("Set", {"guid": str(guid), "name": _text(name) or ""})
            parts[str(guid)] = ([], [])
        if member in codes:
            parts[str(guid)][0].append(str(member))
        elif member in sources:
            parts[str(guid)][1].append(str(member))
        else:
            raise InputError(f"set '{name}' has a member that is neither a code nor a source", column="member_guid",
                             value=member, expected="a GUID from the codes or sources table")
    holder = ET.SubElement(root, "Sets")
    for guid, element in elements.items():
        member_codes, member_sources = parts[guid]
        for member in dict.fromkeys(member_codes):
            ET.SubElement(element, "MemberCode", {"targetGUID": member})
        for member in dict.fromkeys(member_sources):
            ET.SubElement(element, "MemberSource", {"targetGUID": member})
        holder.append(element)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=6)
    os.replace(partial, path)


def write_qdpx(corpus: Corpus, path: str | Path) -> Path:
    """Export ``corpus`` as a REFI-QDA ``.qdpx`` archive (project.qde + sources/<guid>.txt)."""
    path = Path(path)
    xml, files = project_xml(corpus)
    _write_zip(path, [("project.qde", xml), *sorted(files.items())])
    return path


def codebook_xml(codes: pd.DataFrame, origin: str = ORIGIN) -> bytes:
    """The ``.qdc`` bytes of a codes table (root ``CodeBook`` in ``urn:QDA-XML:codebook:1.0``)."""
    tops = _code_elements(codes)
    if not tops:
        raise InputError("there are no codes to write", expected="a codebook with at least one code")
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    ET.SubElement(root, "Codes").extend(tops)
    return _serialise(root)


def write_qdc(codes: pd.DataFrame, path: str | Path, origin: str = ORIGIN) -> Path:
    """Write a codes table as a REFI-QDA codebook exchange file (``.qdc``)."""
    path = Path(path)
    data = codebook_xml(codes, origin)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
