"""The JSON API against its own OpenAPI document (issue 11: finding 8, and the statuses of
finding 14): schemathesis generates requests for every operation, with NUL characters and lone
surrogates among the strings, and fails on any 5xx, any answer the document does not describe
(a status it does not list, a body that does not fit its schema, a content type it does not
name), and any write that ignores a missing or bad token.

Bounded, to run in a few seconds on SQLite: `MAX_EXAMPLES` per operation, on the small meeting
of `floor` (tests/agenda/conftest.py) with the chair's token. The paths' ids are mostly the
world's own (an item, its parent, a waiting entry, the speaker), so the writes reach the
services rather than stopping at 404.

The other way round, tests/agenda/test_api_statuses.py provokes every status the document
lists for each operation, and compares what it observed with the document.
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from agenda.api.endpoints import api
from agenda.models import ApiToken
from agenda.speakers import speeches
from tests.helpers import ask

MAX_EXAMPLES = 12
NOT_TEXT = st.sampled_from(["\x00", "a\x00b", "\ud800", "a\udfffb", "\udc00\ud800", "x\x00\ud834"])


class Application:
    """The project's WSGI application, built for each test: its middleware reads the test's
    settings (plain HTTP) when it is built."""

    handler: WSGIHandler | None = None

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)


APPLICATION = Application()
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = APPLICATION
schema.config.generation.update(max_examples=MAX_EXAMPLES, allow_x00=True, deterministic=True)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
# A request the document allows may still be refused by the services, with the reason (400:
# nobody is waiting; 409: the list moved on): that is no failure.
schema.config.checks.update(excluded_check_names=["positive_data_acceptance"])


@schema.hook
def flatmap_body(context, body):
    """Besides what schemathesis generates, one string of a body in two or so becomes one with
    a NUL character or a lone surrogate, as JSON can spell them ("\\u0000", "\\ud800")."""
    if not isinstance(body, dict):
        return st.just(body)
    strings = [key for key, value in body.items() if isinstance(value, str)]
    if not strings:
        return st.just(body)
    spoiled = st.tuples(st.sampled_from(strings), NOT_TEXT).map(
        lambda pair: {**body, pair[0]: pair[1]}
    )
    return st.one_of(st.just(body), spoiled, spoiled)


@pytest.fixture
def in_this_thread():
    """Requests go through Django's WSGI handler in this thread, in the test's transaction:
    as Django's test client does, a request's start and end do not close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    APPLICATION.handler = WSGIHandler()
    yield
    APPLICATION.handler = None
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(floor, groups, in_this_thread):
    """2(c) with France speaking, Chile and Austria waiting, Norway marked absent; the
    meeting's groups and speakers without a delegation (tests/agenda/conftest.py: generated
    small ids name them); the chair's token."""
    ask(floor, "NOR")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=floor.item.floor_requests.get(), user=floor.chair)
    france = ask(floor, "FRA")
    chile = ask(floor, "CHL")
    ask(floor, "AUT")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    return {
        "slug": [floor.meeting.slug],
        "item_id": [floor.item.pk, floor.item.parent_id],
        "entry_id": [france.pk, chile.pk, floor.item.floor_requests.get(delegation__code="NOR").pk],
        "token": ApiToken.issue(floor.chair)[1],
    }


def the_worlds(case, world) -> None:
    """Most generated ids and slugs become the world's (one in three stays as generated)."""
    for name, value in list(case.path_parameters.items()):
        choices = world.get(name)
        if not choices:
            continue
        index = (value if isinstance(value, int) else len(str(value))) % (len(choices) + 1)
        if index < len(choices):
            case.path_parameters[name] = choices[index]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_the_api_answers_as_its_document_says(case, world):
    the_worlds(case, world)
    response = case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"})
    assert response.status_code < 500, response.content[:500]
    if response.headers.get("content-type", [""])[0].startswith("application/json"):
        json.loads(response.content)
