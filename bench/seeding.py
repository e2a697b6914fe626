"""How long loading takes: the real plan, its demo history, and a synthetic plan of 2,000 actions.

Runs on a throwaway test database of the configured engine (DATABASE_URL), so it touches no data:
    .venv/bin/python bench/seeding.py [--actions 2000]
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
from django.db import connection  # noqa: E402

from actions.models import Action, Milestone, ProgressUpdate  # noqa: E402
from plancore.seeding.demo import load_demo  # noqa: E402
from plancore.seeding.plan import load_plan  # noqa: E402
from plancore.seeding.synthetic import build_synthetic_plan  # noqa: E402


def timed(label, function, **kwargs):
    start = time.perf_counter()
    result = function(**kwargs)
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=2000)
    args = parser.parse_args()
    engine = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {engine}")
        fixtures = settings.PLAN_FIXTURES_DIR
        plan = timed("loadplan (first run)", load_plan, directory=fixtures / "plan").plan
        timed("loadplan (again, nothing to change)", load_plan, directory=fixtures / "plan")
        timed(
            "loadplan --demo (users and history)", load_demo, plan=plan, directory=fixtures / "demo"
        )
        synthetic = timed(
            f"synthplan --actions {args.actions} (5 milestones, 3 updates)",
            build_synthetic_plan,
            actions=args.actions,
            milestones_per_action=5,
            updates_per_action=3,
        )
        actions = Action.objects.in_plan(synthetic)
        print(
            f"synthetic plan: {actions.count()} actions, "
            f"{Milestone.objects.filter(action__in=actions).count()} milestones, "
            f"{ProgressUpdate.objects.filter(action__in=actions).count()} updates, "
            f"{Action.history.filter(chapter__plan=synthetic).count()} action history rows"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
