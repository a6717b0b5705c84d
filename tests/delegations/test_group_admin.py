"""The secretariat keeps a meeting's groups and speakers without a delegation in the admin
(by hand or imported), and sees who spoke for whom in the list of speakers, read-only."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from agenda.models.requests import Presence
from agenda.speakers import services
from delegations.models import Category, Delegation, Group, Guest
from meetings.roles import SECRETARIAT_GROUP
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    GroupFactory,
    GuestFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import csv, spoken

pytestmark = pytest.mark.django_db

CSV = "0"  # the first of the admin's import formats


@pytest.fixture
def meeting():
    meeting = MeetingFactory(slug="ccm-2025", short_title="CCM 2025")
    for code, name, category in [
        ("ITA", "Italy", Category.STATE_PARTY),
        ("FRA", "France", Category.STATE_PARTY),
        ("CHL", "Chile", Category.STATE_PARTY),
        ("POL", "Poland", Category.OBSERVER_STATE),
    ]:
        ParticipationFactory(
            meeting=meeting, delegation=DelegationFactory(code=code, name=name), category=category
        )
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(
            code="EU", name="European Union", kind=Delegation.Kind.ORGANIZATION
        ),
        category=Category.INTERNATIONAL_ORGANIZATION,
    )
    DelegationFactory(code="USA", name="United States of America")  # not at the meeting
    return meeting


def delegation(code):
    return Delegation.objects.get(code=code)


@pytest.fixture
def eu(meeting):
    return GroupFactory(
        meeting=meeting,
        code="EU",
        name="European Union",
        delegation=delegation("EU"),
        members=[delegation("ITA"), delegation("FRA"), delegation("POL")],
    )


@pytest.fixture
def president(meeting):
    return GuestFactory(
        meeting=meeting,
        name="Ambassador Carlos D. Sorreta",
        title="President of the Thirteenth Meeting of States Parties",
    )


@pytest.fixture
def secretariat(client):
    """Signed in as the secretariat: staff, in the Secretariat group (as the demo makes it)."""
    user = UserFactory(username="secretariat", is_staff=True)
    group = AuthGroup.objects.create(name=SECRETARIAT_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["meetings", "delegations", "agenda", "auth"]
        )
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_errors(response) -> dict[str, list[str]]:
    errors = response.context["adminform"].form.errors
    return {field: list(messages) for field, messages in errors.items()}


def group_post(meeting, **values):
    return {
        "meeting": meeting.pk,
        "code": "GRULAC",
        "name_en": "Group of Latin American and Caribbean States",
        "delegation": "",
        "takes_precedence": "on",
        "members": [delegation("CHL").pk],
        **values,
    }


# --- the pages ---------------------------------------------------------------------------------


def pages(eu, president) -> list[str]:
    return [
        reverse("admin:delegations_group_changelist"),
        reverse("admin:delegations_group_add"),
        reverse("admin:delegations_group_change", args=[eu.pk]),
        reverse("admin:delegations_group_import"),
        reverse("admin:delegations_group_export"),
        reverse("admin:delegations_guest_changelist"),
        reverse("admin:delegations_guest_add"),
        reverse("admin:delegations_guest_change", args=[president.pk]),
        reverse("admin:delegations_guest_import"),
        reverse("admin:delegations_guest_export"),
    ]


def test_the_secretariat_opens_every_page_of_groups_and_guests(secretariat, eu, president):
    for url in pages(eu, president):
        assert secretariat.get(url).status_code == 200, url


def test_a_focal_point_is_sent_to_the_admins_sign_in(client, eu, president):
    client.force_login(FocalPointFactory(delegation=delegation("POL")).user)

    for url in pages(eu, president):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


def test_the_list_of_groups_shows_their_own_delegation_and_members(secretariat, eu):
    GroupFactory(meeting=eu.meeting, code="GRULAC", name="GRULAC", members=[delegation("CHL")])

    response = secretariat.get(reverse("admin:delegations_group_changelist"))

    rows = [
        (group.code, group.delegation and group.delegation.code, group.member_count)
        for group in response.context["cl"].result_list
    ]
    assert rows == [("EU", "EU", 3), ("GRULAC", None, 1)]


def test_the_list_of_groups_reads_the_same_number_of_queries_for_one_group_or_many(
    secretariat, meeting, django_assert_max_num_queries
):
    def count_queries():
        with django_assert_max_num_queries(1000) as captured:
            assert secretariat.get(reverse("admin:delegations_group_changelist")).status_code == 200
        return len(captured.captured_queries)

    GroupFactory(meeting=meeting, members=[delegation("ITA")])
    one = count_queries()
    for _ in range(5):
        GroupFactory(meeting=meeting, delegation=delegation("EU"), members=[delegation("FRA")])
    assert count_queries() == one


# --- the group form ----------------------------------------------------------------------------


def test_a_group_is_added_with_its_code_in_capitals(secretariat, meeting):
    response = secretariat.post(
        reverse("admin:delegations_group_add"),
        group_post(meeting, code=" grulac ", members=[delegation("CHL").pk]),
    )

    assert response.status_code == 302
    group = Group.objects.get()
    assert (group.code, group.takes_precedence) == ("GRULAC", True)
    assert list(group.members.values_list("code", flat=True)) == ["CHL"]


def test_a_member_that_does_not_take_part_is_refused_with_a_clear_message(secretariat, meeting):
    response = secretariat.post(
        reverse("admin:delegations_group_add"),
        group_post(meeting, members=[delegation("CHL").pk, delegation("USA").pk]),
    )

    assert response.status_code == 200
    message = "United States of America does not take part in CCM 2025: it cannot be a member."
    assert form_errors(response) == {"members": [message]}
    assert escape(message) in response.content.decode()
    assert not Group.objects.exists()


def test_an_own_delegation_that_does_not_take_part_is_refused(secretariat, meeting):
    response = secretariat.post(
        reverse("admin:delegations_group_add"),
        group_post(meeting, delegation=delegation("USA").pk),
    )

    assert form_errors(response) == {
        "delegation": ["United States of America does not take part in CCM 2025."]
    }
    assert not Group.objects.exists()


def test_a_code_already_used_at_the_meeting_is_refused(secretariat, eu):
    response = secretariat.post(
        reverse("admin:delegations_group_add"), group_post(eu.meeting, code="eu")
    )

    assert form_errors(response) == {
        "__all__": ["This meeting already has a group with this code."]
    }
    assert Group.objects.count() == 1


def test_a_group_is_changed(secretariat, eu):
    response = secretariat.post(
        reverse("admin:delegations_group_change", args=[eu.pk]),
        group_post(
            eu.meeting,
            code="EU",
            name="European Union",
            delegation=delegation("EU").pk,
            takes_precedence="",
            members=[delegation("ITA").pk, delegation("POL").pk],
        ),
    )

    assert response.status_code == 302
    eu.refresh_from_db()
    assert eu.takes_precedence is False
    assert sorted(eu.members.values_list("code", flat=True)) == ["ITA", "POL"]


# --- the guest form ----------------------------------------------------------------------------


def test_a_guest_is_added(secretariat, meeting):
    response = secretariat.post(
        reverse("admin:delegations_guest_add"),
        {
            "meeting": meeting.pk,
            "name": "Maria Keller",
            "title_en": "Director",
            "organisation_en": "Implementation Support Unit",
            "title_fr": "Directrice",
            "organisation_fr": "Unité d'appui à l'application",
        },
    )

    assert response.status_code == 302
    guest = Guest.objects.get()
    assert guest.description == "Director, Implementation Support Unit"
    with translation.override("fr"):
        assert guest.description == "Directrice, Unité d'appui à l'application"


def test_a_guest_already_at_the_meeting_in_another_case_is_refused(secretariat, president):
    response = secretariat.post(
        reverse("admin:delegations_guest_add"),
        {"meeting": president.meeting.pk, "name": "ambassador carlos d. sorreta"},
    )

    assert form_errors(response) == {
        "name": [
            "Ambassador Carlos D. Sorreta is already a speaker without a delegation at CCM 2025."
        ]
    }
    assert Guest.objects.count() == 1
    # Changing the guest's own name is fine.
    changed = secretariat.post(
        reverse("admin:delegations_guest_change", args=[president.pk]),
        {"meeting": president.meeting.pk, "name": "Ambassador Carlos D. SORRETA"},
    )
    assert changed.status_code == 302


# --- imports in the admin ----------------------------------------------------------------------


def upload(client, url_name, content: bytes, name="groups.csv"):
    return client.post(
        reverse(url_name),
        {"import_file": SimpleUploadedFile(name, content), "format": CSV, "resource": "0"},
    )


def test_the_group_import_page_lists_the_columns(secretariat):
    response = secretariat.get(reverse("admin:delegations_group_import"))

    assert response.context["fields_list"] == [
        (
            "Groups (code, name, delegation, takes precedence, members)",
            [
                "code",
                "name",
                "delegation (optional)",
                "takes_precedence (optional)",
                "members (optional)",
                "meeting (optional)",
                "name_ar (optional)",
                "name_zh_hans (optional)",
                "name_fr (optional)",
                "name_ru (optional)",
                "name_es (optional)",
            ],
        )
    ]


def test_a_bad_groups_file_shows_the_problems_and_imports_nothing(secretariat, meeting):
    response = upload(
        secretariat,
        "admin:delegations_group_import",
        csv("code,name,members", "EU,European Union,ITA USA", "EU,Again,"),
    )

    assert messages_of(response) == [
        "Nothing was imported: the file has 2 problems.",
        'Row 2, column "members": "USA" is not on the list of delegations of ccm-2025. Import '
        "it in the delegations list first.",
        'Row 3, column "code": "EU" is also on row 2. List each group once per meeting.',
    ]
    assert 'name="confirm"' not in response.content.decode()
    assert not Group.objects.exists()


def test_a_groups_file_is_previewed_then_imported(secretariat, meeting):
    preview = upload(
        secretariat,
        "admin:delegations_group_import",
        csv("code,name,delegation,members", "EU,European Union,EU,ITA FRA POL"),
    )
    assert preview.status_code == 200
    assert not Group.objects.exists()

    form = preview.context["confirm_form"]
    done = secretariat.post(
        reverse("admin:delegations_group_process_import"),
        {**form.initial, "resource": "0"},
        follow=True,
    )

    assert messages_of(done) == ["Imported 1 group: 1 new, 0 updated, 0 unchanged."]
    group = Group.objects.get()
    assert (group.code, group.delegation.code) == ("EU", "EU")
    assert sorted(group.members.values_list("code", flat=True)) == ["FRA", "ITA", "POL"]


def export_file(client, url_name, prefix):
    """Post the export form as the browser does: CSV, every column ticked."""
    url = reverse(url_name)
    form = client.get(url).context["form"]
    columns = {name: "on" for name in form.fields if name.startswith(prefix)}
    return client.post(url, {"format": CSV, "resource": "0", **columns})


def test_the_groups_and_guests_exports_import_again(secretariat, eu, president):
    groups = export_file(secretariat, "admin:delegations_group_export", "groupresource_")
    guests = export_file(secretariat, "admin:delegations_guest_export", "guestresource_")

    assert groups.content.decode().splitlines() == [
        "code,name,delegation,takes_precedence,members,meeting,name_ar,name_zh_hans,name_fr,"
        "name_ru,name_es",
        "EU,European Union,EU,yes,FRA ITA POL,ccm-2025,,,,,",
    ]
    assert guests.content.decode().splitlines() == [
        "name,title,organisation,meeting",
        "Ambassador Carlos D. Sorreta,President of the Thirteenth Meeting of States Parties,,"
        "ccm-2025",
    ]
    for url_name, export in [
        ("admin:delegations_group_import", groups),
        ("admin:delegations_guest_import", guests),
    ]:
        preview = upload(secretariat, url_name, export.content)
        assert [row.import_type for row in preview.context["result"].rows] == ["skip"]


def test_a_guests_file_with_a_nul_character_imports_nothing(secretariat, meeting):
    response = upload(
        secretariat,
        "admin:delegations_guest_import",
        csv("name,title", "Maria\x00Keller,Director"),
        name="guests.csv",
    )

    assert messages_of(response) == [
        "Nothing was imported: the file has 1 problem.",
        'Row 2, column "name": The cell holds a character that cannot be stored (a NUL '
        "character). Type the value again without it.",
    ]
    assert not Guest.objects.exists()


# --- the list of speakers, read-only -------------------------------------------------------------


@pytest.fixture
def entries(meeting, eu, president):
    """On item 2(c): Poland for the EU (waiting), Chile's joint statement with Italy and
    France (delivered), the President (remote, put on the list by the chair)."""
    item = AgendaItemFactory(meeting=meeting, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    for_eu = services.floor_request_create(
        item=item,
        delegation=delegation("POL"),
        kind="statement",
        user=FocalPointFactory(delegation=delegation("POL")).user,
        on_behalf_of="EU",
    )
    joint = spoken(item, delegation("CHL"), minute=0, seconds=90)
    joint.co_sponsors.set([delegation("ITA"), delegation("FRA")])
    guest = services.guest_put_on_list(
        item=item, name=president.name, kind="statement", user=chair, presence=Presence.REMOTE
    )
    return for_eu, joint, guest


def test_the_list_of_speakers_shows_who_speaks_for_whom(secretariat, entries):
    response = secretariat.get(reverse("admin:agenda_floorrequest_changelist") + "?o=1")

    cl = response.context["cl"]
    admin = cl.model_admin
    rows = [
        (
            admin.speaker(entry),
            str(entry.on_behalf_of or ""),
            admin.co_sponsor_codes(entry),
            entry.presence,
            entry.added_by_chair,
        )
        for entry in cl.result_list
    ]
    assert sorted(rows) == [
        ("Ambassador Carlos D. Sorreta", "", "", "remote", True),
        ("Chile", "", "FRA ITA", "room", False),
        ("Poland", "European Union", "", "room", False),
    ]
    content = response.content.decode()
    for header in ("speaker", "on behalf of", "co-sponsors", "presence", "added by the chair"):
        assert header in content.lower(), header


def test_the_list_of_speakers_is_filtered_by_group_and_presence(secretariat, entries, eu):
    url = reverse("admin:agenda_floorrequest_changelist")

    by_group = secretariat.get(url, {"on_behalf_of__id__exact": eu.pk})
    remote = secretariat.get(url, {"presence__exact": "remote"})

    assert [e.pk for e in by_group.context["cl"].result_list] == [entries[0].pk]
    assert [e.pk for e in remote.context["cl"].result_list] == [entries[2].pk]


def test_the_list_of_speakers_reads_the_same_number_of_queries_for_one_entry_or_many(
    secretariat, entries, django_assert_max_num_queries
):
    url = reverse("admin:agenda_floorrequest_changelist")

    def count_queries():
        with django_assert_max_num_queries(1000) as captured:
            assert secretariat.get(url).status_code == 200
        return len(captured.captured_queries)

    before = count_queries()
    for_eu, joint, _guest = entries
    for minute in range(1, 6):
        more = spoken(joint.item, delegation("ITA"), minute=minute, seconds=60)
        more.co_sponsors.set([delegation("FRA"), delegation("CHL")])
        more.on_behalf_of = for_eu.on_behalf_of
        more.save()
    assert count_queries() == before


def test_an_entry_is_shown_read_only_and_a_delivered_one_offers_only_the_record(
    secretariat, entries
):
    for_eu, joint, guest = entries

    for entry in (for_eu, guest):
        response = secretariat.get(reverse("admin:agenda_floorrequest_change", args=[entry.pk]))
        content = response.content.decode()
        assert response.status_code == 200
        assert 'name="on_behalf_of"' not in content
        assert 'name="presence"' not in content
        assert 'name="reason"' not in content
    assert (
        "European Union"
        in secretariat.get(
            reverse("admin:agenda_floorrequest_change", args=[for_eu.pk])
        ).content.decode()
    )

    delivered = secretariat.get(reverse("admin:agenda_floorrequest_change", args=[joint.pk]))
    content = delivered.content.decode()
    assert 'name="reason"' in content
    assert 'name="co_sponsors"' not in content
    assert 'name="presence"' not in content
    assert "FRA ITA" in content
    assert secretariat.get(reverse("admin:agenda_floorrequest_add")).status_code == 403
