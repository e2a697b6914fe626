"""Personal API tokens: made and revoked on the person's own page, shown once, kept hashed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, digest
from api.tokens import create_token, token_for
from tests.api.conftest import token_client
from tests.roles import make_demo_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison(plan):
    return make_demo_user("liaison_cofepris")


def test_token_page_makes_a_token_and_shows_it_once(client, liaison):
    signed_in(client, liaison)
    response = client.post(reverse("api_tokens:list"), {"name": "Ministry dashboard", "days": 90})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=liaison)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix)
    assert secret in response.content.decode()
    again = client.get(reverse("api_tokens:list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_token_is_stored_only_as_its_hash(liaison):
    token, secret = create_token(user=liaison, name="Sync", days=30)
    token.refresh_from_db()
    assert token.hashed_secret == digest(secret)
    assert secret not in {token.hashed_secret, token.prefix, token.name}


def test_token_signs_a_program_in_and_records_its_last_use(liaison):
    token, secret = create_token(user=liaison, name="Sync", days=30)
    assert token.last_used_at is None
    client = token_client(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(reverse("api:plans")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_wrong_secret_with_a_right_prefix_is_refused(liaison):
    token, secret = create_token(user=liaison, name="Sync", days=30)
    assert token_for(f"{token.prefix}.not-the-secret") is None
    client = token_client(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.prefix}.not-the-secret")
    response = client.get(reverse("api:plans"))
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_expired_token_is_refused(liaison):
    token, secret = create_token(user=liaison, name="Sync", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = token_client(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(reverse("api:plans")).status_code == 401


def test_revoked_token_is_refused_at_once(client, liaison):
    token, secret = create_token(user=liaison, name="Sync", days=30)
    signed_in(client, liaison)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    program = token_client(None)
    program.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert program.get(reverse("api:plans")).status_code == 401


def test_another_users_token_cannot_be_revoked(client, liaison, plan):
    token, _secret = create_token(user=liaison, name="Sync", days=30)
    signed_in(client, make_demo_user("embassy_mx"))
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_refuses_an_unknown_lifetime(client, liaison):
    signed_in(client, liaison)
    response = client.post(reverse("api_tokens:list"), {"name": "Forever", "days": 100000})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_anonymous_request_is_answered_401_in_json(plan):
    response = token_client(None).get(reverse("api:actions"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_session_works_for_reading_but_writes_need_the_csrf_token(plan):
    from rest_framework.test import APIClient

    from tests.roles import action_in

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_demo_user("embassy_dk"))
    assert client.get(reverse("api:actions")).status_code == 200
    action = action_in(plan, "5.2")
    response = client.post(
        reverse("api:action_progress", args=[action.pk]),
        {"status": "on_track", "progress": 10, "narrative": "Begun.", "version": action.version},
        format="json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_requests_beyond_the_rate_are_refused_with_429(settings, liaison):
    settings.API_RATE = "2/hour"
    client = token_client(liaison)
    statuses = [client.get(reverse("api:plans")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
