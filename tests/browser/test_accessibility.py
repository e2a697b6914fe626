"""axe-core on every main page of the portal, with its stylesheet, in a real Chromium.

Each page must have no "serious" or "critical" axe finding, exactly one <h1>, one <main>, and a
skip link that is the first thing Tab reaches and moves focus to <main>.

The demo (users and three years of history) takes seconds to load, so the signed-in pages are
audited in one test, one subtest per page: a failure names the page and every finding.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from actions import selectors, services
from actions.models import Action, Milestone, ProgressUpdate, Status
from amendments.models import Amendment
from assessments.selectors import differing_assessments
from meetings.models import Decision, Meeting
from notifications.tokens import unsubscribe_token
from partners.models import Institution
from plancore import permissions
from reporting import services as reporting_services
from spreadsheets.models import Import
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = ("critical", "serious")
NODES_SHOWN = 3


def describe(violation):
    lines = [
        f"  {violation['id']} ({violation['impact']}): {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:NODES_SHOWN]:
        lines.append(f"    target {node['target']}: {node['html'][:300]}")
        summary = (node.get("failureSummary") or "").replace("\n", " / ")
        if summary:
            lines.append(f"      {summary[:400]}")
    if len(violation["nodes"]) > NODES_SHOWN:
        lines.append(f"    … and {len(violation['nodes']) - NODES_SHOWN} more elements")
    return "\n".join(lines)


def audit(page, name, skip_text="Skip to main content"):
    """Check the page as it stands; fail with every problem found, each actionable."""
    problems = []
    if not page.evaluate(
        """() => [...document.styleSheets].some(
               s => s.href && s.href.includes('/static/css/portal') && s.cssRules.length > 0)"""
    ):
        problems.append("  the stylesheet /static/css/portal.css did not load")

    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    problems += [describe(v) for v in blocking]

    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"  {headings} <h1> elements; a page has exactly one")
    if page.locator("main").count() != 1:
        problems.append(f"  {page.locator('main').count()} <main> elements; a page has one")

    start = page.evaluate(
        "() => document.activeElement === document.body ? null"
        " : document.activeElement.outerHTML.slice(0, 200)"
    )
    if page.locator("[data-error-summary]").count():
        # A form sent back with mistakes: focus starts on its error summary, on purpose.
        if not page.evaluate("() => document.activeElement.matches('[data-error-summary]')"):
            problems.append(f"  focus starts on {start}, not on the error summary")
        first = page.evaluate(
            "() => document.querySelector('a[href], button, input:not([type=hidden]), select,"
            ' textarea, summary, [tabindex]:not([tabindex="-1"])\').className'
        )
        if first != "skip-link":
            problems.append(f"  the first element Tab can reach is .{first}, not the skip link")
        start = None
        page.focus(".skip-link")
    else:
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent.trim(),"
        " document.activeElement.outerHTML.slice(0, 200)]"
    )
    if start is not None:
        problems.append(
            f"  focus starts on {start} (autofocus?), so the first Tab reaches {focused[2]},"
            " not the skip link"
        )
    elif focused[:2] != ["skip-link", skip_text]:
        problems.append(f"  the first Tab reaches {focused[2]}, not the skip link")
    else:
        page.keyboard.press("Enter")
        hash_, target = page.evaluate("() => [location.hash, document.activeElement.id]")
        if hash_ != "#main" or target != "main":
            problems.append(
                f"  the skip link leads to hash {hash_!r} with focus on #{target!r}, not #main"
            )
    if problems:
        pytest.fail(f"{name} ({page.url}):\n" + "\n".join(problems), pytrace=False)


def visit(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}, not {status}"
    return page


def label(text):
    return re.compile(rf"^{re.escape(text)}:?$")


def test_sign_in_pages_as_anonymous(page, live_server, subtests):
    with subtests.test(msg="sign-in page"):
        audit(visit(page, f"{live_server.url}/accounts/login/"), "sign-in page")
    with subtests.test(msg="sign-in page after a wrong password"):
        visit(page, f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.locator("main button[type=submit]").click()
        page.locator("main .errorlist").wait_for()
        audit(page, "sign-in page after a wrong password")
    with subtests.test(msg="password reset page"):
        audit(visit(page, f"{live_server.url}/accounts/password_reset/"), "password reset page")


def detailed_action():
    """The demo action with the most to show: a returned update, milestones, reviews."""
    return (
        Action.objects.annotate(
            milestone_count=Count("milestones", distinct=True),
            update_count=Count("updates", distinct=True),
            returned=Count(
                "updates",
                filter=Q(updates__review_state=ProgressUpdate.ReviewState.RETURNED),
                distinct=True,
            ),
        )
        .filter(milestone_count__gt=0, update_count__gt=0)
        .order_by("-returned", "-milestone_count", "pk")
        .first()
    )


def update_to_review(user):
    """An update the user may review now: from the demo, or posted for the purpose."""
    for update in selectors.updates_for_review():
        if permissions.review_sides(user, update):
            return update
    # 3.1 is led on the Danish side by the MFA, which has no liaison: embassy staff review it.
    action = Action.objects.for_list().get(number="3.1")
    _, update = services.report_progress(
        action=action,
        user=get_user_model().objects.get(username="embassy-mx"),
        status=Status.ON_TRACK,
        progress=action.progress,
        narrative="Posted for the accessibility check.",
        expected_version=action.version,
    )
    return update


def unsubscribe_path(user_id, kind):
    return f"/accounts/notifications/unsubscribe/{unsubscribe_token(user_id, kind)}/"


def spreadsheet_imports(owner, action, milestone):
    """An upload waiting for confirmation (a change and a row with errors) and one being saved."""
    change = {
        "kind": "action",
        "row": 2,
        "pk": action.pk,
        "name": str(action),
        "version": action.version,
        "changes": [["Progress", f"{action.progress}%", "90%"]],
        "errors": [],
        "conflict": False,
        "values": {"status": action.status, "progress": 90, "narrative": "Nearly done."},
    }
    wrong = change | {
        "kind": "milestone",
        "row": 3,
        "pk": milestone.pk,
        "name": str(milestone),
        "changes": [],
        "errors": ["Due date: “soon” is not a date (write it as 2025-03-31)."],
    }
    previewed = Import.objects.create(
        owner=owner, file_name="mine.xlsx", language="en", rows=[change, wrong]
    )
    applying = Import.objects.create(
        owner=owner,
        file_name="mine.xlsx",
        language="en",
        rows=[change],
        state=Import.State.APPLYING,
    )
    return previewed, applying


def crawl(url):
    """Every signed-in page of the portal as embassy staff of Denmark see it in the demo, as
    (name, address) pairs, with the records that make each page show what it can: a report
    ready to release, a returned update to revise, spreadsheet uploads in both states."""
    staff = get_user_model().objects.get(username="embassy-dk")
    action = detailed_action()
    milestone = Milestone.objects.filter(done_on__isnull=True).order_by("pk").first()
    to_review = update_to_review(staff)
    chapter = action.chapter
    institution = Institution.objects.get(code="cofepris")
    returned = ProgressUpdate.objects.filter(
        author=staff, review_state=ProgressUpdate.ReviewState.RETURNED
    ).first()
    reporting_services.request_report(
        plan=chapter.plan, kind="annual", year=2024, language="en", user=staff
    )
    previewed, applying = spreadsheet_imports(staff, action, milestone)
    amended = Amendment.objects.in_force().first()
    meeting = Meeting.objects.get(kind=Meeting.Kind.CONSULTATIONS)
    waiting = meeting.decisions.filter(state=Decision.State.RECORDED).first()
    (disagreement,) = differing_assessments(plan=chapter.plan)
    assessed = f"{chapter.plan.slug}/{disagreement.period.slug}"
    return [
        ("dashboard", f"{url}/"),
        ("action list, filtered", f"{url}/actions/?status=at_risk&status=delayed&sort=-progress"),
        ("action detail", f"{url}/actions/{action.pk}/"),
        ("update form", f"{url}/actions/{action.pk}/update/"),
        ("milestone add form", f"{url}/actions/{action.pk}/milestones/add/"),
        ("milestone edit form", f"{url}/actions/milestones/{milestone.pk}/edit/"),
        ("milestone done form", f"{url}/actions/milestones/{milestone.pk}/done/"),
        ("review queue", f"{url}/actions/reviews/"),
        ("review form", f"{url}/actions/updates/{to_review.pk}/review/"),
        ("my updates", f"{url}/actions/my-updates/"),
        ("what needs me", f"{url}/needs-me/"),
        ("revise form", f"{url}/actions/updates/{returned.pk}/revise/"),
        ("translate update form", f"{url}/actions/updates/{to_review.pk}/translate/"),
        ("translate milestone form", f"{url}/actions/milestones/{milestone.pk}/translate/"),
        ("plan overview", f"{url}/plan/"),
        ("chapter page", f"{url}/plan/{chapter.plan.slug}/chapters/{chapter.number}/"),
        ("institution list", f"{url}/institutions/"),
        ("institution detail", f"{url}/institutions/{institution.code}/"),
        ("password change", f"{url}/accounts/password_change/"),
        ("reports, with a ready draft and the request form", f"{url}/reports/"),
        ("notification preferences", f"{url}/accounts/notifications/"),
        ("API tokens", f"{url}/accounts/api-tokens/"),
        ("unsubscribe confirmation", f"{url}{unsubscribe_path(staff.pk, 'submitted')}"),
        ("spreadsheet upload", f"{url}/spreadsheets/upload/"),
        ("spreadsheet preview, with errors", f"{url}/spreadsheets/uploads/{previewed.pk}/"),
        ("spreadsheet being saved", f"{url}/spreadsheets/uploads/{applying.pk}/"),
        ("amendments", f"{url}/amendments/"),
        ("amendment proposal form", f"{url}/amendments/propose/?action={action.pk}&kind=text"),
        *[
            (f"amendment, {amendment.get_state_display()}", f"{url}/amendments/{amendment.pk}/")
            for amendment in Amendment.objects.all()
        ],
        ("action detail, amended", f"{url}/actions/{amended.action_id}/"),
        ("meetings", f"{url}/meetings/"),
        ("meeting, with its drafted agenda and decisions", f"{url}/meetings/{meeting.pk}/"),
        ("meeting form", f"{url}/meetings/{meeting.pk}/edit/"),
        ("participant form", f"{url}/meetings/{meeting.pk}/participants/add/"),
        ("agenda item form", f"{url}/meetings/agenda/{meeting.agenda.first().pk}/edit/"),
        ("decision form", f"{url}/meetings/{meeting.pk}/decisions/add/"),
        ("accept a decision", f"{url}/meetings/decisions/{waiting.pk}/accept/"),
        ("assessments", f"{url}/assessments/"),
        ("a side's assessments of a chapter", f"{url}/assessments/{assessed}/chapters/5/"),
        (
            "an action's assessments, the sides differ",
            f"{url}/assessments/{disagreement.period.slug}/actions/{disagreement.action.pk}/",
        ),
    ]


LIAISON_PAGES = [
    ("my actions (liaison)", "/actions/mine/"),
    ("my actions (liaison), filtered", "/actions/mine/?status=on_track"),
    ("review queue (liaison)", "/actions/reviews/"),
]


def test_pages_as_signed_in_users(new_page, live_server, demo, subtests):
    url = live_server.url
    pages = crawl(url)
    action = detailed_action()
    chapter = action.chapter
    institution = Institution.objects.get(code="cofepris")
    page = sign_in(new_page(), live_server, "embassy-dk")
    for name, address in pages:
        with subtests.test(msg=name):
            audit(visit(page, address), name)

    with subtests.test(msg="the action detail shows milestones, updates and history"):
        visit(page, f"{url}/actions/{action.pk}/")
        milestones = page.get_by_role("table", name="Milestones of this action")
        assert milestones.locator("tbody tr").count() == action.milestones.count() > 0
        assert page.locator("article.card").count() == action.updates.count()
        assert page.locator("ol.timeline > li").count() > 1

    with subtests.test(msg="update form with errors"):
        visit(page, f"{url}/actions/{action.pk}/update/")
        page.get_by_label(label("Progress (%)")).fill("150")
        page.get_by_label(label("What has happened")).fill("")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Save and send for review").click()
        assert posted.value.status == 400
        assert page.locator("main .errorlist").count() >= 2
        audit(page, "update form with errors")

    with subtests.test(msg="amendment proposal form with errors"):
        visit(page, f"{url}/amendments/propose/")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Propose", exact=True).click()
        assert posted.value.status == 400
        audit(page, "amendment proposal form with errors")

    with subtests.test(msg="milestone form with errors"):
        visit(page, f"{url}/actions/{action.pk}/milestones/add/")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Save milestone").click()
        assert posted.value.status == 400
        audit(page, "milestone form with errors")

    with subtests.test(msg="403 page"):
        # "My actions" belongs to liaisons; embassy staff are refused.
        audit(visit(page, f"{url}/actions/mine/", status=403), "403 page")

    with subtests.test(msg="unsubscribe link that is not valid"):
        audit(
            visit(page, f"{url}/accounts/notifications/unsubscribe/nonsense/", status=400),
            "unsubscribe link that is not valid",
        )

    with subtests.test(msg="404 page"):
        audit(visit(page, f"{url}/actions/999999/", status=404), "404 page")

    with subtests.test(msg="conflict page"):
        visit(page, f"{url}/actions/{action.pk}/update/")
        current = Action.objects.for_list().get(pk=action.pk)
        services.update_action_status(
            action=current,
            user=get_user_model().objects.get(username="embassy-mx"),
            status=Status.DELAYED,
            progress=current.progress,
            expected_version=current.version,
        )
        page.get_by_label(label("What has happened")).fill("Written while someone else saved.")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Save and send for review").click()
        assert posted.value.status == 409
        audit(page, "conflict page")

    liaison = sign_in(new_page(), live_server, "liaison-cofepris")
    for name, address in LIAISON_PAGES:
        with subtests.test(msg=name):
            audit(visit(liaison, f"{url}{address}"), name)

    # The plan's content in Spanish: the unofficial-translation note and the signed English text
    # it shows on request, with lang attributes that follow each text.
    spanish = sign_in(new_page(), live_server, "embassy-dk")
    spanish.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": url}]
    )
    for name, address in [
        ("action detail in Spanish", f"{url}/actions/{action.pk}/"),
        ("chapter page in Spanish", f"{url}/plan/{chapter.plan.slug}/chapters/{chapter.number}/"),
        ("plan overview in Spanish", f"{url}/plan/"),
        ("institution detail in Spanish", f"{url}/institutions/{institution.code}/"),
    ]:
        with subtests.test(msg=name):
            visit(spanish, address)
            original = spanish.locator("aside.translation-note summary")
            if original.count():
                original.first.click()  # the signed English text, shown
            blocking = [
                v for v in AXE.run(spanish).response["violations"] if v["impact"] in BLOCKING
            ]
            assert not blocking, "\n".join(describe(v) for v in blocking)
            assert spanish.locator("html").get_attribute("lang") == "es"


SKIP_TEXT = {"es": "Ir al contenido principal", "da": "Spring til hovedindhold"}


@pytest.mark.parametrize("language", ["es", "da"])
def test_pages_in_spanish_and_danish(new_page, live_server, demo, subtests, language):
    """Every page of the crawl, and the liaison's, in Spanish and in Danish."""
    url = live_server.url
    pages = crawl(url)
    page = sign_in(new_page(), live_server, "embassy-dk")
    liaison = sign_in(new_page(), live_server, "liaison-cofepris")
    for signed_in in (page, liaison):
        signed_in.goto(f"{url}/")
        signed_in.locator("#language-select").select_option(language)
        signed_in.wait_for_selector(f"html[lang={language}]")
    visits = [(page, name, address) for name, address in pages] + [
        (liaison, name, f"{url}{address}") for name, address in LIAISON_PAGES
    ]
    for who, name, address in visits:
        with subtests.test(msg=f"{name} ({language})"):
            audit(visit(who, address), f"{name} ({language})", SKIP_TEXT[language])
