"""`manage.py import`: ours, not django-import-export's; readable problems, exit code 1."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from delegations.models import Delegate, Delegation, Participation
from tests.factories import MeetingFactory, ParticipationFactory

STATES_FILE = settings.BASE_DIR / "delegations" / "data" / "states-2025-04.csv"


def run(*args):
    """Run the command; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err, no_color=True)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_our_import_command_takes_precedence_over_the_librarys():
    assert get_commands()["import"] == "delegations"


@pytest.mark.django_db
def test_import_of_the_shipped_states_file():
    MeetingFactory()

    code, out, err = run("delegations", str(STATES_FILE))

    assert (code, out, err) == (
        0,
        "Imported 124 delegations: 124 new, 0 updated, 0 unchanged.\n",
        "",
    )
    assert Participation.objects.count() == 124


@pytest.mark.django_db
def test_noinput_is_accepted_and_a_second_run_changes_nothing():
    MeetingFactory()
    run("delegations", str(STATES_FILE))

    code, out, _ = run("delegations", str(STATES_FILE), "--noinput")

    assert (code, out) == (0, "Imported 124 delegations: 0 new, 0 updated, 124 unchanged.\n")
    assert Participation.objects.count() == 124


@pytest.mark.django_db
def test_a_bad_file_prints_one_line_per_problem_exits_1_and_imports_nothing(tmp_path):
    MeetingFactory()
    path = tmp_path / "states.csv"
    path.write_bytes(
        b"\xef\xbb\xbfname,iso3,category\r\n"
        b"Chile,CHL,state_party\r\n"
        b"France,FRAN,state_partie\r\n"
        b"Chile,CHL,signatory_state\r\n"
    )

    code, out, err = run("delegations", str(path))

    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        'Row 3, column "iso3": "FRAN" is not a State code. A State\'s code is its ISO 3166 '
        "alpha-3 code: three capital letters.",
        'Row 3, column "category": "state_partie" is not a category. Use one of: state_party, '
        "signatory_state, observer_state, international_organization, red_cross, cmc, ngo.",
        'Row 4, column "iso3": "CHL" is also on row 2. List each delegation once per meeting.',
        "Nothing was imported: the file has 3 problems.",
    ]
    assert Delegation.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    MeetingFactory()

    code, out, err = run("delegations", str(STATES_FILE), "--dry-run")

    assert (code, err) == (0, "")
    assert out == (
        "The file is correct: it would import 124 delegations: 124 new, 0 updated, "
        "0 unchanged. Nothing was written (dry run).\n"
    )
    assert Delegation.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_of_a_bad_file_exits_1(tmp_path):
    MeetingFactory()
    path = tmp_path / "delegates.csv"
    path.write_text("delegation,name\nXYZ,Ana Pérez\n", encoding="utf-8")

    code, out, err = run("delegates", str(path), "--dry-run")

    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'Row 2, column "delegation": "XYZ" is not a delegation code. Import the delegations '
        "first, or correct the code.",
        "Nothing was imported: the file has 1 problem.",
    ]


@pytest.mark.django_db
def test_delegates_into_the_meeting_given_on_the_command_line(tmp_path):
    MeetingFactory(slug="ccm-2025")
    demo = ParticipationFactory(meeting__slug="demo", delegation__code="CHL").meeting
    path = tmp_path / "delegates.txt"
    path.write_text("delegation,name,role\nCHL,Ana Pérez,head of DELEGATION\n", encoding="utf-8")

    code, out, _ = run("delegates", str(path), "--format", "CSV", "--meeting", "demo")

    assert (code, out) == (0, "Imported 1 delegate: 1 new, 0 updated, 0 unchanged.\n")
    assert Delegate.objects.get().participation.meeting == demo


@pytest.mark.django_db
def test_an_unreadable_file_is_a_problem_in_plain_words(tmp_path):
    MeetingFactory()
    path = tmp_path / "states.csv"
    path.write_bytes("name,iso3,category\nCôte d'Ivoire,CIV,state_party\n".encode("cp1252"))

    code, _, err = run("delegations", str(path))

    assert code == 1
    assert err.splitlines() == [
        "The file is not UTF-8 text (byte 21 cannot be read). In your spreadsheet program, "
        'save it as "CSV UTF-8".',
        "Nothing was imported: the file has 1 problem.",
    ]


@pytest.mark.django_db
def test_usage_errors(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("auth.User", str(STATES_FILE))
    assert str(raised.value) == (
        '"auth.User" is not a list that can be imported. Use one of: delegations, delegates, '
        "groups, guests."
    )

    with pytest.raises(CommandError) as raised:
        run("delegations", str(tmp_path / "missing.csv"))
    assert str(raised.value) == f"Cannot read {tmp_path / 'missing.csv'}: No such file or directory"

    with pytest.raises(CommandError) as raised:
        run("delegations", str(STATES_FILE), "--meeting", "nowhere")
    assert str(raised.value) == '"nowhere" is not a meeting.'
