"""The second sign-in step: after the password, a code from the app or a recovery code."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.roles import app_code, give_authenticator, session_passed_second_step

SECOND_STEP = reverse("accounts:second_step")


@pytest.fixture
def device(administrator):
    return give_authenticator(administrator)


@pytest.fixture
def recovery_codes(administrator, device):
    return services.replace_recovery_codes(user=administrator)


def second_factor_state(user):
    """What a refused code must leave as it was (the throttling counter aside)."""
    return {
        "devices": sorted(
            TOTPDevice.objects.filter(user=user).values_list("pk", "key", "last_t", "confirmed")
        ),
        "recovery_codes": sorted(
            StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        ),
    }


def test_after_the_password_the_person_is_asked_for_a_code(client, administrator, device, sign_in):
    response = sign_in(administrator)
    assert response.status_code == 302
    asked = client.get(response.url)
    assert asked.url == f"{SECOND_STEP}?next=%2F"
    page = client.get(asked.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter the 6-digit code from your authenticator app, or a recovery code." in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert not session_passed_second_step(client)


def test_a_code_from_the_app_completes_the_sign_in(client, administrator, device, sign_in):
    sign_in(administrator)
    session_before = client.session.session_key

    response = client.post(SECOND_STEP, {"code": app_code(device), "next": "/"})

    assert response.status_code == 302 and response.url == "/"
    assert session_passed_second_step(client)
    assert client.session.session_key != session_before
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_code_with_a_space_in_the_middle_is_taken(client, administrator, device, sign_in):
    sign_in(administrator)
    code = app_code(device)
    client.post(SECOND_STEP, {"code": f"{code[:3]} {code[3:]}"})
    assert session_passed_second_step(client)


def test_a_recovery_code_completes_the_sign_in_once(client, administrator, recovery_codes, sign_in):
    sign_in(administrator)
    code = recovery_codes[0]

    response = client.post(SECOND_STEP, {"recovery-code": code.upper()})

    assert response.status_code == 302
    assert session_passed_second_step(client)
    assert not StaticToken.objects.filter(token=code).exists()
    assert StaticToken.objects.filter(device__user=administrator).count() == 9

    client.post(reverse("logout"))
    sign_in(administrator)
    again = client.post(SECOND_STEP, {"recovery-code": code})
    assert again.status_code == 400
    assert "That code is not right, or it has been used already." in again.content.decode()
    assert not session_passed_second_step(client)


def test_a_wrong_code_is_refused_and_changes_nothing(
    client, administrator, device, recovery_codes, sign_in
):
    sign_in(administrator)
    before = second_factor_state(administrator)
    wrong = app_code(device, steps_ahead=10)

    response = client.post(SECOND_STEP, {"code": wrong})

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not session_passed_second_step(client)
    assert second_factor_state(administrator) == before
    assert client.get(reverse("dashboard")).url.startswith(SECOND_STEP)


def test_a_wrong_recovery_code_is_refused_and_changes_nothing(
    client, administrator, recovery_codes, sign_in
):
    sign_in(administrator)
    before = second_factor_state(administrator)
    response = client.post(SECOND_STEP, {"recovery-code": "notacode"})
    assert response.status_code == 400
    assert not session_passed_second_step(client)
    assert second_factor_state(administrator) == before


def test_after_a_wrong_code_the_next_attempt_waits(client, administrator, device, sign_in):
    sign_in(administrator)
    client.post(SECOND_STEP, {"code": app_code(device, steps_ahead=10)})

    response = client.post(SECOND_STEP, {"code": app_code(device)})

    assert response.status_code == 400
    assert "Too many wrong codes. Wait 1 second, then try again." in response.content.decode()
    assert not session_passed_second_step(client)

    a_while_ago = timezone.now() - timedelta(seconds=5)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=a_while_ago)
    client.post(SECOND_STEP, {"code": app_code(device)})
    assert session_passed_second_step(client)


def test_the_step_sends_on_only_to_pages_of_the_portal(client, administrator, device, sign_in):
    sign_in(administrator)
    response = client.post(
        SECOND_STEP, {"code": app_code(device), "next": "https://attacker.example/"}
    )
    assert response.url == reverse("dashboard")


def test_a_liaison_without_an_app_signs_in_with_the_password_alone(client, liaison, sign_in):
    response = sign_in(liaison)
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("actions:list")).status_code == 200
    assert client.get(SECOND_STEP).url == reverse("dashboard")


def test_a_liaison_who_set_up_an_app_is_asked_for_a_code_too(client, liaison, sign_in):
    device = give_authenticator(liaison)
    sign_in(liaison)
    assert client.get(reverse("dashboard")).url == f"{SECOND_STEP}?next=%2F"
    client.post(SECOND_STEP, {"code": app_code(device)})
    assert client.get(reverse("dashboard")).status_code == 200
