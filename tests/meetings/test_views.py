"""The meeting pages: what they show, their query budgets, and bad input refused on the form."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Decision, Meeting
from partners.models import Institution
from tests.factories import MeetingFactory
from tests.roles import action_in, make_demo_user, signed_in


@pytest.fixture
def staff(plan):
    return make_demo_user("embassy_mx")


@pytest.fixture
def full_meeting(plan, staff):
    """A past meeting with participants, an agenda of several kinds of item and decisions."""
    meeting = MeetingFactory(plan=plan, date=date(2025, 3, 12))
    services.add_participant(meeting=meeting, user=staff, side="MX", person=staff)
    services.add_participant(
        meeting=meeting, user=staff, side="DK", name="Anne Holm", institution="MFA Denmark"
    )
    for number in ("5.2", "3.1", "6.3"):
        action = action_in(plan, number)
        services.add_agenda_item(meeting=meeting, user=staff, title=f"Progress of {action}")
        decision = services.record_decision(
            meeting=meeting,
            user=staff,
            title=f"Workshop on {number}",
            text="A joint workshop is held.",
            outcome=Decision.Outcome.MILESTONE,
            actions=[action],
            owner=Institution.objects.get(code="cofepris"),
            due_date=date(2025, 9, 30),
            at=datetime(2025, 3, 12, 15, tzinfo=UTC),
        )
        services.accept_decision(
            decision=decision, user=staff, at=datetime(2025, 3, 13, tzinfo=UTC)
        )
    return meeting


def test_the_meeting_page_shows_participants_agenda_and_decisions(client, full_meeting, staff):
    response = signed_in(client, staff).get(reverse("meetings:detail", args=[full_meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anne Holm, MFA Denmark" in page
    assert "Progress of 3.1" in page
    assert "Workshop on 6.3" in page


def test_the_meeting_page_stays_within_its_query_budget(
    client, full_meeting, staff, django_assert_max_num_queries
):
    signed_in(client, staff)
    client.get(reverse("meetings:detail", args=[full_meeting.pk]))
    with django_assert_max_num_queries(22):
        response = client.get(reverse("meetings:detail", args=[full_meeting.pk]))
    assert response.status_code == 200


def test_the_meeting_page_reads_no_more_for_a_longer_agenda(
    client, full_meeting, staff, plan, django_assert_num_queries
):
    signed_in(client, staff)
    url = reverse("meetings:detail", args=[full_meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for number in ("6.1", "6.2", "7.1", "7.2"):
        services.add_agenda_item(meeting=full_meeting, user=staff, title=f"Progress of {number}")
        services.record_decision(
            meeting=full_meeting,
            user=staff,
            title=f"Noted {number}",
            text="Noted.",
            outcome=Decision.Outcome.NOTED,
            actions=[action_in(plan, number)],
            at=datetime(2025, 3, 12, 16, tzinfo=UTC),
        )
    with django_assert_num_queries(len(short)):
        response = client.get(url)
    assert len(response.context["agenda"]) == 7


def test_the_meeting_list_stays_within_its_query_budget(
    client, plan, staff, django_assert_max_num_queries
):
    for day in range(1, 8):
        MeetingFactory(plan=plan, date=date(2025, 1, day))
    signed_in(client, staff)
    client.get(reverse("meetings:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["meetings"]) == 7


def test_staff_arrange_a_meeting_of_a_working_group(client, plan, staff):
    chapter = plan.chapters.get(number=5)
    response = signed_in(client, staff).post(
        reverse("meetings:add"),
        {"kind": "working_group", "chapter": chapter.pk, "date": "2026-05-04", "place": "Aarhus"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.chapter, meeting.place, meeting.created_by) == (chapter, "Aarhus", staff)
    assert meeting.history.get().history_user == staff


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "working_group", "date": "2026-05-04", "place": "Aarhus"}, "Choose the chapter"),
        ({"kind": "forum", "date": "4 May", "place": "Aarhus"}, "Enter a valid date"),
        (
            {"kind": "forum", "date": "2026-05-04", "place": "Aarhus", "ends_at": "09:00"},
            "ends after it starts",
        ),
    ],
)
def test_a_meeting_with_bad_input_is_refused_on_the_form(client, plan, staff, data, message):
    response = signed_in(client, staff).post(reverse("meetings:add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_milestone_decision_without_an_owner_is_refused_on_the_form(client, plan, staff):
    meeting = MeetingFactory(plan=plan, date=date(2025, 3, 12))
    response = signed_in(client, staff).post(
        reverse("meetings:decision_add", args=[meeting.pk]),
        {
            "title": "Workshop",
            "text": "A workshop is held.",
            "actions": [action_in(plan, "5.2").pk],
            "outcome": "milestone",
            "due_date": "2025-09-30",
        },
    )
    assert response.status_code == 400
    assert "Say which institution owns the milestone." in response.content.decode()
    assert not Decision.objects.exists()


def test_accepting_a_decision_on_the_page_makes_the_milestone(client, plan, staff):
    meeting = MeetingFactory(plan=plan, date=date(2025, 3, 12))
    decision = services.record_decision(
        meeting=meeting,
        user=staff,
        title="Workshop",
        text="A workshop is held.",
        outcome=Decision.Outcome.MILESTONE,
        actions=[action_in(plan, "5.2")],
        owner=Institution.objects.get(code="cofepris"),
        due_date=date(2025, 9, 30),
        at=datetime(2025, 3, 12, 15, tzinfo=UTC),
    )
    response = signed_in(client, staff).post(
        reverse("meetings:decision_accept", args=[decision.pk])
    )
    decision.refresh_from_db()
    assert response.status_code == 302
    assert decision.milestone.title == "Workshop"


def test_the_drafted_agenda_is_added_from_the_page(client, plan, staff):
    from actions import services as actions

    action = action_in(plan, "5.2")
    actions.update_action_status(
        action=action, user=staff, status="at_risk", progress=5, expected_version=action.version
    )
    meeting = MeetingFactory(plan=plan, date=date(2030, 1, 1))
    signed_in(client, staff).post(reverse("meetings:agenda_draft", args=[meeting.pk]))
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert [i.action_id for i in meeting.agenda.all()] == [action.pk]
    assert "drafted by the portal" in page
