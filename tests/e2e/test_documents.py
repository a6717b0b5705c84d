"""A secretariat document opened in Chromium runs nothing (issue 11, finding 1): an HTML page
stored as a document (an `annex.html`, as one could be uploaded before documents were checked,
or HTML named `.pdf`) is downloaded, not shown, and its script never runs on the site's
origin."""

import os
import secrets
from pathlib import Path

import pytest

from tests.factories import DocumentFactory

ROOT = Path(__file__).resolve().parents[2]
HTML = (
    b"<!doctype html><html><head><title>annex</title></head><body>"
    b'<script>console.log("script ran"); document.title = "script ran";</script>'
    b"</body></html>"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("extension", [".html", ".pdf"])
def test_an_html_document_is_downloaded_and_runs_nothing(server, page, extension):
    # The server's MEDIA_ROOT (the test process's own is a temporary folder).
    folder = Path(os.environ.get("MEDIA_ROOT", ROOT / "media")) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"annex-{secrets.token_hex(4)}{extension}"
    (folder / name).write_bytes(HTML)
    try:
        DocumentFactory(file=f"documents/{name}")
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(server.url + "/")

        with page.expect_download() as download:
            page.evaluate("url => { window.location.href = url; }", f"/media/documents/{name}")

        assert download.value.suggested_filename == name
        page.wait_for_timeout(300)
        assert page.url == server.url + "/"  # still on the site's page: nothing was shown
        assert "script ran" not in console
        assert page.title() != "script ran"
    finally:
        (folder / name).unlink(missing_ok=True)
