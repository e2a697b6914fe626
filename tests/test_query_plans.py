"""The database's own plans for the dashboard and the search at 2,000 actions: no sequential
scan of a history table (the recent activity reads the newest rows from an index), and the
search reads the stored vector's index."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from partners.models import Institution, Membership
from plancore.models import Plan
from plancore.seeding.synthetic import build_synthetic_plan
from tests.roles import make_member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)
SIZE = 2000


@pytest.fixture(scope="module")
def big_plan(django_db_setup, django_db_blocker):
    """A synthetic plan of 2,000 actions (the only plan), analysed, and an embassy reader."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not Plan.objects.exists()
        plan = build_synthetic_plan(actions=SIZE, milestones_per_action=3, updates_per_action=2)
        embassy = Institution.objects.create(
            code="synthetic-embassy-dk",
            name="Synthetic embassy",
            country=Institution.objects.get(code="synthetic-dk-01").country,
            kind=Institution.Kind.EMBASSY,
        )
        reader = make_member(Membership.Role.EMBASSY_STAFF, embassy.code, first_name="Reader")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield {"plan": plan, "reader": reader}
        transaction.set_rollback(True)


def plans_of(client, url):
    """The EXPLAIN of every SELECT the page runs, with the query."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    explained = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith("DECLARE"):
                sql = sql[sql.index(" FOR ") + 5 :]
            if not sql.startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            explained.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return explained


def test_the_dashboard_reads_no_history_table_whole(client, big_plan, db):
    client.force_login(big_plan["reader"])
    assert Action.objects.in_plan(big_plan["plan"]).count() == SIZE
    explained = plans_of(client, reverse("dashboard"))
    history = [plan for sql, plan in explained if "_historical" in sql]
    assert len(history) >= 4, "the recent activity reads the history tables"
    for sql, plan in explained:
        assert "Seq Scan on actions_historical" not in plan, f"{sql[:300]}\n{plan}"


def test_the_search_reads_the_stored_vectors_index(client, big_plan, db):
    client.force_login(big_plan["reader"])
    url = reverse("actions:list") + "?q=synthetic+action&status=on_track&status=delayed"
    explained = plans_of(client, url)
    searches = [plan for sql, plan in explained if "@@" in sql]
    assert searches, "the list ran a full-text search"
    for plan in searches:
        assert "Seq Scan on actions_historical" not in plan
        assert "to_tsvector" not in plan, f"a vector computed per row:\n{plan}"


def test_the_first_page_of_the_list_reads_one_chapters_actions_not_the_plans(client, big_plan, db):
    """With the compose stack's planner setting for SSD storage (docker-compose.yml), the page in
    plan order reads the first chapter's actions through its index, not every action."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
    client.force_login(big_plan["reader"])
    explained = plans_of(client, reverse("actions:list"))
    pages = [plan for sql, plan in explained if "LIMIT 25" in sql]
    assert pages, "the list ran its page query"
    for plan in pages:
        assert "Seq Scan on actions_action " not in plan + " ", plan
