"""The database's answer to "which updates may this person decide on now" is review_sides'."""

import pytest
from django.contrib.auth import get_user_model

from actions.models import ProgressUpdate
from actions.selectors import updates_for_review
from actions.services import submit_update
from plancore import permissions
from tests.roles import action_in, make_member


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


def by_rule(user):
    liaisons = permissions.liaisons_by_institution()
    return {
        update.pk
        for update in updates_for_review()
        if permissions.review_sides(user, update, liaisons=liaisons)
    }


def by_database(user):
    return set(
        ProgressUpdate.objects.filter(permissions.reviewable_by(user)).values_list("pk", flat=True)
    )


def test_every_demo_user_may_decide_on_the_same_updates_by_either_rule(demo_plan, db):
    waiting = ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)
    assert waiting.exists()
    users = get_user_model().objects.filter(memberships__isnull=False).distinct()
    assert users.count() >= 6
    decided_somewhere = set()
    for user in users:
        expected = by_rule(user)
        assert by_database(user) == expected, user.username
        decided_somewhere |= expected
    assert decided_somewhere  # the comparison is not between two empty sets


def test_a_liaison_who_wrote_the_update_is_no_decider_and_staff_decide_instead(plan, db):
    action = action_in(plan, "6.6")
    lead_dk = action.lead_on("DK")
    author = make_member("liaison", lead_dk.code)
    staff = make_member("embassy_staff", "embassy-dk-mx")
    update = submit_update(
        action=action, author=author, status="on_track", progress=20, narrative="Begun."
    )
    assert update.pk not in by_database(author)
    assert (update.pk in by_database(staff)) == (update.pk in by_rule(staff))
    assert update.pk in by_database(staff)


def test_an_official_may_decide_on_nothing(demo_plan, db):
    official = get_user_model().objects.get(username="official")
    assert by_database(official) == set()


def test_nobody_signed_out_may_decide(db):
    from django.contrib.auth.models import AnonymousUser

    assert not ProgressUpdate.objects.filter(permissions.reviewable_by(AnonymousUser())).exists()
