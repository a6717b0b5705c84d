"""The JSON API and who speaks for whom (issue 12): requests on behalf of a group, joint
statements with co-sponsors, speakers without a delegation, where a speaker delivers from;
the meeting's groups and guests. Every refusal is a 4xx with its field, and changes nothing."""

import json

import pytest

from agenda.models import ApiToken, FloorRequest
from agenda.speakers import services, speeches
from meetings.models import Meeting
from tests.authorization import difference, snapshot
from tests.factories import DelegationFactory, GroupFactory, GuestFactory, MeetingFactory
from tests.helpers import ask, version

pytestmark = pytest.mark.django_db

EU = {"code": "EU", "name": "the European Union"}


@pytest.fixture
def token(floor, groups):
    """A token for the chair, and for the focal points of a few delegations, by code (issued
    before anything is sent: a refused write must change nothing)."""
    users = {"chair": floor.chair} | {
        code: floor.user(code) for code in ("CHL", "FRA", "ITA", "EU")
    }
    issued = {who: ApiToken.issue(user)[1] for who, user in users.items()}
    return issued.__getitem__


def post(client, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def speakers(floor):
    return f"/api/v1/agenda-items/{floor.item.pk}/speakers/"


def answer(response):
    return response.status_code, response.json()


def refused_without_change(client, floor, body, who, expected):
    """`who` sends `body`: refused as `expected` (status, detail, field), nothing changed."""
    before = snapshot()
    response = post(client, speakers(floor), body, who)
    assert answer(response) == (expected[0], {"detail": expected[1], "field": expected[2]})
    assert difference(before, snapshot()) == {}


# --- on behalf of a group ----------------------------------------------------------------------


def test_a_member_asks_on_behalf_of_the_eu_and_the_list_says_so(client, floor, groups, token):
    ask(floor, "CHL")
    response = post(
        client,
        speakers(floor),
        {"delegation": "ITA", "kind": "statement", "on_behalf_of": "eu"},
        token("ITA"),
    )
    assert response.status_code == 201
    data = response.json()
    entry = FloorRequest.objects.get(delegation__code="ITA")
    assert (data["id"], data["delegation"], data["on_behalf_of"], data["position"]) == (
        entry.pk, {"code": "ITA", "name": "Italy"}, EU, 1,
    )  # fmt: skip
    assert (data["speaker"], data["co_sponsors"], data["added_by_chair"]) == (None, [], False)
    waiting = client.get(speakers(floor)).json()["waiting"]
    assert [(e["delegation"]["code"], e["on_behalf_of"]) for e in waiting] == [
        ("ITA", EU),
        ("CHL", None),
    ]


def test_a_non_member_is_refused_with_the_field_on_behalf_of(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"delegation": "CHL", "kind": "statement", "on_behalf_of": "EU"},
        token("CHL"),
        (
            400,
            "Chile is not a member of the European Union: it may not speak on its behalf.",
            "on_behalf_of",
        ),
    )


def test_the_chair_may_not_make_a_non_member_speak_for_a_group_either(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"delegation": "NOR", "kind": "statement", "on_behalf_of": "GRULAC"},
        token("chair"),
        (
            400,
            "Norway is not a member of the Group of Latin American and Caribbean States: it may "
            "not speak on its behalf.",
            "on_behalf_of",
        ),
    )


def test_an_unknown_group_is_refused_naming_the_meetings_groups(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"delegation": "ITA", "kind": "statement", "on_behalf_of": "ASEAN"},
        token("ITA"),
        (
            400,
            "“ASEAN” is not a group at this meeting. Its groups: EU, GRULAC, LMG.",
            "on_behalf_of",
        ),
    )


def test_a_group_code_too_long_to_be_one_is_422(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"delegation": "ITA", "kind": "statement", "on_behalf_of": "E" * 21},
        token("ITA"),
        (422, "“on_behalf_of” is too long (at most 20 characters).", "on_behalf_of"),
    )


def test_only_statements_and_rights_of_reply_are_made_for_a_group(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"delegation": "ITA", "kind": "point_of_order", "on_behalf_of": "EU"},
        token("chair"),
        (400, "Only a statement or a right of reply may be made on behalf of a group.", "kind"),
    )


def test_the_groups_own_delegation_speaks_for_it_unless_it_says_in_its_own_name(
    client, floor, groups, token
):
    union = {"delegation": "EU", "kind": "statement"}
    data = post(client, speakers(floor), union, token("EU")).json()
    assert (data["delegation"]["code"], data["on_behalf_of"]) == ("EU", EU)
    # In its own name: a second statement, ranked as the international organisation it is.
    data = post(client, speakers(floor), {**union, "on_behalf_of": ""}, token("EU")).json()
    assert (data["delegation"]["code"], data["on_behalf_of"], data["position"]) == ("EU", None, 2)


def test_a_member_may_also_speak_in_its_national_capacity(client, floor, groups, token):
    body = {"delegation": "FRA", "kind": "statement"}
    first = post(client, speakers(floor), {**body, "on_behalf_of": "EU"}, token("FRA"))
    second = post(client, speakers(floor), body, token("FRA"))
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["on_behalf_of"], second.json()["on_behalf_of"]) == (EU, None)


# --- joint statements --------------------------------------------------------------------------


def test_a_joint_statement_lists_its_co_sponsors_in_name_order(client, floor, groups, token):
    response = post(
        client,
        speakers(floor),
        {"delegation": "CHL", "kind": "statement", "co_sponsors": ["ita", " AUT ", "FRA", "ITA"]},
        token("CHL"),
    )
    assert response.status_code == 201
    assert response.json()["co_sponsors"] == ["AUT", "FRA", "ITA"]  # Austria, France, Italy
    entry = FloorRequest.objects.get()
    assert entry.capacity == "joint statement with 3 co-sponsors"
    listed = client.get(speakers(floor)).json()["waiting"][0]
    assert (listed["id"], listed["co_sponsors"], listed["on_behalf_of"]) == (
        entry.pk, ["AUT", "FRA", "ITA"], None,
    )  # fmt: skip


CO_SPONSOR_REFUSALS = [
    (
        ["FRA", "ZZZ"],
        400,
        "No delegation “ZZZ” takes part in this meeting: it cannot co-sponsor the statement.",
        "co_sponsors",
    ),
    (["CHL"], 400, "Chile reads the statement: it is not one of its co-sponsors.", "co_sponsors"),
    (
        [f"D{number}" for number in range(201)],
        422,
        "“co_sponsors” names too many (at most 200).",
        "co_sponsors",
    ),
    (
        ["FRA", "a\x00b"],
        422,
        "“co_sponsors.1” holds characters that are not text (a NUL character or an unpaired "
        "surrogate).",
        "co_sponsors.1",
    ),
    (["X" * 21], 422, "“co_sponsors.0” is too long (at most 20 characters).", "co_sponsors.0"),
    ("FRA", 422, "“co_sponsors” must be a list.", "co_sponsors"),
    ([None], 422, "“co_sponsors.0” must be text.", "co_sponsors.0"),
]


@pytest.mark.parametrize(
    ("co_sponsors", "status", "detail", "field"),
    CO_SPONSOR_REFUSALS,
    ids=["unknown", "the-reader", "too-many", "nul", "too-long", "not-a-list", "not-text"],
)
def test_co_sponsors_that_cannot_be_are_refused_with_the_field(
    client, floor, groups, token, co_sponsors, status, detail, field
):
    body = {"delegation": "CHL", "kind": "statement", "co_sponsors": co_sponsors}
    refused_without_change(client, floor, body, token("CHL"), (status, detail, field))


def test_a_delegation_of_another_meeting_cannot_co_sponsor(client, floor, groups, token):
    DelegationFactory(code="BRA", name="Brazil")
    body = {"delegation": "CHL", "kind": "statement", "co_sponsors": ["BRA"]}
    refused_without_change(
        client,
        floor,
        body,
        token("CHL"),
        (
            400,
            "No delegation “BRA” takes part in this meeting: it cannot co-sponsor the statement.",
            "co_sponsors",
        ),
    )


def test_only_a_statement_may_be_a_joint_statement(client, floor, groups, token):
    body = {"delegation": "CHL", "kind": "right_of_reply", "co_sponsors": ["FRA"]}
    refused_without_change(
        client,
        floor,
        body,
        token("CHL"),
        (400, "Only a statement may be a joint statement.", "co_sponsors"),
    )


# --- speakers without a delegation -------------------------------------------------------------


def test_the_chair_puts_a_guest_on_the_list_by_id(client, floor, groups, token):
    ask(floor, "CHL")
    panellist = groups.panellist
    response = post(
        client,
        speakers(floor),
        {"guest": panellist.pk, "kind": "invited_presentation", "presence": "remote"},
        token("chair"),
    )
    assert response.status_code == 201
    data = response.json()
    entry = FloorRequest.objects.get(guest=panellist)
    assert data["id"] == entry.pk
    assert (data["delegation"], data["speaker"], data["category"]) == (
        None,
        {"name": "Dr Ana Reyes", "title": "Panellist", "organisation": "Survivor network"},
        "",
    )
    assert (data["on_behalf_of"], data["co_sponsors"]) == (None, [])
    assert (data["presence"], data["added_by_chair"], data["version"]) == ("remote", True, 2)
    listed = client.get(speakers(floor)).json()["waiting"]
    guest = next(e for e in listed if e["id"] == entry.pk)
    assert (guest["delegation"], guest["speaker"]["name"], guest["presence"]) == (
        None, "Dr Ana Reyes", "remote",
    )  # fmt: skip


def test_a_focal_point_may_not_put_a_guest_on_the_list(client, floor, groups, token):
    refused_without_change(
        client,
        floor,
        {"guest": groups.panellist.pk, "kind": "invited_presentation"},
        token("CHL"),
        (
            403,
            "Only the chair of this item may put a speaker without a delegation on the list.",
            None,
        ),
    )


def test_a_guest_of_another_meeting_is_404_with_the_field(client, floor, groups, token):
    elsewhere = GuestFactory(meeting=MeetingFactory(slug="msp-2025"), name="Dr Ana Reyes")
    refused_without_change(
        client,
        floor,
        {"guest": elsewhere.pk, "kind": "invited_presentation"},
        token("chair"),
        (
            404,
            f"There is no speaker without a delegation {elsewhere.pk} at this meeting.",
            "guest",
        ),
    )


@pytest.mark.parametrize("guest", [999999, -1, 10**30])
def test_an_unknown_guest_is_404_with_the_field(client, floor, groups, token, guest):
    refused_without_change(
        client,
        floor,
        {"guest": guest, "kind": "invited_presentation"},
        token("chair"),
        (404, f"There is no speaker without a delegation {guest} at this meeting.", "guest"),
    )


@pytest.mark.parametrize(
    ("extra", "detail", "field"),
    [
        ({"on_behalf_of": "EU"}, "A speaker without a delegation speaks for no group.",
         "on_behalf_of"),
        ({"co_sponsors": ["FRA"]}, "A speaker without a delegation reads no joint statement.",
         "co_sponsors"),
    ],
)  # fmt: skip
def test_a_guest_speaks_for_no_group_and_reads_no_joint_statement(
    client, floor, groups, token, extra, detail, field
):
    body = {"guest": groups.president.pk, "kind": "statement", **extra}
    refused_without_change(client, floor, body, token("chair"), (400, detail, field))


@pytest.mark.parametrize(
    ("who", "detail"),
    [
        ({"delegation": "CHL", "guest": 1}, "Say who speaks: “delegation” or “guest”, not both."),
        (
            {},
            "Say who speaks: “delegation” (a delegation's code) or “guest” (the id of a speaker "
            "without a delegation).",
        ),
        ({"delegation": None, "guest": None}, None),
    ],
    ids=["both", "neither", "both-null"],
)
def test_delegation_or_guest_exactly_one(client, floor, groups, token, who, detail):
    detail = detail or (
        "Say who speaks: “delegation” (a delegation's code) or “guest” (the id of a speaker "
        "without a delegation)."
    )
    body = {"kind": "statement", **who}
    refused_without_change(client, floor, body, token("chair"), (422, detail, "delegation"))


def test_a_guest_that_is_not_a_whole_number_is_422(client, floor, groups, token):
    body = {"guest": "1", "kind": "statement"}
    refused_without_change(
        client, floor, body, token("chair"), (422, "“guest” must be a whole number.", "guest")
    )


# --- where a speaker delivers from -------------------------------------------------------------


def test_a_request_may_say_where_the_speaker_delivers_from(client, floor, groups, token):
    body = {"delegation": "CHL", "kind": "statement", "presence": "recorded"}
    data = post(client, speakers(floor), body, token("CHL")).json()
    assert data["presence"] == "recorded"
    refused_without_change(
        client,
        floor,
        {"delegation": "FRA", "kind": "statement", "presence": "moon"},
        token("FRA"),
        (400, "Say whether the speaker is in the room, remote or on a recorded video.", "presence"),
    )


def presence_url(entry):
    return f"/api/v1/speakers/{entry.pk}/presence"


def test_the_chair_says_a_speaker_is_remote(client, floor, groups, token):
    chile = ask(floor, "CHL")
    response = post(
        client, presence_url(chile), {"presence": "remote", "version": 1}, token("chair")
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["presence"], data["status"], data["version"]) == (
        chile.pk, "remote", "waiting", 2,
    )  # fmt: skip
    assert client.get(speakers(floor)).json()["waiting"][0]["presence"] == "remote"
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    data = post(client, presence_url(chile), {"presence": "recorded"}, token("chair")).json()
    assert (data["status"], data["presence"]) == ("speaking", "recorded")


def test_a_focal_point_may_not_say_where_a_speaker_is(client, floor, groups, token):
    chile = ask(floor, "CHL")
    before = snapshot()
    response = post(client, presence_url(chile), {"presence": "remote"}, token("CHL"))
    assert answer(response) == (
        403, {"detail": "Only the chair of this item may do this.", "field": None},
    )  # fmt: skip
    assert difference(before, snapshot()) == {}


def test_a_presence_on_a_stale_list_is_409_with_the_list(client, floor, groups, token):
    chile = ask(floor, "CHL")
    ask(floor, "FRA")
    before = snapshot()
    response = post(
        client, presence_url(chile), {"presence": "remote", "version": 1}, token("chair")
    )
    assert response.status_code == 409
    data = response.json()
    assert (data["version"], data["field"], data["list"]["version"]) == (2, None, 2)
    assert [e["presence"] for e in data["list"]["waiting"]] == ["room", "room"]
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize(
    ("body", "status", "detail", "field"),
    [
        ({"presence": "room"}, 400, "Chile is already marked “In the room”.", "presence"),
        (
            {"presence": "moon"},
            400,
            "Say whether the speaker is in the room, remote or on a recorded video.",
            "presence",
        ),
        ({}, 422, "“presence” is required.", "presence"),
        ({"presence": "a\x00"}, 422, "“presence” holds characters that are not text (a NUL "
         "character or an unpaired surrogate).", "presence"),
    ],
    ids=["unchanged", "unknown", "missing", "nul"],
)  # fmt: skip
def test_a_presence_that_cannot_be_is_refused(
    client, floor, groups, token, body, status, detail, field
):
    chile = ask(floor, "CHL")
    before = snapshot()
    response = post(client, presence_url(chile), body, token("chair"))
    assert answer(response) == (status, {"detail": detail, "field": field})
    assert difference(before, snapshot()) == {}


def test_a_presence_after_the_speech_is_refused(client, floor, groups, token):
    chile = ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_end(entry=chile, user=floor.chair)
    response = post(client, presence_url(chile), {"presence": "remote"}, token("chair"))
    assert response.status_code == 400
    assert version(floor) == 3


# --- the meeting's groups and guests -----------------------------------------------------------


def test_the_groups_are_listed_by_code_with_their_members(client, floor, groups):
    response = client.get("/api/v1/meetings/ccm-2025/groups/")
    assert answer(response) == (
        200,
        [
            {"code": "EU", "name": "the European Union", "delegation": "EU",
             "takes_precedence": True, "members": ["AUT", "FRA", "ITA"]},
            {"code": "GRULAC", "name": "the Group of Latin American and Caribbean States",
             "delegation": None, "takes_precedence": True, "members": ["CHL"]},
            {"code": "LMG", "name": "a group of like-minded States", "delegation": None,
             "takes_precedence": False, "members": ["CHL", "NOR"]},
        ],
    )  # fmt: skip


def test_the_guests_are_listed_by_name(client, floor, groups):
    GuestFactory(meeting=MeetingFactory(slug="msp-2025"), name="Someone elsewhere")
    response = client.get("/api/v1/meetings/ccm-2025/guests/")
    assert answer(response) == (
        200,
        [
            {"id": groups.president.pk, "name": "Ambassador Carlos D. Sorreta",
             "title": "President of the Thirteenth Meeting of States Parties", "organisation": ""},
            {"id": groups.panellist.pk, "name": "Dr Ana Reyes", "title": "Panellist",
             "organisation": "Survivor network"},
        ],
    )  # fmt: skip


@pytest.mark.parametrize("what", ["groups", "guests"])
def test_a_draft_meetings_groups_and_guests_are_404_except_for_the_secretariat(
    client, floor, groups, what
):
    floor.meeting.status = Meeting.Status.DRAFT
    floor.meeting.save()
    path = f"/api/v1/meetings/ccm-2025/{what}/"
    missing = {"detail": "There is no meeting “ccm-2025”.", "field": None}
    assert answer(client.get(path)) == (404, missing)
    focal = ApiToken.issue(floor.user("ITA"))[1]
    response = client.get(path, headers={"Authorization": f"Bearer {focal}"})
    assert answer(response) == (404, missing)
    secretariat = ApiToken.issue(floor.secretariat)[1]
    response = client.get(path, headers={"Authorization": f"Bearer {secretariat}"})
    assert (response.status_code, len(response.json())) == (200, 3 if what == "groups" else 2)


@pytest.mark.parametrize("what", ["groups", "guests"])
@pytest.mark.parametrize("slug", ["nowhere", "%00"])
def test_the_groups_and_guests_of_an_unknown_meeting_are_404(client, db, what, slug):
    response = client.get(f"/api/v1/meetings/{slug}/{what}/")
    assert answer(response) == (
        404, {"detail": f"There is no meeting “{slug.replace('%00', chr(0))}”.", "field": None},
    )  # fmt: skip


def test_a_meeting_without_groups_or_guests_lists_none(client, floor):
    assert client.get("/api/v1/meetings/ccm-2025/groups/").json() == []
    assert client.get("/api/v1/meetings/ccm-2025/guests/").json() == []


# --- queries -----------------------------------------------------------------------------------

STATES = ["ITA", "NOR", "AFG", "CHL", "LBN", "FRA", "AUT"]


@pytest.mark.parametrize("count", [1, 7])
def test_groups_query_count_does_not_grow(client, floor, count, django_assert_num_queries):
    for number in range(count):
        GroupFactory(
            meeting=floor.meeting,
            code=f"G{number}",
            delegation=floor.d[STATES[number]],
            members=[floor.d[code] for code in STATES[: number + 1]],
        )
        GuestFactory(meeting=floor.meeting)
    # The meeting; the groups with their own delegations; their members.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/meetings/ccm-2025/groups/")
    assert len(response.json()) == count
    # The meeting; its guests.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/meetings/ccm-2025/guests/")
    assert len(response.json()) == count


@pytest.mark.parametrize("count", [1, 3])
def test_a_list_with_groups_co_sponsors_and_guests_costs_the_same_queries(
    client, floor, groups, count, django_assert_num_queries
):
    for group, code in [("EU", "ITA"), ("GRULAC", "CHL"), ("LMG", "NOR")][:count]:
        ask(floor, code, on_behalf_of=group)
    for number in range(count):
        reader, *co_sponsors = STATES[number : number + 3]
        ask(floor, reader, co_sponsors=co_sponsors)
        guest = GuestFactory(meeting=floor.meeting)
        services.floor_request_create(
            item=floor.item, guest=guest, kind="statement", user=floor.chair
        )
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    # As for any list (tests/agenda/test_api.py): the item, its rules, its requests with who
    # speaks and for whom, the co-sponsors, the categories.
    with django_assert_num_queries(5):
        response = client.get(speakers(floor))
    data = response.json()
    entries = [data["current"], *data["waiting"]]
    assert len(entries) == 3 * count
    assert sum(entry["on_behalf_of"] is not None for entry in entries) == count
    assert sum(len(entry["co_sponsors"]) for entry in entries) == 2 * count
    assert sum(entry["speaker"] is not None for entry in entries) == count
