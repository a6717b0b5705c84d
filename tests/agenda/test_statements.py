"""Statements: a focal point hands in their delegation's text as a PDF, DOCX or ODT; what a
file is, is read from its content; it is served as a download with its type, to whom may read
it."""

import html as html_lib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, Statement, StatementFile
from agenda.speakers.services import floor_request_create
from agenda.speakers.speeches import speaker_call_next
from agenda.statements.services import (
    statement_create,
    statement_delete,
    statement_file_add,
    statement_update,
)
from meetings.documents import document_type
from meetings.words import document_text
from tests.documents import (
    docx_bytes,
    exe_bytes,
    odt_bytes,
    pdf_bytes,
    xlsx_like_bytes,
)
from tests.factories import AgendaItemFactory, DelegationFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEN_MB = 10 * 1024 * 1024


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def page_url(floor) -> str:
    return reverse(
        "delegation_statements",
        kwargs={"slug": floor.meeting.slug, "code": "CHL", "item_id": floor.item.pk},
    )


def hand_in(client, floor, name, data, language="es", **extra):
    return client.post(
        page_url(floor),
        {
            "new-file": upload(name, data),
            "new-language": language,
            "new-check_against_delivery": "on",
            **extra,
        },
    )


def errors_of(response, field="file", prefix="new"):
    form = response.context["new_form"] if prefix == "new" else None
    return form.errors.get(field, []) if form else []


# --- what a file is, by content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), PDF),
        (docx_bytes(), DOCX),
        (odt_bytes(), ODT),
    ],
)
def test_documents_are_recognised_by_their_content(data, expected):
    assert document_type(io.BytesIO(data)).content_type == expected


@pytest.mark.parametrize(
    "data",
    [
        exe_bytes(),
        b"",
        b"%PDF",  # cut short
        b"PK\x03\x04 not really a zip",
        xlsx_like_bytes(),
        docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
        b"<html><script>alert(1)</script></html>",
    ],
    ids=[
        "executable",
        "empty",
        "truncated-pdf",
        "broken-zip",
        "spreadsheet",
        "macro-enabled-word",
        "opendocument-spreadsheet",
        "html",
    ],
)
def test_anything_else_is_not_a_document(data):
    assert document_type(io.BytesIO(data)) is None


def test_a_zip_whose_parts_are_too_big_to_read_is_not_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (2 * 1024 * 1024))
    assert document_type(buffer) is None


# --- handing in, through the page -------------------------------------------------------------


def test_a_real_pdf_is_handed_in_and_stored_under_a_generated_name(chile, floor):
    response = hand_in(chile, floor, "Déclaration ../../etc/passwd.pdf", pdf_bytes())

    assert response.status_code == 302
    assert response["Location"] == page_url(floor)
    statement = Statement.objects.get()
    assert (statement.item, statement.delegation) == (floor.item, floor.d["CHL"])
    assert statement.check_against_delivery is True
    assert statement.is_published is False
    row = statement.files.get()
    assert row.language == "es"
    assert row.content_type == PDF
    assert row.size == len(pdf_bytes())
    assert row.original_name == "passwd.pdf"  # only the base name of what was sent
    stored = Path(row.file.name)
    assert stored.parent == Path("statements")
    assert stored.suffix == ".pdf"
    assert len(stored.stem) == 32 and all(c in "0123456789abcdef" for c in stored.stem)
    assert row.file.read() == pdf_bytes()

    page = chile.get(page_url(floor)).content.decode()
    assert "Your statement on 2(c) is handed in." in page
    assert "Spanish" in page
    assert "Not published" in page


def test_control_characters_in_the_file_name_are_dropped(chile, floor):
    assert hand_in(chile, floor, "state\x00ment\x1b.pdf", pdf_bytes()).status_code == 302
    assert StatementFile.objects.get().original_name == "statement.pdf"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        ("statement.docx", docx_bytes(), DOCX, ".docx"),
        ("statement.odt", odt_bytes(), ODT, ".odt"),
        # The name says PDF but the content is a Word document: the content decides.
        ("statement.pdf", docx_bytes(), DOCX, ".docx"),
    ],
)
def test_docx_and_odt_are_handed_in_with_their_type(
    chile, floor, name, data, content_type, extension
):
    assert hand_in(chile, floor, name, data).status_code == 302
    row = StatementFile.objects.get()
    assert row.content_type == content_type
    assert Path(row.file.name).suffix == extension


def test_a_renamed_executable_is_refused_next_to_the_file_field(chile, floor, settings):
    response = hand_in(chile, floor, "statement.pdf", exe_bytes())

    assert response.status_code == 400
    assert errors_of(response) == [
        "This file is not a document we accept: upload a PDF, a Word document (DOCX) or an "
        "OpenDocument text (ODT). Its content was checked, not only its name."
    ]
    html = response.content.decode()
    assert 'id="id_new-file_error"' in html
    assert 'aria-describedby="id_new-file_helptext id_new-file_error"' in html
    assert Statement.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "statements").exists() or not any(
        (Path(settings.MEDIA_ROOT) / "statements").iterdir()
    )


def test_a_file_over_10_mb_is_refused(chile, floor):
    data = pdf_bytes() + b"%" * (TEN_MB + 1 - len(pdf_bytes()))
    response = hand_in(chile, floor, "statement.pdf", data)

    assert response.status_code == 400
    assert errors_of(response) == [
        "The file is too big: 10.1 MB. A statement may be at most 10.0\xa0MB."
    ]
    assert Statement.objects.count() == 0


def test_a_file_of_exactly_10_mb_is_accepted(chile, floor):
    data = pdf_bytes() + b"%" * (TEN_MB - len(pdf_bytes()))
    assert hand_in(chile, floor, "statement.pdf", data).status_code == 302
    assert StatementFile.objects.get().size == TEN_MB


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({}, "file", "Choose the file of the statement."),
        ({"new-file": upload("empty.pdf", b"")}, "file", "The file is empty."),
        (
            {"new-file": upload("s.pdf", pdf_bytes()), "new-language": "de"},
            "language",
            "Choose one of the six languages of the meeting.",
        ),
        ({"new-file": upload("s.pdf", pdf_bytes()), "new-language": ""}, "language", None),
    ],
    ids=["no-file", "empty-file", "unknown-language", "no-language"],
)
def test_missing_or_wrong_input_is_refused_next_to_its_field(chile, floor, post, field, message):
    response = chile.post(page_url(floor), {"new-language": "en", **post})

    assert response.status_code == 400
    errors = errors_of(response, field)
    assert errors == [message or "Choose the language of this version."]
    assert Statement.objects.count() == 0


def field_tag(html: str, name: str) -> str:
    """The HTML tag of the form field called `name`."""
    return re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)[0]


def test_the_first_field_in_error_takes_the_focus(chile, floor):
    html = chile.post(page_url(floor), {"new-language": "xx"}).content.decode()
    assert " autofocus" in field_tag(html, "new-file")
    assert " autofocus" not in field_tag(html, "new-language")
    assert html.count("autofocus") == 1


# --- more languages, settings, deleting -------------------------------------------------------


@pytest.fixture
def handed_in(chile, floor):
    assert hand_in(chile, floor, "statement.pdf", pdf_bytes()).status_code == 302
    return Statement.objects.get()


def desk_url(name, floor, **kwargs):
    return reverse(name, kwargs={"slug": floor.meeting.slug, "code": "CHL", **kwargs})


def test_versions_in_other_languages_are_added(chile, floor, handed_in):
    url = desk_url("statement_file_add", floor, statement_id=handed_in.pk)
    prefix = f"version-{handed_in.pk}"
    response = chile.post(
        url, {f"{prefix}-file": upload("fr.odt", odt_bytes()), f"{prefix}-language": "fr"}
    )
    assert response.status_code == 302
    assert sorted(handed_in.files.values_list("language", "content_type")) == [
        ("es", PDF),
        ("fr", ODT),
    ]

    again = chile.post(
        url, {f"{prefix}-file": upload("fr.pdf", pdf_bytes()), f"{prefix}-language": "fr"}
    )
    assert again.status_code == 400
    form = next(e["file_form"] for e in again.context["entries"])
    assert form.errors["language"] == [
        "This statement already has a version in French. Delete that version first to replace it."
    ]
    assert handed_in.files.count() == 2


def test_a_renamed_executable_is_refused_as_a_version_too(chile, floor, handed_in):
    prefix = f"version-{handed_in.pk}"
    response = chile.post(
        desk_url("statement_file_add", floor, statement_id=handed_in.pk),
        {f"{prefix}-file": upload("en.docx", exe_bytes()), f"{prefix}-language": "en"},
    )
    assert response.status_code == 400
    assert handed_in.files.count() == 1


def test_check_against_delivery_and_publication_are_chosen(chile, floor, handed_in):
    prefix = f"settings-{handed_in.pk}"
    response = chile.post(
        desk_url("statement_settings", floor, statement_id=handed_in.pk),
        {f"{prefix}-is_published": "on"},
    )
    assert response.status_code == 302
    handed_in.refresh_from_db()
    assert (handed_in.check_against_delivery, handed_in.is_published) == (False, True)
    page = chile.get(page_url(floor)).content.decode()
    assert "It becomes public once your delegation has spoken on this item." in page


def test_the_last_version_goes_only_with_the_statement(
    chile, floor, handed_in, django_capture_on_commit_callbacks
):
    only = handed_in.files.get()
    response = chile.post(desk_url("statement_file_delete", floor, file_id=only.pk), follow=True)
    assert (
        "This is the statement's only version. Add another language first, or delete the "
        "whole statement." in html_lib.unescape(response.content.decode())
    )
    assert handed_in.files.count() == 1

    stored = only.file.name
    storage = only.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        chile.post(desk_url("statement_delete", floor, statement_id=handed_in.pk))
    assert Statement.objects.count() == 0
    assert StatementFile.objects.count() == 0
    assert not storage.exists(stored)


def test_a_statement_is_linked_to_the_delegations_request(chile, floor):
    entry = floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    hand_in(chile, floor, "s.pdf", pdf_bytes())
    assert Statement.objects.get().floor_request == entry


# --- the services refuse for others -----------------------------------------------------------


def test_the_services_refuse_another_delegations_focal_point(floor, handed_in):
    france = floor.user("FRA")
    with pytest.raises(NotAllowed):
        statement_create(
            item=floor.item,
            delegation=floor.d["CHL"],
            user=france,
            language="en",
            file=upload("s.pdf", pdf_bytes()),
        )
    with pytest.raises(NotAllowed):
        statement_update(
            statement=handed_in, user=france, check_against_delivery=False, is_published=True
        )
    with pytest.raises(NotAllowed):
        statement_file_add(
            statement=handed_in, user=france, language="en", file=upload("s.pdf", pdf_bytes())
        )
    with pytest.raises(NotAllowed):
        statement_delete(statement=handed_in, user=france)
    assert Statement.objects.count() == 1
    handed_in.refresh_from_db()
    assert handed_in.is_published is False


def test_a_delegation_not_taking_part_cannot_hand_in(floor):
    outsider = DelegationFactory(code="ZZZ", name="Outsider")
    user = FocalPointFactory(delegation=outsider).user
    with pytest.raises(FloorError) as refused:
        statement_create(
            item=floor.item,
            delegation=outsider,
            user=user,
            language="en",
            file=upload("s.pdf", pdf_bytes()),
        )
    assert refused.value.message == "Outsider does not take part in this meeting."


# --- downloads --------------------------------------------------------------------------------


def download(client, row):
    return client.get(reverse("statement_file_download", kwargs={"file_id": row.pk}))


def test_the_file_is_served_as_a_download_with_its_type(chile, floor, handed_in):
    row = handed_in.files.get()
    response = download(chile, row)

    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="CHL-2c-statement-es.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_an_unpublished_statement_is_not_found_for_others(client, floor, handed_in):
    row = handed_in.files.get()
    client.logout()
    assert download(client, row).status_code == 404
    client.force_login(floor.user("FRA"))
    assert download(client, row).status_code == 404
    client.force_login(floor.chair)  # the President chairs every item
    assert download(client, row).status_code == 200


def test_a_published_statement_is_public_once_delivered(client, floor, handed_in):
    row = handed_in.files.get()
    statement_update(
        statement=handed_in,
        user=floor.user("CHL"),
        check_against_delivery=True,
        is_published=True,
    )
    client.logout()
    assert download(client, row).status_code == 404  # published, not yet delivered
    listing = client.get(reverse("statement_list", kwargs={"slug": floor.meeting.slug}))
    assert "No statement has been published yet." in listing.content.decode()

    floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    speaker_call_next(item=floor.item, user=floor.chair)
    assert FloorRequest.objects.get().status == "speaking"

    assert download(client, row).status_code == 200
    listing = client.get(reverse("statement_list", kwargs={"slug": floor.meeting.slug}))
    html = listing.content.decode()
    assert "Chile" in html
    assert reverse("statement_file_download", kwargs={"file_id": row.pk}) in html


def test_unknown_files_are_not_found(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/statements/999999/download/").status_code == 404


def test_a_file_missing_from_storage_is_not_found(chile, floor, handed_in):
    row = handed_in.files.get()
    row.file.storage.delete(row.file.name)
    assert download(chile, row).status_code == 404


def test_the_public_list_runs_a_fixed_number_of_queries(client, floor, django_assert_num_queries):
    def publish(delegation, item):
        statement = Statement.objects.create(item=item, delegation=delegation, is_published=True)
        StatementFile.objects.create(
            statement=statement, language="en", file="statements/x.pdf",
            content_type=PDF, size=1,
        )  # fmt: skip
        FloorRequest.objects.create(
            item=item,
            delegation=delegation,
            category="state_party",
            kind="statement",
            status="spoken",
            requested_at="2025-04-07T10:00:00Z",
        )

    publish(floor.d["CHL"], floor.item)
    url = reverse("statement_list", kwargs={"slug": floor.meeting.slug})
    with django_assert_num_queries(5):
        client.get(url)
    for code in ("FRA", "AUT", "ITA"):
        publish(floor.d[code], AgendaItemFactory(meeting=floor.meeting))
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count('<li class="list-group-item">') == 4


def test_a_handed_in_docx_is_found_by_the_search_of_the_record(
    chile, floor, settings, django_capture_on_commit_callbacks
):
    # Its words are read once the upload commits (by a worker thread; here, at once).
    settings.STATEMENT_TEXT_WORKERS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = hand_in(chile, floor, "statement.docx", docx_bytes("Clearance of Atacama"))

    assert response.status_code == 302
    row = StatementFile.objects.get()
    assert "Atacama" in row.text
    assert document_text(docx_bytes("Clearance of Atacama")) == row.text
