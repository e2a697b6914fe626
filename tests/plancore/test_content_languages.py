"""The plan's content in English and Spanish: loaded with the plan, shown in the reader's
language, marked where it falls back or is an unofficial translation."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from actions.models import Action
from partners.models import Agreement, Country, Institution
from plancore.languages import content_language, shown_language
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal
from plancore.seeding.plan import load_plan
from tests.roles import make_demo_user, signed_in

TRANSLATED = {
    Plan: ("title", "preamble", "signed_at"),
    Chapter: ("title", "background"),
    Action: ("short_title", "text"),
    Institution: ("name",),
    Country: ("name", "government"),
    SustainableDevelopmentGoal: ("name", "title"),
    Agreement: ("title", "description"),
}
NOTE_EN = "Unofficial translation; the English text signed on 9 August 2023 is authoritative"
NOTE = "Traducción no oficial; el texto en inglés firmado el 9 de agosto de 2023 es el auténtico"


def gaps(model, fields):
    """Each object of `model` whose English text has no Spanish text beside it."""
    return [
        f"{obj} ({field})"
        for obj in model.objects.all()
        for field in fields
        if getattr(obj, f"{field}_en") and not getattr(obj, f"{field}_es")
    ]


@pytest.mark.parametrize("model", TRANSLATED, ids=lambda model: model.__name__)
def test_every_text_loadplan_loads_in_english_it_loads_in_spanish_too(plan, model):
    assert model.objects.exists()
    assert gaps(model, TRANSLATED[model]) == []


def test_the_counts_of_what_has_spanish_text_match_the_plan(plan):
    assert Action.objects.exclude(short_title_es="").exclude(text_es="").count() == 35
    assert SustainableDevelopmentGoal.objects.exclude(name_es="").count() == 17
    assert Chapter.objects.exclude(title_es="").count() == 8


def test_official_spanish_names_of_mexican_institutions_and_of_the_goals(plan):
    assert Institution.objects.get(code="sre").name_es == "Secretaría de Relaciones Exteriores"
    assert Institution.objects.get(code="senasica").name_es == (
        "Servicio Nacional de Sanidad, Inocuidad y Calidad Agroalimentaria"
    )
    names = dict(SustainableDevelopmentGoal.objects.values_list("number", "name_es"))
    assert (names[1], names[13], names[17]) == (
        "Fin de la pobreza",
        "Acción por el clima",
        "Alianzas para lograr los objetivos",
    )


def test_an_action_missing_from_the_spanish_fixture_is_found_as_a_gap(tmp_path, plan):
    import json
    import shutil

    folder = tmp_path / "plan"
    shutil.copytree(settings.PLAN_FIXTURES_DIR / "plan", folder)
    spanish = json.loads((folder / "jsap-2023-2027.es.json").read_text())
    del spanish["actions"]["4.5"]
    (folder / "jsap-2023-2027.es.json").write_text(json.dumps(spanish))
    Action.objects.filter(number="4.5").update(short_title_es="", text_es="")

    load_plan(folder)

    assert gaps(Action, ("short_title", "text")) == [
        "4.5 Increasing tourism flows (short_title)",
        "4.5 Increasing tourism flows (text)",
    ]


def test_loading_the_plan_again_changes_no_translation(plan):
    before = list(Action.objects.values_list("short_title_es", "text_es", "version"))
    result = load_plan(settings.PLAN_FIXTURES_DIR / "plan")
    assert result.summary() == "The plan is already loaded; nothing changed."
    assert list(Action.objects.values_list("short_title_es", "text_es", "version")) == before


def test_a_danish_reader_reads_the_content_in_english():
    assert content_language("da") == "en"
    assert content_language("es") == "es"
    assert content_language("en-gb") == "en"


def test_the_plain_field_follows_the_language_and_danish_falls_back_to_english(plan):
    action = Action.objects.get(number="6.3")
    with translation.override("es"):
        assert action.short_title == "Economía circular y mitigación del cambio climático"
    with translation.override("da"):
        assert action.short_title == "Circular economy and climate change mitigation"


def test_a_text_missing_in_spanish_is_read_in_english(plan):
    action = Action.objects.get(number="4.5")
    action.short_title_es = ""
    with translation.override("es"):
        assert action.short_title == "Increasing tourism flows"
        assert shown_language(action, "short_title") == "en"


def page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.fixture
def reader(client, plan):
    return signed_in(client, make_demo_user("official"))


def test_the_spanish_action_page_shows_the_spanish_text_once_noted_with_the_original(reader, plan):
    action = Action.objects.get(number="6.3")
    html = page(reader, reverse("actions:detail", args=[action.pk]), "es")

    assert '<span lang="es">6.3 Economía circular y mitigación del cambio climático</span>' in html
    assert "Promover iniciativas de economía circular" in html
    assert html.count(NOTE) == 1
    original = re.search(r"<details>.*?</details>", html, re.S).group(0)
    assert '<div class="plan-text" lang="en">' in original
    assert "Promote circular economy initiatives" in original
    assert 'lang="en">6.3' not in html


def test_the_english_action_page_shows_the_signed_text_without_a_note(reader, plan):
    action = Action.objects.get(number="6.3")
    html = page(reader, reverse("actions:detail", args=[action.pk]), "en")

    assert '<span lang="en">6.3 Circular economy and climate change mitigation</span>' in html
    assert NOTE not in html and NOTE_EN not in html
    assert "Economía circular" not in html


def test_a_title_missing_in_spanish_shows_in_english_marked_and_never_blank(reader, plan):
    action = Action.objects.get(number="4.5")
    Action.objects.filter(pk=action.pk).update(short_title_es="")

    html = page(reader, reverse("actions:detail", args=[action.pk]), "es")

    assert '<span lang="en">4.5 Increasing tourism flows</span>' in html
    assert 'class="text-language">(' in html


def test_the_spanish_chapter_and_plan_pages_show_spanish_content_noted_once(reader, plan):
    chapter = Chapter.objects.get(number=6)
    html = page(reader, reverse("chapter_detail", args=[plan.slug, 6]), "es")
    assert '<h1 lang="es">6. Cambio climático, medio ambiente y energía' in html
    assert html.count(NOTE) == 1
    assert chapter.background_en.split("\n")[0] in html  # the original, on request

    html = page(reader, reverse("plan_detail", args=[plan.slug]), "es")
    assert '<h1 lang="es">Plan de Acción Estratégico Conjunto 2023–2027</h1>' in html
    assert html.count(NOTE) == 1
    assert "El Gobierno de los Estados Unidos Mexicanos" in html
    assert 'Carmen Moreno Toscano, <span lang="es">Subsecretaria de Relaciones Exteriores' in html


def test_the_spanish_action_list_and_institution_pages_read_spanish(reader, plan):
    html = page(reader, reverse("actions:list"), "es")
    assert "Reuniones políticas de alto nivel" in html
    assert 'lang="en"><a' not in html

    html = page(reader, reverse("partners:institution_detail", args=["sre"]), "es")
    assert '<span lang="es">Secretaría de Relaciones Exteriores</span>' in html
    assert "Secretariat of Foreign Affairs" in html  # its English name, marked lang="en"


def test_a_danish_reader_sees_english_content_marked_as_english(plan):
    action = Action.objects.get(number="6.3")
    with translation.override("da"):
        assert shown_language(action, "short_title") == "en"
