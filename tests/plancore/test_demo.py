from base64 import b32decode
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Prefetch
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review
from partners.models import Membership
from plancore.permissions import liaisons_by_institution, side_deciders, staff_sides
from plancore.seeding.demo import DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, load_demo

SIGNING = datetime(2023, 8, 9, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    """The plan with what `load_demo` adds to it, written for this module (rolled back with the
    plan). `load_demo` runs once per test run: see `demo_snapshot` in tests/conftest.py."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def demo(demo_plan, demo_snapshot, db, settings):
    """The demo plan, with the demo reports' files in this test's media folder."""
    demo_snapshot.copy_media(settings.MEDIA_ROOT)
    return demo_plan


@pytest.mark.parametrize(
    ("username", "role", "institution"),
    [
        ("admin", "administrator", "mfa-dk"),
        ("embassy-dk", "embassy_staff", "embassy-dk-mx"),
        ("embassy-mx", "embassy_staff", "embassy-mx-dk"),
        ("liaison-semarnat", "liaison", "semarnat"),
        ("liaison-cofepris", "liaison", "cofepris"),
        ("liaison-dma", "liaison", "dkma"),
        ("official", "official", "mfa-dk"),
    ],
)
def test_demo_users_sign_in_with_the_role_their_name_says(demo, username, role, institution):
    user = authenticate(
        RequestFactory().post("/accounts/login/"), username=username, password=DEMO_PASSWORD
    )
    assert user is not None
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.institution.code) == (role, institution)


def test_only_the_demo_admin_reaches_the_admin_site(demo):
    staff = set(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"admin"}


@pytest.mark.parametrize(
    "username",
    ["embassy-dk", "embassy-mx", "liaison-semarnat", "liaison-cofepris", "liaison-dma", "official"],
)
def test_demo_users_other_than_admin_sign_in_with_the_password_alone(demo, client, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_demo_admin_signs_in_with_the_password_and_a_code_from_the_demo_key(demo, client):
    response = client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert client.get(response.url).url.startswith(reverse("accounts:second_step"))
    code = f"{TOTP(b32decode(DEMO_ADMIN_TOTP_SECRET)).token():06d}"

    client.post(reverse("accounts:second_step"), {"code": code})

    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_only_the_demo_admin_has_an_authenticator_and_loading_again_keeps_it(demo):
    devices = list(TOTPDevice.objects.values_list("user__username", "key", "confirmed"))
    assert devices == [("admin", b32decode(DEMO_ADMIN_TOTP_SECRET).hex(), True)]
    load_demo(demo, settings.PLAN_FIXTURES_DIR / "demo")
    assert list(TOTPDevice.objects.values_list("user__username", "key", "confirmed")) == devices


def test_demo_history_spans_from_the_signing_to_today(demo):
    dates = ProgressUpdate.objects.values_list("submitted_at", flat=True)
    assert min(dates) > SIGNING
    assert max(dates) <= timezone.now()
    assert max(dates) > timezone.now() - timezone.timedelta(days=60)
    assert min(dates) < datetime(2024, 3, 1, tzinfo=UTC)


def test_demo_has_every_kind_of_activity(demo):
    states = set(ProgressUpdate.objects.values_list("review_state", flat=True))
    assert states - {"superseded"} == {"submitted", "approved", "returned"}
    today = timezone.localdate()
    assert Milestone.objects.filter(done_on__isnull=False).exists()
    assert Milestone.objects.filter(done_on__isnull=True, due_date__lt=today).exists()
    assert Milestone.objects.filter(due_date__gt=today).exists()
    assert Action.objects.exclude(status="not_started").count() == 35
    assert len(set(Action.objects.values_list("status", flat=True))) >= 4


def test_nothing_is_done_before_it_existed(demo):
    today = timezone.localdate()
    for milestone in Milestone.objects.all():
        created = milestone.history.earliest("history_date").history_date
        assert created >= SIGNING
        assert milestone.start_date >= created.date()
        if milestone.done_on:
            assert milestone.start_date <= milestone.done_on <= today
            done_row = milestone.history.filter(done_on__isnull=False).earliest("history_date")
            assert done_row.history_date.date() >= milestone.done_on


def test_nothing_is_reviewed_before_it_was_submitted(demo):
    now = timezone.now()
    for review in Review.objects.select_related("update"):
        assert review.update.submitted_at <= review.decided_at <= now


def test_review_states_agree_with_the_reviews(demo):
    for update in ProgressUpdate.objects.prefetch_related("reviews"):
        decisions = {(r.side, r.decision) for r in update.reviews.all()}
        if any(d == "returned" for _, d in decisions):
            # returned, unless a newer update on its action was approved since (superseded)
            assert update.review_state in ("returned", "superseded")
            assert all(r.comment for r in update.reviews.all() if r.decision == "returned")
        elif decisions == {("DK", "approved"), ("MX", "approved")}:
            assert update.review_state == "approved"
        else:
            assert update.review_state in ("submitted", "superseded")


def test_no_update_waits_for_review_once_a_newer_one_on_its_action_was_approved(demo):
    for action in Action.objects.prefetch_related("updates"):
        approved = [u.submitted_at for u in action.updates.all() if u.review_state == "approved"]
        for update in action.updates.all():
            if approved and update.review_state == "submitted":
                assert update.submitted_at > max(approved), action.number


def test_every_status_change_has_an_author(demo):
    HistoricalAction = Action.history.model
    changes = HistoricalAction.objects.exclude(history_date=SIGNING)
    assert changes.count() >= 35 * 3
    assert not changes.filter(history_user__isnull=True).exists()
    assert (
        not Milestone.history.exclude(history_date=SIGNING)
        .filter(history_user__isnull=True)
        .exists()
    )


def test_each_action_now_stands_as_its_latest_update_says(demo):
    for action in Action.objects.all():
        latest = action.updates.order_by("-submitted_at").first()
        assert (action.status, action.progress) == (latest.status, latest.progress)
        assert action.version == action.history.count()


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (ProgressUpdate.objects.count(), Review.objects.count(), Milestone.objects.count())
    message = load_demo(demo, settings.PLAN_FIXTURES_DIR / "demo")
    assert "nothing changed" in message
    assert counts == (
        ProgressUpdate.objects.count(),
        Review.objects.count(),
        Milestone.objects.count(),
    )


def test_every_demo_review_was_taken_by_someone_the_rules_allow(demo):
    """Never the author; a liaison of the side where it has one, else that side's staff."""
    liaisons = liaisons_by_institution()
    updates = ProgressUpdate.objects.prefetch_related(
        "reviews__reviewer__memberships__institution__country",
        Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
    )
    for update in updates:
        for review in update.reviews.all():
            assert review.reviewer_id != update.author_id
            deciders = side_deciders(update, review.side, liaisons)
            if deciders:
                assert review.reviewer_id in deciders, (update.action.number, review.side)
            else:
                assert review.side in staff_sides(review.reviewer), (
                    update.action.number,
                    review.side,
                )


def test_the_demo_has_reports_released_by_both_sides_and_a_draft(demo):
    from reporting.models import Report

    reports = Report.objects.filter(plan=demo)
    assert reports.count() == 4
    assert all(r.state == "ready" and r.pages > 5 for r in reports)
    released = [r for r in reports if r.is_released]
    assert {(r.kind, r.language) for r in released} == {
        ("annual", "en"),
        ("annual", "es"),
        ("quarterly", "en"),
    }
    assert all(r.released_dk_by.username == "embassy-dk" for r in released)


def test_every_superseded_update_has_a_newer_jointly_approved_one_on_its_action(demo):
    superseded = ProgressUpdate.objects.filter(review_state="superseded")
    assert superseded.exists()
    for update in superseded:
        assert ProgressUpdate.objects.filter(
            action=update.action_id, review_state="approved", submitted_at__gt=update.submitted_at
        ).exists()
