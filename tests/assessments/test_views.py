"""The assessment pages: a side's rows saved at once, the joint value proposed and agreed."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, JointAssessment
from partners.models import Side
from tests.assessments.conftest import Q2_2025
from tests.factories import AssessmentFactory
from tests.roles import signed_in


def chapter_url(action, period=Q2_2025):
    return reverse(
        "assessments:chapter", args=[action.chapter.plan.slug, period, action.chapter.number]
    )


def action_url(action, period=Q2_2025):
    return reverse("assessments:action", args=[period, action.pk])


def sheet_post(client, action, side, rows):
    """POST the chapter's formset for `side`, with `rows` {action number: (completion,
    timeliness)}; other rows are left as the page showed them."""
    page = client.get(chapter_url(action), {"side": side})
    formset = page.context["formset"]
    data = {"side": side}
    for key, value in formset.management_form.initial.items():
        data[f"rows-{key}"] = value
    for index, (row, form) in enumerate(page.context["lines"]):
        initial = form.initial
        completion, timeliness = rows.get(
            row.action.number, (initial["completion"], initial["timeliness"])
        )
        data |= {
            f"rows-{index}-action": initial["action"],
            f"rows-{index}-seen": initial["seen"],
            f"rows-{index}-completion": completion,
            f"rows-{index}-timeliness": timeliness,
            f"rows-{index}-comment": initial["comment"],
        }
    return client.post(chapter_url(action), data)


def test_embassy_staff_assess_a_chapters_actions_in_one_post(client, people, action):
    signed_in(client, people["embassy_mx"])
    response = sheet_post(
        client, action, Side.MX, {"5.1": ("complete", "on_time"), "5.2": ("limited", "behind")}
    )
    assert response.status_code == 302
    given = dict(
        Assessment.objects.filter(side=Side.MX).values_list("action__number", "timeliness")
    )
    assert given == {"5.1": "on_time", "5.2": "behind"}


def test_a_row_with_completion_but_no_timeliness_saves_nothing(client, people, action):
    signed_in(client, people["embassy_dk"])
    response = sheet_post(
        client, action, Side.DK, {"5.1": ("complete", ""), "5.2": ("limited", "behind")}
    )
    assert response.status_code == 400
    assert "Give both the completion and the timeliness." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_post_for_the_other_side_is_refused(client, people, action):
    signed_in(client, people["embassy_dk"])
    page = client.get(chapter_url(action))
    data = {"side": Side.MX, "rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"}
    assert page.context["side"] == Side.DK
    assert client.post(chapter_url(action), data).status_code == 403
    assert not Assessment.objects.exists()


def test_a_side_assessed_meanwhile_by_a_colleague_is_not_overwritten(client, people, action):
    signed_in(client, people["embassy_dk"])
    page = client.get(chapter_url(action))
    AssessmentFactory(
        action=action, side=Side.DK, completion="complete", assessed_by=people["admin_dk"]
    )
    data = {
        "side": Side.DK,
        "rows-TOTAL_FORMS": "0",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for index, (_row, form) in enumerate(page.context["lines"]):
        data |= {f"rows-{index}-{k}": v for k, v in form.initial.items()}
        data |= {f"rows-{index}-completion": "limited", f"rows-{index}-timeliness": "on_time"}
    data["rows-TOTAL_FORMS"] = str(len(page.context["lines"]))
    response = client.post(chapter_url(action), data)
    assert response.status_code == 409
    assert list(Assessment.objects.values_list("completion", flat=True)) == ["complete"]


def test_the_page_shows_both_sides_and_flags_a_difference(client, people, action):
    AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])
    AssessmentFactory(
        action=action, side=Side.MX, completion="complete", assessed_by=people["embassy_mx"]
    )
    signed_in(client, people["official"])
    response = client.get(chapter_url(action))
    assert response.context["formset"] is None
    assert "The sides differ" in response.content.decode()


def test_the_chapter_page_has_a_query_budget(client, people, action, django_assert_max_num_queries):
    for other in action.chapter.actions.all():
        AssessmentFactory(action=other, side=Side.DK, assessed_by=people["embassy_dk"])
        AssessmentFactory(action=other, side=Side.MX, assessed_by=people["embassy_mx"])
    signed_in(client, people["embassy_dk"])
    with django_assert_max_num_queries(12):
        assert client.get(chapter_url(action)).status_code == 200


def test_the_overview_has_a_query_budget(client, people, django_assert_max_num_queries):
    signed_in(client, people["official"])
    with django_assert_max_num_queries(11):
        response = client.get(reverse("assessments:overview"), {"year": "2025", "quarter": "2"})
    assert response.status_code == 200


def test_an_unstarted_period_is_not_found(client, people, action):
    signed_in(client, people["official"])
    assert client.get(chapter_url(action, period=Q2_2025.__class__(2027, 4))).status_code == 404


def both_assessed(action, people):
    AssessmentFactory(action=action, side=Side.DK, assessed_by=people["embassy_dk"])
    AssessmentFactory(
        action=action, side=Side.MX, completion="complete", assessed_by=people["embassy_mx"]
    )


def joint_post(client, action, side, version=""):
    return client.post(
        action_url(action),
        {
            "side": side,
            "completion": "substantial",
            "timeliness": "on_time",
            "comment": "",
            "version": version,
        },
    )


def test_administrators_of_both_sides_make_the_joint_assessment(client, people, action):
    both_assessed(action, people)
    signed_in(client, people["admin_dk"])
    assert joint_post(client, action, Side.DK).status_code == 302
    joint = JointAssessment.objects.get()
    assert not joint.is_agreed
    signed_in(client, people["admin_mx"])
    url = reverse("assessments:agree", args=[joint.pk])
    assert client.post(url, {"side": Side.MX, "version": joint.version}).status_code == 302
    assert JointAssessment.objects.get().is_agreed


@pytest.mark.parametrize("name", ["embassy_dk", "liaison_cofepris", "official"])
def test_who_is_not_a_plan_administrator_cannot_propose(client, people, action, name):
    both_assessed(action, people)
    signed_in(client, people[name])
    assert joint_post(client, action, Side.DK).status_code == 403
    assert not JointAssessment.objects.exists()


def test_an_administrator_cannot_propose_for_the_other_side(client, people, action):
    both_assessed(action, people)
    signed_in(client, people["admin_dk"])
    response = joint_post(client, action, Side.MX)
    assert response.status_code == 400
    assert not JointAssessment.objects.exists()


@pytest.mark.parametrize("name", ["admin_dk", "embassy_mx", "liaison_cofepris", "official"])
def test_nobody_but_the_other_sides_administrator_agrees(client, people, action, name):
    both_assessed(action, people)
    signed_in(client, people["admin_dk"])
    joint_post(client, action, Side.DK)
    joint = JointAssessment.objects.get()
    signed_in(client, people[name])
    url = reverse("assessments:agree", args=[joint.pk])
    assert client.post(url, {"side": Side.MX, "version": joint.version}).status_code == 403
    assert not JointAssessment.objects.get().is_agreed


def test_the_action_page_has_a_query_budget(client, people, action, django_assert_max_num_queries):
    both_assessed(action, people)
    signed_in(client, people["admin_dk"])
    joint_post(client, action, Side.DK)
    with django_assert_max_num_queries(9):
        assert client.get(action_url(action)).status_code == 200


def test_a_post_whose_rows_do_not_match_the_chapter_saves_nothing(client, people, action):
    signed_in(client, people["embassy_dk"])
    data = {"side": Side.DK, "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0"}
    data |= {"rows-0-action": str(action.pk), "rows-0-completion": "limited"}
    response = client.post(chapter_url(action), data)
    assert response.status_code == 400
    assert "did not match the chapter" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_post_without_its_management_form_saves_nothing(client, people, action):
    signed_in(client, people["embassy_dk"])
    response = client.post(chapter_url(action), {"side": Side.DK})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("period", ["0000", "2019", "2019-q4"])
def test_a_period_outside_the_plan_is_not_found(client, people, action, period):
    signed_in(client, people["official"])
    url = f"/assessments/{action.chapter.plan.slug}/{period}/chapters/{action.chapter.number}/"
    assert client.get(url).status_code == 404
