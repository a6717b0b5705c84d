"""The secretariat imports and exports delegation lists in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from delegations.models import Category, Delegate, Delegation, Participation
from delegations.state_names import state_names
from meetings.languages import column_suffix
from tests.factories import DelegationFactory, MeetingFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # positions in the admin's list of import formats


@pytest.fixture
def secretariat(client):
    client.force_login(
        UserFactory(username="secretariat", is_staff=True, is_superuser=True, password=None)
    )
    return client


@pytest.fixture
def meeting():
    return MeetingFactory(slug="ccm-2025")


def upload(client, url_name, content: bytes, name="delegations.csv", file_format=CSV):
    return client.post(
        reverse(url_name),
        {"import_file": SimpleUploadedFile(name, content), "format": file_format, "resource": "0"},
    )


def export_file(client, url_name, file_format, query=""):
    """Post the export form as the browser does: every column ticked, the list's filters in
    the query string."""
    url = reverse(url_name) + query
    form = client.get(url).context["form"]
    columns = {name: "on" for name in form.fields if name.startswith("delegat")}
    return client.post(url, {"format": file_format, "resource": "0", **columns})


def test_the_import_page_lists_the_columns(secretariat):
    response = secretariat.get(reverse("admin:delegations_delegation_import"))

    assert response.status_code == 200
    assert response.context["fields_list"] == [
        (
            "Delegations at a meeting (name, code or iso3, category)",
            [
                "name",
                "iso3 or code",
                "category",
                "kind (optional)",
                "meeting (optional)",
                "name_ar (optional)",
                "name_zh_hans (optional)",
                "name_fr (optional)",
                "name_ru (optional)",
                "name_es (optional)",
            ],
        )
    ]


def test_a_bad_file_shows_the_readable_problems_and_no_confirmation(secretariat, meeting):
    response = upload(
        secretariat,
        "admin:delegations_delegation_import",
        b"name,iso3,category\r\nChile,CHL,state_party\r\nFrance,FRA,state_partie\r\n",
    )

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    problem = (
        'Row 3, column "category": "state_partie" is not a category. Use one of: state_party, '
        "signatory_state, observer_state, international_organization, red_cross, cmc, ngo."
    )
    assert messages == ["Nothing was imported: the file has 1 problem.", problem]
    content = response.content.decode()
    assert escape(problem) in content
    assert "confirm_form" not in response.context
    assert 'name="confirm"' not in content
    assert Delegation.objects.count() == 0


def test_a_file_that_cannot_be_read_is_a_form_error(secretariat, meeting):
    response = upload(
        secretariat,
        "admin:delegations_delegation_import",
        "name,iso3,category\nCôte d'Ivoire,CIV,state_party\n".encode("cp1252"),
    )

    assert response.context["form"].errors == {
        "import_file": [
            "The file is not UTF-8 text (byte 21 cannot be read). In your spreadsheet "
            'program, save it as "CSV UTF-8".'
        ]
    }
    assert 'name="confirm"' not in response.content.decode()


def test_a_good_file_is_previewed_then_confirmed_and_imported(secretariat, meeting):
    content = (
        "\ufeffname,iso3,category\r\n"
        "Côte d'Ivoire,CIV,state_party\r\n"
        "Vanuatu,VUT,observer_state\r\n"
    )

    preview = upload(secretariat, "admin:delegations_delegation_import", content.encode())

    assert preview.status_code == 200
    assert 'name="confirm"' in preview.content.decode()
    assert Delegation.objects.count() == 0  # the preview is a dry run

    confirm = preview.context["confirm_form"]
    response = secretariat.post(
        reverse("admin:delegations_delegation_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("admin:delegations_delegation_changelist"), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Imported 2 delegations: 2 new, 0 updated, 0 unchanged."
    ]
    assert sorted(
        Participation.objects.values_list("delegation__name", "category", "meeting__slug")
    ) == [
        ("Côte d'Ivoire", "state_party", "ccm-2025"),
        ("Vanuatu", "observer_state", "ccm-2025"),
    ]


def test_a_confirmation_after_the_data_went_wrong_imports_nothing(secretariat, meeting):
    preview = upload(
        secretariat,
        "admin:delegations_delegate_import",
        b"delegation,name\nCHL,Ana P\xc3\xa9rez\n",
        name="delegates.csv",
    )
    assert 'name="confirm"' not in preview.content.decode()  # CHL is not on the list yet

    ParticipationFactory(meeting=meeting, delegation=DelegationFactory(code="CHL"))
    preview = upload(
        secretariat,
        "admin:delegations_delegate_import",
        b"delegation,name\nCHL,Ana P\xc3\xa9rez\n",
        name="delegates.csv",
    )
    confirm = preview.context["confirm_form"]
    Participation.objects.all().delete()  # someone removes Chile before the confirmation

    response = secretariat.post(
        reverse("admin:delegations_delegate_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("admin:delegations_delegate_import"), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was imported: the file has 1 problem.",
        'Row 2, column "delegation": "CHL" is not on the list of delegations of ccm-2025. '
        "Import it in the delegations list first.",
    ]
    assert Delegate.objects.count() == 0


def test_xlsx_export_from_the_admin_imports_again(secretariat, meeting):
    ParticipationFactory(
        meeting=meeting,
        # With its names in the six languages, as an import leaves a State (an import fills
        # the ones a State lacks, which would be an update).
        delegation=DelegationFactory(
            code="CIV",
            name="Côte d'Ivoire",
            **{f"name_{column_suffix(code)}": name for code, name in state_names("CIV").items()},
        ),
        category=Category.STATE_PARTY,
    )

    export = export_file(secretariat, "admin:delegations_participation_export", XLSX)

    assert export.status_code == 200
    assert export["Content-Disposition"].endswith('.xlsx"')
    preview = upload(
        secretariat,
        "admin:delegations_participation_import",
        export.content,
        name="delegations.xlsx",
        file_format=XLSX,
    )
    assert 'name="confirm"' in preview.content.decode()
    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]


def test_csv_export_of_delegations_has_one_row_per_meeting(secretariat, meeting):
    chile = DelegationFactory(code="CHL", name="Chile")
    ParticipationFactory(meeting=meeting, delegation=chile, category=Category.SIGNATORY_STATE)
    ParticipationFactory(meeting__slug="msp-2024", delegation=chile)

    export = export_file(secretariat, "admin:delegations_delegation_export", CSV)

    assert sorted(export.content.decode().splitlines()) == [
        "Chile,CHL,state,signatory_state,ccm-2025,,,,,",
        "Chile,CHL,state,state_party,msp-2024,,,,,",
        "name,code,kind,category,meeting,name_ar,name_zh_hans,name_fr,name_ru,name_es",
    ]


def test_the_list_filter_by_category_still_works(secretariat, meeting):
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(code="VUT", name="Vanuatu"),
        category=Category.OBSERVER_STATE,
    )
    ParticipationFactory(meeting=meeting, delegation=DelegationFactory(code="FRA", name="France"))

    response = secretariat.get(
        reverse("admin:delegations_delegation_changelist"),
        {"participations__category": Category.OBSERVER_STATE},
    )

    assert response.status_code == 200
    assert [d.code for d in response.context["cl"].result_list] == ["VUT"]


def test_delegations_autocomplete_still_searches_by_code(secretariat, meeting):
    DelegationFactory(code="VUT", name="Vanuatu")

    response = secretariat.get(
        reverse("admin:autocomplete"),
        {
            "term": "vut",
            "app_label": "delegations",
            "model_name": "participation",
            "field_name": "delegation",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Vanuatu"]


def test_the_export_of_participations_follows_the_list_filters(secretariat, meeting):
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(code="VUT", name="Vanuatu"),
        category=Category.OBSERVER_STATE,
    )
    ParticipationFactory(meeting=meeting, delegation=DelegationFactory(code="FRA", name="France"))

    export = export_file(
        secretariat,
        "admin:delegations_participation_export",
        CSV,
        query="?category__exact=observer_state",
    )

    assert export.content.decode().splitlines() == [
        "name,code,kind,category,meeting,name_ar,name_zh_hans,name_fr,name_ru,name_es",
        "Vanuatu,VUT,state,observer_state,ccm-2025,,,,,",
    ]
