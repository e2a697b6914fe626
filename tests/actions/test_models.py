from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action, Responsibility, Review, Status
from partners.models import Side
from plancore.models import Chapter, SustainableDevelopmentGoal
from tests.factories import (
    ActionFactory,
    ChapterFactory,
    CountryFactory,
    InstitutionFactory,
    MilestoneFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ResponsibilityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def danish_institution():
    return InstitutionFactory(country=CountryFactory(code="DK"))


def mexican_institution():
    return InstitutionFactory(country=CountryFactory(code="MX"))


def refused_by(constraint):
    """The database refuses the write, naming the check constraint (SQLite and PostgreSQL do)."""
    return pytest.raises(IntegrityError, match=constraint)


# Actions


def test_an_action_cannot_be_above_100_percent():
    action = ActionFactory()
    action.progress = 101

    with refused_by("action_progress_0_to_100"), transaction.atomic():
        action.save()


def test_an_action_number_is_unique_in_its_chapter():
    chapter = ChapterFactory(number=6)
    ActionFactory(chapter=chapter, position=3, number="6.3")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory.build(chapter=chapter, position=4, number="6.3").save()


def test_the_same_action_number_may_appear_in_two_plans():
    ActionFactory(chapter=ChapterFactory(number=6), position=3, number="6.3")
    ActionFactory(chapter=ChapterFactory(number=6), position=3, number="6.3")

    assert Action.objects.filter(number="6.3").count() == 2


def test_an_action_position_is_unique_in_its_chapter():
    chapter = ChapterFactory(number=6)
    ActionFactory(chapter=chapter, position=3, number="6.3")

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory.build(chapter=chapter, position=3, number="6.4").save()


@pytest.mark.parametrize("number", ["6", "6.", ".3", "6.3.1", "6,3", "A.3", "6.3a"])
def test_an_action_number_must_read_chapter_dot_position(number):
    action = ActionFactory.build(chapter=ChapterFactory(), number=number)

    with refused_by("action_number_format"), transaction.atomic():
        action.save()


def test_an_action_cannot_target_a_date_before_its_start():
    action = ActionFactory.build(
        chapter=ChapterFactory(), start_date=date(2024, 6, 1), target_date=date(2024, 5, 31)
    )

    with refused_by("action_target_not_before_start"), transaction.atomic():
        action.save()


def test_a_completed_action_must_be_at_100_percent():
    action = ActionFactory()
    action.status = Status.COMPLETED
    action.progress = 99

    with refused_by("action_completed_means_100_percent"), transaction.atomic():
        action.save()


def test_an_action_version_starts_at_1():
    action = ActionFactory()
    action.version = 0

    with refused_by("action_version_positive"), transaction.atomic():
        action.save()


# Milestones


def test_a_milestone_cannot_be_due_before_it_starts():
    milestone = MilestoneFactory.build(
        action=ActionFactory(), start_date=date(2024, 6, 1), due_date=date(2024, 5, 31)
    )

    with refused_by("milestone_due_not_before_start"), transaction.atomic():
        milestone.save()


def test_a_milestone_cannot_be_done_before_it_starts():
    milestone = MilestoneFactory(start_date=date(2024, 1, 1))
    milestone.done_on = date(2023, 12, 31)

    with refused_by("milestone_not_done_before_start"), transaction.atomic():
        milestone.save()


def test_a_milestone_past_due_and_not_done_is_overdue():
    milestone = MilestoneFactory(due_date=date(2024, 6, 30))

    assert milestone.is_overdue(today=date(2024, 7, 1)) is True


def test_a_milestone_done_after_its_due_date_is_not_overdue():
    milestone = MilestoneFactory(due_date=date(2024, 6, 30), done_on=date(2024, 7, 15))

    assert milestone.is_overdue(today=date(2024, 8, 1)) is False


def test_a_milestone_due_in_the_future_is_not_overdue():
    today = timezone.localdate()
    milestone = MilestoneFactory(start_date=today, due_date=today + timedelta(days=30))

    assert milestone.is_overdue() is False


def test_a_milestone_is_not_overdue_on_its_due_date():
    milestone = MilestoneFactory(due_date=date(2024, 6, 30))

    assert milestone.is_overdue(today=date(2024, 6, 30)) is False


# Responsibilities


def test_an_action_has_one_lead_per_side():
    first = ResponsibilityFactory(institution=danish_institution(), role=Responsibility.Role.LEAD)

    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            action=first.action,
            institution=danish_institution(),
            side=Side.DK,
            role=Responsibility.Role.LEAD,
        )


def test_an_action_may_have_several_partners_on_one_side():
    first = ResponsibilityFactory(institution=danish_institution(), role=Responsibility.Role.LEAD)
    Responsibility.objects.create(
        action=first.action,
        institution=danish_institution(),
        side=Side.DK,
        role=Responsibility.Role.PARTNER,
    )
    Responsibility.objects.create(
        action=first.action,
        institution=danish_institution(),
        side=Side.DK,
        role=Responsibility.Role.PARTNER,
    )

    assert first.action.responsibilities.filter(side=Side.DK).count() == 3


def test_an_action_may_have_a_lead_on_each_side():
    first = ResponsibilityFactory(institution=danish_institution(), role=Responsibility.Role.LEAD)
    ResponsibilityFactory(
        action=first.action, institution=mexican_institution(), role=Responsibility.Role.LEAD
    )

    assert first.action.responsibilities.filter(role=Responsibility.Role.LEAD).count() == 2


def test_a_multilateral_body_cannot_lead_an_action():
    with refused_by("responsibility_multilateral_not_lead"), transaction.atomic():
        Responsibility.objects.create(
            action=ActionFactory(),
            institution=InstitutionFactory(country=None),
            side=Side.MULTILATERAL,
            role=Responsibility.Role.LEAD,
        )


def test_an_institution_takes_part_in_an_action_only_once():
    first = ResponsibilityFactory(institution=danish_institution(), role=Responsibility.Role.LEAD)

    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            action=first.action,
            institution=first.institution,
            side=Side.DK,
            role=Responsibility.Role.PARTNER,
        )


def test_a_responsibility_side_must_match_the_institution_country():
    responsibility = ResponsibilityFactory.build(
        action=ActionFactory(), institution=mexican_institution(), side=Side.DK
    )

    with pytest.raises(ValidationError) as raised:
        responsibility.full_clean()

    assert list(raised.value.message_dict) == ["side"]


def test_lead_on_reads_the_lead_of_each_side_from_the_prefetched_action():
    action = ActionFactory()
    dk_lead = ResponsibilityFactory(action=action, institution=danish_institution()).institution
    ResponsibilityFactory(
        action=action, institution=danish_institution(), role=Responsibility.Role.PARTNER
    )
    mx_lead = ResponsibilityFactory(action=action, institution=mexican_institution()).institution

    listed = Action.objects.for_list().get(pk=action.pk)

    assert (listed.lead_on(Side.DK), listed.lead_on(Side.MX)) == (dk_lead, mx_lead)


def test_lead_on_is_none_for_a_side_without_a_lead():
    action = ActionFactory()
    ResponsibilityFactory(action=action, institution=danish_institution())
    ResponsibilityFactory(
        action=action, institution=mexican_institution(), role=Responsibility.Role.PARTNER
    )

    listed = Action.objects.for_list().get(pk=action.pk)

    assert listed.lead_on(Side.MX) is None


def test_lead_on_does_not_query_once_the_action_is_prefetched(django_assert_num_queries):
    action = ActionFactory()
    ResponsibilityFactory(action=action, institution=danish_institution())
    listed = Action.objects.for_list().get(pk=action.pk)

    with django_assert_num_queries(0):
        assert listed.lead_on(Side.DK).side == Side.DK


# Progress updates and reviews


def test_a_progress_update_cannot_report_above_100_percent():
    update = ProgressUpdateFactory.build(action=ActionFactory(), author=UserFactory(), progress=101)

    with refused_by("update_progress_0_to_100"), transaction.atomic():
        update.save()


def test_a_progress_update_needs_a_narrative():
    update = ProgressUpdateFactory.build(action=ActionFactory(), author=UserFactory(), narrative="")

    with refused_by("update_narrative_required"), transaction.atomic():
        update.save()


def make_review(update, **fields):
    """Reviews have no factory in tests/factories.py yet."""
    fields.setdefault("side", Side.DK)
    fields.setdefault("reviewer", UserFactory())
    fields.setdefault("decision", Review.Decision.APPROVED)
    return Review.objects.create(update=update, **fields)


def test_a_side_reviews_an_update_only_once():
    update = ProgressUpdateFactory()
    make_review(update, side=Side.DK)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_review(update, side=Side.DK)


def test_a_multilateral_body_cannot_review_an_update():
    with refused_by("review_side_is_a_country"), transaction.atomic():
        make_review(ProgressUpdateFactory(), side=Side.MULTILATERAL)


def test_a_returned_review_needs_a_comment():
    with refused_by("review_returned_needs_comment"), transaction.atomic():
        make_review(ProgressUpdateFactory(), decision=Review.Decision.RETURNED, comment="")


def test_an_approving_review_needs_no_comment():
    update = ProgressUpdateFactory()
    make_review(update, decision=Review.Decision.APPROVED, comment="")

    assert list(update.reviews.values_list("decision", "comment")) == [("approved", "")]


# Plans, chapters and goals


@pytest.mark.parametrize("number", [0, 18])
def test_a_goal_is_numbered_1_to_17(number):
    with refused_by("sdg_number_between_1_and_17"), transaction.atomic():
        SustainableDevelopmentGoal.objects.create(number=number, name="Goal", title="Goal")


def test_a_plan_period_cannot_end_before_it_starts():
    plan = PlanFactory.build(period_start=date(2027, 12, 31), period_end=date(2023, 8, 9))

    with refused_by("plan_period_ends_after_start"), transaction.atomic():
        plan.save()


def test_two_chapters_of_one_plan_cannot_share_a_number():
    plan = PlanFactory()
    ChapterFactory(plan=plan, number=6)

    with pytest.raises(IntegrityError), transaction.atomic():
        Chapter.objects.create(plan=plan, number=6, title="Energy")


@pytest.mark.django_db
def test_an_action_number_with_a_trailing_newline_is_refused():
    chapter = ChapterFactory()
    with pytest.raises(IntegrityError, match="action_number_format"), transaction.atomic():
        Action.objects.create(
            chapter=chapter, position=1, number=f"{chapter.number}.1\n", short_title="x", text="y"
        )


def in_plan_order(actions):
    """The actions sorted by plan, chapter number and position, as the plan reads."""
    return sorted(actions, key=lambda a: (a.chapter.plan_id, a.chapter.number, a.position))


def test_the_loaded_plan_lists_in_its_own_order(plan):
    actions = list(Action.objects.select_related("chapter"))
    assert len(actions) == 35
    assert actions == in_plan_order(actions)
    for action in actions:
        assert action.plan_order == action.chapter.order_base + action.position


def test_a_renumbered_chapter_moves_its_actions_in_the_lists():
    first, second = ChapterFactory(number=3), None
    second = ChapterFactory(plan=first.plan, number=4)
    a, b = ActionFactory(chapter=first, position=1), ActionFactory(chapter=second, position=1)
    listed = Action.objects.filter(chapter__plan=first.plan)
    assert list(listed.all()) == [a, b]
    first.number = 9
    first.save()
    assert list(listed.all()) == [b, a]
    a.refresh_from_db()
    assert a.plan_order == Chapter.objects.get(pk=first.pk).order_base + 1
    # A chapter saved without a new number leaves its actions alone.
    Action.objects.filter(pk=a.pk).update(plan_order=0)
    first.title = "Renamed"
    first.save()
    assert Action.objects.get(pk=a.pk).plan_order == 0


def test_an_action_moved_to_another_chapter_or_position_is_placed_again():
    first = ChapterFactory(number=3)
    second = ChapterFactory(plan=first.plan, number=4)
    a = ActionFactory(chapter=second, position=2)
    b = ActionFactory(chapter=second, position=3)
    listed = Action.objects.filter(chapter__plan=first.plan)
    assert list(listed.all()) == [a, b]
    b.position = 1
    b.save(update_fields=["position"])
    assert list(listed.all()) == [b, a]
    a = Action.objects.get(pk=a.pk)
    a.chapter = first
    a.save()
    assert list(listed.all()) == [a, b]
    assert Action.objects.get(pk=a.pk).plan_order == first.order_base + 2


def test_a_later_plan_lists_after_an_earlier_one():
    early = ActionFactory(chapter=ChapterFactory(number=9), position=7)
    late = ActionFactory(chapter=ChapterFactory(number=3), position=1)
    assert early.chapter.plan_id < late.chapter.plan_id
    assert list(Action.objects.filter(pk__in=[late.pk, early.pk])) == [early, late]


def test_an_action_read_before_its_chapter_was_renumbered_keeps_the_new_order():
    chapter = ChapterFactory(number=3)
    other = ChapterFactory(plan=chapter.plan, number=4)
    a, b = ActionFactory(chapter=chapter, position=1), ActionFactory(chapter=other, position=1)
    read_before = Action.objects.get(pk=a.pk)
    renumbered = Chapter.objects.get(pk=chapter.pk)
    renumbered.number = 9
    renumbered.save()
    read_before.short_title = "Edited while the chapter was renumbered"
    read_before.save()
    assert Action.objects.get(pk=a.pk).plan_order == renumbered.order_base + 1
    assert list(Action.objects.filter(chapter__plan=chapter.plan)) == [b, a]
    assert Action.objects.get(pk=a.pk).short_title == "Edited while the chapter was renumbered"
