"""Each side's state on a progress update, by name: who decided, or whom it waits for."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.decisions import with_side_states
from actions.models import ProgressUpdate, Review, Status
from actions.selectors import updates_for_review
from partners.models import Side
from tests.roles import action_in, make_demo_user

APPROVED = Review.Decision.APPROVED
RETURNED = Review.Decision.RETURNED


def text_of(response):
    content = re.sub(r'<span class="visually-hidden">.*?</span>', "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def browser(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(plan):
    return {
        "cofepris": make_demo_user("liaison_cofepris", first_name="Rosa", last_name="Vega"),
        "semarnat": make_demo_user("liaison_semarnat", first_name="Diego", last_name="Ramírez"),
        "embassy_dk": make_demo_user("embassy_dk", first_name="Mikkel", last_name="Sørensen"),
        "embassy_mx": make_demo_user("embassy_mx", first_name="Lucía", last_name="Hernández"),
        "admin_dk": make_demo_user("administrator", first_name="Astrid", last_name="Holm"),
    }


def submit(plan, number, author):
    return services.submit_update(
        action=action_in(plan, number),
        author=author,
        status=Status.ON_TRACK,
        progress=20,
        narrative="Progress to report.",
    )


def states(update):
    """{side: state} of the update, read as the pages read it."""
    if update.review_state == "submitted":
        update = updates_for_review().get(pk=update.pk)
    [update] = with_side_states([update])
    return {state.side: state for state in update.side_states}


def test_a_waiting_side_names_the_liaisons_who_may_decide(plan, people):
    # 5.2: COFEPRIS (a liaison) on the Mexican side; DKMA (no liaison here) on the Danish side.
    update = submit(plan, "5.2", people["embassy_dk"])
    mexico = states(update)[Side.MX]
    assert mexico.waiting_for == ["Rosa Vega"]
    assert mexico.via == "liaisons" and not mexico.falls_to_administrators


def test_a_side_without_a_liaison_waits_for_its_embassy_staff(plan, people):
    update = submit(plan, "5.2", people["cofepris"])
    denmark = states(update)[Side.DK]
    assert denmark.waiting_for == ["Mikkel Sørensen"]
    assert denmark.via == "embassy staff"


def test_where_only_the_author_could_decide_it_falls_to_the_sides_administrators(plan, people):
    update = submit(plan, "5.2", people["embassy_dk"])
    denmark = states(update)[Side.DK]
    assert denmark.falls_to_administrators
    assert denmark.waiting_for == ["Astrid Holm"]
    page = text_of(browser(people["embassy_dk"]).get(reverse("actions:my_updates")))
    assert (
        "Nobody but the author could decide for Denmark, so it falls to the plan "
        "administrators of Denmark: Astrid Holm." in page
    )


def test_decided_sides_name_who_decided_when_and_the_comment(plan, people):
    update = submit(plan, "5.2", people["embassy_dk"])
    services.review_update(
        update=update, reviewer=people["cofepris"], side=Side.MX, decision=RETURNED, comment="Why?"
    )
    update = ProgressUpdate.objects.prefetch_related("reviews__reviewer").get(pk=update.pk)
    update.action = action_in(plan, "5.2")
    mexico = states(update)[Side.MX]
    assert mexico.returned and mexico.reviewer_name == "Rosa Vega"
    detail = text_of(
        browser(people["embassy_dk"]).get(reverse("actions:detail", args=[update.action_id]))
    )
    assert "Mexico: Returned by Rosa Vega: “Why?”" in detail
    assert "Denmark: No decision: the other side returned the update." in detail


def test_the_review_queue_says_for_which_side_you_decide_and_why(plan, people):
    submit(plan, "6.6", people["embassy_dk"])
    queue = text_of(browser(people["semarnat"]).get(reverse("actions:review_queue")))
    assert "You decide for Mexico as liaison of SEMARNAT, lead on 6.6." in queue
    staff = text_of(browser(people["embassy_dk"]).get(reverse("actions:review_queue")))
    assert "6.6" not in staff  # the author decides on nothing of their own


def test_embassy_staff_are_told_they_decide_because_no_liaison_can(plan, people):
    submit(plan, "5.2", people["cofepris"])
    queue = text_of(browser(people["embassy_dk"]).get(reverse("actions:review_queue")))
    assert "You decide for Denmark as embassy staff" in queue
    assert "Waiting for: Mikkel Sørensen" in queue


def test_side_states_for_many_updates_cost_one_query(plan, people, django_assert_num_queries):
    for number in ["5.2", "6.6", "3.1", "4.1"]:
        submit(plan, number, people["embassy_dk"])
    updates = list(updates_for_review())
    with django_assert_num_queries(1):
        with_side_states(updates)
    assert all(len(u.side_states) == 2 for u in updates)
