"""The settings check of MFA_REQUIRED_ROLES."""

from accounts.checks import mfa_required_roles_are_known


def test_known_roles_pass_the_check(settings):
    settings.MFA_REQUIRED_ROLES = ["administrator", "embassy_staff"]
    assert mfa_required_roles_are_known(None) == []


def test_a_misspelt_role_is_an_error(settings):
    settings.MFA_REQUIRED_ROLES = ["administrator", "admins"]
    [error] = mfa_required_roles_are_known(None)
    assert error.id == "accounts.E001" and "admins" in error.msg


def test_by_default_plan_administrators_must_use_a_second_factor():
    from django.conf import settings

    assert settings.MFA_REQUIRED_ROLES == ["administrator"]
