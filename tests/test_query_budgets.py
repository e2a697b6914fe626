"""Every list-like page answers in the same number of queries at 10 actions and at 300."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import Action, ProgressUpdate, Status
from partners.models import Institution, Membership
from plancore.models import Plan
from plancore.seeding.synthetic import build_synthetic_plan
from tests.roles import make_member, make_user

SIZES = [10, 300]

# Observed on SQLite and PostgreSQL, the same at 10 and at 300 actions; each budget is the
# observed count plus 2.
BUDGETS = {
    "dashboard": 26,  # 24 when the shared sections and the header count are computed afresh
    "action list": 16,  # 14
    "action list, filtered": 16,  # 14
    "CSV export": 11,  # 9
    "my actions": 16,  # 14
    "review queue": 14,  # 12: the count of the reader's reviews, then one page of them
    "my updates": 14,  # 12: with each side's state by name (who may decide, who decided)
    "action detail": 21,  # 19: with the amendments of the action
    "chapter": 12,  # 10
    "plan overview": 13,  # 11
    "institution list": 9,  # 7
    "institution detail": 13,  # 11
    "what needs me": 16,  # 14
}


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-actions")
def synthetic(request, django_db_setup, django_db_blocker):
    """A synthetic plan (the only plan) with a reader who is a liaison, embassy staff and author."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not Plan.objects.exists()
        plan = build_synthetic_plan(
            actions=request.param, milestones_per_action=3, updates_per_action=2
        )
        reader = make_member(Membership.Role.LIAISON, "synthetic-dk-01", first_name="Reader")
        embassy = Institution.objects.create(
            code="synthetic-embassy-dk",
            name="Synthetic embassy",
            country=Institution.objects.get(code="synthetic-dk-01").country,
            kind=Institution.Kind.EMBASSY,
        )
        make_member(Membership.Role.EMBASSY_STAFF, embassy.code, user=reader)
        other = make_user()
        actions = list(Action.objects.in_plan(plan))
        waiting = [
            ProgressUpdate(
                action=action,
                author=author,
                status=Status.ON_TRACK,
                progress=50,
                narrative=f"Waiting for review on {action.number}.",
                submitted_at=timezone.now(),
            )
            for action in actions
            for author in (reader, other)
        ]
        bulk_create_with_history(waiting, ProgressUpdate, default_user=other)
        yield {"plan": plan, "reader": reader, "actions": actions}
        transaction.set_rollback(True)


@pytest.fixture
def reader_client(client, synthetic, db):
    client.force_login(synthetic["reader"])
    return client


def page_url(name, synthetic):
    plan, actions = synthetic["plan"], synthetic["actions"]
    institution = Institution.objects.get(code="synthetic-dk-01")
    return {
        "dashboard": reverse("dashboard"),
        "action list": reverse("actions:list"),
        "action list, filtered": reverse("actions:list")
        + "?status=on_track&status=at_risk&status=delayed&status=ongoing&status=completed"
        "&side=DK&role=lead&q=Synthetic&overdue=false&sort=-progress&page=1",
        "CSV export": reverse("actions:export_csv") + "?side=MX&sort=title",
        "my actions": reverse("actions:mine"),
        "review queue": reverse("actions:review_queue"),
        "my updates": reverse("actions:my_updates"),
        "action detail": reverse("actions:detail", args=[actions[-1].pk]),
        "chapter": reverse("chapter_detail", args=[plan.slug, 1]),
        "plan overview": reverse("plan_overview"),
        "institution list": reverse("partners:institution_list"),
        "institution detail": reverse("partners:institution_detail", args=[institution.code]),
        "what needs me": reverse("inbox:needs_me"),
    }[name]


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_stays_within_its_query_budget(
    reader_client, synthetic, page, django_assert_max_num_queries
):
    url = page_url(page, synthetic)
    with django_assert_max_num_queries(BUDGETS[page]):
        response = reader_client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_the_dashboard_reads_its_shared_sections_from_the_cache_once_computed(
    reader_client, synthetic, django_assert_max_num_queries
):
    reader_client.get(page_url("dashboard", synthetic))
    # The user, the second factor, memberships, the plan, and the reader's reviews (count,
    # the first few, their reviews and responsibilities, the liaisons).
    with django_assert_max_num_queries(10):
        response = reader_client.get(page_url("dashboard", synthetic))
    assert response.context["action_total"] == len(synthetic["actions"])
    assert response.context["reviewable_updates"]


def test_the_action_page_reads_the_action_from_the_cache_once_computed(
    reader_client, synthetic, django_assert_max_num_queries
):
    url = page_url("action detail", synthetic)
    reader_client.get(url)
    # The user, the second factor, memberships and the action's amendments the reader may see.
    with django_assert_max_num_queries(4):
        response = reader_client.get(url)
    assert response.context["action"].pk == synthetic["actions"][-1].pk
    assert response.context["milestones"] and response.context["updates"]


def test_the_pages_show_rows_at_every_size(reader_client, synthetic):
    """The budgets above are measured on pages that list something."""
    size = len(synthetic["actions"])
    assert Plan.objects.first() == synthetic["plan"]
    dashboard = reader_client.get(page_url("dashboard", synthetic))
    assert dashboard.context["action_total"] == size
    assert dashboard.context["reviewable_updates"]
    assert (
        reader_client.get(page_url("action list", synthetic)).context["page"].paginator.count
        == size
    )
    assert reader_client.get(page_url("my actions", synthetic)).context["page"].paginator.count
    filtered = reader_client.get(page_url("action list, filtered", synthetic)).context["page"]
    assert 0 < filtered.paginator.count < size
    queue = reader_client.get(page_url("review queue", synthetic)).context
    # the DK side of every waiting update but the reader's own, a page at a time
    assert queue["page"].paginator.count == size
    assert len(queue["updates"]) == min(size, 25)
    assert reader_client.get(page_url("my updates", synthetic)).context["page"].paginator.count
    export = reader_client.get(page_url("CSV export", synthetic))
    csv_rows = b"".join(export.streaming_content).decode("utf-8-sig")
    assert len(csv_rows.strip().splitlines()) == 1 + size
    detail = reader_client.get(page_url("action detail", synthetic)).context
    assert len(detail["milestones"]) == 3 and len(detail["updates"]) == 4
    inbox = reader_client.get(page_url("what needs me", synthetic)).context["sections"]
    assert {s.kind: s.total for s in inbox}["review"] == size
    institution = reader_client.get(page_url("institution detail", synthetic)).context
    assert institution["leads"] or institution["partnerships"]


def count_queries(client, url):
    """Queries of one request, including those a streamed response makes as it is read."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


OBSERVED = {}


@pytest.mark.parametrize("page", list(BUDGETS))
def test_query_count_does_not_grow_with_the_plan(reader_client, synthetic, page):
    """Counted at each size; at the larger size compared with the smaller size's count."""
    size = len(synthetic["actions"])
    count = count_queries(reader_client, page_url(page, synthetic))
    OBSERVED[(page, size)] = count
    if size != SIZES[0] and (page, SIZES[0]) in OBSERVED:
        assert count == OBSERVED[(page, SIZES[0])], (page, OBSERVED)
