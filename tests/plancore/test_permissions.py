"""The permission predicates, one role at a time, on the real plan's actions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.models import Action, ProgressUpdate, Review
from partners.models import Side
from plancore import permissions
from tests.factories import ProgressUpdateFactory
from tests.roles import Role, action_in, give_authenticator, make_demo_user, make_member, make_user

SUBMITTED = ProgressUpdate.ReviewState.SUBMITTED


@pytest.fixture
def users(plan):
    """The demo's roles, plus a user placed nowhere and a visitor who has not signed in."""
    made = {name: make_demo_user(name) for name in ("administrator", "embassy_dk", "embassy_mx")}
    made |= {name: make_demo_user(name) for name in ("liaison_cofepris", "official")}
    made["no_membership"] = make_user()
    made["anonymous"] = AnonymousUser()
    return made


def submitted_update(action, author=None, **fields):
    update = ProgressUpdateFactory(action=action, author=author or make_user(), **fields)
    update.action = action
    return update


def decide(update, side, decision=Review.Decision.APPROVED):
    Review.objects.create(
        update=update,
        side=side,
        reviewer=make_user(),
        decision=decision,
        comment="Missing figures." if decision == Review.Decision.RETURNED else "",
    )


# Using the portal at all


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("liaison_cofepris", True),
        ("official", True),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_can_use_portal_needs_a_membership(users, name, expected):
    assert permissions.can_use_portal(users[name]) is expected


def test_superuser_without_membership_may_use_the_portal(plan):
    assert permissions.can_use_portal(make_user(is_superuser=True, is_staff=True))


@pytest.mark.parametrize(
    ("name", "administrator", "embassy_staff", "liaison"),
    [
        ("administrator", True, False, False),
        ("embassy_dk", False, True, False),
        ("liaison_cofepris", False, False, True),
        ("official", False, False, False),
        ("no_membership", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_role_predicates_follow_the_membership(users, name, administrator, embassy_staff, liaison):
    user = users[name]
    assert permissions.is_administrator(user) is administrator
    assert permissions.is_embassy_staff(user) is embassy_staff
    assert permissions.is_liaison(user) is liaison


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("embassy_mx", True),
        ("liaison_cofepris", False),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_can_edit_plan_is_for_embassy_staff_and_administrators(users, name, expected):
    assert permissions.can_edit_plan(users[name]) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", False),
        ("liaison_cofepris", False),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_only_administrators_view_the_audit_log(users, name, expected):
    assert permissions.can_view_audit_log(users[name]) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("liaison_cofepris", True),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_can_request_reports(users, name, expected):
    assert permissions.can_request_reports(users[name]) is expected


def after_second_step(user):
    """The user as django-otp's middleware presents them once this session took a right code."""
    user.otp_device = give_authenticator(user)
    user.is_verified = lambda: user.otp_device is not None
    return user


def test_admin_site_needs_staff_flag_administrator_role_and_the_second_step(users):
    administrator = after_second_step(users["administrator"])
    assert not permissions.can_use_admin(administrator)
    administrator.is_staff = True
    assert permissions.can_use_admin(administrator)
    administrator.otp_device = None  # signed in with the password only
    assert not permissions.can_use_admin(administrator)
    embassy = after_second_step(users["embassy_dk"])
    embassy.is_staff = True
    assert not permissions.can_use_admin(embassy)
    assert not permissions.can_use_admin(users["anonymous"])


# The second sign-in step


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", False),
        ("liaison_cofepris", False),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_by_default_plan_administrators_must_use_a_second_factor(users, name, expected):
    assert permissions.must_use_second_factor(users[name]) is expected


def test_superusers_count_as_administrators_for_the_second_factor(plan):
    assert permissions.must_use_second_factor(make_user(is_superuser=True))


def test_the_setting_names_the_roles_that_must_use_a_second_factor(users, settings):
    settings.MFA_REQUIRED_ROLES = ["liaison", "official"]
    required = {name for name, user in users.items() if permissions.must_use_second_factor(user)}
    assert required == {"liaison_cofepris", "official"}
    settings.MFA_REQUIRED_ROLES = []
    assert not any(permissions.must_use_second_factor(user) for user in users.values())


def test_who_owes_what_step(users):
    administrator, liaison = users["administrator"], users["liaison_cofepris"]
    assert permissions.must_set_up_second_factor(administrator)
    assert not permissions.owes_second_step(administrator)
    assert not permissions.must_set_up_second_factor(liaison)
    assert not permissions.owes_second_step(liaison)

    give_authenticator(administrator)
    give_authenticator(liaison)
    assert not permissions.must_set_up_second_factor(administrator)
    assert permissions.owes_second_step(administrator)
    assert permissions.owes_second_step(liaison)

    for user in (after_second_step(administrator), after_second_step(liaison)):
        assert not permissions.owes_second_step(user)
        assert not permissions.must_set_up_second_factor(user)


def test_only_those_not_required_may_remove_their_second_factor(users):
    administrator, liaison = users["administrator"], users["liaison_cofepris"]
    assert not permissions.can_remove_second_factor(liaison)  # nothing to remove
    give_authenticator(administrator)
    give_authenticator(liaison)
    assert permissions.can_remove_second_factor(liaison)
    assert not permissions.can_remove_second_factor(administrator)


# Updating an action


@pytest.mark.parametrize(
    ("name", "number", "expected"),
    [
        ("administrator", "5.2", True),
        ("administrator", "3.1", True),
        ("embassy_dk", "5.2", True),
        ("embassy_mx", "3.1", True),
        ("liaison_cofepris", "5.2", True),
        ("liaison_cofepris", "3.1", False),
        ("official", "5.2", False),
        ("no_membership", "5.2", False),
        ("anonymous", "5.2", False),
    ],
)
def test_can_update_action(users, plan, name, number, expected):
    action = action_in(plan, number)
    assert permissions.can_update_action(users[name], action) is expected
    assert permissions.can_post_update(users[name], action) is expected


def test_liaison_of_several_institutions_may_update_the_actions_of_each(plan):
    liaison = make_member(Role.LIAISON, "semarnat")
    make_member(Role.LIAISON, "cofepris", user=liaison)
    assert permissions.can_update_action(liaison, action_in(plan, "6.6"))
    assert permissions.can_update_action(liaison, action_in(plan, "5.2"))
    assert not permissions.can_update_action(liaison, action_in(plan, "3.1"))


def test_official_who_is_also_a_liaison_elsewhere_updates_only_that_institutions_actions(plan):
    user = make_member(Role.OFFICIAL, "mfa-dk")
    make_member(Role.LIAISON, "semarnat", user=user)
    assert permissions.can_update_action(user, action_in(plan, "6.6"))
    assert not permissions.can_update_action(user, action_in(plan, "5.2"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("embassy_mx", True),
        ("liaison_cofepris", False),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_can_manage_milestones(users, plan, name, expected):
    assert permissions.can_manage_milestones(users[name], action_in(plan, "5.2")) is expected


# Reviewing a progress update


def test_liaisons_review_for_their_own_side(plan):
    dkma = make_demo_user("liaison_dkma")
    cofepris = make_demo_user("liaison_cofepris")
    update = submitted_update(action_in(plan, "5.2"))
    assert permissions.review_sides(dkma, update) == {Side.DK}
    assert permissions.review_sides(cofepris, update) == {Side.MX}
    assert permissions.can_review_update(dkma, update)


def test_embassy_staff_do_not_review_a_side_whose_institution_has_a_liaison(plan):
    make_demo_user("liaison_dkma")
    embassy_dk = make_demo_user("embassy_dk")
    embassy_mx = make_demo_user("embassy_mx")
    update = submitted_update(action_in(plan, "5.2"))
    assert permissions.review_sides(embassy_dk, update) == set()
    assert permissions.review_sides(embassy_mx, update) == {Side.MX}


def test_embassy_staff_review_their_side_where_no_liaison_exists(plan):
    update = submitted_update(action_in(plan, "3.1"))
    assert permissions.review_sides(make_demo_user("embassy_dk"), update) == {Side.DK}
    assert permissions.review_sides(make_demo_user("embassy_mx"), update) == {Side.MX}


def test_administrator_reviews_for_the_side_of_their_institution_where_no_liaison_exists(plan):
    update = submitted_update(action_in(plan, "3.1"))
    assert permissions.review_sides(make_demo_user("administrator"), update) == {Side.DK}


def test_liaison_of_another_institution_does_not_review(plan):
    update = submitted_update(action_in(plan, "5.2"))
    assert permissions.review_sides(make_demo_user("liaison_semarnat"), update) == set()


def test_liaison_does_not_review_actions_without_their_institution_even_where_no_liaison(plan):
    update = submitted_update(action_in(plan, "3.1"))
    assert permissions.review_sides(make_demo_user("liaison_cofepris"), update) == set()


@pytest.mark.parametrize("number", ["5.2", "3.1"])
def test_official_never_reviews(plan, number):
    official = make_demo_user("official")
    update = submitted_update(action_in(plan, number))
    assert permissions.review_sides(official, update) == set()
    assert not permissions.can_review_update(official, update)


def test_user_without_membership_and_anonymous_never_review(plan):
    update = submitted_update(action_in(plan, "3.1"))
    assert permissions.review_sides(make_user(), update) == set()
    assert permissions.review_sides(AnonymousUser(), update) == set()


def test_a_side_that_has_decided_is_not_offered_again(plan):
    dkma = make_demo_user("liaison_dkma")
    cofepris = make_demo_user("liaison_cofepris")
    update = submitted_update(action_in(plan, "5.2"))
    decide(update, Side.DK)
    assert permissions.review_sides(dkma, update) == set()
    assert permissions.review_sides(cofepris, update) == {Side.MX}


def test_staff_of_both_sides_is_offered_only_the_side_still_open(plan):
    staff = make_demo_user("embassy_dk")
    make_member(Role.EMBASSY_STAFF, "embassy-mx-dk", user=staff)
    update = submitted_update(action_in(plan, "3.1"))
    assert permissions.review_sides(staff, update) == {Side.DK, Side.MX}
    decide(update, Side.MX)
    assert permissions.review_sides(staff, update) == {Side.DK}


@pytest.mark.parametrize(
    "state", [ProgressUpdate.ReviewState.RETURNED, ProgressUpdate.ReviewState.APPROVED]
)
def test_a_decided_update_offers_nothing(plan, state):
    dkma = make_demo_user("liaison_dkma")
    cofepris = make_demo_user("liaison_cofepris")
    embassy = make_demo_user("embassy_dk")
    update = submitted_update(action_in(plan, "5.2"), review_state=state)
    decide(update, Side.DK)
    for user in (dkma, cofepris, embassy):
        assert permissions.review_sides(user, update) == set()
        assert not permissions.can_review_update(user, update)


def test_nobody_reviews_their_own_update(plan):
    cofepris = make_demo_user("liaison_cofepris")
    update = submitted_update(action_in(plan, "5.2"), author=cofepris)
    assert permissions.review_sides(cofepris, update) == set()


def test_where_the_only_liaison_is_the_author_that_sides_embassy_staff_decide(plan):
    cofepris = make_demo_user("liaison_cofepris")
    embassy_mx = make_demo_user("embassy_mx")
    update = submitted_update(action_in(plan, "5.2"), author=cofepris)
    assert permissions.review_sides(embassy_mx, update) == {Side.MX}


def test_a_second_liaison_of_the_authors_institution_decides_instead_of_the_embassy(plan):
    author = make_demo_user("liaison_cofepris")
    colleague = make_member(Role.LIAISON, "cofepris")
    update = submitted_update(action_in(plan, "5.2"), author=author)
    assert permissions.review_sides(colleague, update) == {Side.MX}
    assert permissions.review_sides(make_demo_user("embassy_mx"), update) == set()


def test_embassy_authors_own_side_falls_to_the_secretariat_of_that_side(plan):
    embassy_dk = make_demo_user("embassy_dk")
    update = submitted_update(action_in(plan, "3.1"), author=embassy_dk)
    assert permissions.review_sides(embassy_dk, update) == set()
    assert permissions.review_sides(make_demo_user("administrator"), update) == {Side.DK}


def test_side_deciders_are_the_sides_liaisons_less_the_author(plan):
    cofepris = make_demo_user("liaison_cofepris")
    dkma = make_demo_user("liaison_dkma")
    update = submitted_update(action_in(plan, "5.2"), author=cofepris)
    liaisons = permissions.liaisons_by_institution()
    assert permissions.side_deciders(update, Side.DK, liaisons) == {dkma.pk}
    assert permissions.side_deciders(update, Side.MX, liaisons) == set()


def test_responsibility_filter_selects_the_liaisons_actions(plan):
    liaison = make_demo_user("liaison_cofepris")
    numbers = set(
        Action.objects.filter(permissions.responsibility_filter_for(liaison))
        .distinct()
        .values_list("number", flat=True)
    )
    assert "5.2" in numbers
    assert "3.1" not in numbers


def test_memberships_are_read_once_per_user_object(plan, django_assert_num_queries):
    liaison = make_demo_user("liaison_cofepris")
    action = action_in(plan, "5.2")
    with django_assert_num_queries(1):
        permissions.can_update_action(liaison, action)
        permissions.can_manage_milestones(liaison, action)
        permissions.is_liaison(liaison)


# What the menu offers


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("liaison_cofepris", True),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_only_those_who_post_updates_have_my_updates(users, name, expected):
    assert permissions.can_post_any_updates(users[name]) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("administrator", True),
        ("embassy_dk", True),
        ("liaison_cofepris", True),
        ("official", False),
        ("no_membership", False),
        ("anonymous", False),
    ],
)
def test_only_those_who_may_decide_on_updates_have_reviews(users, name, expected):
    assert permissions.can_review_any_updates(users[name]) is expected
