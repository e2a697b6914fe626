"""Reports read the plan's content in the report's language, as the history tables kept it."""

from datetime import UTC, datetime

from django.utils import translation

from actions.models import Action
from reporting.content import build_content
from reporting.periods import Period
from reporting.rendering import render_pdf
from tests.reporting.test_pdf import pdf_text

NOTE_EN = "Unofficial translation; the English text signed on 9 August 2023 is authoritative"
NOTE_ES = "Traducción no oficial; el texto en inglés firmado el 9 de agosto de 2023 es el auténtico"


def block(content, number):
    return next(b for c in content["chapters"] for b in c.actions if b.number == number)


def test_the_history_tables_keep_the_spanish_columns(plan):
    historical = Action.history.model
    names = {field.name for field in historical._meta.fields}
    assert {"short_title_en", "short_title_es", "text_en", "text_es"} <= names
    row = Action.objects.get(number="3.1").history.earliest("history_date")
    assert row.short_title_es == "Reuniones políticas de alto nivel"


def test_a_spanish_report_as_of_a_date_shows_the_spanish_title_of_that_date(plan):
    action = Action.objects.get(number="3.1")
    action.short_title_es = "Reuniones políticas bilaterales de alto nivel"
    action._history_date = datetime(2025, 2, 1, 12, tzinfo=UTC)
    action.save()

    with translation.override("es"):
        then = block(build_content(plan=plan, kind="annual", period=Period(2024)), "3.1")
        now = block(build_content(plan=plan, kind="annual", period=Period(2025)), "3.1")
    with translation.override("en"):
        english = block(build_content(plan=plan, kind="annual", period=Period(2024)), "3.1")

    assert (then.title, then.title_lang) == ("Reuniones políticas de alto nivel", "es")
    assert now.title == "Reuniones políticas bilaterales de alto nivel"
    assert (english.title, english.title_lang) == ("High-level political meetings", "en")


def test_a_title_missing_in_spanish_is_read_in_english_in_a_spanish_report(plan):
    Action.objects.filter(number="4.5").update(short_title_es="")
    action = Action.objects.get(number="4.5")
    action._history_date = datetime(2024, 3, 1, 12, tzinfo=UTC)
    action.save()

    with translation.override("es"):
        line = block(build_content(plan=plan, kind="annual", period=Period(2024)), "4.5")

    assert (line.title, line.title_lang) == ("Increasing tourism flows", "en")


def test_the_spanish_report_notes_once_that_its_content_is_an_unofficial_translation(plan):
    html_es = render_pdf(plan=plan, kind="annual", year=2024, language="es")
    text = pdf_text(html_es[0])[1]
    assert text.count(NOTE_ES) == 1 and NOTE_EN not in text
    assert "Reuniones políticas de alto nivel" in text
    assert "Ciudad de México" in text and "Mexico City" not in text

    english = pdf_text(render_pdf(plan=plan, kind="annual", year=2024, language="en")[0])[1]
    assert NOTE_ES not in english and NOTE_EN not in english
    assert "Reuniones políticas" not in english
    assert "High-level political meetings" in english
