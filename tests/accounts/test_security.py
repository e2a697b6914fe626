"""The sign-in security page: new recovery codes, and stopping the second step."""

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.accounts.conftest import PASSWORD
from tests.roles import app_code, pass_second_step, signed_in

NEW_CODES = reverse("accounts:new_recovery_codes")
REMOVE = reverse("accounts:remove")


def second_factor_rows(user):
    return (
        sorted(TOTPDevice.objects.filter(user=user).values_list("pk", "key", "last_t")),
        sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)),
    )


def test_new_recovery_codes_replace_the_old_ones(client, administrator):
    signed_in(client, administrator)
    old = services.replace_recovery_codes(user=administrator)

    response = client.post(NEW_CODES)

    shown = client.get(response.url).context["codes"]
    stored = StaticToken.objects.filter(device__user=administrator).values_list("token", flat=True)
    assert sorted(stored) == sorted(shown)
    assert not set(old) & set(shown)
    assert StaticDevice.objects.filter(user=administrator).count() == 1


def test_the_security_page_counts_the_recovery_codes_left(client, administrator):
    signed_in(client, administrator)
    services.replace_recovery_codes(user=administrator)
    StaticToken.objects.filter(device__user=administrator).first().delete()
    response = client.get(reverse("accounts:security"))
    assert "You have 9 unused recovery codes." in response.content.decode()


def test_without_an_app_there_are_no_recovery_codes_to_make(client, liaison):
    response = signed_in(client, liaison).post(NEW_CODES)
    assert response.status_code == 403
    assert not StaticToken.objects.filter(device__user=liaison).exists()


def test_recovery_codes_need_a_post(client, administrator):
    signed_in(client, administrator)
    assert client.get(NEW_CODES).status_code == 405


def test_a_liaison_removes_the_app_with_the_password(client, liaison):
    client.force_login(liaison)
    pass_second_step(client, liaison)
    services.replace_recovery_codes(user=liaison)

    response = client.post(REMOVE, {"confirmation": PASSWORD})

    assert response.status_code == 302
    assert second_factor_rows(liaison) == ([], [])
    assert not StaticDevice.objects.filter(user=liaison).exists()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": liaison.username, "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_liaison_removes_the_app_with_a_current_code(client, liaison):
    client.force_login(liaison)
    pass_second_step(client, liaison)
    device = TOTPDevice.objects.get(user=liaison)
    response = client.post(REMOVE, {"confirmation": app_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=liaison).exists()


def test_removing_with_neither_password_nor_code_changes_nothing(client, liaison):
    client.force_login(liaison)
    pass_second_step(client, liaison)
    services.replace_recovery_codes(user=liaison)
    before = second_factor_rows(liaison)

    for wrong in ("not-the-password", "000000", ""):
        response = client.post(REMOVE, {"confirmation": wrong})
        assert response.status_code == 400
        assert second_factor_rows(liaison) == before


def test_an_administrator_cannot_remove_the_app(client, administrator):
    signed_in(client, administrator)
    services.replace_recovery_codes(user=administrator)
    before = second_factor_rows(administrator)

    response = client.post(REMOVE, {"confirmation": PASSWORD})

    assert response.status_code == 403
    assert "Your role requires a second factor" in response.content.decode()
    assert second_factor_rows(administrator) == before
    page = client.get(reverse("accounts:security"))
    assert page.context["may_remove"] is False
    assert REMOVE not in page.content.decode()


def test_someone_without_an_app_has_nothing_to_remove(client, liaison):
    response = signed_in(client, liaison).post(REMOVE, {"confirmation": PASSWORD})
    assert response.status_code == 403
