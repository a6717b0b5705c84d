"""The secretariat's documents, served as downloads that no browser runs.

Anyone may download a document's file (`/media/documents/<name>`, the address `Document.link`
gives), in development and in production alike: as an attachment, with the type of what it is
(PDF, DOCX, ODT; anything else, such as a file uploaded before documents were checked, as
`application/octet-stream`), `X-Content-Type-Options: nosniff`, and a Content Security Policy
that sandboxes it and allows nothing (`default-src 'none'; sandbox`): even opened in a tab, an
HTML file could neither run script nor reach the site's origin. Only files of a `Document` are
served; a name outside `documents/` is not found.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .documents import DOCUMENT_TYPES
from .models import Document

SANDBOX = "default-src 'none'; sandbox"
CONTENT_TYPES = {kind.extension: kind.content_type for kind in DOCUMENT_TYPES}


@require_GET
def document_file(request, name: str):
    """A document's file, as a download with safe headers; 404 if no document has it."""
    stored = f"{Document.file.field.upload_to}{name}"
    document = Document.objects.filter(file=stored).only("file").first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    filename = PurePosixPath(name).name
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(
            PurePosixPath(filename).suffix.lower(), "application/octet-stream"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
