"""The words of a document (DOCX, ODT), for the record's search, read within bounds.

`document_words` reads them incrementally: expat, fed from the ZIP member as it is decompressed
(`meetings.documents.parse_xml`), builds no tree and keeps only the text of paragraphs. It stops
at limits on the part's size (compressed and not, whatever the ZIP announces), on the number of
elements and on the text kept, and keeps what it read before. A 29 KB file of 19 MB of empty
paragraphs stops at `ELEMENT_LIMIT` (about 1.2 MB of it read) instead of costing hundreds of
MB. A DTD is refused, so no entity is expanded.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO
from xml.parsers import expat

from .documents import COMPRESSIONS, Stop, Unreadable, parse_xml

# The XML of the words may be this big, compressed and not; more is not read.
TEXT_PART_COMPRESSED_LIMIT = 10 * 1024 * 1024
TEXT_PART_LIMIT = 20 * 1024 * 1024
# A statement of a hundred pages has some 50,000 elements.
ELEMENT_LIMIT = 200_000
TEXT_LIMIT = 500_000

WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main}",
    "http://purl.oclc.org/ooxml/wordprocessingml/main}",  # Strict Open XML
)
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class Words:
    """The words of a document, and which limit stopped the reading, if one did ("elements",
    "text", "size"): the text is then what was read before it."""

    text: str
    stopped: str = ""


@dataclass(frozen=True)
class _Grammar:
    """Where the words are: paragraphs, the elements whose text counts (None: any inside a
    paragraph), and empty elements that stand for a space (tabs, line breaks)."""

    paragraphs: frozenset[str]
    texts: frozenset[str] | None
    spaces: frozenset[str]


WORD_GRAMMAR = _Grammar(
    paragraphs=frozenset(f"{ns}p" for ns in WORD_NAMESPACES),
    texts=frozenset(f"{ns}t" for ns in WORD_NAMESPACES),
    spaces=frozenset(f"{ns}{tag}" for ns in WORD_NAMESPACES for tag in ("tab", "br", "cr")),
)
ODF_GRAMMAR = _Grammar(
    paragraphs=frozenset({f"{ODF_TEXT}p", f"{ODF_TEXT}h"}),
    texts=None,
    spaces=frozenset({f"{ODF_TEXT}s", f"{ODF_TEXT}tab", f"{ODF_TEXT}line-break"}),
)


class _Reader:
    """Collects the text of paragraphs from expat's events, within the limits."""

    def __init__(self, grammar: _Grammar) -> None:
        self.grammar = grammar
        self.paragraphs: list[str] = []
        self.open: list[list[str]] = []  # the paragraphs being read, innermost last
        self.inside_text = 0
        self.elements = 0
        self.kept = 0

    def start(self, name: str, _attributes) -> None:
        self.elements += 1
        if self.elements > ELEMENT_LIMIT:
            raise Stop("elements")
        grammar = self.grammar
        if name in grammar.paragraphs:
            self.open.append([])
        elif grammar.texts is not None and name in grammar.texts:
            self.inside_text += 1
        elif name in grammar.spaces and self.open:
            self.open[-1].append(" ")

    def end(self, name: str) -> None:
        grammar = self.grammar
        if name in grammar.paragraphs:
            paragraph = "".join(self.open.pop()).strip()
            if paragraph:
                self.paragraphs.append(paragraph)
        elif grammar.texts is not None and name in grammar.texts:
            self.inside_text -= 1

    def text(self, data: str) -> None:
        if not self.open or (self.grammar.texts is not None and not self.inside_text):
            return
        self.kept += len(data)
        if self.kept > TEXT_LIMIT:
            raise Stop("text")
        self.open[-1].append(data)

    def words(self, stopped: str = "") -> Words:
        # What was read of the paragraphs still open when a limit stopped the reading counts.
        paragraphs = [*self.paragraphs, *("".join(parts) for parts in self.open)]
        text = "\n".join(p.strip() for p in paragraphs if p.strip())
        return Words(re.sub(r"[ \t]+", " ", text)[:TEXT_LIMIT], stopped)


def document_text(file: BinaryIO | bytes) -> str:
    """The words of a DOCX or ODT document, paragraph by paragraph; "" for anything else (a
    PDF, a damaged file)."""
    return document_words(file).text


def document_words(file: BinaryIO | bytes) -> Words:
    """The words of a DOCX or ODT document (`file`: an open binary file, or its bytes), read
    incrementally within the limits."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":
        return Words("")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.NameToInfo
            if "word/document.xml" in names:
                info, reader = names["word/document.xml"], _Reader(WORD_GRAMMAR)
            elif "content.xml" in names:
                info, reader = names["content.xml"], _Reader(ODF_GRAMMAR)
            else:
                return Words("")
            if info.compress_type not in COMPRESSIONS:
                return Words("")  # a bzip2 or LZMA member would not be read within bounds
            if info.compress_size > TEXT_PART_COMPRESSED_LIMIT or info.file_size > TEXT_PART_LIMIT:
                return Words("", "size")
            with archive.open(info) as part:
                try:
                    parse_xml(
                        part,
                        start=reader.start,
                        end=reader.end,
                        text=reader.text,
                        limit=TEXT_PART_LIMIT,
                    )
                except Stop as stop:
                    return reader.words(stop.reason)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        KeyError,
        expat.ExpatError,
        Unreadable,
    ):
        return Words("")
    return reader.words()
