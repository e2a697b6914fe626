"""The Content-Security-Policy holds in a real Chromium: no page of the portal, nor of the
administration site, has anything the policy blocks (inline script or style, another origin),
and the policy does block what it should."""

import pytest
from django.contrib.auth import get_user_model

from actions.models import Action
from partners.models import Membership
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from tests.roles import app_code, give_authenticator

pytestmark = pytest.mark.browser


def watched(page):
    """Collect what the browser reports as blocked by the policy, from the first request on."""
    page.blocked = []
    page.on(
        "console",
        lambda message: (
            page.blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def visit_all(page, addresses):
    blocked = []
    for address in addresses:
        response = page.goto(address)
        assert response.status == 200, f"{address} answered {response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        blocked += [f"{address}: {text}" for text in page.blocked]
        page.blocked.clear()
    assert blocked == [], "\n".join(blocked)


def test_the_portals_pages_have_nothing_the_policy_blocks(new_page, live_server, make_member):
    make_member("embassy-dk")
    page = sign_in(watched(new_page()), live_server, "embassy-dk")
    action = Action.objects.order_by("pk").first()
    url = live_server.url
    visit_all(
        page,
        [
            f"{url}/",
            f"{url}/actions/?status=at_risk&status=delayed",
            f"{url}/actions/{action.pk}/",
            f"{url}/actions/{action.pk}/update/",
            f"{url}/actions/{action.pk}/milestones/add/",
            f"{url}/actions/reviews/",
            f"{url}/plan/",
            f"{url}/plan/{action.chapter.plan.slug}/chapters/{action.chapter.number}/",
            f"{url}/institutions/",
            f"{url}/reports/",
            f"{url}/accounts/security/",
            f"{url}/accounts/api-tokens/",
            f"{url}/api/v1/docs/",
        ],
    )


def test_the_administration_site_has_nothing_the_policy_blocks(new_page, live_server, make_member):
    admin = make_member("admin", Membership.Role.ADMINISTRATOR, "mfa-dk")
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True)
    device = give_authenticator(admin)
    page = watched(new_page())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_label("Code from your authenticator app").fill(app_code(device))
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")

    action = Action.objects.order_by("pk").first()
    url = f"{live_server.url}/admin"
    visit_all(
        page,
        [
            f"{url}/",
            f"{url}/actions/action/",
            f"{url}/actions/action/{action.pk}/change/",
            f"{url}/actions/action/{action.pk}/history/",
            f"{url}/actions/milestone/add/",
            f"{url}/reporting/report/",
            f"{url}/auth/user/",
        ],
    )


def test_the_policy_blocks_inline_script(new_page, live_server, make_member):
    """The check above can fail: a page of the portal's origin with inline script is refused."""
    make_member("embassy-dk")
    page = sign_in(watched(new_page()), live_server, "embassy-dk")
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__inlineRan = true';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inlineRan === true") is False
    assert page.blocked, "the browser reported nothing blocked"
