"""The stack's floor: N requests at once to one address, through the floor storm's client.

Point it at any server on this machine: the bare ASGI application of `bench/hello_asgi.py`
(what the server and the client cost by themselves), or the application's trivial endpoint
under another server, to compare servers side by side with the same client. It needs no
database and prepares nothing; every request carries a made-up bearer token, as the storm's
do (a bare application ignores it).

    python bench/stack_floor.py --url http://127.0.0.1:8130 --path / --n 200 --repeat 3

It prints, per round, the wall time, requests/s and latency (p50, p99, max) and the answers.
See docs/performance.md.
"""

import argparse
import sys

import floor_storm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8130", help="the running server")
    parser.add_argument("--path", default="/", help="the address asked for")
    parser.add_argument("--n", type=int, default=200, help="requests at once")
    parser.add_argument("--repeat", type=int, default=3, help="bursts")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    options = parser.parse_args(argv)
    try:
        host, port = floor_storm.loopback_address(options.url)
    except ValueError as error:
        parser.error(str(error))
    if not 1 <= options.n <= floor_storm.MAX_N:
        parser.error(f"--n must be between 1 and {floor_storm.MAX_N}")
    problem = floor_storm.probe(host, port, options.timeout)
    if problem:
        parser.error(f"no server answers at {options.url}: {problem}")
    stage = floor_storm.Stage(
        meeting_id=0,
        item_id=0,
        codes=[f"X{number}" for number in range(options.n)],
        tokens=[f"not-a-token-{number}" for number in range(options.n)],
        delegation_ids=[],
        user_ids=[],
    )
    print(f"stack floor against {options.url}{options.path}: {options.n} requests at once")
    for round_ in range(1, options.repeat + 1):
        answers, wall = floor_storm.storm(
            host, port, stage, options.timeout, trivial=True, trivial_path=options.path
        )
        floor_storm.timing(f"round {round_}/{options.repeat}", options.n, answers, wall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
