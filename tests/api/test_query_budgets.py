"""Every API list costs the same few queries whatever the number of records (no N+1)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate, Responsibility
from partners.models import Institution
from plancore.models import Chapter
from tests.api.conftest import token_client
from tests.factories import ActionFactory, MilestoneFactory, ProgressUpdateFactory
from tests.roles import action_in, make_demo_user

pytestmark = pytest.mark.django_db

BUDGETS = {
    "api:plans": 5,
    "api:chapters": 5,
    "api:institutions": 5,
    "api:agreements": 5,
    "api:actions": 5,
    "api:milestones": 5,
    "api:updates": 9,
    "api:reports": 5,
    "api:inbox": 16,
}
AS_OF = {"api:actions": 10, "api:milestones": 10, "api:updates": 11}


def grow(plan, extra):
    """`extra` more actions, each with a responsibility, a milestone and a waiting update."""
    chapter = Chapter.objects.filter(plan=plan).order_by("number").first()
    semarnat = Institution.objects.get(code="semarnat")
    author = make_demo_user("liaison_cofepris")
    for position in range(100, 100 + extra):
        action = ActionFactory(chapter=chapter, position=position)
        Responsibility.objects.create(
            action=action, institution=semarnat, side=semarnat.side, role="lead"
        )
        MilestoneFactory(action=action)
        ProgressUpdateFactory(action=action, author=author)


def queries_for(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_api_list_costs_the_same_queries_at_two_sizes(plan, name, django_assert_max_num_queries):
    client = token_client(make_demo_user("embassy_dk"))
    ProgressUpdateFactory(action=action_in(plan, "5.2"), author=make_demo_user("official"))
    small = queries_for(client, reverse(name), django_assert_max_num_queries, BUDGETS[name])
    grow(plan, 30)
    large = queries_for(client, reverse(name), django_assert_max_num_queries, BUDGETS[name])
    assert large <= small
    assert ProgressUpdate.objects.count() > 30


@pytest.mark.parametrize("name", list(AS_OF))
def test_as_of_list_costs_the_same_queries_at_two_sizes(plan, name, django_assert_max_num_queries):
    client = token_client(make_demo_user("embassy_dk"))
    url = reverse(name) + f"?as_of={timezone.localdate().isoformat()}"
    small = queries_for(client, url, django_assert_max_num_queries, AS_OF[name])
    grow(plan, 30)
    large = queries_for(client, url, django_assert_max_num_queries, AS_OF[name])
    assert large <= small
