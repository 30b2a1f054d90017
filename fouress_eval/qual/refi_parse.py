"""Getting at a REFI-QDA file's raw content: XML with line numbers, checked GUIDs, source texts.

* :func:`parse_xml` parses safely (no entity declarations) and keeps each element's line;
  :class:`_Doc` wraps the tree with namespace-aware lookups, GUID reading (any case, with or
  without braces) and the duplicate-GUID check, and words errors as "<element> at line N";
  :func:`_check_root` checks the root element and its namespace.
* :class:`_Texts` finds a source's plain text from its ``plainTextPath`` — inside the ``.qdpx``
  archive (``sources/``, ``Sources/`` or the root), beside a bare ``project.qde`` or on disk —
  and decodes it, dropping a UTF-8/UTF-16 byte-order mark so that offset 0 is the first
  character.

Turning the parsed project into a :class:`~fouress_eval.qual.corpus.Corpus` is
:mod:`.refi_read`'s job; the reading decisions are listed there.
"""

from __future__ import annotations

import codecs
import re
import urllib.parse
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable
from xml.etree import ElementTree as ET
from xml.parsers import expat

from ..errors import InputError
from .corpus import canonical_guid

__all__ = ["PROJECT_NS", "CODEBOOK_NS", "parse_xml"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


# ---------------------------------------------------------------------------- XML with line numbers

def parse_xml(data: bytes, where: str | Path) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML into an ElementTree, with ``id(element) -> line`` for error messages.

    Entity declarations are refused (no entity expansion attacks from untrusted project files).
    """
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def qualify(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        element = builder.start(qualify(name), {qualify(k): v for k, v in attrs.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def refuse_entities(*_args: object) -> None:
        raise InputError("XML entity declarations are not allowed in a REFI-QDA file", file=where)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(qualify(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(f"not well-formed XML: {expat.ErrorString(exc.code)} at line {exc.lineno}, "
                         f"column {exc.offset + 1}", file=where,
                         expected="a REFI-QDA XML file") from None
    return builder.close(), lines


class _Doc:
    """A parsed document: namespace-aware lookups, GUIDs and locations for messages."""

    def __init__(self, root: ET.Element, lines: dict[int, int], ns: str, where: str | Path) -> None:
        self.root, self.lines, self.ns, self.where = root, lines, ns, where
        self.seen: dict[tuple[str, str], ET.Element] = {}
        self.warnings: list[str] = []

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def kids(self, element: ET.Element | None, local: str) -> list[ET.Element]:
        return [] if element is None else element.findall(self.q(local))

    def at(self, element: ET.Element, what: str | None = None) -> str:
        kind = element.tag.rsplit("}", 1)[-1]
        label = what or (f"{kind} '{element.get('name')}'" if element.get("name") else kind)
        return f"{label} at line {self.lines.get(id(element), '?')}"

    def error(self, element: ET.Element, message: str, value: object = None, expected: str | None = None,
              what: str | None = None) -> InputError:
        return InputError(f"{self.at(element, what)}: {message}", file=self.where, value=value, expected=expected)

    def guid(self, element: ET.Element, attribute: str = "guid", *, required: bool = True,
             what: str | None = None) -> str | None:
        value = element.get(attribute)
        if value is None or not value.strip():
            if not required:
                return None
            raise self.error(element, f"attribute {attribute} is missing", expected="a GUID", what=what)
        try:
            return canonical_guid(value)
        except InputError:
            raise self.error(element, f"attribute {attribute} is not a GUID", value=value,
                             expected="a GUID such as 8D0E2F5C-1B2A-4C3D-9E8F-0A1B2C3D4E5F or {…}",
                             what=what) from None

    def register(self, kind: str, element: ET.Element, guid: str) -> None:
        first = self.seen.setdefault((kind, guid), element)
        if first is not element:
            raise InputError(f"duplicate GUID {guid}: {self.at(first)} and {self.at(element)} share it",
                             file=self.where, expected=f"each {kind} with its own GUID")

    def integer(self, element: ET.Element, attribute: str) -> int:
        value = element.get(attribute)
        try:
            return int(str(value).strip())
        except ValueError:
            raise self.error(element, f"attribute {attribute} is missing or not a whole number", value=value,
                             expected="a character position such as 0 or 1523") from None


def _flag(value: str | None, default: bool = True) -> bool | None:
    """xsd:boolean, leniently (True/False/yes/no too); None if unreadable."""
    if value is None:
        return default
    text = value.strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    return None


def _check_root(root: ET.Element, where: Path, ns: str, local: str) -> None:
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if name != local:
        hint = "; this is a codebook, read it with read_qdc" if name == "CodeBook" else (
            "; this is a project, not a codebook" if name == "Project" else "")
        raise InputError(f"the root element is <{name}>{hint}", file=where, value=name,
                         expected=f"<{local}> in namespace {ns}")
    if namespace != ns:
        raise InputError(f"the <{name}> element is in the wrong XML namespace", file=where,
                         value=namespace or "(no namespace)", expected=ns)


# ---------------------------------------------------------------------------- source texts

def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8")


class _Texts:
    """Finds a source's plain text from its ``plainTextPath`` inside the archive or on disk."""

    def __init__(self, base_dir: Path, archive: zipfile.ZipFile | None, base_path: str | None) -> None:
        self.base_dir, self.archive = base_dir, archive
        self.base_path = base_path
        self.members: dict[str, str] = {}
        if archive is not None:
            for name in sorted(archive.namelist(), key=lambda n: (n.count("/"), n)):
                if not name.endswith("/"):
                    self.members.setdefault(PurePosixPath(name).name.lower(), name)

    def load(self, reference: str) -> tuple[str | None, str | None]:
        """(text, None) or (None, problem)."""
        scheme, rest = _split_reference(reference)
        candidates: list[Callable[[], bytes | None]] = []
        name = PurePosixPath(rest.replace("\\", "/")).name
        if scheme == "internal":
            candidates.append(lambda: self._member(name))
            if self.archive is None:  # a bare project.qde: look beside it (an unpacked .qdpx)
                candidates += [self._file(self.base_dir / d / rest) for d in ("sources", "Sources", "")]
        else:
            location = Path(rest)
            if location.is_absolute():
                candidates.append(self._file(location))
            else:
                rel = rest.lstrip("/\\")
                if self.base_path:
                    candidates.append(self._file(Path(self.base_path) / rel))
                candidates.append(self._file(self.base_dir / rel))
            candidates.append(lambda: self._member(name))
        for candidate in candidates:
            data = candidate()
            if data is not None:
                try:
                    return _decode(data), None
                except UnicodeDecodeError as exc:
                    return None, f"source text {reference!r} is not UTF-8 text (byte {exc.start})"
        return None, f"source text file {reference!r} not found"

    def _member(self, name: str) -> bytes | None:
        member = self.members.get(name.lower())
        return None if member is None or self.archive is None else self.archive.read(member)

    @staticmethod
    def _file(location: Path) -> Callable[[], bytes | None]:
        return lambda: location.read_bytes() if location.is_file() else None


def _split_reference(reference: str) -> tuple[str, str]:
    """``internal://x.txt`` → ("internal", "x.txt"); also relative://, absolute://, file://, bare paths."""
    value = reference.strip()
    match = re.match(r"^(internal|relative|absolute|file)://(.*)$", value, flags=re.IGNORECASE | re.DOTALL)
    if not match:
        return "", value
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme == "file":
        rest = urllib.parse.unquote(rest)
    if scheme in ("absolute", "file") and re.match(r"^/[A-Za-z]:[/\\]", rest):
        rest = rest[1:]  # /C:/… on Windows
    if scheme == "relative":
        rest = rest.lstrip("/")
    return scheme, rest


def _base_path(value: str | None) -> str | None:
    """The project's ``basePath`` attribute as a path without its URI scheme; None when absent."""
    if not value:
        return None
    return _split_reference(value)[1] or None
