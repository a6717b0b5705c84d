"""What the chair's console and the screens show of a list: each entry's time limit, place,
countdown and duration, read once from the list as it stands; the item's limits by kind."""

import math
import time
from datetime import datetime, timedelta

from django.utils import timezone

from agenda.durations import countdown_text, duration_text
from agenda.models import ListEvent
from agenda.models.speakers import KIND_LABELS
from agenda.speakers.ordering import Status
from agenda.speakers.selectors import SpeakersList
from agenda.speakers.undo import UNDO_SECONDS, undo_refusal
from delegations.models import ParticipantCategory


def _epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def annotate(state: SpeakersList) -> SpeakersList:
    """Give every entry what the templates show: its time limit (the one that applied to its
    speech, extension included: `SpeakersList.time_limit`), place, clock and duration; whether
    it went over its limit, exactly (`over_limit`: a fraction of a second counts)."""
    categories = ParticipantCategory.table()
    now = timezone.now()
    for entry in state.requests:
        entry.limit = state.time_limit(entry)
        entry.limit_text = duration_text(entry.limit)
        entry.extension_text = duration_text(entry.extension_seconds or None)
        entry.category_label = categories.label(entry.category)
        entry.clock = {
            "started": _epoch_ms(entry.started_at),
            "paused_at": _epoch_ms(entry.paused_at),
            "paused_total": int(entry.paused_total.total_seconds() * 1000),
            "limit": entry.limit,
        }
        entry.remaining_seconds = state.time_left(entry, now)
        entry.over_limit = bool(state.overtime(entry, now))
        if entry.remaining_seconds is None:
            entry.clock_text = entry.duration_text = ""
        elif entry.ended_at is not None:
            # A finished speech: the seconds left rounded down, so that one 0.4 s over
            # reads as over (-1), and its duration as the record gives it.
            spoken = entry.speaking_time(now).total_seconds()
            entry.remaining_seconds = math.floor(entry.limit - spoken)
            entry.clock_text = countdown_text(entry.remaining_seconds)
            entry.duration_text = duration_text(round(spoken))
        else:
            entry.clock_text = countdown_text(entry.remaining_seconds)
            entry.duration_text = duration_text(entry.limit - entry.remaining_seconds)
    for place, entry in enumerate(state.waiting, start=1):
        entry.place = place
    return state


def limit_rows(state: SpeakersList) -> list[dict]:
    """The limit each kind of request gets if its speech begins now, for the console."""
    return [
        {
            "kind": kind.value,
            "label": KIND_LABELS[kind],
            "seconds": seconds,
            "text": duration_text(seconds),
        }
        for kind, seconds in state.time_limits.items()
    ]


def clock_context() -> dict:
    """The server's clock when the page is rendered, for the countdowns (`static/js/live.js`)."""
    return {"server_now": int(time.time() * 1000)}


WARNING_SECONDS = 30
"""How long before a speaker's limit the console says that time is almost up."""

UNDO_OFFER_SECONDS = 15
"""How long the console shows "… — Undo" after a withdrawal or an absence (the service
accepts the undo for longer, for a slow network)."""


def time_panel(state: SpeakersList) -> dict:
    """The chair's time panel: how long the waiting list lasts if everyone uses their limit,
    and whether the current speaker is near or over their limit (in words, for the console;
    `static/js/chair.js` keeps the words in step with the countdown)."""
    now = timezone.now()
    current = state.current
    warning = ""
    if current is not None and current.remaining_seconds is not None:
        if current.remaining_seconds < 0:
            warning = "over"
        elif current.remaining_seconds <= WARNING_SECONDS:
            warning = "soon"
    return {
        "to_end": duration_text(state.time_to_end(now)),
        "warning": warning,
        "warning_seconds": WARNING_SECONDS,
    }


def undo_offer(state: SpeakersList, pk: int | None) -> dict | None:
    """The entry the chair just withdrew or marked absent, if it may still be put back: its
    speaker, what was done, and the seconds the offer stays on screen."""
    if pk is None:
        return None
    entry = next((request for request in state.requests if request.pk == pk), None)
    if entry is None:
        return None
    last = ListEvent.objects.filter(entry=entry).order_by("-version").first()
    now = timezone.now()
    if undo_refusal(entry, last, now):
        return None
    left = UNDO_SECONDS - (now - last.at) / timedelta(seconds=1)
    if left <= 0:
        return None
    return {
        "entry": entry,
        "absent": entry.status == Status.ABSENT,
        "seconds": int(min(left, UNDO_OFFER_SECONDS)),
    }
