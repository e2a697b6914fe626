"""Search reads a stored vector under a GIN index, kept up to date wherever titles and texts
are written (loadplan, synthplan, the administration site, the amendments in force)."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from actions import plan_changes
from actions.models import Action
from actions.search import search_actions
from plancore.seeding.synthetic import build_synthetic_plan
from tests.roles import make_demo_user, signed_in

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def numbers(queryset):
    return sorted(queryset.values_list("number", flat=True))


@needs_postgresql
def test_loadplan_stores_every_actions_search_vector(plan):
    assert not Action.objects.in_plan(plan).filter(search_vector__isnull=True).exists()


@needs_postgresql
def test_search_finds_words_by_their_stem_and_ranks_nothing_it_should_not(plan):
    actions = Action.objects.in_plan(plan)
    # "cooperate" is in action texts as "cooperation", "cooperating", …
    found = numbers(search_actions(actions, "cooperating"))
    assert found
    for number in found:
        text = Action.objects.get(chapter__plan=plan, number=number)
        assert "cooperat" in (text.short_title + text.text).lower()
    assert numbers(search_actions(actions, "zyxwvut")) == []


@needs_postgresql
def test_search_finds_an_action_by_its_spanish_words_under_the_spanish_configuration(plan):
    actions = Action.objects.in_plan(plan)
    # "porcina" and "zoonóticas" appear only in the Spanish text of 7.2 (and 7.5 for "porcina").
    assert numbers(search_actions(actions, "peste porcina africana")) == ["7.2"]
    assert numbers(search_actions(actions, "zoonótica")) == ["7.2"]
    # Spanish stemming: "reuniones" finds "reunión"-like forms of 3.1's Spanish title.
    assert "3.1" in numbers(search_actions(actions, "reunión política"))
    assert numbers(search_actions(actions, "swine fever")) == ["7.2"]


def test_search_matches_the_spanish_words_on_any_database(plan):
    actions = Action.objects.in_plan(plan)
    assert "7.2" in numbers(search_actions(actions, "porcina"))


@needs_postgresql
def test_an_edit_in_the_administration_site_is_searchable_at_once(rf, plan):
    from django.contrib.admin.sites import site

    from actions.admin import ActionAdminForm

    action = Action.objects.get(chapter__plan=plan, number="6.6")
    admin = site._registry[Action]
    request = rf.post("/admin/actions/action/")
    request.user = make_demo_user("administrator")
    form = ActionAdminForm(instance=action)
    action.text = "Joint work on hydroponic greenhouses in Sonora."

    admin.save_model(request, action, form, change=True)

    actions = Action.objects.in_plan(plan)
    assert numbers(search_actions(actions, "greenhouse")) == ["6.6"]
    assert numbers(search_actions(actions, "hydroponics")) == ["6.6"]


@needs_postgresql
def test_an_action_reworded_by_an_amendment_is_found_by_its_new_words_only(plan):
    action = Action.objects.get(chapter__plan=plan, number="6.6")
    actions = Action.objects.in_plan(plan)
    assert numbers(search_actions(actions, "hydroponics")) == []

    plan_changes.amend_action(
        action=action,
        user=make_demo_user("administrator"),
        short_title_en="Hydroponic greenhouses",
        short_title_es="Invernaderos hidropónicos",
        text_en="Joint work on hydroponic greenhouses in Sonora.",
        text_es="Trabajo conjunto sobre invernaderos hidropónicos en Sonora.",
        reason="Amendment 1",
    )

    assert numbers(search_actions(actions, "hydroponics")) == ["6.6"]
    assert numbers(search_actions(actions, "invernadero")) == ["6.6"]
    old_words = Action.history.filter(id=action.pk).earliest("history_date").short_title_en
    assert "6.6" not in numbers(search_actions(actions, old_words))


@needs_postgresql
def test_an_action_added_by_an_amendment_is_searchable_at_once(plan):
    chapter = Action.objects.get(chapter__plan=plan, number="6.6").chapter
    new = plan_changes.add_action(
        chapter=chapter,
        user=make_demo_user("administrator"),
        short_title_en="Desalination plants",
        short_title_es="Plantas desalinizadoras",
        text_en="Exchange on desalination for coastal cities.",
        text_es="Intercambio sobre desalinización para ciudades costeras.",
        target_date=date(2027, 12, 31),
        reason="Amendment 2",
    )

    actions = Action.objects.in_plan(plan)
    assert numbers(search_actions(actions, "desalination")) == [new.number]
    assert numbers(search_actions(actions, "desalinizadoras")) == [new.number]


@needs_postgresql
def test_synthplan_stores_search_vectors(db):
    synthetic = build_synthetic_plan(actions=12, milestones_per_action=0, updates_per_action=0)
    actions = Action.objects.in_plan(synthetic)
    assert not actions.filter(search_vector__isnull=True).exists()
    assert numbers(search_actions(actions, "synthetic")) == numbers(actions)


def test_the_search_page_finds_an_action_by_number_on_any_database(client, plan):
    signed_in(client, make_demo_user("official"))
    page = client.get(reverse("actions:list"), {"q": "6.6"})
    assert [a["number"] for a in page.context["actions"]] == ["6.6"]
