"""A list of speakers kept in memory, between two writes, by the server process that wrote it.

Every request for the floor reads its list under the item's lock to judge the request against
it (`lean.lock_with_entries`). Read and turned into plain values, a list of a hundred
entries costs more than the rest of the request together, and it is the same list the process
wrote a moment before. So the process keeps each list it read or wrote, with a **stamp** per
entry: the entry's id and the versions of its row, of its delegation's row and of its group's
row (PostgreSQL's `xmin`, the transaction that wrote that version of the row: any change to the
row makes a new version, with a new `xmin`). Under the lock, PostgreSQL computes the digest of
the stamps as the list stands and sends the rows only when it differs from the digest of the
list kept: an entry added, changed or deleted by anyone (another process, the chair's console,
the admin, a delegation renamed, a group's precedence changed) changes it, and the list is read
again. A list kept is therefore never stale; at worst it is read again.

After its own write, the process adds the new entries to the list it kept, with the stamps the
write statement returns (its own transaction's id: `txid_current()`), so the next request for
the same list finds it kept. Only PostgreSQL; at most `KEPT_LISTS` lists per process.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .ordering import Entry

KEPT_LISTS = 64


@dataclass(frozen=True)
class Kept:
    digest: str
    stamps: tuple[str, ...]  # "id.row.delegation.group", in the order of the ids
    entries: tuple[Entry, ...]


_kept: OrderedDict[int, Kept] = OrderedDict()
_mutex = threading.Lock()


def digest_of(stamps) -> str:
    """The digest PostgreSQL computes (`STAMPS_DIGEST`) of the same stamps."""
    return hashlib.md5(",".join(stamps).encode(), usedforsecurity=False).hexdigest()


def stamp_sql(entry: str, delegation: str, group: str) -> str:
    """The stamp of a row of the list read with the tables' aliases `entry`, `delegation` and
    `group` (the row's own version may be given as `entry` = "id_column|xmin_expression")."""
    pk, _, version = entry.partition("|")
    return (
        f"{pk}::text || '.' || {version}::text || '.' || "
        f"coalesce({delegation}.xmin::text, '') || '.' || coalesce({group}.xmin::text, '')"
    )


STAMPS_DIGEST = "md5(coalesce(string_agg(stamp, ',' ORDER BY entry_id), ''))"
"""The digest of a list's stamps (columns `stamp` and `entry_id`), as `digest_of` computes it."""


def recall(item_id: int) -> Kept | None:
    with _mutex:
        return _kept.get(item_id)


def remember(item_id: int, stamps, entries) -> Kept:
    """Keep the list of `entries` with their `stamps` (in any order) for item `item_id`."""
    order = sorted(zip(stamps, entries, strict=True), key=_entry_id)
    kept = Kept(
        digest=digest_of(stamp for stamp, _entry in order),
        stamps=tuple(stamp for stamp, _entry in order),
        entries=tuple(entry for _stamp, entry in order),
    )
    with _mutex:
        _kept[item_id] = kept
        _kept.move_to_end(item_id)
        while len(_kept) > KEPT_LISTS:
            _kept.popitem(last=False)
    return kept


def _entry_id(pair) -> int:
    return pair[1].id


def forget(item_id: int | None = None) -> None:
    """Drop the list kept for `item_id` (every list: None)."""
    with _mutex:
        if item_id is None:
            _kept.clear()
        else:
            _kept.pop(item_id, None)


def added(item_id: int, digest: str | None, stamps, entries) -> None:
    """After a committed write of new entries (their `stamps` and `entries`) on the list
    whose digest was `digest` under the same lock: keep the list with them."""
    base = recall(item_id)
    if base is None or digest is None or base.digest != digest:
        return
    remember(item_id, [*base.stamps, *stamps], [*base.entries, *entries])
