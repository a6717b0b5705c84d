"""Atom feeds of a meeting (Django's syndication framework), so that the Convention's website
can follow it without scraping: the published statements, and the record (each delivered
entry, with its published notes). Who may read a meeting's feeds is who may see the meeting
(`meetings.selectors.visible_meetings`: a draft's, the secretariat only).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agenda.record import selectors
from agenda.statements.selectors import public_statements
from meetings.selectors import visible_meetings

from .selectors import attach_notes

LATEST = 200  # entries in a feed, the latest first


class _MeetingFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return get_object_or_404(visible_meetings(request.user), slug=slug)

    def link(self, meeting) -> str:
        return reverse("record", args=[meeting.slug])

    def author_name(self, meeting) -> str:
        return meeting.convention


class StatementsFeed(_MeetingFeed):
    """The statements delegations published, once delivered, the latest first."""

    def title(self, meeting) -> str:
        return _("%(meeting)s: statements") % {"meeting": meeting}

    def subtitle(self, meeting) -> str:
        return _("The statements published by delegations at %(meeting)s.") % {
            "meeting": meeting.title
        }

    def feed_url(self, meeting) -> str:
        return reverse("feed_statements", args=[meeting.slug])

    def items(self, meeting):
        return list(
            public_statements()
            .filter(item__meeting=meeting)
            .select_related("item__parent", "item__meeting", "delegation")
            .prefetch_related("files")
            .order_by("-created_at", "-id")[:LATEST]
        )

    def item_title(self, statement) -> str:
        return f"{statement.delegation.name}: {statement.item.code} {statement.item.title}"

    def item_description(self, statement) -> str:
        languages = ", ".join(str(file.get_language_display()) for file in statement.files.all())
        return _("Statement in %(languages)s.") % {"languages": languages or "—"}

    def item_link(self, statement) -> str:
        file = next(iter(statement.files.all()), None)
        if file is not None:
            return reverse("statement_file_download", args=[file.pk])
        return reverse("record_item", args=[statement.item.meeting.slug, statement.item_id])

    def item_pubdate(self, statement):
        return statement.created_at

    def item_updateddate(self, statement):
        return statement.created_at


class RecordFeed(_MeetingFeed):
    """The record: each delivered entry (who took the floor, on which item, how long), with
    its published notes, the latest first."""

    def title(self, meeting) -> str:
        return _("%(meeting)s: record") % {"meeting": meeting}

    def subtitle(self, meeting) -> str:
        return _("Who took the floor at %(meeting)s.") % {"meeting": meeting.title}

    def feed_url(self, meeting) -> str:
        return reverse("feed_record", args=[meeting.slug])

    def items(self, meeting):
        entries = selectors.delivered(meeting)
        attach_notes(entries, private=False)
        entries.sort(key=lambda e: (e.floor_request.ended_at, e.floor_request.pk), reverse=True)
        return entries[:LATEST]

    def item_title(self, entry) -> str:
        return f"{entry.item.code}: {entry.speaker}"

    def item_description(self, entry) -> str:
        lines = [
            _("%(who)s (%(category)s) took the floor on %(item)s for %(duration)s.")
            % {
                "who": entry.speaker,
                "category": entry.category_label,
                "item": f"{entry.item.code} {entry.item.title}",
                "duration": entry.duration,
            }
        ]
        lines += [note.text for note in entry.notes]
        return "\n".join(lines)

    def item_link(self, entry) -> str:
        url = reverse("record_item", args=[entry.item.meeting.slug, entry.item.pk])
        return f"{url}#entry-{entry.floor_request.pk}"

    def item_pubdate(self, entry):
        return entry.floor_request.ended_at or entry.floor_request.started_at

    def item_updateddate(self, entry):
        return self.item_pubdate(entry)
