"""The address a request comes from, as sign-in throttling sees it: the server commands we ship
and document (`make run`, docs/deploy.md) believe `X-Forwarded-For` only from a configured
proxy, so a client cannot choose its address by sending the header itself.

Each command is read where it is written (`make --dry-run run`, the code block of
docs/deploy.md), parsed by uvicorn's own command line, and its proxy settings are applied by
uvicorn's own middleware to a request; the address the application is handed is what Django
puts in `REMOTE_ADDR`, which is all django-axes reads (`delegations.accounts.client_address`).
"""

import asyncio
import os
import re
import shlex
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import uvicorn
from uvicorn.main import main as uvicorn_command_line

from tests.conftest import skip_or_fail
from tests.factories import UserFactory
from tests.helpers import text

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


@pytest.fixture(autouse=True)
def _no_proxy_in_the_environment(monkeypatch):
    # uvicorn reads FORWARDED_ALLOW_IPS itself when the option is not given.
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)


def uvicorn_arguments(command: str) -> list[str]:
    """The arguments of the `uvicorn` in a shell command line."""
    words = shlex.split(command)
    at = next(i for i, word in enumerate(words) if Path(word).name == "uvicorn")
    return words[at + 1 :]


def make_run(**variables: str) -> list[str]:
    """The arguments `make run` gives uvicorn, with these make variables."""
    make = shutil.which("make")
    if make is None:
        skip_or_fail("needs make")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORWARDED_ALLOW_IPS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    dry_run = subprocess.run(
        [make, "--dry-run", "run", *(f"{key}={value}" for key, value in variables.items())],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = dry_run.replace("\\\n", " ").splitlines()
    return uvicorn_arguments(next(line for line in lines if "config.asgi:application" in line))


def documented_commands() -> list[str]:
    """Every server command of docs/deploy.md (the first: "Running")."""
    doc = (ROOT / "docs" / "deploy.md").read_text().replace("\\\n", " ")
    return [line for line in doc.splitlines() if line.startswith("uvicorn config.asgi:")]


def documented(**environment: str) -> list[str]:
    """The arguments of the server command of docs/deploy.md, its variables set as given."""
    command = re.sub(r"\$(\w+)", lambda m: environment.get(m[1], ""), documented_commands()[0])
    return uvicorn_arguments(command)


def test_every_documented_server_command_says_which_proxy_it_believes():
    """Without the option, uvicorn believes 127.0.0.1: every command names the proxy."""
    commands = documented_commands()
    assert len(commands) >= 2
    for command in commands:
        assert "--forwarded-allow-ips" in uvicorn_arguments(command), command


def address_seen(arguments: list[str], *, client: str, forwarded_for: str | None) -> str:
    """The client address uvicorn, started with `arguments`, hands the application for a
    request from `client` carrying `X-Forwarded-For: forwarded_for`."""
    options = uvicorn_command_line.make_context("uvicorn", list(arguments)).params
    seen = []

    async def application(scope, receive, send):
        seen.append(scope["client"][0])

    config = uvicorn.Config(
        application,
        proxy_headers=options["proxy_headers"],
        forwarded_allow_ips=options["forwarded_allow_ips"],
        lifespan="off",
    )
    config.load()
    headers = [(b"host", b"intersessional.example.org")]
    if forwarded_for is not None:
        headers.append((b"x-forwarded-for", forwarded_for.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/accounts/login/",
        "raw_path": b"/accounts/login/",
        "query_string": b"",
        "headers": headers,
        "client": (client, 50123),
        "server": ("127.0.0.1", 8000),
    }

    async def receive():  # pragma: no cover - the application reads nothing
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):  # pragma: no cover - the application answers nothing
        pass

    # In a thread of its own: the browser tests may leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, config.loaded_app(scope, receive, send)).result()
    return seen[0]


# --- make run ----------------------------------------------------------------------------------


def test_make_run_believes_no_forwarded_address():
    arguments = make_run()
    assert address_seen(arguments, client=LOOPBACK, forwarded_for="203.0.113.9") == LOOPBACK
    assert address_seen(arguments, client="198.51.100.4", forwarded_for="203.0.113.9") == (
        "198.51.100.4"
    )


def test_make_run_believes_the_proxy_it_is_given():
    arguments = make_run(FORWARDED_ALLOW_IPS=LOOPBACK)
    assert address_seen(arguments, client=LOOPBACK, forwarded_for="203.0.113.9") == "203.0.113.9"
    assert address_seen(arguments, client="198.51.100.4", forwarded_for="203.0.113.9") == (
        "198.51.100.4"
    )


# --- the documented command --------------------------------------------------------------------


def test_the_documented_command_believes_no_one_unless_told():
    arguments = documented()
    assert address_seen(arguments, client=LOOPBACK, forwarded_for="203.0.113.9") == LOOPBACK


def test_the_documented_command_behind_nginx_sees_the_address_nginx_appended():
    arguments = documented(FORWARDED_ALLOW_IPS=LOOPBACK)
    # The client forged a header; nginx ($proxy_add_x_forwarded_for) appended the real address.
    seen = address_seen(arguments, client=LOOPBACK, forwarded_for="10.9.8.7, 203.0.113.9")
    assert seen == "203.0.113.9"
    # A connection that does not come from the proxy is not believed.
    assert address_seen(arguments, client="198.51.100.4", forwarded_for="10.9.8.7") == (
        "198.51.100.4"
    )


# --- the whole way: guesses with a forged address, from loopback ------------------------------


@pytest.mark.django_db
def test_guesses_with_rotating_forwarded_addresses_lock_the_username(client):
    UserFactory(username="focal-chl", password="correct horse battery")
    arguments = make_run()
    answers = []
    for n in range(30):
        forged = f"198.51.100.{n + 1}"
        answers.append(
            client.post(
                "/accounts/login/",
                {"username": "focal-chl", "password": f"guess {n}"},
                REMOTE_ADDR=address_seen(arguments, client=LOOPBACK, forwarded_for=forged),
                HTTP_X_FORWARDED_FOR=forged,
            ).status_code
        )
    assert answers == [200] * 4 + [429] * 26

    right = client.post(
        "/accounts/login/",
        {"username": "focal-chl", "password": "correct horse battery"},
        REMOTE_ADDR=address_seen(arguments, client=LOOPBACK, forwarded_for="192.0.2.200"),
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert right.status_code == 429
    assert "Too many failed sign-ins for this username" in text(right)
    assert "_auth_user_id" not in client.session
