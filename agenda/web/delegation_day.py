"""A delegation's day: its page follows the meeting live, and a withdrawal may be undone.

The page (`agenda.web.delegation` builds it) holds regions the live stream refreshes, as the
room screen does (`static/js/live.js`): each item's list and the delegation's places on it
(`?fragment=item&item=<id>`, on `list-<id>`), what is under discussion (`?fragment=now`, on
`agenda`), each answer carrying the notice "You are next" / "You have the floor".

Withdraw takes effect at once and says "Withdrawn — Undo"; the undo (`speaker_undo`) puts the
request back in its place for a while, then says it is too late. Both are plain forms.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest
from agenda.speakers import services
from agenda.speakers.undo import speaker_undo

from .delegation import Desk, acting_for, floor_page, panels_of
from .floor_live import notice_of, undo_tags

LIVE_FRAGMENTS = {"item", "now"}


def _live_fragment(request, desk: Desk, fragment: str):
    """What the stream refreshes: one item's place and list (`item=<id>`), or, when another
    item is taken up, what is under discussion and every item's; each with the notice."""
    panels = every = panels_of(request, desk, live=True)
    if fragment == "item":
        item_id = request.GET.get("item", "")
        panels = [panel for panel in every if str(panel.item.pk) == item_id]
        if not panels:
            raise Http404
    return render(
        request,
        "agenda/my_delegation_live.html",
        {
            "meeting": desk.meeting,
            "delegation": desk.delegation,
            "desk": desk,
            "panels": panels,
            "fragment": fragment,
            "notice": notice_of(every),
            "under_discussion": next(
                (panel for panel in every if panel.item.under_discussion), None
            ),
        },
    )


@require_GET
@never_cache
@acting_for
def delegation_floor(request, desk: Desk):
    """The delegation's page, or one of the regions the live stream refreshes on it."""
    fragment = request.GET.get("fragment")
    if fragment in LIVE_FRAGMENTS:
        return _live_fragment(request, desk, fragment)
    if fragment is not None:
        raise Http404
    return floor_page(request, desk)


@require_POST
@acting_for
def floor_withdraw(request, desk: Desk, request_id: int):
    entry = get_object_or_404(
        FloorRequest.objects.select_related("item", "delegation"),
        pk=request_id,
        item__meeting=desk.meeting,
        delegation=desk.delegation,
    )
    if not request.user.has_perm("agenda.withdraw_floor_request", entry):
        raise NotAllowed(_("You may withdraw only your own delegation's requests."))
    try:
        services.floor_request_withdraw(entry=entry, user=request.user)
    except FloorError as error:
        if isinstance(error, NotAllowed):
            raise
        messages.error(request, error.message, extra_tags=f"item-{entry.item_id}")
    else:
        messages.success(
            request,
            _("Withdrawn: your request on %(item)s.") % {"item": entry.item.code},
            extra_tags=undo_tags(entry.item_id, entry.pk),
        )
    return HttpResponseRedirect(f"{desk.url()}#item-{entry.item_id}")


@require_POST
@acting_for
def floor_undo(request, desk: Desk, request_id: int):
    """Put back a request the delegation has just withdrawn (`speaker_undo`), in its place."""
    entry = get_object_or_404(
        FloorRequest.objects.select_related("item", "delegation"),
        pk=request_id,
        item__meeting=desk.meeting,
        delegation=desk.delegation,
    )
    try:
        entry = speaker_undo(entry=entry, user=request.user)
    except NotAllowed:
        # The account acts for the delegation (checked above): the service refuses because the
        # request's last change is not the delegation's withdrawal (undone already, say).
        messages.error(
            request,
            _(
                "There is nothing to undo on %(item)s: the last change of your request was not "
                "its withdrawal."
            )
            % {"item": entry.item.code},
            extra_tags=f"item-{entry.item_id}",
        )
    except FloorError as error:
        messages.error(request, error.message, extra_tags=f"item-{entry.item_id}")
    else:
        messages.success(
            request,
            _("Your request on %(item)s is back in its place: place %(place)s.")
            % {"item": entry.item.code, "place": entry.position},
            extra_tags=f"item-{entry.item_id}",
        )
    return HttpResponseRedirect(f"{desk.url()}#item-{entry.item_id}")
