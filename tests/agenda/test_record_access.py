"""Who sees the record: everyone for a published meeting, the secretariat only for a draft;
tagging and the figures only for coordinators and the secretariat."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.agenda.test_record import spoken

pytestmark = pytest.mark.django_db


def public_urls(floor) -> list[str]:
    slug = floor.meeting.slug
    return [
        reverse("record", args=[slug]),
        reverse("record_item", args=[slug, floor.item.pk]),
        reverse("record_item_print", args=[slug, floor.item.pk]),
        reverse("record_delegation", args=[slug, "CHL"]),
        reverse("record_export", args=[slug, "speakers", "csv"]),
        reverse("record_export", args=[slug, "statements", "xlsx"]),
        reverse("programme_ics", args=[slug]),
    ]


def test_everyone_reads_the_record_of_a_published_meeting(client, floor):
    spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)

    for url in public_urls(floor):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("who", "status"), [("anonymous", 404), ("focal-chl", 404),
                                             ("secretariat", 200)])  # fmt: skip
def test_the_record_of_a_draft_is_the_secretariats(client, floor, who, status):
    spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.DRAFT)
    if who != "anonymous":
        client.force_login({"focal-chl": floor.user("CHL"), "secretariat": floor.secretariat}[who])

    for url in public_urls(floor):
        assert client.get(url).status_code == status, url


def test_unknown_exports_and_items_are_not_found(client, floor):
    slug = floor.meeting.slug
    assert client.get(reverse("record_export", args=[slug, "speakers", "ods"])).status_code == 404
    assert client.get(reverse("record_export", args=[slug, "secrets", "csv"])).status_code == 404
    assert client.get(reverse("record_item", args=[slug, 999999])).status_code == 404
    assert client.get(reverse("record_delegation", args=[slug, "XXX"])).status_code == 404


def test_tagging_asks_an_anonymous_visitor_to_sign_in(client, floor):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)

    response = client.post(reverse("record_tag", args=[floor.meeting.slug, entry.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert entry.lap_tags.count() == 0


def test_the_record_pages_have_no_inline_script_or_style(client, floor):
    spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    client.force_login(floor.secretariat)
    slug = floor.meeting.slug

    for url in [
        *public_urls(floor)[:4],
        reverse("record_statistics", args=[slug]),
        reverse("record_lap", args=[slug]),
    ]:
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert " style=" not in html, url
        assert "<style" not in html, url
