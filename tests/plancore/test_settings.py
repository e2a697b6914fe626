"""The settings read the environment; production values make `check --deploy` silent."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

from plancore.celery import app as celery_app

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-3f9c2b7e81d64a5f9e0c1b2a7d6e5f4c3b2a1908",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.org",
}


def run_django(*args, **env):
    unset = {"SECRET_KEY", "DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_silent_with_the_production_variables():
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_a_malformed_debug_value_is_refused_with_a_clear_message():
    result = run_django("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


CELERY_MODE = (
    "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"  # noqa: E501
)


def test_without_redis_tasks_run_in_process():
    result = run_django("shell", "-c", CELERY_MODE)
    assert result.stdout.split()[-2:] == ["True", "memory://"]


def test_with_redis_the_broker_is_redis_and_tasks_are_queued():
    result = run_django("shell", "-c", CELERY_MODE, REDIS_URL="redis://127.0.0.1:6379/5")
    assert result.stdout.split()[-2:] == ["False", "redis://127.0.0.1:6379/5"]


def test_without_database_url_a_fresh_clone_uses_sqlite_in_the_checkout():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['NAME'])"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().endswith("portal.sqlite3")


@pytest.mark.redis
def test_the_cache_is_shared_through_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("portal-test-key", {"plan": "jsap-2023-2027"}, timeout=30)
    assert cache.get("portal-test-key") == {"plan": "jsap-2023-2027"}
    cache.delete("portal-test-key")


@pytest.mark.redis
def test_the_celery_app_reaches_its_redis_broker():
    assert celery_app.conf.broker_url == settings.REDIS_URL
    assert celery_app.conf.task_acks_late is True
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected


def test_with_debug_on_each_log_line_is_printed_once():
    code = "import logging; logging.getLogger('django.request').warning('one-line-marker')"
    result = run_django("shell", "-c", code, DEBUG="true")
    assert result.stderr.count("one-line-marker") == 1, result.stderr


def test_hsts_covers_subdomains_and_asks_for_preload_only_when_the_settings_say_so():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    plain = run_django("shell", "-c", code, **PRODUCTION)
    assert plain.stdout.split()[-3:] == ["31536000", "False", "False"]
    asked = run_django(
        "shell",
        "-c",
        code,
        **PRODUCTION,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    assert asked.stdout.split()[-3:] == ["31536000", "True", "True"]
