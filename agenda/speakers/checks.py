"""What the services of a list check in what they are given, before they lock anything: a
speaker's name, a note, a language, a reason; and what text a database can keep at all (no NUL
character, no unpaired surrogate), which the API's schemas and the site's addresses check too.
Each refusal says why, with its field."""

from django.utils.translation import gettext as _

from agenda.errors import FloorError
from agenda.models import FloorRequest
from agenda.models.speakers import LANGUAGE_CHOICES
from delegations.models import Guest

MAX_SPEAKER_NAME = FloorRequest._meta.get_field("speaker_name").max_length
MAX_NOTE = FloorRequest._meta.get_field("note").max_length
MAX_REASON = FloorRequest._meta.get_field("pin_reason").max_length
MAX_GUEST_TEXT = Guest._meta.get_field("name").max_length


def storable(text: str) -> bool:
    """Whether `text` is text a database can keep: no NUL character (PostgreSQL refuses it)
    and no unpaired surrogate (which no encoding can write; JSON can spell one, "\\ud800")."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def not_text_message(field: str | None = None) -> str:
    """Why a value that is not text is refused, naming what it was where it is known."""
    if field == "speaker_name":
        return _(
            "The speaker's name holds characters that are not text (a NUL character or an "
            "unpaired surrogate)."
        )
    if field == "note":
        return _(
            "The note holds characters that are not text (a NUL character or an unpaired "
            "surrogate)."
        )
    if field == "search":
        return _(
            "The search holds characters that are not text (a NUL character or an unpaired "
            "surrogate): nothing was searched."
        )
    if field == "reason":
        return _(
            "The reason holds characters that are not text (a NUL character or an unpaired "
            "surrogate)."
        )
    return _("This holds characters that are not text (a NUL character or an unpaired surrogate).")


def checked_storable(value: str, field: str) -> str:
    """`value` as it is; a refusal, with its field, when it holds what is not text."""
    if not storable(value):
        raise FloorError(not_text_message(field), field=field)
    return value


def checked_text(value: str, limit: int, field: str, message: str) -> str:
    value = checked_storable((value or "").strip(), field)
    if len(value) > limit:
        raise FloorError(message % {"max": limit}, field=field)
    return value


def checked_reason(reason: str, *, missing: str) -> str:
    """The reason given for a move or a correction, stripped; a refusal when there is none or
    it is too long."""
    reason = checked_storable((reason or "").strip(), "reason")
    if not reason:
        raise FloorError(missing, field="reason")
    return checked_text(
        reason, MAX_REASON, "reason", _("The reason is too long (at most %(max)s characters).")
    )


def checked_speaker_name(name: str) -> str:
    return checked_text(
        name,
        MAX_SPEAKER_NAME,
        "speaker_name",
        _("The speaker's name is too long (at most %(max)s characters)."),
    )


def checked_language(language: str) -> str:
    if language and language not in dict(LANGUAGE_CHOICES):
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")
    return language
