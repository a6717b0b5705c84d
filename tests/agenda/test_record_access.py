"""Addresses of the record that name nothing: an unknown export, item or delegation is not
found. (Who may read, tag and count the record is the authorisation matrix's to say:
tests/test_authorization.py.)"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_exports_and_items_are_not_found(client, floor):
    slug = floor.meeting.slug
    assert client.get(reverse("record_export", args=[slug, "speakers", "ods"])).status_code == 404
    assert client.get(reverse("record_export", args=[slug, "secrets", "csv"])).status_code == 404
    assert client.get(reverse("record_item", args=[slug, 999999])).status_code == 404
    assert client.get(reverse("record_delegation", args=[slug, "XXX"])).status_code == 404
