"""The amendment pages: proposing, deciding, withdrawing; what the action and plan pages show."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amendments import services
from amendments.models import Amendment
from tests.amendments.conftest import approve_both, propose_target_date, propose_text
from tests.roles import action_in, signed_in

pytestmark = pytest.mark.django_db


def target_date_form(action, /, **changes):
    return {
        "kind": "target_date",
        "action": str(action.pk),
        "reason": "The reform was postponed.",
        "target_date": "2028-06-30",
    } | changes


def test_embassy_staff_propose_a_new_target_date(client, people, action):
    response = signed_in(client, people.embassy_mx).post(
        reverse("amendments:propose"), target_date_form(action)
    )

    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert (amendment.kind, amendment.side, amendment.target_date) == (
        "target_date",
        "MX",
        date(2028, 6, 30),
    )


def test_a_proposal_without_a_reason_is_refused_on_the_form(client, people, action):
    response = signed_in(client, people.embassy_mx).post(
        reverse("amendments:propose"), target_date_form(action, reason="  ")
    )

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not Amendment.objects.exists()


def test_a_proposal_missing_what_its_kind_needs_names_the_field(client, people, action):
    response = signed_in(client, people.embassy_mx).post(
        reverse("amendments:propose"),
        target_date_form(action, kind="text", text_en="Only English."),
    )

    assert response.status_code == 400
    assert "text_es" in response.context["form"].errors
    assert not Amendment.objects.exists()


def test_a_proposal_with_an_unknown_action_is_refused_on_the_form(client, people, action):
    response = signed_in(client, people.embassy_mx).post(
        reverse("amendments:propose"), target_date_form(action, action="999999")
    )

    assert response.status_code == 400
    assert "action" in response.context["form"].errors


def test_the_proposal_form_starts_from_the_actions_wording(client, people, action):
    response = signed_in(client, people.embassy_dk).get(
        reverse("amendments:propose") + f"?action={action.pk}&kind=text"
    )

    assert response.context["form"].initial["text_es"] == action.text_es


def test_a_text_proposal_carries_no_other_kinds_content(client, people, action):
    signed_in(client, people.embassy_dk).post(
        reverse("amendments:propose"),
        target_date_form(action, kind="text", text_en="New.", text_es="Nuevo.", lead_dk=""),
    )

    amendment = Amendment.objects.get()
    assert (amendment.target_date, amendment.responsibilities.count()) == (None, 0)


def test_approvals_of_both_administrators_put_the_amendment_in_force(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)
    url = reverse("amendments:approve", args=[amendment.pk])

    signed_in(client, people.admin_dk).post(url)
    client.logout()
    signed_in(client, people.admin_mx).post(url)

    amendment.refresh_from_db()
    action.refresh_from_db()
    assert (amendment.state, action.target_date) == ("in_force", date(2028, 6, 30))


def test_an_administrator_rejects_with_a_comment(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)

    response = signed_in(client, people.admin_dk).post(
        reverse("amendments:reject", args=[amendment.pk]), {"comment": "Keep the date."}
    )

    amendment.refresh_from_db()
    assert response.status_code == 302
    assert amendment.state == "rejected"
    assert amendment.decisions.get().comment == "Keep the date."


def test_a_rejection_without_a_comment_is_refused_on_the_form(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)

    response = signed_in(client, people.admin_dk).post(
        reverse("amendments:reject", args=[amendment.pk]), {"comment": ""}
    )

    assert response.status_code == 400
    assert "comment" in response.context["rejection_form"].errors
    assert Amendment.objects.get().state == "proposed"


def test_the_proposer_withdraws_from_the_page(client, people, action):
    amendment = propose_target_date(action, people.embassy_mx, at=None)

    signed_in(client, people.embassy_mx).post(reverse("amendments:withdraw", args=[amendment.pk]))

    assert Amendment.objects.get().state == "withdrawn"


def test_the_action_page_shows_the_signed_text_beside_the_amended_one(client, people, action):
    signed = action.text_en
    approve_both(propose_text(action, people.embassy_dk), people)

    page = signed_in(client, people.official).get(reverse("actions:detail", args=[action.pk]))

    html = page.content.decode()
    assert "As signed 9 August 2023 / as amended on 17 March 2025, amendment 1." in html
    assert signed in html
    assert "Denmark and Mexico will exchange inspection reports." in html


def test_the_plan_page_lists_the_amendments_in_force(client, people, plan, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)
    propose_target_date(action_in(plan, "6.6"), people.embassy_dk)

    page = signed_in(client, people.official).get(reverse("plan_overview"))

    html = page.content.decode()
    assert "Amendment 1" in html
    assert "Amendment 2" not in html


def make_amendments(plan, people, numbers):
    for number in numbers:
        approve_both(propose_target_date(action_in(plan, number), people.embassy_mx), people)
        services.propose_amendment(
            proposer=people.embassy_dk,
            kind="retirement",
            action=action_in(plan, number),
            reason="No longer pursued.",
        )


@pytest.mark.parametrize(
    ("page", "budget"),
    [("amendments:list", 12), ("plan_overview", 19), ("actions:detail", 24)],
)
def test_amendment_pages_stay_within_their_query_budget(
    client, people, plan, page, budget, django_assert_max_num_queries
):
    make_amendments(plan, people, ["3.1", "4.1", "5.2", "6.6", "7.1"])
    args = [action_in(plan, "5.2").pk] if page == "actions:detail" else []
    signed_in(client, people.embassy_dk)

    with django_assert_max_num_queries(budget):
        response = client.get(reverse(page, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["amendments:list", "plan_overview"])
def test_amendment_pages_make_as_many_queries_for_two_amendments_as_for_ten(
    client, people, plan, page
):
    make_amendments(plan, people, ["3.1"])
    client = signed_in(client, people.embassy_dk)
    client.get(reverse(page))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(page))
    make_amendments(plan, people, ["4.1", "5.2", "6.6", "7.1"])
    client.get(reverse(page))  # the header's counts, cached per reader, are read afresh
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(page))
    assert len(many) == len(few), "\n".join(q["sql"][:300] for q in many.captured_queries)


def test_the_amendment_detail_stays_within_its_query_budget(
    client, people, plan, django_assert_max_num_queries
):
    amendment = services.propose_amendment(
        proposer=people.embassy_dk,
        kind="responsibilities",
        action=action_in(plan, "5.2"),
        reason="New partners.",
        responsibilities=[
            (action_in(plan, "5.2").responsibilities.first().institution, "lead"),
        ],
    )
    signed_in(client, people.admin_dk)

    with django_assert_max_num_queries(17):
        response = client.get(reverse("amendments:detail", args=[amendment.pk]))
    assert response.status_code == 200
