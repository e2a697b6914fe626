"""Sign-in, lockout after repeated failures, sign-out, password reset and session expiry."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from partners.models import Membership
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def member(db):
    membership = MembershipFactory(
        user=UserFactory(username="mette", email="mette@example.org"),
        institution=InstitutionFactory(code="embassy-dk-mx"),
        role=Membership.Role.EMBASSY_STAFF,
    )
    return membership.user


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_sign_in_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.parametrize("url", ["/", "/actions/", "/institutions/", "/plan/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_signing_in_leads_to_the_dashboard(client, member):
    response = sign_in(client, "mette", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, member):
    response = sign_in(client, "mette", "not-the-password")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account(client, member):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "mette", f"wrong-{attempt}", address=f"10.0.0.{attempt + 1}")

    response = sign_in(client, "mette", PASSWORD, address="10.0.1.1")

    assert response.status_code == 429
    assert "temporarily locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_from_one_address_lock_that_address(client, member):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"someone-{attempt}", "guess", address="10.9.9.9")

    assert sign_in(client, "mette", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "mette", PASSWORD, address="10.1.1.1").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, member):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "mette", f"wrong-{attempt}")
    assert sign_in(client, "mette", PASSWORD).status_code == 302


def test_signing_out_ends_the_session(client, member):
    client.force_login(member)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302


def test_signing_out_needs_a_post(client, member):
    client.force_login(member)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("dashboard")).status_code == 200


def test_password_reset_by_email(client, member):
    response = client.post(reverse("password_reset"), {"email": "mette@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302

    assert sign_in(client, "mette", "a-new-long-passphrase").status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, member):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_requires_the_old_password(client, member):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_sessions_expire_after_inactivity_and_each_request_renews_them(client, member):
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_is_written_at_most_once_a_minute(client, member, monkeypatch):
    from plancore import sessions

    now = [1_900_000_000]
    monkeypatch.setattr(sessions.time, "time", lambda: now[0])
    client.force_login(member)
    assert settings.SESSION_COOKIE_NAME in client.get(reverse("dashboard")).cookies

    now[0] += settings.SESSION_RENEW_SECONDS - 1
    quiet = client.get(reverse("dashboard"))
    assert quiet.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in quiet.cookies  # not written again

    now[0] += 1
    renewed = client.get(reverse("dashboard")).cookies[settings.SESSION_COOKIE_NAME]
    assert renewed["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_signed_in_user_without_an_institution_is_refused(client, db):
    client.force_login(UserFactory(username="stranger"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "not yet attached to an institution" in response.content.decode()


def test_failures_against_one_account_survive_good_sign_ins_of_another_from_the_same_address(
    client, member
):
    """Four wrong guesses for one account, then a good sign-in as someone else, over and over:
    the guesses add up, and the attacked account is locked once they reach the limit."""
    MembershipFactory(
        user=UserFactory(username="official"),
        institution=InstitutionFactory(code="mfa-dk"),
        role=Membership.Role.OFFICIAL,
    )
    guesses = 0
    for _round in range(6):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "mette", f"guess-{guesses}", address="10.7.7.7")
            guesses += 1
        sign_in(client, "official", PASSWORD, address="10.7.7.7")
        client.logout()

    assert guesses >= settings.AXES_FAILURE_LIMIT
    response = sign_in(client, "mette", PASSWORD, address="10.7.7.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Locked by account name, wherever the next attempt comes from.
    assert sign_in(client, "mette", PASSWORD, address="10.8.8.8").status_code == 429


def test_a_good_sign_in_clears_the_accounts_own_earlier_failures(client, member):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "mette", f"wrong-{attempt}", address="10.0.0.1")
    assert sign_in(client, "mette", PASSWORD, address="10.0.0.1").status_code == 302
    client.logout()

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "mette", f"wrong-again-{attempt}", address="10.0.0.1")
    assert sign_in(client, "mette", PASSWORD, address="10.0.0.1").status_code == 302


def test_behind_the_proxy_the_address_lockout_uses_the_clients_address(client, member, settings):
    """nginx writes the client's address into X-Forwarded-For; REMOTE_ADDR is nginx's own. A
    client cannot choose its address by sending the header itself: only the last entry counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"someone-{attempt}", "password": "guess"},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}, 198.51.100.7",
        )

    def sign_in_via_proxy(forwarded_for):
        return client.post(
            reverse("login"),
            {"username": "mette", "password": PASSWORD},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    assert sign_in_via_proxy("198.51.100.7").status_code == 429
    # Another client behind the same proxy is not locked out with the attacker.
    assert sign_in_via_proxy("192.0.2.44").status_code == 302
