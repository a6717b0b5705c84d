"""Browser tests: Playwright drives Debian's Chromium against uvicorn serving the test database.

Django's `live_server` is WSGI and cannot serve an event stream, so `server` starts uvicorn (ASGI)
in a subprocess on the test database. Tests use `transactional_db` so that what they write is
committed and the server sees it. Where Chromium or Playwright is missing the tests are skipped
with the reason (a failure when REQUIRE_ALL_TESTS is set, as in CI).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils.module_loading import import_string

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def database_url() -> str:
    """The test database, as a DATABASE_URL another process can use."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn serving config.asgi on the test database; can be stopped and started again."""

    def __init__(self, database: str, port: int, workers: int = 1) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.env = {
            **os.environ,
            "DATABASE_URL": database,
            "DEBUG": "true",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Test users' passwords are hashed with the fast hasher of the test settings.
            "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
        }
        self.process: subprocess.Popen | None = None
        self.log = ROOT / "test-results" / f"server-{port}.log"

    def start(self) -> None:
        self.log.parent.mkdir(exist_ok=True)
        command = [
            sys.executable, "-m", "uvicorn", "config.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers),
            "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at once; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within 30 s; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Die abruptly, as a crashed server would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    """The application served over ASGI on the test database (for the whole session)."""
    with django_db_blocker.unblock():
        url = database_url()
    instance = Server(url, free_port())
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        skip_or_fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def login(server):
    """Sign a browser page in as a user, through the sign-in form."""

    def sign_in(page, username: str, password: str = "correct horse battery") -> None:
        page.goto(f"{server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in


@pytest.fixture
def sign_in_with_session(server):
    """Sign a browser context in as a user by giving it a session cookie (no form involved)."""

    def sign_in(context, user) -> None:
        session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": server.url,
                }
            ]
        )

    return sign_in


@pytest.fixture(autouse=True)
def _close_pages(request, browser):
    """After each test, close the browser's pages before the database is emptied: an open
    screen keeps asking the server, whose reads would then deadlock with the emptying. (Set
    up after the test's database, so torn down before it.)"""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db")
    yield
    for context in list(browser.contexts):
        context.close()
