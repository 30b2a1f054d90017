"""Reading REFI-QDA exchange files: projects (``.qdpx``/``project.qde``) and codebooks (``.qdc``).

The reader is lenient where QDA programs differ (NVivo, ATLAS.ti, MAXQDA and QualCoder fill in
different optional attributes, write GUIDs in upper or lower case, with or without braces, put
source files in ``sources/``, ``Sources/`` or the archive root) and strict where the data would
be wrong (a selection past the end of its text, a coding of an unknown code or by an unknown
user, duplicate GUIDs, a wrong root element or namespace), raising :class:`InputError` naming the
file, the XML line and the item.

Decisions:

* Positions are Unicode code points of the plain text (Python ``str`` indexing); a UTF-8 or
  UTF-16 byte-order mark is dropped first, so offset 0 is the first real character. Line ends
  in source files are kept as they are (``\\r\\n`` counts as two characters), as the standard
  counts them; inline ``PlainTextContent`` has its line ends normalised by XML itself.
* A source whose text cannot be found or decoded does not stop the import: it gets ``text``
  None and a message in the ``problem`` column (None for good sources); its codings are kept
  unchecked; the message is also in :attr:`RefiCorpus.warnings`.
* Source attributes come from ``VariableValue`` elements on the source itself and on any
  ``Case`` that lists the source in a ``SourceRef`` (the source's own values win; a conflicting
  case value is reported as a warning). Every declared ``Variable`` becomes a column. Text
  values stay ``str`` (``"0760"`` keeps its zero), Integer/Float/Boolean become numbers/bools,
  Date/DateTime stay ISO strings. Case names are not kept.
* The coder of a coding is the ``Coding``'s ``creatingUser``, else its selection's; codings
  with neither get coder None and a warning. A user GUID not among ``Users`` is an error,
  unless the project has no ``Users`` section at all: then the coders are listed by GUID
  (name None) with a warning.
* A ``Coding`` directly on a ``TextSource`` (a whole-document code) spans the whole text.
  PDF, picture, audio and video sources are skipped with a warning.
* GUIDs must be unique within their kind (users, codes, sources, selections, codings,
  variables, cases, sets).

This module turns a project into a :class:`RefiCorpus` (and a codebook into a codes table); the
XML parsing, GUID checks and finding of source texts it builds on are in :mod:`.refi_parse`.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable
from xml.etree import ElementTree as ET

import pandas as pd

from ..errors import InputError
from .corpus import CODE_COLUMNS, CODER_COLUMNS, CODING_COLUMNS, Corpus
from .refi_parse import CODEBOOK_NS, PROJECT_NS, _base_path, _check_root, _Doc, _flag, _Texts, parse_xml

__all__ = ["PROJECT_NS", "CODEBOOK_NS", "RefiCorpus", "read_qdpx", "read_qdc", "parse_xml"]

SET_COLUMNS = ["set_guid", "name", "member_guid"]
RESERVED_SOURCE_COLUMNS = ("guid", "name", "text", "problem")
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


@dataclass
class RefiCorpus(Corpus):
    """A :class:`Corpus` read from a REFI-QDA project, with what the import had to say."""

    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- codes

def _read_codes(doc: _Doc, container: ET.Element | None) -> pd.DataFrame:
    """The code tree under ``container`` (a ``CodeBook``) as the flat codes table."""
    rows: list[dict[str, object]] = []

    def walk(parent_element: ET.Element, parent_guid: str | None) -> None:
        for code in doc.kids(parent_element, "Code"):
            guid = doc.guid(code)
            doc.register("code", code, guid)
            name = code.get("name")
            if name is None:
                doc.warnings.append(f"{doc.at(code)}: code {guid} has no name")
            codable = _flag(code.get("isCodable"))
            if codable is None:
                doc.warnings.append(f"{doc.at(code)}: isCodable={code.get('isCodable')!r} read as true")
                codable = True
            description = code.find(doc.q("Description"))
            rows.append({"guid": guid, "name": name if name is not None else "", "parent_guid": parent_guid,
                         "description": None if description is None else (description.text or ""),
                         "is_codable": codable, "color": code.get("color")})
            walk(code, guid)

    for codes in doc.kids(container, "Codes"):
        walk(codes, None)
    frame = pd.DataFrame(rows, columns=CODE_COLUMNS + ["color"])
    frame["is_codable"] = frame["is_codable"].astype(bool)
    return frame.astype({c: object for c in ("parent_guid", "description", "color")})


# ---------------------------------------------------------------------------- project

def read_qdpx(path: str | Path) -> RefiCorpus:
    """Read a REFI-QDA project: a ``.qdpx`` archive, a bare ``project.qde`` or an unpacked folder.

    Returns a :class:`RefiCorpus` (a :class:`Corpus` plus ``warnings``); its ``sources`` table
    has a ``problem`` column (None, or why the text is missing) and one column per variable.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "project.qde"
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a .qdpx or project.qde file")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
                if not names:
                    raise InputError("the archive holds no project.qde", file=path,
                                     expected="a REFI-QDA .qdpx archive with project.qde inside")
                chosen = min(names, key=lambda n: (PurePosixPath(n).name.lower() != "project.qde", n.count("/"), n))
                data = archive.read(chosen)
                return _read_project(data, path, _Texts(path.parent, archive, None))
        except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
            raise InputError(f"damaged zip archive ({exc})", file=path) from None
    data = path.read_bytes()
    if not data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<") and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("not a REFI-QDA project: neither a zip archive (.qdpx) nor XML (project.qde)",
                         file=path, expected="a .qdpx or .qde file exported by a QDA program")
    return _read_project(data, path, _Texts(path.parent, None, None))


def _read_project(data: bytes, where: Path, texts: _Texts) -> RefiCorpus:
    root, lines = parse_xml(data, where)
    _check_root(root, where, PROJECT_NS, "Project")
    doc = _Doc(root, lines, PROJECT_NS, where)
    texts.base_path = _base_path(root.get("basePath"))

    users_element = root.find(doc.q("Users"))
    coders: dict[str, str | None] = {}
    for user in doc.kids(users_element, "User"):
        guid = doc.guid(user)
        doc.register("user", user, guid)
        coders[guid] = user.get("name") or user.get("id")

    codes = _read_codes(doc, root.find(doc.q("CodeBook")))

    variables: dict[str, str] = {}  # guid -> column name
    for variable in doc.kids(root.find(doc.q("Variables")), "Variable"):
        guid = doc.guid(variable)
        doc.register("variable", variable, guid)
        name = variable.get("name") or guid
        if name in RESERVED_SOURCE_COLUMNS or name in variables.values():
            doc.warnings.append(f"{doc.at(variable)}: column named '{name}_{guid[:8]}' (the name is taken)")
            name = f"{name}_{guid[:8]}"
        variables[guid] = name

    sources: list[dict[str, object]] = []
    attributes: dict[str, dict[str, object]] = {}
    pending: list[tuple[ET.Element, str, int, int, str, str | None]] = []
    skipped: set[str] = set()
    sources_element = root.find(doc.q("Sources"))
    for element in [] if sources_element is None else list(sources_element):
        kind = element.tag.rsplit("}", 1)[-1]
        if kind in _OTHER_SOURCES:
            guid = doc.guid(element)
            doc.register("source", element, guid)
            skipped.add(guid)
            doc.warnings.append(f"{doc.at(element)}: skipped (only text sources are read)")
        elif kind == "TextSource":
            sources.append(_read_source(doc, element, texts, pending))
            attributes[str(sources[-1]["guid"])] = _values(doc, element, variables)

    _case_attributes(doc, root, variables, attributes, skipped)
    codings = _check_codings(doc, codes, coders, users_element is not None, pending)

    source_frame = pd.DataFrame(sources, columns=["guid", "name", "text", "problem"])
    for column in variables.values():
        source_frame[column] = _column([attributes[g].get(column) for g in source_frame["guid"]])
    source_frame = source_frame[["guid", "name", "text", *variables.values(), "problem"]]

    sets = _read_sets(doc, root, set(codes["guid"]) | set(source_frame["guid"]), skipped)
    return RefiCorpus(codes=codes, sources=source_frame,
                      coders=pd.DataFrame(list(coders.items()), columns=CODER_COLUMNS).astype(object),
                      codings=codings, sets=sets, name=root.get("name") or where.stem, warnings=doc.warnings)


def _read_source(doc: _Doc, element: ET.Element, texts: _Texts,
                 pending: list[tuple[ET.Element, str, int, int, str, str | None]]) -> dict[str, object]:
    guid = doc.guid(element)
    doc.register("source", element, guid)
    name = element.get("name") or guid
    label = f"source '{name}'"
    inline = element.find(doc.q("PlainTextContent"))
    text: str | None = None
    problem: str | None = None
    if inline is not None:
        text = (inline.text or "").removeprefix("\ufeff")
    elif element.get("plainTextPath"):
        text, problem = texts.load(element.get("plainTextPath", ""))
    elif element.get("richTextPath"):
        problem = "only a rich-text file (richTextPath) is given; export the project with plain text"
    else:
        problem = "no text: neither PlainTextContent nor plainTextPath is given"
    if problem:
        doc.warnings.append(f"{doc.at(element, label)}: {problem}")

    for selection in doc.kids(element, "PlainTextSelection"):
        selection_guid = doc.guid(selection)
        doc.register("selection", selection, selection_guid)
        start, end = doc.integer(selection, "startPosition"), doc.integer(selection, "endPosition")
        what = f"PlainTextSelection {selection_guid} in {label}"
        if start < 0 or end < start:
            raise doc.error(selection, "the selection runs backwards or starts before the text",
                            value=f"{start}-{end}", expected="0 <= startPosition <= endPosition", what=what)
        if text is not None and end > len(text):
            raise doc.error(selection, f"endPosition {end} is past the end of the text ({len(text)} characters)",
                            value=end, expected=f"a position between {start} and {len(text)}", what=what)
        fallback = doc.guid(selection, "creatingUser", required=False, what=what)
        for coding in doc.kids(selection, "Coding"):
            pending.append(_coding(doc, coding, guid, start, end, fallback, label))
    whole = doc.kids(element, "Coding")
    if whole and text is None:
        doc.warnings.append(f"{doc.at(element, label)}: {len(whole)} whole-source coding(s) dropped (no text)")
    elif whole:
        for coding in whole:
            pending.append(_coding(doc, coding, guid, 0, len(text or ""), None, label))
    return {"guid": guid, "name": name, "text": text, "problem": problem}


def _coding(doc: _Doc, coding: ET.Element, source: str, start: int, end: int, fallback: str | None,
            label: str) -> tuple[ET.Element, str, int, int, str, str | None]:
    what = f"Coding in {label} at {start}-{end}"
    guid = doc.guid(coding, what=what)
    doc.register("coding", coding, guid)
    reference = coding.find(doc.q("CodeRef"))
    if reference is None:
        raise doc.error(coding, "the coding has no CodeRef", expected="<CodeRef targetGUID=…/>", what=what)
    code = doc.guid(reference, "targetGUID", what=what)
    coder = doc.guid(coding, "creatingUser", required=False, what=what) or fallback
    return coding, source, start, end, str(code), coder


def _check_codings(doc: _Doc, codes: pd.DataFrame, coders: dict[str, str | None], have_users: bool,
                   pending: list[tuple[ET.Element, str, int, int, str, str | None]]) -> pd.DataFrame:
    known_codes = set(codes["guid"])
    rows = []
    anonymous = 0
    for element, source, start, end, code, coder in pending:
        what = f"Coding at {start}-{end}"
        if code not in known_codes:
            raise doc.error(element, "the coding refers to a code that is not in the codebook", value=code,
                            expected="the GUID of a Code in the CodeBook", what=what)
        if coder is None:
            anonymous += 1
        elif coder not in coders:
            if have_users:
                raise doc.error(element, "the coding's creatingUser is not among the project's Users",
                                value=coder, expected="the GUID of a User", what=what)
            coders[coder] = None
            doc.warnings.append(f"no Users section: coder {coder} listed without a name")
        rows.append((source, start, end, code, coder))
    if anonymous:
        doc.warnings.append(f"{anonymous} coding(s) name no creatingUser; their coder is None")
    frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "coder_guid": object})


def _values(doc: _Doc, element: ET.Element, variables: dict[str, str]) -> dict[str, object]:
    """VariableValue children of ``element`` as column → value."""
    out: dict[str, object] = {}
    for value in doc.kids(element, "VariableValue"):
        reference = value.find(doc.q("VariableRef"))
        if reference is None:
            doc.warnings.append(f"{doc.at(value)}: VariableValue without VariableRef ignored")
            continue
        target = str(doc.guid(reference, "targetGUID"))
        if target not in variables:
            doc.warnings.append(f"{doc.at(value)}: value of undeclared variable {target} ignored")
            continue
        out[variables[target]] = _typed(doc, value)
    return out


def _boolean(text: str) -> bool:
    flag = _flag(text)
    if flag is None:
        raise ValueError(text)
    return flag


def _typed(doc: _Doc, value: ET.Element) -> object:
    converters: dict[str, Callable[[str], object]] = {
        "TextValue": str, "BooleanValue": _boolean, "IntegerValue": int, "FloatValue": float,
        "DateValue": str, "DateTimeValue": str}
    for tag, convert in converters.items():
        child = value.find(doc.q(tag))
        if child is not None:
            raw = child.text or ""
            try:
                return convert(raw if tag == "TextValue" else raw.strip())
            except ValueError:
                doc.warnings.append(f"{doc.at(child)}: {raw!r} is not a valid {tag}; kept as text")
                return raw
    return None


def _case_attributes(doc: _Doc, root: ET.Element, variables: dict[str, str],
                     attributes: dict[str, dict[str, object]], skipped: set[str]) -> None:
    for case in doc.kids(root.find(doc.q("Cases")), "Case"):
        doc.register("case", case, str(doc.guid(case)))
        values = _values(doc, case, variables)
        for reference in doc.kids(case, "SourceRef"):
            target = str(doc.guid(reference, "targetGUID"))
            if target not in attributes:
                if target not in skipped:
                    doc.warnings.append(f"{doc.at(case)}: refers to unknown source {target}")
                continue
            own = attributes[target]
            for column, item in values.items():
                if column not in own:
                    own[column] = item
                elif own[column] != item:
                    doc.warnings.append(f"{doc.at(case)}: {column}={item!r} conflicts with {own[column]!r} "
                                        f"already given for source {target}; kept {own[column]!r}")


def _column(values: list[object]) -> pd.Series:
    series = pd.Series(values, dtype=object)
    return series.infer_objects() if len(series) and series.notna().all() else series


def _read_sets(doc: _Doc, root: ET.Element, known: set[str], skipped: set[str]) -> pd.DataFrame:
    rows = []
    for item in doc.kids(root.find(doc.q("Sets")), "Set"):
        guid = str(doc.guid(item))
        doc.register("set", item, guid)
        members = doc.kids(item, "MemberCode") + doc.kids(item, "MemberSource")
        for member in members:
            target = doc.guid(member, "targetGUID" if member.get("targetGUID") is not None else "guid")
            if target in known:
                rows.append((guid, item.get("name") or "", target))
            elif target not in skipped:
                doc.warnings.append(f"{doc.at(item)}: member {target} is neither a code nor a text source")
        if not members:
            doc.warnings.append(f"{doc.at(item)}: empty set not kept")
    return pd.DataFrame(rows, columns=SET_COLUMNS).astype(object)


# ---------------------------------------------------------------------------- codebook

def read_qdc(path: str | Path) -> pd.DataFrame:
    """Read a REFI-QDA codebook (``.qdc``) into a codes table (``CODE_COLUMNS`` + ``color``).

    The standard's codebook file has the root ``CodeBook`` in namespace
    ``urn:QDA-XML:codebook:1.0``; a ``CodeBook`` in the project namespace is accepted too.
    Code sets in the file are not read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a .qdc codebook file")
    root, lines = parse_xml(path.read_bytes(), path)
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    _check_root(root, path, namespace if namespace in (CODEBOOK_NS, PROJECT_NS) else CODEBOOK_NS, "CodeBook")
    doc = _Doc(root, lines, namespace, path)
    codes = _read_codes(doc, root)
    codes.attrs["warnings"] = doc.warnings
    return codes
