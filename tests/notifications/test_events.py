"""Events found by query and sent at once: to the right people, never to the author, once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from actions import services as actions
from notifications import services
from notifications.models import Delivery, Mode, Start
from reporting import services as reporting
from reporting.models import Report
from tests.factories import PlanFactory
from tests.notifications.conftest import told


def submit(world, author):
    return actions.submit_update(
        action=world.action,
        author=author,
        status="on_track",
        progress=50,
        narrative="Sampling began at three rivers.",
    )


def test_a_submitted_update_is_sent_to_each_sides_deciders_and_not_to_its_author(world):
    submit(world, world.liaison_dk)
    services.notify_events()
    received = told(mail.outbox)
    assert set(received) == {"liaison-semarnat", "staff-dk", "admin-dk"}
    message = received["liaison-semarnat"][0]
    assert "6.6 Water quality" in message.subject
    assert "https://portal.example.org/actions/" in message.body


def test_running_again_sends_nothing_more(world):
    submit(world, world.liaison_mx)
    services.notify_events()
    sent = len(mail.outbox)
    assert sent > 0
    services.notify_events()
    assert len(mail.outbox) == sent


def returned_by_mexico(world, comment):
    """An update of the Danish liaison, announced, then returned by the Mexican one; the e-mails
    of the return are the only ones in the outbox."""
    update = submit(world, world.liaison_dk)
    services.notify_events()
    mail.outbox.clear()
    actions.review_update(
        update=update, reviewer=world.liaison_mx, side="MX", decision="returned", comment=comment
    )
    services.notify_events()


def test_a_returned_update_is_sent_to_its_author_with_the_comment(world):
    returned_by_mexico(world, "Please name the three rivers.")
    assert set(told(mail.outbox)) == {"liaison-dkma"}
    assert "Please name the three rivers." in mail.outbox[0].body


def test_a_jointly_approved_update_goes_to_its_author_and_the_responsible_liaisons(world):
    update = submit(world, world.staff_dk)
    for reviewer, side in ((world.liaison_dk, "DK"), (world.liaison_mx, "MX")):
        actions.review_update(update=update, reviewer=reviewer, side=side, decision="approved")
    services.notify_events()
    # Approval comes in the daily digest by default.
    approved = Delivery.objects.filter(kind="approved")
    assert {d.recipient.username for d in approved} == {
        "staff-dk",
        "liaison-dkma",
        "liaison-semarnat",
    }
    assert all(d.mode == Mode.DIGEST and d.sent_at is None for d in approved)
    services.send_reminders(today=date(2020, 1, 1))
    assert {"staff-dk", "liaison-dkma", "liaison-semarnat"} <= set(told(mail.outbox))


def test_events_from_before_notifications_started_are_never_announced(world):
    submit(world, world.liaison_dk)
    Start.objects.update(started_at=timezone.now() + timedelta(seconds=1))
    services.notify_events()
    assert mail.outbox == []


def ready_report(plan, **fields):
    return Report.objects.create(
        plan=plan,
        language="en",
        year=2025,
        as_of="2025-12-31",
        state="ready",
        pages=3,
        sha256="0" * 64,
        finished_at=timezone.now(),
        **fields,
    )


def test_a_ready_report_goes_to_each_sides_releasers_until_their_side_released(world):
    report = ready_report(PlanFactory(), kind="annual")
    reporting.release(report, user=world.staff_mx, side="MX")
    services.notify_events()
    assert set(told(mail.outbox)) == {"staff-dk", "admin-dk"}


def test_a_liaison_is_never_told_of_another_institutions_unreleased_report(world):
    ready_report(PlanFactory(), kind="institution", institution=world.cofepris)
    services.notify_events()
    services.send_reminders(today=date(2020, 1, 1))
    received = told(mail.outbox)
    assert "liaison-semarnat" not in received and "liaison-dkma" not in received
    assert not Delivery.objects.filter(recipient=world.liaison_dk).exists()


def test_a_released_report_is_sent_only_to_those_who_asked(world):
    services.set_preferences(user=world.official, language="es", report_released=Mode.IMMEDIATE)
    report = ready_report(PlanFactory(), kind="annual")
    services.notify_events()
    mail.outbox.clear()
    reporting.release(report, user=world.staff_dk, side="DK")
    reporting.release(report, user=world.staff_mx, side="MX")
    services.notify_events()
    assert set(told(mail.outbox)) == {"official"}
    assert "publicado" in mail.outbox[0].subject or "ambas partes" in mail.outbox[0].subject


@pytest.mark.parametrize("mode", [Mode.NONE, Mode.DIGEST])
def test_a_person_who_chose_otherwise_gets_no_immediate_mail(world, mode):
    services.set_preferences(user=world.liaison_mx, language="en", submitted=mode)
    submit(world, world.liaison_dk)
    services.notify_events()
    assert "liaison-semarnat" not in told(mail.outbox)


def test_sendnotifications_announces_what_waits_and_then_nothing(world, capsys):
    from django.core.management import call_command

    submit(world, world.liaison_dk)
    call_command("sendnotifications")
    assert "3 sent" in capsys.readouterr().out
    call_command("sendnotifications")
    assert "0 new; 0 sent" in capsys.readouterr().out


def test_a_liaison_is_told_nothing_of_actions_their_institution_does_not_answer_for(world):
    """COFEPRIS answers only for the other action: nothing of 6.6 reaches its liaison."""
    submit(world, world.liaison_dk)
    services.notify_events()
    services.send_reminders(today=date(2026, 3, 2))
    for delivery in Delivery.objects.filter(recipient=world.liaison_cofepris):
        assert delivery.facts.get("action") != "6.6"
    for message in told(mail.outbox).get("liaison-cofepris", []):
        assert "Water quality" not in message.body


# Decisions on the plan, for the plan administrators


def propose_extension(world, proposer):
    from amendments import services as amendments

    return amendments.propose_amendment(
        proposer=proposer,
        kind="target_date",
        action=world.action,
        reason="The sampling season moved.",
        target_date=world.action.target_date + timedelta(days=365),
    )


def test_a_proposed_amendment_goes_to_the_plan_administrators_who_decide_it(world):
    from amendments import services as amendments

    amendment = propose_extension(world, world.staff_dk)
    services.notify_events()
    received = told(mail.outbox)
    assert set(received) == {"admin-dk", "admin-mx"}
    [message] = received["admin-mx"]
    assert f"Amendment {amendment.number}" in message.subject
    assert "You decide for Mexico." in message.subject
    assert f"https://portal.example.org/amendments/{amendment.pk}/" in message.body

    mail.outbox.clear()
    amendments.approve_amendment(amendment=amendment, user=world.admin_dk)
    services.notify_events()
    assert mail.outbox == []  # each side was told once, when it was proposed


def test_an_administrator_who_proposes_is_not_told_of_their_own_proposal(world):
    propose_extension(world, world.admin_mx)
    services.notify_events()
    assert set(told(mail.outbox)) == {"admin-dk"}


def test_a_joint_assessment_goes_to_the_other_sides_administrators_again_when_changed(world):
    from assessments import services as assessments
    from reporting.periods import Period

    period = Period(2025, None)
    for side, staff in (("DK", world.staff_dk), ("MX", world.staff_mx)):
        assessments.give_assessment(
            action=world.action,
            side=side,
            period=period,
            user=staff,
            completion="substantial",
            timeliness="on_time",
        )
    joint = assessments.propose_joint_assessment(
        action=world.action,
        period=period,
        user=world.admin_dk,
        side="DK",
        completion="substantial",
        timeliness="on_time",
    )
    services.notify_events()
    received = told(mail.outbox)
    assert set(received) == {"admin-mx"}
    assert "joint assessment of 6.6 Water quality for 2025" in received["admin-mx"][0].subject
    assert "https://portal.example.org/assessments/2025/actions/" in received["admin-mx"][0].body

    mail.outbox.clear()
    assessments.propose_joint_assessment(
        action=world.action,
        period=period,
        user=world.admin_mx,
        side="MX",
        completion="complete",
        timeliness="on_time",
        expected_version=joint.version,
    )
    services.notify_events()
    assert set(told(mail.outbox)) == {"admin-dk"}  # the changed value waits for Denmark now


def test_a_proposed_amendment_is_told_in_the_administrators_language(world):
    from notifications.models import Preferences

    Preferences.objects.create(user=world.admin_mx, language="es")
    amendment = propose_extension(world, world.staff_dk)
    services.notify_events()
    [message] = told(mail.outbox)["admin-mx"]
    assert message.subject.startswith(f"{world.staff_dk.get_full_name()} propuso la Enmienda ")
    assert message.subject.endswith(". Usted decide por México.")
    assert f"Enmienda {amendment.number}: Fecha meta:" in message.subject


def test_a_text_or_a_comment_of_several_paragraphs_makes_a_one_line_subject(world):
    from amendments import services as amendments

    amendments.propose_amendment(
        proposer=world.staff_dk,
        kind="text",
        action=world.action,
        reason="A wider scope.",
        text_en="First paragraph.\r\n\r\nSecond paragraph.",
        text_es="Primer párrafo.\r\n\r\nSegundo párrafo.",
    )
    services.notify_events()
    [message] = told(mail.outbox)["admin-mx"]
    assert message.subject.endswith(
        "Text: First paragraph. Second paragraph. You decide for Mexico."
    )

    returned_by_mexico(world, "Please name the rivers.\r\nAnd the dates.")
    [message] = told(mail.outbox)["liaison-dkma"]
    assert message.subject.endswith("“Please name the rivers. And the dates.”")
    assert "Please name the rivers.\r\nAnd the dates." in message.body or (
        "Please name the rivers.\nAnd the dates." in message.body
    )
