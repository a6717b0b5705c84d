"""Replays: what a screen's stream costs while many clients ask to replay the audit trail.

A client that (re)connects to the live stream sends the last event id it saw
(`Last-Event-ID`, or `?after=`) and first gets what it missed. An anonymous visitor may send
`Last-Event-ID: 0` on a meeting with a long audit trail, many times at once. This script plays
that against uvicorn on this machine:

1. it prepares its own data through Django (the same DATABASE_URL as the server): a meeting in
   session with `--items` items and `--events` rows of audit trail spread over them;
2. it starts uvicorn on 127.0.0.1 with one worker (or uses `--url`);
3. it opens `--replays` anonymous streams at once, each with `Last-Event-ID: 0` (or, with
   `--behind N`, the id N events before the latest: screens coming back after a restart), and
   a moment later `--probes` legitimate screens, one every `--spacing` seconds (each on its
   own, not waiting for the others), each with `?after=<the latest id>` (what a page passes
   when it was just rendered);
4. it prints, for the legitimate screens: the time until the answer's status line arrived
   (time to first byte) and until the stream's opening (`retry:`) arrived; and for the
   replaying clients: how many got their replay, how many were told to `resync`, and when the
   last of them had its answer;
5. it stops the server and deletes what it created, even when interrupted.

    DATABASE_URL=postgres://... python bench/stream_replay.py --events 50000 --replays 150

Figures: docs/performance.md ("Replays").
"""

import argparse
import asyncio
import os
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import timedelta

from live_fanout import (
    free_port,
    loopback_address,
    milliseconds,
    percentile,
    raise_open_files,
    setup_django,
    start_server,
    stop_server,
)

SLUG_PREFIX = "stream-replay-"


@dataclass
class Stage:
    meeting_id: int
    slug: str
    latest: int


def prepare(events: int, items: int) -> Stage:
    """A meeting in session with `items` items and `events` audit-trail rows over them."""
    from django.db import transaction
    from django.utils import timezone

    from agenda.models import AgendaItem, ListEvent
    from meetings.models import Meeting

    run = secrets.token_hex(3)
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=f"Stream replay {run}",
            short_title=f"Replay {run}",
            slug=f"{SLUG_PREFIX}{run}",
            start_date=now.date(),
            end_date=now.date(),
            status=Meeting.Status.IN_SESSION,
        )
        agenda = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, label=str(n + 1), title=f"Item {n + 1}", order=n)
            for n in range(items)
        )
        rows = (
            ListEvent(
                item=agenda[n % items],
                action="requested",
                version=n // items + 1,
                at=now - timedelta(seconds=events - n),
            )
            for n in range(events)
        )
        ListEvent.objects.bulk_create(rows, batch_size=5000)
    latest = ListEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return Stage(meeting.pk, meeting.slug, latest)


def clean_up(stage: Stage) -> None:
    from agenda.models import ListEvent
    from meetings.models import Meeting

    ListEvent.objects.filter(item__meeting_id=stage.meeting_id).delete()
    Meeting.objects.filter(pk=stage.meeting_id).delete()


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Opened:
    status: bytes = b""
    head_at: float | None = None  # the status line and headers arrived
    opening_at: float | None = None  # the stream's first message arrived
    resync: bool = False
    replayed: int = 0


async def open_stream(host, port, path, headers, started, keep: list) -> Opened:
    """One stream: when its head and its opening (what the server sends first) arrived."""
    opened = Opened()
    reader, writer = await asyncio.open_connection(host, port)
    keep.append(writer)
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
        f"{extra}\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    opened.head_at = time.monotonic() - started
    opened.status = head.split(b"\r\n", 1)[0]
    if b" 200 " not in opened.status:
        return opened
    # The body is chunked; the stream's opening (the retry line, then the replay or a resync)
    # is its first chunk.
    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
    opening = await reader.readexactly(size)
    opened.opening_at = time.monotonic() - started
    opened.resync = b"event: resync" in opening
    opened.replayed = opening.count(b"\nid: ")
    return opened


async def scenario(host, port, stage: Stage, replays, probes, gap, spacing, behind):
    path = f"/api/v1/meetings/{stage.slug}/stream"
    keep: list = []
    started = time.monotonic()
    last = {"Last-Event-ID": str(max(stage.latest - behind, 0) if behind else 0)}
    flood = [
        asyncio.create_task(open_stream(host, port, path, last, started, keep))
        for _ in range(replays)
    ]
    await asyncio.sleep(gap)
    screens = []
    for _ in range(probes):  # each screen on its own, while the flood is being served
        screens.append(
            asyncio.create_task(
                open_stream(host, port, f"{path}?after={stage.latest}", {}, time.monotonic(), keep)
            )
        )
        await asyncio.sleep(spacing)
    screens = await asyncio.gather(*screens)
    flooded = await asyncio.gather(*flood)
    for writer in keep:
        writer.close()
    return screens, flooded


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000, help="audit-trail rows")
    parser.add_argument("--items", type=int, default=50, help="items the rows are spread over")
    parser.add_argument("--replays", type=int, default=150, help="clients replaying from 0")
    parser.add_argument("--probes", type=int, default=5, help="legitimate screens, in turn")
    parser.add_argument(
        "--gap", type=float, default=0.05, help="seconds between the flood and the first screen"
    )
    parser.add_argument(
        "--spacing", type=float, default=0.5, help="seconds between two screens opening"
    )
    parser.add_argument(
        "--behind",
        type=int,
        default=0,
        help="the replaying clients ask from this many events before the latest (default: 0, "
        "they ask from 0: the whole trail)",
    )
    parser.add_argument("--url", help="use a running server (on this machine) instead")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("note: DATABASE_URL is not PostgreSQL")
    raise_open_files(options.replays + 1024)

    setup_django()
    from django.db import connections

    stage = prepare(options.events, options.items)
    connections.close_all()
    server = None
    try:
        if options.url:
            host, port = loopback_address(options.url)
        else:
            host, port = "127.0.0.1", free_port()
            server = start_server(1, port)
        screens, flooded = asyncio.run(
            scenario(
                host,
                port,
                stage,
                options.replays,
                options.probes,
                options.gap,
                options.spacing,
                options.behind,
            )
        )
    finally:
        if server is not None:
            stop_server(server)
        clean_up(stage)

    print(
        f"{options.events} events over {options.items} items; {options.replays} clients "
        f"replaying from {f'<latest> - {options.behind}' if options.behind else 0}, then "
        f"{options.probes} screens with ?after=<latest>"
    )
    heads = [s.head_at for s in screens if s.head_at is not None]
    openings = [s.opening_at for s in screens if s.opening_at is not None]
    if heads:
        print(
            f"  a screen's status line: p50 {milliseconds(percentile(heads, 0.5))}, "
            f"max {milliseconds(max(heads))}"
        )
    if openings:
        print(
            f"  a screen's opening:     p50 {milliseconds(percentile(openings, 0.5))}, "
            f"max {milliseconds(max(openings))}"
        )
    statuses = sorted({s.status.decode() for s in [*screens, *flooded]})
    done = [f.opening_at for f in flooded if f.opening_at is not None]
    print(f"  answers: {', '.join(statuses)}")
    print(
        f"  the replaying clients: {sum(f.replayed > 0 for f in flooded)} replayed "
        f"(up to {max((f.replayed for f in flooded), default=0)} events each), "
        f"{sum(f.resync for f in flooded)} told to resync; the last answered after "
        f"{milliseconds(max(done)) if done else 'never'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
