"""The action list, its milestones and its updates as XLSX, in the reader's language."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import MilestoneFactory, ProgressUpdateFactory
from tests.roles import action_in, make_demo_user, signed_in
from tests.spreadsheets.sheets import downloaded


@pytest.fixture
def member(client, plan):
    return signed_in(client, make_demo_user("official"))


def test_action_export_holds_exactly_what_the_filters_show(member, plan):
    response = member.get(
        reverse("spreadsheets:export_actions"), {"chapter": action_in(plan, "5.2").chapter_id}
    )
    sheet = downloaded(response).active

    numbers = [row[0].value for row in sheet.iter_rows(min_row=2)]

    expected = list(
        Action.objects.filter(chapter=action_in(plan, "5.2").chapter)
        .order_by("position")
        .values_list("number", flat=True)
    )
    assert numbers == expected
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_action_export_has_headers_widths_and_real_dates(member, plan):
    Action.objects.filter(pk=action_in(plan, "5.2").pk).update(start_date=date(2024, 3, 1))
    sheet = downloaded(member.get(reverse("spreadsheets:export_actions"), {"q": "5.2"})).active
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "5.2")

    assert [cell.value for cell in sheet[1]][:4] == ["Number", "Short title", "Chapter", "Status"]
    assert sheet.column_dimensions["B"].width == 50
    assert row[5].is_date and row[5].value.date() == date(2024, 3, 1)


def test_action_export_speaks_the_readers_language(client, plan):
    user = make_demo_user("official")
    signed_in(client, user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    response = client.get(reverse("spreadsheets:export_actions"))
    sheet = downloaded(response).active
    action = action_in(plan, "5.2")
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "5.2")

    assert sheet["A1"].value == "Número"
    assert row[1].value == (action.short_title_es or action.short_title_en)


def test_milestone_and_update_exports_follow_the_filters(member, plan):
    action = action_in(plan, "5.2")
    MilestoneFactory(action=action, title="Workshop", done_on=date(2024, 2, 1))
    ProgressUpdateFactory(action=action, narrative="=cmd|' /C calc'!A0")
    chapter = {"chapter": action.chapter_id}

    milestones = downloaded(member.get(reverse("spreadsheets:export_milestones"), chapter)).active
    updates = downloaded(member.get(reverse("spreadsheets:export_updates"), chapter)).active

    milestone_row = next(
        row for row in milestones.iter_rows(min_row=2) if row[1].value == "Workshop"
    )
    assert milestone_row[4].is_date
    narrative = next(row[5] for row in updates.iter_rows(min_row=2) if row[0].value == "5.2")
    assert narrative.data_type == "s"  # text, not a formula


@pytest.mark.parametrize("name", ["export_actions", "export_milestones", "export_updates"])
def test_exports_read_the_plan_in_a_few_queries(member, plan, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = member.get(reverse(f"spreadsheets:{name}"))
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["export_milestones", "export_updates"])
def test_export_queries_do_not_grow_with_the_rows(member, plan, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(member.get(reverse(f"spreadsheets:{name}")).streaming_content)
        return len(captured)

    queries()  # the session and the filter lists are read and kept by the first
    before = queries()
    for action in Action.objects.order_by("pk")[:20]:
        MilestoneFactory(action=action)
        ProgressUpdateFactory(action=action)

    assert queries() == before
