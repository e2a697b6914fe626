"""The demo's assessments: one chapter assessed by both sides for last year, one disagreement."""

import pytest
from django.utils import timezone

from assessments.models import Assessment, JointAssessment
from assessments.selectors import differing_assessments
from partners.models import Side
from reporting.periods import Period


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def last_year():
    return Period(timezone.localdate().year - 1)


def test_both_sides_assessed_every_action_of_chapter_5_for_last_year(demo_plan, db, last_year):
    chapter = demo_plan.chapters.get(number=5)
    given = Assessment.objects.filter(year=last_year.year, quarter=None)
    for side in (Side.DK, Side.MX):
        assert set(given.filter(side=side).values_list("action", flat=True)) == set(
            chapter.actions.values_list("pk", flat=True)
        )


def test_the_demo_has_one_disagreement(demo_plan, db, last_year):
    (found,) = differing_assessments(plan=demo_plan)
    assert (found.action.number, found.period) == ("5.1", last_year)


def test_the_demo_has_a_joint_assessment_waiting_for_mexico(demo_plan, db):
    (joint,) = JointAssessment.objects.all()
    assert joint.agreed_dk_by.username == "admin"
    assert not joint.is_agreed


def test_the_demos_annual_review_shows_the_disagreement_first(demo_plan, db, last_year):
    from reporting.content import build_content

    lines = build_content(plan=demo_plan, kind="annual", period=last_year)["assessments"]
    assert (lines[0].number, lines[0].differs) == ("5.1", True)
    assert not any(line.differs for line in lines[1:])
