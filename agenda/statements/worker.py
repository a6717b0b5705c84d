"""Work done after a request, in a few threads of the server process: nothing new to run.

`run_after_commit(function, *args)` queues `function(*args)` for when the current transaction
commits (never for a change that is rolled back), to run in one of `STATEMENT_TEXT_WORKERS`
threads (2 by default) of a pool each server process starts the first time it needs it. The
request that queued it answers at once. At most `MAX_QUEUED` jobs wait; more are dropped with
a warning (what they would have done can be done again: the admin's "Read the words of their
statements"), and so are those still queued when the process stops.

With `STATEMENT_TEXT_WORKERS = 0` the job runs when the transaction commits, in the thread that
committed: for scripts and tests that want the result at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)

MAX_QUEUED = 500

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pending: set[Future] = set()


def run_after_commit(function: Callable, *args) -> None:
    """Run `function(*args)` in a worker thread once the current transaction commits."""
    transaction.on_commit(partial(_submit, function, *args))


def _submit(function: Callable, *args) -> None:
    if settings.STATEMENT_TEXT_WORKERS <= 0:
        function(*args)
        return
    global _pool
    with _lock:
        if len(_pending) >= MAX_QUEUED:
            logger.warning("%s jobs are waiting: %s%r is not queued", MAX_QUEUED, function, args)
            return
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.STATEMENT_TEXT_WORKERS, thread_name_prefix="worker"
            )
        future = _pool.submit(_run, function, *args)
        _pending.add(future)
    future.add_done_callback(_done)


def _done(future: Future) -> None:
    with _lock:
        _pending.discard(future)


def _run(function: Callable, *args) -> None:
    # The thread's own database connection: fresh for each job, closed (or given back to the
    # pool) after it, as a request's is.
    close_old_connections()
    try:
        function(*args)
    except Exception:
        logger.exception("A background job failed: %s%r", function, args)
    finally:
        close_old_connections()


def wait_for_jobs(timeout: float | None = None) -> bool:
    """Wait until the jobs queued so far are done (tests, benchmarks); False on a timeout."""
    with _lock:
        pending = set(_pending)
    _done_jobs, not_done = wait(pending, timeout=timeout)
    return not not_done
