"""Schemathesis against the API as Django serves it: generated requests, from the OpenAPI
schema, to every operation (with a valid token); none answers 5xx, every documented answer
matches the schema. Examples are bounded and derandomized, so CI runs the same cases each time."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.tokens import create_token
from tests.factories import MilestoneFactory, ProgressUpdateFactory
from tests.roles import action_in, make_demo_user

# Requesting a report builds a PDF in the test's process; tests/api/test_writes.py covers it.
SKIPPED = "/api/v1/reports/request/"


# Read when the module is collected: the schema is drawn from the code, not the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application()).exclude(
    path=SKIPPED
)


@pytest.fixture
def token(plan):
    user = make_demo_user("administrator")
    action = action_in(plan, "5.2")
    MilestoneFactory(action=action)
    ProgressUpdateFactory(action=action, author=make_demo_user("official"))
    _token, secret = create_token(user=user, name="Schemathesis", days=30)
    return secret


@pytest.fixture
def connections_kept_open():
    """Django's test client keeps the test's database connection through a request; the WSGI
    client Schemathesis uses would let the end of each request close it inside the test's
    transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_generated_requests_without_server_errors(
    case, token, settings, connections_kept_open
):
    settings.API_RATE = "100000/hour"
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
