"""The portal on a phone, 390 × 844 CSS pixels (an iPhone 12 to 15), in a real Chromium.

Every page of the accessibility crawl fits the screen's width (nothing scrolls sideways), keeps
its header within a fifth of the first screen, offers no "---------" choice and shows no internal
value (on_track, embassy_staff…). A form sent back with mistakes moves focus to its error summary,
whose links reach the fields; the message after a save is on screen where the page lands.
"""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.browser.test_accessibility import LIAISON_PAGES, crawl

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADER_SHARE = 1 / 5
# Stored values that differ from what they stand for; none may reach a reader.
INTERNAL = re.compile(
    r"(?<![\w-])(not_started|on_track|at_risk|joint_statement|embassy_staff|"
    r"human_rights_institution|international_organisation|investment_fund|local_government)"
    r"(?![\w-])"
)
WIDEST_SHOWN = 3


@pytest.fixture
def phone(browser):
    """Open a page as a phone shows it: 390 px wide, touch, the page's own viewport meta."""
    contexts = []

    def open_page(*, javascript=True):
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="en-US",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def phone_problems(page):
    """What keeps the page as it stands from reading well on the phone, one line each."""
    problems = []
    width, header = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('.site-header').getBoundingClientRect().height]"
    )
    if width > PHONE["width"]:
        widest = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1
                             && !e.closest('.main-nav, .visually-hidden, thead'))
                .slice(0, 3)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} ends at
                           ${Math.round(e.getBoundingClientRect().right)} px`)""",
            PHONE["width"],
        )
        problems.append(f"  the page is {width} px wide: {'; '.join(widest[:WIDEST_SHOWN])}")
    if header > PHONE["height"] * HEADER_SHARE:
        problems.append(f"  the header is {header:.0f} px high, over a fifth of {PHONE['height']}")
    if "---------" in page.content():
        problems.append('  a choice reads "---------"')
    text = page.locator("main").inner_text()
    shown = sorted(set(INTERNAL.findall(text)))
    if shown:
        problems.append(f"  internal values on the page: {', '.join(shown)}")
    return problems


def check(page, name, address):
    response = page.goto(address)
    assert response.status < 400, f"{address} answered {response.status}"
    problems = phone_problems(page)
    if problems:
        pytest.fail(f"{name} ({address}) at 390 px:\n" + "\n".join(problems), pytrace=False)


def test_every_page_of_the_crawl_fits_a_phone(phone, live_server, demo, subtests):
    url = live_server.url
    pages = crawl(url)
    staff = sign_in(phone(), live_server, "embassy-dk")
    for name, address in pages:
        with subtests.test(msg=name):
            check(staff, name, address)

    liaison = sign_in(phone(), live_server, "liaison-cofepris")
    for name, address in LIAISON_PAGES:
        with subtests.test(msg=name):
            check(liaison, name, f"{url}{address}")

    official = sign_in(phone(), live_server, "official")
    for name, address in [("dashboard (official)", "/"), ("reports (official)", "/reports/")]:
        with subtests.test(msg=name):
            check(official, name, f"{url}{address}")

    with subtests.test(msg="sign-in page"):
        check(phone(), "sign-in page", f"{url}/accounts/login/")


def test_tables_read_as_labelled_blocks_on_a_phone(phone, live_server, demo):
    page = sign_in(phone(), live_server, "embassy-dk")
    page.goto(f"{live_server.url}/actions/")
    table = page.locator("main table.blocks")
    expect(table).to_have_count(1)
    first = table.locator("tbody tr").first
    expect(first.locator("td[data-label='Status']")).to_be_visible()
    first.scroll_into_view_if_needed()
    expect(first.get_by_role("link").first).to_be_in_viewport(ratio=1)
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_without_javascript_tables_scroll_in_their_own_box(phone, live_server, demo, subtests):
    page = sign_in(phone(javascript=False), live_server, "embassy-dk")
    for name, path in [
        ("action list", "/actions/"),
        ("reports", "/reports/"),
        ("review queue", "/actions/reviews/"),
    ]:
        with subtests.test(msg=name):
            check(page, f"{name} without JavaScript", f"{live_server.url}{path}")
            assert page.locator("main table.blocks").count() == 0


def test_an_error_on_the_status_form_moves_focus_to_the_summary_whose_links_reach_the_fields(
    phone, live_server, make_member
):
    make_member("embassy-dk")
    action = Action.objects.get(number="6.3")
    page = sign_in(phone(), live_server, "embassy-dk")
    page.goto(f"{live_server.url}/actions/{action.pk}/update/")
    page.get_by_label("Progress (%)").fill("150")
    page.get_by_label("What has happened").fill("")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save and send for review").click()
    assert posted.value.status == 400

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    for target in [links.nth(i).get_attribute("href") for i in range(2)]:
        summary.scroll_into_view_if_needed()
        summary.locator(f"a[href='{target}']").click()
        field = page.locator(target)
        expect(field).to_be_focused()
        expect(field).to_be_in_viewport()
    assert not phone_problems(page)


def test_the_message_after_a_save_is_on_screen_where_the_page_lands(
    phone, live_server, make_member
):
    make_member("embassy-dk")
    action = Action.objects.get(number="6.3")
    page = sign_in(phone(), live_server, "embassy-dk")
    page.goto(f"{live_server.url}/actions/{action.pk}/update/")
    page.get_by_role("radio", name="At risk", exact=True).check()
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("What has happened").fill("The second workshop moved to the spring.")
    page.get_by_role("button", name="Save and send for review").click()

    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    message = page.locator(".messages")
    expect(message).to_contain_text("Action 6.3 is updated")
    expect(message).to_be_in_viewport()
