"""What an uploaded statement is, read from its content, and the words it holds.

What a file is, is read from its content, never from its name: a PDF starts with `%PDF-`; a
DOCX is a ZIP whose `[Content_Types].xml` declares a Word document's main part; an ODT is a ZIP
whose `mimetype` entry says `application/vnd.oasis.opendocument.text`. `document_text` reads
the words of a DOCX or ODT file, for the record's search (standard library only: a document is
a ZIP of XML parts).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agenda.errors import FloorError


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

DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# The parts read to tell a document from another ZIP are small; a larger one is not ours.
ZIP_PART_LIMIT = 1024 * 1024


def document_type(file) -> DocumentType | None:
    """What `file` (an open binary file) is by its content: PDF, DOCX, ODT, or None."""
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return PDF
    if head[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            found = _zip_document_type(archive)
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        # Not a ZIP, a damaged one, an encrypted one, or one compressed in a way we cannot
        # read: not a document we accept.
        found = None
    file.seek(0)
    return found


def _zip_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > ZIP_PART_LIMIT:
        return None
    with archive.open(info) as part:
        return part.read(ZIP_PART_LIMIT + 1)


def _zip_document_type(archive: zipfile.ZipFile) -> DocumentType | None:
    mimetype = _zip_part(archive, "mimetype")
    if mimetype is not None and mimetype.strip() == ODT.content_type.encode():
        return ODT
    content_types = _zip_part(archive, "[Content_Types].xml")
    if content_types is not None and DOCX_MAIN_PART in content_types:
        return DOCX
    return None


def checked_document(file: UploadedFile, *, field: str = "file") -> DocumentType:
    """The type of an uploaded statement, or a `FloorError` saying what is wrong with it."""
    if file is None:
        raise FloorError(_("Choose the file of the statement."), field=field)
    limit = settings.STATEMENT_MAX_BYTES
    if file.size > limit:
        raise FloorError(
            _("The file is too big: %(size)s MB. A statement may be at most %(limit)s.")
            % {"size": _megabytes_up(file.size), "limit": filesizeformat(limit)},
            field=field,
        )
    if file.size == 0:
        raise FloorError(_("The file is empty."), field=field)
    kind = document_type(file)
    if kind is None:
        raise FloorError(
            _(
                "This file is not a document we accept: upload a PDF, a Word document (DOCX) "
                "or an OpenDocument text (ODT). Its content was checked, not only its name."
            ),
            field=field,
        )
    return kind


def _megabytes_up(size: int) -> str:
    """The size in megabytes, rounded up to a tenth: just over 10 MB is 10.1, not 10.0."""
    return number_format(math.ceil(size * 10 / (1024 * 1024)) / 10, 1)


# --- the words of a document ---------------------------------------------------------------

TEXT_PART_LIMIT = 20 * 1024 * 1024
TEXT_LIMIT = 500_000
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def document_text(data: bytes) -> str:
    """The words of a DOCX or ODT document, paragraph by paragraph; "" for anything else (a
    PDF, a damaged file). Standard library only: a document is a ZIP of XML parts."""
    if data[:4] != b"PK\x03\x04":
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                root = _xml(archive, "word/document.xml")
                paragraphs = [
                    "".join(
                        node.text or ""
                        for node in paragraph.iter()
                        if node.tag == f"{WORD}t" or node.tag == f"{WORD}tab"
                    )
                    for paragraph in root.iter(f"{WORD}p")
                ]
            elif "content.xml" in names:
                root = _xml(archive, "content.xml")
                paragraphs = [
                    "".join(node.itertext())
                    for node in root.iter()
                    if node.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h")
                ]
            else:
                return ""
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, KeyError):
        return ""
    text = "\n".join(p.strip() for p in paragraphs if p.strip())
    return re.sub(r"[ \t]+", " ", text)[:TEXT_LIMIT]


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > TEXT_PART_LIMIT:
        raise ValueError(name)
    with archive.open(info) as part:
        # The parser (expat ≥ 2.4) refuses entity expansion attacks; sizes are capped above.
        return ElementTree.fromstring(part.read(TEXT_PART_LIMIT + 1))  # noqa: S314
