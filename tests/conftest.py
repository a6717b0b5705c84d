"""Shared fixtures.

Tests marked `postgres` need PostgreSQL (row locks, LISTEN/NOTIFY), tests marked `browser` need
Chromium and Playwright. Where they are missing the tests are skipped with the reason; with
REQUIRE_ALL_TESTS=1 (set by .ci/run) such a skip becomes a failure, so CI cannot pass by
skipping.

`demo`: the demo meeting (`manage.py load_demo`) for tests that only read it, loaded once and
shared by consecutive tests that ask for it (see `SharedDemo`).
"""

import os

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import translation

from agenda.demo.load import demo_load
from meetings.models import Meeting

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
    database = django_settings.DATABASES["default"]
    # The race tests hold fifty connections at once, one per thread: in the test process,
    # connections are not pooled (servers started by the tests use the pool as configured).
    database.get("OPTIONS", {}).pop("pool", None)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.getbasetemp() / "test-db.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # The same settings module, with what a test client needs: plain HTTP, files in a
    # temporary folder. Each test starts in English, as a request or a command does before it
    # chooses its language: rows made by factories are written in English, whatever language
    # the previous test's last request left active in this thread.
    translation.activate(django_settings.LANGUAGE_CODE)
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


# --- the demo meeting, shared by the tests that only read it ----------------------------------


class SharedDemo:
    """The demo meeting loaded in a transaction of its own that is never committed.

    Each test asking for `demo` runs inside it, in its own transaction (a savepoint, as
    pytest-django nests it), so that what the test writes is undone and the next one sees the
    demo as loaded. Before any other test the transaction is rolled back (`pytest_runtest_setup`
    below): tests that do not ask for the demo never see it, whatever the order. Consecutive
    tests asking for it share one load; a test between them that does not costs a reload.
    """

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic = None

    def open(self) -> None:
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            demo_load()

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            assert connection.atomic_blocks == [self.atomic], "a test left a transaction open"
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


shared_demo_key = pytest.StashKey[SharedDemo]()


@pytest.fixture(scope="session")
def demo_database(request, django_db_setup, django_db_blocker):
    """The shared demo, loaded (session scoped: set up before the test's own transaction)."""
    shared = SharedDemo(django_db_blocker)
    request.config.stash[shared_demo_key] = shared
    shared.open()
    yield shared
    shared.close()
    del request.config.stash[shared_demo_key]


@pytest.fixture
def demo(demo_database, db):
    """The demo meeting, CCM Intersessional 2025, for a test that only reads it (what the test
    writes is rolled back). A test of the loading itself loads it with `load_demo`."""
    return Meeting.objects.get(slug="ccm-intersessional-2025")


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in item.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before each test, before its fixtures: the shared demo (if loaded) is there for the
    tests that ask for it, and rolled back before any other test."""
    uses_demo = "demo_database" in item.fixturenames
    if uses_demo and _transactional(item):
        pytest.fail("The shared demo is rolled back, never committed: load it in this test.")
    shared = item.config.stash.get(shared_demo_key, None)
    if shared is None:
        return
    if uses_demo:
        shared.open()
    else:
        shared.close()
