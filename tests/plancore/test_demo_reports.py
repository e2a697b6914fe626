"""`loadplan --demo` queues the demo reports and builds them in the background, so that the
server starts at once; `builddemoreports` builds what is queued and releases what the demo has
released."""

import subprocess

import pytest
from django.core.management import call_command

from plancore.seeding.demo import build_demo_reports
from reporting.models import Report


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def demo(demo_plan, demo_snapshot, db, settings):
    demo_snapshot.copy_media(settings.MEDIA_ROOT)
    return demo_plan


def queue_again(reports):
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        state=Report.State.QUEUED,
        released_dk_by=None,
        released_dk_at=None,
        released_mx_by=None,
        released_mx_at=None,
    )


def test_loadplan_demo_builds_the_queued_reports_in_the_background(demo, monkeypatch):
    queue_again(Report.objects.filter(plan=demo))
    started = []

    class Recorded:
        def __init__(self, command, **options):
            started.append((command, options))

    monkeypatch.setattr(subprocess, "Popen", Recorded)

    call_command("loadplan", demo=True, verbosity=0)

    ((command, options),) = started
    assert command[-1] == "builddemoreports"
    assert options["start_new_session"] is True
    assert Report.objects.filter(plan=demo, state=Report.State.QUEUED).count() == 4


def test_loadplan_demo_starts_nothing_when_the_reports_are_built(demo, monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **options: started.append(args))

    call_command("loadplan", demo=True, verbosity=0)

    assert started == []


def test_the_queued_demo_reports_are_built_and_released_as_the_demo_has_them(demo):
    annual_en = Report.objects.get(plan=demo, kind="annual", language="en")
    quarterly_es = Report.objects.get(plan=demo, kind="quarterly", language="es")
    queue_again([annual_en, quarterly_es])
    said = []

    assert build_demo_reports(demo, progress=said.append) == 2

    annual_en.refresh_from_db()
    quarterly_es.refresh_from_db()
    assert annual_en.state == quarterly_es.state == Report.State.READY
    assert annual_en.is_released and not quarterly_es.is_released
    assert said[0].startswith("Demo reports: 1 of 2 built (Annual review")


def test_loadplan_demo_can_leave_the_reports_queued_for_later(demo, monkeypatch):
    queue_again(Report.objects.filter(plan=demo))
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **options: started.append(args))

    call_command("loadplan", demo=True, queue_demo_reports=True, verbosity=0)

    assert started == []
    assert Report.objects.filter(plan=demo, state=Report.State.QUEUED).count() == 4
