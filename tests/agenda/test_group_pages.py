"""Who speaks for whom, on the pages: a focal point asks to speak on behalf of a group or reads a
joint statement; the chair adds a group's statement, a speaker without a delegation and says
where each delivers from; every screen then names them the same way ("Austria, on behalf of
the European Union", a panellist by name, "Remote"), and none fails on a speaker without a
delegation."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import FloorRequest, ListEvent
from agenda.speakers import services, speeches
from delegations.models import Guest
from meetings.models import Meeting
from tests.factories import UserFactory
from tests.helpers import ask, text, version

pytestmark = pytest.mark.django_db


def page_url(floor, code):
    return reverse("delegation_floor", args=[floor.meeting.slug, code])


def post(client, floor, code, **fields):
    """The focal point of `code` sends the request form of 2(c)."""
    client.force_login(floor.user(code))
    data = {"kind": "statement", "language": "en", **fields}
    return client.post(
        reverse("floor_request", args=[floor.meeting.slug, code, floor.item.pk]),
        {f"item-{floor.item.pk}-{name}": value for name, value in data.items()},
    )


def form_of(client, floor, code):
    client.force_login(floor.user(code))
    response = client.get(page_url(floor, code))
    return next(panel.form for panel in response.context["panels"] if panel.item == floor.item)


def shown_form(response, floor):
    assert response.status_code == 400
    return next(panel.form for panel in response.context["panels"] if panel.item == floor.item)


def act(client, floor, action, **data):
    """The chair's console sends `action` (without JavaScript: a redirect, then the console)."""
    client.force_login(floor.chair)
    address = reverse(
        "chair_act", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk, "action": action}
    )
    return client.post(address, data, follow=True)


def console(client, floor) -> str:
    client.force_login(floor.chair)
    address = reverse("chair_console", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk})
    return client.get(address).content.decode()


def rows(html) -> list[str]:
    """The waiting rows of the console as a reader sees them: place, speaker, category, kind."""
    body = html.split('class="table table-sm align-middle waiting"')[1].split("</table>")[0]
    return [
        text(" ".join(re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)[:4]))
        for row in re.findall(r"<tr data-entry.*?</tr>", body, re.S)
    ]


# --- the delegation's page: the fields offered only where they apply --------------------------


def test_a_delegation_in_no_group_sees_no_group_field(client, floor, groups):
    form = form_of(client, floor, "AFG")
    html = client.get(page_url(floor, "AFG")).content.decode()
    assert not form.offers_groups
    assert "On behalf of" not in html
    # A joint statement is open to every delegation: the others of the meeting, by name.
    codes = [code for code, _ in form.fields["co_sponsors"].choices]
    assert "AFG" not in codes and {"ITA", "EU", "HRW"} <= set(codes)
    assert "A joint statement, with co-sponsors" in html
    assert '<option value="remote">Remote</option>' in html


def test_a_member_may_speak_in_its_own_name_or_for_its_group(client, floor, groups):
    form = form_of(client, floor, "AUT")
    assert form.offers_groups
    assert form.fields["on_behalf_of"].choices == [
        ("", "Austria, in its own name"),
        ("EU", "The European Union"),
    ]
    assert form["on_behalf_of"].value() == ""
    chile = form_of(client, floor, "CHL")
    assert [code for code, _ in chile.fields["on_behalf_of"].choices] == ["", "LMG", "GRULAC"]


def test_a_groups_own_delegation_speaks_for_its_group_unless_it_says_otherwise(
    client, floor, groups
):
    form = form_of(client, floor, "EU")
    assert form["on_behalf_of"].value() == "EU"
    assert '<option value="EU" selected>' in client.get(page_url(floor, "EU")).content.decode()

    assert post(client, floor, "EU", on_behalf_of="EU").status_code == 302
    assert post(client, floor, "EU", on_behalf_of="").status_code == 302
    assert sorted(
        (entry.on_behalf_of_id is not None, entry.described) for entry in FloorRequest.objects.all()
    ) == [
        (False, "European Union"),
        (True, "European Union, on behalf of the European Union"),
    ]


# --- the delegation's page: asking on behalf of a group, with co-sponsors, from afar ----------


def test_a_member_asks_on_behalf_of_its_group_and_sees_it_said(client, floor, groups):
    ask(floor, "CHL")
    response = post(client, floor, "AUT", on_behalf_of="EU")

    assert response.status_code == 302
    entry = FloorRequest.objects.get(delegation__code="AUT")
    assert entry.on_behalf_of == groups.eu
    page = text(client.get(page_url(floor, "AUT")))
    assert (
        "Your delegation is on the list of 2(c), on behalf of the European Union: place 1 of 2."
        in page
    )
    assert "Austria, on behalf of the European Union" in page


def test_a_member_speaking_for_its_group_may_still_ask_in_its_own_name(client, floor, groups):
    ask(floor, "ITA", on_behalf_of="EU")
    form = form_of(client, floor, "ITA")
    assert "statement" in [kind for kind, _ in form.fields["kind"].choices]
    assert post(client, floor, "ITA", on_behalf_of="").status_code == 302
    # The group's place is taken, whichever member asks; Italy's own name is not.
    response = post(client, floor, "FRA", on_behalf_of="EU")
    assert shown_form(response, floor).errors["kind"] == [
        "the European Union is already on this list (place 1)."
    ]
    assert FloorRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "fields", "field", "message"),
    [
        (
            "CHL",
            {"on_behalf_of": "EU"},
            "on_behalf_of",
            "Chile is not a member of the European Union: it may not speak on its behalf.",
        ),
        (
            "AUT",
            {"on_behalf_of": "ARAB"},
            "on_behalf_of",
            "“ARAB” is not a group at this meeting. Its groups: EU, GRULAC, LMG.",
        ),
        (
            "AUT",
            {"on_behalf_of": "EU", "kind": "response"},
            "kind",
            "Only a statement or a right of reply may be made on behalf of a group.",
        ),
        (
            "AUT",
            {"co_sponsors": ["ITA"], "kind": "right_of_reply"},
            "co_sponsors",
            "Only a statement may be a joint statement.",
        ),
        (
            "AUT",
            {"co_sponsors": ["ITA", "XYZ"]},
            "co_sponsors",
            "No delegation “XYZ” takes part in this meeting: it cannot co-sponsor the statement.",
        ),
        (
            "AUT",
            {"co_sponsors": ["AUT"]},
            "co_sponsors",
            "Austria reads the statement: it is not one of its co-sponsors.",
        ),
        (
            "AUT",
            {"presence": "hologram"},
            "presence",
            "Say whether the speaker is in the room, remote or on a recorded video.",
        ),
    ],
)
def test_a_capacity_refused_says_why_next_to_its_field_and_writes_nothing(
    client, floor, groups, code, fields, field, message
):
    response = post(client, floor, code, **fields)
    form = shown_form(response, floor)
    assert form.errors[field] == [message]
    assert message in text(response)
    assert FloorRequest.objects.count() == ListEvent.objects.count() == 0
    if field == "co_sponsors":  # the folded co-sponsors open to show why
        assert '<details class="floor-joint mb-3" open>' in response.content.decode()


def test_a_hand_edited_group_from_a_delegation_in_none_is_refused_at_the_top(client, floor, groups):
    response = post(client, floor, "AFG", on_behalf_of="EU")
    form = shown_form(response, floor)
    assert form.non_field_errors() == [
        "Afghanistan is not a member of the European Union: it may not speak on its behalf."
    ]
    assert FloorRequest.objects.count() == 0


def test_a_joint_statement_names_its_co_sponsors_one_click_away(client, floor, groups):
    response = post(client, floor, "AUT", co_sponsors=["ITA", "FRA"], presence="remote")

    assert response.status_code == 302
    entry = FloorRequest.objects.get()
    assert (sorted(d.code for d in entry.co_sponsors.all()), entry.presence) == (
        ["FRA", "ITA"],
        "remote",
    )
    html = client.get(page_url(floor, "AUT")).content.decode()
    place = text(html.split(f'id="request-{entry.pk}"')[1].split("</form>")[0])
    assert "Austria, joint statement with 2 co-sponsors Co-sponsors France, Italy · Remote" in place


# --- the chair's console -----------------------------------------------------------------------


def test_the_chair_adds_a_statement_on_behalf_of_a_group_with_co_sponsors(client, floor, groups):
    html = console(client, floor)
    assert '<label class="form-label" for="add-on-behalf-of">On behalf of</label>' in html
    grulac = "The Group of Latin American and Caribbean States"
    assert f'<option value="GRULAC">{grulac}</option>' in html

    act(client, floor, "add", delegation="EU")  # the Union's own delegation: for the Union
    html = act(client, floor, "add", delegation="austria", on_behalf_of="EU").content.decode()
    assert "the European Union is already on this list (place 1)." in text(html)
    act(client, floor, "add", delegation="chile", on_behalf_of="GRULAC",
        co_sponsors="France; ita", presence="recorded")  # fmt: skip

    assert rows(console(client, floor)) == [
        "1 European Union, on behalf of the European Union chair International organization "
        "Statement",
        "2 Chile, on behalf of the Group of Latin American and Caribbean States, joint statement "
        "with 2 co-sponsors Co-sponsors France, Italy chair State Party Statement",
    ]
    chile = FloorRequest.objects.get(delegation__code="CHL")
    assert (chile.presence, chile.added_by_chair) == ("recorded", True)


def test_the_chairs_refusals_name_what_is_wrong_and_change_nothing(client, floor, groups):
    for data, message in [
        ({"co_sponsors": "France, Narnia"}, "No delegation taking part is called “Narnia”."),
        ({"on_behalf_of": "EU"}, "Chile is not a member of the European Union"),
        ({"kind": "response", "co_sponsors": "FRA"}, "Only a statement may be a joint statement."),
    ]:
        html = act(client, floor, "add", delegation="Chile", **data).content.decode()
        assert message in text(html)
    assert FloorRequest.objects.count() == 0


def test_the_chair_puts_a_speaker_without_a_delegation_on_the_list_by_name(client, floor, groups):
    html = console(client, floor)
    assert '<label class="form-label" for="guest-name">Name</label>' in html
    assert '<option value="Dr Ana Reyes">Panellist, Survivor network</option>' in html
    assert 'aria-keyshortcuts="G"' not in html and "<kbd>G</kbd>" in html

    act(client, floor, "guest", name="dr ana reyes", kind="invited_presentation",
        presence="remote")  # fmt: skip
    act(client, floor, "guest", name="Ms Mia Lund", title="Director", organisation="ISU")

    assert Guest.objects.filter(meeting=floor.meeting).count() == 3
    assert rows(console(client, floor)) == [
        "1 Dr Ana Reyes Panellist, Survivor network chair without a delegation "
        "Invited presentation",
        "2 Ms Mia Lund Director, ISU chair without a delegation Statement",
    ]
    panellist = FloorRequest.objects.get(guest=groups.panellist)
    assert panellist.presence == "remote"
    # Moving them, without JavaScript: the page names them too.
    address = reverse("chair_move", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk})
    moving = client.get(address, {"entry": panellist.pk})
    assert "Move Dr Ana Reyes (now place 1)" in text(moving)


def test_a_speaker_without_a_delegation_needs_a_name_and_a_kind_of_theirs(client, floor, groups):
    assert "Give the speaker's name." in text(act(client, floor, "guest", name="  "))
    html = act(client, floor, "guest", name="Dr Ana Reyes", kind="right_of_reply")
    assert "A speaker without a delegation may make a statement" in text(html)
    assert FloorRequest.objects.count() == 0


def test_only_the_chair_adds_a_speaker_without_a_delegation(client, floor, groups):
    client.force_login(floor.user("CHL"))
    address = reverse(
        "chair_act", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk, "action": "guest"}
    )
    assert client.post(address, {"name": "Someone"}).status_code == 403
    assert not FloorRequest.objects.exists()
    assert not Guest.objects.filter(name="Someone").exists()


def test_the_chair_says_where_a_speaker_delivers_from(client, floor, groups):
    chile = ask(floor, "CHL")
    html = console(client, floor)
    assert 'aria-label="Where Chile delivers from"' in html
    seen = version(floor)

    act(client, floor, "presence", entry=chile.pk, presence="remote", version=seen)

    chile.refresh_from_db()
    assert chile.presence == "remote"
    assert ListEvent.objects.filter(action="presence").count() == 1
    assert '<option value="remote" selected>Remote</option>' in console(client, floor)
    # Acting on the list as it was: nothing changes, and the console says why.
    html = act(client, floor, "presence", entry=chile.pk, presence="room", version=seen)
    assert "The list changed since you loaded it" in text(html)
    chile.refresh_from_db()
    assert chile.presence == "remote"


# --- every screen ------------------------------------------------------------------------------


@pytest.fixture
def session(floor, groups):
    """2(c) under discussion: the panellist speaks remotely; Austria waits to speak for the
    Union, Norway reads a joint statement, the President waits (a recorded video)."""
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.IN_SESSION)
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    services.guest_put_on_list(
        item=floor.item, name="Dr Ana Reyes", kind="statement", user=floor.chair, presence="remote"
    )
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ask(floor, "AUT", on_behalf_of="EU")
    ask(floor, "NOR", co_sponsors=["CHL", "ITA", "FRA"])
    services.guest_put_on_list(
        item=floor.item,
        name=groups.president.name,
        kind="statement",
        user=floor.chair,
        presence="recorded",
    )
    return floor


def screen(client, floor, name) -> str:
    response = client.get(reverse(name, kwargs={"slug": floor.meeting.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_room_screen_names_each_speaker_and_says_remote(client, session):
    html = screen(client, session, "room_screen")
    current = text(html.split("data-current>")[1].split("</section>")[0])
    assert current.startswith("Dr Ana Reyes Panellist, Survivor network Remote")
    following = text(html.split("data-following>")[1].split("</ol>")[0])
    assert following == (
        "Austria, on behalf of the European Union "
        "Norway, joint statement with 3 co-sponsors "
        "Ambassador Carlos D. Sorreta President of the Thirteenth Meeting of States Parties "
        "Pre-recorded video"
    )


def test_the_banner_names_a_speaker_without_a_delegation(client, session):
    html = screen(client, session, "room_banner")
    banner = text(html.split('class="lower-third-text">')[1].split("</div>")[0])
    assert banner == "Dr Ana Reyes Panellist, Survivor network 2(c) Clearance"


def test_the_interpreters_see_who_speaks_for_whom_and_from_where(client, session):
    interpreter = UserFactory(username="booth")
    interpreter.groups.create(name="Interpreters")
    client.force_login(interpreter)
    html = screen(client, session, "interpreters")
    booth = [text(row) for row in re.findall(r'<tr[^>]*data-entry="\d+">(.*?)</tr>', html, re.S)]
    assert booth[0].startswith("Speaking Dr Ana Reyes Panellist, Survivor network Remote")
    assert booth[1].startswith("1 Austria, on behalf of the European Union not given 5:00")
    assert booth[2].startswith(
        "2 Norway, joint statement with 3 co-sponsors Co-sponsors Chile, France, Italy not given"
    )
    assert booth[3].startswith(
        "3 Ambassador Carlos D. Sorreta President of the Thirteenth Meeting of States Parties "
        "Pre-recorded video"
    )


def test_the_console_shows_a_speaker_without_a_delegation(client, session):
    html = console(client, session)
    current = text(html.split("data-current")[1].split("</div>")[0])
    assert 'data-name="Dr Ana Reyes"' in html
    assert "Dr Ana Reyes" in current and "Remote" in text(html.split('id="current-heading"')[1])
    assert rows(html)[2].startswith("3 Ambassador Carlos D. Sorreta")
    assert "Dr Ana Reyes has 5:00" in text(html)


def test_the_public_item_page_lists_the_speakers_by_name(client, session):
    floor = session
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # Austria, for the Union
    seen = text(client.get(floor.item.get_absolute_url()))
    assert "Has the floor: Austria, on behalf of the European Union" in seen
    assert (
        "Waiting, in speaking order Norway, joint statement with 3 co-sponsors Co-sponsors "
        "Chile, France, Italy Ambassador Carlos D. Sorreta President of the Thirteenth Meeting "
        "of States Parties Pre-recorded video Have spoken Dr Ana Reyes Panellist, Survivor "
        "network Remote"
    ) in seen


def test_the_public_item_page_runs_as_many_queries_for_one_speaker_as_for_many(
    client, floor, groups
):
    ask(floor, "AUT", on_behalf_of="EU", co_sponsors=["CHL"])
    with CaptureQueriesContext(connection) as one:
        client.get(floor.item.get_absolute_url())
    for code in ("CHL", "FRA", "NOR", "ICRC"):
        ask(floor, code, co_sponsors=["AFG", "LBN"])
    services.guest_put_on_list(item=floor.item, name="A panellist", kind="statement",
                               user=floor.chair)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get(floor.item.get_absolute_url()).status_code == 200
    assert len(many) == len(one)
