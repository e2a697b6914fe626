from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Milestone, ProgressUpdate, Review, Status
from actions.services import (
    EditConflict,
    add_milestone,
    complete_milestone,
    edit_milestone,
    report_progress,
    review_update,
    submit_update,
    update_action_status,
)
from partners.models import Side
from tests.factories import ActionFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBMITTED = ProgressUpdate.ReviewState.SUBMITTED
APPROVED = Review.Decision.APPROVED
RETURNED = Review.Decision.RETURNED


# update_action_status


def test_update_action_status_saves_status_and_progress():
    action = ActionFactory()

    update_action_status(
        action=action, user=UserFactory(), status=Status.ON_TRACK, progress=35, expected_version=1
    )

    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.ON_TRACK, 35)


def test_update_action_status_raises_the_version_by_one():
    action = ActionFactory()

    update_action_status(
        action=action, user=UserFactory(), status=Status.ON_TRACK, progress=35, expected_version=1
    )

    action.refresh_from_db()
    assert action.version == 2


def test_update_action_status_records_the_acting_user_in_history():
    action = ActionFactory()
    user = UserFactory()

    update_action_status(
        action=action, user=user, status=Status.ON_TRACK, progress=35, expected_version=1
    )

    assert action.history.first().history_user == user


@pytest.fixture
def action_changed_by_someone_else():
    """An action at version 2, while the editor still holds version 1."""
    action = ActionFactory()
    update_action_status(
        action=action, user=UserFactory(), status=Status.AT_RISK, progress=20, expected_version=1
    )
    return action


def test_update_action_status_with_a_stale_version_raises_edit_conflict_with_current_action(
    action_changed_by_someone_else,
):
    stale = action_changed_by_someone_else

    with pytest.raises(EditConflict) as raised:
        update_action_status(
            action=stale, user=UserFactory(), status=Status.DELAYED, progress=5, expected_version=1
        )

    current = raised.value.current
    assert (current.pk, current.version, current.status) == (stale.pk, 2, Status.AT_RISK)


def test_update_action_status_with_a_stale_version_changes_nothing(
    action_changed_by_someone_else,
):
    stale = action_changed_by_someone_else

    with pytest.raises(EditConflict):
        update_action_status(
            action=stale, user=UserFactory(), status=Status.DELAYED, progress=5, expected_version=1
        )

    stale.refresh_from_db()
    assert (stale.status, stale.progress, stale.version, stale.history.count()) == (
        Status.AT_RISK,
        20,
        2,
        2,
    )


def test_update_action_status_refuses_completed_below_100_percent():
    action = ActionFactory()

    with pytest.raises(ValidationError) as raised:
        update_action_status(
            action=action,
            user=UserFactory(),
            status=Status.COMPLETED,
            progress=90,
            expected_version=1,
        )

    assert list(raised.value.message_dict) == ["progress"]


def test_update_action_status_refusing_completed_below_100_percent_changes_nothing():
    action = ActionFactory()

    with pytest.raises(ValidationError):
        update_action_status(
            action=action,
            user=UserFactory(),
            status=Status.COMPLETED,
            progress=90,
            expected_version=1,
        )

    action.refresh_from_db()
    assert (action.status, action.progress, action.version, action.history.count()) == (
        Status.NOT_STARTED,
        0,
        1,
        1,
    )


def test_update_action_status_accepts_completed_at_100_percent():
    action = ActionFactory()

    update_action_status(
        action=action, user=UserFactory(), status=Status.COMPLETED, progress=100, expected_version=1
    )

    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.COMPLETED, 100)


def test_update_action_status_at_a_past_moment_back_dates_the_history_row():
    action = ActionFactory()
    at = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)

    update_action_status(
        action=action,
        user=UserFactory(),
        status=Status.ON_TRACK,
        progress=35,
        expected_version=1,
        at=at,
    )

    assert action.history.get(version=2).history_date == at


# submit_update


def submit(action=None, author=None, **fields):
    fields.setdefault("status", Status.ON_TRACK)
    fields.setdefault("progress", 40)
    fields.setdefault("narrative", "Two workshops were held with both agencies.")
    return submit_update(action=action or ActionFactory(), author=author or UserFactory(), **fields)


def test_submit_update_creates_an_update_waiting_for_review():
    action = ActionFactory()

    update = submit(action=action, progress=45)

    assert list(action.updates.values_list("pk", "progress", "review_state")) == [
        (update.pk, 45, SUBMITTED)
    ]


def test_submit_update_records_the_author_in_history():
    author = UserFactory()

    update = submit(author=author)

    assert update.history.get().history_user == author


def test_submit_update_strips_the_narrative():
    update = submit(narrative="  Two workshops were held.\n")

    update.refresh_from_db()
    assert update.narrative == "Two workshops were held."


@pytest.mark.parametrize("narrative", ["", "   ", "\n\t "])
def test_submit_update_refuses_a_blank_narrative_and_creates_nothing(narrative):
    action = ActionFactory()

    with pytest.raises(ValidationError) as raised:
        submit(action=action, narrative=narrative)

    assert "narrative" in raised.value.message_dict
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_submit_update_refuses_an_invalid_evidence_url():
    action = ActionFactory()

    with pytest.raises(ValidationError) as raised:
        submit(action=action, evidence_url="not a link")

    assert list(raised.value.message_dict) == ["evidence_url"]
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_submit_update_at_a_past_moment_dates_the_update_and_its_history():
    at = datetime(2024, 5, 2, 14, 0, tzinfo=UTC)

    update = submit(at=at)

    assert (update.submitted_at, update.history.get().history_date) == (at, at)


# review_update


@pytest.fixture
def update():
    return submit()


def review(update, side, decision=APPROVED, **fields):
    fields.setdefault("reviewer", UserFactory())
    return review_update(update=update, side=side, decision=decision, **fields)


def state_of(update):
    update.refresh_from_db()
    return update.review_state


def test_one_side_approving_leaves_the_update_waiting_for_the_other(update):
    review(update, Side.DK)

    assert state_of(update) == SUBMITTED


def test_both_sides_approving_approves_the_update(update):
    review(update, Side.DK)
    review(update, Side.MX)

    assert state_of(update) == ProgressUpdate.ReviewState.APPROVED


def test_one_side_returning_returns_the_update(update):
    review(update, Side.MX, RETURNED, comment="Please attach the workshop report.")

    assert state_of(update) == ProgressUpdate.ReviewState.RETURNED


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_an_update_without_a_comment_is_refused_and_saves_nothing(update, comment):
    with pytest.raises(ValidationError) as raised:
        review(update, Side.MX, RETURNED, comment=comment)

    assert list(raised.value.message_dict) == ["comment"]
    assert (update.reviews.count(), state_of(update)) == (0, SUBMITTED)


def test_a_side_cannot_review_the_same_update_twice(update):
    review(update, Side.DK)

    with pytest.raises(ValidationError):
        review(update, Side.DK)

    assert list(update.reviews.values_list("side", flat=True)) == [Side.DK]


def test_a_returned_update_cannot_be_reviewed_further(update):
    review(update, Side.DK, RETURNED, comment="The figures do not add up.")

    with pytest.raises(ValidationError):
        review(update, Side.MX)

    assert list(update.reviews.values_list("side", flat=True)) == [Side.DK]


def test_a_multilateral_side_cannot_review(update):
    with pytest.raises(ValidationError) as raised:
        review(update, Side.MULTILATERAL)

    assert list(raised.value.message_dict) == ["side"]
    assert not update.reviews.exists()


def test_a_review_cannot_be_dated_before_the_submission():
    update = submit(at=datetime(2024, 5, 2, 14, 0, tzinfo=UTC))

    with pytest.raises(ValidationError):
        review(update, Side.DK, at=datetime(2024, 5, 2, 13, 59, tzinfo=UTC))

    assert not update.reviews.exists()


def test_a_review_records_the_reviewer_in_history(update):
    reviewer = UserFactory()

    created = review(update, Side.DK, reviewer=reviewer)

    assert created.history.get().history_user == reviewer


def test_the_update_history_names_the_reviewer_who_decided_it(update):
    mx_reviewer = UserFactory()
    review(update, Side.DK)
    review(update, Side.MX, reviewer=mx_reviewer)

    decided = update.history.get(review_state=ProgressUpdate.ReviewState.APPROVED)
    assert decided.history_user == mx_reviewer


# add_milestone and complete_milestone


def test_add_milestone_records_the_user_in_history():
    user = UserFactory()

    milestone = add_milestone(
        action=ActionFactory(),
        user=user,
        title="Joint workshop held",
        start_date=date(2024, 1, 1),
        due_date=date(2024, 6, 30),
    )

    assert milestone.history.get().history_user == user


def test_add_milestone_refuses_a_due_date_before_the_start_and_creates_nothing():
    action = ActionFactory()

    with pytest.raises(ValidationError):
        add_milestone(
            action=action,
            user=UserFactory(),
            title="Joint workshop held",
            start_date=date(2024, 6, 1),
            due_date=date(2024, 5, 31),
        )

    assert not Milestone.objects.filter(action=action).exists()


def done_on_of(milestone):
    milestone.refresh_from_db()
    return milestone.done_on


def test_complete_milestone_refuses_a_date_before_the_start():
    milestone = MilestoneFactory(start_date=date(2024, 1, 1))

    with pytest.raises(ValidationError) as raised:
        complete_milestone(milestone=milestone, user=UserFactory(), done_on=date(2023, 12, 31))

    assert list(raised.value.message_dict) == ["done_on"]
    assert done_on_of(milestone) is None


def test_complete_milestone_refuses_a_date_in_the_future():
    milestone = MilestoneFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        complete_milestone(milestone=milestone, user=UserFactory(), done_on=tomorrow)

    assert list(raised.value.message_dict) == ["done_on"]
    assert done_on_of(milestone) is None


def test_complete_milestone_at_a_past_moment_refuses_a_later_date():
    milestone = MilestoneFactory(start_date=date(2024, 1, 1))

    with pytest.raises(ValidationError):
        complete_milestone(
            milestone=milestone,
            user=UserFactory(),
            done_on=date(2024, 3, 2),
            at=datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        )

    assert done_on_of(milestone) is None


def test_complete_milestone_accepts_today():
    milestone = MilestoneFactory()
    today = timezone.localdate()

    complete_milestone(milestone=milestone, user=UserFactory(), done_on=today)

    assert done_on_of(milestone) == today


def test_complete_milestone_records_the_user_in_history():
    milestone = MilestoneFactory()
    user = UserFactory()

    complete_milestone(milestone=milestone, user=user, done_on=timezone.localdate())

    assert milestone.history.first().history_user == user


# report_progress


def test_report_progress_sets_the_status_and_posts_the_update_for_review():
    action, user = ActionFactory(), UserFactory()

    action, update = report_progress(
        action=action,
        user=user,
        status=Status.AT_RISK,
        progress=30,
        narrative="The workshop was postponed.",
        expected_version=1,
    )

    assert (action.status, action.progress, action.version) == (Status.AT_RISK, 30, 2)
    assert (update.review_state, update.author) == (SUBMITTED, user)


def test_report_progress_with_a_stale_version_changes_nothing():
    action = ActionFactory()
    update_action_status(
        action=action, user=UserFactory(), status=Status.ON_TRACK, progress=10, expected_version=1
    )

    with pytest.raises(EditConflict):
        report_progress(
            action=action,
            user=UserFactory(),
            status=Status.DELAYED,
            progress=5,
            narrative="Late.",
            expected_version=1,
        )

    action.refresh_from_db()
    assert (action.status, action.version) == (Status.ON_TRACK, 2)
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_report_progress_with_an_invalid_update_leaves_the_action_as_it_was():
    action = ActionFactory()

    with pytest.raises(ValidationError), transaction.atomic():
        report_progress(
            action=action,
            user=UserFactory(),
            status=Status.ON_TRACK,
            progress=20,
            narrative="   ",
            expected_version=1,
        )

    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == (Status.NOT_STARTED, 0, 1)
    assert action.history.count() == 1


# edit_milestone


def test_edit_milestone_changes_its_dates_and_names_the_editor():
    milestone, user = MilestoneFactory(), UserFactory()

    edit_milestone(
        milestone=milestone,
        user=user,
        title="Revised title",
        start_date=date(2024, 2, 1),
        due_date=date(2024, 9, 30),
        expected_version=1,
    )

    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date, milestone.version) == (
        "Revised title",
        date(2024, 9, 30),
        2,
    )
    assert milestone.history.first().history_user == user


def test_edit_milestone_refuses_a_due_date_before_the_start():
    milestone = MilestoneFactory()

    with pytest.raises(ValidationError), transaction.atomic():
        edit_milestone(
            milestone=milestone,
            user=UserFactory(),
            title="x",
            start_date=date(2024, 5, 1),
            due_date=date(2024, 4, 1),
            expected_version=1,
        )

    milestone.refresh_from_db()
    assert milestone.due_date == date(2024, 6, 30)


def test_nobody_records_a_decision_on_their_own_update():
    author = UserFactory()
    update = submit_update(
        action=ActionFactory(), author=author, status="on_track", progress=10, narrative="Done."
    )
    with pytest.raises(ValidationError, match="own update"):
        review_update(update=update, reviewer=author, side=Side.DK, decision="approved")
    assert not update.reviews.exists()


def test_edit_milestone_with_a_stale_version_changes_nothing():
    milestone = MilestoneFactory()
    complete_milestone(milestone=milestone, user=UserFactory(), done_on=date(2024, 3, 1))

    with pytest.raises(EditConflict):
        edit_milestone(
            milestone=milestone,
            user=UserFactory(),
            title="Overwritten",
            start_date=date(2024, 1, 1),
            due_date=date(2024, 6, 30),
            expected_version=1,
        )

    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) != ("Overwritten", 1)
    assert milestone.version == 2
