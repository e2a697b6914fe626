"""Who may open which page, and every refused change leaves the database as it was."""

import io
import shutil
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from actions.models import Milestone, ProgressUpdate, Review
from amendments import services as amendments
from assessments.models import Assessment, JointAssessment
from partners.models import Institution, Membership, Side
from reporting.models import Report
from reporting.periods import Period
from tests.factories import AssessmentFactory, MilestoneFactory, ProgressUpdateFactory
from tests.roles import (
    action_in,
    database_state,
    make_demo_user,
    make_member,
    make_user,
    signed_in,
)

MEMBERS = [
    "administrator",
    "embassy_dk",
    "embassy_mx",
    "liaison_cofepris",
    "liaison_semarnat",
    "official",
]
ROLES = [*MEMBERS, "no_membership", "anonymous"]
MISSING = 999_999
Q2_2025 = Period(2025, 2)


@pytest.fixture(scope="module")
def world_rows(loaded_plan, django_db_blocker, tmp_path_factory):
    """The world's rows, written once for the module and rolled back with the plan, and the
    folder of the files they point at."""
    plan = loaded_plan
    media = tmp_path_factory.mktemp("permission-matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        users = {name: make_demo_user(name) for name in MEMBERS}
        users["no_membership"] = make_user()
        action = action_in(plan, "5.2")
        milestone = MilestoneFactory(
            action=action, title="First joint workshop", start_date=date(2024, 1, 1)
        )
        author = make_user()
        with_file = ProgressUpdateFactory(
            action=action,
            author=author,
            evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        )
        without_file = ProgressUpdateFactory(action=action, author=author)
        returned = ProgressUpdateFactory(
            action=action,
            author=users["liaison_cofepris"],
            review_state=ProgressUpdate.ReviewState.RETURNED,
        )
        Review.objects.create(
            update=returned,
            side=Side.DK,
            reviewer=users["embassy_dk"],
            decision=Review.Decision.RETURNED,
            comment="Add the minutes of the workshop.",
        )
        draft = Report.objects.create(
            plan=plan,
            kind="annual",
            year=2024,
            language="en",
            as_of=date(2024, 12, 31),
            state="ready",
            pages=1,
            size=16,
            sha256="0" * 64,
            file=SimpleUploadedFile("review.pdf", b"%PDF-1.4 review"),
            draft_file=SimpleUploadedFile("draft-review.pdf", b"%PDF-1.4 draft review"),
            docx_file=SimpleUploadedFile("review.docx", b"PK review"),
            draft_docx_file=SimpleUploadedFile("draft-review.docx", b"PK draft review"),
        )
        semarnat_draft = Report.objects.create(
            plan=plan,
            kind="institution",
            institution=Institution.objects.get(code="semarnat"),
            year=2024,
            language="es",
            as_of=date(2024, 12, 31),
            state="ready",
            pages=1,
            size=16,
            sha256="1" * 64,
            file=SimpleUploadedFile("semarnat.pdf", b"%PDF-1.4 semarnat"),
            docx_file=SimpleUploadedFile("semarnat.docx", b"PK semarnat"),
        )
        for side in (Side.DK, Side.MX):
            AssessmentFactory(
                action=action, side=side, assessed_by=users[f"embassy_{side.lower()}"]
            )
        joint = JointAssessment.objects.create(
            action=action,
            year=Q2_2025.year,
            quarter=Q2_2025.quarter,
            completion="limited",
            timeliness="on_time",
            proposed_by=users["administrator"],
            proposed_side=Side.DK,
            agreed_dk_by=users["administrator"],
            agreed_dk_at=timezone.now(),
        )
        failed = Report.objects.create(
            plan=plan,
            kind="annual",
            year=2024,
            language="es",
            as_of=date(2024, 12, 31),
            state="failed",
            error="The build did not finish.",
        )
    return {
        "media": media,
        "users": {name: user.pk for name, user in users.items()},
        "reports": {"draft": draft.pk, "semarnat_draft": semarnat_draft.pk, "failed": failed.pk},
        "milestone": milestone.pk,
        "joint": joint.pk,
        "updates": {
            "update": with_file.pk,
            "update_without_file": without_file.pk,
            "returned_update": returned.pk,
        },
    }


@pytest.fixture
def world(world_rows, plan, settings, tmp_path):
    """The demo roles (no DKMA liaison), a milestone and two submitted updates on action 5.2.

    Written once per module (`world_rows`); each test reads its own instances of them and has
    its own copy of their files."""
    settings.MEDIA_ROOT = tmp_path
    shutil.copytree(world_rows["media"], tmp_path, dirs_exist_ok=True)
    people = get_user_model().objects.in_bulk(world_rows["users"].values())
    users = {name: people[pk] for name, pk in world_rows["users"].items()}
    users["anonymous"] = None
    reports = Report.objects.in_bulk(world_rows["reports"].values())
    updates = ProgressUpdate.objects.in_bulk(world_rows["updates"].values())
    return {
        **{name: reports[pk] for name, pk in world_rows["reports"].items()},
        **{name: updates[pk] for name, pk in world_rows["updates"].items()},
        "plan": plan,
        "users": users,
        "action": action_in(plan, "5.2"),
        "other_action": action_in(plan, "3.1"),
        "milestone": Milestone.objects.get(pk=world_rows["milestone"]),
        "joint": JointAssessment.objects.get(pk=world_rows["joint"]),
    }


def assessments_of_chapter(world, number):
    return reverse("assessments:chapter", args=[world["plan"].slug, Q2_2025, number])


def members_get(status=200, **exceptions):
    """Expected status per role: `status` for members unless named, 403 unplaced, 302 anonymous."""
    expected = dict.fromkeys(MEMBERS, status) | {"no_membership": 403, "anonymous": 302}
    return expected | exceptions


EDITORS_ONLY = {"liaison_cofepris": 403, "liaison_semarnat": 403, "official": 403}


def amendment_of_5_2(world, *, in_force=False):
    """A target date of 5.2 proposed by Mexico's embassy staff: waiting, or in force (approved by
    a plan administrator of each side)."""
    amendment = amendments.propose_amendment(
        proposer=world["users"]["embassy_mx"],
        kind="target_date",
        action=world["action"],
        reason="The reform was postponed.",
        target_date=date(2028, 6, 30),
    )
    if in_force:
        amendments.approve_amendment(amendment=amendment, user=world["users"]["administrator"])
        mexican = make_member(Membership.Role.ADMINISTRATOR, "sre")
        amendments.approve_amendment(amendment=amendment, user=mexican)
    return amendment


PAGES = {
    "dashboard": (lambda w: reverse("dashboard"), members_get()),
    "plan overview": (lambda w: reverse("plan_overview"), members_get()),
    "plan detail": (lambda w: reverse("plan_detail", args=[w["plan"].slug]), members_get()),
    "plan detail, unknown": (
        lambda w: reverse("plan_detail", args=["no-such-plan"]),
        members_get(404),
    ),
    "chapter": (
        lambda w: reverse("chapter_detail", args=[w["plan"].slug, 5]),
        members_get(),
    ),
    "chapter, unknown": (
        lambda w: reverse("chapter_detail", args=[w["plan"].slug, 99]),
        members_get(404),
    ),
    "action list": (lambda w: reverse("actions:list"), members_get()),
    "CSV export": (lambda w: reverse("actions:export_csv"), members_get()),
    "my actions": (
        lambda w: reverse("actions:mine"),
        members_get(403, liaison_cofepris=200, liaison_semarnat=200),
    ),
    "review queue": (lambda w: reverse("actions:review_queue"), members_get()),
    "my updates": (lambda w: reverse("actions:my_updates"), members_get()),
    "action detail": (lambda w: reverse("actions:detail", args=[w["action"].pk]), members_get()),
    "action detail, unknown": (
        lambda w: reverse("actions:detail", args=[MISSING]),
        members_get(404),
    ),
    "update form, 5.2": (
        lambda w: reverse("actions:update", args=[w["action"].pk]),
        members_get(liaison_semarnat=403, official=403),
    ),
    "update form, 3.1": (
        lambda w: reverse("actions:update", args=[w["other_action"].pk]),
        members_get(**EDITORS_ONLY),
    ),
    "update form, unknown": (lambda w: reverse("actions:update", args=[MISSING]), members_get(404)),
    "milestone add": (
        lambda w: reverse("actions:milestone_add", args=[w["action"].pk]),
        members_get(**EDITORS_ONLY),
    ),
    "milestone add, unknown action": (
        lambda w: reverse("actions:milestone_add", args=[MISSING]),
        members_get(404),
    ),
    "milestone edit": (
        lambda w: reverse("actions:milestone_edit", args=[w["milestone"].pk]),
        members_get(**EDITORS_ONLY),
    ),
    "milestone edit, unknown": (
        lambda w: reverse("actions:milestone_edit", args=[MISSING]),
        members_get(404),
    ),
    "milestone done": (
        lambda w: reverse("actions:milestone_done", args=[w["milestone"].pk]),
        members_get(**EDITORS_ONLY),
    ),
    "milestone done, unknown": (
        lambda w: reverse("actions:milestone_done", args=[MISSING]),
        members_get(404),
    ),
    # 5.2: COFEPRIS has a liaison (MX side is theirs); DKMA has none (DK side is DK staff's).
    "review page": (
        lambda w: reverse("actions:review", args=[w["update"].pk]),
        members_get(403, administrator=200, embassy_dk=200, liaison_cofepris=200),
    ),
    "review page, unknown": (lambda w: reverse("actions:review", args=[MISSING]), members_get(404)),
    # Only the author revises, and only a returned update (COFEPRIS's liaison wrote it).
    "revise page, waiting update": (
        lambda w: reverse("actions:revise", args=[w["update"].pk]),
        members_get(403),
    ),
    "revise page, returned update": (
        lambda w: reverse("actions:revise", args=[w["returned_update"].pk]),
        members_get(403, liaison_cofepris=200),
    ),
    "revise page, unknown": (lambda w: reverse("actions:revise", args=[MISSING]), members_get(404)),
    # Who may post updates on 5.2 may translate one: staff, and COFEPRIS's liaison.
    "translate update page": (
        lambda w: reverse("actions:translate_update", args=[w["update"].pk]),
        members_get(403, administrator=200, embassy_dk=200, embassy_mx=200, liaison_cofepris=200),
    ),
    "translate update page, unknown": (
        lambda w: reverse("actions:translate_update", args=[MISSING]),
        members_get(404),
    ),
    "translate milestone page": (
        lambda w: reverse("actions:translate_milestone", args=[w["milestone"].pk]),
        members_get(**EDITORS_ONLY),
    ),
    "translate milestone page, unknown": (
        lambda w: reverse("actions:translate_milestone", args=[MISSING]),
        members_get(404),
    ),
    "what needs me": (lambda w: reverse("inbox:needs_me"), members_get()),
    # Amendments: staff of either side propose; a waiting one is seen by staff and the liaisons
    # of the action's institutions (COFEPRIS on 5.2), one in force by every member.
    "amendments": (lambda w: reverse("amendments:list"), members_get()),
    "propose an amendment": (
        lambda w: reverse("amendments:propose"),
        members_get(**EDITORS_ONLY),
    ),
    "waiting amendment": (
        lambda w: reverse("amendments:detail", args=[amendment_of_5_2(w).pk]),
        members_get(liaison_semarnat=404, official=404),
    ),
    "amendment in force": (
        lambda w: reverse("amendments:detail", args=[amendment_of_5_2(w, in_force=True).pk]),
        members_get(),
    ),
    "amendment, unknown": (
        lambda w: reverse("amendments:detail", args=[MISSING]),
        members_get(404),
    ),
    **{
        f"amendment {name} (POST only)": (
            lambda w, name=name: reverse(f"amendments:{name}", args=[MISSING]),
            members_get(405),
        )
        for name in ["approve", "reject", "withdraw"]
    },
    # Every member may export; who may change actions may also update them from a sheet.
    "XLSX of actions": (lambda w: reverse("spreadsheets:export_actions"), members_get()),
    "XLSX of milestones": (lambda w: reverse("spreadsheets:export_milestones"), members_get()),
    "XLSX of updates": (lambda w: reverse("spreadsheets:export_updates"), members_get()),
    "XLSX of my actions and milestones": (
        lambda w: reverse("spreadsheets:my_sheet"),
        members_get(official=403),
    ),
    "spreadsheet upload": (lambda w: reverse("spreadsheets:upload"), members_get(official=403)),
    # An upload is its owner's only: to anyone else it does not exist.
    "spreadsheet preview, unknown": (
        lambda w: reverse("spreadsheets:preview", args=[MISSING]),
        members_get(404, official=403),
    ),
    "spreadsheet progress, unknown": (
        lambda w: reverse("spreadsheets:progress", args=[MISSING]),
        members_get(404, official=403),
    ),
    "spreadsheet confirm (POST only)": (
        lambda w: reverse("spreadsheets:confirm", args=[MISSING]),
        members_get(405),
    ),
    "API tokens": (lambda w: reverse("api_tokens:list"), members_get()),
    # Everyone at the portal reads both sides' assessments; the forms are each side's (below).
    "assessments": (lambda w: reverse("assessments:overview"), members_get()),
    "assessments of a chapter": (lambda w: assessments_of_chapter(w, 5), members_get()),
    "assessments of a chapter, unknown": (
        lambda w: assessments_of_chapter(w, 99),
        members_get(404),
    ),
    "assessments of a chapter, period not started": (
        lambda w: reverse("assessments:chapter", args=[w["plan"].slug, Period(2099, 1), 5]),
        members_get(404),
    ),
    "assessments of an action": (
        lambda w: reverse("assessments:action", args=[Q2_2025, w["action"].pk]),
        members_get(),
    ),
    "assessments of an action, unknown": (
        lambda w: reverse("assessments:action", args=[Q2_2025, MISSING]),
        members_get(404),
    ),
    "agree a joint assessment (POST only)": (
        lambda w: reverse("assessments:agree", args=[w["joint"].pk]),
        members_get(405),
    ),
    "evidence": (lambda w: reverse("actions:evidence", args=[w["update"].pk]), members_get()),
    "evidence, none uploaded": (
        lambda w: reverse("actions:evidence", args=[w["update_without_file"].pk]),
        members_get(404),
    ),
    "evidence, unknown": (lambda w: reverse("actions:evidence", args=[MISSING]), members_get(404)),
    "institution list": (lambda w: reverse("partners:institution_list"), members_get()),
    "institution detail": (
        lambda w: reverse("partners:institution_detail", args=["cofepris"]),
        members_get(),
    ),
    "institution detail, unknown": (
        lambda w: reverse("partners:institution_detail", args=["no-such-body"]),
        members_get(404),
    ),
    "reports": (lambda w: reverse("reporting:list"), members_get()),
    "report states": (lambda w: reverse("reporting:status"), members_get()),
    # Officials see only reports both sides have released: a draft does not exist for them.
    # Liaisons see drafts of their own institution's reports only (README, "Who sees drafts
    # and evidence").
    "report download, draft": (
        lambda w: reverse("reporting:download", args=[w["draft"].pk]),
        members_get(official=404, liaison_cofepris=404, liaison_semarnat=404),
    ),
    "report download, SEMARNAT's draft": (
        lambda w: reverse("reporting:download", args=[w["semarnat_draft"].pk]),
        members_get(official=404, liaison_cofepris=404),
    ),
    "report DOCX, draft": (
        lambda w: reverse("reporting:download_docx", args=[w["draft"].pk]),
        members_get(official=404, liaison_cofepris=404, liaison_semarnat=404),
    ),
    "report DOCX, SEMARNAT's draft": (
        lambda w: reverse("reporting:download_docx", args=[w["semarnat_draft"].pk]),
        members_get(official=404, liaison_cofepris=404),
    ),
    "report DOCX, unknown": (
        lambda w: reverse("reporting:download_docx", args=[MISSING]),
        members_get(404),
    ),
    "report download, unknown": (
        lambda w: reverse("reporting:download", args=[MISSING]),
        members_get(404),
    ),
    "report request (POST only)": (lambda w: reverse("reporting:request"), members_get(405)),
    "report release (POST only)": (
        lambda w: reverse("reporting:release", args=[w["draft"].pk]),
        members_get(405),
    ),
    "report retry (POST only)": (
        lambda w: reverse("reporting:retry", args=[w["failed"].pk]),
        members_get(405),
    ),
    # Any signed-in person may change their own password, placed at an institution or not.
    "password change": (lambda w: reverse("password_change"), members_get(no_membership=200)),
    "password change done": (
        lambda w: reverse("password_change_done"),
        members_get(no_membership=200),
    ),
    # So may they set up a second factor (tests/accounts covers the second step itself).
    "sign-in security": (lambda w: reverse("accounts:security"), members_get(no_membership=200)),
    "authenticator set-up": (lambda w: reverse("accounts:set_up"), members_get(no_membership=200)),
    # And choose what they are told by e-mail (the unsubscribe link: tests/notifications).
    "notification preferences": (
        lambda w: reverse("notifications:preferences"),
        members_get(no_membership=200),
    ),
}
ACCOUNT_PAGES = {
    "password change",
    "password change done",
    "sign-in security",
    "authenticator set-up",
    "notification preferences",
}


def client_as(client, world, role):
    """Signed in as the role (the administrator past the second step their role requires)."""
    user = world["users"][role]
    if user is not None:
        signed_in(client, user)
    return client


def assert_refused(response, role, expected=403):
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_answers_each_role_as_expected(client, world, page, role):
    url_of, expected = PAGES[page]
    url = url_of(world)
    response = client_as(client, world, role).get(url)
    assert response.status_code == expected[role], f"{role} GET {url}"
    if expected[role] == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", sorted(set(PAGES) - ACCOUNT_PAGES))
def test_user_without_membership_gets_403_on_every_portal_page(client, world, page):
    url_of, _expected = PAGES[page]
    client.force_login(world["users"]["no_membership"])
    assert client.get(url_of(world)).status_code == 403


def test_every_url_of_the_portal_is_in_the_matrix():
    """A new URL must be added to PAGES (and to the POST checks if it writes)."""
    from accounts import urls as account_urls
    from actions import urls as action_urls
    from amendments import urls as amendment_urls
    from api import token_urls
    from assessments import urls as assessment_urls
    from inbox import urls as inbox_urls
    from notifications import urls as notification_urls
    from partners import urls as partner_urls
    from plancore import urls as root_urls
    from reporting import urls as reporting_urls
    from spreadsheets import urls as spreadsheet_urls

    covered = {
        "dashboard",
        "plan_overview",
        "plan_detail",
        "chapter_detail",
        "actions:list",
        "actions:export_csv",
        "actions:mine",
        "actions:review_queue",
        "actions:my_updates",
        "actions:detail",
        "actions:update",
        "actions:milestone_add",
        "actions:milestone_edit",
        "actions:milestone_done",
        "actions:review",
        "actions:evidence",
        "actions:revise",
        "actions:translate_update",
        "actions:translate_milestone",
        "amendments:list",
        "amendments:propose",
        "amendments:detail",
        "amendments:approve",
        "amendments:reject",
        "amendments:withdraw",
        "inbox:needs_me",
        "spreadsheets:export_actions",
        "spreadsheets:export_milestones",
        "spreadsheets:export_updates",
        "spreadsheets:my_sheet",
        "spreadsheets:upload",
        "spreadsheets:preview",
        "spreadsheets:confirm",
        "spreadsheets:progress",
        "partners:institution_list",
        "partners:institution_detail",
        "set_language",
        "login",
        "password_change",
        "reporting:list",
        "reporting:request",
        "reporting:status",
        "reporting:download",
        "reporting:download_docx",
        "reporting:release",
        "reporting:retry",
        # The second sign-in step and its pages: tests/accounts.
        "accounts:security",
        "accounts:set_up",
        "accounts:recovery_codes",
        "accounts:new_recovery_codes",
        "accounts:remove",
        "accounts:second_step",
        # Notification preferences and the unsubscribe link: tests/notifications.
        "notifications:preferences",
        "notifications:unsubscribe",
        # Token revocation: tests/api/test_tokens.py; the API itself: tests/api.
        "api_tokens:list",
        "api_tokens:revoke",
        "assessments:overview",
        "assessments:chapter",
        "assessments:action",
        "assessments:agree",
    }
    names = {p.name for p in root_urls.urlpatterns if getattr(p, "name", None)}
    names |= {f"actions:{p.name}" for p in action_urls.urlpatterns}
    names |= {f"amendments:{p.name}" for p in amendment_urls.urlpatterns}
    names |= {f"partners:{p.name}" for p in partner_urls.urlpatterns}
    names |= {f"reporting:{p.name}" for p in reporting_urls.urlpatterns}
    names |= {f"accounts:{p.name}" for p in account_urls.urlpatterns}
    names |= {f"notifications:{p.name}" for p in notification_urls.urlpatterns}
    names |= {f"inbox:{p.name}" for p in inbox_urls.urlpatterns}
    names |= {f"spreadsheets:{p.name}" for p in spreadsheet_urls.urlpatterns}
    names |= {f"api_tokens:{p.name}" for p in token_urls.urlpatterns}
    names |= {f"assessments:{p.name}" for p in assessment_urls.urlpatterns}
    assert names <= covered


# Refused writes change nothing


def update_post(world, action_key="action"):
    action = world[action_key]
    return reverse("actions:update", args=[action.pk]), {
        "status": "on_track",
        "progress": "30",
        "narrative": "Two workshops were held.",
        "version": str(action.version),
    }


def milestone_add_post(world):
    return reverse("actions:milestone_add", args=[world["action"].pk]), {
        "title": "A new milestone",
        "start_date": "2024-01-01",
        "due_date": "2024-06-30",
    }


def milestone_edit_post(world):
    return reverse("actions:milestone_edit", args=[world["milestone"].pk]), {
        "title": "Renamed milestone",
        "start_date": "2024-02-01",
        "due_date": "2024-09-30",
        "version": str(world["milestone"].version),
    }


def milestone_done_post(world):
    return reverse("actions:milestone_done", args=[world["milestone"].pk]), {
        "done_on": timezone.localdate().isoformat()
    }


def review_post(side):
    def build(world):
        return reverse("actions:review", args=[world["update"].pk]), {
            "side": side,
            "decision": Review.Decision.APPROVED,
            "comment": "",
        }

    return build


def revise_post(world):
    return reverse("actions:revise", args=[world["returned_update"].pk]), {
        "status": "on_track",
        "progress": "30",
        "narrative": "The minutes of the workshop are attached now.",
        "version": str(world["action"].version),
    }


def translate_update_post(world):
    return reverse("actions:translate_update", args=[world["update"].pk]), {
        "text": "Se celebraron dos talleres con ambas agencias."
    }


def translate_milestone_post(world):
    return reverse("actions:translate_milestone", args=[world["milestone"].pk]), {
        "text": "Primer taller conjunto",
        "version": str(world["milestone"].version),
    }


def spreadsheet_upload_post(world):
    workbook = Workbook()
    workbook.active.append(["ID", "Version", "Status", "Progress (%)", "Narrative"])
    workbook.active.append([world["action"].pk, world["action"].version, "Delayed", 10, "Late."])
    data = io.BytesIO()
    workbook.save(data)
    return reverse("spreadsheets:upload"), {
        "file": SimpleUploadedFile("mine.xlsx", data.getvalue())
    }


def spreadsheet_confirm_post(world):
    return reverse("spreadsheets:confirm", args=[MISSING]), {}


def assessments_post(side):
    """A side's assessments of chapter 5's actions for Q2 2025, each row valid."""

    def build(world):
        actions = world["plan"].chapters.get(number=5).actions.order_by("position")
        seen = dict(Assessment.objects.filter(side=side).values_list("action_id", "assessed_at"))
        data = {"side": side, "rows-TOTAL_FORMS": str(len(actions)), "rows-INITIAL_FORMS": "0"}
        for index, action in enumerate(actions):
            data |= {
                f"rows-{index}-action": str(action.pk),
                f"rows-{index}-seen": seen[action.pk].isoformat() if action.pk in seen else "",
                f"rows-{index}-completion": "substantial",
                f"rows-{index}-timeliness": "behind",
                f"rows-{index}-comment": "",
            }
        return assessments_of_chapter(world, 5), data

    return build


def joint_assessment_post(world):
    return reverse("assessments:action", args=[Q2_2025, world["action"].pk]), {
        "side": Side.DK,
        "completion": "complete",
        "timeliness": "on_time",
        "comment": "",
        "version": str(world["joint"].version),
    }


def agree_post(side):
    def build(world):
        return reverse("assessments:agree", args=[world["joint"].pk]), {
            "side": side,
            "version": str(world["joint"].version),
        }

    return build


UNPLACED = ["official", "no_membership", "anonymous"]
REFUSED_POSTS = [
    *[("update status, 5.2", update_post, role) for role in ["liaison_semarnat", *UNPLACED]],
    ("update status, 3.1", lambda w: update_post(w, "other_action"), "liaison_cofepris"),
    ("update status, 3.1", lambda w: update_post(w, "other_action"), "liaison_semarnat"),
    *[
        (name, build, role)
        for name, build in [
            ("add milestone", milestone_add_post),
            ("edit milestone", milestone_edit_post),
            ("mark milestone done", milestone_done_post),
        ]
        for role in ["liaison_cofepris", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("revise a returned update", revise_post, role)
        for role in ["administrator", "embassy_dk", "embassy_mx", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("translate an update", translate_update_post, role)
        for role in ["liaison_semarnat", *UNPLACED]
    ],
    *[
        ("translate a milestone", translate_milestone_post, role)
        for role in ["liaison_cofepris", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("review for MX", review_post(Side.MX), role)
        for role in ["embassy_mx", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("review for DK", review_post(Side.DK), role)
        for role in ["embassy_mx", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("assess for DK", assessments_post(Side.DK), role)
        for role in ["embassy_mx", "liaison_cofepris", "liaison_semarnat", *UNPLACED]
    ],
    *[
        ("assess for MX", assessments_post(Side.MX), role)
        for role in ["administrator", "embassy_dk", "liaison_cofepris", *UNPLACED]
    ],
    *[
        ("propose a joint assessment", joint_assessment_post, role)
        for role in ["embassy_dk", "embassy_mx", "liaison_cofepris", *UNPLACED]
    ],
    # The Danish administrator proposed it: agreeing for Mexico is a Mexican administrator's.
    *[
        ("agree a joint assessment for MX", agree_post(Side.MX), role)
        for role in ["administrator", "embassy_mx", "liaison_cofepris", *UNPLACED]
    ],
    *[("upload a spreadsheet", spreadsheet_upload_post, role) for role in UNPLACED],
    *[("confirm a spreadsheet", spreadsheet_confirm_post, role) for role in UNPLACED],
]


@pytest.mark.parametrize(
    ("name", "build", "role"),
    REFUSED_POSTS,
    ids=[f"{name}-{role}" for name, _build, role in REFUSED_POSTS],
)
def test_refused_post_changes_nothing(client, world, name, build, role):
    url, data = build(world)
    before = database_state()
    response = client_as(client, world, role).post(url, data)
    assert_refused(response, role)
    assert database_state() == before


def report_state():
    return sorted(
        Report.objects.values_list("pk", "state", "released_dk_at", "released_mx_at", "error")
    )


REFUSED_REPORT_POSTS = [
    *[("request a report", "request", role) for role in UNPLACED],
    *[
        ("release for DK", "release-DK", role)
        for role in ["liaison_cofepris", "embassy_mx", *UNPLACED]
    ],
    *[
        ("release for MX", "release-MX", role)
        for role in ["liaison_semarnat", "embassy_dk", *UNPLACED]
    ],
    *[("retry", "retry", role) for role in ["liaison_cofepris", *UNPLACED]],
]


@pytest.mark.parametrize(
    ("name", "what", "role"),
    REFUSED_REPORT_POSTS,
    ids=[f"{name}-{role}" for name, _what, role in REFUSED_REPORT_POSTS],
)
def test_refused_report_post_changes_nothing(client, world, name, what, role):
    if what == "request":
        url, data = (
            reverse("reporting:request"),
            {"kind": "annual", "year": "2024", "language": "en"},
        )
    elif what.startswith("release"):
        url, data = reverse("reporting:release", args=[world["draft"].pk]), {"side": what[-2:]}
    else:
        url, data = reverse("reporting:retry", args=[world["failed"].pk]), {}
    before = (report_state(), Report.objects.count())
    response = client_as(client, world, role).post(url, data)
    # Officials do not see drafts or failed builds at all, nor liaisons those of plan-wide
    # reports: for them those reports do not exist.
    unseen = role in ("official", "liaison_cofepris", "liaison_semarnat")
    expected = 404 if (unseen and what != "request") else 403
    assert_refused(response, role, expected)
    assert (report_state(), Report.objects.count()) == before


@pytest.mark.parametrize(("role", "side"), [("liaison_cofepris", Side.DK), ("embassy_dk", Side.MX)])
def test_reviewer_may_not_decide_the_other_side(client, world, role, side):
    """The form offers only the reviewer's side; posting the other side changes nothing."""
    url, data = review_post(side)(world)
    before = database_state()
    response = client_as(client, world, role).post(url, data)
    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize("role", ["administrator", "embassy_dk", "liaison_cofepris"])
def test_nobody_may_review_an_update_that_is_already_decided(client, world, role):
    ProgressUpdate.objects.filter(pk=world["update"].pk).update(
        review_state=ProgressUpdate.ReviewState.RETURNED
    )
    url, data = review_post(Side.MX)(world)
    before = database_state()
    response = client_as(client, world, role).post(url, data)
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "build", "role"),
    [
        ("update status", update_post, "liaison_cofepris"),
        ("add milestone", milestone_add_post, "embassy_mx"),
        ("edit milestone", milestone_edit_post, "administrator"),
        ("mark milestone done", milestone_done_post, "embassy_dk"),
        ("review for MX", review_post(Side.MX), "liaison_cofepris"),
        ("review for DK", review_post(Side.DK), "embassy_dk"),
        ("revise a returned update", revise_post, "liaison_cofepris"),
        ("assess for DK", assessments_post(Side.DK), "embassy_dk"),
        ("assess for MX", assessments_post(Side.MX), "embassy_mx"),
        ("propose a joint assessment", joint_assessment_post, "administrator"),
    ],
)
def test_the_same_post_by_a_role_with_the_right_changes_the_database(
    client, world, name, build, role
):
    """The control for the refusals above: their data would have been accepted."""
    url, data = build(world)
    before = database_state()
    response = client_as(client, world, role).post(url, data)
    assert response.status_code == 302
    assert database_state() != before


def test_refused_milestone_edit_keeps_the_milestone(client, world):
    url, data = milestone_edit_post(world)
    client_as(client, world, "official").post(url, data)
    milestone = Milestone.objects.get(pk=world["milestone"].pk)
    assert milestone.title == "First joint workshop"
    assert milestone.history.count() == world["milestone"].history.count()
