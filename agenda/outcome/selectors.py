"""Reading notes, proposals and the Lausanne Action Plan inputs, in a fixed number of queries.

- `notes_by_entry(entries, private=...)`: the notes of the record's entries; published ones only
  unless `private` (the item's coordinators and the secretariat).
- `proposals(item=..., meeting=...)`: the proposals with their topic and the delegations behind
  them (and the entries they spoke in).
- `lap_inputs(meeting, area, private=...)`: per action of an area, the tagged entries with
  their notes and statements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from agenda.models import (
    AgendaItem,
    LapAction,
    LapArea,
    Proposal,
    ProposalSupport,
    ProposalTopic,
    RecordNote,
)
from agenda.record.selectors import RecordEntry, delivered
from meetings.languages import localized
from meetings.models import Meeting


def notes_by_entry(entry_ids, *, private: bool) -> dict[int, list[RecordNote]]:
    notes = RecordNote.objects.filter(entry_id__in=list(entry_ids))
    if not private:
        notes = notes.filter(published_at__isnull=False)
    found: dict[int, list[RecordNote]] = defaultdict(list)
    for note in notes.order_by("created_at", "id"):
        found[note.entry_id].append(note)
    return found


def attach_notes(entries: list[RecordEntry], *, private) -> None:
    """Each entry's notes as `entry.notes`. `private`: True, False, or a function of the item
    saying whether the reader sees its unpublished notes."""
    ids = [entry.floor_request.pk for entry in entries]
    everything = notes_by_entry(ids, private=True)
    for entry in entries:
        sees = private(entry.item) if callable(private) else private
        entry.notes = [
            n for n in everything.get(entry.floor_request.pk, []) if sees or n.is_published
        ]


def proposals(*, item: AgendaItem | None = None, meeting: Meeting | None = None) -> list[Proposal]:
    found = Proposal.objects.select_related("topic", "item__parent").prefetch_related(
        Prefetch(
            "supports",
            queryset=ProposalSupport.objects.select_related("delegation", "entry").order_by(
                "role", localized("delegation__name")
            ),
        )
    )
    if item is not None:
        found = found.filter(item=item)
    if meeting is not None:
        found = found.filter(item__meeting=meeting)
    return list(found.order_by("item__parent__order", "item__order", "topic__order", "created_at"))


def topics(item: AgendaItem) -> list[ProposalTopic]:
    return list(ProposalTopic.objects.filter(item=item))


@dataclass
class TopicGroup:
    """The proposals of one topic (`topic` None: without a topic), by status."""

    topic: ProposalTopic | None
    proposals: list[Proposal] = field(default_factory=list)


def by_topic(item_topics: list[ProposalTopic], found: list[Proposal]) -> list[TopicGroup]:
    groups = {topic.pk: TopicGroup(topic) for topic in item_topics}
    without = TopicGroup(None)
    order = list(Proposal.Status.values)
    for proposal in sorted(found, key=lambda p: (order.index(p.status), p.created_at, p.pk)):
        groups.get(proposal.topic_id, without).proposals.append(proposal)
    return [*groups.values(), *([without] if without.proposals else [])]


@dataclass
class ActionInputs:
    action: LapAction
    entries: list[RecordEntry] = field(default_factory=list)


def lap_inputs(meeting: Meeting, area: LapArea, *, private) -> list[ActionInputs]:
    """Per action of the area (in order), the delivered entries tagged with it, with their
    published statements and their notes (published ones only unless `private`: True, or a
    function of the item, as for `attach_notes`)."""
    entries = delivered(meeting)
    attach_notes(entries, private=private)
    actions = list(LapAction.objects.filter(area=area).order_by("number"))
    by_action = {action.pk: ActionInputs(action) for action in actions}
    for entry in entries:
        for action in entry.actions:
            if action.pk in by_action:
                by_action[action.pk].entries.append(entry)
    return list(by_action.values())
