"""Writing notes and proposals: one function per change, keyword-only, in one transaction,
audited in `OutcomeEvent` (who, when, before and after). Refusals are `NotAllowed` (403) and
`FloorError` (400, with a plain-words message): nothing is changed then.

Notes and proposals do not change a list of speakers: the list's version stays, and nothing is
announced on the live stream (a note is private until published).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed
from agenda.models import (
    AgendaItem,
    FloorRequest,
    OutcomeEvent,
    Proposal,
    ProposalSupport,
    ProposalTopic,
    RecordNote,
)
from agenda.record.selectors import is_delivered
from agenda.speakers.checks import checked_text
from agenda.speakers.ordering import Status

from .rights import may_note, may_publish, may_set_status

MAX_TEXT = 1000


def _account(user):
    return user if getattr(user, "is_authenticated", False) else None


def _log(*, item, user, action, note=None, proposal=None, before=None, after=None, now=None):
    return OutcomeEvent.objects.create(
        item=item,
        note=note,
        proposal=proposal,
        user=_account(user),
        action=action,
        at=now or timezone.now(),
        before=before or {},
        after=after or {},
    )


def _text(text: str, missing: str) -> str:
    text = checked_text(
        text, MAX_TEXT, "text", _("The text is too long (at most %(max)s characters).")
    )
    if not text:
        raise FloorError(missing, field="text")
    return text


def _kind(kind: str) -> str:
    if kind not in RecordNote.Kind.values:
        raise FloorError(_("Choose the kind of note from the list."), field="kind")
    return kind


def _note_state(note: RecordNote) -> dict:
    return {"kind": note.kind, "text": note.text, "published": note.is_published}


def notable(entry: FloorRequest) -> bool:
    """A note may be written on an entry being delivered or delivered."""
    return entry.status == Status.SPEAKING or is_delivered(entry)


def note_create(*, entry: FloorRequest, text: str, kind: str = "key_point", user) -> RecordNote:
    """A note on a speaking or delivered entry, by the item's coordinators or the secretariat."""
    item = entry.item
    if not may_note(user, item):
        raise NotAllowed(_("Only the item's chairs, coordinators and the secretariat write notes."))
    text = _text(text, _("Write the note: it is empty."))
    kind = _kind(kind)
    with transaction.atomic():
        entry = FloorRequest.objects.select_for_update().get(pk=entry.pk)
        if not notable(entry):
            raise FloorError(_("A note is written on an entry being delivered or delivered."))
        now = timezone.now()
        note = RecordNote.objects.create(
            entry=entry, kind=kind, text=text, created_by=_account(user), created_at=now,
            updated_at=now,
        )  # fmt: skip
        _log(item=item, user=user, action="note_created", note=note, after=_note_state(note),
             now=now)  # fmt: skip
    return note


def _locked_note(note: RecordNote) -> RecordNote:
    found = RecordNote.objects.select_for_update().filter(pk=note.pk).first()
    if found is None:
        raise FloorError(_("This note was deleted meanwhile: nothing was changed."))
    return found


def _check_may_change(note: RecordNote, item: AgendaItem, user) -> None:
    if not may_note(user, item):
        raise NotAllowed(_("Only the item's chairs, coordinators and the secretariat write notes."))
    if note.is_published and not may_publish(user):
        raise NotAllowed(_("A published note is changed by the secretariat only."))


def note_update(*, note: RecordNote, text: str, kind: str | None = None, user) -> RecordNote:
    item = note.entry.item
    text = _text(text, _("Write the note: it is empty."))
    with transaction.atomic():
        note = _locked_note(note)
        _check_may_change(note, item, user)
        kind = _kind(kind) if kind is not None else note.kind
        if (note.text, note.kind) == (text, kind):
            raise FloorError(_("Nothing was changed: the note stays as it was."))
        before = _note_state(note)
        note.text, note.kind, note.updated_at = text, kind, timezone.now()
        note.save(update_fields=["text", "kind", "updated_at"])
        _log(item=item, user=user, action="note_edited", note=note, before=before,
             after=_note_state(note), now=note.updated_at)  # fmt: skip
    return note


def note_publish(*, note: RecordNote, user, published: bool = True) -> RecordNote:
    """The secretariat publishes a note (or withdraws its publication)."""
    item = note.entry.item
    if not may_publish(user):
        raise NotAllowed(_("Only the secretariat publishes notes."))
    with transaction.atomic():
        note = _locked_note(note)
        if note.is_published == published:
            raise FloorError(
                _("The note is already published.")
                if published
                else _("The note is not published.")
            )
        before = _note_state(note)
        now = timezone.now()
        note.published_at = now if published else None
        note.published_by = _account(user) if published else None
        note.save(update_fields=["published_at", "published_by"])
        _log(item=item, user=user, action="note_published" if published else "note_unpublished",
             note=note, before=before, after=_note_state(note), now=now)  # fmt: skip
    return note


def note_delete(*, note: RecordNote, user) -> None:
    item = note.entry.item
    with transaction.atomic():
        note = _locked_note(note)
        _check_may_change(note, item, user)
        before = _note_state(note)
        _log(item=item, user=user, action="note_deleted", before={**before, "entry": note.entry_id})
        note.delete()


# --- proposals -----------------------------------------------------------------------------


def _proposal_state(proposal: Proposal) -> dict:
    supports = proposal.supports.select_related("delegation").order_by("role", "delegation__code")
    return {
        "text": proposal.text,
        "topic": proposal.topic.title if proposal.topic else "",
        "status": proposal.status,
        "delegations": [f"{s.delegation.code}:{s.role}" for s in supports],
    }


def _entries_of(item: AgendaItem, entries: Iterable[FloorRequest]) -> list[FloorRequest]:
    found = []
    for entry in entries:
        if entry.item_id != item.pk or entry.delegation_id is None or not notable(entry):
            raise FloorError(
                _("Choose delegations that took the floor on this item."), field="entries"
            )
        found.append(entry)
    return found


def proposal_create(
    *,
    item: AgendaItem,
    text: str,
    user,
    topic: ProposalTopic | None = None,
    raised_by: Iterable[FloorRequest] = (),
    supported_by: Iterable[FloorRequest] = (),
) -> Proposal:
    """A proposal raised in the discussion, with the delegations that raised or supported it
    (by the entries they spoke in)."""
    if not may_note(user, item):
        raise NotAllowed(
            _("Only the item's chairs, coordinators and the secretariat write proposals.")
        )
    text = _text(text, _("Write the proposal: it is empty."))
    if topic is not None and topic.item_id != item.pk:
        raise FloorError(_("Choose one of the item's topics."), field="topic")
    raised = _entries_of(item, raised_by)
    supported = _entries_of(item, supported_by)
    if not raised:
        raise FloorError(_("Say which delegation raised the proposal."), field="entries")
    with transaction.atomic():
        now = timezone.now()
        proposal = Proposal.objects.create(
            item=item, topic=topic, text=text, created_by=_account(user), created_at=now
        )
        seen: set[int] = set()
        for role, entries in ((ProposalSupport.Role.RAISED, raised),
                              (ProposalSupport.Role.SUPPORTED, supported)):  # fmt: skip
            for entry in entries:
                if entry.delegation_id in seen:
                    continue
                seen.add(entry.delegation_id)
                ProposalSupport.objects.create(
                    proposal=proposal, delegation_id=entry.delegation_id, entry=entry, role=role
                )
        _log(item=item, user=user, action="proposal_created", proposal=proposal,
             after=_proposal_state(proposal), now=now)  # fmt: skip
    return proposal


def proposal_support(*, proposal: Proposal, entry: FloorRequest, user) -> Proposal:
    """Another delegation supported the proposal (in the entry given)."""
    if not may_note(user, proposal.item):
        raise NotAllowed(
            _("Only the item's chairs, coordinators and the secretariat write proposals.")
        )
    (entry,) = _entries_of(proposal.item, [entry])
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.supports.filter(delegation_id=entry.delegation_id).exists():
            raise FloorError(_("This delegation is already with the proposal."), field="entries")
        before = _proposal_state(proposal)
        ProposalSupport.objects.create(
            proposal=proposal,
            delegation_id=entry.delegation_id,
            entry=entry,
            role=ProposalSupport.Role.SUPPORTED,
        )
        _log(item=proposal.item, user=user, action="proposal_supported", proposal=proposal,
             before=before, after=_proposal_state(proposal))  # fmt: skip
    return proposal


def proposal_status_set(*, proposal: Proposal, status: str, user) -> Proposal:
    """The President's team sets where a proposal stands."""
    item = proposal.item
    if not may_set_status(user, item.meeting):
        raise NotAllowed(_("Only the President's team sets the status of a proposal."))
    if status not in Proposal.Status.values:
        raise FloorError(_("Choose the status from the list."), field="status")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status == status:
            raise FloorError(_("Nothing was changed: the proposal already has this status."))
        before = _proposal_state(proposal)
        proposal.status = status
        proposal.save(update_fields=["status"])
        _log(item=item, user=user, action="proposal_status", proposal=proposal, before=before,
             after=_proposal_state(proposal))  # fmt: skip
    return proposal
