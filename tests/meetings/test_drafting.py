"""The agenda the portal drafts, read from the demo's history as of a meeting's date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import Action, Milestone, Status
from meetings import drafting, services
from meetings.models import AgendaItem, Decision, Meeting
from reporting.periods import end_of_day
from tests.roles import make_demo_user

Section = AgendaItem.Section


@pytest.fixture
def meeting(demo_plan, db):
    """The demo's political consultations, held a year before the demo was loaded."""
    return Meeting.objects.get(plan=demo_plan, kind=Meeting.Kind.CONSULTATIONS)


def drafted(meeting, section):
    return [d for d in drafting.draft(meeting) if d.section == section]


def test_agenda_lists_exactly_the_actions_delayed_or_at_risk_on_the_meeting_date(meeting):
    then = Action.history.as_of(end_of_day(meeting.date))
    expected = {a.pk for a in then if a.status in (Status.DELAYED, Status.AT_RISK)}
    now = {a.pk for a in Action.objects.filter(status__in=[Status.DELAYED, Status.AT_RISK])}

    listed = {d.action_id for d in drafted(meeting, Section.DELAYED)}

    assert expected, "the demo has no action delayed or at risk on the meeting's date"
    assert listed == expected
    assert listed != now, "the agenda read today's statuses, not the meeting date's"


def test_agenda_lists_exactly_the_milestones_overdue_on_the_meeting_date(meeting):
    then = Milestone.history.as_of(end_of_day(meeting.date))
    expected = {m.pk for m in then if m.done_on is None and m.due_date < meeting.date}

    listed = {d.milestone_id for d in drafted(meeting, Section.OVERDUE)}

    assert expected, "the demo has no milestone overdue on the meeting's date"
    assert listed == expected


def test_the_demo_agenda_was_drafted_with_what_the_plan_called_for_then(meeting):
    stored = {drafting.item_key(i) for i in meeting.agenda.filter(drafted=True, section="delayed")}
    assert stored == {d.key for d in drafted(meeting, Section.DELAYED)}


def test_a_meeting_still_ahead_is_drafted_as_of_today(plan):
    today = timezone.localdate()
    later = Meeting(plan=plan, kind="consultations", date=today + timedelta(days=30))
    assert drafting.agenda_date(later) == today


def test_next_agenda_follows_up_the_open_decisions_of_the_previous_meeting(demo_plan, db):
    second = Meeting.objects.get(plan=demo_plan, kind=Meeting.Kind.WORKING_GROUP)
    first_decisions = Decision.objects.filter(meeting__kind=Meeting.Kind.CONSULTATIONS)

    followed = {d.decision_id for d in drafted(second, Section.FOLLOW_UP)}

    assert followed == set(first_decisions.values_list("pk", flat=True))


def test_an_update_returned_in_two_revisions_is_on_the_agenda(plan):
    from tests.factories import ProgressUpdateFactory

    staff = make_demo_user("embassy_dk")
    action = Action.objects.get(chapter__plan=plan, number="5.2")
    update = ProgressUpdateFactory(action=action)
    for revision in (1, 2):
        update.review_state = "returned"
        update.revision = revision
        update.save()
        update.review_state = "submitted"
        update.save()
    once = ProgressUpdateFactory(action=action, review_state="returned")
    meeting = services.create_meeting(
        plan=plan, user=staff, kind="consultations", date=update.submitted_at.date(), place="Here"
    )

    listed = {d.update_id for d in drafted(meeting, Section.RETURNED)}

    assert update.pk in listed
    assert once.pk not in listed


def test_the_demo_has_two_past_meetings_with_decisions_one_made_a_milestone(demo_plan, db):
    meetings = list(Meeting.objects.filter(plan=demo_plan).prefetch_related("decisions"))
    today = timezone.localdate()
    assert len(meetings) == 2
    assert all(m.date < today and m.decisions.all() for m in meetings)
    accepted = Decision.objects.filter(state=Decision.State.ACCEPTED, milestone__isnull=False)
    assert accepted.exists()
    assert Decision.objects.filter(state=Decision.State.RECORDED).exists()
