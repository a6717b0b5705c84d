"""Reading statements: which anyone may read, and the name a download is saved under.

A statement is public when its delegation published it and has delivered it: it has spoken
(or is speaking) on the item, in a meeting that is not a draft.
"""

from django.db.models import Exists, OuterRef, QuerySet

from agenda.models import FloorRequest, Statement, StatementFile
from agenda.speakers.ordering import Status
from meetings.documents import DOCUMENT_TYPES
from meetings.models import Meeting


def public_statements() -> QuerySet[Statement]:
    """Statements anyone may read: published, delivered, in a meeting that is not a draft."""
    delivered = FloorRequest.objects.filter(
        item=OuterRef("item"),
        delegation=OuterRef("delegation"),
        status__in=[Status.SPOKEN.value, Status.SPEAKING.value],
    )
    return Statement.objects.filter(
        is_published=True, item__meeting__in=Meeting.objects.public()
    ).filter(Exists(delivered))


def download_name(statement_file: StatementFile) -> str:
    """The name a download is saved under: CHL-2c-statement-fr.pdf."""
    statement = statement_file.statement
    code = statement.item.code.replace("(", "").replace(")", "")
    extension = next(
        (t.extension for t in DOCUMENT_TYPES if t.content_type == statement_file.content_type),
        "",
    )
    return f"{statement.delegation.code}-{code}-statement-{statement_file.language}{extension}"
