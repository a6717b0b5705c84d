"""Which meetings a visitor may see: the one rule every page, the API and the stream use.

A draft belongs to the secretariat: the secretariat sees it (pages show a "draft" badge),
everyone else is answered 404, as if it did not exist.
"""

from django.db.models import QuerySet

from .models import Meeting
from .roles import is_secretariat


def visible_meetings(user) -> QuerySet[Meeting]:
    """The meetings `user` (an account or an anonymous visitor) may open."""
    if is_secretariat(user):
        return Meeting.objects.all()
    return Meeting.objects.public()


def may_see_meeting(user, meeting: Meeting) -> bool:
    """Whether `user` may open `meeting` (the same rule as `visible_meetings`)."""
    return meeting.is_public or is_secretariat(user)
