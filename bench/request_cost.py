"""The fixed cost of a request and the cost of a request for the floor, in-process.

No HTTP and no contention: Django's test client calls the application one request after
another, so what is measured is the server's own CPU per request (`time.process_time`) and
its queries. Printed:

1. a trivial authenticated request (`GET /api/v1/meetings/` with a bearer token) and a request
   for the floor (`POST /api/v1/agenda-items/{id}/speakers/`, N delegations one after
   another, the list growing to N), in turn (one trivial request, then one request for the
   floor, N times: a change in the machine's speed weighs on both alike): CPU per request
   (mean, p50), queries per request, the ratio of the two (goal ≤ 2);
2. what each part of the fixed cost takes: the trivial request with each middleware left out
   in turn (the difference is that middleware's cost), with no middleware at all, the token
   check alone and the view alone;
3. what each part of a request for the floor takes (on fresh data, the list growing to N
   again): the CPU of each function on its way (the token, the item, the delegation, what is
   read before the lock, the transaction: the lock with the list, the rules and the place,
   the write with the commit; the answer), p50 over the N requests.

    DATABASE_URL=postgres://... python bench/request_cost.py --n 200

It prepares its own data (as `floor_storm.py` does) and deletes it. See docs/performance.md.
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import floor_storm  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agenda.api.auth import token_user  # noqa: E402
from meetings.models import Meeting  # noqa: E402

TRIVIAL = "/api/v1/meetings/"


def client() -> Client:
    # A new client is a new handler: it loads the middleware as the settings say now.
    return Client(HTTP_HOST="127.0.0.1", headers={"Accept": "application/json"})


def timed(call, repeat: int) -> tuple[list[float], int]:
    """CPU seconds of each of `repeat` calls, and the queries of the last one."""
    times = []
    queries = 0
    for number in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            began = time.process_time()
            call(number)
            times.append(time.process_time() - began)
        queries = len(captured)
    return times, queries


def trivial_call(http: Client, token: str):
    def call(_number):
        response = http.get(TRIVIAL, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.status_code

    return call


def line(name: str, times: list[float], queries: int | None = None) -> float:
    mean = statistics.fmean(times) * 1000
    p50 = statistics.median(times) * 1000
    extra = "" if queries is None else f"  {queries} queries"
    print(f"  {name:<44} mean {mean:6.2f} ms   p50 {p50:6.2f} ms{extra}")
    return statistics.median(times) * 1000


# --- the parts: a probe between every two middleware --------------------------------------

STAMPS: list[dict] = []


class Probe:
    """Notes when the request passes it on the way in and the response on the way out."""

    index = 0

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        stamps = request.__dict__.setdefault("probe", {})
        stamps[("in", self.index)] = time.process_time()
        response = self.get_response(request)
        stamps[("out", self.index)] = time.process_time()
        if self.index == 0:
            STAMPS.append(stamps)
        return response


def probe_class(index: int) -> str:
    """The dotted path of a probe that notes its stamps as number `index`."""
    name = f"Probe{index}"
    setattr(sys.modules[__name__], name, type(name, (Probe,), {"index": index}))
    return f"{MODULE}.{name}"


MODULE = "request_cost"
sys.modules.setdefault(MODULE, sys.modules[__name__])


def parts(token: str, repeat: int, whole_ms: float) -> None:
    """Each middleware's own time (in and out), and what is inside them all (URL resolution,
    ninja, the token check, the view)."""
    middleware = list(settings.MIDDLEWARE)
    probed = [probe_class(0)]
    for index, name in enumerate(middleware, start=1):
        probed += [name, probe_class(index)]
    with override_settings(MIDDLEWARE=probed):
        http = client()
        call = trivial_call(http, token)
        timed(call, 10)
        STAMPS.clear()
        timed(call, repeat)
    last = len(middleware)
    for index, name in enumerate(middleware, start=1):
        own = [
            (s[("in", index)] - s[("in", index - 1)]) + (s[("out", index - 1)] - s[("out", index)])
            for s in STAMPS
        ]
        print(f"  {name.rsplit('.', 1)[-1]:<44} {statistics.median(own) * 1000:6.3f} ms")
    inside = [s[("out", last)] - s[("in", last)] for s in STAMPS]
    around = [s[("out", 0)] - s[("in", 0)] for s in STAMPS]
    inner = statistics.median(inside) * 1000
    print(f"  {'all middleware together':<44} {(statistics.median(around) * 1000 - inner):6.3f} ms")
    print(f"  {'inside: URL, ninja, token check, view':<44} {inner:6.3f} ms")

    class Headers:
        headers = {"Authorization": f"Bearer {token}"}

    token_ms = line(
        "  of which the token check (token_user)", *timed(lambda _n: token_user(Headers), repeat)
    )
    view_ms = line(
        "  of which the view's query and rows",
        *timed(lambda _n: list(Meeting.objects.public()), repeat),
    )
    print(f"  {'  so ninja and URL resolution, about':<44} {inner - token_ms - view_ms:6.3f} ms")
    outside = whole_ms - statistics.median(around) * 1000
    print(f"  {'the handler outside the middleware, about':<44} {outside:6.3f} ms")


# --- the parts of a request for the floor ---------------------------------------------------

WRITE_PARTS = [
    ("agenda.api.auth", "token_user", "the token (token_user)"),
    ("agenda.api.endpoints", "_item_for", "the item and its meeting (_item_for)"),
    ("agenda.api.endpoints", "_speaker", "the delegation (_speaker)"),
    ("agenda.speakers.asks", "ask", "before the lock (asks.ask)"),
    ("agenda.speakers.asks", "_standing", "  of which the standing (asks._standing)"),
    ("agenda.speakers.batches", "write_line", "the transaction (batches.write_line)"),
    ("agenda.speakers.lean", "lock_with_entries", "  the lock and the list (lock_with_entries)"),
    ("agenda.speakers.batches", "admitted", "  the rules and the place (asks.admitted)"),
    ("agenda.speakers.lean", "record_entries", "  the write and commit (record_entries)"),
    ("agenda.speakers.services", "floor_request_create", "the service (floor_request_create)"),
    ("agenda.api.endpoints", "new_entry_out", "the answer (new_entry_out)"),
]


def write_parts(n: int) -> None:
    """N requests for the floor on fresh data, each function of `WRITE_PARTS` timed (CPU)."""
    spent: dict[str, list[float]] = {label: [] for _module, _name, label in WRITE_PARTS}
    originals = []
    for module_name, name, label in WRITE_PARTS:
        module = importlib.import_module(module_name)
        function = getattr(module, name)
        originals.append((module, name, function))

        def timed_part(*args, _function=function, _label=label, **kwargs):
            began = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_label].append(time.process_time() - began)

        setattr(module, name, timed_part)
    stage = floor_storm.prepare(n)
    try:
        http = client()
        path = f"/api/v1/agenda-items/{stage.item_id}/speakers/"
        wholes = []
        for number in range(n):
            began = time.process_time()
            response = http.post(
                path,
                {"delegation": stage.codes[number], "kind": "statement"},
                content_type="application/json",
                headers={"Authorization": f"Bearer {stage.tokens[number]}"},
            )
            wholes.append(time.process_time() - began)
            assert response.status_code == 201, (response.status_code, response.content)
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
        floor_storm.clean_up(stage)
    print(f"  {'the whole request':<44} p50 {statistics.median(wholes) * 1000:6.3f} ms")
    for label, values in spent.items():
        if values:
            print(f"  {label:<44} p50 {statistics.median(values) * 1000:6.3f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="requests for the floor")
    parser.add_argument("--trivial", type=int, default=300, help="trivial requests per setting")
    options = parser.parse_args(argv)
    if not 1 <= options.n <= floor_storm.MAX_N:
        parser.error(f"--n must be between 1 and {floor_storm.MAX_N}")

    overrides = override_settings(
        SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "127.0.0.1"]
    )
    overrides.enable()
    print(
        f"request cost, in-process, database {connection.settings_dict['NAME']} "
        f"({connection.vendor}); {options.n} writes, {options.trivial} trivial requests"
    )
    stage = floor_storm.prepare(options.n)
    try:
        http = client()
        token = stage.tokens[0]
        trivial = trivial_call(http, token)
        timed(trivial, 20)  # warm up: code loaded, caches filled
        path = f"/api/v1/agenda-items/{stage.item_id}/speakers/"

        def write(number):
            response = http.post(
                path,
                {"delegation": stage.codes[number], "kind": "statement"},
                content_type="application/json",
                headers={"Authorization": f"Bearer {stage.tokens[number]}"},
            )
            assert response.status_code == 201, (response.status_code, response.content)

        # One trivial request, then one request for the floor, and so on: a change in the
        # machine's speed during the run weighs on both alike.
        print("1. one request after another (a trivial one, then a write, in turn)")
        trivial_times, write_times = [], []
        for number in range(options.n):
            trivial_times += timed(trivial, 1)[0]
            times, write_queries = timed(lambda _n, number=number: write(number), 1)
            write_times += times
        trivial_queries = timed(trivial, 1)[1]
        trivial_p50 = line("trivial GET /api/v1/meetings/ (token)", trivial_times, trivial_queries)
        write_p50 = line(f"POST …/speakers/ (list 0 → {options.n})", write_times, write_queries)
        tenth = max(1, options.n // 10)
        line("  of which the first 10 %", write_times[:tenth])
        line("  of which the last 10 %", write_times[-tenth:])
        ratio = write_p50 / trivial_p50
        print(f"  ratio write / trivial (p50)                  {ratio:.2f}  (goal ≤ 2)")

        print("2. the parts of the fixed cost (trivial request, median per request)")
        parts(token, options.trivial, trivial_p50)
        reset_queries()
    finally:
        floor_storm.clean_up(stage)
    try:
        print(f"3. the parts of a request for the floor (list 0 → {options.n}, CPU, p50)")
        write_parts(options.n)
    finally:
        overrides.disable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
