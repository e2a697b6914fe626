"""Setting up an authenticator app: scan, type a code, keep the recovery codes."""

import re
from base64 import b32decode

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.views import PENDING_KEY
from tests.roles import pass_second_step, session_passed_second_step, signed_in


def shown_secret(response):
    """The key as the page shows it for typing, back to bytes."""
    text = re.search(r'id="authenticator-secret">([A-Z2-7 ]+)<', response.content.decode())
    return b32decode(text.group(1).replace(" ", ""))


def code_from_app(secret, steps_ahead=0):
    totp = TOTP(secret)
    totp.time += steps_ahead * 30
    return f"{totp.token():06d}"


def test_the_page_shows_a_qr_code_and_the_key_to_type(client, liaison):
    response = signed_in(client, liaison).get(reverse("accounts:set_up"))
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    assert "style=" not in svg and "<?xml" not in html
    assert shown_secret(response).hex() == client.session[PENDING_KEY]
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html


def test_reloading_the_page_keeps_the_same_key(client, liaison):
    signed_in(client, liaison)
    first = shown_secret(client.get(reverse("accounts:set_up")))
    assert shown_secret(client.get(reverse("accounts:set_up"))) == first


def test_a_right_code_sets_up_the_app_and_shows_recovery_codes_once(client, liaison):
    signed_in(client, liaison)
    secret = shown_secret(client.get(reverse("accounts:set_up")))

    response = client.post(reverse("accounts:set_up"), {"code": code_from_app(secret)})

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=liaison)
    assert device.confirmed and device.bin_key == secret
    assert session_passed_second_step(client)
    assert PENDING_KEY not in client.session
    codes = client.get(response.url).context["codes"]
    assert len(codes) == 10 == len(set(codes))
    stored = StaticToken.objects.filter(device__user=liaison).values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
    again = client.get(reverse("accounts:recovery_codes"))
    assert again.status_code == 302 and again.url == reverse("accounts:security")


def test_the_code_typed_to_set_up_cannot_be_used_again(client, liaison):
    signed_in(client, liaison)
    secret = shown_secret(client.get(reverse("accounts:set_up")))
    code = code_from_app(secret)
    client.post(reverse("accounts:set_up"), {"code": code})
    client.post(reverse("logout"))
    client.force_login(liaison)

    response = client.post(reverse("accounts:second_step"), {"code": code})

    assert response.status_code == 400
    assert not session_passed_second_step(client)


def test_a_wrong_code_sets_up_nothing(client, liaison):
    signed_in(client, liaison)
    secret = shown_secret(client.get(reverse("accounts:set_up")))
    wrong = code_from_app(secret, steps_ahead=5)

    response = client.post(reverse("accounts:set_up"), {"code": wrong})

    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=liaison).exists()
    assert not StaticToken.objects.filter(device__user=liaison).exists()
    assert not session_passed_second_step(client)
    assert shown_secret(client.get(reverse("accounts:set_up"))) == secret


def test_something_other_than_six_digits_is_refused_on_the_form(client, liaison):
    response = signed_in(client, liaison).post(reverse("accounts:set_up"), {"code": "12ab"})
    assert response.status_code == 400
    assert "Type the six digits your app shows." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=liaison).exists()


def test_a_new_app_replaces_the_old_one_and_its_recovery_codes(client, administrator):
    signed_in(client, administrator)
    old = TOTPDevice.objects.get(user=administrator)
    secret = shown_secret(client.get(reverse("accounts:set_up")))

    client.post(reverse("accounts:set_up"), {"code": code_from_app(secret)})

    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.get(user=administrator).bin_key == secret
    assert session_passed_second_step(client)
    assert StaticToken.objects.filter(device__user=administrator).count() == 10


def test_after_setting_up_the_person_goes_where_they_were_heading(client, administrator):
    client.force_login(administrator)
    sent = client.get(reverse("actions:list"))
    assert sent.url == f"{reverse('accounts:set_up')}?next=%2Factions%2F"
    secret = shown_secret(client.get(sent.url))

    response = client.post(sent.url, {"code": code_from_app(secret), "next": "/actions/"})

    codes_page = client.get(response.url)
    assert codes_page.context["next"] == "/actions/"
    assert client.get("/actions/").status_code == 200


def test_a_next_address_elsewhere_is_not_followed(client, liaison):
    signed_in(client, liaison)
    secret = shown_secret(client.get(reverse("accounts:set_up")))
    response = client.post(
        reverse("accounts:set_up"),
        {"code": code_from_app(secret), "next": "https://attacker.example/"},
    )
    assert client.get(response.url).context["next"] == reverse("accounts:security")


def test_the_security_page_tells_who_has_what(client, liaison):
    response = signed_in(client, liaison).get(reverse("accounts:security"))
    assert "You sign in with your password alone." in response.content.decode()
    pass_second_step(client, liaison)
    response = client.get(reverse("accounts:security"))
    assert response.context["authenticator"] is not None
    assert response.context["may_remove"]
