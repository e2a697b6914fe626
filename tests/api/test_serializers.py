"""The action answer written out (api.selectors.with_details with ActionSerializer's own
to_representation, and api.selectors.answers, which the database writes for the list) says
exactly what the serializer's declared fields say."""

import json

import pytest
from django.db.models import Prefetch
from django.utils import translation
from rest_framework import serializers as drf

from actions.models import Action, Milestone, Responsibility
from api.selectors import actions_for_api, answers, with_details
from api.serializers import ActionSerializer


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


def by_declared_fields(action):
    """The answer of DRF's generic machinery over the declared fields."""
    return drf.ModelSerializer.to_representation(ActionSerializer(), action)


def actions_with_prefetched_rows():
    return Action.objects.select_related("chapter").prefetch_related(
        Prefetch(
            "responsibilities", queryset=Responsibility.objects.order_by("side", "role", "pk")
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
        Prefetch("sdgs"),
        Prefetch("agreements"),
    )


@pytest.mark.parametrize("language", ["en", "es", "da"])
def test_every_demo_action_reads_as_its_declared_fields_say(demo_plan, db, language):
    Milestone.objects.filter(pk=Milestone.objects.order_by("pk").values("pk")[:1]).update(
        title_es="Hito solo en español", title_en="Milestone in English"
    )
    Milestone.objects.filter(pk=Milestone.objects.order_by("-pk").values("pk")[:1]).update(
        title_es=""
    )
    Action.objects.filter(pk=Action.objects.order_by("pk").values("pk")[:1]).update(
        short_title_es="", text_es=""
    )
    with translation.override(language):
        expected = [by_declared_fields(a) for a in actions_with_prefetched_rows().order_by("pk")]
        written = [ActionSerializer(a).data for a in with_details(actions_for_api().order_by("pk"))]
        # The list's answers, as the database writes them on PostgreSQL.
        built = [json.loads(row["answer"]) for row in answers(Action.objects.order_by("pk"))]
    assert len(written) == Action.objects.count() > 30
    assert any(action["milestones"] for action in written)
    assert any(len(action["sdgs"]) > 1 for action in written)
    assert any(action["agreements"] for action in written)
    assert written == expected
    assert built == expected
    assert [list(answer) for answer in built] == [list(answer) for answer in expected]


def test_an_action_read_alone_gets_its_rows_too(demo_plan, db):
    action = actions_for_api().get(number="6.6", chapter__plan=demo_plan)
    data = ActionSerializer(action).data
    assert data == by_declared_fields(actions_with_prefetched_rows().get(pk=action.pk))
    assert data["responsibilities"]


def test_the_list_answers_what_the_serializer_writes(demo_plan, db):
    from django.urls import reverse

    from tests.api.conftest import token_client
    from tests.roles import make_demo_user

    client = token_client(make_demo_user("official"))
    response = client.get(reverse("api:actions"), {"page_size": 20}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["next", "previous", "results"]
    assert body["previous"] is None and "cursor=" in body["next"]
    with translation.override("es"):
        expected = [by_declared_fields(a) for a in actions_with_prefetched_rows().order_by("pk")]
    assert body["results"] == expected[:20]
    following = client.get(body["next"], HTTP_ACCEPT_LANGUAGE="es").json()
    assert following["results"] == expected[20:40]
