"""Live fan-out: N screens hold the live stream of a meeting; the chair acts through the API.

Every screen in the room (and every delegation following from its seat) holds one stream,
`GET /api/v1/meetings/<slug>/stream`. When the chair calls the next speaker, every stream must
carry the change at once. This script measures how long that takes, on this machine only:

1. it prepares its own data through Django (the same DATABASE_URL as the server): a meeting in
   session with a unique slug, one item with enough delegations waiting, and the chair's API
   token;
2. it starts uvicorn on 127.0.0.1 with `--workers W` (or uses `--url`), and opens N streams from
   `--client-processes` processes of its own (plain sockets, one coroutine per stream);
3. the chair calls the next speaker `--events` times through the API
   (`POST /api/v1/agenda-items/{id}/next`), one every `--interval` seconds;
4. it prints, for every (stream, event): the time from the moment the chair's request was sent
   until the stream had the event (p50, p99, max), the time until the last stream had each
   event, events missed, and the server's memory (resident, all its processes) before the
   streams, with them open, and per stream;
5. it stops the server and the clients and deletes what it created, even when interrupted.

    DATABASE_URL=postgres://... python bench/live_fanout.py --clients 1000 --workers 1
    DATABASE_URL=postgres://... python bench/live_fanout.py --clients 5000 --workers 4

It exits 1 when a stream missed an event, 2 on bad options. Figures: docs/performance.md.
"""

import argparse
import asyncio
import contextlib
import http.client
import ipaddress
import json
import math
import multiprocessing
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MAX_CLIENTS = 10_000
SLUG_PREFIX = "live-fanout-"
CONNECT_BATCH = 250  # streams opened at once by one client process


# --- options ---------------------------------------------------------------------------------


def loopback_address(url: str) -> tuple[str, int]:
    """Host and port of `url`, which must be plain HTTP on this machine."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url}: give an http:// URL on this machine, e.g. http://127.0.0.1:8000")
    host = parts.hostname
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"{url}: the benchmark only runs against this machine (127.0.0.1, ::1, localhost)"
            ) from None
    return host, parts.port or 80


def raise_open_files(needed: int) -> int:
    """Raise this process's open-files limit (inherited by the server it starts)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- data ------------------------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


@dataclass
class Stage:
    meeting_id: int
    slug: str
    item_id: int
    token: str
    user_id: int
    delegation_ids: list[int]


def prepare(waiting: int) -> Stage:
    """A meeting in session, one item with `waiting` delegations on its list, the chair."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from agenda.models import AgendaItem, ApiToken
    from agenda.speakers import services
    from delegations.models import Category, Delegation, Participation
    from meetings.models import Meeting

    run = secrets.token_hex(3)
    today = timezone.localdate()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=f"Live fan-out {run}",
            short_title=f"Fan-out {run}",
            slug=f"{SLUG_PREFIX}{run}",
            start_date=today,
            end_date=today,
            status=Meeting.Status.IN_SESSION,
        )
        item = AgendaItem.objects.create(meeting=meeting, label="1", title="Live fan-out")
        chair = get_user_model().objects.create_user(f"fanout-chair-{run}")
        meeting.presiding_officers.add(chair)
        delegations = Delegation.objects.bulk_create(
            Delegation(code=f"FAN-{run}-{n:03d}", name=f"Fan-out {n}", kind=Delegation.Kind.STATE)
            for n in range(waiting)
        )
        Participation.objects.bulk_create(
            Participation(meeting=meeting, delegation=d, category=Category.STATE_PARTY)
            for d in delegations
        )
        _row, token = ApiToken.issue(chair, name="live fan-out benchmark")
    for delegation in delegations:
        services.floor_request_create(
            item=item, delegation=delegation, kind="statement", user=chair
        )
    return Stage(meeting.pk, meeting.slug, item.pk, token, chair.pk, [d.pk for d in delegations])


def clean_up(stage: Stage) -> None:
    from django.contrib.auth import get_user_model

    from agenda.models import FloorRequest
    from delegations.models import Delegation
    from meetings.models import Meeting

    FloorRequest.objects.filter(item__meeting_id=stage.meeting_id).delete()
    Meeting.objects.filter(pk=stage.meeting_id).delete()
    Delegation.objects.filter(pk__in=stage.delegation_ids).delete()
    get_user_model().objects.filter(pk=stage.user_id).delete()


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workers: int, port: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--backlog", "4096", "--timeout-graceful-shutdown", "2",
    ]  # fmt: skip
    env = {**os.environ, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped at once")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/meetings/")
            connection.getresponse().read()
            connection.close()
            if workers == 1 or len(server_pids(process.pid)) > workers:
                return process
        time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("the server did not answer within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def server_pids(pid: int) -> list[int]:
    """The server process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(child) for child in children)
    return pids


def resident_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


# --- the clients -----------------------------------------------------------------------------


class Stream(asyncio.Protocol):
    """One stream, read with the least work possible: the moment each event (by the list's
    version) arrives is noted as soon as its bytes are in."""

    def __init__(self, request: bytes, opened, received) -> None:
        self.request = request
        self.opened = opened
        self.received = received
        self.buffer = b""
        self.headers_done = False
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.headers_done:
            self.buffer += data
            if b"\r\n\r\n" not in self.buffer:
                return
            head, _, data = self.buffer.partition(b"\r\n\r\n")
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                self.opened(error=head.split(b"\r\n", 1)[0].decode())
                return
            self.headers_done = True
            self.buffer = b""
            self.opened()
        start = data.find(b'"version":')
        while start != -1:
            end = start + 10
            while data[end : end + 1].isdigit():
                end += 1
            self.received.setdefault(int(data[start + 10 : end]), []).append(now)
            start = data.find(b'"version":', end)

    def connection_lost(self, exc) -> None:
        if not self.lost.done():
            self.lost.set_result(exc)


async def run_clients(host, port, path, count, ready, results, stop_event) -> None:
    loop = asyncio.get_running_loop()
    received: dict[int, list[float]] = {}
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    opened, errors = 0, []

    def one_opened(error=None):
        nonlocal opened
        if error:
            errors.append(error)
        else:
            opened += 1

    transports = []
    for start in range(0, count, CONNECT_BATCH):
        batch = min(CONNECT_BATCH, count - start)
        for _ in range(batch):
            try:
                transport, _protocol = await loop.create_connection(
                    lambda: Stream(request, one_opened, received), host, port
                )
            except OSError as error:
                errors.append(repr(error))
                break
            transports.append(transport)
        deadline = time.monotonic() + 60
        while opened + len(errors) < start + batch and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if errors:
            break
    ready.send((opened, errors[0] if errors else ""))
    await loop.run_in_executor(None, stop_event.wait)
    for transport in transports:
        transport.close()
    results.send(received)


def client_process(host, port, path, count, ready, results, stop_event, nofile) -> None:
    raise_open_files(nofile)
    asyncio.run(run_clients(host, port, path, count, ready, results, stop_event))


# --- the commit, as the servers hear it ------------------------------------------------------


def hear_commits(heard: dict[int, float], ready: threading.Event, stop: threading.Event):
    """LISTEN like a server process does: when each change (by version) was committed and
    announced. The time from there to the streams is the fan-out alone."""
    import psycopg

    from agenda.live.hub import _listen_params
    from agenda.speakers.changes import CHANNEL, ListChange

    with psycopg.connect(**_listen_params(), autocommit=True) as connection:
        connection.execute(f"LISTEN {CHANNEL}")
        ready.set()
        while not stop.is_set():
            for notify in connection.notifies(timeout=0.2):
                heard.setdefault(ListChange.from_json(notify.payload).version, time.monotonic())


# --- the chair -------------------------------------------------------------------------------


def call_next(host: str, port: int, stage: Stage) -> tuple[float, int]:
    """The chair calls the next speaker; returns when the request was sent and the version."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    body = b"{}"
    sent = time.monotonic()
    connection.request(
        "POST",
        f"/api/v1/agenda-items/{stage.item_id}/next",
        body=body,
        headers={"Authorization": f"Bearer {stage.token}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"the chair's request answered {response.status}: {answer}")
    return sent, answer["version"]


# --- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000, help="streams held (default 1000)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--client-processes", type=int, default=0, help="default: 1 per 2500")
    parser.add_argument("--events", type=int, default=20, help="chair actions (default 20)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between actions")
    parser.add_argument(
        "--warmup", type=int, default=0, help="chair actions not measured (default 3 a worker)"
    )
    parser.add_argument("--url", help="use a running server (on this machine) instead")
    options = parser.parse_args(argv)
    if not 1 <= options.clients <= MAX_CLIENTS or options.events < 1 or options.workers < 1:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --events and --workers at least 1")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("note: DATABASE_URL is not PostgreSQL; with SQLite use one worker only.")

    processes = options.client_processes or max(1, math.ceil(options.clients / 2500))
    nofile = raise_open_files(options.clients + 1024)
    if nofile < options.clients + 64:
        print(f"the open-files limit is {nofile}: too low for {options.clients} streams")
        return 2

    setup_django()
    from django.db import connections

    warmup = options.warmup or 3 * options.workers
    stage = prepare(options.events + warmup + 1)
    connections.close_all()
    heard: dict[int, float] = {}
    listening, stop_listening = threading.Event(), threading.Event()
    postgres = connections["default"].vendor == "postgresql"
    if postgres:
        listener = threading.Thread(
            target=hear_commits, args=(heard, listening, stop_listening), daemon=True
        )
        listener.start()
        listening.wait(10)
    server = None
    clients = []
    stop_event = multiprocessing.Event()
    try:
        if options.url:
            host, port = loopback_address(options.url)
        else:
            host, port = "127.0.0.1", free_port()
            server = start_server(options.workers, port)
        pids = server_pids(server.pid) if server else []
        memory_before = resident_mib(pids) if server else None

        path = f"/api/v1/meetings/{stage.slug}/stream"
        shares = [
            options.clients // processes + (i < options.clients % processes)
            for i in range(processes)
        ]
        started = time.monotonic()
        for share in shares:
            ready_receive, ready_send = multiprocessing.Pipe(duplex=False)
            results_receive, results_send = multiprocessing.Pipe(duplex=False)
            process = multiprocessing.Process(
                target=client_process,
                args=(host, port, path, share, ready_send, results_send, stop_event, nofile),
            )
            process.start()
            clients.append((process, ready_receive, results_receive))
        opened = 0
        for _process, ready_receive, _results in clients:
            count, error = ready_receive.recv()
            opened += count
            if error:
                print(f"a stream failed to open: {error}")
        connect_time = time.monotonic() - started
        print(f"{opened} of {options.clients} streams open in {connect_time:.1f} s")
        time.sleep(1.0)
        memory_open = resident_mib(server_pids(server.pid)) if server else None

        for _ in range(warmup):  # every worker has served a request and opened its connections
            call_next(host, port, stage)
            time.sleep(0.1)
        time.sleep(options.interval)
        sent_at: dict[int, float] = {}
        for _ in range(options.events):
            sent, version = call_next(host, port, stage)
            sent_at[version] = sent
            time.sleep(options.interval)
        time.sleep(1.0)
        stop_event.set()

        received: dict[int, list[float]] = {}
        for process, _ready, results_receive in clients:
            for version, times in results_receive.recv().items():
                received.setdefault(version, []).extend(times)
            process.join(timeout=30)
    finally:
        stop_event.set()
        stop_listening.set()
        for process, *_pipes in clients:
            if process.is_alive():
                process.terminate()
        if server is not None:
            stop_server(server)
        clean_up(stage)

    latencies, first_by_event, last_by_event, fanout, missed = [], [], [], [], 0
    for version, sent in sent_at.items():
        times = received.get(version, [])
        missed += opened - len(times)
        delays = [moment - sent for moment in times]
        latencies.extend(delays)
        if delays:
            first_by_event.append(min(delays))
            last_by_event.append(max(delays))
        if version in heard:
            fanout.extend(moment - heard[version] for moment in times)
    print(
        f"server: uvicorn, {options.workers} worker(s); {opened} streams from "
        f"{processes} client process(es); {options.events} events, one every "
        f"{options.interval} s"
    )
    if latencies:
        print(f"chair's request sent → a stream has the event ({len(latencies)} deliveries):")
        for label, values in (
            ("every stream", latencies),
            ("the first stream", first_by_event),
            ("the last stream", last_by_event),
        ):
            print(
                f"  {label:>16}: p50 {milliseconds(percentile(values, 0.5))}, "
                f"p99 {milliseconds(percentile(values, 0.99))}, max {milliseconds(max(values))}"
            )
    if fanout:
        print(
            "commit heard (NOTIFY) → stream has the event (the fan-out alone): "
            f"p50 {milliseconds(percentile(fanout, 0.5))}, "
            f"p99 {milliseconds(percentile(fanout, 0.99))}, max {milliseconds(max(fanout))}"
        )
    print(f"deliveries missed: {missed}")
    if memory_before is not None:
        per_stream = (memory_open - memory_before) * 1024 / max(opened, 1)
        print(
            f"server memory (resident, all processes): {memory_before:.0f} MiB before the "
            f"streams, {memory_open:.0f} MiB with {opened} open ({per_stream:.0f} KiB a stream)"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
