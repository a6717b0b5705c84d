"""What the services of a list check in what they are given, before they lock anything: a
speaker's name, a note, a language, a reason. Each refusal says why, with its field."""

from django.utils.translation import gettext as _

from agenda.errors import FloorError
from agenda.models import FloorRequest
from agenda.models.speakers import LANGUAGE_CHOICES

MAX_SPEAKER_NAME = FloorRequest._meta.get_field("speaker_name").max_length
MAX_NOTE = FloorRequest._meta.get_field("note").max_length
MAX_REASON = FloorRequest._meta.get_field("pin_reason").max_length


def checked_text(value: str, limit: int, field: str, message: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise FloorError(message % {"max": limit}, field=field)
    return value


def checked_reason(reason: str, *, missing: str) -> str:
    """The reason given for a move or a correction, stripped; a refusal when there is none or
    it is too long."""
    reason = (reason or "").strip()
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
