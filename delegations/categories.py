"""The categories of participant as plain values, and the table read once per request.

The table (`delegations.models.ParticipantCategory`, managed by the secretariat in the admin)
is the truth for each category's code, name, rank and whether it is a State's: the default
order of categories on a list of speakers (`agenda.speakers.selectors.policy_for`), the labels
on pages, statistics and exports, who counts as a State (`agenda.speakers.admission`), what an
import accepts. `ParticipantCategory.table()` gives it as a `Categories` value.

It is read on every page of the chair and every request for the floor, so within a request it
is read at most once: `RequestCacheMiddleware` opens a cache for each request, and
`remembered` keeps what is read there until the answer is sent. Outside a request (a
management command, a service called by a test) it is read each time it is asked for, so it
is never out of date. A request for the floor, on PostgreSQL, does not even read it: the
statement it makes anyway before the list's lock also reads the versions of the table's rows,
and `remembered_as_of` gives the table this process read before as long as they are the same
(`agenda.speakers.reads.standing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.apps import apps as global_apps
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class CategoryInfo:
    """One category of participant: `code` as stored and exchanged (`state_party`), `name`
    (State Party), `plural_name` (States Parties: the heading of the list of participants),
    `rank` (lower speaks first), `state` (its delegations are States)."""

    code: str
    name: str
    plural_name: str = ""
    rank: int = 0
    state: bool = False

    @property
    def label(self) -> str:
        # The shipped names are in the translation catalogue; a name the secretariat added is
        # shown as written.
        return gettext(self.name) if self.name else self.code

    @property
    def heading(self) -> str:
        return gettext(self.plural_name) if self.plural_name else self.label


@dataclass(frozen=True)
class Categories:
    """The table of categories, in rank order."""

    rows: tuple[CategoryInfo, ...]
    _by_code: dict[str, CategoryInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {row.code: row for row in self.rows})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[CategoryInfo]:
        return iter(self.rows)

    def get(self, code: str) -> CategoryInfo | None:
        return self._by_code.get(code)

    @property
    def order(self) -> tuple[str, ...]:
        """The codes in rank order: the default order of categories on a list of speakers."""
        return tuple(row.code for row in self.rows)

    values = order  # as `TextChoices.values`, for `delegations.problems.Problems.choice`

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(row.code, row.label) for row in self.rows]

    @property
    def states(self) -> tuple[str, ...]:
        """The codes of the States' categories, in rank order."""
        return tuple(row.code for row in self.rows if row.state)

    def label(self, code: str) -> str:
        """The category's name; the code itself when the table does not know it (a category
        deleted since an entry was recorded)."""
        row = self._by_code.get(code)
        return code if row is None else row.label

    def rank(self, code: str) -> int | None:
        row = self._by_code.get(code)
        return None if row is None else row.rank

    def is_state(self, code: str) -> bool:
        row = self._by_code.get(code)
        return row is not None and row.state


SHIPPED = (
    CategoryInfo(
        "state_party",
        gettext_noop("State Party"),
        gettext_noop("States Parties"),
        rank=10,
        state=True,
    ),
    CategoryInfo(
        "signatory_state",
        gettext_noop("Signatory State"),
        gettext_noop("Signatory States"),
        rank=20,
        state=True,
    ),
    CategoryInfo(
        "observer_state",
        gettext_noop("Observer State"),
        gettext_noop("Observer States"),
        rank=30,
        state=True,
    ),
    CategoryInfo(
        "international_organization",
        gettext_noop("International organization"),
        gettext_noop("International organizations"),
        rank=40,
        state=False,
    ),
    CategoryInfo(
        "red_cross",
        gettext_noop("Red Cross and Red Crescent"),
        gettext_noop("Red Cross and Red Crescent"),
        rank=50,
        state=False,
    ),
    CategoryInfo(
        "cmc",
        gettext_noop("Cluster Munition Coalition"),
        gettext_noop("Cluster Munition Coalition"),
        rank=60,
        state=False,
    ),
    CategoryInfo(
        "ngo",
        gettext_noop("Non-governmental organization"),
        gettext_noop("Non-governmental organizations"),
        rank=70,
        state=False,
    ),
)
"""The categories the product ships with (`delegations.models.Category`), in the order of rules
1.2-1.3 of the rules of procedure, ranked 10 apart so that one can be put between two others.
Migration 0002 seeds the table with them, and so does `seed_shipped` when the table is empty
after a flush (a test that commits)."""


def seed_shipped(sender, *, using, apps=global_apps, **kwargs) -> None:
    """`post_migrate`: a table of categories left empty (a flushed database) gets the shipped
    ones, as Django gives a flushed database its content types and permissions again. A table
    with any category is left as the secretariat keeps it."""
    try:
        model = apps.get_model("delegations", "ParticipantCategory")
    except LookupError:
        return
    rows = model.objects.using(using)
    if not rows.exists():
        rows.bulk_create(
            model(
                code=row.code,
                name=row.name,
                plural_name=row.plural_name,
                rank=row.rank,
                state=row.state,
            )
            for row in SHIPPED
        )


# --- what is read once per request -----------------------------------------------------------

_request_cache: ContextVar[dict | None] = ContextVar("delegations_request_cache", default=None)


@contextmanager
def request_cache():
    """Keep what `remembered` reads until the block ends (one request)."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def remembered[T](key: str, read: Callable[[], T]) -> T:
    """`read()`, once per request: within `request_cache` the first answer is kept and given
    again; outside it `read()` is called each time."""
    cache = _request_cache.get()
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return cache[key]


_kept: dict[str, tuple[object, object]] = {}
"""What `remembered_as_of` keeps in this process: key → (stamp, value)."""


def remembered_as_of[T](key: str, stamp: object, read: Callable[[], T]) -> T:
    """`read()`, kept in this process for as long as `stamp` is the same, and for the rest of
    the request as `remembered` keeps it. `stamp` says which version of the rows `read` reads
    (a digest of the rows' versions, read by the caller in a statement it makes anyway), so
    that a change made by any process, in the admin or anywhere else, is read at once."""
    kept = _kept.get(key)
    if kept is None or kept[0] != stamp:
        kept = (stamp, read())
        _kept[key] = kept
    cache = _request_cache.get()
    if cache is not None:
        cache[key] = kept[1]
    return kept[1]  # type: ignore[return-value]


def forget(key: str) -> None:
    """Drop what this request keeps under `key` (after the request changed it)."""
    cache = _request_cache.get()
    if cache is not None:
        cache.pop(key, None)


class RequestCacheMiddleware:
    """Opens `request_cache` for each request (`config/settings.py`, MIDDLEWARE). Sync and
    async, like the rest of the chain, so that it changes nothing in how a request is served;
    what a view streams after it returned is read afresh."""

    async_capable = True
    sync_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._serve_async(request)
        with request_cache():
            return self.get_response(request)

    async def _serve_async(self, request):
        with request_cache():
            return await self.get_response(request)
