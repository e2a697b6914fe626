import os

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from plancore.models import Plan
from plancore.seeding.demo import load_demo
from plancore.seeding.plan import load_plan
from tests.snapshots import Snapshot


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "Redis" if settings.REDIS_URL else "none (tasks run in-process)"
    return f"database: {database}; broker: {broker}"


def pytest_collection_modifyitems(config, items):
    """Tests that need Redis are skipped without REDIS_URL, but never in CI, where it is set."""
    if settings.REDIS_URL:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI runs the suite against Redis: set REDIS_URL.")
    skip = pytest.mark.skip(reason="needs REDIS_URL (a running Redis)")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_process():
    """Processes of `pytest -n` share the Redis that caches: each keeps to keys of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield
        return
    default = settings.CACHES["default"] | {"KEY_PREFIX": f"test-{worker}"}
    with override_settings(CACHES=settings.CACHES | {"default": default}):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """The production hasher takes half a second per password; tests set and check many."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in the default language: a page served in another one leaves that one
    active in the test's thread, and services record what people write in the active language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_plan_figures():
    """Each test starts with no cached plan figures: the cache (Redis in CI) outlives the rows
    that a test's transaction rolls back. Set in the cache alone: most tests have no database."""
    from actions import figures

    figures.forget()


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests do not run collectstatic, so they serve static files without the manifest."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded evidence and built reports go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def tasks_in_process():
    """Tasks run in the test's own process unless a test starts a real worker (tests/worker)."""
    from plancore.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def plan_fixtures_dir():
    return settings.PLAN_FIXTURES_DIR / "plan"


def uses(items, fixture):
    return any(fixture in getattr(item, "fixturenames", ()) for item in items)


@pytest.fixture(scope="session", autouse=True)
def plan_snapshot_first(request):
    """Take the plan's snapshot before the first test, if any test uses it: a snapshot is taken
    on the committed test database, never inside a module's or a test's transaction."""
    if uses(request.session.items, "plan_snapshot"):
        request.getfixturevalue("plan_snapshot")


@pytest.fixture(scope="session")
def plan_snapshot(django_db_setup, django_db_blocker):
    """The plan as `loadplan` loads it, loaded once per run (see tests/snapshots.py); its value
    is the plan's pk."""
    with django_db_blocker.unblock():
        return Snapshot.take(lambda: load_plan(settings.PLAN_FIXTURES_DIR / "plan").plan.pk)


@pytest.fixture(scope="session")
def demo_snapshot(plan_snapshot, django_db_blocker, tmp_path_factory, fast_password_hashing):
    """What `loadplan --demo` adds to the plan (users, three years of history, reports and their
    files), loaded once per run; restore it on the plan restored from `plan_snapshot`."""
    media = tmp_path_factory.mktemp("demo-media")

    def load():
        plan = Plan.objects.get(pk=plan_snapshot.value)
        with override_settings(MEDIA_ROOT=media):
            load_demo(plan, settings.PLAN_FIXTURES_DIR / "demo")
        return plan.pk

    with django_db_blocker.unblock():
        return Snapshot.take(load, base=plan_snapshot, media=media)


@pytest.fixture(scope="module")
def loaded_plan(request, plan_snapshot, django_db_blocker):
    """The plan written once per test module and rolled back after it."""
    ours = [item for item in request.session.items if item.path == request.path]
    if uses(ours, "demo_snapshot"):
        request.getfixturevalue("demo_snapshot")  # taken outside the module's transaction
    with django_db_blocker.unblock(), transaction.atomic():
        yield Plan.objects.get(pk=plan_snapshot.restore())
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded_plan, db):
    """The Joint Strategic Action Plan 2023-2027 as `loadplan` loads it; each test's changes are
    rolled back (pytest-django runs each test in a savepoint)."""
    return loaded_plan
