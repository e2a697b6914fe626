"""Until the second step is settled, a signed-in person reaches only that step."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import new_authenticator_key
from accounts.views import PENDING_KEY
from tests.roles import (
    action_in,
    app_code,
    database_state,
    give_authenticator,
    session_passed_second_step,
)

SET_UP = reverse("accounts:set_up")
SECOND_STEP = reverse("accounts:second_step")


def elsewhere(plan):
    """Pages of every kind, the administration site and the person's own account pages."""
    action = action_in(plan, "5.2")
    return [
        reverse("dashboard"),
        reverse("actions:list"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:update", args=[action.pk]),
        reverse("reporting:list"),
        reverse("plan_overview"),
        reverse("partners:institution_list"),
        reverse("password_change"),
        reverse("accounts:security"),
        reverse("accounts:recovery_codes"),
        reverse("accounts:new_recovery_codes"),
        reverse("accounts:remove"),
        reverse("admin:index"),
        reverse("admin:actions_action_changelist"),
    ]


def test_an_administrator_without_an_app_is_sent_to_set_one_up(client, administrator, sign_in):
    response = sign_in(administrator)
    assert client.get(response.url).url == f"{SET_UP}?next=%2F"
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "Your role requires a second factor." in page.content.decode()


def test_an_administrator_without_an_app_reaches_no_other_page(
    client, administrator, sign_in, plan
):
    sign_in(administrator)
    for url in elsewhere(plan):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SET_UP), url


def test_an_administrator_without_an_app_changes_nothing(client, administrator, sign_in, plan):
    sign_in(administrator)
    action = action_in(plan, "5.2")
    before = database_state()
    response = client.post(
        reverse("actions:update", args=[action.pk]),
        {"status": "on_track", "progress": "30", "narrative": "Done.", "version": action.version},
    )
    assert response.status_code == 302 and response.url == SET_UP
    assert database_state() == before


def test_signing_out_and_the_language_stay_open(client, administrator, sign_in):
    sign_in(administrator)
    response = client.post(reverse("set_language"), {"language": "es", "next": SET_UP})
    assert response.status_code == 302 and response.url == SET_UP
    assert client.post(reverse("logout")).url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_an_administrator_with_an_app_must_type_a_code_first(client, administrator, sign_in, plan):
    device = give_authenticator(administrator)
    sign_in(administrator)
    for url in elsewhere(plan):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SECOND_STEP), url

    client.post(SECOND_STEP, {"code": app_code(device)})

    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_roles_the_setting_names_must_set_up_an_app(client, liaison, sign_in, settings):
    settings.MFA_REQUIRED_ROLES = ["liaison"]
    response = sign_in(liaison)
    assert client.get(response.url).url == f"{SET_UP}?next=%2F"


@pytest.mark.parametrize("roles", [[], ["liaison"]])
def test_administrators_sign_in_with_the_password_alone_when_not_required(
    client, administrator, sign_in, settings, roles
):
    settings.MFA_REQUIRED_ROLES = roles
    response = sign_in(administrator)
    assert client.get(response.url).status_code == 200


def test_without_the_code_nobody_can_put_a_new_app_in_place_of_the_old(
    client, administrator, sign_in
):
    device = give_authenticator(administrator)
    sign_in(administrator)
    assert client.get(SET_UP).url == f"{SECOND_STEP}?next={quote(SET_UP, safe='')}"
    key = new_authenticator_key()
    session = client.session
    session[PENDING_KEY] = key
    session.save()

    response = client.post(SET_UP, {"code": app_code(TOTPDevice(key=key))})

    assert response.status_code == 302 and response.url == SECOND_STEP
    assert list(TOTPDevice.objects.filter(user=administrator)) == [device]
    assert not session_passed_second_step(client)
