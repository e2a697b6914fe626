"""The report pipeline with a real Celery worker: browser to PDF, a worker killed mid-build, and
the broker down. See conftest.py for the worker and for when these tests run."""

import hashlib
import io
import os
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from partners.models import Institution, Membership
from plancore.seeding.plan import load_plan
from plancore.seeding.synthetic import build_synthetic_plan
from reporting import services
from reporting.models import Report
from reporting.views import BROKER_DOWN
from tests.worker.conftest import DEAD_BROKER, CeleryWorker, delete_keys, point_celery_at

pytestmark = pytest.mark.worker

PASSWORD = "worker-test-pass-2027"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Actions of the synthetic plan whose annual review the worker is killed building. WeasyPrint
# lays out 15-40 ms of report per action on 2 cores (bench/reports.py), so 350 actions take
# 5-14 s: long enough to be caught mid-build, short enough to be built twice.
KILL_ACTIONS = int(os.environ.get("WORKER_TEST_KILL_ACTIONS", "350"))
FINAL = (Report.State.READY, Report.State.FAILED)


def real_plan(settings):
    return load_plan(settings.PLAN_FIXTURES_DIR / "plan").plan


def embassy_staff(username="embassy-test"):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name="Mikkel", last_name="Test"
    )
    membership = Membership(
        user=user,
        institution=Institution.objects.get(code="embassy-dk-mx"),
        role=Membership.Role.EMBASSY_STAFF,
    )
    membership._history_user = None
    membership.save()
    return user


def wait_for(report, condition, timeout, step=0.1):
    """Refresh `report` until `condition(report)` holds; return whether it did in time."""
    deadline = time.monotonic() + timeout
    while True:
        report.refresh_from_db()
        if condition(report):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


def test_report_requested_in_the_browser_is_built_by_the_worker(
    celery_worker_started, live_server, settings, monkeypatch, tmp_path
):
    # Playwright's sync API runs an event loop in this thread; Django would refuse its ORM calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}", pytrace=False)
        pytest.skip(f"needs Chromium at {CHROMIUM} (Debian package `chromium`)")
    real_plan(settings)
    user = embassy_staff()
    worker = celery_worker_started.wait_ready()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(accept_downloads=True, locale="en-US")
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/")

            page.goto(f"{live_server.url}/reports/")
            form = page.locator("form[action$='/reports/request/']")
            form.locator("select[name=kind]").select_option(label="Annual review")
            form.locator("select[name=year]").select_option("2024")
            form.locator("select[name=language]").select_option(label="English")
            form.locator("button[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/reports/")

            report = Report.objects.get()
            row = page.locator(f"#reports-table tr[data-id='{report.pk}']")
            expect(row).to_be_visible()
            page.evaluate("window.__marker = 1")
            first_state = row.get_attribute("data-state")

            expect(row.locator(".report-state")).to_have_text("Ready", timeout=60_000)
            assert page.evaluate("window.__marker") == 1, "the page was reloaded"

            with page.expect_download() as download_info:
                row.get_by_role("link", name="Download PDF").click()
            download = download_info.value
            assert download.suggested_filename == "jsap-2023-2027-annual-review-2024-en.pdf"
            path = tmp_path / download.suggested_filename
            download.save_as(path)
        finally:
            browser.close()
            # Inside sync_playwright() the ORM runs in another context (greenlet), with a
            # connection of its own that nothing else would close before the test database
            # is dropped.
            connections.close_all()

    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    report.refresh_from_db()
    assert report.state == Report.State.READY
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == report.pages > 0
    # Laid out in parts by the worker's layout processes, its pages are numbered on throughout.
    assert f"{report.pages} / {report.pages}" in reader.pages[-1].extract_text()
    # Not yet released, the reader gets the file marked as a draft; sha256 is the clean file's.
    with report.readable_file().open("rb") as served:
        assert data == served.read()
    assert report.sha256 == hashlib.sha256(report.file.read()).hexdigest()
    assert report.size == report.file.size
    assert report.requested_by == user
    print(
        f"state on arrival: {first_state}; built by {worker.name} in "
        f"{report.build_seconds:.1f} s, {report.pages} pages"
    )


def test_a_build_whose_worker_is_killed_ends_ready_or_failed(celery_worker_started, settings):
    worker = celery_worker_started
    plan = build_synthetic_plan(actions=KILL_ACTIONS, milestones_per_action=5, updates_per_action=3)
    worker.wait_ready()
    report = services.request_report(plan=plan, kind="annual", year=2025, language="en")
    assert Report.objects.get(pk=report.pk).enqueued_at is not None

    assert wait_for(report, lambda r: r.state == Report.State.BUILDING, timeout=30), (
        f"the worker did not start building: {report.state}"
    )
    time.sleep(1)  # well into the layout, which takes several seconds
    report.refresh_from_db()
    assert (report.state, report.attempts) == (Report.State.BUILDING, 1), (
        f"the build finished before it could be killed ({report.state}, {report.build_seconds} s);"
        " raise WORKER_TEST_KILL_ACTIONS"
    )
    killed = worker.kill_pool()
    assert killed, "the worker has no pool process to kill"

    # acks_late + reject_on_worker_lost: the message goes back to the queue and runs again.
    redelivered = wait_for(
        report, lambda r: r.attempts >= 2 or r.state in FINAL, timeout=30, step=0.2
    )
    if redelivered:
        path = "redelivered"
        assert wait_for(report, lambda r: r.state in FINAL, timeout=180, step=0.2), (
            f"the report stayed {report.state} after the worker was killed"
        )
        if report.state == Report.State.READY:
            assert report.attempts >= 2
        else:
            assert report.error.strip()
    else:
        # Not delivered again: the report stays "building" until the sweep takes it as stuck.
        path = "swept"
        assert report.state == Report.State.BUILDING
        later = timezone.now() + timedelta(seconds=settings.REPORT_BUILD_TIME_LIMIT + 1)
        assert services.sweep(now=later)[0] == 1
        report.refresh_from_db()
        assert report.state == Report.State.FAILED
        assert "did not finish" in report.error
        services.retry(report, user=None)
        assert wait_for(report, lambda r: r.state in FINAL, timeout=180, step=0.2)
        assert report.state == Report.State.READY
    assert report.state not in (Report.State.QUEUED, Report.State.BUILDING)
    assert worker.pool_children() and set(worker.pool_children()).isdisjoint(killed)
    print(
        f"path: {path}; killed pool pids {killed}; final state {report.state} after "
        f"{report.attempts} attempts; last build {report.build_seconds or 0:.1f} s"
    )


def test_a_request_while_the_broker_is_down_is_sent_by_the_sweep(
    celery_worker_started, worker_broker, client, settings
):
    plan = real_plan(settings)
    user = embassy_staff()
    point_celery_at(DEAD_BROKER, None)
    started = time.monotonic()

    with pytest.raises(services.BrokerUnavailable):
        services.request_report(plan=plan, kind="annual", year=2024, language="en", user=user)
    report = Report.objects.get()
    assert (report.state, report.enqueued_at) == (Report.State.QUEUED, None)

    client.force_login(user)
    response = client.post(
        "/reports/request/", {"kind": "annual", "year": "2023", "quarter": "", "language": "en"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    page = client.get("/reports/")
    assert page.status_code == 200
    assert escape(BROKER_DOWN) in page.content.decode()
    reports = list(Report.objects.order_by("year"))
    assert [(r.year, r.state, r.enqueued_at) for r in reports] == [
        (2023, Report.State.QUEUED, None),
        (2024, Report.State.QUEUED, None),
    ]
    for url in ("/", "/actions/"):
        assert client.get(url).status_code == 200, url
    print(f"broker down: two requests and three pages in {time.monotonic() - started:.1f} s")

    point_celery_at(worker_broker.url, None, worker_broker.key_prefix)  # the broker is back
    celery_worker_started.wait_ready()
    assert services.sweep() == (0, 2)
    for report in reports:
        assert wait_for(report, lambda r: r.state in FINAL, timeout=60, step=0.2)
        assert report.state == Report.State.READY, report.error
        assert report.enqueued_at is not None


def test_a_build_whose_whole_worker_is_killed_is_queued_again_and_built_by_another(
    celery_worker_started, worker_broker, settings, tmp_path
):
    worker = celery_worker_started
    plan = build_synthetic_plan(actions=KILL_ACTIONS, milestones_per_action=5, updates_per_action=3)
    worker.wait_ready()
    report = services.request_report(plan=plan, kind="annual", year=2025, language="en")
    assert wait_for(report, lambda r: r.state == Report.State.BUILDING, timeout=30), (
        f"the worker did not start building: {report.state}"
    )
    worker.kill_whole()
    report.refresh_from_db()
    assert (report.state, report.attempts) == (Report.State.BUILDING, 1), (
        f"the build finished before it could be killed ({report.state}); raise "
        "WORKER_TEST_KILL_ACTIONS"
    )

    # Nobody acknowledges or redelivers the message for half an hour (the visibility timeout);
    # the heartbeat stops, and the sweep queues the build again once it has been silent.
    settings.REPORT_HEARTBEAT_TIMEOUT = 3
    assert services.sweep() == (0, 0), "a build that is still within its heartbeat was touched"
    time.sleep(settings.REPORT_HEARTBEAT_TIMEOUT + 0.5)
    assert services.sweep() == (0, 1)
    report.refresh_from_db()
    assert report.state == Report.State.QUEUED and report.enqueued_at is not None

    second = CeleryWorker(
        broker=worker_broker, media_root=settings.MEDIA_ROOT, log_path=tmp_path / "second.log"
    )
    try:
        second.wait_ready()
        assert wait_for(report, lambda r: r.state in FINAL, timeout=180, step=0.2)
    finally:
        second.stop()
    assert report.state == Report.State.READY, report.error
    assert report.attempts == 2
    print(f"queued again after the worker was lost; built in {report.build_seconds:.1f} s")


def test_the_worker_tests_touch_only_their_own_keys(worker_broker):
    import redis

    from reporting.tasks import sweep_reports

    client = redis.Redis.from_url(worker_broker.url)
    try:
        client.set("portal-other-user-key", "kept", ex=60)
        sweep_reports.apply_async()  # a message for a worker that is not there
        ours = list(client.scan_iter(match=f"{worker_broker.key_prefix}*"))
        assert ours, "the broker wrote no key under the test's prefix"

        assert delete_keys(worker_broker.url, worker_broker.key_prefix) == len(ours)

        assert client.get("portal-other-user-key") == b"kept"
        assert not list(client.scan_iter(match=f"{worker_broker.key_prefix}*"))
    finally:
        client.delete("portal-other-user-key")
        client.close()
