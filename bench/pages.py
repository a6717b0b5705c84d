"""Page cost: the public item page (with its list of speakers) and the programme page, served
against the trivial endpoint, in one run, over HTTP on this machine.

1. it prepares its own data through Django (the server's DATABASE_URL), as `floor_storm.py`
   does: a meeting in session, N delegations, and here `--items` agenda items, the first with
   all N delegations on its list of speakers;
2. for `--seconds` each, `--clients` threads (one kept-alive connection each) ask for the same
   address again and again: the trivial `GET /api/v1/meetings/`, the item page
   (`/meetings/<slug>/items/<id>/`), the programme page (`/meetings/<slug>/`); the three in
   turn, `--rounds` times, so that a busy machine weighs on each alike;
3. it prints each address's requests per second (the sum over its rounds) and latency, and its
   throughput as a share of the trivial endpoint's (goal ≥ 0.5);
4. it deletes everything it created, even when interrupted.

    DATABASE_URL=postgres://... python bench/pages.py --url http://127.0.0.1:8123 --n 200

See docs/performance.md.
"""

import argparse
import http.client
import statistics
import sys
import threading
import time

import floor_storm

ADDRESSES = ("trivial", "item page", "programme")


def prepare(n: int, items: int) -> tuple[floor_storm.Stage, dict[str, str]]:
    """The storm's meeting, `items` items, the first with all N delegations waiting."""
    from django.contrib.auth import get_user_model

    from agenda.models import AgendaItem
    from agenda.speakers import services
    from delegations.models import Delegation

    stage = floor_storm.prepare(n)
    item = AgendaItem.objects.select_related("meeting").get(pk=stage.item_id)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting_id=stage.meeting_id, label=str(number), title=f"Item {number}")
        for number in range(2, items + 1)
    )
    users = get_user_model().objects.in_bulk(stage.user_ids)
    for delegation, user_id in zip(
        Delegation.objects.filter(pk__in=stage.delegation_ids).order_by("pk"),
        sorted(stage.user_ids),
        strict=True,
    ):
        services.floor_request_create(
            item=item, delegation=delegation, kind="statement", user=users[user_id]
        )
    slug = item.meeting.slug
    return stage, {
        "trivial": floor_storm.TRIVIAL_PATH,
        "item page": f"/meetings/{slug}/items/{item.pk}/",
        "programme": f"/meetings/{slug}/",
    }


def hammer(host: str, port: int, path: str, clients: int, seconds: float) -> list[float]:
    """`clients` threads asking for `path` for `seconds`; the latency of every answer."""
    times: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    stop = time.perf_counter() + seconds

    def run(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures.append(f"{path}: {response.status}")
                    return
                times[index].append(time.perf_counter() - began)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{path}: {type(error).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"failed: {failures[0]}")
    return [value for values in times for value in values]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument("--n", type=int, default=200, help="speakers on the item's list")
    parser.add_argument("--items", type=int, default=20, help="items of the programme")
    parser.add_argument("--clients", type=int, default=8, help="connections at once")
    parser.add_argument("--seconds", type=float, default=5.0, help="per address and round")
    parser.add_argument("--rounds", type=int, default=2, help="turns of the three addresses")
    options = parser.parse_args(argv)
    try:
        host, port = floor_storm.loopback_address(options.url)
    except ValueError as error:
        parser.error(str(error))
    if not 1 <= options.n <= floor_storm.MAX_N or not 1 <= options.items <= 200:
        parser.error(f"--n must be between 1 and {floor_storm.MAX_N}, --items up to 200")
    problem = floor_storm.probe(host, port, 10)
    if problem:
        parser.error(f"no server answers at {options.url}: {problem}")
    floor_storm.setup_django()

    stage, paths = prepare(options.n, options.items)
    try:
        for path in paths.values():  # every worker has loaded the code and the templates
            hammer(host, port, path, options.clients, 1.0)
        times: dict[str, list[float]] = {name: [] for name in ADDRESSES}
        spent: dict[str, float] = dict.fromkeys(ADDRESSES, 0.0)
        for _round in range(options.rounds):
            for name in ADDRESSES:
                began = time.perf_counter()
                times[name] += hammer(host, port, paths[name], options.clients, options.seconds)
                spent[name] += time.perf_counter() - began
        print(
            f"pages against {options.url}: {options.n} speakers on the item's list, "
            f"{options.items} items, {options.clients} connections, "
            f"{options.rounds} × {options.seconds:g} s each"
        )
        rates = {name: len(times[name]) / spent[name] for name in ADDRESSES}
        for name in ADDRESSES:
            values = sorted(times[name])
            p50 = statistics.median(values) * 1000
            p99 = values[max(0, int(len(values) * 0.99) - 1)] * 1000
            share = rates[name] / rates["trivial"]
            goal = (
                ""
                if name == "trivial"
                else ("  goal ≥ 0.5: " + ("met" if share >= 0.5 else "missed"))
            )
            print(
                f"  {name:<10} {paths[name]:<40} {rates[name]:7.1f} requests/s  "
                f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  × {share:.2f}{goal}"
            )
    finally:
        floor_storm.clean_up(stage)
    return 0


if __name__ == "__main__":
    sys.exit(main())
