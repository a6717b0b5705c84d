"""Importing a meeting's groups and its speakers without a delegation: from CSV or XLSX, by
the `import` command or `import_file`, all rows or none, each bad cell named."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from delegations.imports import import_file
from delegations.models import Category, Delegation, Group, Guest
from delegations.resources.groups import GroupResource
from delegations.resources.guests import GuestResource
from meetings.models import Meeting
from tests.factories import (
    DelegationFactory,
    GroupFactory,
    GuestFactory,
    MeetingFactory,
    ParticipationFactory,
)
from tests.helpers import csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    for code, name in [("ITA", "Italy"), ("FRA", "France"), ("AUT", "Austria"), ("CHL", "Chile")]:
        ParticipationFactory(meeting=meeting, delegation=DelegationFactory(code=code, name=name))
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(code="POL", name="Poland"),
        category=Category.OBSERVER_STATE,
    )
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(
            code="EU", name="European Union", kind=Delegation.Kind.ORGANIZATION
        ),
        category=Category.INTERNATIONAL_ORGANIZATION,
    )
    # A delegation that does not take part in this meeting.
    DelegationFactory(code="USA", name="United States of America")
    return meeting


def groups():
    """Every group: code, name, own delegation, precedence, members' codes."""
    return [
        (
            group.meeting.slug,
            group.code,
            group.name,
            group.delegation.code if group.delegation else None,
            group.takes_precedence,
            sorted(d.code for d in group.members.all()),
        )
        for group in Group.objects.order_by("meeting__slug", "code")
    ]


def guests():
    return sorted(Guest.objects.values_list("meeting__slug", "name", "title", "organisation"))


def import_groups(data: bytes, **kwargs):
    return import_file("groups", data, file_name="groups.csv", **kwargs)


def import_guests(data: bytes, **kwargs):
    return import_file("guests", data, file_name="guests.csv", **kwargs)


def xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def run(*args):
    """The `import` command: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err, no_color=True)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- groups ------------------------------------------------------------------------------------


def test_groups_are_created_with_their_members_and_own_delegation(meeting):
    report = import_groups(
        csv(
            "code,name,delegation,takes_precedence,members",
            'eu,European Union,eu,yes,"ITA, fra AUT;POL"',
            "GRULAC,Group of Latin American and Caribbean States,,No,CHL",
            "LMG,Like-minded group,,,",
        )
    )

    assert report.errors == []
    assert report.summary() == "Imported 3 groups: 3 new, 0 updated, 0 unchanged."
    assert groups() == [
        ("ccm-2025", "EU", "European Union", "EU", True, ["AUT", "FRA", "ITA", "POL"]),
        ("ccm-2025", "GRULAC", "Group of Latin American and Caribbean States", None, False,
         ["CHL"]),
        ("ccm-2025", "LMG", "Like-minded group", None, True, []),
    ]  # fmt: skip


def test_a_group_is_updated_by_its_code_and_a_missing_column_leaves_it_as_it_is(meeting):
    eu = Delegation.objects.get(code="EU")
    group = GroupFactory(
        meeting=meeting,
        code="EU",
        name="EU",
        delegation=eu,
        takes_precedence=False,
        members=[Delegation.objects.get(code="ITA")],
    )

    same = import_groups(csv("code,name,delegation,takes_precedence,members", "EU,EU,EU,no,ITA"))
    assert same.summary() == "Imported 1 group: 0 new, 0 updated, 1 unchanged."

    members = import_groups(csv("code,name,members", "EU,EU,ITA FRA"))
    assert members.summary() == "Imported 1 group: 0 new, 1 updated, 0 unchanged."

    named = import_groups(csv("code,name", "eu,European Union"))
    assert named.summary() == "Imported 1 group: 0 new, 1 updated, 0 unchanged."
    assert groups() == [("ccm-2025", "EU", "European Union", "EU", False, ["FRA", "ITA"])]
    assert Group.objects.get().pk == group.pk


def test_a_dry_run_checks_and_writes_nothing(meeting):
    report = import_groups(csv("code,name,members", "EU,European Union,ITA FRA"), dry_run=True)

    assert report.summary() == (
        "The file is correct: it would import 1 group: 1 new, 0 updated, 0 unchanged. "
        "Nothing was written (dry run)."
    )
    assert groups() == []


def test_every_bad_cell_is_named_and_nothing_is_imported(meeting):
    GroupFactory(meeting=meeting, code="EU", name="European Union", members=[])
    before = groups()

    report = import_groups(
        csv(
            "code,name,delegation,takes_precedence,members",
            "EU,The European Union,EU,yes,ITA FRA",
            "GRULAC,Latin American Group,,maybe,CHL XYZ",
            "AG,African Group,USA,,USA",
            "eu,European Union again,,,",
            "E U,Spaced,,,",
            f"{'C' * 21},{'N' * 201},,,",
            "ARAB,Arab\x00Group,,,",
        )
    )

    assert report.errors == [
        'Row 3, column "takes_precedence": "maybe" is not yes or no. Write yes or no (empty: yes).',
        'Row 3, column "members": "XYZ" is not a delegation code. Import the delegations first, '
        "or correct the code.",
        'Row 4, column "delegation": "USA" is not on the list of delegations of ccm-2025. '
        "Import it in the delegations list first.",
        'Row 4, column "members": "USA" is not on the list of delegations of ccm-2025. Import '
        "it in the delegations list first.",
        'Row 5, column "code": "EU" is also on row 2. List each group once per meeting.',
        'Row 6, column "code": "E U" is not a valid code. Use capital letters, digits and '
        "hyphens, e.g. EU, AG or GRULAC.",
        'Row 7, column "code": "CCCCCCCCCCCCCCCCCCCCC" is 21 characters long; at most 20 are '
        "allowed.",
        f'Row 7, column "name": "{"N" * 39}…" is 201 characters long; at most 200 are allowed.',
        'Row 8, column "name": The cell holds a character that cannot be stored (a NUL '
        "character). Type the value again without it.",
    ]
    assert report.summary() == "Nothing was imported: the file has 9 problems."
    assert groups() == before


def test_the_columns_code_and_name_are_required(meeting):
    report = import_groups(csv("code,members", "EU,ITA"))

    assert report.errors == [
        'The file has no "name" column. It needs the columns: code, name.',
    ]


def test_groups_from_an_xlsx_file(meeting):
    report = import_file(
        "groups",
        xlsx(
            ["code", "name", "delegation", "takes_precedence", "members"],
            ["EU", "European Union", "EU", "yes", "ITA FRA"],
            [None, None, None, None, None],
            ["GRULAC", "GRULAC", None, "maybe", "CHL"],
        ),
        file_name="groups.xlsx",
    )

    assert report.errors == [
        'Row 4, column "takes_precedence": "maybe" is not yes or no. Write yes or no (empty: yes).',
    ]
    assert groups() == []

    report = import_file(
        "groups",
        xlsx(
            ["code", "name", "delegation", "takes_precedence", "members"],
            ["EU", "European Union", "EU", "yes", "ITA FRA"],
            ["GRULAC", "GRULAC", None, "no", "CHL"],
        ),
        file_name="groups.xlsx",
    )

    assert report.summary() == "Imported 2 groups: 2 new, 0 updated, 0 unchanged."
    assert groups() == [
        ("ccm-2025", "EU", "European Union", "EU", True, ["FRA", "ITA"]),
        ("ccm-2025", "GRULAC", "GRULAC", None, False, ["CHL"]),
    ]


def test_the_groups_export_imports_again_unchanged(meeting):
    import_groups(
        csv(
            "code,name,delegation,takes_precedence,members",
            "EU,European Union,EU,yes,ITA FRA POL",
            "GRULAC,GRULAC,,no,CHL",
        )
    )

    dataset = GroupResource().export()

    assert dataset.headers == ["code", "name", "delegation", "takes_precedence", "members",
                               "meeting", "name_ar", "name_zh_hans", "name_fr", "name_ru",
                               "name_es"]  # fmt: skip
    assert list(dataset) == [
        ("EU", "European Union", "EU", "yes", "FRA ITA POL", "ccm-2025", "", "", "", "", ""),
        ("GRULAC", "GRULAC", "", "no", "CHL", "ccm-2025", "", "", "", "", ""),
    ]
    again = import_groups(dataset.export("csv").encode())
    assert again.summary() == "Imported 2 groups: 0 new, 0 updated, 2 unchanged."


def test_the_import_command_for_groups(meeting, tmp_path):
    good = tmp_path / "groups.csv"
    good.write_bytes(csv("code,name,members", "EU,European Union,ITA FRA"))
    bad = tmp_path / "groups.xlsx"
    bad.write_bytes(xlsx(["code", "name", "members"], ["GRULAC", "GRULAC", "CHL XYZ"]))

    assert run("groups", str(bad)) == (
        1,
        "",
        'Row 2, column "members": "XYZ" is not a delegation code. Import the delegations '
        "first, or correct the code.\nNothing was imported: the file has 1 problem.\n",
    )
    assert groups() == []
    assert run("groups", str(good)) == (
        0,
        "Imported 1 group: 1 new, 0 updated, 0 unchanged.\n",
        "",
    )
    assert groups() == [("ccm-2025", "EU", "European Union", None, True, ["FRA", "ITA"])]


# --- speakers without a delegation -----------------------------------------------------------


def test_guests_are_created_and_updated_by_name_in_any_case(meeting):
    GuestFactory(meeting=meeting, name="Dr Ana Reyes", title="Panellist")

    report = import_guests(
        csv(
            "name,title,organisation",
            "Ambassador Carlos D. Sorreta,President of the Thirteenth Meeting of States Parties,",
            "dr ana reyes,Panellist,Survivor network",
        )
    )

    assert report.summary() == (
        "Imported 2 speakers without a delegation: 1 new, 1 updated, 0 unchanged."
    )
    assert guests() == [
        ("ccm-2025", "Ambassador Carlos D. Sorreta",
         "President of the Thirteenth Meeting of States Parties", ""),
        ("ccm-2025", "dr ana reyes", "Panellist", "Survivor network"),
    ]  # fmt: skip
    again = import_guests(csv("name,title", "Ambassador Carlos D. Sorreta,"))
    assert again.summary() == (
        "Imported 1 speaker without a delegation: 0 new, 1 updated, 0 unchanged."
    )
    assert guests()[0] == ("ccm-2025", "Ambassador Carlos D. Sorreta", "", "")


def test_every_bad_guest_cell_is_named_and_nothing_is_imported(meeting):
    GuestFactory(meeting=meeting, name="Dr Ana Reyes", title="Panellist")
    before = guests()

    report = import_guests(
        csv(
            "name,title,organisation,meeting",
            "Dr Ana Reyes,Moderator,,",
            ",Director,Implementation Support Unit,",
            f"Someone,{'T' * 201},,",
            "DR ANA REYES,,,",
            "Maria Keller,Director,Implementation\x00Support Unit,",
            "Jan Nowak,,,msp-2052",
        )
    )

    assert report.errors == [
        'Row 3, column "name": The cell is empty; every row needs a value here.',
        f'Row 4, column "title": "{"T" * 39}…" is 201 characters long; at most 200 are allowed.',
        'Row 5, column "name": DR ANA REYES is also on row 2. List each person once per meeting.',
        'Row 6, column "organisation": The cell holds a character that cannot be stored (a NUL '
        "character). Type the value again without it.",
        'Row 7, column "meeting": "msp-2052" is not a meeting. Use the slug of one of: ccm-2025.',
    ]
    assert guests() == before


def test_the_import_command_for_guests(meeting, tmp_path):
    path = tmp_path / "guests.xlsx"
    path.write_bytes(
        xlsx(
            ["name", "title", "organisation"],
            ["Maria Keller", "Director", "Implementation Support Unit"],
        )
    )

    assert run("guests", str(path), "--dry-run")[0] == 0
    assert guests() == []
    assert run("guests", str(path)) == (
        0,
        "Imported 1 speaker without a delegation: 1 new, 0 updated, 0 unchanged.\n",
        "",
    )
    assert guests() == [
        ("ccm-2025", "Maria Keller", "Director", "Implementation Support Unit"),
    ]


def test_the_guests_export_imports_again_unchanged(meeting):
    GuestFactory(meeting=meeting, name="Maria Keller", title="Director", organisation="ISU")

    dataset = GuestResource().export()

    assert dataset.headers == ["name", "title", "organisation", "meeting"]
    assert list(dataset) == [("Maria Keller", "Director", "ISU", "ccm-2025")]
    again = import_guests(dataset.export("csv").encode())
    assert again.summary() == (
        "Imported 1 speaker without a delegation: 0 new, 0 updated, 1 unchanged."
    )


def test_a_guest_the_meeting_has_in_two_cases_is_updated_as_spelt(meeting):
    GuestFactory(meeting=meeting, name="dr ana reyes")
    GuestFactory(meeting=meeting, name="Dr Ana Reyes")

    report = import_guests(csv("name,title", "Dr Ana Reyes,Panellist"))

    assert report.summary() == (
        "Imported 1 speaker without a delegation: 0 new, 1 updated, 0 unchanged."
    )
    assert guests() == [
        ("ccm-2025", "Dr Ana Reyes", "Panellist", ""),
        ("ccm-2025", "dr ana reyes", "", ""),
    ]
