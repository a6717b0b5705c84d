"""Who speaks for whom, through the services: statements on behalf of a group, joint
statements, speakers without a delegation, and where a speaker delivers from. Every rule and
every refusal, as the chair and the delegations meet them; a refusal changes nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from agenda.errors import FloorError, NotAllowed, StaleList
from agenda.models import FloorRequest, ListEvent, SpeakingRules
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from tests.factories import GuestFactory, MeetingFactory
from tests.helpers import ask, version, waiting

pytestmark = pytest.mark.django_db


def nothing_written(floor, before: int = 0) -> bool:
    return FloorRequest.objects.count() == before and ListEvent.objects.count() == before


def refused(error, floor, count: int = 0) -> tuple[str, str | None]:
    assert nothing_written(floor, count)
    return error.value.message, error.value.field


# --- on behalf of a group ---------------------------------------------------------------------


def test_a_statement_on_behalf_of_a_group_comes_first_among_the_statements(floor, groups):
    for code in ("CHL", "NOR", "AGO", "ICRC"):
        ask(floor, code)
    entry = ask(floor, "ITA", on_behalf_of="EU")
    assert (entry.on_behalf_of, entry.position, entry.category) == (groups.eu, 1, "state_party")
    assert entry.described == "Italy, on behalf of the European Union"
    # Then the group of the Americas, in order of request: both groups take precedence.
    ask(floor, "CHL", on_behalf_of="grulac")
    assert waiting(floor) == ["ITA for EU", "CHL for GRULAC", "CHL", "NOR", "AGO", "ICRC"]
    event = ListEvent.objects.filter(action="requested").first()  # the latest
    assert event.after["on_behalf_of"] == "GRULAC"


def test_a_coordinator_still_speaks_before_the_groups(floor, groups):
    ask(floor, "FRA", on_behalf_of="EU")
    ask(floor, "NOR", "coordinator_remarks")
    assert waiting(floor) == ["NOR", "FRA for EU"]


def test_a_group_without_precedence_ranks_by_the_category_of_its_reader(floor, groups):
    ask(floor, "AGO")
    ask(floor, "NOR", on_behalf_of="LMG")
    ask(floor, "FRA")
    # Norway reads for the like-minded group as the State Party it is, in order of request.
    assert waiting(floor) == ["NOR for LMG", "FRA", "AGO"]


@pytest.mark.parametrize("level", ["meeting", "item"])
def test_the_speaking_rules_may_turn_group_precedence_off(floor, groups, level):
    SpeakingRules.objects.create(
        meeting=floor.meeting, item=floor.item if level == "item" else None, groups_first=False
    )
    ask(floor, "VUT")
    ask(floor, "CHL")
    ask(floor, "EU")  # the European Union's own delegation: its statements are the Union's
    ask(floor, "AUT", on_behalf_of="EU", kind="right_of_reply", user=floor.chair)
    assert waiting(floor) == ["CHL", "VUT", "EU for EU", "AUT for EU"]


def test_the_rule_in_force_is_the_items_over_the_meetings(floor, groups):
    SpeakingRules.objects.create(meeting=floor.meeting, groups_first=False)
    SpeakingRules.objects.create(meeting=floor.meeting, item=floor.item, groups_first=True)
    ask(floor, "CHL")
    ask(floor, "FRA", on_behalf_of="EU")
    assert waiting(floor) == ["FRA for EU", "CHL"]


def test_the_groups_own_delegation_speaks_for_it_unless_it_says_otherwise(floor, groups):
    ask(floor, "CHL")
    union = ask(floor, "EU")
    assert (union.on_behalf_of, union.position) == (groups.eu, 1)
    own = ask(floor, "EU", kind="statement", on_behalf_of="", user=floor.chair)
    assert (own.on_behalf_of, own.position) == (None, 3)  # an international organisation
    # A point of order is the delegation's own, never the group's.
    point = ask(floor, "EU", "point_of_order")
    assert (point.on_behalf_of, point.position) == (None, 1)


def test_a_member_may_speak_for_the_group_and_in_its_national_capacity(floor, groups):
    ask(floor, "AUT", on_behalf_of="EU")
    national = ask(floor, "AUT")
    assert (national.on_behalf_of, national.position) == (None, 2)
    with pytest.raises(FloorError) as error:
        ask(floor, "AUT", on_behalf_of="eu")
    assert error.value.message == "Your delegation is already on this list (place 1)."


def test_the_group_is_on_the_list_once_whoever_reads_for_it(floor, groups):
    ask(floor, "CHL")
    ask(floor, "ITA", on_behalf_of="EU")
    with pytest.raises(FloorError) as error:
        ask(floor, "FRA", on_behalf_of="EU")
    assert refused(error, floor, 2) == (
        "the European Union is already on this list (place 1).",
        "kind",
    )
    # Once the group has spoken, another member may speak for it again.
    now = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert now.described == "Italy, on behalf of the European Union"
    with pytest.raises(FloorError) as error:
        ask(floor, "FRA", on_behalf_of="EU")
    assert error.value.message == "the European Union has the floor for this already."
    speeches.speaker_end(entry=now, user=floor.chair)
    assert ask(floor, "FRA", on_behalf_of="EU").position == 1


def test_a_delegation_that_is_not_a_member_may_not_speak_for_the_group(floor, groups):
    with pytest.raises(FloorError) as error:
        ask(floor, "NOR", on_behalf_of="EU")
    assert refused(error, floor) == (
        "Norway is not a member of the European Union: it may not speak on its behalf.",
        "on_behalf_of",
    )
    # Nor may the chair put it there.
    with pytest.raises(FloorError):
        ask(floor, "NOR", on_behalf_of="EU", user=floor.chair)
    assert nothing_written(floor)


def test_an_unknown_group_is_named_with_the_groups_of_the_meeting(floor, groups):
    with pytest.raises(FloorError) as error:
        ask(floor, "ITA", on_behalf_of="AU")
    assert refused(error, floor) == (
        "“AU” is not a group at this meeting. Its groups: EU, GRULAC, LMG.",
        "on_behalf_of",
    )


def test_a_meeting_without_groups_says_so(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "ITA", on_behalf_of="EU")
    assert refused(error, floor) == (
        "“EU” is not a group at this meeting: it has none.",
        "on_behalf_of",
    )


def test_a_group_of_another_meeting_is_not_this_meetings(floor, groups):
    other = MeetingFactory(slug="msp-13")
    groups.eu.meeting = other
    groups.eu.save()
    with pytest.raises(FloorError) as error:
        ask(floor, "ITA", on_behalf_of="EU")
    assert error.value.field == "on_behalf_of"
    assert nothing_written(floor)


@pytest.mark.parametrize(
    "kind", ["point_of_order", "coordinator_remarks", "closing_remarks", "extension_request"]
)
def test_only_a_statement_or_a_right_of_reply_is_made_for_a_group(floor, groups, kind):
    code = {"coordinator_remarks": "ITA", "closing_remarks": "ITA"}.get(kind, "FRA")
    with pytest.raises(FloorError) as error:
        ask(floor, code, kind, on_behalf_of="EU", user=floor.chair)
    assert refused(error, floor) == (
        "Only a statement or a right of reply may be made on behalf of a group.",
        "kind",
    )


def test_rights_of_reply_are_counted_apart_for_the_group_and_the_delegation(floor, groups):
    SpeakingRules.objects.create(meeting=floor.meeting, max_replies_per_delegation=1)
    ask(floor, "FRA", "right_of_reply", on_behalf_of="EU")
    ask(floor, "FRA", "right_of_reply")
    with pytest.raises(FloorError) as error:
        ask(floor, "FRA", "right_of_reply")
    assert error.value.message == "Your delegation has used its 1 right of reply on this item."


def test_a_statement_for_a_group_does_not_make_its_reader_wait_behind(floor, groups):
    SpeakingRules.objects.create(meeting=floor.meeting, spoken_wait_behind=True)
    ask(floor, "ITA", on_behalf_of="EU")
    speeches.speaker_end(
        entry=speeches.speaker_call_next(item=floor.item, user=floor.chair), user=floor.chair
    )
    ask(floor, "NOR")
    ask(floor, "ITA")
    ask(floor, "AUT")
    # Italy has spoken only for the Union: its own statement keeps its turn.
    assert waiting(floor) == ["NOR", "ITA", "AUT"]


# --- joint statements -------------------------------------------------------------------------


def test_a_joint_statement_ranks_by_the_delegation_that_reads_it(floor, groups):
    ask(floor, "AGO")
    ask(floor, "FRA")
    joint = ask(floor, "VUT", co_sponsors=["chl", " NOR", "CHL", "AUT"])
    assert [d.code for d in joint.co_sponsors.order_by("name")] == ["AUT", "CHL", "NOR"]
    assert joint.position == 3  # an observer State, after the States Parties and signatories
    assert joint.described == "Vanuatu, joint statement with 3 co-sponsors"
    event = ListEvent.objects.filter(action="requested").first()  # the latest
    assert event.after["co_sponsors"] == ["CHL", "NOR", "AUT"]


def test_a_joint_statement_on_behalf_of_a_group(floor, groups):
    entry = ask(floor, "FRA", on_behalf_of="EU", co_sponsors=["NOR"])
    assert entry.capacity == ("on behalf of the European Union, joint statement with 1 co-sponsor")


def test_an_unknown_co_sponsor_is_named_and_nothing_is_written(floor, groups):
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL", co_sponsors=["NOR", "XYZ", "ABC"])
    assert refused(error, floor) == (
        "No delegation “XYZ” takes part in this meeting: it cannot co-sponsor the statement.",
        "co_sponsors",
    )


def test_the_reader_is_not_its_own_co_sponsor(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL", co_sponsors=["NOR", "chl"])
    assert refused(error, floor) == (
        "Chile reads the statement: it is not one of its co-sponsors.",
        "co_sponsors",
    )


def test_only_a_statement_is_joint(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL", "right_of_reply", co_sponsors=["NOR"])
    assert refused(error, floor) == ("Only a statement may be a joint statement.", "co_sponsors")


def test_too_many_co_sponsors_are_refused(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL", co_sponsors=[f"X{n:03d}" for n in range(201)])
    assert refused(error, floor) == (
        "A joint statement names at most 200 co-sponsors.",
        "co_sponsors",
    )


# --- speakers without a delegation ------------------------------------------------------------


def put(floor, name="Ambassador Carlos D. Sorreta", kind="statement", user=None, **extra):
    return services.guest_put_on_list(
        item=floor.item, name=name, kind=kind, user=user or floor.chair, **extra
    )


def test_the_chair_puts_a_panellist_on_the_list_by_name(floor, groups):
    ask(floor, "HRW")
    entry = put(floor, "dr ana reyes", kind="invited_presentation")
    assert (entry.guest, entry.delegation, entry.category, entry.added_by_chair) == (
        groups.panellist, None, "", True,
    )  # fmt: skip
    assert (entry.speaker, entry.speaker_detail) == ("Dr Ana Reyes", "Panellist, Survivor network")
    assert entry.position == 1  # an invited presentation leads the item
    event = ListEvent.objects.get(entry=entry)
    assert (event.delegation, event.after["delegation"]) == (None, f"guest-{groups.panellist.pk}")


def test_a_speaker_without_a_delegation_is_added_to_the_meeting_once(floor):
    first = put(floor, "Ms Lena Okafor", title="Director", organisation="ISU")
    speeches.speaker_end(
        entry=speeches.speaker_call_next(item=floor.item, user=floor.chair), user=floor.chair
    )
    again = put(floor, "  ms lena okafor ")
    assert first.guest == again.guest
    assert (again.guest.name, again.guest.description) == ("Ms Lena Okafor", "Director, ISU")


def test_a_statement_by_a_speaker_without_a_delegation_comes_after_every_category(floor, groups):
    put(floor)
    for code in ("HRW", "CHL", "EU"):
        ask(floor, code)
    assert waiting(floor) == ["EU for EU", "CHL", "HRW", f"guest-{groups.president.pk}"]
    # where the chair puts them, they stay
    president = FloorRequest.objects.get(guest=groups.president)
    speeches.speaker_move(entry=president, user=floor.chair, to="top", reason="Opening remarks")
    assert waiting(floor)[0] == f"guest-{groups.president.pk}"


def test_only_the_chair_puts_a_speaker_without_a_delegation_on_the_list(floor, groups):
    with pytest.raises(NotAllowed) as error:
        put(floor, user=floor.user("CHL"))
    assert error.value.message == ("Only the chair of this item may do this.")
    with pytest.raises(NotAllowed) as error:
        services.floor_request_create(
            item=floor.item, guest=groups.president, kind="statement", user=floor.user("CHL")
        )
    assert error.value.message == (
        "Only the chair of this item may put a speaker without a delegation on the list."
    )
    assert nothing_written(floor)
    assert groups.president.meeting.guests.count() == 2


@pytest.mark.parametrize(
    "kind", ["point_of_order", "right_of_reply", "coordinator_remarks", "extension_request"]
)
def test_a_speaker_without_a_delegation_does_not_take_a_delegations_kind(floor, groups, kind):
    with pytest.raises(FloorError) as error:
        put(floor, kind=kind)
    assert refused(error, floor)[0].startswith(
        "A speaker without a delegation may make a statement, an invited presentation"
    )


def test_a_speaker_without_a_delegation_is_on_the_list_once_per_kind(floor, groups):
    put(floor)
    with pytest.raises(FloorError) as error:
        put(floor, "AMBASSADOR CARLOS D. SORRETA")
    assert error.value.message == "Ambassador Carlos D. Sorreta is already on this list (place 1)."
    put(floor, kind="closing_remarks")
    assert version(floor) == 2


def test_a_speaker_of_another_meeting_is_refused(floor):
    stranger = GuestFactory(meeting=MeetingFactory(slug="msp-13"))
    with pytest.raises(FloorError) as error:
        services.floor_request_create(
            item=floor.item, guest=stranger, kind="statement", user=floor.chair
        )
    assert refused(error, floor) == ("This speaker is not one of this meeting's.", "guest")


def test_a_speaker_without_a_delegation_speaks_for_no_group_and_reads_no_joint_statement(
    floor, groups
):
    for extra, field in (
        ({"on_behalf_of": "EU"}, "on_behalf_of"),
        ({"co_sponsors": ["CHL"]}, "co_sponsors"),
    ):
        with pytest.raises(FloorError) as error:
            services.floor_request_create(
                item=floor.item, guest=groups.president, kind="statement", user=floor.chair, **extra
            )
        assert error.value.field == field
    assert nothing_written(floor)


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Give the speaker's name."),
        ("   ", "Give the speaker's name."),
        ("x" * 201, "The name is too long (at most 200 characters)."),
        (
            "Dr\x00Who",
            "This holds characters that are not text (a NUL character or an unpaired surrogate).",
        ),
    ],
)
def test_a_bad_name_is_refused_and_no_one_is_added(floor, name, message):
    with pytest.raises(FloorError) as error:
        put(floor, name)
    assert error.value.message == message
    assert nothing_written(floor)
    assert floor.meeting.guests.count() == 0


def test_who_speaks_is_exactly_one_delegation_or_speaker(floor, groups):
    with pytest.raises(FloorError) as error:
        services.floor_request_create(
            item=floor.item,
            delegation=floor.d["CHL"],
            guest=groups.president,
            kind="statement",
            user=floor.chair,
        )
    assert error.value.message == "Say who speaks: a delegation or a speaker without one."
    assert nothing_written(floor)


def test_the_chair_re_adds_an_absent_speaker_as_they_were(floor, groups):
    put(floor, "Dr Ana Reyes", presence="remote")
    ask(floor, "FRA", on_behalf_of="EU", co_sponsors=["NOR"])
    for _ in range(2):
        called = speeches.speaker_call_next(item=floor.item, user=floor.chair)
        speeches.speaker_mark_absent(entry=called, user=floor.chair)
    absent = speakers_list(floor.item).absent
    readded = [services.speaker_readd(entry=entry, user=floor.chair) for entry in absent]
    described = {(e.described, e.presence) for e in readded}
    assert described == {
        ("Dr Ana Reyes", "remote"),
        ("France, on behalf of the European Union, joint statement with 1 co-sponsor", "room"),
    }


def test_a_focal_point_cannot_withdraw_a_speaker_without_a_delegation(floor, groups):
    entry = put(floor)
    with pytest.raises(NotAllowed):
        services.floor_request_withdraw(entry=entry, user=floor.user("CHL"))
    services.floor_request_withdraw(entry=entry, user=floor.chair)
    assert FloorRequest.objects.get().status == "withdrawn"


# --- where a speaker delivers from ------------------------------------------------------------


def test_the_chair_says_a_speaker_is_remote_and_the_audit_trail_keeps_it(floor):
    entry = ask(floor, "CHL", presence="recorded")
    assert entry.get_presence_display() == "Pre-recorded video"
    changed = speeches.speaker_set_presence(
        entry=entry, presence="remote", user=floor.chair, version=version(floor)
    )
    assert changed.presence == "remote"
    event = ListEvent.objects.filter(action="presence").get()
    assert (event.before["presence"], event.after["presence"]) == ("recorded", "remote")


def test_a_recorded_statement_is_timed_like_a_speech(floor):
    ask(floor, "CHL", presence="recorded")
    video = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ended = speeches.speaker_end(entry=video, user=floor.chair)
    assert (ended.presence, ended.status) == ("recorded", "spoken")
    assert ended.duration_seconds is not None


def test_presence_changes_are_refused_cleanly(floor):
    entry = ask(floor, "CHL")
    for presence, message in (
        ("moon", "Say whether the speaker is in the room, remote or on a recorded video."),
        ("room", "Chile is already marked “In the room”."),
    ):
        with pytest.raises(FloorError) as error:
            speeches.speaker_set_presence(entry=entry, presence=presence, user=floor.chair)
        assert (error.value.message, error.value.field) == (message, "presence")
    with pytest.raises(NotAllowed):
        speeches.speaker_set_presence(entry=entry, presence="remote", user=floor.user("CHL"))
    with pytest.raises(StaleList):
        speeches.speaker_set_presence(entry=entry, presence="remote", user=floor.chair, version=0)
    with pytest.raises(FloorError) as error:
        ask(floor, "NOR", presence="moon")
    assert error.value.field == "presence"
    assert version(floor) == 1


def test_presence_of_an_entry_that_has_spoken_cannot_change(floor):
    ask(floor, "CHL")
    spoken = speeches.speaker_end(
        entry=speeches.speaker_call_next(item=floor.item, user=floor.chair), user=floor.chair
    )
    with pytest.raises(FloorError) as error:
        speeches.speaker_set_presence(entry=spoken, presence="remote", user=floor.chair)
    assert error.value.message == "Chile is spoken: it cannot be changed."


# --- the database holds the rules too ---------------------------------------------------------


def test_the_database_keeps_one_open_statement_per_group(floor, groups):
    ask(floor, "ITA", on_behalf_of="EU")
    with pytest.raises(IntegrityError), transaction.atomic():
        FloorRequest.objects.create(
            item=floor.item,
            delegation=floor.d["FRA"],
            on_behalf_of=groups.eu,
            category="state_party",
            kind="statement",
            requested_at=timezone.now(),
        )


def test_the_database_keeps_one_speaker_per_entry(floor, groups):
    for who in ({}, {"delegation": floor.d["FRA"], "guest": groups.president}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FloorRequest.objects.create(
                item=floor.item, kind="statement", requested_at=timezone.now(), **who
            )
