"""A meeting as an iCalendar file (RFC 5545), for people to put it in their calendars."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from partners.models import display_name

PRODUCT = "-//Action Plan Portal//Meetings//EN"
DEFAULT_LENGTH = timedelta(hours=2)


def meeting_calendar(meeting, *, host):
    """The .ics of one meeting: an all-day event, or timed in the portal's time zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{meeting.title} — {meeting.plan.title}")
    event.add("location", meeting.place)
    if meeting.starts_at:
        zone = timezone.get_default_timezone()
        start = datetime.combine(meeting.date, meeting.starts_at, tzinfo=zone)
        end = (
            datetime.combine(meeting.date, meeting.ends_at, tzinfo=zone)
            if meeting.ends_at
            else start + DEFAULT_LENGTH
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    names = [
        display_name(p.user) if p.user else f"{p.name} ({p.institution})"
        for p in meeting.participants.all()
    ]
    if names:
        event.add("description", "\n".join(names))
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_host():
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h not in ("*",) and not h.startswith(".")]
    return hosts[0] if hosts else "action-plan-portal"
