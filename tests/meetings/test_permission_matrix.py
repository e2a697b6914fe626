"""Who may open which meeting page, and every refused change leaves the meetings as they were.

Every member reads meetings (liaisons all of them: a meeting discusses the plan, which every
member reads); embassy staff and plan administrators of either side arrange them, edit their
agenda and record and accept their decisions; officials and liaisons change nothing."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions import services as actions
from meetings import services
from meetings.models import AgendaItem, Decision, Meeting, Participant
from partners.models import Institution
from tests.roles import action_in, make_demo_user, make_user, signed_in
from tests.test_permission_matrix import MEMBERS, ROLES, assert_refused, members_get

MISSING = 999_999
EDITORS_ONLY = {"liaison_cofepris": 403, "liaison_semarnat": 403, "official": 403}
POST_ONLY = members_get(405)


@pytest.fixture(scope="module")
def meeting_rows(loaded_plan, django_db_blocker):
    with django_db_blocker.unblock():
        users = {name: make_demo_user(name) for name in MEMBERS}
        users["no_membership"] = make_user()
        staff = users["embassy_dk"]
        # Overdue on the meeting's date: drafting the agenda has something to add.
        actions.add_milestone(
            action=action_in(loaded_plan, "5.2"),
            user=staff,
            title="Joint inspection guidelines",
            start_date=date(2024, 1, 1),
            due_date=date(2025, 1, 31),
            at=datetime(2024, 1, 2, tzinfo=UTC),
        )
        meeting = services.create_meeting(
            plan=loaded_plan,
            user=staff,
            kind="consultations",
            date=date(2025, 3, 12),
            place="Mexico City",
        )
        participant = services.add_participant(
            meeting=meeting, user=staff, side="DK", name="Anne Holm", institution="MFA Denmark"
        )
        item = services.add_agenda_item(meeting=meeting, user=staff, title="Opening")
        services.add_agenda_item(meeting=meeting, user=staff, title="Review of chapter five")
        decision = services.record_decision(
            meeting=meeting,
            user=staff,
            title="Joint workshop",
            text="A joint workshop is held.",
            outcome=Decision.Outcome.MILESTONE,
            actions=[action_in(loaded_plan, "5.2")],
            owner=Institution.objects.get(code="cofepris"),
            due_date=date(2025, 9, 30),
            at=datetime(2025, 3, 12, 15, tzinfo=UTC),
        )
    return {
        "users": {name: user.pk for name, user in users.items()},
        "meeting": meeting.pk,
        "participant": participant.pk,
        "item": item.pk,
        "decision": decision.pk,
    }


@pytest.fixture
def world(meeting_rows, plan):
    people = get_user_model().objects.in_bulk(meeting_rows["users"].values())
    users = {name: people[pk] for name, pk in meeting_rows["users"].items()}
    users["anonymous"] = None
    return meeting_rows | {"users": users}


PAGES = {
    "meetings": (lambda w: reverse("meetings:list"), members_get()),
    "arrange a meeting": (lambda w: reverse("meetings:add"), members_get(**EDITORS_ONLY)),
    "meeting": (lambda w: reverse("meetings:detail", args=[w["meeting"]]), members_get()),
    "meeting, unknown": (lambda w: reverse("meetings:detail", args=[MISSING]), members_get(404)),
    "edit the meeting": (
        lambda w: reverse("meetings:edit", args=[w["meeting"]]),
        members_get(**EDITORS_ONLY),
    ),
    "calendar file": (lambda w: reverse("meetings:calendar", args=[w["meeting"]]), members_get()),
    "calendar file, unknown": (
        lambda w: reverse("meetings:calendar", args=[MISSING]),
        members_get(404),
    ),
    "documents (POST only)": (
        lambda w: reverse("meetings:documents", args=[w["meeting"]]),
        POST_ONLY,
    ),
    "add a participant": (
        lambda w: reverse("meetings:participant_add", args=[w["meeting"]]),
        members_get(**EDITORS_ONLY),
    ),
    "remove a participant (POST only)": (
        lambda w: reverse("meetings:participant_remove", args=[w["participant"]]),
        POST_ONLY,
    ),
    "draft the agenda (POST only)": (
        lambda w: reverse("meetings:agenda_draft", args=[w["meeting"]]),
        POST_ONLY,
    ),
    "add an agenda item": (
        lambda w: reverse("meetings:agenda_item_add", args=[w["meeting"]]),
        members_get(**EDITORS_ONLY),
    ),
    "edit an agenda item": (
        lambda w: reverse("meetings:agenda_item_edit", args=[w["item"]]),
        members_get(**EDITORS_ONLY),
    ),
    "edit an agenda item, unknown": (
        lambda w: reverse("meetings:agenda_item_edit", args=[MISSING]),
        members_get(404),
    ),
    "move an agenda item (POST only)": (
        lambda w: reverse("meetings:agenda_item_move", args=[w["item"]]),
        POST_ONLY,
    ),
    "remove an agenda item (POST only)": (
        lambda w: reverse("meetings:agenda_item_remove", args=[w["item"]]),
        POST_ONLY,
    ),
    "record a decision": (
        lambda w: reverse("meetings:decision_add", args=[w["meeting"]]),
        members_get(**EDITORS_ONLY),
    ),
    "accept a decision": (
        lambda w: reverse("meetings:decision_accept", args=[w["decision"]]),
        members_get(**EDITORS_ONLY),
    ),
    "accept a decision, unknown": (
        lambda w: reverse("meetings:decision_accept", args=[MISSING]),
        members_get(404),
    ),
}


def client_as(client, world, role):
    user = world["users"][role]
    if user is not None:
        signed_in(client, user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_meeting_page_answers_each_role_as_expected(client, world, page, role):
    url_of, expected = PAGES[page]
    url = url_of(world)
    response = client_as(client, world, role).get(url)
    assert response.status_code == expected[role], f"{role} GET {url}"
    if expected[role] == 302:
        assert response.url.startswith(reverse("login"))


def test_every_meeting_url_is_in_the_matrix():
    from meetings import urls

    names = {p.name for p in urls.urlpatterns}
    pages = {
        "list",
        "add",
        "detail",
        "edit",
        "calendar",
        "documents",
        "participant_add",
        "participant_remove",
        "agenda_draft",
        "agenda_item_add",
        "agenda_item_edit",
        "agenda_item_move",
        "agenda_item_remove",
        "decision_add",
        "decision_accept",
    }
    assert names == pages


def meetings_state():
    from reporting.models import Report

    return {
        "meetings": sorted(Meeting.objects.values_list("pk", "kind", "date", "place")),
        "meeting_history": Meeting.history.count(),
        "participants": sorted(Participant.objects.values_list("pk", "name")),
        "agenda": sorted(AgendaItem.objects.values_list("pk", "position", "title")),
        "agenda_history": AgendaItem.history.count(),
        "decisions": sorted(Decision.objects.values_list("pk", "state", "milestone_id")),
        "decision_history": Decision.history.count(),
        "documents": Report.objects.filter(meeting__isnull=False).count(),
    }


WRITES = {
    "arrange a meeting": lambda w: (
        reverse("meetings:add"),
        {"kind": "forum", "date": "2026-05-04", "place": "Geneva"},
    ),
    "edit the meeting": lambda w: (
        reverse("meetings:edit", args=[w["meeting"]]),
        {"kind": "forum", "date": "2025-03-12", "place": "Geneva"},
    ),
    "request the minutes": lambda w: (
        reverse("meetings:documents", args=[w["meeting"]]),
        {"kind": "minutes"},
    ),
    "add a participant": lambda w: (
        reverse("meetings:participant_add", args=[w["meeting"]]),
        {"side": "MX", "name": "Ana Ruiz", "institution": "SRE"},
    ),
    "remove a participant": lambda w: (
        reverse("meetings:participant_remove", args=[w["participant"]]),
        {},
    ),
    "draft the agenda": lambda w: (reverse("meetings:agenda_draft", args=[w["meeting"]]), {}),
    "add an agenda item": lambda w: (
        reverse("meetings:agenda_item_add", args=[w["meeting"]]),
        {"title": "Any other business"},
    ),
    "edit an agenda item": lambda w: (
        reverse("meetings:agenda_item_edit", args=[w["item"]]),
        {"title": "Welcome"},
    ),
    "move an agenda item": lambda w: (
        reverse("meetings:agenda_item_move", args=[w["item"]]),
        {"up": "0"},
    ),
    "remove an agenda item": lambda w: (
        reverse("meetings:agenda_item_remove", args=[w["item"]]),
        {},
    ),
    "record a decision": lambda w: (
        reverse("meetings:decision_add", args=[w["meeting"]]),
        {"title": "Noted", "text": "The parties take note.", "outcome": "noted"},
    ),
    "accept a decision": lambda w: (
        reverse("meetings:decision_accept", args=[w["decision"]]),
        {},
    ),
}
READERS = ["liaison_cofepris", "liaison_semarnat", "official", "no_membership", "anonymous"]
REFUSED = [(name, role) for name in WRITES for role in READERS]


@pytest.mark.parametrize(("name", "role"), REFUSED, ids=[f"{n}-{r}" for n, r in REFUSED])
def test_refused_meeting_write_changes_nothing(client, world, name, role):
    url, data = WRITES[name](world)
    before = meetings_state()
    response = client_as(client, world, role).post(url, data)
    assert_refused(response, role)
    assert meetings_state() == before


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize("role", ["embassy_mx", "administrator"])
def test_the_same_write_by_staff_of_either_side_changes_the_meetings(client, world, name, role):
    """The control for the refusals above: their data would have been accepted."""
    url, data = WRITES[name](world)
    before = meetings_state()
    response = client_as(client, world, role).post(url, data)
    assert response.status_code == 302
    assert meetings_state() != before
