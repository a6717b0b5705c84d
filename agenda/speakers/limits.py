"""Time limits that hold: the chair changes a kind's limit for the rest of an item's list, and
grants a speaker more time (or takes it back).

A speech keeps the limit in force when it began (`FloorRequest.time_limit_seconds`, stored by
`services`), plus the extension the chair granted it (`FloorRequest.extension_seconds`):
`selectors.applied_limit` reads the two. So a limit changed here applies to the entries still
waiting and to every speech that begins later, never to one under way or delivered.

Each service follows `agenda.speakers.changes` like every change of a list: one transaction,
the item's row locked, the chair's permission and the version checked, one audited event.
Refusals are `FloorError`s saying why, with the field they concern.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.durations import duration_text
from agenda.errors import FloorError, NotAllowed
from agenda.models import AgendaItem, FloorRequest, SpeakingRules
from agenda.models.speakers import KIND_LABELS
from agenda.roles import chairs

from . import changes, selectors
from .ordering import Kind, Status

MIN_LIMIT = 10
"""The shortest time limit a kind can have, in seconds."""
MAX_LIMIT = 2 * 60 * 60
"""The longest time limit a kind can have, and the most extension a speech can have, in
seconds (two hours)."""


def _require_chair(user, item: AgendaItem) -> None:
    if not chairs(user, item):
        raise NotAllowed(_("Only the chair of this item may do this."))


def _whole_seconds(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FloorError(_("Give the time in whole seconds."), field=field)
    return value


def checked_limit(seconds) -> int:
    """A kind's time limit as the chair gives it: whole seconds, from 10 seconds to 2 hours."""
    seconds = _whole_seconds(seconds, "seconds")
    if seconds < MIN_LIMIT:
        raise FloorError(
            ngettext(
                "A time limit is at least %(count)s second.",
                "A time limit is at least %(count)s seconds.",
                MIN_LIMIT,
            )
            % {"count": MIN_LIMIT},
            field="seconds",
        )
    if seconds > MAX_LIMIT:
        hours = MAX_LIMIT // 3600
        raise FloorError(
            ngettext(
                "A time limit is at most %(count)s hour.",
                "A time limit is at most %(count)s hours.",
                hours,
            )
            % {"count": hours},
            field="seconds",
        )
    return seconds


def time_limit_set(
    *, item: AgendaItem, kind: str, seconds: int, user, version: int | None = None
) -> SpeakingRules:
    """The chair sets the time limit of a kind of request on the item from now on
    ("statements 3 minutes from now on").

    Stored in the item's own `SpeakingRules` (made if the item has none, its other fields left
    empty so that they still inherit the meeting's): entries still waiting and speeches that
    begin later get it; speeches already begun keep the limit they began with. A speech that
    began before limits were kept with speeches keeps the limit in force until now (it is
    stored with it here). Setting the limit the kind already has is refused. One event,
    `limit_changed`, with the kind and the seconds before and after.
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise FloorError(_("Unknown kind of request."), field="kind") from None
    seconds = checked_limit(seconds)
    with transaction.atomic():
        item = changes.lock_item(item.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        before = selectors.time_limits_for(item)[kind]
        if seconds == before:
            raise FloorError(
                _("The time limit for “%(kind)s” on %(code)s is already %(limit)s.")
                % {"kind": KIND_LABELS[kind], "limit": duration_text(seconds), "code": item.code},
                field="seconds",
            )
        # Speeches begun before limits were kept with them keep the one they had.
        FloorRequest.objects.filter(
            item=item, kind=kind, started_at__isnull=False, time_limit_seconds__isnull=True
        ).update(time_limit_seconds=before)
        rules, _created = SpeakingRules.objects.get_or_create(
            item=item, defaults={"meeting_id": item.meeting_id}
        )
        setattr(rules, f"{kind.value}_seconds", seconds)
        rules.save(update_fields=[f"{kind.value}_seconds"])
        changes.log_change(
            item,
            user=user,
            action="limit_changed",
            before={"kind": kind.value, "seconds": before},
            after={"kind": kind.value, "seconds": seconds},
            now=timezone.now(),
        )
    return rules


def speaker_extend(
    *, entry: FloorRequest, seconds: int, user, version: int | None = None
) -> FloorRequest:
    """The chair gives a speaker `seconds` more (a negative number takes back time granted
    before, at most all of it). Only a speech under way (speaking, paused or interrupted) can
    be extended: a delivered one keeps the limit that applied. The extension adds to the
    limit the speech began with; a speech that began before limits were kept with speeches
    keeps the item's limit now. One event: `extended`, or `extension_reduced` when time is
    taken back, with the extension and the limit before and after.
    """
    seconds = _whole_seconds(seconds, "seconds")
    if seconds == 0:
        raise FloorError(_("Give the time to add, in seconds."), field="seconds")
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        if entry.status != Status.SPEAKING:
            raise FloorError(
                _("%(delegation)s is not speaking: only a speech under way can be extended.")
                % {"delegation": entry.speaker}
            )
        granted = entry.extension_seconds + seconds
        if granted < 0:
            raise FloorError(
                _("%(delegation)s was granted %(granted)s: no more can be taken back.")
                % {
                    "delegation": entry.speaker,
                    "granted": duration_text(entry.extension_seconds),
                },
                field="seconds",
            )
        if granted > MAX_LIMIT:
            hours = MAX_LIMIT // 3600
            raise FloorError(
                ngettext(
                    "A speech can be extended by at most %(count)s hour.",
                    "A speech can be extended by at most %(count)s hours.",
                    hours,
                )
                % {"count": hours},
                field="seconds",
            )
        before = {
            "extension_seconds": entry.extension_seconds,
            "time_limit_seconds": state.time_limit(entry),
        }
        if entry.time_limit_seconds is None:
            entry.time_limit_seconds = state.time_limits[Kind(entry.kind)]
        entry.extension_seconds = granted
        entry.save(update_fields=["time_limit_seconds", "extension_seconds"])
        changes.log_change(
            item,
            user=user,
            action="extended" if seconds > 0 else "extension_reduced",
            entry=entry,
            before=before,
            after={
                "extension_seconds": entry.extension_seconds,
                "time_limit_seconds": state.time_limit(entry),
            },
            now=timezone.now(),
        )
    return entry
