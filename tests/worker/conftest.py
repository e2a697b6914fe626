"""A real Celery worker process for the report pipeline tests (marker `worker`).

The worker is another process, so it must see the test database with committed data: the tests
need PostgreSQL (`transactional_db`, `live_server`) and Redis. Without them the tests are skipped
with the reason, except in CI (the CI variable is set), where the run stops instead.

Broker and worker use the Redis that WORKER_TEST_REDIS_URL names, or else REDIS_URL, database
and all. Each test gives its broker keys a prefix of its own (kombu's global_keyprefix) and deletes
only the keys under that prefix afterwards: a test never empties a database, and other users of the
same Redis keep their keys. While a test runs, the test process's Celery app is pointed at it too,
and tasks are sent to the worker instead of running eagerly (the autouse `tasks_in_process` fixture
restores eager mode afterwards).
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

HERE = Path(__file__).resolve().parent
READY_TIMEOUT = 60
STOP_TIMEOUT = 10
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker: runs a real Celery worker against PostgreSQL and Redis"
    )


def missing_services():
    """Why the worker tests cannot run here, or None."""
    if connection.vendor != "postgresql":
        return (
            f"needs PostgreSQL (DATABASE_URL=postgres://…), not {connection.vendor}: the Celery "
            "worker is another process and must see the test database"
        )
    if not settings.REDIS_URL:
        return "needs REDIS_URL (a running Redis): the Celery worker's broker"
    return None


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    reason = missing_services() if ours else None
    if reason is None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI runs the worker tests (tests/worker): {reason}.")
    skip = pytest.mark.skip(reason=reason)
    for item in ours:
        item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures know whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def worker_redis_url():
    return os.environ.get("WORKER_TEST_REDIS_URL") or settings.REDIS_URL


def test_database_url():
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def point_celery_at(broker_url, result_backend, key_prefix=""):
    """Send this process's tasks to another broker. Celery caches the connection pool, the
    producer pool (both also kept in kombu's registry) and, per thread, the result backend; they
    are dropped so that the URLs take effect in this thread and in the live server's."""
    from plancore.celery import app

    kombu.pools.reset()  # closes and forgets every pooled connection and producer
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = app.conf.broker_transport_options | {
        "global_keyprefix": key_prefix
    }
    app.conf.result_backend = result_backend
    app._backend_cache = None
    app._local = threading.local()


def delete_keys(url, prefix):
    """Delete the keys under `prefix` (and only those); return how many there were."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


@dataclass(frozen=True)
class Broker:
    url: str
    key_prefix: str


@pytest.fixture
def worker_broker():
    """The test process's Celery app sends to the worker's Redis, under keys of this test's own,
    not eagerly. Those keys are deleted afterwards; nothing else in that Redis is touched."""
    from plancore.celery import app

    reason = missing_services()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    saved = app.conf.broker_url, app.conf.result_backend, app.conf.broker_transport_options
    broker = Broker(url=worker_redis_url(), key_prefix=f"portal-test-{uuid.uuid4().hex[:12]}:")
    app.conf.task_always_eager = False
    point_celery_at(broker.url, None, broker.key_prefix)
    yield broker
    point_celery_at(saved[0], saved[1], saved[2].get("global_keyprefix", ""))
    delete_keys(broker.url, broker.key_prefix)


@pytest.fixture(autouse=True)
def plain_http(settings):
    """Plain HTTP on localhost, and a fast password hasher so that signing in costs nothing."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


class CeleryWorker:
    """A `celery worker` process and its log."""

    def __init__(self, *, broker, media_root, log_path):
        self.name = f"test-{uuid.uuid4().hex[:8]}"
        self.broker = broker
        self.log_path = log_path
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "plancore.settings",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": broker.url,
            "BROKER_KEY_PREFIX": broker.key_prefix,
            "MEDIA_ROOT": str(media_root),
            "REPORT_BUILD_TIME_LIMIT": str(settings.REPORT_BUILD_TIME_LIMIT),
            "REPORT_HEARTBEAT_SECONDS": str(settings.REPORT_HEARTBEAT_SECONDS),
            # The real plan's reports are light enough to be laid out whole; here they are laid
            # out in parts, by layout processes of the worker's own, and joined.
            "REPORT_PARTS_ABOVE_LINES": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "plancore",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_ready(self, timeout=READY_TIMEOUT):
        """Wait for the worker's "ready." line; fail with its log if it dies or takes too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"The Celery worker exited ({self.process.returncode}):\n{self.log()}",
                    pytrace=False,
                )
            if f"{self.name}@" in self.log() and " ready." in self.log():
                return self
            time.sleep(0.2)
        pytest.fail(f"The Celery worker was not ready in {timeout} s:\n{self.log()}", pytrace=False)

    def pool_children(self):
        """The pids of the worker's pool processes (children of its main process)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            # pid (comm) state ppid …; comm may hold spaces and parentheses.
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[1]) == self.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def kill_pool(self):
        """SIGKILL the pool processes, as the OOM killer would; return their pids."""
        pids = self.pool_children()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return pids

    def kill_whole(self):
        """SIGKILL the worker's main process and its pool at once, as a lost machine would."""
        pids = [self.pid, *self.pool_children()]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        return pids

    def stop(self):
        """SIGTERM (warm shutdown), then SIGKILL after STOP_TIMEOUT s; no pool process is left."""
        children = self.pool_children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in children:  # orphans would keep connections to the test database
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._log.close()


@pytest.fixture
def celery_worker_started(request, transactional_db, worker_broker, settings, tmp_path):
    """A Celery worker process, started but perhaps not ready yet: a test can prepare its data
    meanwhile and then call `.wait_ready()`. Stopped before the test database is emptied."""
    worker = CeleryWorker(
        broker=worker_broker,
        media_root=settings.MEDIA_ROOT,
        log_path=tmp_path / "celery-worker.log",
    )
    yield worker
    worker.stop()
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        print(f"--- log of the Celery worker {worker.name} (pid {worker.pid}) ---")
        print(worker.log())


@pytest.fixture
def celery_worker_process(celery_worker_started):
    """A Celery worker process that is ready to take tasks."""
    return celery_worker_started.wait_ready()
