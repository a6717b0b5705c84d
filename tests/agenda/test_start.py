"""Issue 13: each role lands where it works, the navigation offers only what it may open, the
error pages are the site's own, and every time is in the meeting's time zone."""

import datetime
import html as entities
import re

import pytest
from django.urls import reverse
from django.views.defaults import server_error

from agenda.models import ListEvent
from agenda.roles import INTERPRETERS_GROUP
from meetings.clock import zone_name
from tests.factories import UserFactory
from tests.pages import assert_strict_page

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db


def sign_in(client, username: str):
    """Signs in through the sign-in page, as a person would; the answer after the redirects."""
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)
    return [
        entities.unescape(re.sub(r"\s+", " ", text).strip())
        for text in re.findall(r"<a [^>]*>(.*?)</a>", nav)
    ]


def test_the_president_lands_on_the_console_of_the_item_under_discussion(client, floor):
    floor.chair.set_password(PASSWORD)
    floor.chair.save()
    answer = sign_in(client, "president")
    assert answer.redirect_chain[-1][0] == reverse(
        "chair_console", kwargs={"slug": floor.meeting.slug, "pk": floor.item.parent_id}
    ) or answer.redirect_chain[-1][0] == reverse(
        "chair_console", kwargs={"slug": floor.meeting.slug, "pk": floor.item.pk}
    )
    assert answer.status_code == 200
    assert "Chair's console" in nav_links(answer.content.decode())


def test_a_focal_point_lands_on_its_delegation_and_sees_no_chairs_screen(client, floor):
    answer = sign_in(client, "focal-chl")
    assert answer.redirect_chain[-1][0] == reverse(
        "delegation_floor", kwargs={"slug": floor.meeting.slug, "code": "CHL"}
    )
    links = nav_links(answer.content.decode())
    assert "My delegation" in links
    assert "Chair's console" not in links
    assert "Interpreters" not in links
    assert "Secretariat" not in links


def test_an_interpreter_lands_on_the_interpreters_view(client, floor):
    interpreter = UserFactory(username="booth-fr")
    interpreter.groups.get_or_create(name=INTERPRETERS_GROUP)[0].user_set.add(interpreter)
    answer = sign_in(client, "booth-fr")
    assert answer.redirect_chain[-1][0] == reverse(
        "interpreters", kwargs={"slug": floor.meeting.slug}
    )
    assert answer.status_code == 200
    links = nav_links(answer.content.decode())
    assert "Interpreters" in links and "Chair's console" not in links


def test_the_secretariat_lands_on_a_page_with_every_screen_and_the_admin(client, floor):
    floor.secretariat.set_password(PASSWORD)
    floor.secretariat.save()
    answer = sign_in(client, "secretariat")
    assert answer.redirect_chain[-1][0] == reverse("start")
    html = answer.content.decode()
    assert_strict_page(answer)
    slug = floor.meeting.slug
    for name in ("chair_home", "interpreters", "room_screen", "room_banner", "record"):
        assert f'href="{reverse(name, kwargs={"slug": slug})}"' in html, name
    assert f'href="{reverse("admin:index")}"' in html
    # Every screen the page offers opens for the secretariat.
    for url in re.findall(r'<a class="fw-semibold" href="([^"]+)"', html):
        assert client.get(url, follow=True).status_code == 200, url


def test_an_account_with_no_role_sees_the_public_screens_not_a_refusal(client, floor):
    UserFactory(username="visitor")
    answer = sign_in(client, "visitor")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Not for this account" not in html
    assert f'href="{reverse("room_screen", kwargs={"slug": floor.meeting.slug})}"' in html
    assert reverse("chair_home", kwargs={"slug": floor.meeting.slug}) not in html


def test_the_public_sees_no_screen_of_a_role(client, floor):
    html = client.get(reverse("home")).content.decode()
    links = nav_links(html)
    assert "Sign in" in links
    assert not {"Chair's console", "My delegation", "Interpreters", "Secretariat"} & set(links)


def test_a_missing_page_is_the_sites_own_404(client, floor):
    answer = client.get("/meetings/no-such-meeting/")
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html and "Skip to main content" in html
    assert_strict_page(answer)


def test_a_refusal_is_the_sites_own_403_with_the_reason(client, floor):
    client.force_login(floor.user("CHL"))
    answer = client.get(reverse("record_statistics", kwargs={"slug": floor.meeting.slug}))
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "Not for this account" in html
    assert "The figures are for the secretariat and the coordinators." in html
    assert reverse("start") in html
    assert_strict_page(answer)


def test_a_server_error_is_the_sites_own_500(rf):
    answer = server_error(rf.get("/"))
    assert answer.status_code == 500
    html = answer.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html


def test_the_audit_trail_is_in_the_meetings_time_zone(client, floor):
    """Geneva in April is UTC+2: an event at 08:00:05 UTC reads 10:00:05 CEST in the admin."""
    ListEvent.objects.create(
        item=floor.item,
        action="request",
        at=datetime.datetime(2025, 4, 7, 8, 0, 5, tzinfo=datetime.UTC),
        version=1,
    )
    client.force_login(floor.secretariat)
    html = client.get(reverse("admin:agenda_listevent_changelist")).content.decode()
    assert "2025-04-07 10:00:05 CEST" in html
    assert "08:00" not in html


def test_a_time_in_the_admins_forms_is_the_meetings_local_time(client, floor):
    """A sign-up window opening at 08:00 UTC reads (and is typed) 10:00 in April in Geneva, with
    the zone named: the secretariat who types 10:00 opens the list at 10:00 in the room."""
    floor.item.list_opens_at = datetime.datetime(2025, 4, 7, 8, 0, tzinfo=datetime.UTC)
    floor.item.save()
    client.force_login(floor.secretariat)
    html = client.get(reverse("admin:agenda_agendaitem_change", args=[floor.item.pk])).content
    html = html.decode()
    assert re.search(r'name="list_opens_at_1"[^>]*value="10:00:00"', html)
    assert "Europe/Zurich" in html or "UTC+2" in html or 'data-admin-utc-offset="7200"' in html


def test_a_meeting_elsewhere_is_shown_in_its_own_zone(client, floor):
    floor.meeting.time_zone = "America/New_York"
    floor.meeting.save()
    assert zone_name(floor.meeting.slug) == "America/New_York"
    assert zone_name(None) == "America/New_York"  # the current meeting
    assert zone_name("no-such-meeting") == "America/New_York"
