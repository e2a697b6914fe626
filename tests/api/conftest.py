import pytest
from rest_framework.test import APIClient

from api.tokens import create_token

# The permission matrix's world (its roles, action 5.2, a milestone, updates, reports), for the
# API's matrix.
from tests.test_permission_matrix import world, world_rows  # noqa: F401


def token_client(user):
    """An API client that signs in with a fresh personal token of `user` (none: anonymous)."""
    client = APIClient()
    if user is not None:
        _token, secret = create_token(user=user, name="Test program", days=30)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api_as():
    return token_client
