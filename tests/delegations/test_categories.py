"""The categories of participant are data (issue 10, finding 10): the secretariat manages them
in the admin, a participation's category is one of them, and the table is read once per
request."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.categories import RequestCacheMiddleware, request_cache
from delegations.models import ParticipantCategory, Participation
from tests.factories import DelegationFactory, MeetingFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(username="secretariat", is_staff=True, is_superuser=True))
    return client


def test_a_participation_in_an_unknown_category_is_refused_naming_the_known_ones():
    participation = ParticipationFactory.build(
        meeting=MeetingFactory(), delegation=DelegationFactory(), category="party"
    )

    with pytest.raises(ValidationError) as error:
        participation.full_clean()

    assert error.value.message_dict == {
        "category": [
            "“party” is not a category. Known categories: state_party, signatory_state, "
            "observer_state, international_organization, red_cross, cmc, ngo."
        ]
    }


def test_a_participation_in_an_added_category_is_valid_and_shows_its_name():
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)
    participation = ParticipationFactory(category="gichd")

    participation.full_clean()

    assert participation.get_category_display() == "GICHD"
    assert str(participation).endswith("(GICHD)")


def test_the_secretariat_adds_a_category_in_the_admin(secretariat):
    response = secretariat.post(
        reverse("admin:delegations_participantcategory_add"),
        {
            "code": "gichd",
            "name": "GICHD",
            "plural_name": "Geneva International Centre for Humanitarian Demining",
            "rank": "55",
        },
    )

    assert response.status_code == 302
    assert ParticipantCategory.table().order == (
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "gichd", "cmc", "ngo",
    )  # fmt: skip
    assert not ParticipantCategory.table().is_state("gichd")


def test_a_rank_already_taken_or_a_code_with_capitals_is_refused(secretariat):
    response = secretariat.post(
        reverse("admin:delegations_participantcategory_add"),
        {"code": "GICHD", "name": "GICHD", "rank": "50"},
    )

    errors = response.context["adminform"].form.errors
    assert errors["rank"] == ["Category of participant with this Rank already exists."]
    assert errors["code"] == [
        "Use lower-case letters, digits and underscores, starting with a letter, e.g. gichd."
    ]


def test_a_categorys_code_is_kept_and_one_in_use_is_not_deleted(secretariat):
    in_use = ParticipantCategory.objects.get(code="observer_state")
    ParticipationFactory(category="observer_state")
    unused = ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)

    form = secretariat.get(
        reverse("admin:delegations_participantcategory_change", args=[in_use.pk])
    ).context["adminform"]
    assert "code" not in form.form.fields
    response = secretariat.post(
        reverse("admin:delegations_participantcategory_delete", args=[in_use.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ParticipantCategory.objects.filter(code="observer_state").exists()

    secretariat.post(
        reverse("admin:delegations_participantcategory_delete", args=[unused.pk]), {"post": "yes"}
    )
    assert not ParticipantCategory.objects.filter(code="gichd").exists()


def test_the_participations_list_filters_by_the_tables_names(secretariat):
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)
    ParticipationFactory(delegation=DelegationFactory(code="GICHD"), category="gichd")
    ParticipationFactory(delegation=DelegationFactory(code="CHL"))

    response = secretariat.get(
        reverse("admin:delegations_participation_changelist"), {"category__exact": "gichd"}
    )

    assert [p.delegation.code for p in response.context["cl"].result_list] == ["GICHD"]
    [category_filter] = [
        spec for spec in response.context["cl"].filter_specs if spec.title == "category"
    ]
    assert "GICHD" in [
        choice["display"] for choice in category_filter.choices(response.context["cl"])
    ]


def test_the_table_is_read_once_per_request_and_each_time_outside_one():
    def reads(block) -> int:
        with CaptureQueriesContext(connection) as queries:
            block()
        return len(queries.captured_queries)

    def three_times():
        for _ in range(3):
            ParticipantCategory.table()

    assert reads(three_times) == 3
    with request_cache():
        assert reads(three_times) == 1
        ParticipantCategory.objects.filter(code="cmc").update(rank=45)
        assert ParticipantCategory.table().rank("cmc") == 60  # as read for this request
    assert ParticipantCategory.table().rank("cmc") == 45


def test_the_shipped_categories_are_in_the_table_with_their_headings():
    assert list(
        ParticipantCategory.objects.values_list("code", "plural_name", "rank", "state")
    ) == [
        ("state_party", "States Parties", 10, True),
        ("signatory_state", "Signatory States", 20, True),
        ("observer_state", "Observer States", 30, True),
        ("international_organization", "International organizations", 40, False),
        ("red_cross", "Red Cross and Red Crescent", 50, False),
        ("cmc", "Cluster Munition Coalition", 60, False),
        ("ngo", "Non-governmental organizations", 70, False),
    ]
    assert Participation._meta.get_field("category").choices is None


def test_the_secretariat_adds_a_participation_in_an_added_category(secretariat):
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)
    meeting, gichd = MeetingFactory(), DelegationFactory(code="GICHD", kind="organization")

    response = secretariat.post(
        reverse("admin:delegations_participation_add"),
        {
            "meeting": meeting.pk,
            "delegation": gichd.pk,
            "category": "gichd",
            "delegates-TOTAL_FORMS": "0",
            "delegates-INITIAL_FORMS": "0",
            "delegates-MIN_NUM_FORMS": "0",
            "delegates-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    assert Participation.objects.get(delegation=gichd).category == "gichd"


def test_saving_a_delegations_page_keeps_its_participations_categories(secretariat):
    participation = ParticipationFactory(category="observer_state")
    delegation = participation.delegation

    response = secretariat.post(
        reverse("admin:delegations_delegation_change", args=[delegation.pk]),
        {
            "code": delegation.code,
            "name_en": "Renamed",
            "kind": delegation.kind,
            "participations-TOTAL_FORMS": "1",
            "participations-INITIAL_FORMS": "1",
            "participations-MIN_NUM_FORMS": "0",
            "participations-MAX_NUM_FORMS": "1000",
            "participations-0-id": participation.pk,
            "participations-0-delegation": delegation.pk,
            "participations-0-meeting": participation.meeting.pk,
            "participations-0-category": "state_party",  # a disabled field: not taken
        },
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.delegation.name, participation.category) == ("Renamed", "observer_state")


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_shipped_categories_again():
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)
    call_command("flush", interactive=False, verbosity=0)

    assert ParticipantCategory.table().order == (
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "cmc", "ngo",
    )  # fmt: skip


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_request_reads_the_table_once_served_sync_or_async(mode):
    def read_thrice(request):
        return HttpResponse(" ".join(ParticipantCategory.table().label("cmc") for _ in range(3)))

    async def read_thrice_async(request):
        return await sync_to_async(read_thrice)(request)

    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        if mode == "sync":
            response = RequestCacheMiddleware(read_thrice)(request)
        else:
            response = async_to_sync(RequestCacheMiddleware(read_thrice_async))(request)

    assert response.content.decode().count("Cluster Munition Coalition") == 3
    assert len(queries.captured_queries) == 1
