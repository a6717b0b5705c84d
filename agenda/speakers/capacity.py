"""In what capacity a delegation takes the floor: in its own name, on behalf of a group, or
reading a joint statement for co-sponsors; and where a speaker delivers from.

The services of a list call these before they lock it: what they check does not change while
the list is busy. Each refusal says why, naming the group or the delegation, with its field.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from agenda.errors import FloorError
from agenda.models import AgendaItem
from agenda.models.requests import Presence
from agenda.speakers.admission import GROUP_KINDS
from agenda.speakers.ordering import Kind
from delegations.models import Delegation, Group, Participation

MAX_CO_SPONSORS = 200
"""More delegations than ever take part in a meeting of the Convention."""


def group_of(
    item: AgendaItem, delegation: Delegation, kind: Kind, code: str | None
) -> Group | None:
    """The group `delegation` would speak for on `item`: the one `code` names (checked: a group
    of the meeting that the delegation may speak for), none for "", and for None, where the
    kind may be said for a group, the group whose own delegation it is (the European Union's
    statements are the Union's), if any."""
    if code is None:
        if kind not in GROUP_KINDS:
            return None
        return (
            Group.objects.filter(meeting_id=item.meeting_id, delegation=delegation)
            .order_by("code")
            .first()
        )
    code = code.strip().upper()
    if not code:
        return None
    group = Group.objects.filter(meeting_id=item.meeting_id, code=code).first()
    if group is None:
        known = list(
            Group.objects.filter(meeting_id=item.meeting_id)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not known:
            message = _("“%(code)s” is not a group at this meeting: it has none.")
        else:
            message = _("“%(code)s” is not a group at this meeting. Its groups: %(known)s.")
        raise FloorError(message % {"code": code, "known": ", ".join(known)}, field="on_behalf_of")
    if not group.may_speak_for(delegation):
        raise FloorError(
            _("%(delegation)s is not a member of %(group)s: it may not speak on its behalf.")
            % {"delegation": delegation.name, "group": group.name},
            field="on_behalf_of",
        )
    return group


def co_sponsors_of(
    item: AgendaItem, delegation: Delegation, codes: Iterable[str]
) -> list[Delegation]:
    """The delegations joining the statement `delegation` reads: each a delegation taking part
    in the meeting, other than the one reading; named once each, in the order given."""
    wanted: list[str] = []
    for code in codes:
        code = (code or "").strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        return []
    if len(wanted) > MAX_CO_SPONSORS:
        raise FloorError(
            _("A joint statement names at most %(max)s co-sponsors.") % {"max": MAX_CO_SPONSORS},
            field="co_sponsors",
        )
    if delegation.code in wanted:
        raise FloorError(
            _("%(delegation)s reads the statement: it is not one of its co-sponsors.")
            % {"delegation": delegation.name},
            field="co_sponsors",
        )
    found = {
        participation.delegation.code: participation.delegation
        for participation in Participation.objects.filter(
            meeting_id=item.meeting_id, delegation__code__in=wanted
        ).select_related("delegation")
    }
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise FloorError(
            _(
                "No delegation “%(code)s” takes part in this meeting: it cannot co-sponsor the "
                "statement."
            )
            % {"code": unknown[0]},
            field="co_sponsors",
        )
    return [found[code] for code in wanted]


def checked_presence(presence: str | None) -> str:
    """Where the speaker delivers from: the room (the default), remote, or a recorded video."""
    presence = (presence or Presence.ROOM).strip()
    if presence not in Presence.values:
        raise FloorError(
            _("Say whether the speaker is in the room, remote or on a recorded video."),
            field="presence",
        )
    return presence
