"""`?as_of=` answers as the reports do: from the history tables, through the same function."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from actions import services as action_services
from actions.models import Status
from reporting.content import build_content
from reporting.periods import Period
from tests.api.conftest import token_client
from tests.factories import MilestoneFactory
from tests.roles import action_in, make_demo_user

pytestmark = pytest.mark.django_db

IN_2024 = datetime(2024, 8, 1, 9, tzinfo=UTC)
IN_2025 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def all_pages(client, url):
    results = []
    while url:
        body = client.get(url).json()
        results += body["results"]
        url = body["next"]
    return results


def test_actions_as_of_a_past_day_equal_the_report_of_that_day(plan):
    staff = make_demo_user("embassy_dk")
    action = action_in(plan, "6.6")
    action = action_services.update_action_status(
        action=action,
        user=staff,
        status=Status.ON_TRACK,
        progress=30,
        expected_version=1,
        at=IN_2024,
    )
    action_services.update_action_status(
        action=action,
        user=staff,
        status=Status.DELAYED,
        progress=35,
        expected_version=action.version,
        at=IN_2025,
    )
    report = build_content(plan=plan, kind="annual", period=Period(2024))
    in_report = {
        b.number: (b.status, b.progress, b.title) for c in report["chapters"] for b in c.actions
    }

    client = token_client(staff)
    answer = all_pages(client, reverse("api:actions") + "?as_of=2024-12-31&page_size=10")
    in_api = {a["number"]: (a["status"], a["progress"], a["short_title"]) for a in answer}

    assert in_api == in_report
    assert in_api["6.6"][:2] == ("on_track", 30)
    today = client.get(reverse("api:action", args=[action.pk])).json()
    assert (today["status"], today["progress"]) == ("delayed", 35)


def test_milestones_as_of_a_past_day_equal_the_report_of_that_day(plan):
    staff = make_demo_user("embassy_dk")
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), title="Workshop")
    action_services.complete_milestone(
        milestone=milestone, user=staff, done_on=datetime(2025, 2, 1).date()
    )
    report = build_content(plan=plan, kind="annual", period=Period(2024))
    in_report = sorted(
        (b.number, m.title, m.done_on)
        for c in report["chapters"]
        for b in c.actions
        for m in b.milestones
    )
    client = token_client(staff)
    answer = all_pages(client, reverse("api:milestones") + "?as_of=2024-12-31")
    numbers = {a["id"]: a["number"] for a in all_pages(client, reverse("api:actions"))}
    in_api = sorted((numbers[m["action"]], m["title"], m["done_on"]) for m in answer)
    assert in_api == in_report


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("31-12-2024", "YYYY-MM-DD"),
        ("2024-02-30", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        ("2999-01-01", "future"),
        ("1066-10-14", "before"),
    ],
)
@pytest.mark.parametrize("endpoint", ["api:actions", "api:milestones", "api:updates"])
def test_a_bad_as_of_date_is_a_readable_400(plan, endpoint, value, says):
    client = token_client(make_demo_user("official"))
    response = client.get(reverse(endpoint), {"as_of": value})
    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_a_bad_cursor_is_a_readable_400(plan):
    client = token_client(make_demo_user("official"))
    response = client.get(reverse("api:actions"), {"as_of": "2024-12-31", "cursor": "%%%"})
    assert response.status_code == 400
    assert response.json()["detail"]
