"""An uploaded statement checked: its size, what it is by its content, and what it carries.

What a document is, and the words it holds, is `meetings.documents`' (the secretariat's
documents are checked the same way); here a statement's limit (`STATEMENT_MAX_BYTES`) and the
refusal as a `FloorError` on the form's field.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agenda.errors import FloorError
from meetings.documents import DocumentType, NotADocument, checked_type


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
    try:
        return checked_type(file)
    except NotADocument as refused:
        raise FloorError(refused.message, field=field) from None


def _megabytes_up(size: int) -> str:
    """The size in megabytes, rounded up to a tenth: just over 10 MB is 10.1, not 10.0."""
    return number_format(math.ceil(size * 10 / (1024 * 1024)) / 10, 1)
