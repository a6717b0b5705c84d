"""The public item page and the programme page, rendered once for every visitor who sees them
alike, and kept until anything they show changes.

A page is kept under a key made of everything it shows (docs/performance.md, "Pages"):

- the address and the active language (the time zone is the meeting's, in its row);
- a digest of the rows the page is made of, computed by PostgreSQL in one statement
  (`item_stamp`, `programme_stamp`): the meeting, its agenda, the item's list of speakers with
  who speaks (delegations, groups, speakers without a delegation, co-sponsors), the speaking
  rules and categories that order it, the presenters, the mandate and the sittings — the
  version of every row (its key, `xmin` and `ctid`: any update, insert or delete of a row
  changes it, translations included), so that any change shows at once, whoever made it and in
  whichever server process;
- what depends on the clock: whether the list takes requests now.

Only a visitor's page is kept: no account, no session, no message waiting (`cacheable`). What
differs on every answer is put in after: the CSRF token of the language menu and the server's
clock for the countdowns (`serve`). On a database other than PostgreSQL nothing is kept: the
pages are rendered each time, as before.
"""

import hashlib
import re
import secrets
import time
import weakref
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from agenda.models import (
    AgendaItem,
    FloorRequest,
    ListEvent,
    MandateReference,
    Presenter,
    SpeakingRules,
)
from agenda.speakers.admission import SignUp, sign_up
from delegations.models import Delegation, Group, Guest, ParticipantCategory, Participation
from meetings.models import Document, Meeting, Sitting

TIMEOUT = 600
"""Seconds a page is kept unasked (a change makes a new key at once, whatever this is)."""

_MARK = secrets.token_hex(16)
CSRF_MARK = f"csrf-{_MARK}"
NOW_MARK = f"{_MARK}0"  # digits only: it stands in a data attribute read as a number
"""What stands, in a kept page, for what differs on every answer; unknowable outside."""

_PLAIN_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})


def cacheable(request: HttpRequest) -> bool:
    """Whether the page is the same for this visitor as for any other: a GET without an
    account, a session or a message (no cookie but the CSRF token's and the language's), on
    PostgreSQL (with the driver's default client-side binding, which `_stamp` needs)."""
    return (
        request.method in ("GET", "HEAD")
        and set(request.COOKIES) <= _PLAIN_COOKIES
        and connection.vendor == "postgresql"
        and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )


def serve(request: HttpRequest, key: tuple, render: Callable[[dict], HttpResponse]):
    """The page kept under `key`, or `render(marks)` kept now; with this answer's CSRF token
    and clock put in. `marks`: context to render with, in place of what differs per answer."""
    digest = hashlib.sha256(
        repr(
            (
                key,
                request.get_full_path(),
                translation.get_language(),
            )
        ).encode()
    ).hexdigest()
    name = f"page:{digest}"
    html = cache.get(name)
    if html is None:
        response = render({"csrf_token": CSRF_MARK, "server_now": NOW_MARK})
        if response.status_code != 200:
            return response
        html = response.content.decode()
        cache.set(name, html, TIMEOUT)
    html = html.replace(CSRF_MARK, get_token(request)).replace(
        NOW_MARK, str(int(time.time() * 1000))
    )
    return HttpResponse(html)


# --- what a page is made of, in one statement ----------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _col(model, field: str) -> str:
    return _q(model._meta.get_field(field).column)


def _digest(model, where: str) -> str:
    """A subquery: the md5 of the versions of the rows of `model` matching `where` (alias
    `t`): each row's key, `xmin` (the transaction that wrote that version of the row) and
    `ctid` (where the version lies; a second update in one transaction moves it too). Any
    change of a row (an update writes a new version), any row added or deleted changes it;
    reading the versions costs much less than reading the rows."""
    pk = _q(model._meta.pk.column)
    return (
        f"(SELECT md5(coalesce(string_agg(t.{pk}::text || t.xmin::text || t.ctid::text, ',' "  # noqa: S608
        f"ORDER BY t.{pk}), '')) FROM {_table(model)} t WHERE {where})"
    )


def _digest_in(model, ids: str) -> str:
    """A subquery: the md5 of the rows of `model` whose key is among `ids` (a subquery)."""
    return _digest(model, f"t.{_q(model._meta.pk.column)} IN ({ids})")


def _ids(model, column: str, where: str) -> str:
    """`SELECT column FROM model WHERE where` (alias `s`), to restrict another digest."""
    return f"SELECT s.{_q(column)} FROM {_table(model)} s WHERE {where}"  # noqa: S608


def _through(model, field: str):
    return model._meta.get_field(field).remote_field.through


def _column(model, field: str) -> str:
    """The unquoted column of `field` (a relation's: its `_id` column)."""
    return model._meta.get_field(field).column


def _pk(model) -> str:
    return model._meta.pk.column


def _of(model, column: str, field: str) -> str:
    """`SELECT column FROM model WHERE field = %s`: one parameter."""
    return _ids(model, column, f"s.{_col(model, field)} = %s")


def _meeting_parts() -> tuple[list[str], int]:
    """The meeting and its agenda with the coordinators: the parts both pages show, and how
    many parameters (the meeting's id, each time) they take."""
    items = _of(AgendaItem, _pk(AgendaItem), "meeting")
    coordinators = _through(AgendaItem, "coordinators")
    item_column = _q(_column(coordinators, "agendaitem"))
    coordinating = _ids(
        coordinators, _column(coordinators, "delegation"), f"s.{item_column} IN ({items})"
    )
    parts = [
        _digest(Meeting, f"t.{_q(_pk(Meeting))} = %s"),
        _digest(AgendaItem, f"t.{_col(AgendaItem, 'meeting')} = %s"),
        _digest(coordinators, f"t.{item_column} IN ({items})"),
        _digest(Delegation, f"t.{_q(_pk(Delegation))} IN ({coordinating})"),
    ]
    return parts, 4


def _stamp(name: str, parts: list[str], params: list, extra: str, joined: str = "") -> tuple:
    """Run the digest of `parts`, with `extra` values (from `joined`); returns a row: the
    digest, then the extra values.

    The statement is long, and PostgreSQL would take longer to plan it than to run it: it is
    prepared (`PREPARE`) once on each database connection, under `name`, and then only run
    (`EXECUTE`). A prepared statement lasts as long as its connection, whatever becomes of the
    transaction it was prepared in."""
    sql = f"SELECT md5(concat_ws('|', {', '.join(parts)})), {extra} {joined}"
    run = f"EXECUTE {name}({', '.join(['%s'] * len(params))})"
    with connection.cursor() as cursor:
        known = _prepared.setdefault(connection.connection, set())
        if name in known:
            cursor.execute(run, params)
        else:
            numbered = iter(range(1, len(params) + 1))
            statement = re.sub("%s", lambda _match: f"${next(numbered)}", sql)
            cursor.execute(f"PREPARE {name} AS {statement}; {run}", params)
            cursor.nextset()
            known.add(name)
        return cursor.fetchone()


_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""The statements prepared on each database connection (by the driver's connection)."""


def programme_stamp(meeting: Meeting) -> tuple[str, int]:
    """The programme's digest, and the meeting's number of participating delegations (which
    the page shows, read in the same statement)."""
    parts, count = _meeting_parts()
    sittings = _through(AgendaItem, "sittings")
    meeting_sittings = _of(Sitting, _pk(Sitting), "meeting")
    items = _of(AgendaItem, _pk(AgendaItem), "meeting")
    cited = _ids(
        MandateReference,
        _column(MandateReference, "document"),
        f"s.{_col(MandateReference, 'item')} IN ({items})",
    )
    parts += [
        _digest(Sitting, f"t.{_col(Sitting, 'meeting')} = %s"),
        _digest(sittings, f"t.{_q(_column(sittings, 'sitting'))} IN ({meeting_sittings})"),
        _digest(
            Document, f"t.{_col(Document, 'meeting')} = %s OR t.{_q(_pk(Document))} IN ({cited})"
        ),
    ]
    participants = (
        f"(SELECT count(*) FROM {_table(Participation)} p "  # noqa: S608
        f"WHERE p.{_col(Participation, 'meeting')} = %s)"
    )
    return _stamp("intersessional_programme_stamp", parts, [meeting.pk] * (count + 5), participants)


def item_stamp(meeting: Meeting, item_id: int) -> tuple[str, int, bool]:
    """The item page's digest (its list of speakers included), the id of the meeting's latest
    change (which the page passes to its live stream) and whether the list takes requests now
    (which depends on the clock too), read in the same statement."""
    parts, count = _meeting_parts()
    co_sponsors = _through(FloorRequest, "co_sponsors")
    sponsored = _q(_column(co_sponsors, "floorrequest"))
    requests = _of(FloorRequest, _pk(FloorRequest), "item")
    sittings = _through(AgendaItem, "sittings")
    taken_up = _q(_column(sittings, "agendaitem"))
    delegation = f"t.{_q(_pk(Delegation))}"
    sponsors = _ids(
        co_sponsors, _column(co_sponsors, "delegation"), f"s.{sponsored} IN ({requests})"
    )
    parts += [  # each part takes the item's id once, but the speaking rules (the meeting's)
        _digest(FloorRequest, f"t.{_col(FloorRequest, 'item')} = %s"),
        _digest(co_sponsors, f"t.{sponsored} IN ({requests})"),
        _digest(
            Delegation,
            f"{delegation} IN ({_of(FloorRequest, _column(FloorRequest, 'delegation'), 'item')}) "
            f"OR {delegation} IN ({sponsors}) "
            f"OR {delegation} IN ({_of(Presenter, _column(Presenter, 'delegation'), 'item')})",
        ),
        _digest_in(Group, _of(FloorRequest, _column(FloorRequest, "on_behalf_of"), "item")),
        _digest(
            Guest,
            f"t.{_q(_pk(Guest))} IN ({_of(FloorRequest, _column(FloorRequest, 'guest'), 'item')})",
        ),
        _digest(SpeakingRules, f"t.{_col(SpeakingRules, 'meeting')} = %s"),
        _digest(ParticipantCategory, "TRUE"),
        _digest(Presenter, f"t.{_col(Presenter, 'item')} = %s"),
        _digest(MandateReference, f"t.{_col(MandateReference, 'item')} = %s"),
        _digest_in(Document, _of(MandateReference, _column(MandateReference, "document"), "item")),
        _digest(sittings, f"t.{taken_up} = %s"),
        _digest_in(Sitting, _ids(sittings, _column(sittings, "sitting"), f"s.{taken_up} = %s")),
    ]
    latest = (  # as `agenda.live.stream.last_event_id` reads it: backwards along the key
        f"coalesce((SELECT e.{_q(_pk(ListEvent))} FROM {_table(ListEvent)} e "  # noqa: S608
        f"JOIN {_table(AgendaItem)} i ON i.{_q(_pk(AgendaItem))} = e.{_col(ListEvent, 'item')} "
        f"WHERE i.{_col(AgendaItem, 'meeting')} = %s "
        f"ORDER BY e.{_q(_pk(ListEvent))} DESC LIMIT 1), 0)"
    )
    window = ", ".join(f"a.{_col(AgendaItem, name)}" for name in WINDOW)
    joined = f"FROM (SELECT 1) one LEFT JOIN {_table(AgendaItem)} a ON a.{_q(_pk(AgendaItem))} = %s"
    m, i = meeting.pk, item_id
    params = [m] * count + [i] * 7 + [m] + [i] * 5 + [m, i]
    digest, after, is_open, opens_at, closes_at = _stamp(
        "intersessional_item_stamp", parts, params, f"{latest}, {window}", joined
    )
    accepts = (
        sign_up(is_open=bool(is_open), opens_at=opens_at, closes_at=closes_at, now=timezone.now())
        == SignUp.OPEN
    )
    return digest, after, accepts


WINDOW = ("list_is_open", "list_opens_at", "list_closes_at")
"""The item's columns that say, with the clock, whether its list takes requests."""
