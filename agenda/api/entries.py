"""An entry of a list of speakers, and a whole list, as the JSON API answers them (`EntryOut`,
`SpeakersListOut` in `schemas.py`; docs/api.md describes every field).

Who speaks and for whom is read with the entries (`FloorRequestQuerySet.for_display`: the
delegation or the speaker without one, the group, the co-sponsors in name order), so a list
costs the same number of queries whatever it holds.
"""

from datetime import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from agenda.models import AgendaItem, FloorRequest
from agenda.speakers.selectors import accepting, overtime, speakers_list
from delegations.models import Delegation


def entry_out(entry: FloorRequest, time_limit: int, now: datetime, position=None) -> dict:
    """An entry; `time_limit`: the limit that applies to it (`SpeakersList.time_limit`)."""
    spoken = entry.speaking_time(now)
    over = overtime(spoken, time_limit)
    guest = entry.guest
    return {
        "id": entry.pk,
        "delegation": _named(entry.delegation),
        "speaker": None
        if guest is None
        else {"name": guest.name, "title": guest.title, "organisation": guest.organisation},
        "on_behalf_of": _named(entry.on_behalf_of),
        "co_sponsors": [co_sponsor.code for co_sponsor in entry.co_sponsors.all()],
        "category": entry.category,
        "kind": entry.kind,
        "status": entry.status,
        "presence": entry.presence,
        "speaker_name": entry.speaker_name,
        "language": entry.language,
        "requested_at": entry.requested_at,
        "started_at": entry.started_at,
        "ended_at": entry.ended_at,
        "paused": entry.is_paused,
        "duration_seconds": None if spoken is None else round(spoken.total_seconds(), 3),
        "time_limit_seconds": time_limit,
        "extension_seconds": entry.extension_seconds,
        "overtime_seconds": None if over is None else round(over.total_seconds(), 3),
        "position": position,
        "pinned": bool(entry.anchor),
        "added_by_chair": entry.added_by_chair,
    }


def _named(row) -> dict | None:
    """A delegation or a group as `{code, name}`; None for none."""
    return None if row is None else {"code": row.code, "name": row.name}


def new_entry_out(entry: FloorRequest, time_limit: int) -> dict:
    """An entry a service has just put on a list, as it returned it (with its `position` and
    the list's `version`): its co-sponsors read in name order, in one query (none when the
    service says it has none)."""
    if "co_sponsors" not in getattr(entry, "_prefetched_objects_cache", {}):
        prefetch_related_objects(
            [entry], Prefetch("co_sponsors", queryset=Delegation.objects.order_by("name"))
        )
    return {
        **entry_out(entry, time_limit, timezone.now(), entry.position),
        "version": entry.version,
    }


def speakers_out(item: AgendaItem) -> dict:
    """The item's list of speakers, as `selectors.speakers_list` orders it."""
    state = speakers_list(item)
    now = timezone.now()

    def out(entry):
        return None if entry is None else entry_out(entry, state.time_limit(entry), now)

    return {
        "item": item.pk,
        "version": state.version,
        "is_open": accepting(item, now),
        "opens_at": item.list_opens_at,
        "closes_at": item.list_closes_at,
        "time_limits": {kind.value: seconds for kind, seconds in state.time_limits.items()},
        "current": out(state.current),
        "interrupted": out(state.interrupted),
        "waiting": [
            entry_out(entry, state.time_limit(entry), now, position)
            for position, entry in enumerate(state.waiting, start=1)
        ],
        "done": [out(entry) for entry in state.done],
        "absent": [out(entry) for entry in state.absent],
    }


def fresh_speakers(item_id: int) -> dict:
    """The list as it stands after a change (or a refusal), read again."""
    return speakers_out(AgendaItem.objects.select_related("meeting").get(pk=item_id))


def entry_changed(entry_id: int, item_id: int) -> dict:
    """An entry after a change, read back from the list, with the list's new version."""
    state = speakers_list(AgendaItem.objects.select_related("meeting").get(pk=item_id))
    entry = next(entry for entry in state.requests if entry.pk == entry_id)
    return {
        **entry_out(entry, state.time_limit(entry), timezone.now(), state.position(entry)),
        "version": state.version,
    }
