"""Floor storm: N delegations request the floor on one agenda item at the same instant.

The moment the chair says "the list of speakers is open", every delegation presses the button.
This script plays that moment against a running server, over HTTP on this machine only:

1. it prepares its own data through Django (the same DATABASE_URL as the server): a new meeting
   with a unique slug, one item, N delegations, each with a focal point and an API token;
2. it opens N connections, then sends N trivial requests at once (`GET /api/v1/meetings/`, one
   per delegation with its own token, released together by a barrier): the stack's floor;
3. it opens N connections again, then sends N `POST /api/v1/agenda-items/{id}/speakers/` at
   once (one per delegation, its own token, released together by a barrier), through the same
   client;
4. it reads the database back and prints, for both bursts: requests per second, latency (p50,
   p99, max), the answers by status code; the ratio of the two p99s (goal ≤ 1.5); entries
   lost (asked but not on the list; worst when the answer was 201 all the same) and
   duplicated, and whether the list's versions in the audit trail run 1..n without a gap;
5. it deletes everything it created, even when interrupted.

    DATABASE_URL=postgres://... python bench/floor_storm.py --url http://127.0.0.1:8123 --n 200

It exits 1 when an entry is lost or duplicated or the versions have a gap, 2 on bad options.
See docs/performance.md for the figures and how the server is started.
"""

import argparse
import http.client
import ipaddress
import json
import math
import os
import secrets
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MAX_N = 2000
SLUG_PREFIX = "floor-storm-"


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
                f"{url}: the storm only runs against this machine (127.0.0.1, ::1, localhost)"
            ) from None
    return host, parts.port or 80


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def probe(host: str, port: int, timeout: float) -> str:
    """Why the server cannot be reached, or "" when it answers."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", "/api/v1/meetings/")
        connection.getresponse().read()
    except (OSError, http.client.HTTPException) as error:
        return str(error) or type(error).__name__
    finally:
        connection.close()
    return ""


@dataclass
class Stage:
    meeting_id: int
    item_id: int
    codes: list[str]
    tokens: list[str]
    delegation_ids: list[int]
    user_ids: list[int]


def prepare(n: int) -> Stage:
    """A fresh meeting in session with one open item and N delegations that may ask."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from agenda.models import AgendaItem, ApiToken
    from delegations.models import Category, Delegation, FocalPoint, Participation
    from meetings.models import Meeting

    run = secrets.token_hex(3).upper()
    today = timezone.localdate()
    categories = list(Category)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=f"Floor storm {run}",
            short_title=f"Storm {run}",
            slug=f"{SLUG_PREFIX}{run.lower()}",
            start_date=today,
            end_date=today,
            status=Meeting.Status.IN_SESSION,
        )
        item = AgendaItem.objects.create(meeting=meeting, label="1", title="Floor storm")
        codes = [f"STORM-{run}-{number:04d}" for number in range(n)]
        delegations = Delegation.objects.bulk_create(
            Delegation(code=code, name=f"Storm delegation {code}", kind=Delegation.Kind.STATE)
            for code in codes
        )
        Participation.objects.bulk_create(
            Participation(
                meeting=meeting,
                delegation=delegation,
                category=categories[number % len(categories)],
            )
            for number, delegation in enumerate(delegations)
        )
        unusable = make_password(None)  # no password: the focal points only use their tokens
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"{SLUG_PREFIX}{code.lower()}", password=unusable)
            for code in codes
        )
        FocalPoint.objects.bulk_create(
            FocalPoint(user=user, delegation=delegation)
            for user, delegation in zip(users, delegations, strict=True)
        )
        issued = [ApiToken.issue(user, name="floor storm") for user in users]
        tokens = [token for _row, token in issued]
        # Tokens in use, as a delegation's client's are: neither burst notes a first use.
        ApiToken.objects.filter(pk__in=[row.pk for row, _token in issued]).update(
            last_used_at=timezone.now()
        )
    return Stage(
        meeting_id=meeting.pk,
        item_id=item.pk,
        codes=codes,
        tokens=tokens,
        delegation_ids=[delegation.pk for delegation in delegations],
        user_ids=[user.pk for user in users],
    )


def clean_up(stage: Stage) -> None:
    """Delete the meeting (its item, list and audit trail go with it), delegations, users."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from delegations.models import Delegation
    from meetings.models import Meeting

    with transaction.atomic():
        Meeting.objects.filter(pk=stage.meeting_id).delete()
        Delegation.objects.filter(pk__in=stage.delegation_ids).delete()
        get_user_model().objects.filter(pk__in=stage.user_ids).delete()


@dataclass
class Answer:
    status: int | str  # the HTTP status, or the name of the error when there was no answer
    seconds: float  # from the release of the barrier to the end of the answer


def warm_up(host: str, port: int, item_id: int, count: int, timeout: float) -> None:
    """Read the list a few times at once, so that every server worker has loaded the code."""
    path = f"/api/v1/agenda-items/{item_id}/speakers/"

    def read():
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.request("GET", path)
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 1)


TRIVIAL_PATH = "/api/v1/meetings/"
"""The trivial request: one query, no list, no lock, the same token check."""


def storm(
    host: str,
    port: int,
    stage: Stage,
    timeout: float,
    *,
    trivial: bool = False,
    trivial_path: str = TRIVIAL_PATH,
) -> tuple[list[Answer | None], float]:
    """Send one request per delegation, all at once; returns the answers and the wall time.

    The requests for the floor, or with `trivial`, as many `GET /api/v1/meetings/` (or
    `trivial_path`) with the same tokens, through the same client: the stack's own floor,
    measured in the same run."""
    n = len(stage.codes)
    path = trivial_path if trivial else f"/api/v1/agenda-items/{stage.item_id}/speakers/"
    method = "GET" if trivial else "POST"
    barrier = threading.Barrier(n + 1)
    answers: list[Answer | None] = [None] * n
    ends = [0.0] * n
    start = 0.0

    def ask(index: int) -> None:
        body = (
            None
            if trivial
            else json.dumps({"delegation": stage.codes[index], "kind": "statement"}).encode()
        )
        headers = {"Authorization": f"Bearer {stage.tokens[index]}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.connect()  # connected before the burst: the burst is the requests
        except OSError as error:
            answers[index] = Answer(f"connect: {type(error).__name__}", 0.0)
            barrier.abort()
            return
        try:
            barrier.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            answers[index] = answers[index] or Answer("not sent", 0.0)
            connection.close()
            return
        began = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            answers[index] = Answer(response.status, time.perf_counter() - began)
        except (OSError, http.client.HTTPException) as error:
            answers[index] = Answer(type(error).__name__, time.perf_counter() - began)
        finally:
            ends[index] = time.perf_counter()
            connection.close()

    threads = [threading.Thread(target=ask, args=(index,), daemon=True) for index in range(n)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=timeout)
        start = time.perf_counter()
    except threading.BrokenBarrierError:
        pass
    deadline = time.monotonic() + 2 * timeout + 5
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    finished = [end for end in ends if end]
    wall = (max(finished) - start) if finished and start else 0.0
    return answers, wall


@dataclass
class Outcome:
    created: int
    lost: int  # asked but not on the list
    lost_after_201: int  # of those, told 201 all the same: the worst kind of loss
    unconfirmed: int  # on the list although the answer was not 201 (e.g. a timeout)
    duplicated: int
    versions_gapless: bool
    list_version: int
    events: int


def read_back(stage: Stage, answers: list[Answer | None]) -> Outcome:
    from agenda.models import AgendaItem, FloorRequest, ListEvent

    rows = list(
        FloorRequest.objects.filter(item_id=stage.item_id).values_list("delegation__code", "kind")
    )
    on_list = {code for code, _kind in rows}
    versions = sorted(
        ListEvent.objects.filter(item_id=stage.item_id).values_list("version", flat=True)
    )
    list_version = AgendaItem.objects.values_list("list_version", flat=True).get(pk=stage.item_id)
    confirmed = {
        code
        for code, answer in zip(stage.codes, answers, strict=True)
        if answer and answer.status == 201
    }
    return Outcome(
        created=len(rows),
        lost=len(set(stage.codes) - on_list),
        lost_after_201=len(confirmed - on_list),
        unconfirmed=len(on_list - confirmed),
        duplicated=len(rows) - len(set(rows)),
        versions_gapless=versions == list(range(1, len(versions) + 1))
        and list_version == len(versions) == len(rows),
        list_version=list_version,
        events=len(versions),
    )


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of non-empty `values`."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def timing(label: str, n: int, answers: list, wall: float) -> float:
    """Print the latency of one burst; returns its p99 in ms (infinite with no answer)."""
    statuses = Counter(str(answer.status) if answer else "no answer" for answer in answers)
    times = [answer.seconds for answer in answers if answer and isinstance(answer.status, int)]
    print(f"  {label}")
    if times:
        p50, p99, slowest = (percentile(times, share) * 1000 for share in (0.5, 0.99, 1.0))
        rate = f"{n / wall:.0f} requests/s" if wall else "-"
        print(f"    wall time    {wall:.3f} s  ({rate})")
        print(f"    latency      p50 {p50:.0f} ms   p99 {p99:.0f} ms   max {slowest:.0f} ms")
    else:
        p99 = float("inf")
        print("    latency      no answer at all")
    print(
        "    answers      "
        + ", ".join(f"{status} × {count}" for status, count in sorted(statuses.items()))
    )
    return p99


def report(
    round_: int,
    rounds: int,
    n: int,
    answers: list,
    wall: float,
    outcome: Outcome,
    trivial: tuple[list, float],
    goal_ratio: float,
) -> bool:
    """Print one round; True when nothing was lost, doubled or skipped."""
    statuses = Counter(str(answer.status) if answer else "no answer" for answer in answers)
    correct = outcome.lost == 0 and outcome.duplicated == 0 and outcome.versions_gapless
    print(f"round {round_}/{rounds}: {n} requests at once")
    trivial_p99 = timing(f"trivial: {n} × GET {TRIVIAL_PATH} (same tokens)", n, *trivial)
    p99 = timing(f"the floor: {n} × POST …/speakers/", n, answers, wall)
    ratio = p99 / trivial_p99 if trivial_p99 and trivial_p99 != float("inf") else float("inf")
    print(f"  p99 ratio      {p99:.0f} / {trivial_p99:.0f} ms = {ratio:.2f}")
    print(
        f"  entries        {outcome.created} created, {outcome.lost} lost "
        f"({outcome.lost_after_201} of them answered 201), {outcome.duplicated} duplicated, "
        f"{outcome.unconfirmed} on the list without a 201"
    )
    print(
        f"  versions       {outcome.events} events, list at version {outcome.list_version}: "
        + ("1..n without a gap" if outcome.versions_gapless else "GAP OR MISMATCH")
    )
    met = correct and statuses.get("201") == n and ratio <= goal_ratio
    print(
        f"  goal           all 201, none lost or doubled, gapless, p99 ≤ {goal_ratio:g} × the "
        "trivial p99: " + ("met" if met else "missed")
    )
    return correct


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument("--n", type=int, default=200, help="delegations asking at once")
    parser.add_argument("--repeat", type=int, default=1, help="storms, each on fresh data")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--warm-up", type=int, default=8, help="reads before each storm")
    parser.add_argument(
        "--goal-ratio", type=float, default=1.5, help="p99 of the floor / p99 of the trivial"
    )
    options = parser.parse_args(argv)
    try:
        host, port = loopback_address(options.url)
    except ValueError as error:
        parser.error(str(error))
    if not 1 <= options.n <= MAX_N:
        parser.error(f"--n must be between 1 and {MAX_N}")
    if not 1 <= options.repeat <= 100:
        parser.error("--repeat must be between 1 and 100")
    if not 0 < options.timeout <= 300:
        parser.error("--timeout must be between 0 and 300 seconds")

    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to the database of the server under test")
    problem = probe(host, port, options.timeout)
    if problem:
        parser.error(f"no server answers at {options.url}: {problem}")

    setup_django()
    from django.db import connection

    print(f"floor storm against {options.url}, database {connection.settings_dict['NAME']}")
    all_correct = True
    for round_ in range(1, options.repeat + 1):
        stage = prepare(options.n)
        try:
            warm_up(host, port, stage.item_id, options.warm_up, options.timeout)
            trivial = storm(host, port, stage, options.timeout, trivial=True)
            answers, wall = storm(host, port, stage, options.timeout)
            outcome = read_back(stage, answers)
            all_correct &= report(
                round_,
                options.repeat,
                options.n,
                answers,
                wall,
                outcome,
                trivial,
                options.goal_ratio,
            )
        finally:
            clean_up(stage)
    return 0 if all_correct else 1


if __name__ == "__main__":
    sys.exit(main())
