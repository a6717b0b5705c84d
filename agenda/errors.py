"""Refusals: what every service of `agenda` raises when it will not do what it is asked.

A refusal's message says why in plain words, with the form field it concerns, if any. Pages
put it beside that field; the JSON API answers it with the status code the refusal carries.
"""

from django.utils.translation import gettext as _


class FloorError(Exception):
    """A refused action. `field` names the form field the message belongs to, if any."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(FloorError):
    """The user may not do this (403)."""

    status_code = 403


class StaleList(FloorError):
    """The chair acted on a version of the list that is not the current one (409)."""

    status_code = 409

    def __init__(self, version: int) -> None:
        super().__init__(
            _(
                "The list changed since you loaded it (it is now at version %(version)s): "
                "nothing was done. Here is the list as it stands."
            )
            % {"version": version}
        )
        self.version = version


class StaleAgenda(FloorError):
    """The chair acted on an item under discussion that is not the current one (409)."""

    status_code = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "The item under discussion changed since you loaded the page: nothing was done. "
                "Here is the meeting as it stands."
            )
        )


class PausedSpeech(FloorError):
    """ "Next" would end a paused speech: the chair must say so (409)."""

    status_code = 409

    def __init__(self, entry, version: int) -> None:
        super().__init__(
            _(
                "%(delegation)s's speech is paused: nothing was done. End it and call the next "
                "speaker only if that is what you want."
            )
            % {"delegation": entry.speaker}
        )
        self.entry = entry
        self.version = version
