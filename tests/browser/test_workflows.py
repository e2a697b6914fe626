"""The portal's main workflows, clicked through in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from actions import services
from actions.models import Action, ProgressUpdate, Status
from partners.models import Membership
from tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.browser

Role = Membership.Role


def open_action_from_list(page, live_server, number):
    """Find an action with the list's search filter and follow its title."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Actions").click()
    expect(page.locator("h1")).to_have_text("Actions")
    page.get_by_label(label("Search")).fill(number)
    page.get_by_role("button", name="Apply filters").click()
    action = Action.objects.get(number=number)
    page.get_by_role("link", name=action.short_title, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    return action


def label(text):
    """A field's label as Django renders it ("Status:"), matched whole."""
    return re.compile(rf"^{re.escape(text)}:?$")


def fill_update_form(page, *, status, progress, narrative):
    page.get_by_role("radio", name=status, exact=True).check()
    page.get_by_label(label("Progress (%)")).fill(str(progress))
    page.get_by_label(label("What has happened")).fill(narrative)


def update_card(page, narrative):
    return page.locator("article.card").filter(has_text=narrative)


def test_embassy_staff_updates_the_status_of_an_action(page, live_server, make_member):
    user = make_member("embassy-dk")
    sign_in(page, live_server, "embassy-dk")
    action = open_action_from_list(page, live_server, "6.3")
    narrative = "The circular economy workshop in Monterrey was postponed to the autumn."

    page.get_by_role("link", name="Update status").click()
    expect(page.locator("h1")).to_have_text("Update action 6.3")
    fill_update_form(page, status="At risk", progress=35, narrative=narrative)
    page.get_by_role("button", name="Save and send for review").click()

    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    expect(page.locator(".messages")).to_contain_text("Action 6.3 is updated")
    expect(page.locator(".actions-bar .status")).to_have_text("At risk")
    expect(page.locator(".actions-bar")).to_contain_text("35% complete")
    card = update_card(page, narrative)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Waiting for review")
    expect(card).to_contain_text("At risk, 35%")

    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.AT_RISK, 35)
    update = ProgressUpdate.objects.get(action=action)
    assert update.author == user
    assert update.narrative == narrative
    assert (update.status, update.progress) == (Status.AT_RISK, 35)
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED


def review_first_waiting(page, live_server, number, side_label):
    """Open the review queue from the navigation and approve the update on action `number`."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.locator("h1")).to_have_text("Updates waiting for your review")
    row = page.locator("tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile(r"^Review")).click()
    expect(page.locator("h1")).to_have_text("Review a progress update")
    side = page.locator("[name=side]")
    assert side.get_attribute("type") == "hidden"  # one side only: nothing to choose
    assert side.get_attribute("value") == side_label
    page.get_by_role("radio", name="Approved", exact=True).check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page).to_have_url(f"{live_server.url}/actions/reviews/")
    expect(page.locator(".messages")).to_contain_text("Your decision is recorded.")
    expect(page.locator("tbody tr").filter(has_text=number)).to_have_count(0)


def test_an_update_is_confirmed_only_when_both_sides_approve(new_page, live_server, make_member):
    make_member("embassy-mx")
    make_member("liaison-dma")
    make_member("liaison-cofepris")
    action = Action.objects.get(number="5.2")
    narrative = "COFEPRIS and the Danish Medicines Agency agreed a joint inspection programme."

    author = sign_in(new_page(), live_server, "embassy-mx")
    author.goto(f"{live_server.url}/actions/{action.pk}/")
    author.get_by_role("link", name="Update status").click()
    fill_update_form(author, status="On track", progress=50, narrative=narrative)
    author.get_by_role("button", name="Save and send for review").click()
    expect(author.locator(".messages")).to_contain_text("Action 5.2 is updated")
    update = ProgressUpdate.objects.get(action=action)

    denmark = sign_in(new_page(), live_server, "liaison-dma")
    review_first_waiting(denmark, live_server, "5.2", "DK")
    denmark.goto(f"{live_server.url}/actions/{action.pk}/")
    card = update_card(denmark, narrative)
    expect(card).to_contain_text("Waiting for review")
    expect(card.locator(".review-decisions")).to_contain_text("Denmark: Approved")
    update.refresh_from_db()
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED

    mexico = sign_in(new_page(), live_server, "liaison-cofepris")
    review_first_waiting(mexico, live_server, "5.2", "MX")
    mexico.goto(f"{live_server.url}/actions/{action.pk}/")
    card = update_card(mexico, narrative)
    expect(card).to_contain_text("Jointly approved")
    expect(card.locator(".review-decisions")).to_contain_text("Denmark: Approved")
    expect(card.locator(".review-decisions")).to_contain_text("Mexico: Approved")
    expect(card.get_by_role("link", name="Review this update")).to_have_count(0)
    update.refresh_from_db()
    assert update.review_state == ProgressUpdate.ReviewState.APPROVED
    assert {r.side for r in update.reviews.all()} == {"DK", "MX"}


def test_an_official_finds_no_way_to_edit(page, live_server, make_member):
    staff = make_member("embassy-dk")
    make_member("official")
    action = Action.objects.for_list().get(number="3.1")
    services.report_progress(
        action=action,
        user=staff,
        status=Status.ON_TRACK,
        progress=20,
        narrative="The first high-level meeting took place.",
        expected_version=action.version,
    )
    before = Action.objects.values("status", "progress", "version").get(pk=action.pk)

    sign_in(page, live_server, "official")
    open_action_from_list(page, live_server, "3.1")
    main = page.locator("main")
    expect(main).to_contain_text("The first high-level meeting took place.")
    expect(main.get_by_role("link", name="Update status")).to_have_count(0)
    expect(main.get_by_role("link", name="Add a milestone")).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("Review"))).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    page.goto(f"{live_server.url}/actions/")
    expect(page.locator("main").get_by_role("link", name="Update status")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Reviews")).to_have_count(0)
    expect(nav.get_by_role("link", name="My updates")).to_have_count(0)
    page.goto(f"{live_server.url}/actions/reviews/")
    expect(page.locator("main")).to_contain_text("Nothing waits for your review.")

    update = ProgressUpdate.objects.get(action=action)
    for path in (
        f"/actions/{action.pk}/update/",
        f"/actions/{action.pk}/milestones/add/",
        f"/actions/updates/{update.pk}/review/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
        expect(page.locator("h1")).to_have_text("You may not do this")
    assert Action.objects.values("status", "progress", "version").get(pk=action.pk) == before


def narratives(action):
    return list(
        ProgressUpdate.objects.filter(action=action)
        .order_by("submitted_at", "pk")
        .values_list("narrative", flat=True)
    )


def test_two_editors_never_overwrite_each_other(new_page, live_server, make_member):
    make_member("embassy-dk")
    make_member("embassy-mx")
    action = Action.objects.get(number="6.3")
    first, second = new_page(), new_page()
    sign_in(first, live_server, "embassy-dk")
    sign_in(second, live_server, "embassy-mx")
    form_url = f"{live_server.url}/actions/{action.pk}/update/"
    first.goto(form_url)
    second.goto(form_url)

    first_text = "Mikkel: the pilot plant opened in Hidalgo."
    fill_update_form(first, status="On track", progress=60, narrative=first_text)
    first.get_by_role("button", name="Save and send for review").click()
    expect(first.locator(".messages")).to_contain_text("Action 6.3 is updated")

    second_text = "Lucía: funding for the second plant is not yet secured."
    fill_update_form(second, status="Delayed", progress=25, narrative=second_text)
    with second.expect_response(form_url) as posted:
        second.get_by_role("button", name="Save and send for review").click()
    assert posted.value.status == 409
    expect(second.locator("h1")).to_have_text("Someone else changed this action")
    expect(second.get_by_role("alert")).to_contain_text("Your change was not saved")
    now = second.locator("section", has=second.locator("#now-heading"))
    expect(now.locator(".status")).to_have_text("On track")
    expect(now).to_contain_text("60%")
    expect(now.locator("li")).to_contain_text(["Mikkel Sørensen"])
    expect(now.locator("li").first).to_contain_text("On track, 60%")
    expect(second.locator("section", has=second.locator("#yours-heading"))).to_contain_text(
        second_text
    )
    expect(second.get_by_label(label("What has happened"))).to_have_value(second_text)
    expect(second.get_by_role("radio", name="Delayed", exact=True)).to_be_checked()
    expect(second.get_by_label(label("Progress (%)"))).to_have_value("25")

    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.ON_TRACK, 60)
    assert narratives(action) == [first_text]

    # The second editor still stands by the change: it is saved over the current version.
    second.get_by_role("button", name="Save my change").click()
    expect(second.locator(".messages")).to_contain_text("Action 6.3 is updated")
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.DELAYED, 25)
    assert narratives(action) == [first_text, second_text]


def test_the_interface_switches_to_spanish(page, live_server, make_member):
    make_member("embassy-dk")
    sign_in(page, live_server, "embassy-dk")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # With JavaScript, choosing the language is enough: the "Change" button is hidden.
    expect(page.locator("form.language-form button[type=submit]")).to_be_hidden()
    page.get_by_label(label("Language")).select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    nav = page.get_by_role("navigation").first
    expect(nav.get_by_role("link", name="Acciones", exact=True)).to_have_count(1)
    # The choice holds on the next page.
    nav.get_by_role("link", name="Acciones", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_a_wrong_password_is_refused_with_a_message(page, live_server, make_member):
    make_member("embassy-dk")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "embassy-dk")
    page.fill("#id_password", "not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main button[type=submit]").click()
    assert posted.value.status == 200
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("main .errorlist")).to_contain_text("correct username and password")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)


def test_signing_out_returns_to_the_sign_in_page(page, live_server, make_member):
    make_member("embassy-dk")
    sign_in(page, live_server, "embassy-dk")
    sign_out(page)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.goto(f"{live_server.url}/actions/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/actions/"))
