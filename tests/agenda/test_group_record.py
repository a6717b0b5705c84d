"""The record, its statistics and its exports when a delegation speaks on behalf of a group,
reads a joint statement for its co-sponsors, or a speaker without a delegation takes the floor,
in the room or not (issue 12): who spoke and for whom on every page, a group statement counted
once, speakers without a delegation apart, the columns of the exports, the search."""

from datetime import timedelta

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.errors import FloorError
from agenda.models import FloorRequest, LapAction, LapArea, Statement
from agenda.record.figures import Fact, figures
from agenda.record.selectors import delivered, facts, search
from agenda.record.services import lap_tags_set, record_correct
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from tests.helpers import BASE, ask, hand_in, spoken, text

pytestmark = pytest.mark.django_db


def deliver_all(floor) -> None:
    """The chair gives the floor to each speaker in turn until the list is empty."""
    while speakers_list(floor.item).waiting:
        entry = speeches.speaker_call_next(item=floor.item, user=floor.chair)
        speeches.speaker_end(entry=entry, user=floor.chair)


def timed(entry: FloorRequest, *, minute: int, seconds: int) -> FloorRequest:
    """The delivered entry given known times: began `minute` minutes after 10:00 in Geneva."""
    started = BASE + timedelta(minutes=minute)
    FloorRequest.objects.filter(pk=entry.pk).update(
        started_at=started, ended_at=started + timedelta(seconds=seconds), paused_total=timedelta()
    )
    entry.refresh_from_db()
    return entry


@pytest.fixture
def session(floor, groups):
    """A session run from the console: Italy on behalf of the European Union (5:00), Chile's
    joint statement with Norway and Austria (3:20), France by a pre-recorded video (1:40), the
    panellist remote (1:00)."""
    eu = ask(floor, "ITA", on_behalf_of="EU", speaker_name="Anna Rossi")
    joint = ask(floor, "CHL", co_sponsors=["NOR", "AUT"], speaker_name="Camila Rojas")
    video = ask(floor, "FRA", presence="recorded")
    panel = services.guest_put_on_list(
        item=floor.item, name="Dr Ana Reyes", kind="statement", user=floor.chair, presence="remote"
    )
    deliver_all(floor)
    return {
        "eu": timed(eu, minute=0, seconds=300),
        "joint": timed(joint, minute=10, seconds=200),
        "video": timed(video, minute=20, seconds=100),
        "panel": timed(panel, minute=30, seconds=60),
    }


# --- the pages ----------------------------------------------------------------------------------


def test_an_items_record_says_who_spoke_and_for_whom(client, floor, session):
    slug = floor.meeting.slug

    page = text(client.get(reverse("record_item", args=[slug, floor.item.pk])))
    printed = text(client.get(reverse("record_item_print", args=[slug, floor.item.pk])))

    assert "1 Italy, on behalf of the European Union State Party Anna Rossi Statement" in page
    assert (
        "2 Chile, joint statement with 2 co-sponsors State Party 2 co-sponsors Austria, Norway "
        "Camila Rojas Statement"
    ) in page
    assert "3 France State Party — Statement Pre-recorded video" in page
    assert (
        "4 Dr Ana Reyes Panellist, Survivor network Speaker without a delegation — Statement Remote"
    ) in page
    assert "Italy, on behalf of the European Union Anna Rossi" in printed
    assert "Chile, joint statement with 2 co-sponsors Co-sponsors: Austria, Norway" in printed
    assert "Dr Ana Reyes Panellist, Survivor network — Statement Remote" in printed
    assert "France — Statement Pre-recorded video" in printed


def test_a_co_sponsor_links_to_its_own_record(client, floor, session):
    html = client.get(reverse("record_item", args=[floor.meeting.slug, floor.item.pk])).content

    norway = reverse("record_delegation", args=[floor.meeting.slug, "NOR"])
    assert f'<a href="{norway}">Norway</a>' in html.decode()


def test_a_delegations_page_lists_what_it_read_and_what_it_co_sponsored_apart(
    client, floor, session
):
    slug = floor.meeting.slug
    national = spoken(floor.item, floor.d["NOR"], minute=40, seconds=90)

    norway = client.get(reverse("record_delegation", args=[slug, "NOR"]))
    italy = client.get(reverse("record_delegation", args=[slug, "ITA"]))
    chile = client.get(reverse("record_delegation", args=[slug, "CHL"]))

    assert [e.floor_request for e in norway.context["entries"]] == [national]
    assert [e.floor_request for e in norway.context["co_sponsored"]] == [session["joint"]]
    assert norway.context["total"] == "1:30"  # what it read only
    read, co_sponsored = text(norway).split("Joint statements it co-sponsored")
    assert "2(c) In its own name — Statement" in read
    assert "Read by another delegation: 1 entry, not counted in its own." in co_sponsored
    assert (
        "2(c) Chile, joint statement with 2 co-sponsors State Party 2 co-sponsors Austria, Norway"
    ) in co_sponsored
    assert "2(c) On behalf of the European Union Anna Rossi" in text(italy)
    assert italy.context["co_sponsored"] == []
    assert "This delegation has co-sponsored no joint statement read at the meeting." in text(italy)
    assert "2(c) Joint statement with 2 co-sponsors 2 co-sponsors Austria, Norway" in text(chile)


def test_a_group_statement_is_on_the_page_of_the_delegation_that_read_it_only(
    client, floor, session
):
    france = client.get(reverse("record_delegation", args=[floor.meeting.slug, "FRA"]))
    eu = client.get(reverse("record_delegation", args=[floor.meeting.slug, "EU"]))

    assert [e.floor_request for e in france.context["entries"]] == [session["video"]]
    assert eu.context["entries"] == []


def test_the_index_lists_the_groups_and_the_speakers_without_a_delegation(client, floor, session):
    response = client.get(reverse("record", args=[floor.meeting.slug]))

    assert [(d.code, d.count) for d in response.context["delegations"]] == [
        ("CHL", 1),
        ("FRA", 1),
        ("ITA", 1),
    ]
    assert [(g.code, g.count) for g in response.context["groups"]] == [("EU", 1)]
    assert [(g.name, g.count) for g in response.context["guests"]] == [("Dr Ana Reyes", 1)]
    page = text(response)
    assert "On behalf of groups The European Union (1)" in page
    assert "Speakers without a delegation Dr Ana Reyes (1) Panellist, Survivor network" in page


def test_a_speaker_without_a_delegation_never_breaks_a_page(client, floor, session):
    """Every page and export of the record, with a speaker without a delegation among the
    entries, tagged with an action of the plan: no error, the speaker by name."""
    slug = floor.meeting.slug
    area = LapArea.objects.create(
        slug="va", title="Victim assistance", first_action=31, last_action=31
    )
    action = LapAction.objects.create(area=area, number=31)
    lap_tags_set(entry=session["panel"], actions=[action], user=floor.secretariat)
    client.force_login(floor.secretariat)
    pages = [
        reverse("record", args=[slug]),
        reverse("record", args=[slug]) + "?q=Reyes",
        reverse("record_item", args=[slug, floor.item.pk]),
        reverse("record_item_print", args=[slug, floor.item.pk]),
        reverse("record_lap", args=[slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Dr Ana Reyes" in text(response), url
    for url in [
        reverse("record_statistics", args=[slug]),
        reverse("record_export", args=[slug, "speakers", "csv"]),
        reverse("record_export", args=[slug, "statements", "csv"]),
        reverse("record_statistics_export", args=[slug, "csv"]),
        reverse("record_lap_export", args=[slug, "va", "csv"]),
    ]:
        assert client.get(url).status_code == 200, url

    response = client.post(
        reverse("record_tag", args=[slug, session["panel"].pk]), {"actions": []}, follow=True
    )

    assert "Dr Ana Reyes: tagged with no action." in text(response)


def test_a_statement_handed_in_for_another_entry_is_not_shown_on_the_joint_statement(
    client, floor, session
):
    """Chile read the joint statement, then spoke in its own name and handed in that text: the
    co-sponsors' pages do not show Chile's national statement as the joint one."""
    national = spoken(floor.item, floor.d["CHL"], minute=50, seconds=60)
    statement = hand_in(floor, "CHL")
    Statement.objects.filter(pk=statement.pk).update(floor_request=national)  # handed in for it

    norway = client.get(reverse("record_delegation", args=[floor.meeting.slug, "NOR"]))
    chile = client.get(reverse("record_delegation", args=[floor.meeting.slug, "CHL"]))

    assert [e.statements for e in norway.context["co_sponsored"]] == [[]]
    assert [(e.floor_request, e.statements) for e in chile.context["entries"]] == [
        (session["joint"], []),
        (national, [statement]),
    ]
    assert [e.statements for e in delivered(floor.meeting, ids=[session["joint"].pk])] == [[]]


def test_the_secretariat_corrects_a_speaker_without_a_delegations_entry(floor, session):
    panel = session["panel"]

    with pytest.raises(FloorError) as refused:
        record_correct(
            entry=panel, corrections={"category": "ngo"}, user=floor.secretariat, reason="typo"
        )
    assert (refused.value.message, refused.value.field) == (
        "A speaker without a delegation is in no category.",
        "category",
    )
    record_correct(
        entry=panel,
        corrections={"ended_at": panel.started_at + timedelta(seconds=75)},
        user=floor.secretariat,
        reason="Clock stopped late",
    )

    [entry] = delivered(floor.meeting, ids=[panel.pk])
    assert (entry.speaker, entry.duration, entry.category_label) == (
        "Dr Ana Reyes",
        "1:15",
        "Speaker without a delegation",
    )


# --- the search ---------------------------------------------------------------------------------


def test_the_search_finds_entries_by_group_co_sponsor_and_speaker(floor, session):
    eu, joint, panel = session["eu"].pk, session["joint"].pk, session["panel"].pk

    assert search(floor.meeting, "EU") == [eu]
    assert search(floor.meeting, "European Union") == [eu]
    assert search(floor.meeting, "NOR") == [joint]
    assert search(floor.meeting, "Austria") == [joint]
    assert search(floor.meeting, "Reyes") == [panel]
    assert search(floor.meeting, "Survivor network") == [panel]
    assert search(floor.meeting, "GRULAC") == []


# --- the statistics -----------------------------------------------------------------------------


def rows(table) -> list[tuple]:
    """(label, entries, seconds, share, represented) of each line, the line apart and the
    total."""
    return [
        (line.label, line.total.count, line.total.seconds, line.share, line.represented)
        for line in table.rows
    ]


def test_a_group_statement_counts_once_and_speakers_without_a_delegation_apart():
    """By hand: Italy for the EU (27 members) 300 s, Chile for GRULAC (33) 100 s, Chile's own
    joint statement with NOR and AUT 200 s, France's joint statement with NOR 50 s, and the
    President 50 s: five entries, 700 s."""
    state = {"category": "state_party", "item": "2(c)", "item_title": "Clearance"}
    computed = figures(
        [
            Fact(**state, delegation="ITA", delegation_name="Italy", seconds=300, group="EU",
                 group_name="the European Union", group_members=27),
            Fact(**state, delegation="CHL", delegation_name="Chile", seconds=100, group="GRULAC",
                 group_name="GRULAC", group_members=33),
            Fact(**state, delegation="CHL", delegation_name="Chile", seconds=200,
                 co_sponsors=("NOR", "AUT")),
            Fact(**state, delegation="FRA", delegation_name="France", seconds=50,
                 co_sponsors=("NOR",)),
            Fact(category="", delegation="", delegation_name="", item="2(c)",
                 item_title="Clearance", seconds=50),
        ]
    )  # fmt: skip

    assert rows(computed.table("category")) == [
        ("State Party", 4, 650, 92.9, None),
        ("Speakers without a delegation", 1, 50, 7.1, None),
        ("Total", 5, 700, 100.0, None),
    ]
    assert rows(computed.table("delegation")) == [
        ("Chile", 2, 300, 42.9, None),
        ("France", 1, 50, 7.1, None),
        ("Italy", 1, 300, 42.9, None),
        ("Speakers without a delegation", 1, 50, 7.1, None),
        ("Total", 5, 700, 100.0, None),
    ]
    assert [line.key for line in computed.table("delegation").lines] == ["CHL", "FRA", "ITA"]
    assert rows(computed.table("group")) == [
        ("GRULAC", 1, 100, 14.3, 33),
        ("the European Union", 1, 300, 42.9, 27),
        ("Total", 2, 400, 57.1, None),
    ]
    assert rows(computed.table("joint")) == [
        ("Chile", 1, 200, 28.6, 2),
        ("France", 1, 50, 7.1, 1),
        ("Total", 2, 250, 35.7, 2),  # Norway co-sponsored both: two co-sponsors in all
    ]
    assert rows(computed.table("item")) == [
        ("2(c) Clearance", 5, 700, 100.0, None),
        ("Total", 5, 700, 100.0, None),
    ]


def test_the_statistics_of_the_session(client, floor, session):
    computed = figures(facts(delivered(floor.meeting)))

    assert rows(computed.table("category")) == [
        ("State Party", 3, 600, 90.9, None),
        ("Speakers without a delegation", 1, 60, 9.1, None),
        ("Total", 4, 660, 100.0, None),
    ]
    assert rows(computed.table("group")) == [
        ("the European Union", 1, 300, 45.5, 3),  # Italy, France, Austria
        ("Total", 1, 300, 45.5, None),
    ]
    assert rows(computed.table("joint")) == [
        ("Chile", 1, 200, 30.3, 2),
        ("Total", 1, 200, 30.3, 2),
    ]
    assert "EU" not in [line.key for line in computed.table("delegation").lines]


def test_the_statistics_page_and_its_export_show_groups_and_speakers_apart(client, floor, session):
    client.force_login(floor.secretariat)
    slug = floor.meeting.slug

    page = text(client.get(reverse("record_statistics", args=[slug])))
    export = client.get(reverse("record_statistics_export", args=[slug, "csv"]))

    assert "Speakers without a delegation 1 1:00 9.1 %" in page
    assert (
        "Statements on behalf of groups Each statement counts once, under the delegation that "
        "read it; “delegations represented” is the number of the group's members."
    ) in page
    assert "Delegations represented" in page
    assert "the European Union 1 5:00 45.5 % 3" in page
    assert "Chile 1 3:20 30.3 % 2" in page
    dataset = tablib.Dataset().load(export.content.decode(), format="csv")
    assert [row[:7] for row in dataset if row[0] in ("group", "joint")] + [
        row[:7] for row in dataset if row[1] == "without_delegation"
    ] == [
        ("group", "EU", "the European Union", "1", "300", "45.5", "3"),
        ("group", "total", "Total", "1", "300", "45.5", ""),
        ("joint", "CHL", "Chile", "1", "200", "30.3", "2"),
        ("joint", "total", "Total", "1", "200", "30.3", "2"),
        ("category", "without_delegation", "Speakers without a delegation", "1", "60", "9.1", ""),
        ("delegation", "without_delegation", "Speakers without a delegation", "1", "60", "9.1", ""),
    ]


def test_without_groups_the_page_says_so(client, floor):
    spoken(floor.item, floor.d["NOR"], minute=0, seconds=60)
    client.force_login(floor.secretariat)

    page = text(client.get(reverse("record_statistics", args=[floor.meeting.slug])))

    assert "No statement has been made on behalf of a group." in page
    assert "No joint statement has been read." in page
    assert "Speakers without a delegation" not in page


# --- the exports --------------------------------------------------------------------------------

SPEAKER_COLUMNS = [
    "delegation code", "delegation", "category", "on behalf of", "on behalf of (name)",
    "co-sponsors", "kind", "speaker", "presence",
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_of_speakers_says_for_whom_and_from_where(client, floor, session, fmt):
    response = client.get(reverse("record_export", args=[floor.meeting.slug, "speakers", fmt]))

    data = response.content
    dataset = (
        tablib.Dataset().load(data.decode(), format="csv")
        if fmt == "csv"
        else tablib.Dataset().load(data, format="xlsx")
    )
    columns = [dataset.headers.index(name) for name in SPEAKER_COLUMNS]
    assert [["" if row[i] is None else row[i] for i in columns] for row in dataset] == [
        ["ITA", "Italy", "state_party", "EU", "the European Union", "", "statement",
         "Anna Rossi", "room"],
        ["CHL", "Chile", "state_party", "", "", "AUT NOR", "statement", "Camila Rojas", "room"],
        ["FRA", "France", "state_party", "", "", "", "statement", "", "recorded"],
        ["", "", "", "", "", "", "statement", "Dr Ana Reyes", "remote"],
    ]  # fmt: skip


def test_the_statements_export_says_for_whom(client, floor, session):
    hand_in(floor, "ITA")
    hand_in(floor, "CHL")

    response = client.get(reverse("record_export", args=[floor.meeting.slug, "statements", "csv"]))

    dataset = tablib.Dataset().load(response.content.decode(), format="csv")
    columns = [dataset.headers.index(name) for name in ("delegation code", "on behalf of",
                                                         "co-sponsors", "speaker")]  # fmt: skip
    assert [[row[i] for i in columns] for row in dataset] == [
        ["ITA", "EU", "", "Anna Rossi"],
        ["CHL", "", "AUT NOR", "Camila Rojas"],
    ]


# --- query counts -------------------------------------------------------------------------------


def said(floor, groups, sets: int) -> None:
    """`sets` times: Italy for the EU, Chile's joint statement with Norway and Austria, the
    panellist remote; each delivered."""
    for number in range(sets):
        minute = number * 10
        italy = spoken(floor.item, floor.d["ITA"], minute=minute, seconds=60)
        FloorRequest.objects.filter(pk=italy.pk).update(on_behalf_of=groups.eu)
        joint = spoken(floor.item, floor.d["CHL"], minute=minute + 1, seconds=60)
        joint.co_sponsors.set([floor.d["NOR"], floor.d["AUT"]])
        FloorRequest.objects.create(
            item=floor.item,
            guest=groups.panellist,
            status="spoken",
            presence="remote",
            requested_at=BASE,
            started_at=BASE + timedelta(minutes=minute + 2),
            ended_at=BASE + timedelta(minutes=minute + 3),
        )
    for code in ("ITA", "CHL"):
        hand_in(floor, code)


def test_the_record_runs_a_fixed_number_of_queries_whoever_speaks(client, floor, groups):
    slug = floor.meeting.slug
    client.force_login(floor.secretariat)
    urls = [
        reverse("record", args=[slug]),
        reverse("record", args=[slug]) + "?q=EU",
        reverse("record_item", args=[slug, floor.item.pk]),
        reverse("record_item_print", args=[slug, floor.item.pk]),
        reverse("record_delegation", args=[slug, "NOR"]),
        reverse("record_statistics", args=[slug]),
        reverse("record_export", args=[slug, "speakers", "xlsx"]),
        reverse("record_export", args=[slug, "statements", "csv"]),
    ]
    said(floor, groups, 1)
    client.get(urls[0])  # the session's first read
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context.captured_queries)
    FloorRequest.objects.all().delete()
    Statement.objects.all().delete()
    said(floor, groups, 40)
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        assert len(context.captured_queries) == counts[url], url


def test_the_admin_corrects_a_speaker_without_a_delegations_entry(client, floor, session):
    """The correction form offers no category for a speaker without one, and saves the rest."""
    panel = session["panel"]
    client.force_login(floor.secretariat)
    url = reverse("admin:agenda_floorrequest_change", args=[panel.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["category"].disabled
    local = panel.started_at.astimezone(floor.meeting.tzinfo)  # as the admin shows it
    ended = local + timedelta(seconds=75)
    answer = client.post(
        url,
        {
            "speaker_name": "",
            "language": "",
            "started_at_0": local.date().isoformat(),
            "started_at_1": local.time().isoformat(timespec="seconds"),
            "ended_at_0": ended.date().isoformat(),
            "ended_at_1": ended.time().isoformat(timespec="seconds"),
            "paused_total": "0",
            "reason": "Clock stopped late",
        },
    )
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    panel.refresh_from_db()
    assert panel.delegation is None and panel.category == ""
    assert round(panel.duration_seconds) == 75
