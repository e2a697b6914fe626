"""Dates, numbers and percentages follow the language: each page speaks one date style, that of
its language, and no page shows an American date (10/20/2023, "Aug. 9, 2023") or an ISO one."""

import html
import re
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from actions.models import Action, ProgressUpdate
from plancore.charts import chapter_progress_chart
from plancore.formats import percent
from plancore.permissions import reviewable_by

SIGNING = date(2023, 8, 9)

EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
EN_SHORT = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
ES_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
ES_SHORT = "ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic"
DA_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
DA_SHORT = "jan|feb|aug|sept|okt|nov|dec"

# One pattern per way of writing a date; a page in a language may show only that language's.
STYLES = {
    "en": re.compile(rf"\b\d{{1,2}} (?:{EN_MONTHS}|{EN_SHORT}) \d{{4}}\b"),
    "es": re.compile(rf"\b\d{{1,2}} (?:de )?(?:{ES_MONTHS}|{ES_SHORT})(?: de)? \d{{4}}\b"),
    "da": re.compile(rf"\b\d{{1,2}}\. (?:{DA_MONTHS}|{DA_SHORT})\.? \d{{4}}\b"),
    "US": re.compile(rf"\b(?:{EN_MONTHS}|{EN_SHORT})\.? \d{{1,2}}, \d{{4}}\b"),
    "numeric": re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),
    "ISO": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
}


def visible_text(response, language):
    """The page's text without what is written in another language: the plan's own text, in
    English on every page, says its dates as its authors wrote them."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(
        rf'<(\w+)\b[^>]*\blang="(?!{language}")[^"]*"[^>]*>.*?</\1>', " ", content, flags=re.S
    )
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


@pytest.mark.parametrize(
    ("language", "long", "short", "moment"),
    [
        ("en", "9 August 2023", "9 Aug 2023", "9 Aug 2023, 14:05"),
        ("es", "9 de agosto de 2023", "9 ago 2023", "9 ago 2023, 14:05"),
        ("da", "9. august 2023", "9. aug. 2023", "9. aug. 2023 kl. 14.05"),
    ],
)
def test_each_language_writes_dates_day_first_with_the_month_by_name(language, long, short, moment):
    with translation.override(language):
        assert date_format(SIGNING, "DATE_FORMAT") == long
        assert date_format(SIGNING, "SHORT_DATE_FORMAT") == short
        assert date_format(datetime(2023, 8, 9, 14, 5), "DATETIME_FORMAT") == moment


@pytest.mark.parametrize(
    ("language", "written"), [("en", "37%"), ("es", "37\u00a0%"), ("da", "37\u00a0%")]
)
def test_a_percentage_is_written_as_its_language_writes_it(language, written):
    with translation.override(language):
        assert percent(37) == written
        assert percent(36.6) == written
        assert Template("{% load portal %}{{ value|percent }}").render(
            Context({"value": 37})
        ) == written.replace("\u00a0", "\u00a0")
        assert percent(None) == "–"


def test_the_charts_write_mean_progress_in_the_language(db):
    rows = [{"label": "3. Political dialogue", "counts": {"on_track": 2}, "progress": 47}]
    for language, written in (("en", "47%"), ("es", "47\u00a0%")):
        with translation.override(language):
            chart = chapter_progress_chart(
                rows, title="t", id_prefix="c", labels={"on_track": "On track"}
            )
        assert f">{written}</text>" in chart


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    """The plan with the demo's users and three years of history (rolled back with the plan)."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def staff(demo_plan, db):
    return get_user_model().objects.get(username="embassy-dk")


def pages_of(staff):
    action = (
        Action.objects.filter(updates__isnull=False, milestones__done_on__isnull=False)
        .order_by("number")
        .first()
    )
    update = ProgressUpdate.objects.filter(reviewable_by(staff)).order_by("pk").first()
    return {
        "dashboard": reverse("dashboard"),
        "action": reverse("actions:detail", args=[action.pk]),
        "review form": reverse("actions:review", args=[update.pk]),
        "my updates": reverse("actions:my_updates"),
        "what needs me": reverse("inbox:needs_me"),
        "plan": reverse("plan_overview"),
        "reports": reverse("reporting:list"),
    }


@pytest.mark.parametrize("language", ["en", "es", "da"])
def test_each_page_shows_only_its_languages_date_style(client, staff, language):
    client.force_login(staff)
    client.cookies["django_language"] = language
    for name, url in pages_of(staff).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in response.content.decode(), name
        text = visible_text(response, language)
        assert STYLES[language].search(text), f"{name} in {language} shows no date"
        for other, pattern in STYLES.items():
            if other != language:
                found = pattern.findall(text)
                assert not found, f"{name} in {language} shows {other}-style dates: {found[:3]}"


@pytest.mark.parametrize(("language", "written"), [("en", "%"), ("es", "\u00a0%")])
def test_the_action_list_shows_progress_in_one_way(client, staff, language, written):
    client.force_login(staff)
    client.cookies["django_language"] = language
    text = visible_text(client.get(reverse("actions:list")), language)
    percentages = re.findall(r"\d+(\s?)%", text)
    assert percentages and set(percentages) == {written[:-1]}


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("en", "Number", "On track"),
        ("es", "Número", "Conforme a lo previsto"),
        ("da", "Nummer", "Efter planen"),
    ],
)
def test_the_csv_speaks_the_language_and_keeps_iso_dates(client, staff, language, heading, status):
    client.force_login(staff)
    client.cookies["django_language"] = language
    response = client.get(reverse("actions:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.split(",")[0] == heading
    assert any(status in row for row in rows)
    assert STYLES["ISO"].search(text)
    assert not STYLES["numeric"].search(text) and not STYLES["US"].search(text)


@pytest.mark.parametrize(
    ("language", "first_quarter"), [("en", "Q1"), ("es", "T1"), ("da", "1. kvartal")]
)
def test_the_report_form_names_the_quarters_in_the_language(client, staff, language, first_quarter):
    client.force_login(staff)
    client.cookies["django_language"] = language
    page = client.get(reverse("reporting:list")).content.decode()
    assert f'<option value="1">{first_quarter}</option>' in page
