"""The chair's actions right in every case (issue 10): interruptions, one meaning of place,
moves that keep the chair's intent, caps through every path, re-adding and absence.

Each test names the finding it covers; each failed on the code before the change.
"""

import contextlib
from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from agenda.errors import FloorError, PausedSpeech
from agenda.models import ApiToken, FloorRequest, ListEvent, Presenter, SpeakingRules
from agenda.record.selectors import delivered
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from tests.agenda.conftest import DELEGATIONS
from tests.factories import AgendaItemFactory
from tests.helpers import ask, version, waiting

pytestmark = pytest.mark.django_db


def state(floor):
    return speakers_list(floor.item)


def events(floor) -> list[str]:
    return list(
        ListEvent.objects.filter(item=floor.item)
        .order_by("version")
        .values_list("action", flat=True)
    )


# --- 1 and 7: "next" interrupts for a waiting point of order; the speaker comes back ---------


def test_next_with_a_waiting_point_of_order_interrupts_the_speaker_who_then_resumes(floor):
    # Finding 1: France loses its statement when "next" ends it for a point of order.
    ask(floor, "FRA")
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # France has the floor
    ask(floor, "AUT", "point_of_order")

    speeches.speaker_call_next(item=floor.item, user=floor.chair)

    now = state(floor)
    assert (now.current.delegation.code, now.current.kind) == ("AUT", "point_of_order")
    assert (now.interrupted.delegation.code, now.interrupted.is_paused) == ("FRA", True)
    assert [entry.delegation.code for entry in now.waiting] == ["CHL"]

    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # the point is dealt with

    now = state(floor)
    assert (now.current.delegation.code, now.current.is_paused, now.interrupted) == (
        "FRA", False, None,
    )  # fmt: skip
    assert [entry.delegation.code for entry in now.done] == ["AUT"]
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    # Both delivered, in the order the speeches began: France's was interrupted, not ended.
    assert [entry.delegation.code for entry in state(floor).done] == ["FRA", "AUT"]


def test_the_interrupted_speakers_clock_stops_during_the_point_of_order(floor):
    france = ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ask(floor, "AUT", "point_of_order")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    interrupted_at = FloorRequest.objects.get(pk=france.pk).interrupted_at
    FloorRequest.objects.filter(pk=france.pk).update(  # the point of order took 40 seconds
        interrupted_at=interrupted_at - timedelta(seconds=40),
        paused_at=interrupted_at - timedelta(seconds=40),
    )

    speeches.speaker_call_next(item=floor.item, user=floor.chair)

    france.refresh_from_db()
    assert round(france.paused_total.total_seconds()) == 40
    assert (france.paused_at, france.interrupted_at) == (None, None)


def test_a_paused_speaker_comes_back_paused_after_a_point_of_order(floor):
    # Finding 7: after a point of order the speaker resumed unpaused though the chair had
    # paused it.
    france = ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_pause(entry=france, user=floor.chair)
    ask(floor, "AUT", "point_of_order")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # interrupts, does not end

    speeches.speaker_call_next(item=floor.item, user=floor.chair)

    now = state(floor)
    assert (now.current.pk, now.current.is_paused, now.current.status) == (
        france.pk, True, "speaking",
    )  # fmt: skip


def test_another_point_of_order_waiting_goes_before_the_interrupted_speaker(floor):
    # Finding 7: the interrupted speaker resumed even though another point of order waited.
    ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ask(floor, "AUT", "point_of_order")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    ask(floor, "NOR", "point_of_order")

    speeches.speaker_call_next(item=floor.item, user=floor.chair)

    now = state(floor)
    assert (now.current.delegation.code, now.interrupted.delegation.code) == ("NOR", "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    assert (state(floor).current.delegation.code, state(floor).interrupted) == ("FRA", None)


def test_next_never_ends_a_paused_speech_unless_the_chair_says_so(floor):
    # Finding 7: "next" silently ended a paused speech.
    france = ask(floor, "FRA")
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_pause(entry=france, user=floor.chair)
    before = version(floor)

    with pytest.raises(PausedSpeech) as error:
        speeches.speaker_call_next(item=floor.item, user=floor.chair)

    assert (error.value.status_code, error.value.message) == (
        409,
        "France's speech is paused: nothing was done. End it and call the next speaker only "
        "if that is what you want.",
    )
    assert (version(floor), state(floor).current.pk) == (before, france.pk)
    speeches.speaker_call_next(item=floor.item, user=floor.chair, end_paused=True)
    assert (state(floor).current.delegation.code, state(floor).done[0].pk) == ("CHL", france.pk)


def test_the_api_answers_409_for_next_on_a_paused_speech_unless_told_to_end_it(client, floor):
    france = ask(floor, "FRA")
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_pause(entry=france, user=floor.chair)
    token = ApiToken.issue(floor.chair)[1]
    url = f"/api/v1/agenda-items/{floor.item.pk}/next"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    response = client.post(url, "{}", content_type="application/json", **headers)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("France's speech is paused: nothing was done.")
    assert (body["version"], body["list"]["current"]["id"]) == (version(floor), france.pk)
    response = client.post(url, '{"end_paused": true}', content_type="application/json", **headers)
    assert (response.status_code, response.json()["current"]["delegation"]["code"]) == (200, "CHL")


def test_the_console_asks_before_ending_a_paused_speech(client, floor):
    france = ask(floor, "FRA")
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_pause(entry=france, user=floor.chair)
    client.force_login(floor.chair)
    act = reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, "next"])

    board = client.post(act, {"version": version(floor)}, headers={"HX-Request": "true"})

    html = board.content.decode()
    assert "France&#x27;s speech is paused: nothing was done." in html
    assert 'name="end_paused" value="1"' in html
    assert "End it and call the next speaker" in html
    assert state(floor).current.pk == france.pk
    response = client.post(act, {"version": version(floor)})  # without JavaScript: asked again
    assert response.status_code == 302 and response["Location"].endswith("?confirm=end-paused")
    page = client.get(response["Location"]).content.decode()
    assert 'name="end_paused" value="1"' in page
    client.post(act, {"version": version(floor), "end_paused": "1"})
    assert state(floor).current.delegation.code == "CHL"


# --- 2: one meaning of place -----------------------------------------------------------------


def two_points_of_order_and_five(floor):
    for code in ("FRA", "CHL", "LBN", "AFG", "HRW"):
        ask(floor, code)
    ask(floor, "NOR", "point_of_order")
    ask(floor, "ITA", "point_of_order")
    return {entry.delegation.code: entry for entry in state(floor).waiting}


def places(floor) -> dict[str, int]:
    return {entry.delegation.code: place for place, entry in enumerate(state(floor).waiting, 1)}


def test_a_move_lands_at_the_place_the_console_and_the_api_show(client, floor):
    # Finding 2: with k points of order waiting a move landed k places too low.
    entries = two_points_of_order_and_five(floor)
    assert places(floor)["HRW"] == 7

    speeches.speaker_move(entry=entries["HRW"], position=4, reason="Minister", user=floor.chair)

    assert places(floor)["HRW"] == 4
    data = client.get(f"/api/v1/agenda-items/{floor.item.pk}/speakers/").json()
    hrw = next(entry for entry in data["waiting"] if entry["delegation"]["code"] == "HRW")
    assert (hrw["position"], hrw["pinned"]) == (4, True)


def test_up_moves_one_place_down_moves_one_place_and_up_from_the_top_does_nothing(floor):
    # Finding 2: ↑ did nothing but still pinned the entry and wrote a "moved" event; ↓ moved
    # k+1 places.
    entries = two_points_of_order_and_five(floor)
    assert places(floor)["LBN"] == 5

    speeches.speaker_move(entry=entries["LBN"], position=4, reason="up", user=floor.chair)
    assert places(floor)["LBN"] == 4
    speeches.speaker_move(entry=entries["LBN"], position=5, reason="down", user=floor.chair)
    assert places(floor)["LBN"] == 5
    moved = events(floor).count("moved")
    before = version(floor)

    speeches.speaker_move(entry=entries["FRA"], position=2, reason="up", user=floor.chair)

    assert places(floor)["FRA"] == 3
    assert (events(floor).count("moved"), version(floor)) == (moved, before)
    assert FloorRequest.objects.get(pk=entries["FRA"].pk).anchor == ""


# --- 6: moves keep the chair's intent ----------------------------------------------------------


def test_a_late_request_does_not_push_france_behind_hrw_placed_right_after_it(floor):
    # Finding 6: the chair puts HRW right after France (place 2); a late coordinator's
    # request then pushed France behind HRW.
    france = ask(floor, "FRA")
    ask(floor, "CHL")
    hrw = ask(floor, "HRW")
    speeches.speaker_move(entry=hrw, position=2, reason="Panel", user=floor.chair)
    assert waiting(floor) == ["FRA", "HRW", "CHL"]

    ask(floor, "ITA", "coordinator_remarks")

    assert waiting(floor) == ["ITA", "FRA", "HRW", "CHL"]
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # Italy
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # France
    assert state(floor).current.pk == france.pk
    assert waiting(floor) == ["HRW", "CHL"]


def test_the_api_moves_after_an_entry_and_to_the_top_or_the_end(client, floor):
    france, chile, hrw = ask(floor, "FRA"), ask(floor, "CHL"), ask(floor, "HRW")
    token = ApiToken.issue(floor.chair)[1]

    def move(entry, **body):
        return client.post(
            f"/api/v1/speakers/{entry.pk}/move",
            {"reason": "Chair", **body},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert move(hrw, after=france.pk).json()["position"] == 2
    assert waiting(floor) == ["FRA", "HRW", "CHL"]
    assert move(chile, to="top").json()["position"] == 1
    assert move(france, to="end").json()["position"] == 3
    assert waiting(floor) == ["CHL", "HRW", "FRA"]
    ask(floor, "CMC")
    assert waiting(floor) == ["CHL", "HRW", "CMC", "FRA"]  # France kept at the end
    response = move(hrw, after=hrw.pk)
    assert (response.status_code, response.json()["field"]) == (400, "after")


# --- 3: caps hold through every path --------------------------------------------------------


def test_re_adding_an_absent_invitee_does_not_exceed_the_cap_of_invited_presentations(floor):
    # Finding 3: three invited presentations under a cap of two.
    for code in ("ICRC", "CMC", "HRW"):
        Presenter.objects.create(
            item=floor.item, delegation=floor.d[code], kind="invited_presentation"
        )
    icrc = ask(floor, "ICRC", "invited_presentation")
    ask(floor, "CMC", "invited_presentation")
    speeches.speaker_mark_absent(entry=icrc, user=floor.chair)
    ask(floor, "HRW", "invited_presentation")  # the place the ICRC left is taken

    with pytest.raises(FloorError) as error:
        services.speaker_readd(entry=icrc, user=floor.chair)

    assert error.value.message == "This item allows 2 invited presentations; all are taken."
    taken = FloorRequest.objects.filter(
        item=floor.item, kind="invited_presentation", status__in=["waiting", "speaking", "spoken"]
    )
    assert taken.count() == 2


def test_re_adding_an_absent_right_of_reply_does_not_give_a_third_reply(floor):
    # Finding 3: an absent right of reply re-added gave a third reply.
    def reply(absent=False):
        entry = ask(floor, "CHL", "right_of_reply")
        speeches.speaker_call_next(item=floor.item, user=floor.chair, end_paused=True)
        if absent:
            speeches.speaker_mark_absent(entry=entry, user=floor.chair)
        else:
            speeches.speaker_end(entry=entry, user=floor.chair)
        return entry

    reply()
    second = reply(absent=True)  # called, not in the room: it does not count
    reply()  # so Chile could ask again, and delivered its second

    with pytest.raises(FloorError) as error:
        services.speaker_readd(entry=second, user=floor.chair)

    assert error.value.message == "Your delegation has used its 2 rights of reply on this item."
    assert FloorRequest.objects.filter(kind="right_of_reply", status="spoken").count() == 2


# --- 9: re-added at the end of the list, absence keeps what was said -----------------------------


def test_a_delegation_re_added_goes_to_the_end_of_the_list_not_of_its_category(floor):
    # Finding 9: a re-added State Party went to the end of the States Parties, ahead of the
    # NGOs who had waited.
    chile = ask(floor, "CHL")
    for code in ("FRA", "VUT", "HRW"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=chile, user=floor.chair)

    readded = services.speaker_readd(entry=chile, user=floor.chair)

    assert waiting(floor) == ["FRA", "VUT", "HRW", "CHL"]
    assert readded.position == 4
    ask(floor, "CMC")  # a later request goes where the rule puts it
    assert waiting(floor) == ["FRA", "VUT", "CMC", "HRW", "CHL"]


def test_a_meeting_may_put_the_re_added_where_a_new_request_would_go(floor):
    SpeakingRules.objects.create(meeting=floor.meeting, readded_to="rule")
    chile = ask(floor, "CHL")
    for code in ("FRA", "VUT", "HRW"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=chile, user=floor.chair)

    services.speaker_readd(entry=chile, user=floor.chair)

    assert waiting(floor) == ["FRA", "CHL", "VUT", "HRW"]


def test_a_speaker_marked_absent_while_speaking_keeps_what_was_said_in_the_record(floor):
    # Finding 9: the part of a speech given before the speaker was marked absent was lost.
    chile = ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=timezone.now() - timedelta(seconds=95)
    )

    speeches.speaker_mark_absent(entry=chile, user=floor.chair)
    services.speaker_readd(entry=chile, user=floor.chair)

    record = delivered(floor.meeting)
    assert [(entry.delegation.code, entry.seconds) for entry in record] == [("CHL", 95)]


# --- 5: after the floor --------------------------------------------------------------------------


def test_closing_remarks_and_responses_come_after_the_floor(floor):
    # Finding 5: a coordinator's closing remarks jumped to the top of the list.
    ask(floor, "FRA")
    ask(floor, "ITA", "closing_remarks", user=floor.chair)
    ask(floor, "AFG", "response", user=floor.chair)
    ask(floor, "CHL", "right_of_reply")
    ask(floor, "NOR", "coordinator_remarks")

    assert waiting(floor) == ["NOR", "FRA", "AFG", "CHL", "ITA"]


# --- a state machine: whatever the chair and the delegations do, the rules hold -----------------


class ListOfSpeakers(RuleBasedStateMachine):
    """Requests, withdrawals, "next", absences, re-adds, moves and points of order in any
    order: no cap is exceeded, no delegation is twice on the list for one kind, at most one
    speaks and one is interrupted, and every change is one event with the next version."""

    floor = None  # the meeting of the test; each run of the machine has an item of its own

    def __init__(self):
        super().__init__()
        ListOfSpeakers.runs += 1
        item = AgendaItemFactory(
            meeting=self.floor.meeting, parent=self.floor.item.parent, label=f"m{self.runs}"
        )
        self.floor = replace(self.floor, item=item)
        for code in ("ICRC", "CMC", "HRW"):
            Presenter.objects.create(
                item=item, delegation=self.floor.d[code], kind="invited_presentation"
            )

    runs = 0

    codes = st.sampled_from([code for code, _name, _category in DELEGATIONS])
    kinds = st.sampled_from(["statement", "right_of_reply", "invited_presentation"])

    def entries(self, status=None):
        rows = FloorRequest.objects.filter(item=self.floor.item).select_related("delegation")
        return list(rows if status is None else rows.filter(status=status))

    def quietly(self, call):
        with contextlib.suppress(FloorError):
            call()

    @rule(code=codes, kind=kinds)
    def request(self, code, kind):
        self.quietly(lambda: ask(self.floor, code, kind))

    @rule(code=codes)
    def point_of_order(self, code):
        self.quietly(
            lambda: services.point_of_order_give_floor(
                item=self.floor.item, delegation=self.floor.d[code], user=self.floor.chair
            )
        )

    @rule(end_paused=st.booleans())
    def next(self, end_paused):
        self.quietly(
            lambda: speeches.speaker_call_next(
                item=self.floor.item, user=self.floor.chair, end_paused=end_paused
            )
        )

    @rule(data=st.data())
    def act_on_one(self, data):
        entries = self.entries()
        if not entries:
            return
        entry = data.draw(st.sampled_from(entries))
        action = data.draw(st.sampled_from(["withdraw", "absent", "readd", "pause", "move"]))
        chair = self.floor.chair
        calls = {
            "withdraw": lambda: services.floor_request_withdraw(entry=entry, user=chair),
            "absent": lambda: speeches.speaker_mark_absent(entry=entry, user=chair),
            "readd": lambda: services.speaker_readd(entry=entry, user=chair),
            "pause": lambda: speeches.speaker_pause(entry=entry, user=chair),
            "move": lambda: speeches.speaker_move(
                entry=entry,
                position=data.draw(st.integers(1, 12)),
                reason="Chair",
                user=chair,
            ),
        }
        self.quietly(calls[action])

    @invariant()
    def caps_and_uniqueness_hold(self):
        entries = self.entries()
        taken = [e for e in entries if e.status in ("waiting", "speaking", "spoken")]
        assert sum(1 for e in taken if e.kind == "invited_presentation") <= 2
        for code in self.floor.d:
            replies = [e for e in taken if e.delegation.code == code and e.kind == "right_of_reply"]
            assert len(replies) <= 2
        open_ = [(e.delegation_id, e.kind) for e in entries if e.status in ("waiting", "speaking")]
        assert len(open_) == len(set(open_))
        speaking = [e for e in entries if e.status == "speaking"]
        assert sum(1 for e in speaking if e.interrupted_at is None) <= 1
        assert sum(1 for e in speaking if e.interrupted_at is not None) <= 1

    @invariant()
    def every_change_is_one_event_with_the_next_version(self):
        self.floor.item.refresh_from_db()
        versions = list(
            ListEvent.objects.filter(item=self.floor.item)
            .order_by("version")
            .values_list("version", flat=True)
        )
        assert versions == list(range(1, self.floor.item.list_version + 1))


def test_whatever_happens_on_the_list_the_rules_hold(floor):
    ListOfSpeakers.floor = floor
    run_state_machine_as_test(
        ListOfSpeakers,
        settings=settings(
            max_examples=15,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
