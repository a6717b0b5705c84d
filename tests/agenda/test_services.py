"""The services of the list of speakers: every action and every refusal, as a user sees it."""

import datetime

import pytest
from django.utils import timezone

from agenda.errors import FloorError, NotAllowed, StaleList
from agenda.models import FloorRequest, ListEvent, Presenter, SpeakingRules
from agenda.speakers import services, speeches
from agenda.speakers.changes import ListChange, subscribe
from agenda.speakers.selectors import speakers_list
from tests.factories import DelegationFactory, UserFactory
from tests.helpers import ask, waiting

pytestmark = pytest.mark.django_db


def test_the_ccm_order_under_2c(floor):
    for code in ("HRW", "CMC", "ICRC", "AGO", "FRA", "VUT", "UNODA", "AUT"):
        ask(floor, code)
    ask(floor, "CHL", "extension_request")
    ask(floor, "AFG", "extension_request")
    ask(floor, "NOR", "coordinator_remarks")
    ask(floor, "ITA", "coordinator_remarks")
    ask(floor, "LBN", "right_of_reply")
    ask(floor, "FRA", "point_of_order")
    assert waiting(floor) == [
        "FRA",  # point of order
        "NOR", "ITA",  # coordinators, in order of request
        "CHL", "AFG",  # Article 4 extension requests, in order of request
        "FRA", "AUT",  # States Parties
        "AGO", "VUT", "UNODA", "ICRC", "CMC", "HRW",
        "LBN",  # rights of reply come last
    ]  # fmt: skip


def test_a_request_is_recorded_with_the_category_at_the_meeting_and_audited(floor):
    request = ask(floor, "VUT", speaker_name="Ms. Tari", language="fr", note="Short")
    assert (request.category, request.status, request.speaker_name, request.language) == (
        "observer_state", "waiting", "Ms. Tari", "fr",
    )  # fmt: skip
    assert request.added_by_chair is False
    floor.item.refresh_from_db()
    assert floor.item.list_version == 1
    event = ListEvent.objects.get()
    assert (event.action, event.version, event.delegation.code, event.user.username) == (
        "requested", 1, "VUT", "focal-vut",
    )  # fmt: skip
    assert event.after == {
        "delegation": "VUT", "kind": "statement", "status": "waiting",
        "anchor": "", "position": 1,
    }  # fmt: skip


def test_a_focal_point_cannot_ask_for_another_delegation(floor):
    with pytest.raises(NotAllowed) as error:
        ask(floor, "CHL", user=floor.user("FRA"))
    assert error.value.message == "You may request the floor only for your own delegation."
    assert FloorRequest.objects.count() == 0
    assert ListEvent.objects.count() == 0


def test_the_chair_adds_a_delegation_on_its_behalf(floor):
    request = ask(floor, "CHL", user=floor.chair)
    assert request.added_by_chair is True
    assert request.requested_by == floor.chair


def test_asking_twice_gives_one_request_and_says_where_you_are(floor):
    ask(floor, "FRA")
    ask(floor, "CHL")
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL")
    assert error.value.message == "Your delegation is already on this list (place 2)."
    assert FloorRequest.objects.filter(delegation__code="CHL").count() == 1


def test_a_delegation_may_have_a_statement_and_a_right_of_reply_at_once(floor):
    ask(floor, "CHL")
    ask(floor, "CHL", "right_of_reply")
    assert waiting(floor) == ["CHL", "CHL"]


def test_a_closed_list_refuses_statements_but_not_points_of_order(floor):
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL")
    assert error.value.message == "The list of speakers is closed."
    ask(floor, "CHL", "point_of_order")  # by the chair
    ask(floor, "FRA", "right_of_reply")
    ask(floor, "AUT", user=floor.chair)  # the chair may still add a speaker
    assert waiting(floor) == ["CHL", "AUT", "FRA"]


def test_a_list_outside_its_sign_up_window_says_when_it_opens(floor):
    floor.item.list_opens_at = datetime.datetime(2099, 4, 7, 8, 0, tzinfo=datetime.UTC)
    floor.item.save()
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL")
    assert error.value.message == "The list of speakers opens at 7 April 2099, 10:00."
    floor.item.list_opens_at = None
    floor.item.list_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    floor.item.save()
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL")
    assert error.value.message == "The list of speakers is closed."


def test_only_coordinators_give_coordinators_remarks(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "FRA", "coordinator_remarks")
    assert error.value.message == (
        "Only the coordinators of this item may give coordinators' remarks."
    )
    assert error.value.field == "kind"


def test_only_designated_delegations_present_extension_requests(floor):
    with pytest.raises(FloorError) as error:
        ask(floor, "FRA", "extension_request")
    assert error.value.message == (
        "The secretariat has not designated your delegation for this on this item."
    )


def test_invited_presentations_are_capped(floor):
    for code in ("ICRC", "CMC", "HRW"):
        Presenter.objects.create(
            item=floor.item, delegation=floor.d[code], kind="invited_presentation"
        )
    ask(floor, "ICRC", "invited_presentation")
    ask(floor, "CMC", "invited_presentation")
    with pytest.raises(FloorError) as error:
        ask(floor, "HRW", "invited_presentation")
    assert error.value.message == "This item allows 2 invited presentations; all are taken."


def test_two_rights_of_reply_per_delegation_by_default_configurable(floor):
    reply = ask(floor, "CHL", "right_of_reply")
    speeches.speaker_start(entry=reply, user=floor.chair)
    speeches.speaker_end(entry=reply, user=floor.chair)
    ask(floor, "CHL", "right_of_reply")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    with pytest.raises(FloorError) as error:
        ask(floor, "CHL", "right_of_reply")
    assert error.value.message == "Your delegation has used its 2 rights of reply on this item."
    SpeakingRules.objects.create(
        meeting=floor.meeting, item=floor.item, max_replies_per_delegation=3
    )
    ask(floor, "CHL", "right_of_reply")


def test_a_delegation_not_at_the_meeting_is_refused(floor):
    outsider = DelegationFactory(code="BRA", name="Brazil")
    with pytest.raises(FloorError) as error:
        services.floor_request_create(
            item=floor.item, delegation=outsider, kind="statement", user=floor.chair
        )
    assert error.value.message == "Brazil does not take part in this meeting."


def test_bad_values_are_refused_with_the_field(floor):
    cases = [
        ({"kind": "speech"}, "kind", "Unknown kind of request."),
        (
            {"speaker_name": "x" * 201},
            "speaker_name",
            "The speaker's name is too long (at most 200 characters).",
        ),
        ({"note": "x" * 501}, "note", "The note is too long (at most 500 characters)."),
        ({"language": "de"}, "language", "Choose one of the six languages of the meeting."),
    ]
    for extra, field, message in cases:
        with pytest.raises(FloorError) as error:
            ask(floor, "CHL", **extra)
        assert (error.value.field, error.value.message) == (field, message)
    assert FloorRequest.objects.count() == 0


def test_next_runs_the_list_and_times_each_speech_exactly(floor):
    ask(floor, "FRA")
    ask(floor, "CHL")
    first = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert first.delegation.code == "FRA"
    second = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert second.delegation.code == "CHL"
    state = speakers_list(floor.item)
    assert state.current.delegation.code == "CHL"
    assert [r.delegation.code for r in state.done] == ["FRA"]
    fra = state.done[0]
    assert fra.duration_seconds == (fra.ended_at - fra.started_at).total_seconds()
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    state = speakers_list(floor.item)
    assert state.current is None
    assert [r.delegation.code for r in state.done] == ["FRA", "CHL"]
    with pytest.raises(FloorError) as error:
        speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert error.value.message == "Nobody is waiting for the floor."


def test_pauses_do_not_count_as_speaking_time(floor):
    request = ask(floor, "CHL")
    speeches.speaker_start(entry=request, user=floor.chair)
    speeches.speaker_pause(entry=request, user=floor.chair)
    request.refresh_from_db()
    paused_at = request.paused_at
    speeches.speaker_resume(entry=request, user=floor.chair)
    speeches.speaker_end(entry=request, user=floor.chair)
    request.refresh_from_db()
    assert request.paused_total >= datetime.timedelta(0)
    assert request.paused_total <= request.ended_at - paused_at
    assert request.speaking_time() == request.ended_at - request.started_at - request.paused_total
    assert request.status == "spoken"


def test_a_point_of_order_interrupts_and_the_speaker_resumes(floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    point = ask(floor, "AUT", "point_of_order")
    speeches.speaker_start(entry=point, user=floor.chair)
    state = speakers_list(floor.item)
    assert state.current.delegation.code == "AUT"
    assert state.interrupted.delegation.code == "CHL"
    assert state.interrupted.is_paused
    with pytest.raises(FloorError) as error:
        speeches.speaker_resume(entry=state.interrupted, user=floor.chair)
    assert error.value.message == (
        "A point of order has the floor: end it before the speaker resumes."
    )
    back = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert back.delegation.code == "CHL"
    assert not back.is_paused
    assert waiting(floor) == ["FRA"]


def test_only_a_point_of_order_takes_the_floor_from_a_speaker(floor):
    ask(floor, "CHL")
    other = ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    with pytest.raises(FloorError) as error:
        speeches.speaker_start(entry=other, user=floor.chair)
    assert error.value.message == "Chile has the floor: end that speech first."


def test_absent_and_readded_at_the_end(floor):
    chile = ask(floor, "CHL")
    ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=chile, user=floor.chair)
    state = speakers_list(floor.item)
    assert state.current is None
    assert [r.delegation.code for r in state.absent] == ["CHL"]
    ask(floor, "AUT")
    readded = services.speaker_readd(entry=chile, user=floor.chair)
    # A new entry, for the same kind, at the end of the list; the absent one stays as it was.
    assert (readded.pk != chile.pk, readded.kind, readded.added_by_chair) == (
        True,
        "statement",
        True,
    )
    assert waiting(floor) == ["FRA", "AUT", "CHL"]
    chile.refresh_from_db()
    assert chile.status == "absent"
    with pytest.raises(FloorError) as error:
        services.speaker_readd(entry=chile, user=floor.chair)
    assert error.value.message == "Chile is already back on the list."
    with pytest.raises(FloorError) as error:
        services.speaker_readd(entry=readded, user=floor.chair)
    assert error.value.message == "Only a delegation marked absent can be re-added."


def test_withdraw_by_the_delegation_or_the_chair_only(floor):
    chile = ask(floor, "CHL")
    with pytest.raises(NotAllowed):
        services.floor_request_withdraw(entry=chile, user=floor.user("FRA"))
    services.floor_request_withdraw(entry=chile, user=floor.user("CHL"))
    assert waiting(floor) == []
    with pytest.raises(FloorError) as error:
        services.floor_request_withdraw(entry=chile, user=floor.user("CHL"))
    assert error.value.message == "Chile is withdrawn: it cannot be withdrawn."
    france = ask(floor, "FRA")
    services.floor_request_withdraw(entry=france, user=floor.chair)
    assert ListEvent.objects.filter(action="withdrawn").count() == 2


def test_a_moved_speaker_keeps_its_place_and_later_requests_flow_around(floor):
    for code in ("FRA", "AUT", "CMC"):
        ask(floor, code)
    cmc = FloorRequest.objects.get(delegation__code="CMC")
    speeches.speaker_move(
        entry=cmc, position=1, reason="Must leave for the Council", user=floor.chair
    )
    assert waiting(floor) == ["CMC", "FRA", "AUT"]
    ask(floor, "CHL")
    assert waiting(floor) == ["CMC", "FRA", "AUT", "CHL"]
    event = ListEvent.objects.get(action="moved")
    assert (event.reason, event.before["position"], event.after["position"]) == (
        "Must leave for the Council", 3, 1,
    )  # fmt: skip


def test_a_pinned_speaker_advances_with_the_queue(floor):
    for code in ("FRA", "AUT", "CHL", "CMC"):
        ask(floor, code)
    cmc = FloorRequest.objects.get(delegation__code="CMC")
    speeches.speaker_move(entry=cmc, position=3, reason="Asked to", user=floor.chair)
    assert waiting(floor) == ["FRA", "AUT", "CMC", "CHL"]
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ask(floor, "LBN")
    assert waiting(floor) == ["AUT", "CMC", "CHL", "LBN"]


def test_moving_needs_a_reason_and_a_place(floor):
    request = ask(floor, "CHL")
    with pytest.raises(FloorError) as error:
        speeches.speaker_move(entry=request, position=1, reason="  ", user=floor.chair)
    assert (error.value.field, error.value.message) == ("reason", "Say why the speaker is moved.")
    with pytest.raises(FloorError) as error:
        speeches.speaker_move(entry=request, position=0, reason="x", user=floor.chair)
    assert error.value.message == "The place is a whole number from 1."


def test_chair_actions_are_refused_to_focal_points_and_to_other_items_coordinators(floor):
    request = ask(floor, "CHL")
    other_item_chair = UserFactory(username="coordinator-j")
    actions = [
        lambda user: speeches.speaker_call_next(item=floor.item, user=user),
        lambda user: speeches.speaker_start(entry=request, user=user),
        lambda user: speeches.speaker_move(entry=request, position=1, reason="x", user=user),
        lambda user: services.speakers_list_set_open(item=floor.item, is_open=False, user=user),
    ]
    for action in actions:
        for user in (floor.user("CHL"), other_item_chair):
            with pytest.raises(NotAllowed) as error:
                action(user)
            assert error.value.message == "Only the chair of this item may do this."
    assert ListEvent.objects.count() == 1


def test_an_item_coordinator_chairs_their_item_and_its_subitems(floor):
    coordinator = UserFactory(username="coordinator")
    floor.item.parent.facilitators.add(coordinator)
    ask(floor, "CHL")
    assert speeches.speaker_call_next(item=floor.item, user=coordinator).delegation.code == "CHL"


def test_a_stale_version_changes_nothing_and_says_the_list_changed(floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    floor.item.refresh_from_db()
    seen = floor.item.list_version
    speeches.speaker_call_next(item=floor.item, user=floor.chair, version=seen)
    with pytest.raises(StaleList) as error:
        speeches.speaker_call_next(item=floor.item, user=floor.chair, version=seen)
    assert error.value.message == (
        "The list changed since you loaded it (it is now at version 3): nothing was done. "
        "Here is the list as it stands."
    )
    assert speakers_list(floor.item).current.delegation.code == "CHL"


def test_changes_are_published_after_commit_only(floor, django_capture_on_commit_callbacks):
    seen = []
    unsubscribe = subscribe(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            ask(floor, "CHL")
        assert len(callbacks) == 1
        assert seen == [
            ListChange(meeting="ccm-2025", item=floor.item.pk, version=1, action="requested")
        ]
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(FloorError),
        ):
            ask(floor, "CHL")
        assert callbacks == []
        assert len(seen) == 1
    finally:
        unsubscribe()


def test_open_close_and_refusals(floor):
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    with pytest.raises(FloorError) as error:
        services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    assert error.value.message == "The list of speakers is already closed."
    services.speakers_list_set_open(item=floor.item, is_open=True, user=floor.chair)
    assert [e.action for e in ListEvent.objects.order_by("version")] == ["closed", "opened"]


def test_item_rules_override_meeting_rules(floor):
    SpeakingRules.objects.create(
        meeting=floor.meeting, statement_seconds=240, category_order="ngo,state_party"
    )
    ask(floor, "FRA")
    ask(floor, "HRW")
    state = speakers_list(floor.item)
    assert [r.delegation.code for r in state.waiting] == ["HRW", "FRA"]
    assert state.time_limit(state.waiting[0]) == 240
    SpeakingRules.objects.create(meeting=floor.meeting, item=floor.item, statement_seconds=180)
    state = speakers_list(floor.item)
    assert state.time_limit(state.waiting[0]) == 180
    assert [r.delegation.code for r in state.waiting] == ["HRW", "FRA"]
