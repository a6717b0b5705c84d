"""What a delegation's page says as the meeting goes on: the notice when the delegation is
next or has the floor, and the notes left after an action (a withdrawal offers its undo).

Pure helpers of `agenda.web.delegation`: they read what the page has already gathered (its
panels, the request's messages) and make no query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from agenda.models import AgendaItem, FloorRequest

from .display import UNDO_OFFER_SECONDS

NEXT = "next"
FLOOR = "floor"


@dataclass(frozen=True)
class Notice:
    """What the delegation should know at once: it has the floor, or it is next, on the item
    under discussion."""

    state: str  # FLOOR or NEXT
    item: AgendaItem
    entry: FloorRequest

    @property
    def floor(self) -> bool:
        return self.state == FLOOR

    @property
    def key(self) -> str:
        """Changes when the news does (for the sound or vibration: once per news)."""
        return f"{self.state}-{self.entry.pk}"


def notice_of(panels) -> Notice | None:
    """The delegation has the floor on the item under discussion, else is first of its
    waiting list; else there is nothing to announce."""
    current = [panel for panel in panels if panel.item.under_discussion]
    for panel in current:
        for place in panel.places:
            if place.speaking:
                return Notice(FLOOR, panel.item, place.entry)
    for panel in current:
        for place in panel.places:
            if place.position == 1:
                return Notice(NEXT, panel.item, place.entry)
    return None


@dataclass(frozen=True)
class Note:
    """A message addressed to one item's panel; after a withdrawal, the request it may put
    back and until when the page offers it (milliseconds since the epoch)."""

    text: str
    level_tag: str
    undo: int | None = None
    undo_until: int | None = None

    def __str__(self) -> str:
        return self.text


def undo_tags(item_id: int, entry_id: int) -> str:
    """The extra tags of the message after a withdrawal: its panel and the undo it offers."""
    until = int(time.time() * 1000) + UNDO_OFFER_SECONDS * 1000
    return f"item-{item_id} undo-{entry_id}-{until}"


def item_notes(messages) -> dict[int, list[Note]]:
    """Messages addressed to one item's panel (extra tag `item-<id>`), by item id."""
    notes: dict[int, list[Note]] = {}
    for message in messages:
        tags = (message.extra_tags or "").split()
        undo = until = None
        for tag in tags:
            parts = tag.split("-")
            if len(parts) == 3 and parts[0] == "undo" and parts[1].isdigit():
                undo, until = int(parts[1]), int(parts[2]) if parts[2].isdigit() else 0
        for tag in tags:
            if tag.startswith("item-") and tag[5:].isdigit():
                note = Note(str(message), message.level_tag, undo, until)
                notes.setdefault(int(tag[5:]), []).append(note)
    return notes
