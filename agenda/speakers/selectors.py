"""Reading a list of speakers: the rules in force, the order, the time limits, the sign-up
window, who asks.

Both the services (to write) and the pages and API (to show) read through here, so what the
chair sees is what the services act on.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone

from agenda.models import AgendaItem, FloorRequest, Presenter, SpeakingRules
from agenda.models.speakers import DEFAULT_TIME_LIMITS
from delegations.models import Delegation

from .admission import Asker, SignUp, sign_up
from .ordering import LEADING_KINDS, Entry, Kind, Policy, Status, speaking_order

_POLICY_FIELDS = [
    "spoken_wait_behind",
    "max_replies_per_delegation",
    "max_invited_presentations",
    "online_points_of_order",
    "replies_from",
    "readded_to",
]


def _rules_rows(item: AgendaItem) -> list[SpeakingRules]:
    """The item's own rules first, then the meeting's defaults (either may be missing)."""
    rows = SpeakingRules.objects.filter(meeting_id=item.meeting_id).filter(
        Q(item_id=item.pk) | Q(item__isnull=True)
    )
    return sorted(rows, key=lambda row: row.item_id is None)


def _first(rows: list[SpeakingRules], name: str):
    for row in rows:
        value = getattr(row, name)
        if value not in (None, ""):
            return value
    return None


def _split(value: str | None) -> list[str] | None:
    return None if not value else [part.strip() for part in value.split(",") if part.strip()]


def policy_for(item: AgendaItem, rows: list[SpeakingRules] | None = None) -> Policy:
    """The ordering policy in force for the item: item rules → meeting defaults → product."""
    rows = _rules_rows(item) if rows is None else rows
    values = {name: _first(rows, name) for name in _POLICY_FIELDS}
    return Policy.from_values(
        kind_order=_split(_first(rows, "kind_order")),
        category_order=_split(_first(rows, "category_order")),
        **{name: value for name, value in values.items() if value is not None},
    )


def time_limits_for(item: AgendaItem, rows: list[SpeakingRules] | None = None) -> dict[Kind, int]:
    """Seconds allowed for each kind of request on the item."""
    rows = _rules_rows(item) if rows is None else rows
    limits = {}
    for kind in Kind:
        value = _first(rows, f"{kind.value}_seconds")
        limits[kind] = DEFAULT_TIME_LIMITS[kind] if value is None else value
    return limits


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
        return self.time_limits[Kind(entry.kind)]

    def time_left(self, entry: FloorRequest, now: datetime) -> int | None:
        """Seconds left of the entry's time limit (negative: over time); None before it
        began."""
        spoken = entry.speaking_time(now)
        if spoken is None:
            return None
        return self.time_limit(entry) - int(spoken.total_seconds())

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
    rows = _rules_rows(item) if rules is None else rules
    policy = policy_for(item, rows)
    by_id = {request.pk: request for request in requests}
    order = speaking_order([request.as_entry() for request in requests], policy)
    speaking = sorted(
        (r for r in requests if r.status == Status.SPEAKING),
        key=lambda r: (r.started_at or datetime.min.replace(tzinfo=UTC), r.pk),
    )
    # Two entries speak at once only when a point of order interrupted a speaker: the one
    # who spoke last has the floor, the other waits, paused, to resume.
    current = speaking[-1] if speaking else None
    interrupted = speaking[-2] if len(speaking) > 1 else None
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
    """The item's list of speakers, read in two queries."""
    requests = list(
        FloorRequest.objects.filter(item=item)
        .select_related("delegation")
        .order_by("requested_at", "id")
    )
    return build_list(item, requests)


def speakers_lists(items: list[AgendaItem]) -> dict[int, SpeakersList]:
    """The lists of speakers of several items of one meeting, by item id, in two queries."""
    if not items:
        return {}
    meeting_id = items[0].meeting_id
    rows = list(SpeakingRules.objects.filter(meeting_id=meeting_id))
    requests: dict[int, list[FloorRequest]] = {item.pk: [] for item in items}
    for request in (
        FloorRequest.objects.filter(item__in=[item.pk for item in items])
        .select_related("delegation")
        .order_by("requested_at", "id")
    ):
        requests[request.item_id].append(request)
    return {
        item.pk: build_list(
            item,
            requests[item.pk],
            rules=sorted(
                (row for row in rows if row.item_id in (item.pk, None)),
                key=lambda row: row.item_id is None,
            ),
        )
        for item in items
    }


def entries_of(item: AgendaItem) -> list[Entry]:
    """The item's requests as the plain values the ordering works on (one query)."""
    rows = FloorRequest.objects.filter(item=item).values_list(
        "id",
        "delegation__code",
        "category",
        "kind",
        "requested_at",
        "status",
        "anchor",
        "anchor_entry",
    )
    return [Entry(*row) for row in rows]


def sign_up_of(item: AgendaItem, now: datetime | None = None) -> SignUp:
    """Where the item's list stands for delegations now (`admission.sign_up`)."""
    return sign_up(
        is_open=item.list_is_open,
        opens_at=item.list_opens_at,
        closes_at=item.list_closes_at,
        now=now or timezone.now(),
    )


def accepting(item: AgendaItem, now: datetime | None = None) -> bool:
    """Whether delegations may add themselves now: the list is open and within its window."""
    return sign_up_of(item, now) == SignUp.OPEN


def asker(
    item: AgendaItem, delegation: Delegation, *, kind: Kind | None = None, by_chair: bool = False
) -> Asker:
    """Who asks for the floor on `item`, as `admission` needs it. With `kind`, only what that
    kind needs is read (a statement needs nothing)."""
    coordinator = False
    presenter_kinds: frozenset[Kind] = frozenset()
    if kind in (None, Kind.COORDINATOR_REMARKS):
        coordinator = item.coordinators.filter(pk=delegation.pk).exists()
    if kind is None or kind in LEADING_KINDS:
        presenter_kinds = frozenset(
            Kind(value)
            for value in Presenter.objects.filter(item=item, delegation=delegation).values_list(
                "kind", flat=True
            )
        )
    return Asker(
        delegation=delegation.code,
        coordinator=coordinator,
        presenter_kinds=presenter_kinds,
        by_chair=by_chair,
    )


def askers(items: list[AgendaItem], delegation: Delegation) -> dict[int, Asker]:
    """`asker` for a delegation on each of `items` (their coordinators prefetched, as
    `agenda.items.agenda_outline` gives them): one query."""
    presenters: dict[int, set[Kind]] = {}
    for item_id, kind in Presenter.objects.filter(
        item__in=items, delegation=delegation
    ).values_list("item_id", "kind"):
        presenters.setdefault(item_id, set()).add(Kind(kind))
    return {
        item.pk: Asker(
            delegation=delegation.code,
            coordinator=delegation in item.coordinators.all(),
            presenter_kinds=frozenset(presenters.get(item.pk, ())),
        )
        for item in items
    }
