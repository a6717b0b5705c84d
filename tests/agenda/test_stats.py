"""Statistics of the record: entries and speaking time by category, gender, item and delegation,
checked against an example computed by hand (with speakers whose gender is not stated)."""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import FloorRequest, Statement
from agenda.record.figures import Fact, Table, figures
from agenda.record.selectors import delivered, facts
from delegations.models import Participation
from tests.factories import AgendaItemFactory, DelegateFactory, UserFactory
from tests.helpers import many, spoken

# By hand: five entries, 800 seconds.
#   2(c)  Italy   Anna Rossi    300 s  woman       State Party
#   2(c)  Norway  Ola Nordmann  200 s  man         State Party
#   2(c)  ICRC    Marc Dubois   100 s  not stated  (on the list, gender left blank)
#   2(c)  HRW     Mary Wareham   60 s  not stated  (not on the list)
#   2(j)  Italy   Anna Rossi    140 s  woman       (and 30 s paused, not counted)
FACTS = [
    Fact("state_party", "ITA", "Italy", "2(c)", "Clearance", 300, "woman"),
    Fact("state_party", "NOR", "Norway", "2(c)", "Clearance", 200, "man"),
    Fact("red_cross", "ICRC", "ICRC", "2(c)", "Clearance", 100, ""),
    Fact("ngo", "HRW", "Human Rights Watch", "2(c)", "Clearance", 60, ""),
    Fact("state_party", "ITA", "Italy", "2(j)", "Concerns", 140, "woman"),
]


def lines(table: Table) -> list[tuple]:
    """(label, entries, seconds, share, [(entries, seconds) by gender]) for each line."""
    return [
        (
            line.label,
            line.total.count,
            line.total.seconds,
            line.share,
            [(cell.count, cell.seconds) for cell in line.by_gender],
        )
        for line in table.lines
    ]


#                woman     man      other    not stated
GENDER_TOTAL = [(2, 440), (1, 200), (0, 0), (2, 160)]


def test_the_hand_computed_example():
    computed = figures(FACTS)

    assert [table.key for table in computed.tables] == [
        "category", "gender", "item", "delegation", "group", "joint",
    ]  # fmt: skip
    assert lines(computed.table("category")) == [
        ("State Party", 3, 640, 80.0, [(2, 440), (1, 200), (0, 0), (0, 0)]),
        ("Red Cross and Red Crescent", 1, 100, 12.5, [(0, 0), (0, 0), (0, 0), (1, 100)]),
        ("Non-governmental organization", 1, 60, 7.5, [(0, 0), (0, 0), (0, 0), (1, 60)]),
    ]
    assert lines(computed.table("gender")) == [
        ("Woman", 2, 440, 55.0, [(2, 440), (0, 0), (0, 0), (0, 0)]),
        ("Man", 1, 200, 25.0, [(0, 0), (1, 200), (0, 0), (0, 0)]),
        ("Another gender", 0, 0, 0.0, [(0, 0), (0, 0), (0, 0), (0, 0)]),
        ("Not stated", 2, 160, 20.0, [(0, 0), (0, 0), (0, 0), (2, 160)]),
    ]
    assert lines(computed.table("item")) == [
        ("2(c) Clearance", 4, 660, 82.5, [(1, 300), (1, 200), (0, 0), (2, 160)]),
        ("2(j) Concerns", 1, 140, 17.5, [(1, 140), (0, 0), (0, 0), (0, 0)]),
    ]
    assert lines(computed.table("delegation")) == [
        ("Human Rights Watch", 1, 60, 7.5, [(0, 0), (0, 0), (0, 0), (1, 60)]),
        ("ICRC", 1, 100, 12.5, [(0, 0), (0, 0), (0, 0), (1, 100)]),
        ("Italy", 2, 440, 55.0, [(2, 440), (0, 0), (0, 0), (0, 0)]),
        ("Norway", 1, 200, 25.0, [(0, 0), (1, 200), (0, 0), (0, 0)]),
    ]
    assert lines(computed.table("group")) == []  # no statement on behalf of a group
    assert lines(computed.table("joint")) == []
    assert computed.table("category").apart is None  # every speaker was a delegation's
    for table in computed.tables[:4]:
        assert (table.total.total.count, table.total.total.seconds) == (5, 800)
        assert [(c.count, c.seconds) for c in table.total.by_gender] == GENDER_TOTAL


def test_no_entries_no_figures():
    computed = figures([])

    assert lines(computed.table("category")) == []
    assert [line.total.count for line in computed.table("gender").lines] == [0, 0, 0, 0]


def example(floor):
    """The hand-computed example, in the database."""
    for code, name, gender in (
        ("ITA", "Anna Rossi", "woman"),
        ("NOR", "Ola Nordmann", "man"),
        ("ICRC", "Marc Dubois", ""),
    ):
        participation = Participation.objects.get(meeting=floor.meeting, delegation=floor.d[code])
        DelegateFactory(participation=participation, name=name, gender=gender)
    concerns = AgendaItemFactory(
        meeting=floor.meeting, parent=floor.item.parent, label="j", title="Concerns"
    )
    spoken(floor.item, floor.d["ITA"], minute=0, seconds=300, speaker="Anna Rossi")
    spoken(floor.item, floor.d["NOR"], minute=6, seconds=200, speaker="Ola Nordmann")
    spoken(floor.item, floor.d["ICRC"], minute=10, seconds=100, speaker="Marc Dubois")
    spoken(floor.item, floor.d["HRW"], minute=13, seconds=60, speaker="Mary Wareham")
    spoken(concerns, floor.d["ITA"], minute=60, seconds=140, paused=30, speaker="Anna Rossi")


@pytest.mark.django_db
def test_the_example_read_from_the_record(floor):
    example(floor)

    computed = figures(facts(delivered(floor.meeting)))

    assert lines(computed.table("category")) == lines(figures(FACTS).table("category"))
    assert lines(computed.table("gender")) == lines(figures(FACTS).table("gender"))
    assert lines(computed.table("item")) == lines(figures(FACTS).table("item"))
    assert lines(computed.table("delegation")) == lines(figures(FACTS).table("delegation"))


@pytest.mark.django_db
def test_the_statistics_page_and_its_export(client, floor):
    example(floor)
    client.force_login(floor.secretariat)

    page = client.get(reverse("record_statistics", args=[floor.meeting.slug]))
    export = client.get(reverse("record_statistics_export", args=[floor.meeting.slug, "csv"]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Not stated" in html
    assert 'width="80.0"' in html  # the State Parties' bar: 80 % of the time
    dataset = tablib.Dataset().load(export.content.decode(), format="csv")
    assert dataset.headers == [
        "table", "key", "label", "entries", "speaking time (s)", "share of time (%)",
        "delegations represented", "woman (entries)", "woman (s)", "man (entries)", "man (s)",
        "other (entries)", "other (s)", "not stated (entries)", "not stated (s)",
    ]  # fmt: skip
    rows = [list(row) for row in dataset]
    assert rows[:4] == [
        ["category", "state_party", "State Party", "3", "640", "80.0", "", "2", "440", "1", "200",
         "0", "0", "0", "0"],
        ["category", "red_cross", "Red Cross and Red Crescent", "1", "100", "12.5", "", "0", "0",
         "0", "0", "0", "0", "1", "100"],
        ["category", "ngo", "Non-governmental organization", "1", "60", "7.5", "", "0", "0", "0",
         "0", "0", "0", "1", "60"],
        ["category", "total", "Total", "5", "800", "100.0", "", "2", "440", "1", "200", "0", "0",
         "2", "160"],
    ]  # fmt: skip
    assert rows[4:9] == [
        ["gender", "woman", "Woman", "2", "440", "55.0", "", "2", "440", "0", "0", "0", "0", "0",
         "0"],
        ["gender", "man", "Man", "1", "200", "25.0", "", "0", "0", "1", "200", "0", "0", "0", "0"],
        ["gender", "other", "Another gender", "0", "0", "0.0", "", "0", "0", "0", "0", "0", "0",
         "0", "0"],
        ["gender", "not_stated", "Not stated", "2", "160", "20.0", "", "0", "0", "0", "0", "0",
         "0", "2", "160"],
        ["gender", "total", "Total", "5", "800", "100.0", "", "2", "440", "1", "200", "0", "0",
         "2", "160"],
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("focal point of Chile", 403),
        ("focal point of Italy, a coordinator of 2(c)", 200),
        ("account chairing 2(c)", 200),
        ("president", 200),
        ("secretariat", 200),
    ],
)
def test_who_reads_the_figures(client, floor, who, status):
    users = {
        "focal point of Chile": floor.user("CHL"),
        "focal point of Italy, a coordinator of 2(c)": floor.user("ITA"),
        "president": floor.chair,
        "secretariat": floor.secretariat,
    }
    if who == "account chairing 2(c)":
        users[who] = UserFactory(username="facilitator")
        floor.item.facilitators.add(users[who])
    if who in users:
        client.force_login(users[who])
    slug = floor.meeting.slug

    for url in (
        reverse("record_statistics", args=[slug]),
        reverse("record_statistics_export", args=[slug, "xlsx"]),
        reverse("record_lap", args=[slug]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.django_db
def test_the_statistics_page_runs_a_fixed_number_of_queries(client, floor):
    client.force_login(floor.secretariat)
    url = reverse("record_statistics", args=[floor.meeting.slug])
    many(floor, 1)
    client.get(url)  # the session's first read
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    FloorRequest.objects.all().delete()
    Statement.objects.all().delete()
    many(floor, 200)
    with CaptureQueriesContext(connection) as lots:
        response = client.get(url)

    assert len(lots) == len(one)
    assert response.context["figures"].table("gender").total.total.count == 200
