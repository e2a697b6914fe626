"""A meeting's agenda and minutes built by a real Celery worker through the report pipeline, and
released by both sides like any report. See conftest.py for the worker and when this runs."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings import services as meetings
from meetings.models import Decision
from reporting import services
from reporting.models import Report
from tests.roles import action_in, make_demo_user
from tests.worker.test_pipeline import FINAL, real_plan, wait_for

pytestmark = pytest.mark.worker


def pdf_text(report):
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_agenda_and_minutes_requested_on_the_meeting_page_are_built_by_the_worker(
    celery_worker_started, client, settings
):
    plan = real_plan(settings)
    dk, mx = make_demo_user("embassy_dk"), make_demo_user("embassy_mx")
    meeting = meetings.create_meeting(
        plan=plan, user=dk, kind="consultations", date=date(2025, 3, 12), place="Mexico City"
    )
    meetings.add_agenda_item(meeting=meeting, user=dk, title="Review of chapter five")
    meetings.record_decision(
        meeting=meeting,
        user=mx,
        title="Exchange of experts",
        text="The parties exchange experts on medicines regulation.",
        outcome=Decision.Outcome.NOTED,
        actions=[action_in(plan, "5.2")],
        at=datetime(2025, 3, 12, 15, tzinfo=UTC),
    )
    celery_worker_started.wait_ready()

    client.force_login(dk)
    for kind in ("agenda", "minutes"):
        response = client.post(reverse("meetings:documents", args=[meeting.pk]), {"kind": kind})
        assert response.status_code == 302

    reports = list(Report.objects.filter(meeting=meeting).order_by("kind", "language"))
    assert [(r.kind, r.language) for r in reports] == [
        ("agenda", "en"),
        ("agenda", "es"),
        ("minutes", "en"),
        ("minutes", "es"),
    ]
    for report in reports:
        assert wait_for(report, lambda r: r.state in FINAL, timeout=60, step=0.2)
        assert report.state == Report.State.READY, report.error
    assert "Review of chapter five" in pdf_text(reports[0])
    assert "Orden del día" in pdf_text(reports[1])
    assert "Exchange of experts" in pdf_text(reports[2])

    minutes = reports[2]
    services.release(minutes, user=dk, side="DK")
    services.release(minutes, user=mx, side="MX")
    client.force_login(make_demo_user("official"))
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("reporting:download", args=[minutes.pk]) in page
    assert reverse("reporting:download", args=[reports[0].pk]) not in page, "a draft"
