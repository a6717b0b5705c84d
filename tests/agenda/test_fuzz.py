"""Generated input for the web forms and the imports (issue 11, finding 8): the delegation's
request for the floor and statement settings, the chair's actions, and delegation lists
imported from CSV. Whatever is sent, the site answers without a 500, and nothing is half
written: a refusal changes nothing, and every change of a list is one event of the audit trail
with the list's next version.

Text is drawn from every character UTF-8 can carry, NUL included (a form cannot carry a lone
surrogate: the browser's encoding replaces it), with values that have broken things before
("²", which `isdigit()` calls a digit; numbers with thousands of digits).

Each example runs in a savepoint rolled back after it, so every one starts from the same world.
"""

import csv
import io

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.models.speakers import LANGUAGE_CHOICES
from agenda.speakers import speeches
from agenda.speakers.ordering import Kind
from delegations.imports import import_file
from tests.authorization import difference, snapshot
from tests.helpers import ask, hand_in

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NUL = ["\x00", "a\x00b", "Ana\x00"]
TRICKY = ["", " ", "²", "٣", "-1", "0", "1.5", "9" * 30, "9" * 5000, "=1+1"]
TEXT = st.one_of(
    st.sampled_from(NUL),
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8"), max_size=30),
)
WORDS = st.one_of(st.sampled_from(NUL), TEXT)  # a name or a reason: NUL half the time


def ids(*values: int):
    """Mostly a real id, else text that may or may not read as one."""
    real = st.sampled_from([str(value) for value in values])
    return st.one_of(real, real, TEXT)


def consistent_lists() -> None:
    """Every list's version is the number of its events, which are numbered 1, 2, … n."""
    for item in AgendaItem.objects.all():
        versions = sorted(ListEvent.objects.filter(item=item).values_list("version", flat=True))
        assert versions == list(range(1, len(versions) + 1)), item
        assert item.list_version == len(versions), item


def nothing_half_written(before: dict, refused: bool | None) -> None:
    """A refused request changed nothing; one that changed a list left every list
    consistent. `refused` None: refused when it wrote no event (the chair's actions, whose
    refusals are notices on the console)."""
    after = snapshot()
    if refused is None:
        refused = after["agenda.listevent"] == before["agenda.listevent"]
    if refused:
        assert difference(before, after) == {}
    consistent_lists()


def attempt(send, refused=lambda response: None) -> None:
    """`send()` in a savepoint rolled back after it: no 500, nothing half written."""
    with transaction.atomic():
        before = snapshot()
        response = send()
        assert response.status_code < 500, response.content[:300]
        nothing_half_written(before, refused(response))
        transaction.set_rollback(True)


def with_400(response) -> bool:
    """The delegation's forms: 302 when done, 400 (the form, with the reason) when refused."""
    assert response.status_code in (302, 400)
    return response.status_code == 400


# --- the delegation's forms --------------------------------------------------------------------


@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "kind": st.one_of(st.sampled_from([kind.value for kind in Kind]), TEXT),
            "language": st.one_of(st.sampled_from([code for code, _ in LANGUAGE_CHOICES]), TEXT),
            "speaker_name": TEXT,
            "note": TEXT,
            "extra": TEXT,
        },
    )
)
@EXAMPLES
def test_the_delegations_request_form_takes_any_input_without_a_500(floor, chile, fields):
    url = reverse("floor_request", args=[floor.meeting.slug, "CHL", floor.item.pk])
    data = {f"item-{floor.item.pk}-{key}": value for key, value in fields.items()}

    attempt(lambda: chile.post(url, data), with_400)


@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "check_against_delivery": st.one_of(st.sampled_from(["on", "true", "false"]), TEXT),
            "is_published": st.one_of(st.sampled_from(["on", "1", "0"]), TEXT),
            "extra": TEXT,
        },
    )
)
@EXAMPLES
def test_the_statement_settings_take_any_input_without_a_500(floor, chile, statement, fields):
    url = reverse("statement_settings", args=[floor.meeting.slug, "CHL", statement.pk])
    data = {f"settings-{statement.pk}-{key}": value for key, value in fields.items()}

    attempt(lambda: chile.post(url, data), with_400)


@pytest.fixture
def statement(floor):
    return hand_in(floor, "CHL", published=False)


# --- the chair's actions -----------------------------------------------------------------------

# Each action of the console, with the fields of the form it reads.
ENTRY = ["entry", "version"]
ACTIONS = {
    **dict.fromkeys(["pause", "resume", "end", "absent", "readd", "withdraw", "start"], ENTRY),
    "next": ["version", "end_paused"],
    "move": [*ENTRY, "position", "reason"],
    "limit": ["version", "kind", "minutes", "seconds"],
    "extend": [*ENTRY, "minutes", "seconds"],
    "open": ["version"],
    "close": ["version"],
    "add": ["version", "delegation", "kind", "speaker_name"],
    "point-of-order": ["version", "delegation", "speaker_name"],
    "take-up": ["current"],
    "next-item": ["current"],
}


@pytest.fixture
def console(floor, client):
    """2(c) with France speaking, Chile and Austria waiting, Norway absent; the chair signed in."""
    ask(floor, "NOR")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=FloorRequest.objects.get(), user=floor.chair)
    ask(floor, "FRA")
    ask(floor, "CHL")
    ask(floor, "AUT")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    client.force_login(floor.chair)
    return client


@given(data=st.data())
@settings(EXAMPLES, max_examples=150)
def test_the_chairs_actions_take_any_input_without_a_500(floor, console, data):
    """Each example is an action with a form the console could send (a speaker, the list's
    version, a place, a reason, a delegation…), one or two of the fields the action reads
    replaced by anything, or left out; now and then an action that does not exist."""
    floor.item.refresh_from_db()
    entries = sorted(FloorRequest.objects.values_list("pk", flat=True))
    known = data.draw(st.integers(0, 9), label="known") > 0
    action = data.draw(st.sampled_from(sorted(ACTIONS)) if known else TEXT, label="action")
    fields = {
        "entry": str(data.draw(st.sampled_from(entries))),
        "version": str(floor.item.list_version),
        "position": data.draw(st.sampled_from(["1", "2"])),
        "reason": "Must leave",
        "delegation": data.draw(st.sampled_from(["Austria", "HRW", "Chile"])),
        "kind": data.draw(st.sampled_from([kind.value for kind in Kind])),
        "minutes": "1",
        "seconds": "30",
        "speaker_name": "Ana Soto",
        "current": data.draw(st.sampled_from(["", "none", str(floor.item.pk)])),
        "end_paused": "1",
    }
    read = ACTIONS.get(action, sorted(fields))
    for name in data.draw(st.lists(st.sampled_from(read), min_size=1, max_size=2, unique=True)):
        if data.draw(st.integers(0, 4)) == 0:
            fields.pop(name)
        else:
            bad = WORDS if name in ("reason", "speaker_name", "delegation") else TEXT
            fields[name] = data.draw(bad, label=name)
    htmx = data.draw(st.booleans())
    try:
        url = reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, action])
    except NoReverseMatch:  # not an address of the console: nothing to send
        return
    headers = {"HX-Request": "true"} if htmx else {}
    attempt(lambda: console.post(url, fields, headers=headers))


# --- the imports -------------------------------------------------------------------------------

COLUMNS = {
    "delegations": ["name", "code", "kind", "category", "meeting"],
    "delegates": ["delegation", "name", "title", "role", "gender", "email", "meeting"],
}
CELLS = st.one_of(
    st.sampled_from(
        ["CHL", "FRA", "state", "organization", "state_party", "ngo", "ccm-2025", "head", "a@b.c"]
    ),
    TEXT.filter(lambda text: len(text) < 1000),
)


@st.composite
def csv_files(draw, resource: str) -> bytes:
    """A CSV file: a header of (some of) the resource's columns and a few rows; now and then
    bytes that are no CSV at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    header = draw(
        st.lists(
            st.one_of(st.sampled_from(COLUMNS[resource]), TEXT), min_size=1, max_size=7, unique=True
        )
    )
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=5))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@given(data=st.data())
@EXAMPLES
def test_an_import_of_any_file_answers_with_problems_or_imports_it_whole(floor, data):
    resource = data.draw(st.sampled_from(sorted(COLUMNS)))
    content = data.draw(csv_files(resource))
    dry_run = data.draw(st.booleans())
    with transaction.atomic():
        before = snapshot()
        report = import_file(
            resource, content, file_name=f"{resource}.csv", meeting=floor.meeting, dry_run=dry_run
        )
        after = snapshot()
        if dry_run or not report.ok:
            assert difference(before, after) == {}
        assert report.summary()
        transaction.set_rollback(True)
