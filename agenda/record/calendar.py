"""The programme of a meeting as an iCalendar file."""

from datetime import datetime

from icalendar import Calendar, Event

from meetings.models import Meeting


def programme_ics(meeting: Meeting, sittings: list, url: str = "") -> bytes:
    """The meeting's sittings as iCalendar events in the meeting's time zone; each event lists
    the items taken up (`sitting.items`, as `agenda.items.sittings_with_items` sets it)."""
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
        event.add("summary", f"{meeting.short_title or meeting.title}: {sitting.title}".strip())
        event.add("dtstart", datetime.combine(sitting.date, sitting.start_time, tzinfo=zone))
        event.add("dtend", datetime.combine(sitting.date, sitting.end_time, tzinfo=zone))
        event.add("dtstamp", datetime.combine(meeting.start_date, datetime.min.time(), zone))
        if location:
            event.add("location", location)
        lines = [f"{item.code} {item.title}" for item in sitting.items]
        if lines:
            event.add("description", "\n".join(lines))
        if url:
            event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
