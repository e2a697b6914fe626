"""Writes through the API: the page's service, its version check, its history and its refusals."""

import pytest
from django.urls import reverse

from actions.models import Action, Milestone, ProgressUpdate
from tests.api.conftest import token_client
from tests.factories import MilestoneFactory
from tests.roles import action_in, database_state, make_demo_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(plan):
    return make_demo_user("embassy_dk")


def progress_body(action, **changes):
    body = {"status": "on_track", "progress": 30, "narrative": "Two workshops were held."}
    return body | {"version": action.version} | changes


def test_progress_is_recorded_with_the_token_user_in_history(plan, staff):
    action = action_in(plan, "5.2")
    response = token_client(staff).post(
        reverse("api:action_progress", args=[action.pk]), progress_body(action), format="json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == action.version + 1
    latest = Action.history.filter(id=action.pk).latest("history_date")
    assert (latest.history_user, latest.status, latest.progress) == (staff, "on_track", 30)
    update = ProgressUpdate.objects.get(action=action)
    assert (update.author, update.narrative) == (staff, "Two workshops were held.")


def test_stale_version_answers_409_with_the_current_version_and_saves_nothing(plan, staff):
    action = action_in(plan, "5.2")
    client = token_client(staff)
    url = reverse("api:action_progress", args=[action.pk])
    assert client.post(url, progress_body(action), format="json").status_code == 201
    before = database_state()
    stale = client.post(url, progress_body(action, progress=50), format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == action.version + 1
    assert "version" in stale.json()["detail"]
    assert database_state() == before


def test_stale_milestone_version_answers_409(plan, staff):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), start_date="2024-01-01")
    Milestone.objects.filter(pk=milestone.pk).update(version=3)
    response = token_client(staff).put(
        reverse("api:milestone_edit", args=[milestone.pk]),
        {"title": "Renamed", "start_date": "2024-01-01", "due_date": "2024-06-30", "version": 2},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 3
    milestone.refresh_from_db()
    assert milestone.title != "Renamed"


@pytest.mark.parametrize(
    "body",
    [
        {"status": "completed", "progress": 50, "narrative": "Done.", "version": 1},
        {"status": "flying", "progress": 50, "narrative": "Up.", "version": 1},
        {"status": "on_track", "progress": 101, "narrative": "Much.", "version": 1},
        {"status": "on_track", "progress": "ten", "narrative": "Some.", "version": 1},
        {"status": "on_track", "progress": 10, "narrative": "   ", "version": 1},
        {"status": "on_track", "progress": 10, "narrative": "No version."},
        {"status": ["on_track"], "progress": {"a": 1}, "narrative": None, "version": True},
        [],
        "text",
    ],
)
def test_bad_progress_input_is_a_readable_400_and_changes_nothing(plan, staff, body):
    action = action_in(plan, "5.2")
    before = database_state()
    response = token_client(staff).post(
        reverse("api:action_progress", args=[action.pk]), body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert database_state() == before


def test_malformed_json_is_a_readable_400(plan, staff):
    action = action_in(plan, "5.2")
    response = token_client(staff).post(
        reverse("api:action_progress", args=[action.pk]),
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_milestone_added_and_done_through_the_api_names_the_token_user(plan, staff):
    action = action_in(plan, "5.2")
    client = token_client(staff)
    added = client.post(
        reverse("api:action_milestones", args=[action.pk]),
        {"title": "Joint workshop", "start_date": "2024-01-01", "due_date": "2024-06-30"},
        format="json",
    )
    assert added.status_code == 201
    milestone = Milestone.objects.get(pk=added.json()["id"])
    done = client.post(
        reverse("api:milestone_done", args=[milestone.pk]), {"done_on": "2024-05-02"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["done_on"] == "2024-05-02"
    history = Milestone.history.filter(id=milestone.pk)
    assert {row.history_user for row in history} == {staff}


def test_milestone_done_in_the_future_is_refused(plan, staff):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"))
    response = token_client(staff).post(
        reverse("api:milestone_done", args=[milestone.pk]), {"done_on": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "future" in response.json()["detail"]


def test_report_request_through_the_api_is_accepted(plan, staff):
    response = token_client(staff).post(
        reverse("api:report_request"),
        {"kind": "annual", "year": 2024, "language": "en"},
        format="json",
    )
    assert response.status_code == 202
    assert response.json()["kind"] == "annual"


def test_liaison_may_request_their_institutions_report_only(plan):
    from partners.models import Institution

    liaison = make_demo_user("liaison_cofepris")
    client = token_client(liaison)
    body = {"kind": "institution", "year": 2024, "language": "en"}
    other = Institution.objects.get(code="semarnat").pk
    own = Institution.objects.get(code="cofepris").pk
    refused = client.post(
        reverse("api:report_request"), body | {"institution": other}, format="json"
    )
    assert refused.status_code == 403
    allowed = client.post(reverse("api:report_request"), body | {"institution": own}, format="json")
    assert allowed.status_code == 202
