"""A delegation's category at a meeting, corrected by the secretariat: its waiting requests for
the floor are re-ranked, and every list that changed says so.

A request for the floor keeps the category its delegation had when it asked
(`FloorRequest.category`): the order of statements reads it there. When the secretariat
corrects a delegation's category (an observer State that was a State Party all along), the
delegation's *waiting* requests take the new category, so they stand where the rule now puts
them; what it said already (speaking, spoken) keeps the category it was said under: that is the
record. Each list that changed is changed the way every list is (`agenda.speakers.changes`):
its item's row locked, its version bumped, one event ("recategorised") in the audit trail,
announced to the screens once committed.

The admin's change of a participation's category comes here (`agenda/admin.py`); an import of
delegation lists does not (docs/imports.md).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest
from delegations.models import ParticipantCategory, Participation
from meetings.roles import is_secretariat

from . import changes
from .ordering import Status
from .selectors import SpeakersList, build_list

ACTION = "recategorised"


def _places(state: SpeakersList, delegation_id: int) -> list[dict]:
    """The delegation's waiting entries on a list, with their places."""
    return [
        {
            "entry": entry.pk,
            "kind": entry.kind,
            "category": entry.category,
            "position": place,
        }
        for place, entry in enumerate(state.waiting, start=1)
        if entry.delegation_id == delegation_id
    ]


def participation_category_set(*, participation: Participation, category: str, user) -> int:
    """Correct the delegation's category at the meeting and re-rank its waiting requests.

    Only the secretariat. In one transaction: the participation takes `category` (a code of
    `ParticipantCategory`); on every item of the meeting where the delegation waits, its
    waiting requests take it too, and the list logs one "recategorised" event (before and
    after: the category, and the delegation's waiting entries with their places). Entries
    speaking or spoken keep theirs. Returns how many lists changed; none when the category was
    already that one.
    """
    if not is_secretariat(user):
        raise NotAllowed(_("Only the secretariat may correct a delegation's category."))
    category = (category or "").strip()
    table = ParticipantCategory.table()
    if category not in table:
        raise FloorError(ParticipantCategory.unknown_message(category, table), field="category")
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("delegation")
            .get(pk=participation.pk)
        )
        before = participation.category
        if before == category:
            return 0
        participation.category = category
        participation.save(update_fields=["category"])
        delegation = participation.delegation
        item_ids = sorted(
            set(
                FloorRequest.objects.filter(
                    item__meeting_id=participation.meeting_id,
                    delegation=delegation,
                    status=Status.WAITING,
                ).values_list("item_id", flat=True)
            )
        )
        now = timezone.now()
        changed = 0
        # The items' rows are locked one after the other, in the order of their ids.
        for item_id in item_ids:
            item, state = changes.lock_list(item_id, closed_too=True)
            waiting = [
                entry
                for entry in state.waiting
                if entry.delegation_id == delegation.pk and entry.category != category
            ]
            if not waiting:
                continue
            places_before = _places(state, delegation.pk)
            FloorRequest.objects.filter(pk__in=[entry.pk for entry in waiting]).update(
                category=category
            )
            for entry in waiting:
                entry.category = category
            after_state = build_list(item, state.requests)
            changes.log_change(
                item,
                user=user,
                action=ACTION,
                entry=waiting[0] if len(waiting) == 1 else None,
                delegation=delegation,
                before={"delegation": delegation.code, "category": before,
                        "entries": places_before},
                after={"delegation": delegation.code, "category": category,
                       "entries": _places(after_state, delegation.pk)},
                now=now,
            )  # fmt: skip
            changed += 1
    return changed
