"""Every API endpoint and method for every role: the page's rules hold for programs too, and
every refused write leaves the database as it was."""

import pytest
from django.urls import reverse

from reporting.models import Report
from tests.api.conftest import token_client
from tests.roles import database_state
from tests.test_permission_matrix import MEMBERS, MISSING, ROLES


def members(status=200, **exceptions):
    """Expected status per role: `status` for members unless named, 403 unplaced, 401 anonymous."""
    return dict.fromkeys(MEMBERS, status) | {"no_membership": 403, "anonymous": 401} | exceptions


EDITORS_ONLY = {"liaison_cofepris": 403, "liaison_semarnat": 403, "official": 403}
DRAFT_HIDDEN = {"official": 404, "liaison_cofepris": 404, "liaison_semarnat": 404}

READS = {
    "plans": (lambda w: reverse("api:plans"), members()),
    "chapters": (lambda w: reverse("api:chapters"), members()),
    "institutions": (lambda w: reverse("api:institutions"), members()),
    "agreements": (lambda w: reverse("api:agreements"), members()),
    "actions": (lambda w: reverse("api:actions"), members()),
    "actions as of": (lambda w: reverse("api:actions") + "?as_of=2024-12-31", members()),
    "action": (lambda w: reverse("api:action", args=[w["action"].pk]), members()),
    "action, unknown": (lambda w: reverse("api:action", args=[MISSING]), members(404)),
    "milestones": (lambda w: reverse("api:milestones"), members()),
    "milestones as of": (lambda w: reverse("api:milestones") + "?as_of=2024-12-31", members()),
    "milestone": (lambda w: reverse("api:milestone", args=[w["milestone"].pk]), members()),
    "milestone, unknown": (lambda w: reverse("api:milestone", args=[MISSING]), members(404)),
    "updates": (lambda w: reverse("api:updates"), members()),
    "updates as of": (lambda w: reverse("api:updates") + "?as_of=2024-12-31", members()),
    "update": (lambda w: reverse("api:update", args=[w["update"].pk]), members()),
    "update, unknown": (lambda w: reverse("api:update", args=[MISSING]), members(404)),
    "reports": (lambda w: reverse("api:reports"), members()),
    "report, draft": (
        lambda w: reverse("api:report", args=[w["draft"].pk]),
        members(**DRAFT_HIDDEN),
    ),
    "report, SEMARNAT's draft": (
        lambda w: reverse("api:report", args=[w["semarnat_draft"].pk]),
        members(official=404, liaison_cofepris=404),
    ),
    "report download, draft": (
        lambda w: reverse("api:report_download", args=[w["draft"].pk]),
        members(**DRAFT_HIDDEN),
    ),
    "report download, failed": (
        lambda w: reverse("api:report_download", args=[w["failed"].pk]),
        members(404, **DRAFT_HIDDEN),
    ),
    "inbox": (lambda w: reverse("api:inbox"), members()),
    "no such address": (
        lambda w: "/api/v1/no-such-thing/",
        members(404, no_membership=404, anonymous=404),
    ),
    # What the API offers is no secret: its schema and documentation are open to anyone.
    "schema": (lambda w: reverse("api:schema"), members(no_membership=200, anonymous=200)),
    "docs": (lambda w: reverse("api:docs"), members(no_membership=200, anonymous=200)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("read", list(READS))
def test_api_read_answers_each_role_as_expected(world, read, role):
    url_of, expected = READS[read]
    response = token_client(world["users"][role]).get(url_of(world))
    assert response.status_code == expected[role], f"{role} GET {url_of(world)}"
    if response.status_code != 200:
        assert response.json()["detail"]


def progress(w):
    action = w["action"]
    body = {"status": "on_track", "progress": 30, "narrative": "Two workshops were held."}
    return reverse("api:action_progress", args=[action.pk]), body | {"version": action.version}


def milestone_add(w):
    return reverse("api:action_milestones", args=[w["action"].pk]), {
        "title": "A new milestone",
        "start_date": "2024-01-01",
        "due_date": "2024-06-30",
    }


def milestone_edit(w):
    milestone = w["milestone"]
    return reverse("api:milestone_edit", args=[milestone.pk]), {
        "title": "Renamed milestone",
        "start_date": "2024-01-01",
        "due_date": milestone.due_date.isoformat(),
        "version": milestone.version,
    }


def milestone_done(w):
    return reverse("api:milestone_done", args=[w["milestone"].pk]), {"done_on": "2024-02-01"}


def review(w):
    return reverse("api:update_review", args=[w["update"].pk]), {
        "side": "DK",
        "decision": "approved",
    }


def report_request(w):
    return reverse("api:report_request"), {"kind": "annual", "year": 2024, "language": "en"}


REFUSED = {"no_membership": 403, "anonymous": 401}
# (method, body maker, {role: status} of those refused); every other member may write.
WRITES = {
    "progress on 5.2": ("post", progress, REFUSED | {"liaison_semarnat": 403, "official": 403}),
    "milestone add": ("post", milestone_add, REFUSED | EDITORS_ONLY),
    "milestone edit": ("put", milestone_edit, REFUSED | EDITORS_ONLY),
    "milestone done": ("post", milestone_done, REFUSED | EDITORS_ONLY),
    # 5.2: COFEPRIS's liaison decides for Mexico; Denmark (no DKMA liaison) is DK staff's.
    "review": (
        "post",
        review,
        REFUSED | {"embassy_mx": 403, "liaison_semarnat": 403, "official": 403},
    ),
    "report request, annual": ("post", report_request, REFUSED | EDITORS_ONLY),
}
REFUSALS = [(w, role) for w, (_m, _b, refused) in WRITES.items() for role in refused]


def everything():
    return database_state() | {"reports": Report.objects.count()}


@pytest.mark.parametrize(("write", "role"), REFUSALS)
def test_refused_api_write_changes_nothing(world, write, role):
    method, body_of, refused = WRITES[write]
    url, body = body_of(world)
    before = everything()
    response = getattr(token_client(world["users"][role]), method)(url, body, format="json")
    assert response.status_code == refused[role], response.content
    assert response.json()["detail"]
    assert everything() == before


@pytest.mark.parametrize("write", [w for w in WRITES if w != "report request, annual"])
def test_allowed_api_write_is_made_by_the_token_user(world, write):
    method, body_of, _refused = WRITES[write]
    url, body = body_of(world)
    user = world["users"]["administrator"]
    before = everything()
    response = getattr(token_client(user), method)(url, body, format="json")
    assert response.status_code in (200, 201), response.content
    assert everything() != before


@pytest.mark.parametrize("write", [w for w in WRITES if w != "report request, annual"])
def test_api_write_to_an_unknown_record_is_404(world, write):
    """Every write that names a record (a report request names none)."""
    method, body_of, _refused = WRITES[write]
    url, body = body_of(world)
    url = url.replace(f"/{url.strip('/').split('/')[-2]}/", f"/{MISSING}/")
    response = getattr(token_client(world["users"]["administrator"]), method)(
        url, body, format="json"
    )
    assert response.status_code == 404


def test_every_api_url_is_in_the_matrix():
    from api import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {
        "plans",
        "chapters",
        "institutions",
        "agreements",
        "actions",
        "action",
        "milestones",
        "milestone",
        "updates",
        "update",
        "reports",
        "report",
        "report_download",
        "inbox",
        "schema",
        "docs",
        "action_progress",
        "action_milestones",
        "milestone_edit",
        "milestone_done",
        "update_review",
        "report_request",
        "not_found",
    }
    assert names <= covered
