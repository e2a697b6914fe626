"""The databases bench/pages.py serves: one per plan size, seeded once, then reused.

Imported once Django is set up, on the PostgreSQL server that bench/pages.py named in
DATABASE_URL. Size 35 is the real plan with the demo; any other size a synthetic plan, alone in
its database. A comment on the database records that it was seeded, when, and by which code.
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from actions.models import Action
from partners.models import Institution, Membership
from plancore.models import Plan
from plancore.seeding.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=""))
REAL_SIZE = 35
REAL_SLUG = "jsap-2023-2027"
REAL_ACTION = "6.6"
REAL_USER = "embassy-dk"
BENCH_USER = "bench-embassy-dk"
BENCH_PASSWORD = "bench-pass-2027"
DANISH_EMBASSY = "embassy-dk-mx"
SEED_MARKER = "seeded by bench/pages.py"
# The code that seeds: when it changed since a database was seeded, the run says so.
SEEDING_SOURCES = ["plancore/seeding", "plancore/management/commands", "fixtures/plan"]


def database_url(name):
    return f"{SERVER_URL}/{name}"


def admin_execute(sql, params=None):
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        cursor = admin.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def seeding_fingerprint():
    digest = hashlib.sha256()
    for source in SEEDING_SOURCES:
        for path in sorted((ROOT / source).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".json"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def seed_budget(size):
    """Seconds that seeding may take at most: migrate, loadplan and synthplan."""
    return 300 + 900 if size == REAL_SIZE else 300 + 300 + 120 + size // 10


def manage(args, name, timeout, media_root):
    env = os.environ | {"DATABASE_URL": database_url(name), "MEDIA_ROOT": str(media_root)}
    env.pop("REDIS_URL", None)  # the demo's report builds run in-process
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed on {name}")
    print(f"  manage.py {' '.join(args)} ({time.perf_counter() - start:.1f} s)", flush=True)


def use_database(name):
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


RANDOM_PAGE_COST = 1.1  # as docker-compose.yml starts PostgreSQL


def prepare_database(size, rebuild, workdir):
    """The seeded database for this size, created or reused; returns what the pages need."""
    name = f"bench_pages_{size}"
    rows = admin_execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
    )
    marker = rows[0][0] if rows else None
    fingerprint = seeding_fingerprint()
    media_root = workdir / "media"
    if not rebuild and marker and marker.startswith(f"{SEED_MARKER}, size {size},"):
        print(f"{name}: reusing the seeded database ({marker}; --rebuild seeds it again)")
        if not marker.endswith(f"code {fingerprint}"):
            print(f"  the seeding code changed since (now {fingerprint}): consider --rebuild")
        manage(["migrate", "--noinput"], name, 300, media_root)
        # A migration that rewrites rows leaves the old ones dead until autovacuum comes by;
        # measure the tables as they are once it has.
        with psycopg.connect(database_url(name), autocommit=True) as db:
            db.execute("VACUUM ANALYZE")
    else:
        print(f"{name}: seeding (at most {seed_budget(size) // 60} min)", flush=True)
        admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_execute(f'CREATE DATABASE "{name}"')
        manage(["migrate", "--noinput"], name, 300, media_root)
        if size == REAL_SIZE:
            manage(["loadplan", "--demo"], name, 900, media_root)
        else:
            manage(["loadplan"], name, 300, media_root)
            synthplan = ["synthplan", "--actions", str(size)]
            synthplan += ["--milestones-per-action", "5", "--updates-per-action", "3"]
            manage(synthplan, name, 120 + size // 10, media_root)
            use_database(name)
            keep_only_synthetic_plan(size)
            make_bench_user()
        with psycopg.connect(database_url(name), autocommit=True) as db:
            db.execute("VACUUM ANALYZE")
        marker = f"{SEED_MARKER}, size {size}, {time.strftime('%Y-%m-%d')}, code {fingerprint}"
        admin_execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    # The planner settings of the compose stack's PostgreSQL (docker-compose.yml), for this
    # database alone: the machine's server keeps its own.
    admin_execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')
    use_database(name)
    return name, plan_facts(size)


def keep_only_synthetic_plan(size):
    real = Plan.objects.filter(slug=REAL_SLUG).first()
    if real is not None:
        Action.objects.filter(chapter__plan=real).delete()
        real.delete()
    assert list(Plan.objects.values_list("slug", flat=True)) == [f"synthetic-{size}"]


def make_bench_user():
    """An embassy-staff user of the Danish embassy: reads every page, as the demo embassy-dk."""
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"first_name": "Bench", "last_name": "Reader"}
    )
    user.set_password(BENCH_PASSWORD)
    user.save()
    Membership.objects.get_or_create(
        user=user,
        institution=Institution.objects.get(code=DANISH_EMBASSY),
        role=Membership.Role.EMBASSY_STAFF,
    )


def plan_facts(size):
    if size == REAL_SIZE:
        plan = Plan.objects.get(slug=REAL_SLUG)
        action = Action.objects.get(chapter__plan=plan, number=REAL_ACTION)
        username, password = REAL_USER, DEMO_PASSWORD
    else:
        plan = Plan.objects.get(slug=f"synthetic-{size}")
        # An action with history: the one with the most updates, then milestones.
        action = (
            Action.objects.in_plan(plan)
            .annotate(updates_n=Count("updates", distinct=True))
            .annotate(milestones_n=Count("milestones", distinct=True))
            .order_by("-updates_n", "-milestones_n", "chapter__number", "position")
            .first()
        )
        username, password = BENCH_USER, BENCH_PASSWORD
    facts = {
        "size": size,
        "slug": plan.slug,
        "action": action.pk,
        "action_number": action.number,
        "chapter": action.chapter.number,
        "actions": Action.objects.count(),
        "username": username,
        "password": password,
    }
    connection.close()
    return facts
