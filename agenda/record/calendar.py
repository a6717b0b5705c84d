"""The programme of a meeting as an iCalendar file, in the active language: the language of
the calendar's address (`/fr/meetings/<slug>/programme.ics`), else the person's own."""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from meetings.models import Meeting


def sitting_label(sitting) -> str:
    """A sitting's title, or where it has none its date, in the active language's words."""
    return sitting.title or _("Sitting of %(date)s") % {"date": date_format(sitting.date)}


def programme_ics(meeting: Meeting, sittings: list, url: str = "") -> bytes:
    """The meeting's sittings as iCalendar events in the meeting's time zone; each event lists
    the items taken up (`sitting.items`, as `agenda.items.sittings_with_items` sets it). Titles
    are the meeting's content in the active language (English where it is not translated), and
    say which language they are in (the LANGUAGE parameter)."""
    language = {"LANGUAGE": get_language() or "en"}
    calendar = Calendar()
    calendar.add("prodid", "-//Intersessional//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", meeting.short_title or meeting.title)
    calendar.add("x-wr-timezone", meeting.time_zone)
    zone = meeting.tzinfo
    location = ", ".join(part for part in (meeting.room, meeting.venue, meeting.city) if part)
    for sitting in sittings:
        event = Event()
        event.add("uid", f"{meeting.slug}-sitting-{sitting.pk}@intersessional")
        summary = f"{meeting.short_title or meeting.title}: {sitting_label(sitting)}"
        event.add("summary", summary.strip(), parameters=language)
        event.add("dtstart", datetime.combine(sitting.date, sitting.start_time, tzinfo=zone))
        event.add("dtend", datetime.combine(sitting.date, sitting.end_time, tzinfo=zone))
        event.add("dtstamp", datetime.combine(meeting.start_date, datetime.min.time(), zone))
        if location:
            event.add("location", location)
        lines = [f"{item.code} {item.title}" for item in sitting.items]
        if lines:
            event.add("description", "\n".join(lines), parameters=language)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
