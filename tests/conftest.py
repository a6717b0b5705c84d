"""Shared fixtures.

Tests marked `postgres` need PostgreSQL (row locks, LISTEN/NOTIFY), tests marked `browser` need
Chromium and Playwright. Where they are missing the tests are skipped with the reason; with
REQUIRE_ALL_TESTS=1 (set by .ci/run) such a skip becomes a failure, so CI cannot pass by
skipping.
"""

import os

import pytest
from django.db import connection

REQUIRE_ALL = os.environ.get("REQUIRE_ALL_TESTS", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (REQUIRE_ALL_TESTS is set, so this cannot be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, not memory, so that a server started by a
    browser or stream test (another process) sees the same data. On PostgreSQL the test
    process does not pool its connections."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    # The race tests hold fifty connections at once, one per thread: in the test process,
    # connections are not pooled (servers started by the tests use the pool as configured).
    database.get("OPTIONS", {}).pop("pool", None)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.getbasetemp() / "test-db.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # The same settings module, with what a test client needs: plain HTTP, files in a
    # temporary folder.
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _require_postgres(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: run with DATABASE_URL=postgres://…")
