"""The meeting's .ics file, read back by an iCalendar parser."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from tests.factories import MeetingFactory
from tests.roles import make_demo_user, signed_in


def read_calendar(client, meeting):
    response = signed_in(client, make_demo_user("official")).get(
        reverse("meetings:calendar", args=[meeting.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_ics_of_a_timed_meeting_parses_with_its_time_and_place(client, plan, settings):
    meeting = MeetingFactory(
        plan=plan, date=date(2026, 5, 4), starts_at=time(10), ends_at=time(12, 30), place="Aarhus"
    )
    [event] = read_calendar(client, meeting).walk("VEVENT")
    zone = ZoneInfo(settings.TIME_ZONE)
    assert event.decoded("dtstart") == datetime(2026, 5, 4, 10, tzinfo=zone)
    assert event.decoded("dtend") == datetime(2026, 5, 4, 12, 30, tzinfo=zone)
    assert str(event["location"]) == "Aarhus"
    assert "High-level political consultations" in str(event["summary"])
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_the_ics_of_a_meeting_without_a_time_is_a_whole_day(client, plan):
    meeting = MeetingFactory(plan=plan, date=date(2026, 5, 4))
    [event] = read_calendar(client, meeting).walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 5, 4)
    assert event.decoded("dtend") == date(2026, 5, 5)


def test_the_ics_names_each_participant_as_the_pages_do(client, plan):
    from meetings.models import Participant
    from tests.factories import UserFactory

    meeting = MeetingFactory(plan=plan, date=date(2026, 5, 4))
    named = UserFactory(username="named", first_name="Ana", last_name="Ruiz")
    unnamed = UserFactory(username="no-name-yet", first_name="", last_name="")
    Participant.objects.create(meeting=meeting, side="MX", user=named)
    Participant.objects.create(meeting=meeting, side="DK", user=unnamed)
    Participant.objects.create(meeting=meeting, side="DK", name="Guest", institution="UN")

    [event] = read_calendar(client, meeting).walk("VEVENT")
    names = str(event["description"]).splitlines()
    assert sorted(names) == ["Ana Ruiz", "Guest (UN)", "no-name-yet"]
