"""Writing the record: the secretariat's corrections of delivered entries, and the Lausanne
Action Plan tags coordinators put on them.

Both change an item's list of speakers, so both go the way every change of a list goes
(`agenda.speakers.changes`): the item's row locked, the change logged in the audit trail with
what was there before and after, and announced once committed.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, LapAction, LapTag
from agenda.roles import may_tag
from agenda.speakers import changes
from agenda.speakers.checks import checked_language, checked_reason, checked_speaker_name
from delegations.models import ParticipantCategory
from meetings.roles import is_secretariat

from .selectors import is_delivered

RECORD_FIELDS = ("speaker_name", "language", "started_at", "ended_at", "paused_total", "category")


def _as_json(value):
    """A value as the audit trail stores it (JSON): times in ISO 8601, durations in seconds."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def record_corrections_check(*, entry: FloorRequest, corrections: dict) -> dict:
    """The corrections that change something, checked: {field: new value}.

    Raises `FloorError` (with the field) for a value the record cannot hold. The admin's form
    calls this to show the problem beside the field; `record_correct` calls it again.
    """
    unknown = set(corrections) - set(RECORD_FIELDS)
    if unknown:
        raise FloorError(_("Only the record's fields can be corrected."))
    if not is_delivered(entry):
        raise FloorError(_("Only a delivered entry of the record can be corrected."))
    values = {name: getattr(entry, name) for name in RECORD_FIELDS}
    values.update(corrections)
    values["speaker_name"] = checked_speaker_name(values["speaker_name"])
    checked_language(values["language"])
    if entry.delegation_id is None:
        if values["category"]:
            raise FloorError(
                _("A speaker without a delegation is in no category."), field="category"
            )
    elif values["category"] not in ParticipantCategory.table():
        raise FloorError(_("Choose one of the categories."), field="category")
    started, ended, paused = values["started_at"], values["ended_at"], values["paused_total"]
    if started is None:
        raise FloorError(_("Say when the statement began."), field="started_at")
    if ended is None:
        raise FloorError(_("Say when the statement ended."), field="ended_at")
    if ended < started:
        raise FloorError(_("A statement cannot end before it began."), field="ended_at")
    if paused is None or paused < timedelta(0):
        raise FloorError(_("The time paused cannot be negative."), field="paused_total")
    if paused > ended - started:
        raise FloorError(
            _("The time paused cannot be longer than the statement."), field="paused_total"
        )
    return {name: values[name] for name in corrections if values[name] != getattr(entry, name)}


def record_correct(*, entry: FloorRequest, corrections: dict, user, reason: str) -> FloorRequest:
    """The secretariat corrects a delivered entry of the record (speaker, language, times,
    category), with the reason; the audit trail keeps what it was before and after."""
    if not is_secretariat(user):
        raise NotAllowed(_("Only the secretariat may correct the record."))
    reason = checked_reason(reason, missing=_("Say why the record is corrected."))
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id, closed_too=True)
        entry = changes.entry_in(state, entry.pk)
        changed = record_corrections_check(entry=entry, corrections=corrections)
        if not changed:
            raise FloorError(_("Nothing was changed: the record stays as it was."))
        before = {name: _as_json(getattr(entry, name)) for name in changed}
        for name, value in changed.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(changed))
        changes.log_change(
            item,
            user=user,
            action="corrected",
            entry=entry,
            before=before,
            after={name: _as_json(value) for name, value in changed.items()},
            reason=reason,
            now=timezone.now(),
        )
    return entry


def lap_tags_set(*, entry: FloorRequest, actions: Iterable[LapAction], user) -> list[LapAction]:
    """Tag a delivered entry with the Lausanne Action Plan actions it speaks to (exactly these:
    actions not given are untagged). The item's coordinators and the secretariat may tag."""
    wanted = {action.pk: action for action in actions}
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id, closed_too=True)
        entry = changes.entry_in(state, entry.pk)
        if not may_tag(user, item):
            raise NotAllowed(_("Only the item's coordinators and the secretariat may tag."))
        if not is_delivered(entry):
            raise FloorError(_("Only a delivered entry of the record can be tagged."))
        tags = LapTag.objects.filter(entry=entry).select_related("action")
        current = {tag.action_id: tag for tag in tags}
        before = sorted(tag.action.number for tag in current.values())
        after = sorted(action.number for action in wanted.values())
        if before == after:
            return sorted(wanted.values(), key=lambda action: action.number)
        now = timezone.now()
        LapTag.objects.filter(entry=entry).exclude(action_id__in=wanted).delete()
        LapTag.objects.bulk_create(
            LapTag(
                entry=entry,
                action=action,
                tagged_by=user if getattr(user, "is_authenticated", False) else None,
                tagged_at=now,
            )
            for pk, action in wanted.items()
            if pk not in current
        )
        changes.log_change(
            item,
            user=user,
            action="tagged",
            entry=entry,
            before={"lap_actions": before},
            after={"lap_actions": after},
            now=now,
        )
    return sorted(wanted.values(), key=lambda action: action.number)
