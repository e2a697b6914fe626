"""With the broker down, a request for a report answers at once: the report is saved as queued
and the page says so; nothing holds a web worker while the broker is retried."""

import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from partners.models import Institution, Membership
from reporting.models import Report
from reporting.views import BROKER_DOWN
from tests.factories import UserFactory
from tests.worker.conftest import DEAD_BROKER, point_celery_at

ANNUAL_2024 = {"kind": "annual", "year": "2024", "quarter": "", "language": "en"}


@pytest.fixture
def broker_down():
    """This process's Celery app publishes to a Redis address where nothing listens."""
    from plancore.celery import app

    saved = app.conf.broker_url, app.conf.result_backend
    app.conf.task_always_eager = False
    point_celery_at(DEAD_BROKER, None)
    yield
    point_celery_at(*saved)


@pytest.fixture
def embassy_dk(plan, client):
    user = UserFactory(username="embassy-dk")
    Membership.objects.create(
        user=user, institution=Institution.objects.get(code="embassy-dk-mx"), role="embassy_staff"
    )
    client.force_login(user)
    return user


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_request_answers_within_a_second_with_the_report_queued(client, embassy_dk, broker_down):
    response, seconds = timed(lambda: client.post(reverse("reporting:request"), ANNUAL_2024))

    assert response.status_code == 302
    assert seconds < 1.0, f"the request took {seconds:.2f} s with the broker down"
    report = Report.objects.get()
    assert (report.state, report.enqueued_at) == ("queued", None)
    assert escape(BROKER_DOWN) in client.get(reverse("reporting:list")).content.decode()


def test_three_requests_in_a_row_each_answer_at_once(client, embassy_dk, broker_down):
    for language in ("en", "es", "en"):
        response, seconds = timed(
            lambda language=language: client.post(
                reverse("reporting:request"), ANNUAL_2024 | {"language": language}
            )
        )
        assert response.status_code == 302
        assert seconds < 1.0, f"a request took {seconds:.2f} s with the broker down"
    assert Report.objects.filter(state="queued", enqueued_at__isnull=True).count() == 2


def test_a_retry_answers_within_a_second_and_leaves_the_report_queued(
    client, embassy_dk, plan, broker_down
):
    report = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="en",
        as_of="2024-12-31",
        state="failed",
        error="The build did not finish.",
    )
    response, seconds = timed(
        lambda: client.post(reverse("reporting:retry", args=[report.pk]), follow=True)
    )

    assert response.status_code == 200
    assert seconds < 1.0, f"the retry took {seconds:.2f} s with the broker down"
    assert escape(BROKER_DOWN) in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.enqueued_at) == ("queued", None)
