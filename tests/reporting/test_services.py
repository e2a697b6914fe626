from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import Side
from reporting import services
from reporting.models import Report
from reporting.periods import Period
from reporting.rendering import ReportFiles
from tests.factories import UserFactory


def request(plan, **kwargs):
    values = {"kind": "quarterly", "year": 2025, "quarter": 2, "language": "en"} | kwargs
    return services.request_report(plan=plan, **values)


def test_a_requested_report_is_built_with_its_figures(plan):
    report = request(plan, user=UserFactory())
    report.refresh_from_db()
    assert report.state == "ready"
    assert report.pages > 5 and report.size == report.file.size
    assert len(report.sha256) == 64 and report.attempts == 1
    assert report.filename == "jsap-2023-2027-quarterly-report-2025-q2-en.pdf"
    assert report.file.name.endswith(report.filename)
    assert report.started_at <= report.finished_at


def test_building_a_ready_report_again_changes_nothing(plan):
    report = request(plan)
    report.refresh_from_db()
    fingerprint = (report.sha256, report.attempts, report.finished_at)

    services.build(report.pk)

    report.refresh_from_db()
    assert (report.sha256, report.attempts, report.finished_at) == fingerprint


def test_a_report_half_built_by_a_lost_worker_is_built_again(plan):
    report = request(plan)
    Report.objects.filter(pk=report.pk).update(state="building", attempts=1)
    services.build(report.pk)
    report.refresh_from_db()
    assert (report.state, report.attempts) == ("ready", 2)


def test_an_identical_pending_request_is_not_built_twice(plan):
    sent = timezone.now()
    pending = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31", enqueued_at=sent
    )
    report = request(plan, kind="annual", year=2024, quarter=None)
    assert report == pending
    assert Report.objects.filter(kind="annual", year=2024).count() == 1
    report.refresh_from_db()
    # The workers already have it: it is neither sent nor built a second time.
    assert (report.state, report.enqueued_at, report.attempts) == ("queued", sent, 0)


def test_a_period_that_has_not_started_is_refused(plan):
    with pytest.raises(ValidationError, match="not started"):
        request(plan, year=timezone.localdate().year + 1, quarter=1)
    assert not Report.objects.exists()


def test_a_failed_build_says_why_in_plain_words(plan, monkeypatch):
    """In-process as in a worker, the failure is recorded on the report; the request answers."""

    def broken(**kwargs):
        raise MemoryError

    monkeypatch.setattr(services, "render_files", broken)
    request(plan)
    report = Report.objects.get()
    assert report.state == "failed"
    assert "could not be drawn up" in report.error and "Retry" in report.error


def test_the_sweep_fails_builds_stuck_past_the_limit(plan, settings):
    report = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="en",
        as_of="2024-12-31",
        state="building",
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_BUILD_TIME_LIMIT + 60),
    )
    fresh = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="es",
        as_of="2024-12-31",
        state="building",
        started_at=timezone.now(),
    )
    failed, _resent = services.sweep()
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert failed == 1
    assert report.state == "failed" and "did not finish within 15 minutes" in report.error
    assert fresh.state == "building"


def test_the_sweep_sends_queued_reports_that_never_reached_the_workers(plan):
    report = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    _failed, resent = services.sweep()
    report.refresh_from_db()
    assert resent == 1 and report.state == "ready"


def test_a_failed_report_can_be_retried(plan, monkeypatch):
    report = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="en",
        as_of="2024-12-31",
        state="failed",
        error="The build did not finish.",
    )
    services.retry(report, user=UserFactory())
    report.refresh_from_db()
    assert (report.state, report.error) == ("ready", "")


def test_only_a_failed_report_can_be_retried(plan):
    report = request(plan)
    with pytest.raises(ValidationError):
        services.retry(report, user=UserFactory())


def test_a_report_is_released_when_both_sides_have_released_it(plan):
    report = request(plan)
    report.refresh_from_db()
    services.release(report, user=UserFactory(), side=Side.DK)
    report.refresh_from_db()
    assert not report.is_released
    services.release(report, user=UserFactory(), side=Side.MX)
    report.refresh_from_db()
    assert report.is_released


def test_one_side_cannot_release_twice_and_a_draft_must_be_ready(plan):
    report = request(plan)
    report.refresh_from_db()
    services.release(report, user=UserFactory(), side=Side.DK)
    with pytest.raises(ValidationError, match="already released"):
        services.release(report, user=UserFactory(), side=Side.DK)
    queued = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    with pytest.raises(ValidationError, match="ready"):
        services.release(queued, user=UserFactory(), side=Side.MX)


def test_schedules_request_both_languages(plan):
    from reporting.tasks import schedule_annual_review

    schedule_annual_review()
    year = timezone.localdate().year - 1
    assert set(
        Report.objects.filter(kind="annual", year=year).values_list("language", flat=True)
    ) == {
        "en",
        "es",
    }


def test_a_build_keeps_the_as_of_date_fixed_when_it_was_requested(plan):
    running = Period(timezone.localdate().year, (timezone.localdate().month - 1) // 3 + 1)
    report = Report.objects.create(
        plan=plan,
        kind="quarterly",
        year=running.year,
        quarter=running.quarter,
        language="en",
        as_of=running.start,
    )
    services.build(report.pk)
    report.refresh_from_db()
    assert (report.state, report.as_of) == ("ready", running.start)


def test_a_late_duplicate_build_does_not_replace_the_newer_file(plan, monkeypatch):
    report = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    real_render = services.render_files

    def overtaken(**kwargs):
        """While this build renders, another attempt starts and finishes."""
        monkeypatch.setattr(services, "render_files", real_render)
        Report.objects.filter(pk=report.pk).update(state="queued")
        services.build(report.pk)
        return ReportFiles(b"%PDF-stale", b"%PDF-stale", b"PK", b"PK", 1, report.as_of)

    monkeypatch.setattr(services, "render_files", overtaken)
    services.build(report.pk)

    report.refresh_from_db()
    assert (report.state, report.attempts) == ("ready", 2)
    assert report.file.read().startswith(b"%PDF-1")


def test_the_database_refuses_a_second_pending_build_of_the_same_report(plan):
    from django.db import IntegrityError, transaction

    values = {"plan": plan, "kind": "annual", "year": 2024, "language": "en", "as_of": "2024-12-31"}
    Report.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(**values)
    Report.objects.create(**values, state="failed", error="Stopped.")
    assert Report.objects.count() == 2
