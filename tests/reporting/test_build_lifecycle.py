"""A report build: one task per pending build, a heartbeat while it runs, and what the sweep
does with builds that went silent or ran too long."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting import services, tasks
from reporting.models import Report
from tests.factories import UserFactory

ANNUAL_2024 = {"kind": "annual", "year": 2024, "language": "en"}


def a_report(plan, **fields):
    values = {"plan": plan, **ANNUAL_2024, "as_of": "2024-12-31"} | fields
    return Report.objects.create(**values)


@pytest.fixture
def sent_tasks(monkeypatch):
    """Record the build tasks handed to the broker instead of running them."""
    sent = []
    monkeypatch.setattr(
        tasks.build_report, "apply_async", lambda args, **options: sent.append(args[0])
    )
    return sent


def test_repeated_requests_for_a_pending_report_send_one_task(plan, sent_tasks):
    reports = [services.request_report(plan=plan, **ANNUAL_2024) for _ in range(20)]

    assert {report.pk for report in reports} == {reports[0].pk}
    assert Report.objects.count() == 1
    assert sent_tasks == [reports[0].pk]
    assert Report.objects.get().enqueued_at is not None


def test_a_report_queued_while_the_broker_was_down_is_sent_once_when_requested_again(
    plan, monkeypatch
):
    def broker_down(args, **options):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(tasks.build_report, "apply_async", broker_down)
    with pytest.raises(services.BrokerUnavailable):
        services.request_report(plan=plan, **ANNUAL_2024)
    assert Report.objects.get().enqueued_at is None

    sent = []
    monkeypatch.setattr(
        tasks.build_report, "apply_async", lambda args, **options: sent.append(args[0])
    )
    services.request_report(plan=plan, **ANNUAL_2024)
    services.request_report(plan=plan, **ANNUAL_2024)
    assert sent == [Report.objects.get().pk]


def test_retrying_while_an_identical_report_is_pending_is_refused_and_changes_nothing(
    plan, sent_tasks
):
    failed = a_report(plan, state="failed", error="The build did not finish.")
    pending = a_report(plan, enqueued_at=timezone.now())

    with pytest.raises(ValidationError, match="already queued or being built"):
        services.retry(failed, user=UserFactory())

    failed.refresh_from_db()
    pending.refresh_from_db()
    assert (failed.state, failed.error) == ("failed", "The build did not finish.")
    assert pending.state == "queued"
    assert sent_tasks == []


def test_the_sweep_queues_again_a_build_whose_heartbeat_stopped(plan, settings, sent_tasks):
    silent = timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT + 5)
    lost = a_report(plan, state="building", attempts=1, started_at=silent, heartbeat_at=silent)
    alive = a_report(
        plan,
        language="es",
        state="building",
        attempts=1,
        started_at=silent,
        heartbeat_at=timezone.now(),
    )

    assert services.sweep() == (0, 1)

    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.state, lost.attempts, lost.error) == ("queued", 1, "")
    assert lost.enqueued_at is not None and sent_tasks == [lost.pk]
    assert alive.state == "building"


def test_a_build_queued_again_by_the_sweep_is_built(plan, settings):
    silent = timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT + 5)
    report = a_report(plan, state="building", attempts=1, started_at=silent, heartbeat_at=silent)

    services.sweep()

    report.refresh_from_db()
    assert (report.state, report.attempts) == ("ready", 2)


def test_the_sweep_fails_a_silent_build_that_had_its_last_attempt(plan, settings, sent_tasks):
    settings.REPORT_BUILD_ATTEMPTS = 3
    silent = timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT + 5)
    report = a_report(plan, state="building", attempts=3, started_at=silent, heartbeat_at=silent)

    assert services.sweep() == (1, 0)

    report.refresh_from_db()
    assert report.state == "failed" and report.finished_at is not None
    assert "stopped answering" in report.error and "3 times" in report.error
    assert sent_tasks == []


@pytest.mark.parametrize(
    ("limit", "said"),
    [(30, "30 seconds"), (90, "90 seconds"), (60, "1 minute"), (900, "15 minutes")],
)
def test_a_build_past_the_time_limit_is_failed_with_the_limit_in_plain_words(
    plan, settings, sent_tasks, limit, said
):
    settings.REPORT_BUILD_TIME_LIMIT = limit
    settings.REPORT_HEARTBEAT_TIMEOUT = 10 * limit
    started = timezone.now() - timedelta(seconds=limit + 1)
    report = a_report(plan, state="building", attempts=1, started_at=started, heartbeat_at=None)

    services.sweep()

    report.refresh_from_db()
    assert report.state == "failed"
    assert f"within {said} " in report.error
    assert "0 minutes" not in report.error
