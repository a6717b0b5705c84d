"""Reading a list of speakers: the rules in force, the order, the time limits, the sign-up
window, who asks.

Both the services (to write) and the pages and API (to show) read through here, so what the
chair sees is what the services act on.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from agenda.models import AgendaItem, FloorRequest, Presenter, SpeakingRules
from agenda.models.requests import guest_code
from agenda.models.speakers import DEFAULT_TIME_LIMITS
from delegations.models import Delegation, ParticipantCategory, Participation
from meetings.models import Meeting

from . import reads
from .admission import Asker, SignUp, Situation, sign_up
from .ordering import LEADING_KINDS, Entry, Kind, Policy, Status, speaking_order

_POLICY_FIELDS = [
    "spoken_wait_behind",
    "groups_first",
    "max_replies_per_delegation",
    "max_invited_presentations",
    "online_points_of_order",
    "replies_from",
    "readded_to",
]


def rules_rows(item: AgendaItem) -> list[SpeakingRules]:
    """The item's own rules first, then the meeting's defaults (either may be missing): one
    plain query."""
    return reads.rules_of(item.meeting_id, item.pk)


def _item_first(item: AgendaItem, rows) -> list[SpeakingRules]:
    """Of a meeting's rules rows, the item's own first, then the meeting's defaults."""
    return reads.item_first(item.pk, rows)


def _first(rows: list[SpeakingRules], name: str):
    for row in rows:
        value = getattr(row, name)
        if value not in (None, ""):
            return value
    return None


def _split(value: str | None) -> list[str] | None:
    return None if not value else [part.strip() for part in value.split(",") if part.strip()]


def policy_for(item: AgendaItem, rows: list[SpeakingRules] | None = None) -> Policy:
    """The ordering policy in force for the item: item rules → meeting defaults → product.

    The order of categories, when neither the item nor the meeting sets one, is the ranks of
    the categories of participant (`delegations.models.ParticipantCategory`, read once per
    request)."""
    rows = rules_rows(item) if rows is None else rows
    values = {name: _first(rows, name) for name in _POLICY_FIELDS}
    return Policy.from_values(
        kind_order=_split(_first(rows, "kind_order")),
        category_order=(
            _split(_first(rows, "category_order")) or ParticipantCategory.table().order or None
        ),
        **{name: value for name, value in values.items() if value is not None},
    )


def time_limits_for(item: AgendaItem, rows: list[SpeakingRules] | None = None) -> dict[Kind, int]:
    """Seconds allowed for each kind of request on the item."""
    rows = rules_rows(item) if rows is None else rows
    limits = {}
    for kind in Kind:
        value = _first(rows, f"{kind.value}_seconds")
        limits[kind] = DEFAULT_TIME_LIMITS[kind] if value is None else value
    return limits


def time_limits_of(items: list[AgendaItem]) -> dict[int, dict[Kind, int]]:
    """`time_limits_for` each of several items of one meeting, by item id: one query."""
    if not items:
        return {}
    rows = list(SpeakingRules.objects.filter(meeting_id=items[0].meeting_id))
    return {item.pk: time_limits_for(item, _item_first(item, rows)) for item in items}


def applied_limit(entry: FloorRequest, limits: dict[Kind, int]) -> int:
    """The seconds `entry` is allowed. Once its speech began: the limit in force then, kept
    with the speech, plus the extension the chair granted; before, the limit it would get now
    (`limits`: the item's, as `time_limits_for` reads them). A speech that began before limits
    were kept with speeches has none kept: the item's limit now stands in for it."""
    if entry.started_at is None:
        return limits[Kind(entry.kind)]
    kept = entry.time_limit_seconds
    return (limits[Kind(entry.kind)] if kept is None else kept) + entry.extension_seconds


def overtime(spoken: timedelta | None, limit: int) -> timedelta | None:
    """How far a speech of `spoken` went over `limit` seconds, exactly (a fraction of a second
    counts; zero within the limit); None before it began."""
    if spoken is None:
        return None
    return max(spoken - timedelta(seconds=limit), timedelta(0))


@dataclass
class SpeakersList:
    """An item's list of speakers as everyone sees it."""

    item: AgendaItem
    policy: Policy
    time_limits: dict[Kind, int]
    requests: list[FloorRequest]
    current: FloorRequest | None = None
    interrupted: FloorRequest | None = None
    waiting: list[FloorRequest] = field(default_factory=list)
    done: list[FloorRequest] = field(default_factory=list)
    absent: list[FloorRequest] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.item.list_version

    def time_limit(self, entry: FloorRequest) -> int:
        """The seconds the entry is allowed: the limit that applied to its speech, extension
        included, or the one it would get now while it waits (`applied_limit`)."""
        return applied_limit(entry, self.time_limits)

    def time_left(self, entry: FloorRequest, now: datetime) -> int | None:
        """Seconds left of the entry's time limit as a countdown shows them, in whole seconds
        (negative: over time); None before it began."""
        spoken = entry.speaking_time(now)
        if spoken is None:
            return None
        return self.time_limit(entry) - int(spoken.total_seconds())

    def overtime(self, entry: FloorRequest, now: datetime | None = None) -> timedelta | None:
        """How far the entry went over its limit, exactly (`overtime`); so far while it
        speaks."""
        return overtime(entry.speaking_time(now), self.time_limit(entry))

    def time_to_end(self, now: datetime) -> int:
        """Seconds until the list ends if every speaker uses the time allowed: what is left
        of the current speech (none when over time) and the limits of those waiting."""
        left = 0
        if self.current is not None:
            left = max(self.time_left(self.current, now) or 0, 0)
        return left + sum(self.time_limit(entry) for entry in self.waiting)

    def position(self, entry: FloorRequest) -> int | None:
        for place, waiting in enumerate(self.waiting, start=1):
            if waiting.pk == entry.pk:
                return place
        return None


def build_list(
    item: AgendaItem,
    requests: list[FloorRequest],
    *,
    rules: list[SpeakingRules] | None = None,
) -> SpeakersList:
    """Sort an item's requests (all statuses, delegations loaded) into a SpeakersList.

    `rules`: the item's speaking rules rows, when the caller has read them already.
    """
    rows = rules_rows(item) if rules is None else rules
    policy = policy_for(item, rows)
    by_id = {request.pk: request for request in requests}
    order = speaking_order([request.as_entry() for request in requests], policy)
    speaking = sorted(
        (r for r in requests if r.status == Status.SPEAKING),
        key=lambda r: (r.started_at or datetime.min.replace(tzinfo=UTC), r.pk),
    )
    # Two entries speak at once only when a point of order interrupted a speaker: the
    # interrupted one waits, its clock stopped, to have the floor again.
    interrupted = next((r for r in speaking if r.interrupted_at is not None), None)
    current = next((r for r in reversed(speaking) if r.interrupted_at is None), None)
    done = sorted(
        (r for r in requests if r.status == Status.SPOKEN), key=lambda r: (r.started_at, r.pk)
    )
    absent = sorted(
        (r for r in requests if r.status == Status.ABSENT), key=lambda r: (r.ended_at, r.pk)
    )
    return SpeakersList(
        item=item,
        policy=policy,
        time_limits=time_limits_for(item, rows),
        requests=requests,
        current=current,
        interrupted=interrupted,
        waiting=[by_id[entry.id] for entry in order],
        done=done,
        absent=absent,
    )


def speakers_list(item: AgendaItem) -> SpeakersList:
    """The item's list of speakers, read in three queries."""
    requests = list(
        FloorRequest.objects.filter(item=item).for_display().order_by("requested_at", "id")
    )
    return build_list(item, requests)


def speakers_lists(items: list[AgendaItem]) -> dict[int, SpeakersList]:
    """The lists of speakers of several items of one meeting, by item id, in three queries."""
    if not items:
        return {}
    meeting_id = items[0].meeting_id
    rows = list(SpeakingRules.objects.filter(meeting_id=meeting_id))
    requests: dict[int, list[FloorRequest]] = {item.pk: [] for item in items}
    for request in (
        FloorRequest.objects.filter(item__in=[item.pk for item in items])
        .for_display()
        .order_by("requested_at", "id")
    ):
        requests[request.item_id].append(request)
    return {
        item.pk: build_list(
            item,
            requests[item.pk],
            rules=_item_first(item, rows),
        )
        for item in items
    }


def entries_of(item: AgendaItem) -> list[Entry]:
    """The item's requests as the plain values the ordering works on (one query)."""
    rows = FloorRequest.objects.filter(item=item).values_list(
        "id",
        "delegation__code",
        "guest_id",
        "category",
        "kind",
        "requested_at",
        "status",
        "anchor",
        "anchor_entry",
        "on_behalf_of__code",
        "on_behalf_of__takes_precedence",
    )
    return [entry_of_row(row) for row in rows]


def entry_of_row(row) -> Entry:
    """An `Entry` from a row of `entries_of`'s columns (id, delegation's code, guest's id,
    category, kind, requested at, status, anchor, anchor entry, group's code, the group's
    precedence), read by the ORM or in plain SQL (`lean.locked_entries`)."""
    pk, code, guest, category, kind, requested_at, status, anchor, anchor_entry, group, first = row
    return Entry(
        id=pk,
        delegation=code if guest is None else guest_code(guest),
        category=category,
        kind=kind,
        requested_at=requested_at,
        status=status,
        anchor=anchor,
        anchor_entry=anchor_entry,
        on_behalf_of=group or "",
        group_first=bool(first),
    )


def sign_up_of(item: AgendaItem, now: datetime | None = None) -> SignUp:
    """Where the item's list stands for delegations now (`admission.sign_up`)."""
    return sign_up(
        is_open=item.list_is_open,
        opens_at=item.list_opens_at,
        closes_at=item.list_closes_at,
        now=now or timezone.now(),
    )


def situation_of(
    item: AgendaItem, policy: Policy, entries: list[Entry], now: datetime
) -> Situation:
    """The item's list as a request meets it now (`admission.Situation`); the item's meeting
    is read from memory."""
    return Situation(
        policy=policy,
        entries=entries,
        sign_up=sign_up_of(item, now),
        opens_at=item.list_opens_at,
        zone=item.meeting.tzinfo,
        meeting_closed=item.meeting.status == Meeting.Status.CLOSED,
    )


def accepting(item: AgendaItem, now: datetime | None = None) -> bool:
    """Whether delegations may add themselves now: the list is open and within its window."""
    return sign_up_of(item, now) == SignUp.OPEN


def is_state(meeting_id: int, delegation: Delegation, category: str | None = None) -> bool:
    """Whether the delegation is a State at the meeting: its category there is a State's
    (`ParticipantCategory.state`). With `category` (the participation's, when the caller has
    read it), no query but the table's, once per request; without, one query."""
    if category is not None:
        return ParticipantCategory.table().is_state(category)
    return Participation.objects.filter(
        meeting_id=meeting_id,
        delegation=delegation,
        category__in=ParticipantCategory.objects.filter(state=True).values("code"),
    ).exists()


def asker(
    item: AgendaItem,
    delegation: Delegation,
    *,
    kind: Kind | None = None,
    by_chair: bool = False,
    category: str | None = None,
) -> Asker:
    """Who asks for the floor on `item`, as `admission` needs it. With `kind`, only what that
    kind needs is read (a statement needs nothing). `category`: the delegation's at the
    meeting, when the caller has read it (else it is read when it matters)."""
    coordinator = False
    presenter_kinds: frozenset[Kind] = frozenset()
    state = False
    if kind in (None, Kind.COORDINATOR_REMARKS, Kind.CLOSING_REMARKS):
        coordinator = item.coordinators.filter(pk=delegation.pk).exists()
    if kind is None or kind in LEADING_KINDS or kind == Kind.RESPONSE:
        presenter_kinds = frozenset(
            Kind(value)
            for value in Presenter.objects.filter(item=item, delegation=delegation).values_list(
                "kind", flat=True
            )
        )
    if kind in (None, Kind.POINT_OF_ORDER, Kind.RIGHT_OF_REPLY) and not by_chair:
        state = is_state(item.meeting_id, delegation, category)
    return Asker(
        delegation=delegation.code,
        coordinator=coordinator,
        presenter_kinds=presenter_kinds,
        by_chair=by_chair,
        state=state,
        name=delegation.name,
    )


def askers(
    items: list[AgendaItem], delegation: Delegation, *, category: str | None = None
) -> dict[int, Asker]:
    """`asker` for a delegation on each of `items` of one meeting (their coordinators
    prefetched, as `agenda.items.agenda_outline` gives them): two queries (one with
    `category`, the delegation's at the meeting)."""
    if not items:
        return {}
    presenters: dict[int, set[Kind]] = {}
    for item_id, kind in Presenter.objects.filter(
        item__in=items, delegation=delegation
    ).values_list("item_id", "kind"):
        presenters.setdefault(item_id, set()).add(Kind(kind))
    state = is_state(items[0].meeting_id, delegation, category)
    return {
        item.pk: Asker(
            delegation=delegation.code,
            coordinator=delegation in item.coordinators.all(),
            presenter_kinds=frozenset(presenters.get(item.pk, ())),
            state=state,
        )
        for item in items
    }
