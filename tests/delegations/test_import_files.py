"""Reading delegation-list files (no database): encodings, line ends, blank rows, XLSX."""

import io

import openpyxl
import pytest

from delegations.imports import (
    ImportFileError,
    file_format,
    read_csv,
    read_dataset,
    read_xlsx,
    resource_class,
)
from delegations.models import Category
from delegations.problems import choice_value
from delegations.resources.base import cell_text, column_letter
from delegations.resources.delegates import DelegateResource
from delegations.resources.delegations import DelegationResource


def test_utf8_with_bom_crlf_and_accents():
    data = "name,iso3,category\r\nCôte d'Ivoire,CIV,state_party\r\nTürkiye,TUR,observer_state\r\n"
    dataset = read_csv(b"\xef\xbb\xbf" + data.encode())

    assert dataset.headers == ["name", "iso3", "category"]
    assert [list(row) for row in dataset] == [
        ["Côte d'Ivoire", "CIV", "state_party"],
        ["Türkiye", "TUR", "observer_state"],
    ]


def test_utf8_without_bom_and_a_quoted_comma():
    data = b'name,iso3,category\n"Korea, Republic of",KOR,observer_state\n'

    assert list(read_csv(data)[0]) == ["Korea, Republic of", "KOR", "observer_state"]


def test_semicolons_are_read_when_the_header_has_no_comma():
    data = b"name;iso3;category\nFrance;FRA;state_party\n"

    assert list(read_csv(data)[0]) == ["France", "FRA", "state_party"]


def test_blank_rows_are_kept_so_that_row_numbers_stay_those_of_the_spreadsheet():
    dataset = read_csv(b"name,iso3,category\nFrance,FRA,state_party\n\nChile,CHL,state_party\n")

    assert [list(row) for row in dataset] == [
        ["France", "FRA", "state_party"],
        ["", "", ""],
        ["Chile", "CHL", "state_party"],
    ]


def test_a_file_that_is_not_utf8_is_refused_in_plain_words():
    with pytest.raises(ImportFileError) as raised:
        read_csv("name,iso3,category\nCôte d'Ivoire,CIV,state_party\n".encode("cp1252"))

    assert raised.value.messages == [
        "The file is not UTF-8 text (byte 21 cannot be read). In your spreadsheet program, "
        'save it as "CSV UTF-8".'
    ]


def test_a_row_with_more_values_than_columns_names_the_row():
    data = b"name,iso3,category\nKorea, Republic of,KOR,observer_state\nFrance,FRA,state_party,,\n"

    with pytest.raises(ImportFileError) as raised:
        read_csv(data)

    assert raised.value.messages == [
        "Row 2 has 4 values, but row 1 names only 3 columns. Put values that contain a comma "
        "in double quotes."
    ]


def test_xlsx_cells_become_text_and_blank_rows_are_kept():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "iso3", "category"])
    sheet.append(["Côte d'Ivoire", "CIV", "state_party"])
    sheet.append([None, None, None])
    sheet.append(["Number", 7.0, None])
    stream = io.BytesIO()
    workbook.save(stream)

    dataset = read_xlsx(stream.getvalue())

    assert dataset.headers == ["name", "iso3", "category"]
    assert [[cell_text(value) for value in row] for row in dataset] == [
        ["Côte d'Ivoire", "CIV", "state_party"],
        ["", "", ""],
        ["Number", "7", ""],
    ]


def test_a_file_that_is_not_a_workbook_is_refused_in_plain_words():
    with pytest.raises(ImportFileError) as raised:
        read_dataset(b"name,iso3\n", file_name="states.xlsx")

    assert raised.value.messages == ["The file cannot be read as an Excel workbook (.xlsx)."]


def test_the_format_comes_from_the_extension_unless_given():
    assert file_format("States.CSV") == "csv"
    assert file_format("states.xlsx") == "xlsx"
    assert file_format("states.txt", "CSV") == "csv"
    with pytest.raises(ImportFileError) as raised:
        file_format("states.ods")
    assert raised.value.messages == [
        'Cannot read "states.ods": use a .csv or .xlsx file (or say which one it is with --format).'
    ]


def test_resources_by_short_name_or_dotted_path():
    assert resource_class("delegations") is DelegationResource
    assert resource_class("delegates") is DelegateResource
    assert resource_class("delegations.resources.delegates.DelegateResource") is DelegateResource
    with pytest.raises(LookupError) as raised:
        resource_class("auth.User")
    assert str(raised.value) == (
        '"auth.User" is not a list that can be imported. Use one of: delegations, delegates, '
        "groups, guests."
    )


def test_choices_are_found_by_value_or_label_in_any_case():
    assert choice_value("STATE_PARTY", Category.choices) == "state_party"
    assert choice_value("state party", Category.choices) == "state_party"
    assert choice_value("state_partie", Category.choices) is None


def test_cells_and_column_letters():
    assert cell_text(None) == ""
    assert cell_text("  FRA \t") == "FRA"
    assert cell_text(12.0) == "12"
    assert cell_text(12.5) == "12.5"
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
