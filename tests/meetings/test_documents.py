"""Documents that cannot run (issue 11, findings 1 and 12).

Finding 1: a secretariat document is a PDF, DOCX or ODT, checked by its content as statements
are (an `annex.html`, or HTML named `.pdf`, is refused), and every document is served as a
download that no browser runs: attachment, `nosniff`, `default-src 'none'; sandbox`.

Finding 12: what a DOCX or ODT container holds is checked against what the format allows: no
executable, no macros, no embedded OLE object or ActiveX control, no template fetched from
elsewhere; the DOCX's `[Content_Types].xml` is parsed, so a type in a comment does not count.
The same check refuses the same files as statements and as secretariat documents.
"""

import io
import warnings
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.errors import FloorError
from agenda.statements.services import statement_create
from meetings.documents import (
    DOCX,
    MAX_PARTS,
    ODT,
    PDF,
    NotADocument,
    checked_type,
    document_type,
)
from meetings.models import Document
from tests.documents import docx_bytes, exe_bytes, odt_bytes, pdf_bytes, xlsx_like_bytes
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    DocumentFactory,
    FocalPointFactory,
    ParticipationFactory,
    UserFactory,
)

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
HTML = b'<!doctype html><html><body><script src="evil.js"></script></body></html>'
SANDBOX = "default-src 'none'; sandbox"


# --- crafted containers ---------------------------------------------------------------------------


def zipped(entries: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # a name twice, on purpose
        for name, data in entries:
            how = zipfile.ZIP_STORED if name == "mimetype" else method
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=how)
    return buffer.getvalue()


def content_types(*entries: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{TYPES}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(entries) + "</Types>"
    ).encode()


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def relationships(*entries: tuple[str, str, bool]) -> bytes:
    """A .rels part: (type, target, external) for each relationship."""
    rows = "".join(
        f'<Relationship Id="rId{number}" Type="{OFFICE_RELS}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for number, (kind, target, external) in enumerate(entries, start=1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{rows}</Relationships>'.encode()


DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document '
    b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Statement of Chile</w:t></w:r></w:p></w:body></w:document>"
)


def docx(*extra: tuple[str, bytes], types: bytes | None = None, **options) -> bytes:
    """A Word document as Word writes it, with `extra` members."""
    return zipped(
        [
            (
                "[Content_Types].xml",
                types or content_types(override("/word/document.xml", WORD_MAIN)),
            ),
            ("_rels/.rels", relationships(("officeDocument", "word/document.xml", False))),
            ("word/document.xml", DOCUMENT_XML),
            *extra,
        ],
        **options,
    )


def odt(*extra: tuple[str, bytes]) -> bytes:
    """An OpenDocument text, with `extra` members."""
    return zipped(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest '
             b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
            ("content.xml", b'<?xml version="1.0"?><office:document-content xmlns:office='
             b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
            *extra,
        ]
    )  # fmt: skip


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<Types xmlns="' + TYPES.encode() + b'"><Override PartName="/word/document.xml" '
    b'ContentType="' + WORD_MAIN.encode() + b'"/><Default Extension="x" ContentType="&b;"/>'
    b"</Types>"
)

# (id, file, what the refusal says: "program", "macros", "embeds" or "not a document")
REFUSED = [
    ("odt-carrying-an-executable", odt(("Pictures/setup.exe", exe_bytes())), "program"),
    ("odt-carrying-a-program-named-as-a-picture", odt(("Pictures/photo.png", exe_bytes())),
     "program"),
    ("odt-carrying-a-linux-program", odt(("Pictures/run", b"\x7fELF\x02\x01\x01" + bytes(64))),
     "program"),
    ("odt-carrying-a-script", odt(("Pictures/run.sh", b"#!/bin/sh\nrm -rf ~\n")), "program"),
    ("odt-with-basic-macros", odt(("Basic/Standard/Module1.xml", b"<module/>")), "macros"),
    ("odt-with-python-scripts", odt(("Scripts/python/evil.py", b"import os\n")), "macros"),
    ("odt-embedding-an-ole-object", odt(("Object 1", OLE)), "embeds"),
    ("docx-with-a-vba-project", docx(("word/vbaProject.bin", OLE)), "macros"),
    ("docx-declaring-a-vba-project",
     docx(types=content_types(override("/word/document.xml", WORD_MAIN),
                              '<Default Extension="bin" '
                              'ContentType="application/vnd.ms-office.vbaProject"/>')),
     "macros"),
    ("docx-macro-enabled", docx(types=content_types(override("/word/document.xml", MACRO_MAIN))),
     "macros"),
    ("docx-macro-enabled-with-the-docx-type-in-a-comment",
     docx(types=content_types(f"<!-- {WORD_MAIN} -->",
                              override("/word/document.xml", MACRO_MAIN))),
     "macros"),
    ("docx-whose-type-is-only-in-a-comment",
     docx(types=content_types(f"<!-- {override('/word/document.xml', WORD_MAIN)} -->")),
     "not a document"),
    ("docx-whose-type-is-in-an-attribute-of-something-else",
     docx(types=content_types(override("/word/other.xml", WORD_MAIN)) ),
     "not a document"),
    ("docx-macro-enabled-package-inside",
     docx(("word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm", xlsx_like_bytes())),
     "macros"),
    ("docx-embedding-an-ole-object", docx(("word/embeddings/oleObject1.bin", OLE)), "embeds"),
    ("docx-with-an-activex-control", docx(("word/activeX/activeX1.xml", b"<ax/>")), "embeds"),
    ("docx-linking-an-ole-object-elsewhere",  # the way CVE-2022-30190 ("Follina") ran code
     docx(("word/_rels/document.xml.rels",
           relationships(("oleObject", "http://evil.example/x.html!", True)))),
     "embeds"),
    ("docx-fetching-a-template-from-another-site",
     docx(("word/_rels/settings.xml.rels",
           relationships(("attachedTemplate", "https://evil.example/t.dotm", True)))),
     "macros"),
    ("docx-fetching-a-template-from-a-share",
     docx(("word/_rels/settings.xml.rels",
           relationships(("attachedTemplate", "\\\\evil.example\\share\\t.dotm", True)))),
     "macros"),
    ("docx-carrying-an-executable", docx(("word/media/image1.png", exe_bytes())), "program"),
    ("docx-carrying-a-dll", docx(("word/x.dll", b"data")), "program"),
    ("docx-with-a-dtd", docx(types=BILLION_LAUGHS), "not a document"),
    ("docx-compressed-with-bzip2", docx(method=zipfile.ZIP_BZIP2), "not a document"),
    ("docx-with-a-part-twice", docx(("word/document.xml", b"<other/>")), "not a document"),
    ("zip-with-too-many-members",
     docx(*[(f"word/media/image{n}.png", b"\x89PNG") for n in range(MAX_PARTS)]),
     "not a document"),
]  # fmt: skip

ACCEPTED = [
    ("plain-docx", docx_bytes(), DOCX),
    ("plain-odt", odt_bytes(), ODT),
    ("docx-with-a-picture", docx(("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(32))),
     DOCX),
    ("docx-with-a-chart", docx(
        ("word/charts/chart1.xml", b"<c:chartSpace/>"),
        ("word/charts/_rels/chart1.xml.rels",
         relationships(("package", "../embeddings/Microsoft_Excel_Worksheet.xlsx", False))),
        ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx_like_bytes())), DOCX),
    ("docx-with-printer-settings", docx(("word/printerSettings/printerSettings1.bin",
                                         "HP LaserJet".encode("utf-16-le") + bytes(100))), DOCX),
    ("docx-with-the-normal-template-on-this-computer",
     docx(("word/_rels/settings.xml.rels", relationships(
         ("attachedTemplate", "file:///C:\\Users\\ana\\Templates\\Normal.dotm", True)))), DOCX),
    ("docx-naming-its-main-part-in-capitals",
     docx(types=content_types(override("/WORD/DOCUMENT.XML", WORD_MAIN))), DOCX),
    ("odt-with-a-picture-and-a-chart", odt(("Pictures/1.png", b"\x89PNG\r\n\x1a\n"),
                                           ("Object 1/content.xml", b"<chart/>"),
                                           ("ObjectReplacements/Object 1", b"\x01\x00\x00\x00")),
     ODT),
    ("pdf", pdf_bytes(), PDF),
]  # fmt: skip

MESSAGES = {
    "program": "carries a program",
    "macros": "contains macros",
    "embeds": "embeds an object of another program",
    "not a document": "This file is not a document we accept",
}


@pytest.mark.parametrize(("data", "what"), [p[1:] for p in REFUSED], ids=[p[0] for p in REFUSED])
def test_a_container_carrying_what_a_document_may_not_is_refused(data, what):
    with pytest.raises(NotADocument) as refused:
        checked_type(io.BytesIO(data))

    assert MESSAGES[what] in refused.value.message
    assert document_type(io.BytesIO(data)) is None


@pytest.mark.parametrize(("data", "kind"), [p[1:] for p in ACCEPTED], ids=[p[0] for p in ACCEPTED])
def test_ordinary_documents_are_accepted(data, kind):
    assert checked_type(io.BytesIO(data)) == kind


def test_the_refusal_names_the_part():
    with pytest.raises(NotADocument) as refused:
        checked_type(io.BytesIO(odt(("Pictures/setup.exe", exe_bytes()))))

    assert refused.value.message == (
        "This document carries a program (Pictures/setup.exe). Save its text as a new document "
        "without it, then upload it again."
    )


# --- statements and secretariat documents alike ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "what"),
    [
        (odt(("Pictures/setup.exe", exe_bytes())), "program"),
        (docx(("word/vbaProject.bin", OLE)), "macros"),
        (docx(("word/embeddings/oleObject1.bin", OLE)), "embeds"),
    ],
    ids=["executable", "macros", "ole-object"],
)
def test_a_statement_carrying_it_is_refused(data, what):
    item = AgendaItemFactory()
    chile = DelegationFactory(code="CHL")
    ParticipationFactory(meeting=item.meeting, delegation=chile)
    focal_point = FocalPointFactory(delegation=chile).user

    with pytest.raises(FloorError) as refused:
        statement_create(
            item=item,
            delegation=chile,
            user=focal_point,
            language="en",
            file=SimpleUploadedFile("statement.odt", data),
        )

    assert MESSAGES[what] in refused.value.message
    assert refused.value.field == "file"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("annex.html", HTML, "not a document"),
        ("annex.pdf", HTML, "not a document"),  # HTML dressed as a PDF
        ("evil.js", b"alert(document.cookie)", "not a document"),
        ("annex.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "not a document"),
        ("annex.odt", odt(("Pictures/setup.exe", exe_bytes())), "program"),
        ("annex.docx", docx(("word/vbaProject.bin", OLE)), "macros"),
        ("annex.docx", docx(("word/embeddings/oleObject1.bin", OLE)), "embeds"),
    ],
    ids=["html", "html-named-pdf", "script", "svg", "odt-executable", "docx-macros", "docx-ole"],
)  # fmt: skip
def test_a_secretariat_document_that_is_not_one_is_refused(name, data, what):
    document = Document(
        symbol="CCM/MSP/2024/11", title="Annex", file=SimpleUploadedFile(name, data)
    )

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    [message] = refused.value.message_dict["file"]
    assert MESSAGES[what] in message


@pytest.fixture
def secretariat(client, db):
    client.force_login(UserFactory(username="secretariat", is_staff=True, is_superuser=True))
    return client


def add_document(client, name: str, data: bytes):
    return client.post(
        reverse("admin:meetings_document_add"),
        {
            "symbol": "CCM/MSP/2024/11",
            "title_en": "Annex",
            "kind": "other",
            "url": "",
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_the_admin_refuses_an_html_annex(secretariat, settings):
    response = add_document(secretariat, "annex.html", HTML)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "This file is not a document we accept: upload a PDF, a Word document (DOCX) or an "
        "OpenDocument text (ODT). Its content was checked, not only its name."
    ]
    assert Document.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "documents").exists()


def test_the_admin_stores_a_document_with_the_extension_of_what_it_is(secretariat):
    response = add_document(secretariat, "report.html", pdf_bytes())

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name == "documents/report.pdf"
    assert document.link == "/media/documents/report.pdf"


# --- served as a download no browser runs ---------------------------------------------------------


def stored(name: str, data: bytes) -> Document:
    """A document whose file is stored as given (as before documents were checked)."""
    document = DocumentFactory()
    document.file.save(name, ContentFile(data))
    return document


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["development", "production"])
def test_a_document_is_served_as_an_attachment_that_cannot_run(client, settings, debug):
    settings.DEBUG = debug
    document = stored("report.pdf", pdf_bytes())

    response = client.get(document.link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("annex.html", HTML, "application/octet-stream"),
        ("evil.js", b"alert(1)", "application/octet-stream"),
        ("annex.pdf", HTML, "application/pdf"),
        (
            "paper.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("paper.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_a_file_uploaded_before_documents_were_checked_is_served_inert(
    client, name, data, content_type
):
    document = stored(name, data)

    response = client.get(document.link)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


@pytest.mark.django_db
def test_only_the_files_of_documents_are_served(client, settings):
    stored("report.pdf", pdf_bytes())
    (settings.MEDIA_ROOT / "documents" / "orphan.pdf").write_bytes(pdf_bytes())
    (settings.MEDIA_ROOT / "statements").mkdir()
    (settings.MEDIA_ROOT / "statements" / "secret.pdf").write_bytes(pdf_bytes())

    assert client.get("/media/documents/orphan.pdf").status_code == 404
    assert client.get("/media/documents/../statements/secret.pdf").status_code == 404
    assert client.get("/media/documents/%2e%2e/statements/secret.pdf").status_code == 404
    assert client.get("/media/statements/secret.pdf").status_code == 404
    assert client.post("/media/documents/report.pdf").status_code == 405
