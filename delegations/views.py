from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, render

from meetings.collation import sorted_by_name
from meetings.selectors import visible_meetings

from .categories import CategoryInfo
from .models import ParticipantCategory


def participant_list(request, slug):
    """The delegations at a meeting, by category in rank order, each under the category's
    heading (`ParticipantCategory`, read with the delegations: two queries in all)."""
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    category = ParticipantCategory.objects.filter(code=OuterRef("category"))
    participations = (
        meeting.participations.select_related("delegation")
        .annotate(
            category_rank=Subquery(category.values("rank")[:1]),
            category_name=Subquery(category.values("name")[:1]),
            category_plural=Subquery(category.values("plural_name")[:1]),
        )
        .order_by("delegation__name")
    )
    groups: dict[str, dict] = {}
    for participation in participations:
        group = groups.get(participation.category)
        if group is None:
            info = CategoryInfo(
                participation.category,
                participation.category_name or "",
                participation.category_plural or "",
            )
            group = groups[participation.category] = {
                "category": participation.category,
                "heading": info.heading,
                # A category not in the table (deleted since) comes last.
                "rank": (participation.category_rank is None, participation.category_rank or 0),
                "delegations": [],
            }
        group["delegations"].append(participation.delegation)
    for group in groups.values():
        group["delegations"] = sorted_by_name(group["delegations"], lambda d: d.name)
    ordered = sorted(groups.values(), key=lambda group: (group["rank"], group["category"]))
    return render(
        request,
        "delegations/participant_list.html",
        {
            "meeting": meeting,
            "groups": ordered,
            "total": sum(len(group["delegations"]) for group in ordered),
        },
    )
