"""Statements handed in by delegations: every change goes through this module.

A focal point hands in the text of their delegation's statement on an item, before or after
speaking, as a PDF, DOCX or ODT document of at most `STATEMENT_MAX_BYTES`, and may add versions
in other languages. What a file is, is read from its content, never from its name: a PDF
starts with `%PDF-`; a DOCX is a ZIP whose `[Content_Types].xml` declares a Word document's
main part; an ODT is a ZIP whose `mimetype` entry says `application/vnd.oasis.opendocument.text`.
The file is stored under a generated name with the extension of what it is.

The services take keyword arguments, check permission (`agenda/rules.py`) and the input, write
in one transaction, and refuse with a `FloorError` (or `NotAllowed`) whose message says why,
with the form field it concerns.

A statement is public when its delegation published it and has delivered it: it has spoken
(or is speaking) on the item, in a meeting that is not a draft (`public_statements`).
"""

from __future__ import annotations

import math
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from delegations.models import Delegation, Participation
from meetings.models import Meeting

from .models import LANGUAGE_CHOICES, AgendaItem, FloorRequest, Statement, StatementFile
from .ordering import Status
from .services import FloorError, NotAllowed, statement_file_text_read

# --- what a file is ---------------------------------------------------------------------------


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


def _check_language(language: str) -> None:
    if language not in dict(LANGUAGE_CHOICES):
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")


def _language_name(language: str) -> str:
    return str(dict(LANGUAGE_CHOICES)[language])


# --- reading ---------------------------------------------------------------------------------


def public_statements() -> QuerySet[Statement]:
    """Statements anyone may read: published, delivered, in a meeting that is not a draft."""
    delivered = FloorRequest.objects.filter(
        item=OuterRef("item"),
        delegation=OuterRef("delegation"),
        status__in=[Status.SPOKEN.value, Status.SPEAKING.value],
    )
    return (
        Statement.objects.filter(is_published=True)
        .exclude(item__meeting__status=Meeting.Status.DRAFT)
        .filter(Exists(delivered))
    )


def download_name(statement_file: StatementFile) -> str:
    """The name a download is saved under: CHL-2c-statement-fr.pdf."""
    statement = statement_file.statement
    code = statement.item.code.replace("(", "").replace(")", "")
    extension = next(
        (t.extension for t in DOCUMENT_TYPES if t.content_type == statement_file.content_type),
        "",
    )
    return f"{statement.delegation.code}-{code}-statement-{statement_file.language}{extension}"


# --- writing ---------------------------------------------------------------------------------


def _store(
    *, statement: Statement, language: str, file: UploadedFile, kind: DocumentType, user
) -> StatementFile:
    """Write the file under a generated name, then its row. Call inside `_stored_files`."""
    # Kept to show the uploader what they sent; control characters (NUL among them, which
    # PostgreSQL refuses) are dropped.
    original = "".join(c for c in (file.name or "") if unicodedata.category(c) != "Cc")[-255:]
    row = StatementFile(
        statement=statement,
        language=language,
        original_name=original,
        content_type=kind.content_type,
        size=file.size,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    # statement_upload_to generates the stored name; only the extension is taken from here.
    row.file.save(f"statement{kind.extension}", file, save=False)
    try:
        with transaction.atomic():
            row.save()
            # Its words, for the search of the record (DOCX and ODT; a PDF keeps none).
            statement_file_text_read(statement_file=row)
    except IntegrityError:
        row.file.delete(save=False)
        raise FloorError(
            _("This statement already has a version in %(language)s.")
            % {"language": _language_name(language)},
            field="language",
        ) from None
    return row


@contextmanager
def _stored_files(rows: list[StatementFile]):
    """Delete the files written inside the block if the block fails: no file without a row."""
    try:
        yield rows
    except BaseException:
        for row in rows:
            row.file.delete(save=False)
        raise


def statement_create(
    *,
    item: AgendaItem,
    delegation: Delegation,
    user,
    language: str,
    file: UploadedFile,
    check_against_delivery: bool = True,
    is_published: bool = False,
) -> Statement:
    """Hand in a delegation's statement on an item, with its first file.

    The statement is linked to the delegation's latest request for the floor on the item
    (waiting, speaking or spoken), if there is one.
    """
    if not user.has_perm("agenda.act_for_delegation", delegation):
        raise NotAllowed(_("You may hand in statements only for your own delegation."))
    _check_language(language)
    kind = checked_document(file)
    if not Participation.objects.filter(meeting_id=item.meeting_id, delegation=delegation).exists():
        raise FloorError(
            _("%(delegation)s does not take part in this meeting.")
            % {"delegation": delegation.name}
        )
    speech = (
        FloorRequest.objects.filter(
            item=item,
            delegation=delegation,
            status__in=[Status.WAITING.value, Status.SPEAKING.value, Status.SPOKEN.value],
        )
        .order_by("-requested_at", "-id")
        .first()
    )
    with _stored_files([]) as stored, transaction.atomic():
        statement = Statement.objects.create(
            item=item,
            delegation=delegation,
            floor_request=speech,
            check_against_delivery=bool(check_against_delivery),
            is_published=bool(is_published),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        stored.append(
            _store(statement=statement, language=language, file=file, kind=kind, user=user)
        )
    return statement


def statement_file_add(
    *, statement: Statement, user, language: str, file: UploadedFile
) -> StatementFile:
    """Add the statement's version in another language."""
    if not user.has_perm("agenda.manage_statement", statement):
        raise NotAllowed(_("You may change only your own delegation's statements."))
    _check_language(language)
    kind = checked_document(file)
    with _stored_files([]) as stored, transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.files.filter(language=language).exists():
            raise FloorError(
                _(
                    "This statement already has a version in %(language)s. Delete that "
                    "version first to replace it."
                )
                % {"language": _language_name(language)},
                field="language",
            )
        row = _store(statement=statement, language=language, file=file, kind=kind, user=user)
        stored.append(row)
    return row


def statement_update(
    *, statement: Statement, user, check_against_delivery: bool, is_published: bool
) -> Statement:
    """Mark the statement "check against delivery" or not; publish it or not."""
    if not user.has_perm("agenda.manage_statement", statement):
        raise NotAllowed(_("You may change only your own delegation's statements."))
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        statement.check_against_delivery = bool(check_against_delivery)
        statement.is_published = bool(is_published)
        statement.save(update_fields=["check_against_delivery", "is_published"])
    return statement


def statement_file_delete(*, statement_file: StatementFile, user) -> None:
    """Delete one language version. The last one goes only with the statement itself."""
    statement = statement_file.statement
    if not user.has_perm("agenda.manage_statement", statement):
        raise NotAllowed(_("You may change only your own delegation's statements."))
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        files = list(statement.files.all())
        row = next((f for f in files if f.pk == statement_file.pk), None)
        if row is None:
            raise FloorError(_("This version was deleted already."))
        if len(files) == 1:
            raise FloorError(
                _(
                    "This is the statement's only version. Add another language first, or "
                    "delete the whole statement."
                )
            )
        row.delete()
        name, storage = row.file.name, row.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def statement_delete(*, statement: Statement, user) -> None:
    """Delete a statement with all its versions."""
    if not user.has_perm("agenda.manage_statement", statement):
        raise NotAllowed(_("You may change only your own delegation's statements."))
    with transaction.atomic():
        files = [(row.file.name, row.file.storage) for row in statement.files.all()]
        deleted, _counts = Statement.objects.filter(pk=statement.pk).delete()
        if not deleted:
            raise FloorError(_("This statement was deleted already."))

        def remove() -> None:
            for name, storage in files:
                storage.delete(name)

        transaction.on_commit(remove)
