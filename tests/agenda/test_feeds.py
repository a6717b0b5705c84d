"""The Atom feeds of a meeting: the published statements and the record, valid Atom."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.agenda.outcome_helpers import SLUG

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{required}").text or "").strip(), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    return root


def test_the_record_feed_lists_the_delivered_entries_with_published_notes(client, demo):
    root = atom(client.get(reverse("feed_record", args=[SLUG])))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 9
    text = ET.tostring(root, encoding="unicode")
    assert "2.1 km² released in 2024" in text
    assert "France offered technical support" not in text
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)


def test_the_statements_feed_is_valid_atom(client, demo):
    atom(client.get(reverse("feed_statements", args=[SLUG])))


def test_the_record_page_links_the_feeds(client, demo):
    page = client.get(reverse("record", args=[SLUG])).text
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert reverse("feed_record", args=[SLUG]) in page


def test_a_draft_meetings_feed_is_not_found(client, db):
    assert client.get(reverse("feed_record", args=["no-such-meeting"])).status_code == 404
