"""What the chair's console and the screens show of a list: each entry's time limit, place,
countdown and duration, read once from the list as it stands."""

import time
from datetime import datetime

from django.utils import timezone

from agenda.durations import countdown_text, duration_text
from agenda.speakers.selectors import SpeakersList
from delegations.models import Category


def _epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def annotate(state: SpeakersList) -> SpeakersList:
    """Give every entry what the templates show: its time limit, place, clock and duration."""
    categories = dict(Category.choices)
    now = timezone.now()
    for entry in state.requests:
        entry.limit = state.time_limit(entry)
        entry.category_label = categories.get(entry.category, entry.category)
        entry.clock = {
            "started": _epoch_ms(entry.started_at),
            "paused_at": _epoch_ms(entry.paused_at),
            "paused_total": int(entry.paused_total.total_seconds() * 1000),
            "limit": entry.limit,
        }
        entry.remaining_seconds = state.time_left(entry, now)
        if entry.remaining_seconds is None:
            entry.clock_text = entry.duration_text = ""
        else:
            entry.clock_text = countdown_text(entry.remaining_seconds)
            entry.duration_text = duration_text(entry.limit - entry.remaining_seconds)
    for place, entry in enumerate(state.waiting, start=1):
        entry.place = place
    return state


def clock_context() -> dict:
    """The server's clock when the page is rendered, for the countdowns (`static/js/live.js`)."""
    return {"server_now": int(time.time() * 1000)}
