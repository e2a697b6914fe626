"""How long the daily reminders take, and how many queries, as the plan grows.

Runs on a throwaway test database of the configured engine (DATABASE_URL), so it touches no data:
    .venv/bin/python bench/reminders.py [--sizes 500,2000]

For each size: a fresh database with the plan's institutions and a synthetic plan of that many
actions (5 milestones and 3 updates each), a liaison at each institution and staff and
administrators at both embassies; then `sendreminders` as of today, twice. The e-mails go to
Django's in-memory backend (the time is the portal's, not a mail server's). The first run records
and sends; the second must send nothing. Besides the batched inserts of the reminders (one per
1,000 rows), the query count must stay the same at every size: it follows the number of people
written to, not the number of actions.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plancore.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Action, Milestone  # noqa: E402
from notifications import services  # noqa: E402
from notifications.models import Delivery  # noqa: E402
from partners.models import Institution, Membership  # noqa: E402
from plancore.seeding.plan import load_plan  # noqa: E402
from plancore.seeding.synthetic import build_synthetic_plan  # noqa: E402

TARGET_S = 10
Role = Membership.Role


def people():
    """A liaison at every institution; staff and an administrator at each embassy."""
    User = get_user_model()
    for institution in Institution.objects.exclude(code__startswith="embassy"):
        user = User.objects.create(
            username=f"liaison-{institution.code}", email=f"{institution.code}@example.org"
        )
        Membership.objects.create(user=user, institution=institution, role=Role.LIAISON)
    for code in ("embassy-dk-mx", "embassy-mx-dk"):
        embassy = Institution.objects.get(code=code)
        for role in (Role.EMBASSY_STAFF, Role.ADMINISTRATOR):
            user = User.objects.create(username=f"{role}-{code}", email=f"{role}-{code}@ex.org")
            Membership.objects.create(user=user, institution=embassy, role=role)
    return Membership.objects.count()


def run_once(today):
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        run = services.send_reminders(today=today)
        seconds = time.perf_counter() - start
    inserts = sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "notifications_delivery"')
    )
    return run, seconds, len(queries), inserts, len(mail.outbox)


def bench(size):
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_plan(settings.PLAN_FIXTURES_DIR / "plan")
        build_synthetic_plan(actions=size, milestones_per_action=5, updates_per_action=3)
        members = people()
        today = timezone.localdate()
        print(
            f"{Action.objects.count()} actions, {Milestone.objects.count()} milestones, "
            f"{members} memberships"
        )
        for label in ("first run", "second run"):
            run, seconds, queries, inserts, emails = run_once(today)
            print(
                f"  {label:<11} {seconds:6.2f} s  {queries:4d} queries ({queries - inserts:3d} + "
                f"{inserts:2d} inserts of deliveries)  {run.owed:5d} reminders due  "
                f"{run.claimed:5d} new  {emails:3d} e-mails"
            )
        print(f"  deliveries recorded: {Delivery.objects.count()}")
        return seconds
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,2000")
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    print(f"database: {connection.vendor}; target: under {TARGET_S} s at 2,000 actions")
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"synthetic plan of {size} actions:")
        bench(size)


if __name__ == "__main__":
    main()
