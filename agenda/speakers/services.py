"""The changes of a list of speakers that put entries on it or change the list as a whole:
a request for the floor, its withdrawal, re-adding an absent delegation, a point of order the
chair puts on the list and gives the floor at once, opening and closing the list, taking up
an item and the next one. The chair's actions on the floor (next, pause, move…) are in
`agenda.speakers.speeches`, time limits in `agenda.speakers.limits`.

Each service runs in one transaction and follows `agenda.speakers.changes`: it locks the item's
row first, checks permission and the rules (`agenda.speakers.admission` for who may ask for
what), checks the version a chair's action was based on (`StaleList` if the list has moved
on), makes its change, and logs it (`log_change`: the version goes up by one, one `ListEvent`,
the change announced once committed). Composite actions of the chair are one service each, in
one transaction.

Refusals are `agenda.errors.FloorError`s whose message says why in plain words; views and the
API show it.
"""

import contextlib
from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed, StaleAgenda
from agenda.items import agenda_outline, item_after
from agenda.models import AgendaItem, FloorRequest
from agenda.models.requests import Presence
from agenda.roles import chairs, may_take_up
from delegations.models import Delegation, Guest, Participation
from delegations.roles import represents
from meetings.models import Meeting

from . import asks, batches, changes, checks, lean, selectors, speeches
from .admission import Asker, kind_refusal
from .moves import anchors_after_move
from .ordering import Kind, Status
from .selectors import build_list, time_limits_for

# --- delegations: request, withdraw ----------------------------------------------------------


def _put_on_list(
    ask: asks.Ask, item: AgendaItem, entries: list, *, outermost: bool = False
) -> FloorRequest:
    """Under the item's lock, only what needs the list as it stands: the rules of admission
    against it (a duplicate, a cap, the sign-up window), then the entry, the list's version and
    its audit event (`lean.record_entry`: one statement on PostgreSQL). Who asks, the
    policy and the speaking rules were read before the lock (`asks.ask`)."""
    now = timezone.now()
    try:
        entry = asks.admitted(ask, item, entries, now)
        lean.record_entry(
            item,
            entry,
            user=ask.user,
            after=asks.requested(ask, entry),
            now=now,
            commit=outermost and not ask.co_sponsors,
        )
    except IntegrityError as error:
        raise _refusal(ask, error) from None
    if ask.co_sponsors:
        entry.co_sponsors.set(ask.co_sponsors)
    entry.version = item.list_version
    return entry


def _refusal(ask: asks.Ask, error: IntegrityError) -> FloorError:
    """What a constraint of the database refused, in plain words. The caller's transaction,
    left with this refusal, is rolled back."""
    if getattr(error.__cause__, "sqlstate", None) == FOREIGN_KEY_VIOLATION and ask.delegation:
        # The delegation was deleted after it asked (its participation with it).
        return FloorError(
            _("%(delegation)s does not take part in this meeting.")
            % {"delegation": ask.delegation.name},
            field="delegation",
        )
    # Only reachable if the row lock was bypassed: the constraint still holds.
    return FloorError(_("Your delegation is already on this list."), field="kind")


FOREIGN_KEY_VIOLATION = "23503"  # PostgreSQL's error code


def floor_request_create(
    *,
    item: AgendaItem,
    delegation: Delegation | None = None,
    guest: Guest | None = None,
    kind: str,
    user,
    speaker_name: str = "",
    language: str = "",
    note: str = "",
    on_behalf_of: str | None = None,
    co_sponsors: Sequence[str] = (),
    presence: str = Presence.ROOM,
) -> FloorRequest:
    """Put a delegation, or a speaker without a delegation (`guest`), on an item's list.

    A focal point asks for their own delegation; the chair may add any delegation taking part
    (a raised nameplate: `added_by_chair`) and the meeting's speakers without a delegation.
    `on_behalf_of`: the code of the group the delegation speaks for (it must be a member, or
    the group's own delegation); "" in its own name; None: for the group whose own delegation
    it is, if any, else in its own name. `co_sponsors`: the codes of the delegations joining
    its statement. `presence`: in the room, remote or recorded.

    Refused with a reason when the kind is unknown, the delegation does not take part, the
    group or a co-sponsor is not one it may name (`agenda.speakers.capacity`), or
    `agenda.speakers.admission` refuses it (the meeting is closed, the list does not accept
    requests, the kind is not open to the delegation, a cap is reached, the delegation (or the
    group) is already on the list for it).

    The entry returned carries `position` (its place in the list once added), `waiting_count`
    (how many wait, itself included), `version` (the list's version after the change) and
    `allowed_seconds` (the time limit of its kind on the item now).

    Everything that does not depend on the list is checked before its lock (`asks.ask`); under
    the lock, only `_put_on_list`: four round trips on PostgreSQL (lock, read, write, commit).
    """
    if (delegation is None) == (guest is None):
        raise FloorError(_("Say who speaks: a delegation or a speaker without one."))
    ask = asks.ask(
        item=item,
        delegation=delegation,
        guest=guest,
        kind=kind,
        user=user,
        speaker_name=speaker_name,
        language=language,
        note=note,
        on_behalf_of=on_behalf_of,
        co_sponsors=co_sponsors,
        presence=presence,
    )
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    entry = None
    if (
        settings.FLOOR_REQUESTS_TOGETHER
        and outermost
        and not ask.co_sponsors
        and connection.vendor == "postgresql"
    ):
        # Written with the requests for the same list that wait beside it (one transaction).
        with contextlib.suppress(batches.WriteAlone):
            entry = batches.put_on_list(ask, item.pk)
    if entry is None:
        with transaction.atomic():
            # The list is read as plain values: a request for the floor needs no model instances.
            locked, entries = lean.lock_with_entries(item.pk)
            entry = _put_on_list(ask, locked, entries, outermost=outermost)
    # After the commit, what the answer needs and the list does not.
    entry.allowed_seconds = time_limits_for(item, ask.rules)[ask.kind]
    if not ask.co_sponsors:
        asks.no_co_sponsors(entry)
    return entry


def guest_put_on_list(
    *,
    item: AgendaItem,
    name: str,
    kind: str,
    user,
    title: str = "",
    organisation: str = "",
    presence: str = Presence.ROOM,
    language: str = "",
    note: str = "",
) -> FloorRequest:
    """The chair puts a speaker without a delegation on the list by name (the President, the
    Director of the ISU, a panellist): one of the meeting's, found by name, or added to the
    meeting with the title and organisation given. Then as `floor_request_create`."""
    changes.require_chair(user, item)
    guest = guest_of_meeting(item, name=name, title=title, organisation=organisation)
    return floor_request_create(
        item=item,
        guest=guest,
        kind=kind,
        user=user,
        presence=presence,
        language=language,
        note=note,
    )


def guest_of_meeting(item: AgendaItem, *, name: str, title: str = "", organisation: str = ""):
    """The meeting's speaker without a delegation called `name` (any case), created with
    `title` and `organisation` when there is none; the name and the details checked."""
    name = checks.checked_text(
        name, checks.MAX_GUEST_TEXT, "name", _("The name is too long (at most %(max)s characters).")
    )
    if not name:
        raise FloorError(_("Give the speaker's name."), field="name")
    title = checks.checked_text(
        title,
        checks.MAX_GUEST_TEXT,
        "title",
        _("The title is too long (at most %(max)s characters)."),
    )
    organisation = checks.checked_text(
        organisation,
        checks.MAX_GUEST_TEXT,
        "organisation",
        _("The organisation is too long (at most %(max)s characters)."),
    )
    guest = Guest.objects.filter(meeting_id=item.meeting_id, name__iexact=name).first()
    if guest is None:
        try:
            # What the chair typed is the text for every language until the secretariat
            # translates it: written as the English (the fallback), whatever the console's.
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                guest = Guest.objects.create(
                    meeting_id=item.meeting_id, name=name, title=title, organisation=organisation
                )
        except IntegrityError:
            # Added by someone else a moment ago: theirs is ours.
            guest = Guest.objects.get(meeting_id=item.meeting_id, name=name)
    return guest


def floor_request_withdraw(
    *, entry: FloorRequest, user, version: int | None = None
) -> FloorRequest:
    """The delegation (or the chair) takes a waiting request off the list."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        if not (represents(user, entry.delegation) or chairs(user, item)):
            raise NotAllowed(_("You may withdraw only your own delegation's requests."))
        changes.check_version(item, version)
        if entry.status != Status.WAITING:
            raise FloorError(changes.cannot_message(entry, _("withdrawn")))
        before = changes.snapshot(entry, state)
        changes.leave_queue(state, entry)
        entry.status = Status.WITHDRAWN
        changes.save(entry, "status", "anchor", "anchor_entry", "pin_reason")
        changes.log_change(
            item,
            user=user,
            action="withdrawn",
            entry=entry,
            before=before,
            after=changes.snapshot(entry),
            now=timezone.now(),
        )
    return entry


def point_of_order_give_floor(
    *, item: AgendaItem, delegation: Delegation, user, speaker_name: str = ""
) -> FloorRequest:
    """The chair puts a delegation's point of order on the list and gives it the floor at
    once, interrupting the speaker: one transaction, two events (requested, started).

    When the floor cannot be given now (another point of order already interrupts), the point
    of order stays on the list, first in line, and is returned waiting: nothing is lost.
    """
    changes.require_chair(user, item)
    ask = asks.ask(
        item=item,
        delegation=delegation,
        kind=Kind.POINT_OF_ORDER,
        user=user,
        speaker_name=speaker_name,
        language="",
        note="",
    )
    with transaction.atomic():
        locked, entries = lean.lock_with_entries(item.pk)
        entry = _put_on_list(ask, locked, entries)
        # The lock is held: reading the list again waits for no one.
        item, state = changes.lock_list(item.pk)
        entry = changes.entry_in(state, entry.pk)
        # Refused before anything changed: the point of order waits, first in line.
        with contextlib.suppress(FloorError):
            speeches.give_floor(item, state, entry, user)
        entry.position = state.position(entry) if entry.status == Status.WAITING else None
    return entry


def speaker_readd(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Put a delegation marked absent back on the list: a new entry for the same kind,
    speaker and language, checked as any request the chair adds (the caps hold), and placed
    where the meeting says (`Policy.readded_to`: the end of the list, by default, or where a
    new request would go). The absent entry stays as it was, with what it said if it had
    begun (the record keeps it). Returns the new entry."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        absent = changes.entry_in(state, entry.pk)
        changes.require_chair(user, item)
        changes.check_version(item, version)
        if absent.status != Status.ABSENT:
            raise FloorError(_("Only a delegation marked absent can be re-added."))
        entries = [request.as_entry() for request in state.requests]
        again = absent.as_entry()
        for other in entries:
            if (
                other.delegation == again.delegation
                and other.on_behalf_of == again.on_behalf_of
                and other.kind == absent.kind
                and other.status in (Status.WAITING, Status.SPEAKING)
            ):
                raise FloorError(
                    _("%(delegation)s is already back on the list.")
                    % {"delegation": absent.speaker}
                )
        now = timezone.now()
        asker, category = _readded_asker(item, absent)
        situation = selectors.situation_of(item, state.policy, entries, now)
        refusal = kind_refusal(Kind(absent.kind), asker, situation)
        if refusal is not None:
            raise FloorError(refusal.message)
        readded = FloorRequest.objects.create(
            item=item,
            delegation=absent.delegation,
            guest=absent.guest,
            on_behalf_of=absent.on_behalf_of,
            presence=absent.presence,
            category=category,
            kind=absent.kind,
            speaker_name=absent.speaker_name,
            language=absent.language,
            note=absent.note,
            requested_at=now,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            added_by_chair=True,
        )
        readded.co_sponsors.set(absent.co_sponsors.all())
        state = build_list(item, [*state.requests, readded], rules=None)
        if state.policy.readded_to == "end" and readded.kind != Kind.POINT_OF_ORDER:
            order = [waiting.as_entry() for waiting in state.waiting]
            changes.store_anchors(state.requests, anchors_after_move(order, readded.pk, len(order)))
            state = build_list(item, state.requests)
        changes.log_change(
            item,
            user=user,
            action="readded",
            entry=readded,
            before={"absent": changes.snapshot(absent)},
            after=changes.snapshot(readded, state),
            now=now,
        )
        readded.position = state.position(readded)
        readded.version = item.list_version
    return readded


def _readded_asker(item: AgendaItem, absent: FloorRequest) -> tuple[Asker, str]:
    """Who asks again for the absent entry, as the chair adds it, and the category it ranks by:
    the delegation's now (it may have been corrected since it was called)."""
    if absent.guest_id is not None:
        return asks.guest_asker(absent.guest), ""
    category = (
        Participation.objects.filter(meeting_id=item.meeting_id, delegation=absent.delegation)
        .values_list("category", flat=True)
        .first()
        or absent.category
    )
    asker = selectors.asker(
        item, absent.delegation, kind=Kind(absent.kind), by_chair=True, category=category
    )
    if absent.on_behalf_of_id is not None:
        group = absent.on_behalf_of
        asker = replace(asker, on_behalf_of=group.code, group_name=group.name)
    return asker, category


def speakers_list_set_open(
    *, item: AgendaItem, is_open: bool, user, version: int | None = None
) -> AgendaItem:
    """Open or close the item's list of speakers to delegations."""
    with transaction.atomic():
        item = changes.lock_item(item.pk)
        changes.require_chair(user, item)
        changes.check_version(item, version)
        if item.list_is_open == is_open:
            raise FloorError(
                _("The list of speakers is already open.")
                if is_open
                else _("The list of speakers is already closed.")
            )
        item.list_is_open = is_open
        AgendaItem.objects.filter(pk=item.pk).update(list_is_open=is_open)
        changes.log_change(
            item,
            user=user,
            action="opened" if is_open else "closed",
            before={"is_open": not is_open},
            after={"is_open": is_open},
            now=timezone.now(),
        )
    return item


# --- the chair: the agenda -------------------------------------------------------------------

ANY = object()
"""`agenda_item_take_up(current=ANY)`: whatever item is under discussion now."""


def agenda_item_take_up(*, item: AgendaItem, user, current=ANY) -> AgendaItem:
    """The chair takes up an item: it becomes the one under discussion (the room screen and
    the interpreters follow it), in place of the one before.

    `current` is the id of the item the chair saw under discussion (None: none); if another is
    under discussion now, `StaleAgenda` is raised and nothing changes. The change is recorded
    on the item taken up (action `taken_up`, its list's version goes up), so the screens hear
    of it like any other change.
    """
    with transaction.atomic():
        return _take_up(item.meeting_id, item.pk, user=user, current=current)


def agenda_next_item(*, item: AgendaItem, user, current=ANY) -> AgendaItem:
    """The chair takes up the item after the one under discussion, in agenda order (subitems
    included); when none is under discussion, the item after `item`, the one the chair is
    looking at. `current` as for `agenda_item_take_up`. Returns the item taken up."""
    with transaction.atomic():
        _lock_meeting(item.meeting_id)
        outline = agenda_outline(item.meeting)
        under_discussion = next((entry for entry in outline if entry.under_discussion), item)
        following = item_after(outline, under_discussion)
        if following is None:
            raise FloorError(_("This is the last item of the agenda."))
        return _take_up(item.meeting_id, following.pk, user=user, current=current)


def _lock_meeting(meeting_id: int) -> None:
    # One take-up at a time per meeting: the meeting's row first, then the item's.
    Meeting.objects.select_for_update(no_key=True).only("pk").get(pk=meeting_id)


def _take_up(meeting_id: int, item_id: int, *, user, current) -> AgendaItem:
    _lock_meeting(meeting_id)
    item = changes.lock_item(item_id)
    if not may_take_up(user, item.meeting):
        raise NotAllowed(
            _("Only the President or the secretariat takes up an item: the room follows it.")
        )
    before = (
        AgendaItem.objects.filter(meeting_id=meeting_id, under_discussion=True)
        .select_related("parent")
        .first()
    )
    if current is not ANY and current != (before.pk if before else None):
        raise StaleAgenda
    if before is not None and before.pk == item.pk:
        raise FloorError(_("%(code)s is already under discussion.") % {"code": item.code})
    if before is not None:
        AgendaItem.objects.filter(pk=before.pk).update(under_discussion=False)
    AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)
    item.under_discussion = True
    changes.log_change(
        item,
        user=user,
        action="taken_up",
        before={"under_discussion": before.code if before else None},
        after={"under_discussion": item.code},
        now=timezone.now(),
    )
    return item
