"""One clock: every time shown or typed is in the meeting's time zone.

`MeetingTimeZoneMiddleware` makes the meeting's zone the current time zone of each request:
the meeting of the address (`/meetings/<slug>/…`), else the current meeting (the admin, My
delegation, the home page). Pages, forms (a sign-up window typed in the admin), the admin's
audit trail and its "enter times in…" hints all follow it; UTC is only what the database
keeps.

The zone is found when a time is first shown, not before: a page that shows no time (or says
its zone itself with `{% timezone meeting.time_zone %}`) reads nothing more.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from .models import Meeting


class MeetingZone(datetime.tzinfo):
    """A meeting's time zone, looked up the first time it is asked for."""

    def __init__(self, slug: str | None):
        self.slug = slug
        self._zone: zoneinfo.ZoneInfo | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        if self._zone is None:
            try:
                self._zone = zoneinfo.ZoneInfo(zone_name(self.slug))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self._zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return self._zone

    def utcoffset(self, dt):
        return self.zone.utcoffset(_in(dt, self.zone))

    def dst(self, dt):
        return self.zone.dst(_in(dt, self.zone))

    def tzname(self, dt):
        return self.zone.tzname(_in(dt, self.zone))

    def fromutc(self, dt):
        return self.zone.fromutc(dt.replace(tzinfo=self.zone)).replace(tzinfo=self)

    def __str__(self) -> str:
        return self.zone.key

    def __repr__(self) -> str:
        return f"MeetingZone({self.slug!r})"


def _in(dt, zone):
    return dt if dt is None else dt.replace(tzinfo=zone)


def zone_name(slug: str | None) -> str:
    """The time zone of the meeting `slug`, else of the current meeting, else the site's."""
    meetings = Meeting.objects.all()
    name = None
    if slug:
        name = meetings.filter(slug=slug).values_list("time_zone", flat=True).first()
    if name is None:
        current = Meeting.objects.current()
        name = current.time_zone if current is not None else None
    return name or settings.TIME_ZONE


class MeetingTimeZoneMiddleware:
    """Activates the meeting's time zone for the request (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(MeetingZone(None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("slug")
        if isinstance(slug, str) and slug and "\x00" not in slug:
            timezone.activate(MeetingZone(slug))
