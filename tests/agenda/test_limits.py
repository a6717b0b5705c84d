"""Time limits that hold (issue 10, findings 4 and 11): a speech keeps the limit in force when it
began; the chair changes a kind's limit for the rest of the list and grants a speaker an
extension, from the console and the API; the record, the exports and the API show the limit
that applied and the overtime, exactly."""

import datetime
from datetime import timedelta

import pytest
import tablib
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed, StaleList
from agenda.models import ApiToken, FloorRequest, ListEvent, SpeakingRules
from agenda.record.selectors import delivered
from agenda.speakers import limits, services, speeches
from agenda.speakers.selectors import speakers_list
from tests.factories import AgendaItemFactory, UserFactory
from tests.helpers import BASE, ask, text, version

pytestmark = pytest.mark.django_db


def console(floor):
    return reverse("chair_console", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk})


def act(floor, action):
    return reverse(
        "chair_act", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk, "action": action}
    )


def speakers_api(floor):
    return f"/api/v1/agenda-items/{floor.item.pk}/speakers/"


def export_rows(client, floor) -> list[dict]:
    response = client.get(reverse("record_export", args=[floor.meeting.slug, "speakers", "csv"]))
    assert response.status_code == 200
    return list(tablib.Dataset().load(response.content.decode(), format="csv").dict)


def record_row(client, floor, entry) -> str:
    """What a reader sees of the entry's row on the item's record page."""
    html = client.get(reverse("record_item", args=[floor.meeting.slug, floor.item.pk]))
    row = html.content.decode().split(f'<tr id="entry-{entry.pk}">')[1].split("</tr>")[0]
    return text(row)


def deliver(floor, code, *, seconds: float, kind="statement") -> FloorRequest:
    """`code` asks for the floor, is given it and ends, through the services; then its speech
    is said to have lasted exactly `seconds` (from 10:00 in Geneva)."""
    entry = ask(floor, code, kind)
    speeches.speaker_start(entry=entry, user=floor.chair)
    speeches.speaker_end(entry=entry, user=floor.chair)
    FloorRequest.objects.filter(pk=entry.pk).update(
        started_at=BASE, ended_at=BASE + timedelta(seconds=seconds)
    )
    entry.refresh_from_db()
    return entry


def speaking(floor, code, kind="statement") -> FloorRequest:
    entry = ask(floor, code, kind)
    speeches.speaker_start(entry=entry, user=floor.chair)
    entry.refresh_from_db()
    return entry


def set_rule(floor, **limits_in_seconds) -> None:
    """The item's own rules, as the secretariat sets them in the admin."""
    SpeakingRules.objects.update_or_create(
        item=floor.item, defaults={"meeting": floor.meeting, **limits_in_seconds}
    )


# --- finding 4: the record keeps the limit that applied ----------------------------------------


def test_the_record_keeps_a_speechs_3_minute_limit_after_the_rule_changes_to_1_minute(
    client, floor
):
    set_rule(floor, statement_seconds=180)
    chile = deliver(floor, "CHL", seconds=150)

    set_rule(floor, statement_seconds=60)

    [done] = client.get(speakers_api(floor)).json()["done"]
    assert done["time_limit_seconds"] == 180
    assert done["overtime_seconds"] == 0
    assert "3:00 2:30" in record_row(client, floor, chile)  # limit, duration
    assert "over the limit" not in record_row(client, floor, chile)
    [row] = export_rows(client, floor)
    assert (row["time limit (s)"], row["overtime (s)"]) == ("180", "0")
    assert delivered(floor.meeting)[0].limit == 180


def test_a_limit_changed_by_the_chair_leaves_delivered_speeches_as_they_were(client, floor):
    chile = deliver(floor, "CHL", seconds=150)

    limits.time_limit_set(item=floor.item, kind="statement", seconds=60, user=floor.chair)

    assert "5:00 2:30" in record_row(client, floor, chile)
    [done] = client.get(speakers_api(floor)).json()["done"]
    assert (done["time_limit_seconds"], done["overtime_seconds"]) == (300, 0)


def test_a_speech_from_before_limits_were_kept_shows_the_limit_in_force_until_it_changes(
    client, floor
):
    chile = deliver(floor, "CHL", seconds=150)
    FloorRequest.objects.filter(pk=chile.pk).update(time_limit_seconds=None)  # as migrated
    assert [entry.limit for entry in delivered(floor.meeting)] == [300]

    limits.time_limit_set(item=floor.item, kind="statement", seconds=60, user=floor.chair)

    chile.refresh_from_db()
    assert chile.time_limit_seconds == 300
    assert [entry.limit for entry in delivered(floor.meeting)] == [300]


# --- the chair changes a limit from now on -----------------------------------------------------


def test_a_limit_changed_from_the_console_applies_to_waiting_and_later_speeches_not_the_one_under_way(  # noqa: E501
    client, floor
):
    chile = speaking(floor, "CHL")
    ask(floor, "FRA")
    client.force_login(floor.chair)

    response = client.post(
        act(floor, "limit"),
        {"kind": "statement", "minutes": "3", "seconds": "", "version": version(floor)},
    )

    assert response.status_code == 302
    state = speakers_list(floor.item)
    assert [state.time_limit(entry) for entry in (state.current, *state.waiting)] == [300, 180]
    html = client.get(console(floor)).content.decode()
    assert 'data-limit="300"' in html  # Chile's countdown
    assert "Statement (now 3:00)" in html
    event = ListEvent.objects.get(action="limit_changed")
    assert (event.before, event.after) == (
        {"kind": "statement", "seconds": 300}, {"kind": "statement", "seconds": 180},
    )  # fmt: skip
    assert event.version == version(floor)

    speeches.speaker_end(entry=chile, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)

    france = FloorRequest.objects.get(delegation__code="FRA")
    assert (france.status, france.time_limit_seconds) == ("speaking", 180)
    assert FloorRequest.objects.get(pk=chile.pk).time_limit_seconds == 300
    rules = SpeakingRules.objects.get(item=floor.item)
    assert (rules.statement_seconds, rules.right_of_reply_seconds) == (180, None)


def test_the_console_takes_a_limit_in_seconds_alone_with_htmx(client, floor):
    client.force_login(floor.chair)

    response = client.post(
        act(floor, "limit"),
        {"kind": "right_of_reply", "seconds": "90", "version": version(floor)},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="board"')
    assert "Right of reply (now 1:30)" in html
    assert speakers_list(floor.item).time_limits["right_of_reply"] == 90


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "statement"}, "Give the time in minutes and seconds."),
        ({"kind": "statement", "minutes": "two"}, "Give the time in whole minutes and seconds."),
        ({"kind": "statement", "seconds": "5"}, "A time limit is at least 10 seconds."),
        ({"kind": "statement", "minutes": "121"}, "A time limit is at most 2 hours."),
        ({"kind": "speech", "minutes": "3"}, "Unknown kind of request."),
        (
            {"kind": "statement", "minutes": "5"},
            "The time limit for “Statement” on 2(c) is already 5:00.",
        ),
    ],
)
def test_the_console_says_why_a_limit_is_refused_and_changes_nothing(
    client, floor, fields, message
):
    client.force_login(floor.chair)

    response = client.post(act(floor, "limit"), {**fields, "version": 0}, follow=True)

    assert message in text(response)
    assert not SpeakingRules.objects.exists()
    assert version(floor) == 0


# --- extensions --------------------------------------------------------------------------------


def test_an_extension_shows_on_the_countdown_and_in_the_record(client, floor):
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    chile = speaking(floor, "CHL")
    client.force_login(floor.chair)

    response = client.post(
        act(floor, "extend"), {"entry": chile.pk, "minutes": "1", "version": version(floor)}
    )

    assert response.status_code == 302
    html = client.get(console(floor)).content.decode()
    assert 'data-limit="360"' in html
    assert "Chile has 6:00 (with 1:00 extension)" in text(html)
    room = client.get(reverse("room_screen", args=[floor.meeting.slug])).content.decode()
    assert 'data-limit="360"' in room
    current = client.get(speakers_api(floor)).json()["current"]
    assert (current["time_limit_seconds"], current["extension_seconds"]) == (360, 60)
    event = ListEvent.objects.get(action="extended")
    assert (event.entry_id, event.before, event.after) == (
        chile.pk,
        {"extension_seconds": 0, "time_limit_seconds": 300},
        {"extension_seconds": 60, "time_limit_seconds": 360},
    )

    speeches.speaker_end(entry=chile, user=floor.chair)
    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=BASE, ended_at=BASE + timedelta(seconds=330)
    )

    assert "6:00 with 1:00 extension 5:30" in record_row(client, floor, chile)
    [row] = export_rows(client, floor)
    assert (row["time limit (s)"], row["extension (s)"], row["overtime (s)"]) == ("360", "60", "0")


def test_the_chair_takes_back_part_of_an_extension_but_not_more_than_was_granted(floor):
    chile = speaking(floor, "CHL")
    limits.speaker_extend(entry=chile, seconds=90, user=floor.chair)

    limits.speaker_extend(entry=chile, seconds=-30, user=floor.chair)

    state = speakers_list(floor.item)
    assert state.time_limit(state.current) == 360
    assert ListEvent.objects.filter(action="extension_reduced").count() == 1
    with pytest.raises(FloorError) as error:
        limits.speaker_extend(entry=chile, seconds=-61, user=floor.chair)
    assert error.value.message == "Chile was granted 1:00: no more can be taken back."
    assert error.value.field == "seconds"


def test_an_extension_of_a_speech_from_before_limits_were_kept_keeps_its_limit(floor):
    chile = speaking(floor, "CHL")
    FloorRequest.objects.filter(pk=chile.pk).update(time_limit_seconds=None)

    limits.speaker_extend(entry=chile, seconds=60, user=floor.chair)
    set_rule(floor, statement_seconds=60)

    chile.refresh_from_db()
    assert (chile.time_limit_seconds, chile.extension_seconds) == (300, 60)
    state = speakers_list(floor.item)
    assert state.time_limit(state.current) == 360


@pytest.mark.parametrize(
    ("make", "seconds", "message"),
    [
        (lambda floor: ask(floor, "CHL"), 60, "Chile is not speaking: only a speech under way"),
        (lambda floor: deliver(floor, "CHL", seconds=10), 60, "Chile is not speaking"),
        (lambda floor: speaking(floor, "CHL"), 0, "Give the time to add, in seconds."),
        (lambda floor: speaking(floor, "CHL"), 7201, "extended by at most 2 hours"),
        (lambda floor: speaking(floor, "CHL"), -1, "Chile was granted 0:00"),
        (lambda floor: speaking(floor, "CHL"), 1.5, "Give the time in whole seconds."),
    ],
)
def test_an_extension_that_does_not_apply_is_refused_and_changes_nothing(
    floor, make, seconds, message
):
    entry = make(floor)
    seen = version(floor)

    with pytest.raises(FloorError) as error:
        limits.speaker_extend(entry=entry, seconds=seconds, user=floor.chair, version=seen)

    assert message in error.value.message
    entry.refresh_from_db()
    assert (entry.extension_seconds, version(floor)) == (0, seen)


# --- every service: the chair only, the version seen, nothing changed when refused --------------


def _set_limit(floor, user, version):
    limits.time_limit_set(
        item=floor.item, kind="statement", seconds=180, user=user, version=version
    )


def _extend(floor, user, version):
    limits.speaker_extend(
        entry=FloorRequest.objects.get(status="speaking"), seconds=60, user=user, version=version
    )


SERVICES = {"time_limit_set": _set_limit, "speaker_extend": _extend}


def _state(floor):
    return (
        version(floor),
        ListEvent.objects.count(),
        list(SpeakingRules.objects.values_list("statement_seconds", flat=True)),
        list(FloorRequest.objects.values_list("time_limit_seconds", "extension_seconds")),
    )


def _chair_of_another_item(floor):
    user = UserFactory(username="facilitator-2j")
    AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="j").facilitators.add(
        user
    )
    return user


REFUSED = {
    "the speaker's focal point": lambda floor: floor.user("CHL"),
    "a coordinating delegation's focal point": lambda floor: floor.user("NOR"),
    "the chair of another item": _chair_of_another_item,
}
ALLOWED = {
    "the President": lambda floor: floor.chair,
    "the secretariat": lambda floor: floor.secretariat,
    "the item's chair": lambda floor: _facilitator(floor),
}


def _facilitator(floor):
    user = UserFactory(username="facilitator-2c")
    floor.item.facilitators.add(user)
    return user


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", REFUSED)
def test_only_the_chair_changes_limits_and_a_refusal_changes_nothing(floor, service, who):
    speaking(floor, "CHL")
    user = REFUSED[who](floor)
    before = _state(floor)

    with pytest.raises(NotAllowed) as error:
        SERVICES[service](floor, user, version(floor))

    assert error.value.message == "Only the chair of this item may do this."
    assert _state(floor) == before


@pytest.mark.parametrize("service", SERVICES)
def test_a_limit_or_extension_based_on_a_stale_list_changes_nothing(floor, service):
    speaking(floor, "CHL")
    seen = version(floor)
    ask(floor, "FRA")
    before = _state(floor)

    with pytest.raises(StaleList):
        SERVICES[service](floor, floor.chair, seen)

    assert _state(floor) == before


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", ALLOWED)
def test_whoever_chairs_the_item_changes_limits_with_one_event(floor, service, who):
    speaking(floor, "CHL")
    seen = version(floor)

    SERVICES[service](floor, ALLOWED[who](floor), seen)

    assert version(floor) == seen + 1
    event = ListEvent.objects.get(version=seen + 1)
    assert (
        event.action == {"time_limit_set": "limit_changed", "speaker_extend": "extended"}[service]
    )


# --- finding 11: an overtime under a second is over --------------------------------------------


def test_a_speech_0_4_seconds_over_is_flagged_over_the_limit_everywhere(client, floor):
    chile = deliver(floor, "CHL", seconds=300.4)
    client.force_login(floor.chair)

    board = client.get(console(floor) + "?fragment=board").content.decode()
    done_table = board.split('class="table table-sm done"')[1].split("</table>")[0]
    assert "text-danger" in done_table and "over the limit" in done_table
    assert "5:00 5:00 +0:00.4 over the limit" in record_row(client, floor, chile)
    [row] = export_rows(client, floor)
    assert (row["duration (s)"], row["time limit (s)"], row["overtime (s)"]) == (
        "300", "300", "0.4",
    )  # fmt: skip
    [done] = client.get(speakers_api(floor)).json()["done"]
    assert (done["time_limit_seconds"], done["overtime_seconds"]) == (300, 0.4)


def test_a_speech_that_ends_exactly_on_its_limit_is_not_over(client, floor):
    chile = deliver(floor, "CHL", seconds=300)

    assert "over the limit" not in record_row(client, floor, chile)
    [row] = export_rows(client, floor)
    assert row["overtime (s)"] == "0"


def test_the_overtime_of_a_speech_under_way_counts_so_far(client, floor):
    chile = speaking(floor, "CHL")
    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=chile.started_at - timedelta(seconds=312)
    )

    current = client.get(speakers_api(floor)).json()["current"]

    assert current["overtime_seconds"] >= 12
    assert client.get(speakers_api(floor)).json()["waiting"] == []


# --- finding 11: CSV times with their offset ---------------------------------------------------


def test_csv_exports_give_times_with_the_meetings_offset(client, floor):
    chile = deliver(floor, "CHL", seconds=65)

    [row] = export_rows(client, floor)

    assert (row["began"], row["ended"]) == (
        "2025-04-07T10:00:00+02:00",
        "2025-04-07T10:01:05+02:00",
    )
    began = datetime.datetime.fromisoformat(row["began"])
    assert began == chile.started_at and began.utcoffset() == timedelta(hours=2)


# --- the API -----------------------------------------------------------------------------------


@pytest.fixture
def tokens(floor):
    return {
        "chair": ApiToken.issue(floor.chair)[1],
        "focal": ApiToken.issue(floor.user("CHL"))[1],
    }


def post(client, path, token, body):
    return client.post(
        path, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def test_the_api_changes_a_limit_from_now_on_and_answers_the_list(client, floor, tokens):
    speaking(floor, "CHL")
    ask(floor, "FRA")
    path = f"/api/v1/agenda-items/{floor.item.pk}/time-limits"

    response = post(
        client, path, tokens["chair"], {"kind": "statement", "seconds": 180, "version": 3}
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["time_limits"]["statement"]) == (4, 180)
    assert data["current"]["time_limit_seconds"] == 300
    assert [entry["time_limit_seconds"] for entry in data["waiting"]] == [180]


def test_the_api_refuses_a_limit_with_the_reason_and_the_field(client, floor, tokens):
    path = f"/api/v1/agenda-items/{floor.item.pk}/time-limits"

    refusals = [
        post(client, path, tokens["chair"], {"kind": "statement", "seconds": 9}),
        post(client, path, tokens["focal"], {"kind": "statement", "seconds": 180}),
        post(client, path, tokens["chair"], {"kind": "statement", "seconds": 180, "version": 7}),
        post(client, path, tokens["chair"], {"kind": "statement", "seconds": "3:00"}),
    ]

    assert [(r.status_code, r.json()["field"]) for r in refusals] == [
        (400, "seconds"), (403, None), (409, None), (422, "seconds"),
    ]  # fmt: skip
    assert refusals[0].json()["detail"] == "A time limit is at least 10 seconds."
    assert refusals[2].json()["list"]["version"] == 0
    assert version(floor) == 0


def test_the_api_extends_a_speech_and_answers_the_entry(client, floor, tokens):
    chile = speaking(floor, "CHL")

    response = post(client, f"/api/v1/speakers/{chile.pk}/extend", tokens["chair"], {"seconds": 60})

    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["time_limit_seconds"], data["extension_seconds"]) == (
        chile.pk, 360, 60,
    )  # fmt: skip
    assert (data["overtime_seconds"], data["version"]) == (0, 3)
    refused = post(client, f"/api/v1/speakers/{chile.pk}/extend", tokens["focal"], {"seconds": 60})
    assert refused.status_code == 403
