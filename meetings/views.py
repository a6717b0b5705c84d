"""Helpers shared by the public pages of `agenda` and `delegations` (which import from here)."""

from meetings.models import Meeting
from meetings.roles import is_secretariat


def visible_meetings(request):
    """Meetings this visitor may open.

    A draft belongs to the secretariat: the secretariat sees it (the page shows a "draft"
    badge), everyone else gets 404 as if it did not exist. Same rule as the API.
    """
    if is_secretariat(request.user):
        return Meeting.objects.all()
    return Meeting.objects.public()
