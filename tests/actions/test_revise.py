"""Revise and resubmit: the author of a returned update corrects it; both sides decide again."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import ProgressUpdate, Review, Status
from partners.models import Side
from plancore import permissions
from tests.roles import action_in, database_state, make_demo_user

APPROVED = Review.Decision.APPROVED
RETURNED = Review.Decision.RETURNED
State = ProgressUpdate.ReviewState
COMMENT = "Please attach the signed work plan."


def browser(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(plan):
    return {
        "author": make_demo_user("liaison_cofepris", first_name="Mariana", last_name="Torres"),
        "cofepris": make_demo_user("liaison_cofepris", first_name="Rosa", last_name="Vega"),
        "dkma": make_demo_user("liaison_dkma", first_name="Sofie", last_name="Kjær"),
        "embassy_mx": make_demo_user("embassy_mx"),
        "official": make_demo_user("official"),
    }


@pytest.fixture
def returned(people, plan):
    """The COFEPRIS liaison's update on 5.2, approved by Denmark and returned by Mexico."""
    action = action_in(plan, "5.2")
    action, update = services.report_progress(
        action=action,
        user=people["author"],
        status=Status.ON_TRACK,
        progress=25,
        narrative="A work plan on inspections was agreed.",
        expected_version=action.version,
    )
    services.review_update(update=update, reviewer=people["dkma"], side=Side.DK, decision=APPROVED)
    services.review_update(
        update=update, reviewer=people["cofepris"], side=Side.MX, decision=RETURNED, comment=COMMENT
    )
    update.refresh_from_db()
    return update


def resubmit(update, author, **changes):
    update.action.refresh_from_db()
    values = {
        "status": Status.ON_TRACK,
        "progress": 30,
        "narrative": "The signed work plan is attached.",
        "evidence_url": "https://example.org/work-plan.pdf",
        "expected_version": update.action.version,
    } | changes
    return services.resubmit_update(update=update, author=author, **values)


def revise_url(update):
    return reverse("actions:revise", args=[update.pk])


def form_data(update, **changes):
    update.action.refresh_from_db()
    return {
        "status": Status.AT_RISK,
        "progress": "30",
        "narrative": "The signed work plan is attached.",
        "evidence_url": "",
        "version": str(update.action.version),
    } | changes


# The service


def test_resubmitting_raises_the_revision_and_sends_the_update_for_review_again(people, returned):
    before = timezone.now()
    _action, update = resubmit(returned, people["author"])
    update.refresh_from_db()
    assert update.revision == 2
    assert update.review_state == State.SUBMITTED
    assert update.submitted_at >= before
    assert update.narrative == "The signed work plan is attached."
    assert update.evidence_url == "https://example.org/work-plan.pdf"


def test_resubmitting_starts_both_sides_decisions_again(people, returned):
    resubmit(returned, people["author"])
    returned.refresh_from_db()
    assert not returned.reviews.exists()
    returned.action = action_in(returned.action.chapter.plan, "5.2")
    assert permissions.review_sides(people["dkma"], returned) == {Side.DK}
    assert permissions.review_sides(people["cofepris"], returned) == {Side.MX}


def test_history_keeps_every_version_and_the_earlier_decisions(people, returned):
    resubmit(returned, people["author"])
    versions = returned.history.order_by("history_date", "history_id")
    narratives = [row.narrative for row in versions]
    assert narratives[0] == "A work plan on inspections was agreed."
    assert narratives[-1] == "The signed work plan is attached."
    assert [row.revision for row in versions][-1] == 2
    assert versions.last().history_user == people["author"]
    removed = Review.history.filter(update_id=returned.pk, history_type="-")
    assert {row.side for row in removed} == {Side.DK, Side.MX}
    assert all(row.history_user == people["author"] for row in removed)


def test_resubmitting_sets_the_action_as_the_status_form_does(people, returned):
    action, _update = resubmit(returned, people["author"], status=Status.AT_RISK, progress=35)
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.AT_RISK, 35)
    assert action.history.first().history_user == people["author"]


def test_the_revised_update_can_be_approved_by_both_sides(people, returned):
    resubmit(returned, people["author"])
    later = timezone.now() + timedelta(seconds=1)
    for reviewer, side in [(people["dkma"], Side.DK), (people["cofepris"], Side.MX)]:
        services.review_update(
            update=returned, reviewer=reviewer, side=side, decision=APPROVED, at=later
        )
    returned.refresh_from_db()
    assert returned.review_state == State.APPROVED


def test_only_the_author_may_resubmit_and_a_refusal_changes_nothing(people, returned):
    before = database_state()
    with pytest.raises(ValidationError, match="Only the author"):
        resubmit(returned, people["cofepris"])
    assert database_state() == before


def test_an_update_that_was_not_returned_cannot_be_resubmitted(people, returned):
    ProgressUpdate.objects.filter(pk=returned.pk).update(review_state=State.SUBMITTED)
    before = database_state()
    with pytest.raises(ValidationError, match="Only a returned update"):
        resubmit(returned, people["author"])
    assert database_state() == before


def test_an_invalid_revision_changes_nothing(people, returned):
    before = database_state()
    with pytest.raises(ValidationError):
        resubmit(returned, people["author"], evidence_url="not a link")
    assert database_state() == before


def test_a_stale_action_version_changes_nothing(people, returned):
    before = database_state()
    with pytest.raises(services.EditConflict):
        resubmit(returned, people["author"], expected_version=returned.action.version - 1)
    assert database_state() == before


# The permission


def test_the_author_may_revise_a_returned_update(people, returned):
    returned.action = action_in(returned.action.chapter.plan, "5.2")
    assert permissions.can_revise_update(people["author"], returned)


@pytest.mark.parametrize("who", ["cofepris", "dkma", "embassy_mx", "official"])
def test_nobody_but_the_author_may_revise(people, returned, who):
    returned.action = action_in(returned.action.chapter.plan, "5.2")
    assert not permissions.can_revise_update(people[who], returned)


def test_the_author_may_not_revise_an_update_waiting_for_review(people, returned):
    returned.review_state = State.SUBMITTED
    returned.action = action_in(returned.action.chapter.plan, "5.2")
    assert not permissions.can_revise_update(people["author"], returned)


# The pages


def test_the_revise_form_starts_from_the_update_and_shows_why_it_was_returned(people, returned):
    response = browser(people["author"]).get(revise_url(returned))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["narrative"] == "A work plan on inspections was agreed."
    assert form.initial["progress"] == 25
    assert COMMENT in response.content.decode()


def test_the_author_revises_and_resubmits_through_the_form(people, returned):
    response = browser(people["author"]).post(revise_url(returned), form_data(returned))
    assert response.status_code == 302
    assert response.url == reverse("actions:detail", args=[returned.action_id])
    returned.refresh_from_db()
    assert (returned.review_state, returned.revision, returned.status) == (
        State.SUBMITTED,
        2,
        Status.AT_RISK,
    )


def test_a_new_evidence_file_replaces_the_old_one(people, returned):
    data = form_data(returned)
    data["evidence_file"] = SimpleUploadedFile(
        "work-plan.pdf", b"%PDF-1.4 signed", content_type="application/pdf"
    )
    response = browser(people["author"]).post(revise_url(returned), data)
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.evidence_file.name.endswith(".pdf")


def test_a_disguised_evidence_file_is_refused_and_nothing_changes(people, returned):
    data = form_data(returned)
    data["evidence_file"] = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")
    before = database_state()
    response = browser(people["author"]).post(revise_url(returned), data)
    assert response.status_code == 400
    assert "evidence_file" in response.context["form"].errors
    assert database_state() == before


def test_bad_input_is_refused_with_a_message_and_changes_nothing(people, returned):
    before = database_state()
    response = browser(people["author"]).post(
        revise_url(returned), form_data(returned, narrative="  ", progress="150")
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert database_state() == before


def test_a_stale_form_says_the_action_changed_and_saves_nothing(people, returned):
    data = form_data(returned, version=str(returned.action.version - 1))
    before = database_state()
    response = browser(people["author"]).post(revise_url(returned), data)
    assert response.status_code == 409
    assert "Someone else changed action 5.2" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("who", ["cofepris", "embassy_mx", "official"])
def test_others_may_not_open_or_post_the_revise_form(people, returned, who):
    client = browser(people[who])
    assert client.get(revise_url(returned)).status_code == 403
    before = database_state()
    assert client.post(revise_url(returned), form_data(returned)).status_code == 403
    assert database_state() == before


def test_the_action_page_and_my_updates_offer_revise_to_the_author_only(people, returned):
    link = revise_url(returned)
    detail = reverse("actions:detail", args=[returned.action_id])
    assert link in browser(people["author"]).get(detail).content.decode()
    assert link in browser(people["author"]).get(reverse("actions:my_updates")).content.decode()
    assert link not in browser(people["cofepris"]).get(detail).content.decode()
