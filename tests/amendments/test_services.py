"""Proposing, approving, rejecting and withdrawing amendments, and what each does to the plan."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from actions.models import Action, Milestone, Responsibility, Status
from amendments import services
from amendments.models import Amendment
from partners.models import Institution
from tests.amendments.conftest import (
    DK_APPROVED,
    MX_APPROVED,
    NEW_TARGET,
    PROPOSED,
    approve_both,
    milestone_of,
    propose_target_date,
    propose_text,
)
from tests.roles import action_in

pytestmark = pytest.mark.django_db


def test_a_proposal_leaves_the_plan_unchanged(people, action):
    propose_target_date(action, people.embassy_mx)

    action.refresh_from_db()
    assert action.target_date == date(2027, 12, 31)


def test_a_proposal_is_numbered_after_the_plans_last_amendment(people, plan):
    first = propose_target_date(action_in(plan, "5.2"), people.embassy_mx)
    second = propose_target_date(action_in(plan, "6.6"), people.embassy_dk)

    assert (first.number, second.number, second.side) == (1, 2, "DK")


def test_an_amendment_approved_by_one_side_changes_nothing(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    services.approve_amendment(amendment=amendment, user=people.admin_dk, at=DK_APPROVED)

    action.refresh_from_db()
    amendment.refresh_from_db()
    assert (action.target_date, amendment.state) == (date(2027, 12, 31), "proposed")


def test_an_amendment_approved_by_both_sides_is_in_force_and_applied(people, action):
    amendment = approve_both(propose_target_date(action, people.embassy_mx), people)

    action.refresh_from_db()
    assert (amendment.state, amendment.decided_at) == ("in_force", MX_APPROVED)
    assert action.target_date == NEW_TARGET
    assert amendment.previous == {"target_date": "2027-12-31"}


def test_the_change_is_dated_at_the_second_approval_and_names_the_amendment(people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)

    latest = Action.history.filter(id=action.pk).latest("history_date")
    assert (latest.history_date, latest.target_date) == (MX_APPROVED, NEW_TARGET)
    assert (latest.history_user, latest.history_change_reason) == (people.admin_mx, "Amendment 1")


def test_the_proposers_own_approval_counts_for_their_side_only(people, action):
    amendment = propose_target_date(action, people.admin_dk)
    services.approve_amendment(amendment=amendment, user=people.admin_dk, at=DK_APPROVED)

    with pytest.raises(ValidationError):
        services.approve_amendment(amendment=amendment, user=people.admin_dk, at=MX_APPROVED)
    action.refresh_from_db()
    assert action.target_date == date(2027, 12, 31)


def test_nobody_approves_for_the_other_side(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError):
        services.approve_amendment(amendment=amendment, user=people.admin_dk, side="MX")
    assert not amendment.decisions.exists()


def test_embassy_staff_do_not_approve_amendments(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError):
        services.approve_amendment(amendment=amendment, user=people.embassy_dk)


def test_liaisons_do_not_propose_amendments(people, action):
    with pytest.raises(ValidationError):
        propose_target_date(action, people.liaison)
    assert not Amendment.objects.exists()


def test_a_rejection_closes_the_amendment_and_leaves_the_plan(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    services.reject_amendment(
        amendment=amendment, user=people.admin_dk, comment="Keep the date.", at=DK_APPROVED
    )

    action.refresh_from_db()
    amendment.refresh_from_db()
    assert (amendment.state, action.target_date) == ("rejected", date(2027, 12, 31))


def test_a_rejection_without_a_comment_is_refused(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError) as refused:
        services.reject_amendment(amendment=amendment, user=people.admin_dk, comment="  ")
    assert "comment" in refused.value.message_dict
    assert Amendment.objects.get().state == "proposed"


def test_a_rejected_amendment_cannot_then_be_approved(people, action):
    amendment = propose_target_date(action, people.embassy_mx)
    services.reject_amendment(amendment=amendment, user=people.admin_dk, comment="No.")

    with pytest.raises(ValidationError):
        services.approve_amendment(amendment=amendment, user=people.admin_mx)


def test_the_proposer_withdraws_an_amendment(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    services.withdraw_amendment(amendment=amendment, user=people.embassy_mx)

    assert Amendment.objects.get().state == "withdrawn"


def test_nobody_else_withdraws_an_amendment(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError):
        services.withdraw_amendment(amendment=amendment, user=people.admin_mx)


def test_a_second_waiting_change_of_the_same_kind_is_refused(people, action):
    propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError) as refused:
        propose_target_date(action, people.embassy_dk)
    assert "kind" in refused.value.message_dict


def test_a_text_change_needs_the_wording_in_both_languages(people, action):
    with pytest.raises(ValidationError) as refused:
        services.propose_amendment(
            proposer=people.embassy_dk,
            at=PROPOSED,
            kind="text",
            action=action,
            reason="Narrower scope.",
            text_en="New wording.",
        )
    assert list(refused.value.message_dict) == ["text_es"]


def test_a_text_change_replaces_both_languages_and_keeps_the_signed_text(people, action):
    signed = action.text_en
    amendment = approve_both(propose_text(action, people.embassy_dk), people)

    action.refresh_from_db()
    assert action.text_es == "Dinamarca y México intercambiarán informes de inspección."
    assert action.text_en == "Denmark and Mexico will exchange inspection reports."
    assert amendment.previous["text_en"] == signed


def test_a_retired_action_is_discontinued_and_keeps_its_number(people, action):
    amendment = services.propose_amendment(
        proposer=people.embassy_dk,
        kind="retirement",
        action=action,
        reason="Done elsewhere.",
        at=PROPOSED,
    )
    approve_both(amendment, people)

    action.refresh_from_db()
    assert (action.number, action.status) == ("5.2", Status.DISCONTINUED)


def test_a_new_action_takes_a_number_never_used_in_its_chapter(people, plan):
    chapter = action_in(plan, "5.2").chapter
    Action.objects.filter(chapter=chapter, number=f"{chapter.number}.3").delete()
    amendment = services.propose_amendment(
        proposer=people.embassy_dk,
        at=PROPOSED,
        kind="new_action",
        chapter=chapter,
        reason="A new line of work.",
        title_en="Digital health records",
        title_es="Expedientes clínicos digitales",
        text_en="Exchange experience on digital health records.",
        text_es="Intercambiar experiencias sobre expedientes clínicos digitales.",
        target_date=date(2027, 6, 30),
        responsibilities=[(Institution.objects.get(code="dkma"), "lead")],
    )
    amendment = approve_both(amendment, people)

    new = Action.objects.get(pk=amendment.action_id)
    highest = max(Action.history.filter(chapter_id=chapter.pk).values_list("position", flat=True))
    assert new.position == highest
    assert new.number == f"{chapter.number}.{highest}"
    assert new.start_date == MX_APPROVED.date()
    assert list(new.responsibilities.values_list("institution__code", "role")) == [("dkma", "lead")]


def test_a_new_action_in_a_new_chapter_opens_the_chapter_after_the_last(people, plan):
    amendment = services.propose_amendment(
        proposer=people.embassy_mx,
        at=PROPOSED,
        kind="new_action",
        plan=plan,
        reason="Both governments open cooperation on water.",
        chapter_title_en="Water",
        chapter_title_es="Agua",
        title_en="Water utilities",
        title_es="Organismos operadores de agua",
        text_en="Exchange on water utilities.",
        text_es="Intercambio sobre organismos operadores de agua.",
        target_date=date(2027, 12, 31),
    )
    approve_both(amendment, people)

    amendment.refresh_from_db()
    assert (amendment.chapter.number, amendment.chapter.title_es) == (9, "Agua")
    assert amendment.action.number == "9.1"


def test_the_responsible_institutions_are_replaced_whole(people, action):
    amendment = services.propose_amendment(
        proposer=people.embassy_dk,
        at=PROPOSED,
        kind="responsibilities",
        action=action,
        reason="SENASICA takes the lead in Mexico.",
        responsibilities=[
            (Institution.objects.get(code="dkma"), "lead"),
            (Institution.objects.get(code="senasica"), "lead"),
            (Institution.objects.get(code="cofepris"), "partner"),
        ],
    )
    approve_both(amendment, people)

    rows = Responsibility.objects.filter(action=action).order_by("institution__code")
    assert list(rows.values_list("institution__code", "role")) == [
        ("cofepris", "partner"),
        ("dkma", "lead"),
        ("senasica", "lead"),
    ]


def test_two_leads_on_one_side_are_refused(people, action):
    with pytest.raises(ValidationError) as refused:
        services.propose_amendment(
            proposer=people.embassy_dk,
            at=PROPOSED,
            kind="responsibilities",
            action=action,
            reason="Two leads.",
            responsibilities=[
                (Institution.objects.get(code="senasica"), "lead"),
                (Institution.objects.get(code="cofepris"), "lead"),
            ],
        )
    assert "responsibilities" in refused.value.message_dict


def test_a_milestone_moved_within_the_target_date_needs_no_amendment(people, action):
    with pytest.raises(ValidationError) as refused:
        services.propose_amendment(
            proposer=people.embassy_dk,
            at=PROPOSED,
            kind="milestone",
            milestone=milestone_of(action),
            reason="Later.",
            due_date=date(2026, 1, 31),
        )
    assert "due_date" in refused.value.message_dict


def test_a_milestone_moved_beyond_the_target_date_is_rescheduled(people, action):
    milestone = milestone_of(action)
    amendment = services.propose_amendment(
        proposer=people.embassy_dk,
        at=PROPOSED,
        kind="milestone",
        milestone=milestone,
        reason="The inspection waits for the new law.",
        due_date=date(2028, 3, 31),
    )
    approve_both(amendment, people)

    milestone.refresh_from_db()
    assert milestone.due_date == date(2028, 3, 31)
    assert amendment.action_id == action.pk
    changed = Milestone.history.get(id=milestone.pk, history_change_reason="Amendment 1")
    assert changed.history_date == MX_APPROVED


def test_an_amendment_cannot_be_decided_before_it_was_proposed(people, action):
    amendment = propose_target_date(action, people.embassy_mx)

    with pytest.raises(ValidationError):
        services.approve_amendment(
            amendment=amendment, user=people.admin_dk, at=datetime(2025, 1, 1, tzinfo=UTC)
        )
    assert not amendment.decisions.exists()
