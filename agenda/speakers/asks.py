"""A request for the floor, checked as far as it can be before its list is locked: the input,
who asks and whether they may (a focal point for their own delegation, the chair for anyone),
whether the delegation takes part, for whom it speaks (`agenda.speakers.capacity`). None of it
changes while the list is busy, so `agenda.speakers.services` holds the lock only for the list
itself: the rules of admission, the entry, its audit event.
"""

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed
from agenda.models import AgendaItem, FloorRequest, SpeakingRules
from agenda.models.requests import Presence, guest_code
from agenda.roles import chairs
from delegations.models import Delegation, Group, Guest
from delegations.roles import represents

from . import capacity as capacity_rules
from . import checks, lean, reads, selectors
from .admission import GROUP_KINDS, Asker, SignUp, kind_refusal
from .ordering import Anchor, Kind, Policy, position_of, speaking_order


@dataclass
class Ask:
    """A request for the floor checked as far as it can be before the list is locked."""

    delegation: Delegation | None
    guest: Guest | None
    kind: Kind
    user: object
    own: bool
    category: str
    asker: Asker
    policy: Policy
    speaker_name: str
    language: str
    note: str
    group: Group | None = None
    co_sponsors: list[Delegation] = field(default_factory=list)
    presence: str = Presence.ROOM
    rules: list[SpeakingRules] = field(default_factory=list)  # the item's, read once
    entry_id: int | None = None  # the new entry's id, drawn before the lock (PostgreSQL)
    chairing: bool | None = None  # whether the user chairs the item, when already asked

    def chairs(self, item) -> bool:
        """Whether the user chairs the item (asked once, before the lock when it may matter)."""
        if self.chairing is None:
            self.chairing = chairs(self.user, item)
        return self.chairing


def _kind(kind) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        raise FloorError(_("Unknown kind of request."), field="kind") from None


def ask(
    *, item, delegation, guest=None, kind, user, speaker_name, language, note, **capacity
) -> Ask:
    """Check what can be checked before queueing for the list: the input, who asks, whether
    the delegation takes part, for whom it speaks. None of it changes while the list is busy,
    so the lock is held only for the list itself."""
    kind = _kind(kind)
    speaker_name = checks.checked_speaker_name(speaker_name)
    note = checks.checked_text(
        note, checks.MAX_NOTE, "note", _("The note is too long (at most %(max)s characters).")
    )
    language = checks.checked_language(language)
    presence = capacity_rules.checked_presence(capacity.get("presence"))
    if guest is not None:
        return guest_ask(item, guest, kind, user, speaker_name, language, note, presence, capacity)
    on_behalf_of = capacity.get("on_behalf_of")
    standing = _standing(item, delegation, user, kind, on_behalf_of)
    own = represents(user, delegation) if standing is None else standing["own"]
    if not own and not chairs(user, item):
        raise NotAllowed(_("You may request the floor only for your own delegation."))
    if standing is None:
        raise FloorError(
            _("%(delegation)s does not take part in this meeting.")
            % {"delegation": delegation.name},
            field="delegation",
        )
    if "own_group" not in standing:
        group = capacity_rules.group_of(item, delegation, kind, on_behalf_of)
    elif standing["own_group"] is not None:
        group = Group.objects.get(pk=standing["own_group"])
    else:
        group = None
    co_sponsors = capacity_rules.co_sponsors_of(item, delegation, capacity.get("co_sponsors") or ())
    if co_sponsors and kind != Kind.STATEMENT:
        raise FloorError(_("Only a statement may be a joint statement."), field="co_sponsors")
    category = standing["category"]
    # A focal point who also chairs the item is asked whether they chair only when it
    # matters (a point of order, a list not open to delegations): a statement costs no
    # query more.
    chairing = (
        chairs(user, item)
        if own and (kind == Kind.POINT_OF_ORDER or not selectors.accepting(item))
        else None
    )
    asker = selectors.asker(item, delegation, kind=kind, by_chair=not own, category=category)
    if group is not None:
        asker = replace(asker, on_behalf_of=group.code, group_name=group.name)
    # On PostgreSQL the rules and the new entry's id came with the standing (one round trip).
    rules = standing["rules"] if "rules" in standing else selectors.rules_rows(item)
    return Ask(
        delegation=delegation,
        guest=None,
        kind=kind,
        user=user,
        own=own,
        category=category,
        asker=asker,
        policy=selectors.policy_for(item, rules),
        speaker_name=speaker_name,
        language=language,
        note=note,
        group=group,
        co_sponsors=co_sponsors,
        presence=presence,
        rules=rules,
        entry_id=standing["entry_id"] if "entry_id" in standing else lean.new_entry_id(),
        chairing=chairing,
    )


def _standing(item, delegation, user, kind, on_behalf_of) -> dict | None:
    """In one query: the delegation's category at the meeting, whether `user` is its focal
    point (`own`) and, when the kind may be said for a group and none is named, the group whose
    own delegation it is (`own_group`, as `capacity.group_of` finds it). None when the
    delegation does not take part in the meeting."""
    active = getattr(user, "is_authenticated", False) and user.is_active
    return reads.standing(
        item.meeting_id,
        delegation.pk,
        user.pk if active else None,
        group=on_behalf_of is None and kind in GROUP_KINDS,
        item_id=item.pk,
    )


def no_co_sponsors(entry) -> None:
    """A new entry without co-sponsors, known as such: its answer reads none."""
    # As Django's prefetching leaves it: a queryset holding its (empty) rows, read without a
    # query or a query compiled. (Of the model, not the relation's: four times cheaper.)
    none = Delegation.objects.none()
    none._result_cache, none._prefetch_done = [], True
    entry._prefetched_objects_cache = {"co_sponsors": none}


def guest_ask(item, guest, kind, user, speaker_name, language, note, presence, capacity) -> Ask:
    """A speaker without a delegation, whom only the chair puts on the list: speaking for no
    group, with no co-sponsor."""
    if not chairs(user, item):
        raise NotAllowed(
            _("Only the chair of this item may put a speaker without a delegation on the list.")
        )
    if guest.meeting_id != item.meeting_id:
        raise FloorError(_("This speaker is not one of this meeting's."), field="guest")
    if capacity.get("on_behalf_of"):
        raise FloorError(
            _("A speaker without a delegation speaks for no group."), field="on_behalf_of"
        )
    if capacity.get("co_sponsors"):
        raise FloorError(
            _("A speaker without a delegation reads no joint statement."), field="co_sponsors"
        )
    rules = selectors.rules_rows(item)
    return Ask(
        delegation=None,
        guest=guest,
        kind=kind,
        user=user,
        own=False,
        category="",
        asker=guest_asker(guest),
        policy=selectors.policy_for(item, rules),
        speaker_name=speaker_name,
        language=language,
        note=note,
        presence=presence,
        rules=rules,
        entry_id=lean.new_entry_id(),
        chairing=True,
    )


def guest_asker(guest: Guest) -> Asker:
    """A speaker without a delegation as `admission` sees them: put on the list by the chair,
    free to give an invited presentation (and a response after it)."""
    return Asker(
        delegation=guest_code(guest.pk),
        presenter_kinds=frozenset({Kind.INVITED_PRESENTATION}),
        by_chair=True,
        guest=True,
        name=guest.name,
    )


def admitted(ask: Ask, item: AgendaItem, entries: list, now) -> FloorRequest:
    """The new entry `ask` makes on the locked list `entries`, with its place
    (`position`, `waiting_count`), not written yet (but on a database that gives the id only
    on insert); refused with the reason (`FloorError`) when the rules of admission say no."""
    situation = selectors.situation_of(item, ask.policy, entries, now)
    asker = ask.asker
    if (
        ask.own
        and (ask.kind == Kind.POINT_OF_ORDER or situation.sign_up != SignUp.OPEN)
        and ask.chairs(item)
    ):
        asker = replace(asker, by_chair=True)
    refusal = kind_refusal(ask.kind, asker, situation)
    if refusal is not None:
        raise FloorError(refusal.message, field=refusal.field)
    entry = FloorRequest(
        pk=ask.entry_id,
        item=item,
        delegation=ask.delegation,
        guest=ask.guest,
        on_behalf_of=ask.group,
        presence=ask.presence,
        category=ask.category,
        kind=ask.kind,
        speaker_name=ask.speaker_name,
        language=ask.language,
        note=ask.note,
        requested_at=now,
        requested_by=ask.user if getattr(ask.user, "is_authenticated", False) else None,
        added_by_chair=not ask.own,
    )
    if entry.pk is None:  # the database gives the id (not PostgreSQL): insert it first
        entry.save(force_insert=True)
    # Its place, in memory: the list was read under the lock, and the entry is new.
    order = speaking_order([*entries, entry.as_entry()], ask.policy)
    entry.position = position_of(order, entry.pk)
    entry.waiting_count = len(order)
    return entry


def requested(ask: Ask, entry: FloorRequest) -> dict:
    """The audit event's `after` for a new entry."""
    after = {
        "delegation": entry.speaker_code,
        "kind": entry.kind,
        "status": entry.status,
        "anchor": Anchor.NONE.value,
        "position": entry.position,
    }
    if ask.group is not None:
        after["on_behalf_of"] = ask.group.code
    if ask.co_sponsors:
        after["co_sponsors"] = [delegation.code for delegation in ask.co_sponsors]
    if ask.presence != Presence.ROOM:
        after["presence"] = ask.presence
    return after
