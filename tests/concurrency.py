"""Writers at the same instant on PostgreSQL, and the proof that they met.

A race test only means something if its writers overlapped. Nothing here patches a function by
name (a patch that silently stops applying when the function moves would let the tests pass
without racing): the writers are watched and held at the database, by the SQL they send.

- `together(*calls)` runs each call in a thread of its own, with its own connection, all
  released at once. In each thread a `connection.execute_wrapper` holds the writer for `HOLD`
  right after it has read the list of speakers in its transaction (its first SELECT from
  agenda_floorrequest inside an atomic block), so that the others arrive while it holds
  whatever it locked. The race counts the writers held (`Race.held`).
- Meanwhile a monitor on a connection of its own polls `pg_locks` and records every writer it
  sees waiting for the row lock of an agenda item (`Race.waited`): a waiter holds or awaits the
  heavyweight "tuple" lock of the row while it waits for the holder's transaction.
- `holding(call, after=...)` runs one call in a thread and keeps it, with its transaction open,
  right after its first query that matches `after`, while the test does something else.
"""

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

HOLD = 0.02
"""Seconds a writer keeps the list after reading it."""

LIST_READ = re.compile(r'\s*(WITH entries AS \()?SELECT\b.*\bFROM "agenda_floorrequest"', re.DOTALL)
"""The read of an item's list of speakers (made inside the writer's transaction; a request for
the floor reads it with the digest of the list kept in memory, `agenda.speakers.kept`)."""

ITEM_LOCK = re.compile(
    r'\s*SELECT\b.*\bFROM "agenda_agendaitem" .*\bFOR (NO KEY )?UPDATE\b', re.DOTALL
)
"""The lock of an agenda item's row (`agenda.speakers.changes.lock_item`)."""

WAITING_FOR_AN_ITEM_ROW = """
    SELECT DISTINCT waiting.pid
    FROM pg_locks waiting
    JOIN pg_locks row_lock
      ON row_lock.pid = waiting.pid
     AND row_lock.locktype = 'tuple'
     AND row_lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND row_lock.relation = 'agenda_agendaitem'::regclass
    WHERE NOT waiting.granted AND waiting.pid <> pg_backend_pid()
"""

TIMEOUT = 30  # seconds: how long anything here waits before it gives up (a failure)


@dataclass
class Race:
    outcomes: list  # what each call returned or raised, in the order of the calls
    held: int  # writers held right after reading the list, each one at most once
    waited: int  # writers seen waiting for the row lock of an item


def hold_after(pattern: re.Pattern, then: Callable[[], None]):
    """An execute wrapper calling `then` once, right after the first query matching `pattern`
    run inside a transaction (an atomic block) of this thread's connection."""
    done = threading.Event()

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done.is_set() and context["connection"].in_atomic_block and pattern.match(sql):
            done.set()
            then()
        return result

    wrapper.done = done
    return wrapper


class LockWatch:
    """A thread with a connection of its own noting every backend it sees waiting for the row
    lock of an agenda item, until stopped."""

    def __init__(self) -> None:
        self.waiters: set[int] = set()
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self.run, name="lock-watch")

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(WAITING_FOR_AN_ITEM_ROW)
                self.ready.set()
                while not self.stopping.is_set():
                    cursor.execute(WAITING_FOR_AN_ITEM_ROW)
                    self.waiters.update(pid for (pid,) in cursor.fetchall())
                    time.sleep(0.001)
        except Exception as error:
            self.error = error
            self.ready.set()
        finally:
            connection.close()

    def __enter__(self) -> "LockWatch":
        self.thread.start()
        assert self.ready.wait(TIMEOUT)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error


def together(*calls: Callable, stagger: bool = False, hold: float = HOLD) -> Race:
    """Run each call in its own thread, all released at once; each writer is held for `hold`
    right after it has read the list.

    With `stagger`, each call but the first starts only once the one before it has read the
    list: it arrives while that one holds it.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)
    holds = [hold_after(LIST_READ, lambda: time.sleep(hold)) for _ in calls]

    def run(index: int, call: Callable) -> None:
        try:
            connection.ensure_connection()  # connect first, so that the start is the race
            barrier.wait(timeout=TIMEOUT)
            if stagger and index:
                assert holds[index - 1].done.wait(TIMEOUT), "the call before never read the list"
            with connection.execute_wrapper(holds[index]):
                outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    with LockWatch() as watch:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=2 * TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    return Race(
        outcomes=outcomes,
        held=sum(wrapper.done.is_set() for wrapper in holds),
        waited=len(watch.waiters),
    )


@dataclass
class Held:
    outcome: object = None  # what the call returned or raised, once released
    alive: Callable[[], bool] = lambda: False  # whether the call is still held or running


@contextmanager
def holding(call: Callable, *, after: re.Pattern) -> Iterator[Held]:
    """Run `call` in a thread of its own and keep it right after its first query matching
    `after` in its transaction, with everything it has locked so far, while the body runs;
    then let it finish. A call that never sends such a query fails the test."""
    reached, release = threading.Event(), threading.Event()
    held = Held()
    wrapper = hold_after(after, lambda: (reached.set(), release.wait(TIMEOUT)))

    def run() -> None:
        try:
            with connection.execute_wrapper(wrapper):
                held.outcome = call()
        except Exception as error:
            held.outcome = error
        finally:
            reached.set()
            connection.close()

    thread = threading.Thread(target=run)
    held.alive = thread.is_alive
    thread.start()
    try:
        assert reached.wait(TIMEOUT)
        assert wrapper.done.is_set(), f"no query matched {after.pattern}: {held.outcome!r}"
        yield held
    finally:
        release.set()
        thread.join(TIMEOUT)
    assert not thread.is_alive()
