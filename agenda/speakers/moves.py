"""Where the chair's moves put entries: the anchors to store, pure like the ordering.

`agenda.speakers.ordering` says how anchored entries are placed (each right after its anchor,
the rule's order flowing around them). These helpers say which anchors to store so that:

- `anchors_after_move`: the list changes exactly as the chair dragged it: the entry leaves its
  place, the others close up, it takes the place asked (counted over the whole list, points of
  order included); whoever the chair had put at that place follows it, whoever followed it at
  its old place stays where it stood;
- `anchors_to_end`: the entry goes last and stays last while later requests come in;
- `anchors_after_leaving`: an entry stops waiting (called, withdrawn, absent); the entries
  anchored right after it take its place, so nobody else moves.

Each returns only the entries whose anchor changes, as `{id: (anchor, anchor_entry)}`; an empty
answer means the list stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .ordering import Anchor, Entry, Kind

__all__ = ["AnchorValue", "anchors_after_leaving", "anchors_after_move", "anchors_to_end"]


def _find(entries: Sequence[Entry], entry_id: int) -> int:
    for index, entry in enumerate(entries):
        if entry.id == entry_id:
            return index
    raise ValueError(f"Entry {entry_id} is not waiting in this list of speakers.")


type AnchorValue = tuple[Anchor, int | None]


def _anchor_at(before: Sequence[Entry]) -> AnchorValue:
    """The anchor of a place: right after the last entry of `before` that is not a point of
    order, or the top when there is none."""
    for entry in reversed(before):
        if entry.kind != Kind.POINT_OF_ORDER:
            return Anchor.AFTER, entry.id
    return Anchor.TOP, None


def _anchors(entries: Iterable[Entry]) -> dict[int, AnchorValue]:
    return {entry.id: (entry.anchor, entry.anchor_entry) for entry in entries}


def _changed(before: dict[int, AnchorValue], after: dict[int, AnchorValue]):
    return {entry_id: value for entry_id, value in after.items() if before.get(entry_id) != value}


def anchors_after_move(
    order: Sequence[Entry], entry_id: int, position: int
) -> dict[int, AnchorValue]:
    """The anchors to store when the chair moves `entry_id` to place `position`.

    `order` is the current `speaking_order` of the item; `position` counts from 1 over it,
    points of order included, as the console shows the places, and is clamped to the places an
    entry that is not a point of order can take. Returns the entries whose anchor changes, with
    their new `(anchor, anchor_entry)`: the moved entry, anchored at its new place; the entry
    anchored there before, now right behind it; the entries anchored right after the moved one
    at its old place, which stay where they stood. Empty when the entry already stands at
    `position`. Storing them makes `speaking_order` return `order` with exactly that one move.

    Raises `ValueError` if the entry is not waiting, or is a point of order (never moved).
    """
    index = _find(order, entry_id)
    moved = order[index]
    if moved.kind == Kind.POINT_OF_ORDER:
        raise ValueError(
            f"Entry {entry_id} is a point of order: it is always heard first, never moved."
        )
    first = sum(1 for entry in order if entry.kind == Kind.POINT_OF_ORDER) + 1
    position = min(max(position, first), len(order))
    if position == index + 1:
        return {}
    rest = [entry for entry in order if entry.id != entry_id]
    before = _anchors(order)
    after = dict(before)
    # Who was anchored right after the moved entry stays where it stood.
    old_place = _anchor_at(order[:index])
    for entry in rest:
        if before[entry.id] == (Anchor.AFTER, entry_id):
            after[entry.id] = old_place
    # The moved entry takes its new place; whoever was anchored there follows it.
    new_place = _anchor_at(rest[: position - 1])
    for entry in rest:
        if after[entry.id] == new_place:
            after[entry.id] = (Anchor.AFTER, entry_id)
    after[entry_id] = new_place
    return _changed(before, after)


def anchors_to_end(order: Sequence[Entry], entry_id: int) -> dict[int, AnchorValue]:
    """The anchors to store when the chair puts `entry_id` at the end of the list, to stay
    there while later requests come in before it (`Anchor.END`; right after the entry kept
    last, if there is one). Like `anchors_after_move` otherwise."""
    index = _find(order, entry_id)
    if order[index].kind == Kind.POINT_OF_ORDER:
        raise ValueError(
            f"Entry {entry_id} is a point of order: it is always heard first, never moved."
        )
    rest = [entry for entry in order if entry.id != entry_id]
    before = _anchors(order)
    kept_last = before[entry_id] == (Anchor.END, None) or any(
        entry.anchor == Anchor.END for entry in rest
    )
    if index == len(order) - 1 and kept_last:
        return {}  # already last, and kept there
    after = dict(before)
    old_place = _anchor_at(order[:index])
    for entry in rest:
        if before[entry.id] == (Anchor.AFTER, entry_id):
            after[entry.id] = old_place
    kept_last = any(after[entry.id] == (Anchor.END, None) for entry in rest)
    after[entry_id] = _anchor_at(rest) if kept_last else (Anchor.END, None)
    return _changed(before, after)


def anchors_after_leaving(order: Sequence[Entry], entry_id: int) -> dict[int, AnchorValue]:
    """The anchors to store when `entry_id` stops waiting (called, withdrawn, absent).

    Call it before the entry stops waiting, with the current `speaking_order`. The entries
    anchored right after it take its place (they are anchored where it stood), so the list
    loses that entry and nothing else moves. Returns the entries whose anchor changes. The
    service should also clear the leaving entry's own anchor. Raises `ValueError` if the entry
    is not waiting in `order`.
    """
    index = _find(order, entry_id)
    place = _anchor_at(order[:index])
    before = _anchors(order)
    after = {
        entry.id: place if before[entry.id] == (Anchor.AFTER, entry_id) else before[entry.id]
        for entry in order
        if entry.id != entry_id
    }
    return _changed(before, after)
