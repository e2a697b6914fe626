"""The agenda and minutes built through the report pipeline (tasks run in-process here; the
worker tests build them with a real Celery worker)."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from meetings import services
from meetings.models import Decision
from reporting import services as reporting
from reporting.models import Report
from tests.factories import MeetingFactory
from tests.roles import action_in, make_demo_user


def pdf_text(report):
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def meeting(plan):
    staff = make_demo_user("embassy_dk")
    meeting = MeetingFactory(plan=plan, date=date(2025, 3, 12))
    services.add_agenda_item(meeting=meeting, user=staff, title="Review of chapter five")
    services.record_decision(
        meeting=meeting,
        user=staff,
        title="Exchange of experts",
        text="The parties exchange experts on medicines regulation.",
        outcome=Decision.Outcome.NOTED,
        actions=[action_in(plan, "5.2")],
        at=datetime(2025, 3, 12, 15, tzinfo=UTC),
    )
    return meeting


def test_the_agenda_is_built_in_english_and_spanish(meeting):
    staff = make_demo_user("embassy_mx")
    reports = services.request_documents(meeting=meeting, user=staff, kind="agenda")
    for report in reports:
        report.refresh_from_db()
    assert [(r.kind, r.language, r.state) for r in reports] == [
        ("agenda", "en", "ready"),
        ("agenda", "es", "ready"),
    ]
    english, spanish = (pdf_text(r) for r in reports)
    assert "Review of chapter five" in english and "Agenda" in english
    assert "Review of chapter five" in spanish and "Orden del día" in spanish
    assert reports[0].filename.endswith("meeting-2025-03-12-agenda-en.pdf")


def test_the_minutes_list_the_decisions_and_are_released_by_both_sides(meeting):
    dk, mx = make_demo_user("embassy_dk"), make_demo_user("embassy_mx")
    report = services.request_documents(meeting=meeting, user=dk, kind="minutes")[0]
    report.refresh_from_db()
    assert "Exchange of experts" in pdf_text(report)

    reporting.release(report, user=dk, side="DK")
    assert not Report.objects.get(pk=report.pk).is_released
    reporting.release(report, user=mx, side="MX")
    assert Report.objects.get(pk=report.pk).is_released


def test_a_second_request_while_one_is_pending_reuses_it(meeting):
    staff = make_demo_user("embassy_dk")
    first = reporting.request_meeting_document(
        meeting=meeting, kind="agenda", language="en", as_of=meeting.date, user=staff
    )
    Report.objects.filter(pk=first.pk).update(state="queued", enqueued_at=None)
    again = reporting.request_meeting_document(
        meeting=meeting, kind="agenda", language="en", as_of=meeting.date, user=staff
    )
    assert again.pk == first.pk
