"""A returned update, found in "What needs me", is revised, resubmitted and approved by both."""

import re

import pytest
from playwright.sync_api import expect

from actions import services
from actions.models import Action, ProgressUpdate, Review, Status
from partners.models import Membership, Side
from tests.browser.conftest import sign_in
from tests.browser.test_workflows import label, review_first_waiting, update_card

pytestmark = pytest.mark.browser

COMMENT = "Please say how many inspectors took part."


def test_a_returned_update_is_revised_resubmitted_and_approved_by_both_sides(
    new_page, live_server, make_member
):
    author = make_member("liaison-cofepris")
    make_member("liaison-dma")
    make_member(
        "liaison-cofepris-2",
        Membership.Role.LIAISON,
        "cofepris",
        first_name="Rosa",
        last_name="Vega",
    )
    action = Action.objects.for_list().get(number="5.2")
    _action, update = services.report_progress(
        action=action,
        user=author,
        status=Status.ON_TRACK,
        progress=40,
        narrative="A joint inspection took place.",
        expected_version=action.version,
    )
    services.review_update(
        update=update,
        reviewer=Membership.objects.get(user__username="liaison-dma").user,
        side=Side.DK,
        decision=Review.Decision.RETURNED,
        comment=COMMENT,
    )

    page = sign_in(new_page(), live_server, "liaison-cofepris")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^What needs me \(1"))).to_have_count(1)
    nav.get_by_role("link", name=re.compile(r"^What needs me")).click()
    expect(page.locator("h1")).to_have_text("What needs me")
    item = page.locator(".inbox-returned")
    expect(item).to_contain_text(COMMENT)
    expect(item).to_contain_text("You wrote this update; Denmark returned it")
    item.get_by_role("link", name=re.compile(r"^Revise")).click()

    expect(page.locator("h1")).to_have_text("Revise your update on action 5.2")
    expect(page.locator("main")).to_contain_text(COMMENT)
    expect(page.get_by_label(label("What has happened"))).to_have_value(
        "A joint inspection took place."
    )
    revised = "A joint inspection took place, with four inspectors from each agency."
    page.get_by_label(label("What has happened")).fill(revised)
    page.get_by_label(label("Progress (%)")).fill("45")
    page.get_by_role("button", name="Submit the revised update").click()

    expect(page).to_have_url(f"{live_server.url}/actions/{action.pk}/")
    expect(page.locator(".messages")).to_contain_text("now waits for both sides' review again")
    card = update_card(page, revised)
    expect(card).to_contain_text("Waiting for review")
    expect(card).to_contain_text("Revision 2")
    expect(card.locator(".side-states")).to_contain_text("Denmark: Waiting for: Sofie Kjær")
    expect(card.locator(".side-states")).to_contain_text("Mexico: Waiting for: Rosa Vega")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^What needs me \(0"))).to_have_count(1)

    denmark = sign_in(new_page(), live_server, "liaison-dma")
    review_first_waiting(denmark, live_server, "5.2", "DK")
    mexico = sign_in(new_page(), live_server, "liaison-cofepris-2")
    review_first_waiting(mexico, live_server, "5.2", "MX")

    page.goto(f"{live_server.url}/actions/{action.pk}/")
    card = update_card(page, revised)
    expect(card).to_contain_text("Jointly approved")
    expect(card.locator(".side-states")).to_contain_text("Denmark: Approved by Sofie Kjær")
    expect(card.locator(".side-states")).to_contain_text("Mexico: Approved by Rosa Vega")
    update.refresh_from_db()
    assert (update.review_state, update.revision, update.progress) == (
        ProgressUpdate.ReviewState.APPROVED,
        2,
        45,
    )
