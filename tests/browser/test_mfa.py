"""Multi-factor sign-in in a real Chromium: setting up an authenticator app, then signing in with
a code from it, each page checked with axe-core."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import expect

from partners.models import Membership
from tests.browser.conftest import DEMO_PASSWORD, open_account_menu, sign_in, sign_out
from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser


def code_from_app(secret, *, steps_ahead=0):
    """What an authenticator app holding `secret` (base32, as the page shows it) shows."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def checked(page, name):
    """axe-core and the skip link on the page; then the page again without the #main the skip
    link added, which the browser would otherwise carry over to the next page."""
    audit(page, name)
    page.goto(page.url.split("#")[0])


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_liaison_sets_up_an_app_and_signs_in_with_a_code(page, live_server, make_member):
    make_member("liaison-cofepris")
    sign_in(page, live_server, "liaison-cofepris")
    open_account_menu(page).get_by_role("link", name="Sign-in security").click()
    audit(page, "sign-in security page")
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    checked(page, "authenticator set-up page")

    secret = page.locator("#authenticator-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(code_from_app(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    audit(page, "recovery codes page")
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.locator("main")).to_contain_text("You have 10 unused recovery codes.")
    audit(page, "sign-in security page with an app")

    sign_out(page)
    password_step(page, live_server, "liaison-cofepris")
    expect(page).to_have_url(re.compile(r"/accounts/second-step/\?next=%2F$"))
    expect(page.locator("h1")).to_have_text("Enter your code")
    checked(page, "second sign-in step")
    page.get_by_label("Code from your authenticator app").fill(code_from_app(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_an_administrator_must_set_up_an_app_and_can_use_a_recovery_code(
    page, live_server, make_member
):
    make_member("admin", Membership.Role.ADMINISTRATOR, "mfa-dk")
    password_step(page, live_server, "admin")
    expect(page).to_have_url(re.compile(r"/accounts/security/authenticator/\?next=%2F$"))
    expect(page.locator("main")).to_contain_text("Your role requires a second factor.")
    page.goto(f"{live_server.url}/actions/")
    expect(page).to_have_url(re.compile(r"/accounts/security/authenticator/"))

    secret = page.locator("#authenticator-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main .errorlist")).to_contain_text("That code does not match")
    audit(page, "authenticator set-up page with a wrong code")
    page.get_by_label("Code from your authenticator app").fill(code_from_app(secret))
    page.get_by_role("button", name="Confirm").click()
    recovery_code = page.locator(".recovery-codes li").first.inner_text()
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page).to_have_url(f"{live_server.url}/actions/")

    sign_out(page)
    password_step(page, live_server, "admin")
    page.get_by_label("Code from your authenticator app").fill("123456")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("main .errorlist")).to_contain_text("That code is not right")
    audit(page, "second sign-in step with a wrong code")
    page.get_by_text("Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(recovery_code)
    page.get_by_role("button", name="Sign in with the recovery code").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/(#main)?$"))
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert StaticToken.objects.filter(device__user__username="admin").count() == 9
