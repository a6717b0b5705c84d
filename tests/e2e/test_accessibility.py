"""Issue 13: axe-core (vendored under static/vendor/) finds no violation on any page a delegate,
the chair, an interpreter or the public opens, at a desktop and at a phone size, with a list of
speakers that holds someone speaking, people waiting, a group statement, a joint statement and a
speaker without a delegation. The admin pages we configure: nothing critical or serious.
Issue 14: the public pages and My delegation in Arabic and in Chinese too.

axe is put into each page by the browser (the context bypasses the page's CSP for it alone:
the pages themselves never run inline script)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from agenda.demo.load import demo_load
from agenda.models import AgendaItem
from agenda.speakers import services, speeches
from meetings.models import Meeting

AXE = next(
    (Path(__file__).resolve().parents[2] / "static" / "vendor").glob("axe-core-*/axe.min.js")
)
SLUG = "ccm-intersessional-2025"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""


@pytest.fixture
def meeting_day(transactional_db):
    return meeting_in_session()


def meeting_in_session() -> AgendaItem:
    """The demo in session, 2(c) under discussion: Chile speaking; Poland for the EU, France's
    joint statement with Austria, and the panellist (remote) waiting."""
    demo_load(password="correct horse battery")
    Meeting.objects.filter(slug=SLUG).update(status=Meeting.Status.IN_SESSION)
    item = AgendaItem.objects.select_related("meeting").get(
        meeting__slug=SLUG, parent__label="2", label="c"
    )
    AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)
    users = get_user_model().objects
    president = users.get(username="president")
    chile = item.meeting.participations.get(delegation__code="CHL").delegation
    services.floor_request_create(
        item=item, delegation=chile, kind="statement", user=users.get(username="focal-chl")
    )
    pol = item.meeting.participations.get(delegation__code="POL").delegation
    services.floor_request_create(
        item=item, delegation=pol, kind="statement", user=users.get(username="focal-pol"),
        on_behalf_of="EU",
    )  # fmt: skip
    fra = item.meeting.participations.get(delegation__code="FRA").delegation
    services.floor_request_create(
        item=item, delegation=fra, kind="statement", user=users.get(username="focal-fra"),
        co_sponsors=["AUT"],
    )  # fmt: skip
    services.guest_put_on_list(
        item=item, name="Dr Ana Reyes", kind="statement", user=president, presence="remote"
    )
    speeches.speaker_call_next(item=item, user=president)
    return item


def pages_of(item) -> dict[str | None, list[str]]:
    meeting = f"/meetings/{SLUG}"
    return {
        None: [
            "/",
            f"{meeting}/",
            f"{meeting}/items/{item.pk}/",
            f"{meeting}/delegations/",
            f"{meeting}/statements/",
            f"{meeting}/record/",
            f"{meeting}/record/items/{item.pk}/",
            f"{meeting}/record/delegations/CHL/",
            f"{meeting}/room/",
            f"{meeting}/room/banner/",
            "/accounts/login/",
            "/no-such-page/",
        ],
        "focal-pol": [f"{meeting}/my-delegation/POL/", "/start/"],
        "president": [
            f"{meeting}/chair/items/{item.pk}/",
            f"{meeting}/interpreters/",
            f"{meeting}/record/statistics/",
            f"{meeting}/record/lap/",
        ],
        "interpreter": [f"{meeting}/interpreters/"],
        "secretariat": ["/start/"],
    }


ADMIN_PAGES = [
    "/admin/",
    "/admin/meetings/meeting/",
    "/admin/agenda/agendaitem/",
    "/admin/agenda/listevent/",
    "/admin/agenda/floorrequest/",
    "/admin/delegations/participation/",
    "/admin/delegations/group/",
]


def violations(
    browser, server, sign_in, username, paths, *, admin=False, language=None
) -> list[str]:
    found = []
    user = get_user_model().objects.get(username=username) if username else None
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        if language:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url}]
            )
        if user is not None:
            sign_in(context, user)
        page = context.new_page()
        for path in paths:
            page.goto(server.url + path)
            page.add_script_tag(path=str(AXE))
            for v in page.evaluate(RUN_AXE):
                if admin and v["impact"] not in ("critical", "serious"):
                    continue
                who = " ".join(filter(None, [username or "public", language]))
                found.append(
                    f"{who} {size} {path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}"
                )
        context.close()
    return found


@pytest.mark.parametrize("role", [None, "focal-pol", "president", "interpreter", "secretariat"])
def test_no_page_of_a_role_has_an_accessibility_violation(
    browser, server, sign_in_with_session, meeting_day, role
):
    paths = pages_of(meeting_day)[role]
    found = violations(browser, server, sign_in_with_session, role, paths)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
@pytest.mark.parametrize("role", [None, "focal-pol"])
def test_the_public_pages_and_my_delegation_have_no_violation_in_arabic_and_chinese(
    browser, server, sign_in_with_session, meeting_day, role, language
):
    """Issue 14: the same pages, right to left in Arabic and in Chinese: the language of each
    page and of each piece in another language (the language menu's names) is said."""
    paths = pages_of(meeting_day)[role]
    found = violations(browser, server, sign_in_with_session, role, paths, language=language)
    assert found == [], "\n".join(found)


def test_the_admin_pages_we_configure_have_nothing_critical_or_serious(
    browser, server, sign_in_with_session, meeting_day
):
    found = violations(
        browser, server, sign_in_with_session, "secretariat",
        [*ADMIN_PAGES, f"/admin/meetings/meeting/{meeting_day.meeting_id}/change/",
         f"/admin/agenda/agendaitem/{meeting_day.pk}/change/"],
        admin=True,
    )  # fmt: skip
    assert found == [], "\n".join(found)
