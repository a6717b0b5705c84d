from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from meetings.selectors import visible_meetings

from .models import Category

# Headings of the participants list, in the order categories speak.
CATEGORY_HEADINGS = {
    Category.STATE_PARTY: _("States Parties"),
    Category.SIGNATORY_STATE: _("Signatory States"),
    Category.OBSERVER_STATE: _("Observer States"),
    Category.INTERNATIONAL_ORGANIZATION: _("International organizations"),
    Category.RED_CROSS: _("Red Cross and Red Crescent"),
    Category.CMC: _("Cluster Munition Coalition"),
    Category.NGO: _("Non-governmental organizations"),
}


def participant_list(request, slug):
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    by_category = {category: [] for category in Category}
    participations = meeting.participations.select_related("delegation").order_by(
        "delegation__name"
    )
    for participation in participations:
        by_category[participation.category].append(participation.delegation)
    groups = [
        {
            "category": category,
            "heading": CATEGORY_HEADINGS[category],
            "delegations": delegations,
        }
        for category, delegations in by_category.items()
        if delegations
    ]
    return render(
        request,
        "delegations/participant_list.html",
        {
            "meeting": meeting,
            "groups": groups,
            "total": sum(len(group["delegations"]) for group in groups),
        },
    )
