"""The annual review's assessments: self-reported status, each side's and the joint one,
the disagreements first."""

from datetime import UTC, date, datetime, timedelta

import pytest

from assessments import services
from partners.models import Side
from reporting.content import build_content
from reporting.periods import Period
from reporting.rendering import render_pdf
from tests.reporting.test_pdf import pdf_text
from tests.roles import Role, make_member

YEAR_2024 = Period(2024)
JANUARY = datetime(2025, 1, 20, 10, tzinfo=UTC)


@pytest.fixture
def staff(plan):
    return {
        "dk": make_member(Role.EMBASSY_STAFF, "embassy-dk-mx"),
        "mx": make_member(Role.EMBASSY_STAFF, "embassy-mx-dk"),
        "admin_dk": make_member(Role.ADMINISTRATOR, "mfa-dk"),
        "admin_mx": make_member(Role.ADMINISTRATOR, "sre"),
    }


def assess(plan, number, user, side, completion, timeliness="on_time", period=YEAR_2024):
    action = plan.chapters.get(number=number.split(".")[0]).actions.get(number=number)
    return services.give_assessment(
        action=action,
        side=side,
        period=period,
        user=user,
        completion=completion,
        timeliness=timeliness,
        comment=f"{side} on {number}",
        at=JANUARY,
    )


def review(plan, today=date(2025, 1, 31), kind="annual"):
    return build_content(plan=plan, kind=kind, period=YEAR_2024, today=today)["assessments"]


def test_the_annual_review_lists_the_disagreements_first(plan, staff):
    for number in ("3.1", "4.2", "6.6"):
        assess(plan, number, staff["dk"], Side.DK, "limited")
    assess(plan, "3.1", staff["mx"], Side.MX, "limited")
    assess(plan, "6.6", staff["mx"], Side.MX, "substantial")
    assess(plan, "4.2", staff["mx"], Side.MX, "limited", timeliness="behind")
    lines = review(plan)
    assert [(line.number, line.differs) for line in lines[:3]] == [
        ("4.2", True),
        ("6.6", True),
        ("3.1", False),
    ]
    assert len(lines) == 35


def test_each_line_shows_the_reported_status_both_sides_and_the_joint_one(plan, staff):
    assess(plan, "5.2", staff["dk"], Side.DK, "limited")
    mx = assess(plan, "5.2", staff["mx"], Side.MX, "limited")
    joint = services.propose_joint_assessment(
        action=mx.action,
        period=YEAR_2024,
        user=staff["admin_mx"],
        side=Side.MX,
        completion="limited",
        timeliness="on_time",
        at=JANUARY,
    )
    line = next(line for line in review(plan) if line.number == "5.2")
    assert (line.status_label, line.dk.completion, line.mx.comment) == (
        "Not started",
        "Limited",
        "MX on 5.2",
    )
    assert (line.joint.completion, line.joint.agreed) == ("Limited", False)
    services.agree_joint_assessment(
        joint=joint,
        user=staff["admin_dk"],
        side=Side.DK,
        expected_version=1,
        at=JANUARY + timedelta(hours=1),
    )
    assert next(line for line in review(plan) if line.number == "5.2").joint.agreed


def test_a_quarters_assessment_is_not_the_years(plan, staff):
    assess(plan, "5.2", staff["dk"], Side.DK, "limited", period=Period(2024, 4))
    assert review(plan) is None


def test_assessments_given_after_the_build_day_are_not_in_it(plan, staff):
    assess(plan, "5.2", staff["dk"], Side.DK, "limited")
    assert review(plan, today=date(2025, 1, 19)) is None
    assert review(plan, today=date(2025, 1, 20))


def test_only_the_annual_review_has_the_assessments(plan, staff):
    assess(plan, "5.2", staff["dk"], Side.DK, "limited")
    assert review(plan, kind="chapter") is None


def test_the_pdf_shows_the_disagreement(plan, staff):
    assess(plan, "6.6", staff["dk"], Side.DK, "limited")
    assess(plan, "6.6", staff["mx"], Side.MX, "complete", timeliness="behind")
    text = pdf_text(render_pdf(plan=plan, kind="annual", year=2024, today=date(2025, 2, 1))[0])[1]
    assert "Each side's assessment" in text
    assert "Where the sides differ" in text
    assert "Mexico: Complete, Behind schedule — MX on 6.6" in text
