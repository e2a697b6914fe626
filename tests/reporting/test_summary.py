"""The executive summary states the report's facts in prose, in the report's language."""

from datetime import UTC, datetime

from django.utils import translation

from actions import services as action_services
from actions.models import Action, Status
from reporting.content import build_content
from reporting.periods import Period
from tests.factories import UserFactory

IN_Q3_2024 = datetime(2024, 8, 1, 9, tzinfo=UTC)


def delay_6_6():
    action_services.update_action_status(
        action=Action.objects.get(number="6.6"),
        user=UserFactory(),
        status=Status.DELAYED,
        progress=10,
        expected_version=1,
        at=IN_Q3_2024,
    )


def summary(plan, language="en"):
    with translation.override(language):
        return build_content(plan=plan, kind="quarterly", period=Period(2024, 3))["summary"]


def test_the_summary_says_how_many_actions_moved_in_the_period(plan):
    delay_6_6()
    facts = summary(plan)["facts"]
    assert (facts["moved"], facts["status_changed"], facts["delayed_count"]) == (1, 1, 1)
    assert "1 of them moved during Q3 2024: 1 changed status" in summary(plan)["paragraphs"][0]


def test_a_delayed_action_is_named_with_why_or_with_the_lack_of_an_approved_update(plan):
    delay_6_6()
    title = Action.objects.get(number="6.6").short_title
    paragraphs = summary(plan)["paragraphs"]
    assert "1 action was delayed on the as-of date." in paragraphs[1]
    assert (
        f"Action 6.6, {title}: no jointly approved update explains the delay yet."
        in (paragraphs[1])
    )


def test_the_spanish_summary_is_written_in_spanish(plan):
    delay_6_6()
    paragraphs = summary(plan, "es")["paragraphs"]
    assert paragraphs[0].startswith("Al 30 de septiembre de 2024 el plan tenía 35 acciones")
    assert "Una acción estaba retrasada a la fecha de corte." in paragraphs[1]
    assert not any("the plan had" in p or "milestone" in p for p in paragraphs)


def test_each_sides_institutions_are_counted_apart(plan):
    sides = {row["side"]: row for row in summary(plan)["facts"]["sides"]}
    assert set(sides) == {"DK", "MX", "multilateral"}
