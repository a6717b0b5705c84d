"""Helpers shared by the public pages of `agenda` and `delegations` (which import from here)."""

from meetings.models import Meeting


def visible_meetings(request):
    """Meetings this visitor may open.

    A draft belongs to the secretariat: staff see it (the page shows a "draft" badge), everyone
    else gets 404 as if it did not exist.
    """
    if request.user.is_staff:
        return Meeting.objects.all()
    return Meeting.objects.public()
