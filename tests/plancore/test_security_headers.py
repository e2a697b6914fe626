"""Every page carries a Content-Security-Policy without inline script, a Permissions-Policy, and
HSTS only as the settings ask."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.roles import make_demo_user, signed_in


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/"])
def test_pages_for_everyone_carry_the_policies(client, db, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in features


def test_signed_in_pages_carry_the_policies_and_no_inline_script(client, plan):
    signed_in(client, make_demo_user("embassy_dk"))
    for name in ("dashboard", "actions:list", "reporting:list", "plan_overview"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert directives(response)["script-src"] == ["'self'"]
        html = response.content.decode()
        assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_no_hsts_header_over_plain_http(client, db):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=False, SECURE_HSTS_PRELOAD=False
)
def test_hsts_over_https_names_neither_subdomains_nor_preload_unless_asked(client, db):
    header = client.get("/accounts/login/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000"


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_hsts_names_subdomains_and_preload_when_the_settings_ask(client, db):
    header = client.get("/accounts/login/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"
