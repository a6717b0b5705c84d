"""What an uploaded document is, read from its content, and the words it holds.

Every file the site accepts (a delegation's statement, a document of the secretariat) is a
PDF, a Word document (DOCX) or an OpenDocument text (ODT), told by its content, never by its
name, and carries nothing a reader's program could run:

- a PDF starts with `%PDF-`;
- a DOCX is a ZIP whose `[Content_Types].xml`, parsed as XML, declares `/word/document.xml`
  with the main type of a Word document (a comment or any other text that only mentions the
  type does not count); a macro-enabled package is not one;
- an ODT is a ZIP whose `mimetype` entry says `application/vnd.oasis.opendocument.text`;
- and either ZIP is refused when a member is an executable (by its name or by its first
  bytes), a macro (a VBA project; an ODT's `Basic/` or `Scripts/` folders; a macro-enabled
  package inside), an embedded OLE object or ActiveX control (OLE compound files, their
  content types and relationships), or a template fetched from another site; when it is
  encrypted, compressed otherwise than stored or deflated, has a member name twice or more than
  `MAX_PARTS` members, or a part read to tell what it is exceeds `PART_LIMIT`.

XML is read as it comes (`parse_xml`: expat fed in chunks, no tree built, no DTD, a limit on
the bytes read); the words of a document are `meetings.words`'.

This module is the bottom layer's (`meetings`): the statements of `agenda` use it too.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO
from xml.parsers import expat

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str


PDF = DocumentType("application/pdf", ".pdf")
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
ODT = DocumentType("application/vnd.oasis.opendocument.text", ".odt")
DOCUMENT_TYPES = (PDF, DOCX, ODT)

DOCX_MAIN_PART = "/word/document.xml"
DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# The parts read to tell a document from another ZIP are small; a larger one is not ours.
PART_LIMIT = 1024 * 1024
# A statement of a hundred pages with its pictures has a few dozen members.
MAX_PARTS = 2000


class NotADocument(Exception):
    """Why a file is refused. `message` is a sentence for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_accepted() -> NotADocument:
    return NotADocument(
        _(
            "This file is not a document we accept: upload a PDF, a Word document (DOCX) "
            "or an OpenDocument text (ODT). Its content was checked, not only its name."
        )
    )


def _macros(part: str) -> NotADocument:
    return NotADocument(
        _(
            "This document contains macros (%(part)s). Save it as a Word document (DOCX) or an "
            "OpenDocument text (ODT) without macros, then upload it again."
        )
        % {"part": _shown(part)}
    )


def _program(part: str) -> NotADocument:
    return NotADocument(
        _(
            "This document carries a program (%(part)s). Save its text as a new document "
            "without it, then upload it again."
        )
        % {"part": _shown(part)}
    )


def _embedded(part: str) -> NotADocument:
    return NotADocument(
        _(
            "This document embeds an object of another program (%(part)s). Remove it, or "
            "paste it as a picture, then upload the document again."
        )
        % {"part": _shown(part)}
    )


def _shown(part: str) -> str:
    """A member's name as a message may show it: printable, at most 80 characters."""
    printable = "".join(c for c in part if unicodedata.category(c)[0] != "C")
    return printable if len(printable) <= 80 else f"…{printable[-79:]}"


# --- what a file is ----------------------------------------------------------------------------


def document_type(file: BinaryIO) -> DocumentType | None:
    """What `file` (an open binary file) is by its content: PDF, DOCX, ODT, or None when it is
    none of them or carries what a document may not."""
    try:
        return checked_type(file)
    except NotADocument:
        return None


def checked_type(file: BinaryIO) -> DocumentType:
    """What `file` is by its content, or `NotADocument` saying why it is refused."""
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return PDF
    if head[:4] != b"PK\x03\x04" or _zip_entries(file) > MAX_PARTS:
        raise not_accepted()
    try:
        with zipfile.ZipFile(file) as archive:
            kind = _package_type(archive)
            _check_members(archive, kind)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        expat.ExpatError,
        Unreadable,
        Stop,
    ):
        # A damaged ZIP, an encrypted one, one compressed in a way we cannot read, or XML
        # that is not: not a document we accept.
        raise not_accepted() from None
    finally:
        file.seek(0)
    return kind


def _zip_entries(file: BinaryIO) -> int:
    """The number of members a ZIP's end record announces (before `zipfile` reads them all);
    a ZIP64 count (0xFFFF) or no end record counts as too many."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    tail_size = min(size, 22 + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return MAX_PARTS + 1
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return MAX_PARTS + 1 if entries == 0xFFFF else entries


def _package_type(archive: zipfile.ZipFile) -> DocumentType:
    mimetype = _small_part(archive, "mimetype")
    if mimetype is not None:
        if mimetype.strip() == ODT.content_type.encode():
            return ODT
        raise not_accepted()
    declared = _content_types(archive)
    if declared is None or DOCX_MAIN_PART[1:] not in archive.NameToInfo:
        raise not_accepted()
    main = declared.overrides.get(DOCX_MAIN_PART)
    for part, content_type in [*declared.overrides.items(), *declared.defaults.items()]:
        _check_content_type(part, content_type)
    if main != DOCX_MAIN_TYPE:
        raise not_accepted()
    return DOCX


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > PART_LIMIT or info.compress_size > PART_LIMIT:
        raise Unreadable(name)
    with archive.open(info) as part:
        data = part.read(PART_LIMIT + 1)
    if len(data) > PART_LIMIT:
        raise Unreadable(name)
    return data


# --- Office Open XML: [Content_Types].xml and the relationships ---------------------------------

CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class ContentTypes:
    defaults: dict[str, str]  # ".bin" → type
    overrides: dict[str, str]  # "/word/document.xml" → type (part names in lower case)


def _content_types(archive: zipfile.ZipFile) -> ContentTypes | None:
    data = _small_part(archive, "[Content_Types].xml")
    if data is None:
        return None
    declared = ContentTypes({}, {})
    root = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if not root:
            root.append(name)
        elif name == f"{CONTENT_TYPES}Default":
            extension = attributes.get("Extension", "").lower()
            declared.defaults[f".{extension}"] = attributes.get("ContentType", "").strip()
        elif name == f"{CONTENT_TYPES}Override":
            part = attributes.get("PartName", "").lower()
            declared.overrides[part] = attributes.get("ContentType", "").strip()

    parse_xml(io.BytesIO(data), start=start)
    return declared if root == [f"{CONTENT_TYPES}Types"] else None


# Content types and relationships that make a package run or embed another program's code.
MACRO_MARKS = ("macroenabled", "vbaproject", "vbadata")
EMBEDDED_MARKS = ("activex", "oleobject")
MACRO_RELATIONSHIPS = {"vbaproject", "wordvbadata", "keymapcustomizations"}
EMBEDDED_RELATIONSHIPS = {"oleobject", "control", "activexcontrolbinary"}


def _check_content_type(part: str, content_type: str) -> None:
    lowered = content_type.lower()
    if any(mark in lowered for mark in MACRO_MARKS):
        raise _macros(f"{part}: {content_type}")
    if any(mark in lowered for mark in EMBEDDED_MARKS):
        raise _embedded(f"{part}: {content_type}")


def _check_relationships(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A `.rels` part: no link to a macro project, an OLE object or an ActiveX control, and no
    template fetched from another site (the way a DOCX without macros loads some anyway)."""
    data = _small_part(archive, info.filename)

    def start(name: str, attributes: dict[str, str]) -> None:
        if name != f"{RELATIONSHIPS}Relationship":
            return
        kind = attributes.get("Type", "").rstrip("/").rpartition("/")[2].lower()
        target = attributes.get("Target", "").strip()
        external = attributes.get("TargetMode", "").lower() == "external"
        shown = f"{info.filename}: {target}"
        if kind in MACRO_RELATIONSHIPS:
            raise _macros(shown)
        if kind in EMBEDDED_RELATIONSHIPS:
            raise _embedded(shown)
        if kind == "attachedtemplate" and external and _remote(target):
            raise _macros(shown)

    parse_xml(io.BytesIO(data or b""), start=start)


def _remote(target: str) -> bool:
    """Whether a link leaves this computer: a web address, a network share, a host's file."""
    lowered = target.lower().replace("\\", "/")
    return lowered.startswith("//") or (
        ":" in lowered and not lowered.startswith("file:///") and not _drive(lowered)
    )


def _drive(target: str) -> bool:
    return len(target) > 2 and target[0].isalpha() and target[1:3] == ":/"


# --- the members of a container ---------------------------------------------------------------

# Names a member of a document never has.
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "msc", "bat", "cmd", "ps1", "psm1",
    "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "jar", "class", "sh", "app", "apk", "elf",
    "so", "dylib", "lnk", "reg", "inf", "scf", "gadget", "application", "appref-ms",
}  # fmt: skip
MACRO_EXTENSIONS = {
    "docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm",
}  # fmt: skip
MACRO_NAMES = {"vbaproject.bin", "vbadata.xml"}
# The first bytes of programs: Windows (MZ), Linux (ELF), macOS (Mach-O, fat binaries, which
# share their mark with Java classes), scripts (#!).
PROGRAM_MARKS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# An OLE compound file: a VBA project, an embedded OLE object, a Word 97 document.
OLE_MARK = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office Open XML and OpenDocument store their members as they are or deflated.
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _check_members(archive: zipfile.ZipFile, kind: DocumentType) -> None:
    members = archive.infolist()
    if len({info.filename for info in members}) != len(members):
        raise not_accepted()  # a name twice: programs may disagree on which one is read
    for info in members:
        name = info.filename
        lowered = name.lower()
        base = lowered.rpartition("/")[2]
        extension = base.rpartition(".")[2] if "." in base else ""
        if info.flag_bits & 0x1 or info.compress_type not in COMPRESSIONS:
            # Encrypted, or compressed otherwise than both formats allow: what it holds cannot
            # be checked (or could not be read within bounds).
            raise not_accepted()
        if base in MACRO_NAMES or extension in MACRO_EXTENSIONS:
            raise _macros(name)
        if kind is ODT and lowered.startswith(("basic/", "scripts/")):
            raise _macros(name)
        if kind is DOCX and lowered.startswith("word/activex/"):
            raise _embedded(name)
        if extension in EXECUTABLE_EXTENSIONS:
            raise _program(name)
        if info.is_dir():
            continue
        with archive.open(info) as member:
            head = member.read(len(OLE_MARK))
        if head.startswith(PROGRAM_MARKS):
            raise _program(name)
        if head == OLE_MARK:
            raise _macros(name) if "vba" in lowered else _embedded(name)
        if kind is DOCX and extension == "rels":
            _check_relationships(archive, info)


# --- XML, read as it comes --------------------------------------------------------------------

CHUNK = 64 * 1024


class Unreadable(Exception):
    """XML we do not read: a DTD (no document part has one), a part too big."""


class Stop(Exception):
    """A limit was reached: `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_xml(
    stream: BinaryIO, *, start=None, end=None, text=None, limit: int = PART_LIMIT
) -> None:
    """Feed `stream` to expat in chunks, calling `start(name, attributes)`, `end(name)` and
    `text(data)`; names are "namespace}local". Refuses a DTD (so no entity is ever declared or
    expanded) and stops with `Stop("size")` after `limit` bytes, whatever the ZIP announced."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def no_dtd(*_args) -> None:
        raise Unreadable("DTD")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    read = 0
    while chunk := stream.read(CHUNK):
        read += len(chunk)
        if read > limit:
            raise Stop("size")
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
