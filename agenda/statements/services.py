"""Statements handed in by delegations: every change goes through this module.

A focal point hands in the text of their delegation's statement on an item, before or after
speaking, as a PDF, DOCX or ODT document of at most `STATEMENT_MAX_BYTES`, and may add versions
in other languages. What a file is, is read from its content, with what its container holds
(`agenda.statements.documents`, `meetings.documents`); it is stored under a generated name with
the extension of what it is. Its words, for the search of the record, are read after the
upload commits, in a worker thread (`agenda.statements.worker`): the upload answers at once.
An account sends at most `UPLOADS_PER_ACCOUNT` files at a time (counted in each server
process); one more is refused with a message.

The services take keyword arguments, check permission (`agenda/rules.py`) and the input, write
in one transaction, and refuse with a `FloorError` (or `NotAllowed`) whose message says why,
with the form field it concerns.

Who may read a statement is in `agenda.statements.selectors`.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from contextlib import contextmanager

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.errors import FloorError, NotAllowed
from agenda.models import AgendaItem, FloorRequest, Statement, StatementFile
from agenda.models.speakers import LANGUAGE_CHOICES
from agenda.speakers.checks import checked_language
from agenda.speakers.ordering import Status
from delegations.models import Delegation, Participation
from meetings.documents import PDF, DocumentType
from meetings.words import document_text

from .documents import checked_document
from .worker import run_after_commit


def _check_language(language: str) -> None:
    if not language:
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")
    checked_language(language)


def _language_name(language: str) -> str:
    return str(dict(LANGUAGE_CHOICES)[language])


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
    except IntegrityError:
        row.file.delete(save=False)
        raise FloorError(
            _("This statement already has a version in %(language)s.")
            % {"language": _language_name(language)},
            field="language",
        ) from None
    # Its words, for the search of the record (DOCX and ODT; a PDF keeps none): once committed,
    # outside the request.
    if kind is not PDF:
        run_after_commit(_text_read, row.pk)
    return row


def _text_read(statement_file_id: int) -> None:
    row = StatementFile.objects.filter(pk=statement_file_id).first()
    if row is not None:
        statement_file_text_read(statement_file=row)


_uploads_lock = threading.Lock()
_uploads: Counter[int] = Counter()


@contextmanager
def _upload_slot(user):
    """One of the account's `UPLOADS_PER_ACCOUNT` uploads at a time, or a `FloorError`."""
    key = user.pk
    with _uploads_lock:
        if _uploads[key] >= settings.UPLOADS_PER_ACCOUNT:
            count = _uploads[key]
            raise FloorError(
                ngettext(
                    "You are already sending %(count)s file. Wait until it is through, then "
                    "send this one again.",
                    "You are already sending %(count)s files. Wait until they are through, "
                    "then send this one again.",
                    count,
                )
                % {"count": count},
                field="file",
            )
        _uploads[key] += 1
    try:
        yield
    finally:
        with _uploads_lock:
            _uploads[key] -= 1
            if not _uploads[key]:
                del _uploads[key]


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
    with _upload_slot(user):
        return _statement_create(
            item=item,
            delegation=delegation,
            user=user,
            language=language,
            file=file,
            check_against_delivery=check_against_delivery,
            is_published=is_published,
        )


def _statement_create(
    *,
    item: AgendaItem,
    delegation: Delegation,
    user,
    language: str,
    file: UploadedFile,
    check_against_delivery: bool,
    is_published: bool,
) -> Statement:
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
    with _upload_slot(user):
        kind = checked_document(file)
        return _statement_file_add(
            statement=statement, user=user, language=language, file=file, kind=kind
        )


def _statement_file_add(
    *, statement: Statement, user, language: str, file: UploadedFile, kind: DocumentType
) -> StatementFile:
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


def statement_file_text_read(*, statement_file: StatementFile) -> str:
    """Read the words of a statement file (DOCX, ODT) for the search and keep them on the row.

    A PDF keeps an empty text: no PDF reader is part of the product.
    """
    try:
        with statement_file.file.open("rb") as handle:
            text = document_text(handle)
    except FileNotFoundError:
        text = ""
    StatementFile.objects.filter(pk=statement_file.pk).update(text=text)
    statement_file.text = text
    return text
