"""Meetings' writes: participants, the agenda staff edit, decisions accepted into milestones or
amendment proposals."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions import services as actions
from actions.models import Milestone
from amendments.models import Amendment
from meetings import drafting, services
from meetings.models import AgendaItem, Decision
from partners.models import Institution
from tests.factories import MeetingFactory
from tests.roles import action_in, make_demo_user

MEETING_DAY = date(2025, 3, 12)
AFTER = datetime(2025, 3, 12, 15, tzinfo=UTC)


@pytest.fixture
def staff(plan):
    return make_demo_user("embassy_dk")


@pytest.fixture
def meeting(plan):
    return MeetingFactory(plan=plan, date=MEETING_DAY)


def milestone_decision(meeting, staff, plan, **changes):
    fields = {
        "meeting": meeting,
        "user": staff,
        "title": "Joint workshop on medicines regulation",
        "text": "COFEPRIS and the Danish Medicines Agency hold a joint workshop.",
        "outcome": Decision.Outcome.MILESTONE,
        "actions": [action_in(plan, "5.2")],
        "owner": Institution.objects.get(code="cofepris"),
        "due_date": date(2025, 9, 30),
        "at": AFTER,
    }
    return services.record_decision(**fields | changes)


def test_an_accepted_decision_becomes_a_milestone_with_the_decision_linked(meeting, staff, plan):
    decision = milestone_decision(meeting, staff, plan)

    services.accept_decision(decision=decision, user=staff, at=AFTER + timedelta(days=1))

    decision.refresh_from_db()
    milestone = Milestone.objects.get(pk=decision.milestone_id)
    assert milestone.decision == decision
    assert (milestone.action.number, milestone.title, milestone.due_date) == (
        "5.2",
        "Joint workshop on medicines regulation",
        date(2025, 9, 30),
    )
    assert milestone.responsible.code == "cofepris"
    assert milestone.history.get().history_user == staff
    assert decision.state == Decision.State.ACCEPTED


def test_a_recorded_decision_changes_no_milestone_until_accepted(meeting, staff, plan):
    before = Milestone.objects.count()
    milestone_decision(meeting, staff, plan)
    assert Milestone.objects.count() == before


def test_a_decision_is_accepted_only_once(meeting, staff, plan):
    decision = milestone_decision(meeting, staff, plan)
    services.accept_decision(decision=decision, user=staff, at=AFTER)
    with pytest.raises(ValidationError):
        services.accept_decision(decision=decision, user=staff, at=AFTER)
    assert Milestone.objects.filter(decision__meeting=meeting).count() == 1


def test_a_decision_cannot_be_recorded_before_the_meeting(meeting, staff, plan):
    with pytest.raises(ValidationError):
        milestone_decision(meeting, staff, plan, at=AFTER - timedelta(days=2))
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner": None}, "owner"),
        ({"due_date": None}, "due_date"),
        ({"due_date": date(2025, 1, 1)}, "due_date"),
        ({"actions": []}, "actions"),
    ],
)
def test_a_milestone_decision_needs_one_action_an_owner_and_a_due_date(
    meeting, staff, plan, changes, field
):
    with pytest.raises(ValidationError) as refused:
        milestone_decision(meeting, staff, plan, **changes)
    assert field in refused.value.message_dict
    assert not Decision.objects.exists()


def test_an_accepted_amendment_decision_is_proposed_through_the_amendments(meeting, staff, plan):
    decision = milestone_decision(
        meeting,
        staff,
        plan,
        outcome=Decision.Outcome.AMENDMENT,
        amendment_kind=Amendment.Kind.TARGET_DATE,
        owner=None,
        due_date=date(2028, 6, 30),
    )
    action = action_in(plan, "5.2")

    services.accept_decision(decision=decision, user=staff, at=AFTER)

    amendment = Amendment.objects.get(meeting_decision=decision)
    assert (amendment.kind, amendment.action, amendment.target_date) == (
        Amendment.Kind.TARGET_DATE,
        action,
        date(2028, 6, 30),
    )
    assert amendment.state == Amendment.State.PROPOSED
    action.refresh_from_db()
    assert action.target_date != date(2028, 6, 30), "a proposal changes nothing yet"


def test_the_next_agenda_follows_up_an_accepted_milestone_until_it_is_done(meeting, staff, plan):
    decision = milestone_decision(meeting, staff, plan)
    decision = services.accept_decision(decision=decision, user=staff, at=AFTER)
    later = MeetingFactory(plan=plan, date=date(2025, 10, 15))
    milestone = Milestone.objects.get(pk=decision.milestone_id)

    followed = [d for d in drafting.draft(later) if d.section == AgendaItem.Section.FOLLOW_UP]
    milestone.done_on = date(2025, 9, 1)
    milestone._history_date = AFTER + timedelta(days=100)
    milestone.save()
    after_next = MeetingFactory(plan=plan, date=date(2026, 4, 1))
    still = [d for d in drafting.draft(after_next) if d.section == AgendaItem.Section.FOLLOW_UP]

    assert [(d.decision_id, d.milestone_id) for d in followed] == [(decision.pk, milestone.pk)]
    assert still == [], "a decision done before the previous meeting is not followed up again"


def delay(plan, number, staff):
    action = action_in(plan, number)
    return actions.update_action_status(
        action=action, user=staff, status="delayed", progress=10, expected_version=action.version
    )


def test_drafting_twice_adds_only_what_is_new_and_keeps_staff_changes(plan, staff):
    meeting = MeetingFactory(plan=plan, date=timezone.localdate())
    delay(plan, "5.2", staff)
    first = services.draft_agenda(meeting=meeting, user=staff)
    item = first[0]
    services.edit_agenda_item(item=item, user=staff, title="Our own wording", notes="")

    again = services.draft_agenda(meeting=meeting, user=staff)

    delay(plan, "3.1", staff)
    third = services.draft_agenda(meeting=meeting, user=staff)

    item.refresh_from_db()
    assert [i.action.number for i in first] == ["5.2"] and not again
    assert [i.action.number for i in third] == ["3.1"]
    assert item.title == "Our own wording" and item.drafted
    assert item.drafted_text.startswith("5.2 ")


def test_staff_add_an_item_and_move_it_to_the_top(meeting, staff, plan):
    for title in ("Opening", "Review of the plan"):
        services.add_agenda_item(meeting=meeting, user=staff, title=title)
    added = services.add_agenda_item(meeting=meeting, user=staff, title="Next meeting's date")
    for _ in range(meeting.agenda.count()):
        services.move_agenda_item(item=added, user=staff, up=True)

    order = list(meeting.agenda.order_by("position").values_list("pk", flat=True))

    assert order[0] == added.pk
    assert sorted(meeting.agenda.values_list("position", flat=True)) == list(
        range(1, len(order) + 1)
    )


def test_an_added_item_needs_a_title(meeting, staff):
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting=meeting, user=staff, title="  ")
    assert not meeting.agenda.exists()


def test_a_guest_is_named_with_their_institution(meeting, staff):
    with pytest.raises(ValidationError):
        services.add_participant(meeting=meeting, user=staff, side="MX", name="Ana Ruiz")
    guest = services.add_participant(
        meeting=meeting, user=staff, side="MX", name="Ana Ruiz", institution="SRE"
    )
    assert str(guest) == "Ana Ruiz"


def test_minutes_wait_for_the_meeting(plan, staff):
    ahead = MeetingFactory(plan=plan, date=timezone.localdate() + timedelta(days=10))
    with pytest.raises(ValidationError):
        services.request_documents(meeting=ahead, user=staff, kind="minutes")
