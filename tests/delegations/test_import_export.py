"""Exports use the import's columns, so that an exported file (CSV or XLSX) imports again."""

import datetime
import io

import pytest
import tablib
from django.conf import settings
from django.core.management import call_command
from import_export.formats import base_formats

from delegations.imports import import_file
from delegations.models import Delegate, Delegation, Participation
from delegations.resources.delegates import DelegateResource
from delegations.resources.delegations import DelegationResource
from meetings.models import Meeting
from tests.factories import DelegateFactory, MeetingFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

STATES_FILE = settings.BASE_DIR / "delegations" / "data" / "states-2025-04.csv"


def snapshot():
    return sorted(
        Participation.objects.values_list(
            "meeting__slug", "delegation__code", "delegation__name", "delegation__kind", "category"
        )
    )


def test_the_delegations_export_has_the_import_columns():
    meeting = MeetingFactory(slug="ccm-2025")
    import_file("delegations", STATES_FILE.read_bytes(), file_name=STATES_FILE.name)

    dataset = DelegationResource().export()

    assert dataset.headers == [
        "name", "code", "kind", "category", "meeting",
        "name_ar", "name_zh_hans", "name_fr", "name_ru", "name_es",
    ]  # fmt: skip
    assert len(dataset) == 124
    assert dataset[0] == (
        "Afghanistan", "AFG", "state", "state_party", meeting.slug,
        "أفغانستان", "阿富汗", "Afghanistan", "Афганистан", "Afganistán",
    )  # fmt: skip


def test_xlsx_round_trip():
    MeetingFactory(slug="ccm-2025")
    import_file("delegations", STATES_FILE.read_bytes(), file_name=STATES_FILE.name)
    before = snapshot()
    xlsx = base_formats.XLSX().export_data(DelegationResource().export())

    again = import_file("delegations", xlsx, file_name="delegations.xlsx")

    assert again.summary() == "Imported 124 delegations: 0 new, 0 updated, 124 unchanged."

    Delegation.objects.all().delete()
    fresh = import_file("delegations", xlsx, file_name="delegations.xlsx")

    assert fresh.summary() == "Imported 124 delegations: 124 new, 0 updated, 0 unchanged."
    assert snapshot() == before


def test_csv_round_trip_of_delegates_across_meetings():
    earlier = MeetingFactory(
        slug="msp-2024",
        status=Meeting.Status.CLOSED,
        start_date=datetime.date(2024, 9, 16),
        end_date=datetime.date(2024, 9, 18),
    )
    current = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    chile = ParticipationFactory(meeting=current, delegation__code="CHL")
    ParticipationFactory(meeting=earlier, delegation=chile.delegation)
    DelegateFactory(
        participation=chile,
        name="Ana Pérez",
        title="H.E. Ambassador",
        role=Delegate.Role.HEAD,
        gender=Delegate.Gender.WOMAN,
        email="ana@example.org",
    )
    DelegateFactory(participation=earlier.participations.get(), name="Luis Soto")
    exported = base_formats.CSV().export_data(DelegateResource().export())

    assert exported.splitlines() == [
        "delegation,name,title,role,gender,email,meeting",
        "CHL,Ana Pérez,H.E. Ambassador,head,woman,ana@example.org,ccm-2025",
        "CHL,Luis Soto,,member,,,msp-2024",
    ]

    Delegate.objects.all().delete()
    report = import_file("delegates", exported.encode(), file_name="delegates.csv")

    assert report.summary() == "Imported 2 delegates: 2 new, 0 updated, 0 unchanged."
    assert sorted(
        Delegate.objects.values_list("participation__meeting__slug", "name", "role", "gender")
    ) == [("ccm-2025", "Ana Pérez", "head", "woman"), ("msp-2024", "Luis Soto", "member", "")]


def test_the_export_command_writes_a_file_that_imports_again():
    MeetingFactory(slug="ccm-2025")
    import_file(
        "delegations",
        "name,iso3,category\nCôte d'Ivoire,CIV,state_party\n".encode(),
        file_name="states.csv",
    )
    out = io.TextIOWrapper(io.BytesIO())

    call_command(
        "export", "XLSX", "delegations.resources.delegations.DelegationResource", stdout=out
    )

    out.flush()
    data = out.buffer.getvalue()
    assert tablib.Dataset().load(data, format="xlsx").dict == [
        {
            "name": "Côte d'Ivoire",
            "code": "CIV",
            "kind": "state",
            "category": "state_party",
            "meeting": "ccm-2025",
            "name_ar": "كوت ديفوار",
            "name_zh_hans": "科特迪瓦",
            "name_fr": "Côte d'Ivoire",
            "name_ru": "Кот-д'Ивуар",
            "name_es": "Côte d'Ivoire",
        }
    ]
    report = import_file("delegations", data, file_name="export.xlsx")
    assert report.summary() == "Imported 1 delegation: 0 new, 0 updated, 1 unchanged."
