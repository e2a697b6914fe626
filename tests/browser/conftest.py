"""Fixtures for the browser tests: one headless Chromium for them all, a fresh context per test, the
portal served by pytest-django's `live_server` against the (transactional) test database.

Chromium is Debian's (/usr/bin/chromium); `playwright install` is never needed. Without it the
browser tests are skipped, except in CI (the CI variable is set), where they must run.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from playwright.sync_api import sync_playwright

from partners.models import Institution, Membership
from plancore.models import Plan
from plancore.seeding.demo import DEMO_PASSWORD, DEMO_USERS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in headless Chromium")


def pytest_collection_modifyitems(config, items):
    """No Chromium: skip the browser tests with a reason, or stop the run in CI."""
    if CHROMIUM.exists():
        return
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if not ours:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI runs the browser tests: Chromium is missing at {CHROMIUM} "
            "(install Debian's `chromium` package)."
        )
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (Debian package `chromium`)")
    for item in ours:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def browser_settings(settings):
    """Plain HTTP on localhost, and a fast password hasher so that signing in costs nothing."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    return settings


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread; Django would then
    refuse every ORM call made from that thread (SynchronousOnlyOperation). The tests share no
    connection with async code, so the check is off while the browser tests run, and only then:
    set for the whole process, the variable would reach the subprocesses other tests start
    (`check --deploy` rightly fails with it: async.E001)."""
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        del os.environ[ASYNC_UNSAFE]
    else:
        os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser(allow_orm_beside_playwright):
    """One headless Chromium for all the browser tests.

    Package-scoped rather than session-scoped: Playwright's event loop stays marked as running in
    the main thread while it lives, so it is stopped as soon as the last browser test is done and
    the rest of the suite runs without it (pytest-django runs all transactional tests together).
    """
    if not CHROMIUM.exists():  # only reached when a test asks for it directly
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}", pytrace=False)
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Database calls made beside Playwright's loop open their own connections: close them,
        # or the test database cannot be dropped at the end of the run.
        connections.close_all()


class InFlight:
    """The requests a browser context has sent and not yet seen answered in full.

    A page may still be fetching when its test ends (Swagger UI loads the API schema after the
    load event; the reports page polls). Were its context closed then, the live server would go on
    serving the request while the test database is flushed: a table lock taken by the request and
    the flush's TRUNCATE can deadlock, and the flush fails.
    """

    def __init__(self, context):
        self.pending = set()
        context.on("request", lambda request: self.pending.add(request))
        context.on("requestfinished", lambda request: self.pending.discard(request))
        context.on("requestfailed", lambda request: self.pending.discard(request))

    def settle(self, context, timeout_ms=TIMEOUT_MS, step_ms=25):
        """Refuse whatever the pages ask from now on (a poll, a late fetch), and wait until the
        requests already sent are answered."""
        context.route("**/*", lambda route: route.abort())
        pages = [page for page in context.pages if not page.is_closed()]
        waited = 0
        while pages and self.pending and waited < timeout_ms:
            pages[0].wait_for_timeout(step_ms)
            waited += step_ms


@pytest.fixture
def new_page(browser):
    """Open a page in a new browser context (its own cookies: its own signed-in user)."""
    opened = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        opened.append((context, InFlight(context)))
        return context.new_page()

    yield open_page
    for context, in_flight in opened:
        in_flight.settle(context)
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh context per test: 1280×900, en-US."""
    return new_page()


@pytest.fixture
def live_plan(live_server, plan_snapshot):
    """The Joint Strategic Action Plan 2023-2027 as `loadplan` loads it, for the live server.

    Requesting `live_server` makes the test transactional: every table is emptied after it.
    """
    return Plan.objects.get(pk=plan_snapshot.restore())


@pytest.fixture
def demo(live_plan, demo_snapshot, settings):
    """The plan plus the demo users and their three years of history (`loadplan --demo`), with
    the demo reports' files."""
    demo_snapshot.restore(media_root=settings.MEDIA_ROOT)
    return live_plan


@pytest.fixture
def make_member(live_plan):
    """Create one of the demo users (same name, role and institution) without the demo history,
    which costs seconds to load; other users can be named with a role and an institution code.

    make_member("embassy-dk"); make_member("liaison-cofepris-2", Role.LIAISON, "cofepris")
    """
    specs = {spec.username: spec for spec in DEMO_USERS}

    def make(username, role=None, institution=None, *, first_name="", last_name=""):
        spec = specs.get(username)
        user = get_user_model().objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first_name or (spec.first_name if spec else username),
            last_name=last_name or (spec.last_name if spec else ""),
        )
        membership = Membership(
            user=user,
            institution=Institution.objects.get(code=institution or spec.institution),
            role=role or spec.role,
        )
        membership._history_user = None
        membership.save()
        return user

    return make


def sign_in(page, live_server, username, password=DEMO_PASSWORD):
    """Sign in through the login form and wait for the dashboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def open_account_menu(page):
    """Unfold the account menu in the header (password, sign-in security, notifications…)."""
    page.locator("details.user-box > summary").click()
    return page.locator("details.user-box")


def sign_out(page):
    """Sign out from the account menu in the header."""
    open_account_menu(page).get_by_role("button", name="Sign out").click()
