"""Where the two sides' assessments differ, and what a chapter's page reads."""

from datetime import date, datetime

from django.utils import timezone

from assessments.models import JointAssessment
from assessments.selectors import chapter_sheet, differing_assessments, period_overview
from partners.models import Side
from tests.assessments.conftest import Q2_2025
from tests.factories import AssessmentFactory


def at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def assess(action, people, *, dk="limited", mx="limited", mx_on=date(2025, 7, 8), **fields):
    AssessmentFactory(
        action=action,
        side=Side.DK,
        completion=dk,
        assessed_by=people["embassy_dk"],
        assessed_at=at(date(2025, 7, 5)),
        **fields,
    )
    AssessmentFactory(
        action=action,
        side=Side.MX,
        completion=mx,
        assessed_by=people["embassy_mx"],
        assessed_at=at(mx_on),
        **fields,
    )


def test_one_side_alone_is_no_disagreement(plan, people, action):
    AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])
    assert differing_assessments(plan=plan) == []


def test_sides_that_agree_are_not_listed(plan, people, action):
    assess(action, people)
    assert differing_assessments(plan=plan) == []


def test_sides_that_differ_are_listed_with_what_they_differ_on(plan, people, action):
    assess(action, people, mx="substantial")
    (found,) = differing_assessments(plan=plan)
    assert (found.action, found.period, found.differs_on) == (action, Q2_2025, ["completion"])


def test_a_difference_in_timeliness_alone_counts(plan, people, action):
    AssessmentFactory(
        action=action, side=Side.DK, timeliness="on_time", assessed_by=people["embassy_dk"]
    )
    AssessmentFactory(
        action=action, side=Side.MX, timeliness="behind", assessed_by=people["embassy_mx"]
    )
    (found,) = differing_assessments(plan=plan)
    assert found.differs_on == ["timeliness"]


def test_the_window_counts_the_later_of_the_two_assessments(plan, people, action):
    assess(action, people, mx="substantial", mx_on=date(2025, 7, 8))
    assert differing_assessments(plan=plan, since=date(2025, 7, 7), until=date(2025, 7, 8))
    assert not differing_assessments(plan=plan, since=date(2025, 7, 8))
    assert not differing_assessments(plan=plan, until=date(2025, 7, 7))


def test_a_joint_assessment_agreed_by_both_settles_the_difference(plan, people, action):
    assess(action, people, mx="substantial")
    JointAssessment.objects.create(
        action=action,
        year=2025,
        quarter=2,
        completion="limited",
        timeliness="on_time",
        proposed_by=people["admin_dk"],
        proposed_side=Side.DK,
        agreed_dk_by=people["admin_dk"],
        agreed_dk_at=at(date(2025, 7, 9)),
        agreed_mx_by=people["admin_mx"],
        agreed_mx_at=at(date(2025, 7, 10)),
        agreed_at=at(date(2025, 7, 10)),
    )
    assert differing_assessments(plan=plan) == []
    assert differing_assessments(plan=plan, until=date(2025, 7, 9))


def test_differing_assessments_reads_in_two_queries(plan, people, django_assert_max_num_queries):
    for action in plan.chapters.get(number=5).actions.all():
        assess(action, people, mx="complete")
    with django_assert_max_num_queries(2):
        found = differing_assessments(plan=plan)
        [(d.action.number, d.action.chapter.number) for d in found]
    assert len(found) == plan.chapters.get(number=5).actions.count()


def test_a_chapters_sheet_flags_the_rows_that_differ(plan, people, action):
    assess(action, people, mx="substantial")
    rows = {row.action.number: row for row in chapter_sheet(chapter=action.chapter, period=Q2_2025)}
    assert rows["5.2"].differs
    assert not rows["5.1"].differs
    assert rows["5.1"].dk is None


def test_a_chapters_sheet_reads_in_four_queries_however_many_rows(
    plan, people, action, django_assert_max_num_queries
):
    for other in action.chapter.actions.all():
        assess(other, people, mx="complete")
    with django_assert_max_num_queries(4):
        rows = chapter_sheet(chapter=action.chapter, period=Q2_2025)
        [(r.dk.assessed_by, r.joint, r.status_label) for r in rows]


def test_the_period_overview_counts_each_chapters_assessments(plan, people, action):
    assess(action, people, mx="substantial")
    tallies = {t.chapter.number: t for t in period_overview(plan=plan, period=Q2_2025)}
    five = tallies[5]
    assert (five.assessed, five.differing, five.agreed) == ({"DK": 1, "MX": 1}, 1, 0)
    assert tallies[3].assessed == {"DK": 0, "MX": 0}
