"""The portal in Spanish, clicked through in a real Chromium: a Mexican liaison whose language is
Spanish signs in and reviews an update from start to end, and no page on the way shows a phrase
of the interface in English. The language switcher works with and without JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from actions import services
from actions.models import Action, ProgressUpdate, Status
from notifications.models import Preferences
from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.plancore.test_catalogues import entries

pytestmark = pytest.mark.browser

AXE = Axe()
PLACEHOLDER = re.compile(r"%\(|\{|<|&")
# Words of the interface the plan's own text (shown in English beside Spanish pages) never uses
# as a whole phrase, so that their absence means the interface speaks Spanish.
SINGLE_WORDS = {
    "Dashboard",
    "Actions",
    "Reviews",
    "Reports",
    "Institutions",
    "Milestones",
    "History",
    "Language",
    "Submitted",
    "Outcome",
    "Comment",
    "Decision",
    "Approved",
    "Returned",
}


def english_phrases():
    """The interface's English phrases that Spanish translates differently: every message of two
    words or more, and a few single words, taken from the catalogue itself."""
    phrases = set()
    for _context, msgid, strings in entries("es"):
        if PLACEHOLDER.search(msgid) or strings[0] == msgid:
            continue
        if len(msgid.split()) >= 2 or msgid in SINGLE_WORDS:
            phrases.add(msgid.rstrip(".:"))
    return phrases


def spanish_text(page):
    """What the page says in its own language: everything but elements marked as written in
    another (the plan's own English text, the names of the other languages)."""
    return page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('[lang]:not([lang="es"]), script, [hidden]')
                .forEach(e => e.remove());
            return copy.textContent.replace(/\\s+/g, ' ');
        }"""
    )


def english_on(page, phrases):
    text = spanish_text(page)
    return sorted(p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text))


def no_serious_axe_finding(page):
    results = AXE.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert not serious, f"{page.url}: {serious}"


def test_a_mexican_liaison_reviews_an_update_in_spanish(new_page, live_server, make_member):
    author = make_member("embassy-mx")
    liaison = make_member("liaison-cofepris")
    Preferences.objects.create(user=liaison, language="es")
    action = Action.objects.get(number="5.2")
    narrative = "COFEPRIS y la Agencia Danesa de Medicamentos acordaron un programa de inspección."
    services.submit_update(
        action=action, author=author, status=Status.ON_TRACK, progress=40, narrative=narrative
    )
    phrases = english_phrases()
    assert "Updates waiting for your review" in phrases and "Record my decision" in phrases

    page = sign_in(new_page(), live_server, "liaison-cofepris")  # the browser asks for English
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert english_on(page, phrases) == [], "dashboard"

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Revisiones").click()
    expect(page.locator("h1")).to_have_text("Actualizaciones en espera de su revisión")
    row = page.locator("tbody tr").filter(has_text="5.2")
    expect(row).to_contain_text("Conforme a lo previsto, 40\u00a0%")
    assert english_on(page, phrases) == [], "review queue"
    no_serious_axe_finding(page)

    row.get_by_role("link", name=re.compile(r"^Revisar")).click()
    expect(page.locator("h1")).to_have_text("Revisar una actualización de avance")
    assert english_on(page, phrases) == [], "review form"
    no_serious_axe_finding(page)
    page.get_by_role("radio", name="Aprobada", exact=True).check()
    page.get_by_role("button", name="Registrar mi decisión").click()

    expect(page).to_have_url(f"{live_server.url}/actions/reviews/")
    expect(page.locator(".messages")).to_have_text("Su decisión quedó registrada.")
    assert english_on(page, phrases) == [], "review queue after the decision"

    page.goto(f"{live_server.url}/actions/{action.pk}/")
    card = page.locator("article.card").filter(has_text=narrative)
    expect(card).to_contain_text("En espera de revisión")
    expect(card.locator(".review-decisions")).to_contain_text("México: Aprobada")
    assert english_on(page, phrases) == [], "action page"
    update = ProgressUpdate.objects.get(action=action)
    assert [(r.side, r.decision) for r in update.reviews.all()] == [("MX", "approved")]


def test_the_language_switcher_works_without_javascript(browser, live_server, make_member):
    make_member("embassy-dk")
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), live_server, "embassy-dk")
        button = page.locator("form.language-form button[type=submit]")
        expect(button).to_be_visible()
        page.get_by_label("Language").select_option("da")
        expect(page.locator("html")).to_have_attribute("lang", "en")  # nothing sent yet
        button.click()
        expect(page.locator("html")).to_have_attribute("lang", "da")
        expect(page.get_by_role("link", name="Oversigt", exact=True)).to_have_count(1)
    finally:
        context.close()


def test_with_javascript_choosing_a_language_is_enough(page, live_server, make_member):
    user = make_member("embassy-dk")
    sign_in(page, live_server, "embassy-dk")
    select = page.get_by_label("Language")
    expect(page.locator("form.language-form button[type=submit]")).to_be_hidden()
    expect(select).to_have_attribute("aria-describedby", "language-hint")
    select.select_option("da")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_label("Sprog")).to_have_value("da")
    assert Preferences.objects.get(user=user).language == "da"
    no_serious_axe_finding(page)
