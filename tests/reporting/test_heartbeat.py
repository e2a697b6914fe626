"""A build says it is alive while it renders, from a thread with its own connection."""

import time

import pytest

from reporting import services
from reporting.models import Report
from reporting.rendering import ReportFiles
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_build_records_heartbeats_while_it_renders(settings, monkeypatch):
    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    report = Report.objects.create(
        plan=PlanFactory(), kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    seen = {}

    def slow_render(**kwargs):
        seen["started"] = Report.objects.get(pk=report.pk).started_at
        time.sleep(0.5)
        seen["heartbeat"] = Report.objects.get(pk=report.pk).heartbeat_at
        return ReportFiles(b"%PDF-1.4 slow", b"%PDF-1.4 draft", b"PK", b"PK", 1, kwargs["today"])

    monkeypatch.setattr(services, "render_files", slow_render)
    services.build(report.pk)

    assert seen["heartbeat"] > seen["started"]
    report.refresh_from_db()
    assert report.state == "ready" and report.heartbeat_at >= seen["heartbeat"]


def test_the_heartbeat_stops_with_the_build(settings, monkeypatch):
    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    report = Report.objects.create(
        plan=PlanFactory(), kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    monkeypatch.setattr(
        services,
        "render_files",
        lambda **kwargs: ReportFiles(b"%PDF-1.4", b"%PDF-1.4", b"PK", b"PK", 1, kwargs["today"]),
    )
    services.build(report.pk)
    last = Report.objects.get(pk=report.pk).heartbeat_at

    time.sleep(0.3)

    assert Report.objects.get(pk=report.pk).heartbeat_at == last
