"""How fast the API answers, and how many queries, as the plan grows.

Runs on a throwaway test database of the configured engine (DATABASE_URL), so it touches no data:
    .venv/bin/python bench/api.py [--sizes 500,2000] [--requests 200]

For each size: a fresh database with the plan's institutions and a synthetic plan of that many
actions (5 milestones and 3 updates each), an embassy-staff reader with a personal API token;
then, in the process (Django's test client, no HTTP server), `--requests` requests each of
  - the action list, a page of 100 actions (with responsibilities, milestones, SDGs, agreements),
  - the same list as of the end of last year (from the history tables, as the reports read it).
Prints p50 and p95 latency and the queries per request, which must be the same at every size.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plancore.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from api.tokens import create_token  # noqa: E402
from partners.models import Institution, Membership  # noqa: E402
from plancore.seeding.plan import load_plan  # noqa: E402
from plancore.seeding.synthetic import build_synthetic_plan  # noqa: E402

P95_TARGET_MS = 500


def reader_client():
    user = get_user_model().objects.create(username="api-bench-reader")
    Membership.objects.create(
        user=user,
        institution=Institution.objects.get(code="embassy-dk-mx"),
        role=Membership.Role.EMBASSY_STAFF,
    )
    _token, secret = create_token(user=user, name="bench", days=30)
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def measure(client, url, requests):
    times, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        queries.append(len(captured))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        # The usual count: the first request fills the cache of filter choices, and a token's
        # last use is written once a minute, each a request with a query or a few more.
        "queries": statistics.mode(queries),
        "queries_range": (min(queries), max(queries)),
        "results": len(response.json()["results"]),
    }


def bench(size, requests):
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_plan(settings.PLAN_FIXTURES_DIR / "plan")
        plan = build_synthetic_plan(actions=size, milestones_per_action=5, updates_per_action=3)
        client = reader_client()
        as_of = date(date.today().year - 1, 12, 31).isoformat()
        rows = {}
        for label, url in (
            ("actions, page of 100", f"/api/v1/actions/?plan={plan.pk}&page_size=100"),
            ("actions as of " + as_of, f"/api/v1/actions/?plan={plan.pk}&as_of={as_of}"),
        ):
            rows[label] = result = measure(client, url, requests)
            low, high = result["queries_range"]
            print(
                f"  {label:<28} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                f"queries/request {result['queries']} (from {low} to {high})  "
                f"({result['results']} results)"
            )
        return rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.API_RATE = "1000000/hour"
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    print(
        f"database: {connection.vendor}; {args.requests} requests each; target p95 under "
        f"{P95_TARGET_MS} ms at 2,000 actions, queries the same at every size"
    )
    by_size = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"synthetic plan of {size} actions:")
        by_size[size] = bench(size, args.requests)
    queries = {
        label: {r[label]["queries"] for r in by_size.values()}
        for label in next(iter(by_size.values()))
    }
    for label, counts in queries.items():
        verdict = "constant" if len(counts) == 1 else "GROWS WITH THE PLAN"
        print(f"queries per request, {label}: {verdict} {sorted(counts)}")


if __name__ == "__main__":
    main()
