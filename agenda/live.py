"""Publishing changes of the lists of speakers to whoever listens (the live stream).

Services call `publish_list_change` from `transaction.on_commit`, never before commit, so a
rolled-back change is never announced. In one process, subscribers are plain callables.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListChange:
    meeting: str  # the meeting's slug
    item: int  # the agenda item's id
    version: int  # the list's version after the change
    action: str


_subscribers: list[Callable[[ListChange], None]] = []


def subscribe(callback: Callable[[ListChange], None]) -> Callable[[], None]:
    """Call `callback` for every change published in this process; returns an unsubscribe."""
    _subscribers.append(callback)
    return lambda: _subscribers.remove(callback) if callback in _subscribers else None


def publish_list_change(change: ListChange) -> None:
    for callback in list(_subscribers):
        try:
            callback(change)
        except Exception:
            logger.exception("A live subscriber failed on %s", change)
