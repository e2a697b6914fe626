"""A progress update reviewed by both sides through the pages, as the people of each side do it."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import ProgressUpdate, Review, Status
from partners.models import Side
from plancore import permissions
from tests.roles import action_in, database_state, make_demo_user

APPROVED = Review.Decision.APPROVED
RETURNED = Review.Decision.RETURNED


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    content = re.sub(r'<span class="visually-hidden">.*?</span>', "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def review_url(update):
    return reverse("actions:review", args=[update.pk])


def decide(client, update, side, decision=APPROVED, comment=""):
    return client.post(review_url(update), {"side": side, "decision": decision, "comment": comment})


def submit(action, author, narrative="Progress to report."):
    return services.submit_update(
        action=action, author=author, status=Status.ON_TRACK, progress=20, narrative=narrative
    )


@pytest.fixture
def people(plan):
    return {
        "author": make_demo_user("liaison_cofepris", first_name="Mariana", last_name="Torres"),
        "cofepris": make_demo_user("liaison_cofepris", first_name="Rosa", last_name="Vega"),
        "dkma": make_demo_user("liaison_dkma", first_name="Sofie", last_name="Kjær"),
        "embassy_dk": make_demo_user("embassy_dk"),
        "embassy_mx": make_demo_user("embassy_mx"),
        "official": make_demo_user("official"),
    }


@pytest.fixture
def posted(people, plan):
    """The COFEPRIS liaison's update on 5.2, posted through the status form."""
    action = action_in(plan, "5.2")
    response = browser(people["author"]).post(
        reverse("actions:update", args=[action.pk]),
        {
            "status": Status.ON_TRACK,
            "progress": "25",
            "narrative": "COFEPRIS and DKMA agreed a work plan on inspections.",
            "version": "1",
        },
    )
    assert response.status_code == 302
    return ProgressUpdate.objects.get(action=action)


def action_page(client, update):
    return text_of(client.get(reverse("actions:detail", args=[update.action_id])))


def test_both_sides_approve_and_the_update_is_jointly_approved(people, posted):
    author = browser(people["author"])
    assert "Waiting for review" in action_page(author, posted)

    dkma = browser(people["dkma"])
    form = dkma.get(review_url(posted))
    assert form.status_code == 200
    assert list(form.context["form"].fields["side"].choices) == [(Side.DK, "Denmark")]
    response = decide(dkma, posted, Side.DK)
    assert response.status_code == 302
    assert response.url == reverse("actions:review_queue")
    posted.refresh_from_db()
    assert posted.review_state == ProgressUpdate.ReviewState.SUBMITTED
    page = action_page(author, posted)
    assert "Waiting for review" in page
    assert "Denmark: Approved by Sofie Kjær" in page

    response = decide(browser(people["cofepris"]), posted, Side.MX)
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.review_state == ProgressUpdate.ReviewState.APPROVED
    assert "Jointly approved" in action_page(author, posted)
    mine = text_of(author.get(reverse("actions:my_updates")))
    assert "Jointly approved" in mine
    assert "Denmark: Approved" in mine and "Mexico: Approved" in mine


def test_reviews_name_the_reviewer_in_history(people, posted):
    decide(browser(people["dkma"]), posted, Side.DK)
    review = Review.objects.get(update=posted)
    assert review.reviewer == people["dkma"]
    assert review.history.get().history_user == people["dkma"]


def test_returning_without_a_comment_is_refused_and_saves_nothing(people, posted):
    before = database_state()
    response = decide(browser(people["dkma"]), posted, Side.DK, RETURNED, comment="   ")
    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == ["Say why the update is returned."]
    assert "Say why the update is returned." in response.content.decode()
    assert database_state() == before


def test_returned_update_shows_the_comment_to_the_author(people, posted):
    comment = "Please attach the signed work plan."
    response = decide(browser(people["cofepris"]), posted, Side.MX, RETURNED, comment=comment)
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.review_state == ProgressUpdate.ReviewState.RETURNED

    author = browser(people["author"])
    mine = text_of(author.get(reverse("actions:my_updates")))
    assert "Returned" in mine
    assert f"Mexico: Returned by Rosa Vega: “{comment}”" in mine
    page = action_page(author, posted)
    assert "Returned" in page and comment in page
    # Once returned, the other side has nothing left to decide.
    assert browser(people["dkma"]).get(review_url(posted)).status_code == 403


def test_a_side_decides_only_once(people, posted):
    decide(browser(people["dkma"]), posted, Side.DK)
    before = database_state()
    again = browser(people["dkma"])
    assert again.get(review_url(posted)).status_code == 403
    assert decide(again, posted, Side.DK, RETURNED, comment="Changed my mind.").status_code == 403
    assert database_state() == before


def test_embassy_staff_may_not_review_a_side_that_has_a_liaison(people, posted):
    for name in ("embassy_dk", "embassy_mx"):
        assert browser(people[name]).get(review_url(posted)).status_code == 403


def test_on_an_action_without_liaisons_the_embassies_review(people, plan):
    administrator = make_demo_user("administrator")
    action = action_in(plan, "3.1")
    update = submit(action, administrator, "The foreign ministers met in Copenhagen.")

    embassy_dk = browser(people["embassy_dk"])
    assert embassy_dk.get(review_url(update)).context["form"].fields["side"].choices == [
        (Side.DK, "Denmark")
    ]
    assert decide(embassy_dk, update, Side.DK).status_code == 302
    assert decide(browser(people["embassy_mx"]), update, Side.MX).status_code == 302

    update.refresh_from_db()
    assert update.review_state == ProgressUpdate.ReviewState.APPROVED
    assert set(update.reviews.values_list("side", "reviewer")) == {
        (Side.DK, people["embassy_dk"].pk),
        (Side.MX, people["embassy_mx"].pk),
    }


def test_official_cannot_review_and_has_an_empty_queue(people, posted, plan):
    submit(action_in(plan, "3.1"), people["embassy_dk"])
    official = browser(people["official"])
    before = database_state()
    assert official.get(review_url(posted)).status_code == 403
    assert decide(official, posted, Side.DK).status_code == 403
    assert database_state() == before
    response = official.get(reverse("actions:review_queue"))
    assert response.status_code == 200
    assert response.context["updates"] == []
    assert "Nothing waits for your review." in response.content.decode()


def test_each_review_queue_lists_exactly_what_its_reader_may_decide(people, plan):
    semarnat = make_demo_user("liaison_semarnat")
    author = make_demo_user("administrator")
    on_5_2 = submit(action_in(plan, "5.2"), author)
    dk_decided = submit(action_in(plan, "5.2"), author)
    Review.objects.create(update=dk_decided, side=Side.DK, reviewer=author, decision=APPROVED)
    on_3_1 = submit(action_in(plan, "3.1"), author)
    on_6_6 = submit(action_in(plan, "6.6"), author)
    approved = submit(action_in(plan, "5.2"), author)
    ProgressUpdate.objects.filter(pk=approved.pk).update(
        review_state=ProgressUpdate.ReviewState.APPROVED
    )

    expected = {
        "dkma": {on_5_2},
        "cofepris": {on_5_2, dk_decided},
        # 3.1 has no liaison on either side; on 6.6 MFA (DK) has none, SEMARNAT (MX) has one.
        "embassy_dk": {on_3_1, on_6_6},
        "embassy_mx": {on_3_1},
        "semarnat": {on_6_6},
        "official": set(),
    }
    readers = people | {"semarnat": semarnat}
    every_update = list(ProgressUpdate.objects.all())
    for name, updates in expected.items():
        response = browser(readers[name]).get(reverse("actions:review_queue"))
        assert response.status_code == 200
        listed = {update.pk for update in response.context["updates"]}
        assert listed == {u.pk for u in updates}, name
        for update in updates:
            assert review_url(update) in response.content.decode()
        may_decide = {
            u.pk
            for u in every_update
            if permissions.review_sides(readers[name], _with_action(u, plan))
        }
        assert listed == may_decide, name


def _with_action(update, plan):
    update.action = action_in(plan, update.action.number)
    return update
