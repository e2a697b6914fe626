"""The action pages in the browser: list and filters, CSV, status updates, milestones, evidence."""

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Status
from partners.models import Institution
from plancore.models import Chapter, SustainableDevelopmentGoal
from tests.factories import MilestoneFactory
from tests.roles import action_in, database_state, make_demo_user

NOT_STARTED = Status.NOT_STARTED


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def embassy_dk(plan):
    return make_demo_user("embassy_dk", first_name="Mikkel", last_name="Sørensen")


@pytest.fixture
def embassy_mx(plan):
    return make_demo_user("embassy_mx", first_name="Lucía", last_name="Hernández")


@pytest.fixture
def member(client, plan):
    client.force_login(make_demo_user("official"))
    return client


@pytest.fixture
def editor(client, embassy_dk):
    client.force_login(embassy_dk)
    return client


def listed(response):
    """The numbers of every action the filtered list holds (all pages)."""
    assert response.status_code == 200
    return [action.number for action in response.context["page"].paginator.object_list]


def get_list(client, **params):
    return client.get(reverse("actions:list"), params)


def text_of(response):
    """The page's text as a reader sees it (screen-reader-only words left out)."""
    content = response.content.decode()
    content = re.sub(r'<span class="visually-hidden">.*?</span>', "", content)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def hrefs(response):
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', response.content.decode())]


def plan_actions(plan):
    return Action.objects.in_plan(plan)


# The list's filters


def test_list_shows_every_action_of_the_plan(member, plan):
    assert sorted(listed(get_list(member))) == sorted(
        plan_actions(plan).values_list("number", flat=True)
    )


def test_status_filter_takes_several_statuses(member, plan):
    plan_actions(plan).filter(number="5.2").update(status=Status.ON_TRACK)
    plan_actions(plan).filter(number="6.6").update(status=Status.DELAYED)
    plan_actions(plan).filter(number="3.1").update(status=Status.AT_RISK)

    response = get_list(member, status=[Status.ON_TRACK, Status.DELAYED])

    assert sorted(listed(response)) == ["5.2", "6.6"]


def test_chapter_filter(member, plan):
    chapter = Chapter.objects.get(plan=plan, number=5)
    numbers = listed(get_list(member, chapter=chapter.pk))
    assert numbers == list(chapter.actions.order_by("position").values_list("number", flat=True))
    assert numbers and all(n.startswith("5.") for n in numbers)


def test_institution_filter_lists_the_actions_it_is_responsible_for(member, plan):
    cofepris = Institution.objects.get(code="cofepris")
    expected = set(
        plan_actions(plan)
        .filter(responsibilities__institution=cofepris)
        .values_list("number", flat=True)
    )
    numbers = listed(get_list(member, institution=cofepris.pk))
    assert "5.2" in numbers
    assert set(numbers) == expected


def test_institution_side_and_role_apply_to_the_same_responsibility(member, plan):
    cofepris = Institution.objects.get(code="cofepris")
    mfa = Institution.objects.get(code="mfa-dk")
    # COFEPRIS is Mexican: no action has it on the Danish side, though many have a DK lead.
    assert listed(get_list(member, institution=cofepris.pk, side="DK")) == []
    assert "5.2" in listed(get_list(member, institution=cofepris.pk, side="MX", role="lead"))

    as_partner = set(listed(get_list(member, institution=mfa.pk, role="partner")))
    expected = set(
        plan_actions(plan)
        .filter(responsibilities__institution=mfa, responsibilities__role="partner")
        .values_list("number", flat=True)
    )
    assert as_partner == expected
    assert "3.1" not in as_partner  # MFA leads 3.1; it is not a partner there


def test_side_and_role_without_institution(member, plan):
    expected = set(
        plan_actions(plan)
        .filter(
            responsibilities__side="multilateral",
            responsibilities__role=Responsibility.Role.PARTNER,
        )
        .values_list("number", flat=True)
    )
    assert set(listed(get_list(member, side="multilateral", role="partner"))) == expected


def test_sdg_filter(member, plan):
    health = SustainableDevelopmentGoal.objects.get(number=3)
    numbers = listed(get_list(member, sdg=health.pk))
    assert "5.2" in numbers
    assert set(numbers) == set(
        plan_actions(plan).filter(sdgs=health).values_list("number", flat=True)
    )


def test_overdue_filter_true_and_false(member, plan):
    today = timezone.localdate()
    late = action_in(plan, "6.6")
    MilestoneFactory(
        action=late, start_date=today - timedelta(days=60), due_date=today - timedelta(days=1)
    )
    MilestoneFactory(
        action=action_in(plan, "5.2"),
        start_date=today - timedelta(days=60),
        due_date=today - timedelta(days=1),
        done_on=today - timedelta(days=2),
    )

    assert listed(get_list(member, overdue="true")) == ["6.6"]
    not_overdue = listed(get_list(member, overdue="false"))
    assert "6.6" not in not_overdue
    assert "5.2" in not_overdue
    assert len(not_overdue) == plan_actions(plan).count() - 1


def test_search_by_number(member, plan):
    assert listed(get_list(member, q="6.6")) == ["6.6"]


def test_search_by_chapter_number_lists_the_chapter(member, plan):
    chapter = Chapter.objects.get(plan=plan, number=5)
    numbers = listed(get_list(member, q="5"))
    assert set(chapter.actions.values_list("number", flat=True)) <= set(numbers)


@pytest.mark.parametrize(("word", "number"), [("COFEPRIS", "5.2"), ("swine", "7.2")])
def test_search_by_a_word_of_the_text(member, plan, word, number):
    numbers = listed(get_list(member, q=word))
    assert number in numbers
    for action in plan_actions(plan).filter(number__in=numbers):
        assert word.lower() in (action.short_title + " " + action.text).lower()


def test_filters_combine(member, plan):
    plan_actions(plan).filter(number="5.2").update(status=Status.ON_TRACK)
    chapter = Chapter.objects.get(plan=plan, number=5)
    response = get_list(member, chapter=chapter.pk, status=Status.NOT_STARTED)
    numbers = listed(response)
    assert "5.2" not in numbers
    assert numbers and all(n.startswith("5.") for n in numbers)


def test_sort_by_progress_highest_first(member, plan):
    plan_actions(plan).filter(number="6.6").update(status=Status.ON_TRACK, progress=90)
    plan_actions(plan).filter(number="5.2").update(status=Status.ON_TRACK, progress=60)
    plan_actions(plan).filter(number="3.1").update(status=Status.ON_TRACK, progress=30)
    numbers = listed(get_list(member, sort="-progress"))
    assert numbers[:3] == ["6.6", "5.2", "3.1"]


def test_pagination_and_csv_links_keep_the_filters(member, plan):
    response = get_list(member, status=NOT_STARTED, sort="-number")
    assert response.context["page"].paginator.num_pages == 2
    links = hrefs(response)
    assert "?status=not_started&sort=-number&page=2" in links
    csv_link = reverse("actions:export_csv") + "?status=not_started&sort=-number"
    assert csv_link in links

    second = member.get(reverse("actions:list") + "?status=not_started&sort=-number&page=2")
    assert second.context["page"].number == 2
    assert "?status=not_started&sort=-number&page=1" in hrefs(second)
    # The CSV link of a later page exports all the filtered actions, not just that page.
    assert csv_link in hrefs(second)


@pytest.mark.parametrize(
    "query",
    [
        "chapter=abc",
        "status=bogus",
        "sort=zzz",
        "overdue=maybe",
        "sdg=x",
        "institution=0",
        "plan=-1",
    ],
)
def test_invalid_filter_value_is_ignored(member, plan, query):
    response = member.get(reverse("actions:list") + "?" + query)
    assert response.status_code == 200
    assert len(listed(response)) == plan_actions(plan).count()


def test_invalid_value_does_not_drop_the_valid_filters(member, plan):
    chapter = Chapter.objects.get(plan=plan, number=5)
    response = member.get(reverse("actions:list") + f"?chapter={chapter.pk}&status=bogus&sort=zzz")
    assert response.status_code == 200
    assert listed(response) == list(
        chapter.actions.order_by("position").values_list("number", flat=True)
    )


def test_page_beyond_the_end_shows_the_last_page(member, plan):
    response = get_list(member, page=999)
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_invalid_page_shows_the_first_page(member, plan):
    response = get_list(member, page="abc")
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_unknown_sort_keeps_the_plan_order(member, plan):
    numbers = listed(get_list(member, sort="zzz"))
    assert numbers == listed(get_list(member))


# CSV export


def read_csv(response):
    assert response.status_code == 200
    assert response.streaming, "the export is streamed, not built whole in memory"
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_a_header_and_one_row_per_action(member, plan):
    rows = read_csv(member.get(reverse("actions:export_csv")))
    assert rows[0][:5] == ["Number", "Short title", "Chapter", "Status", "Progress (%)"]
    assert len(rows) == 1 + plan_actions(plan).count()
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["5.2"][7:9] == ["DKMA", "COFEPRIS"]


def test_csv_reads_the_actions_in_batches_with_three_queries_each(
    member, plan, monkeypatch, django_assert_max_num_queries
):
    from actions import exports

    monkeypatch.setattr(exports, "BATCH", 10)
    whole = read_csv(member.get(reverse("actions:export_csv")))
    total = plan_actions(plan).count()
    batches = -(-total // 10)
    response = member.get(reverse("actions:export_csv"))
    with django_assert_max_num_queries(3 * batches + 1):
        streamed = read_csv(response)
    assert streamed == whole and len(streamed) == 1 + total
    assert [row[0] for row in streamed[1:]] == list(
        plan_actions(plan).order_by("chapter__number", "position").values_list("number", flat=True)
    )


def test_csv_exports_only_the_filtered_actions(member, plan):
    chapter = Chapter.objects.get(plan=plan, number=5)
    rows = read_csv(member.get(reverse("actions:export_csv"), {"chapter": chapter.pk}))
    assert [row[0] for row in rows[1:]] == list(
        chapter.actions.order_by("position").values_list("number", flat=True)
    )


def test_csv_is_utf8_with_non_ascii_text(member, plan):
    plan_actions(plan).filter(number="5.2").update(short_title="Diálogo con COFEPRIS – salud")
    rows = read_csv(member.get(reverse("actions:export_csv"), {"q": "5.2"}))
    assert rows[1][1] == "Diálogo con COFEPRIS – salud"


def test_csv_cell_that_starts_like_a_formula_is_defused(member, plan):
    plan_actions(plan).filter(number="5.2").update(short_title='=HYPERLINK("http://x")')
    plan_actions(plan).filter(number="6.6").update(short_title="+1 partnership")
    rows = read_csv(member.get(reverse("actions:export_csv")))
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["5.2"][1] == '\'=HYPERLINK("http://x")'
    assert by_number["6.6"][1] == "'+1 partnership"


# Updating an action's status


def update_url(action):
    return reverse("actions:update", args=[action.pk])


def hidden_version(response):
    match = re.search(
        r'<input type="hidden" name="version" value="(\d+)"', response.content.decode()
    )
    assert match, "the form carries the version it was opened at"
    return int(match.group(1))


def status_post(version, **changes):
    return {
        "status": Status.ON_TRACK,
        "progress": "30",
        "narrative": "The first joint workshop took place in Copenhagen.",
        "version": str(version),
    } | changes


def test_update_form_carries_the_version(editor, plan):
    response = editor.get(update_url(action_in(plan, "5.2")))
    assert response.status_code == 200
    assert hidden_version(response) == 1


def test_valid_update_changes_the_action_and_waits_for_review(editor, embassy_dk, plan):
    action = action_in(plan, "5.2")
    response = editor.post(update_url(action), status_post(1))

    assert response.status_code == 302
    assert response.url == reverse("actions:detail", args=[action.pk])
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == (Status.ON_TRACK, 30, 2)
    update = ProgressUpdate.objects.get(action=action)
    assert update.author == embassy_dk
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED
    assert update.narrative == "The first joint workshop took place in Copenhagen."
    assert action.history.latest("history_date").history_user == embassy_dk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"progress": "150"}, "progress", "Ensure this value is less than or equal to 100."),
        ({"progress": "-5"}, "progress", "Ensure this value is greater than or equal to 0."),
        (
            {"status": Status.COMPLETED, "progress": "40"},
            "progress",
            "A completed action is at 100% progress.",
        ),
        ({"narrative": ""}, "narrative", "This field is required."),
        ({"narrative": "   "}, "narrative", "This field is required."),
        ({"status": "finished"}, "status", "Select a valid choice."),
        ({"evidence_url": "not a link"}, "evidence_url", "Enter a valid URL."),
    ],
)
def test_invalid_update_answers_400_with_the_message_and_changes_nothing(
    editor, plan, changes, field, message
):
    action = action_in(plan, "5.2")
    before = database_state()

    response = editor.post(update_url(action), status_post(1, **changes))

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in html.unescape(response.content.decode())
    assert database_state() == before


def test_evidence_file_with_a_disallowed_extension_is_refused(editor, plan, settings):
    action = action_in(plan, "5.2")
    before = database_state()
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = editor.post(update_url(action), status_post(1, evidence_file=upload))

    assert response.status_code == 400
    assert (
        "File extension “exe” is not allowed" in response.context["form"].errors["evidence_file"][0]
    )
    assert database_state() == before
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_evidence_file_above_the_limit_is_refused(editor, plan, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    action = action_in(plan, "5.2")
    before = database_state()
    upload = SimpleUploadedFile("report.pdf", b"%PDF" + b"x" * 200, content_type="application/pdf")

    response = editor.post(update_url(action), status_post(1, evidence_file=upload))

    assert response.status_code == 400
    [error] = response.context["form"].errors["evidence_file"]
    assert error == "The file is 204\xa0bytes; the limit is 100\xa0bytes."
    assert database_state() == before


# Two editors at once


def test_second_editor_sees_a_conflict_and_loses_nothing(client, embassy_dk, embassy_mx, plan):
    action = action_in(plan, "5.2")
    first, second = client, Client()
    first.force_login(embassy_dk)
    second.force_login(embassy_mx)
    assert hidden_version(first.get(update_url(action))) == 1
    assert hidden_version(second.get(update_url(action))) == 1

    assert first.post(update_url(action), status_post(1)).status_code == 302

    mine = "Elections in Mexico delayed the second workshop."
    response = second.post(
        update_url(action), status_post(1, status=Status.DELAYED, progress="20", narrative=mine)
    )

    assert response.status_code == 409
    text = text_of(response)
    assert "Someone else changed this action" in text
    assert "Mikkel Sørensen: On track, 30%" in text
    assert mine in response.content.decode()
    assert hidden_version(response) == 2
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == (Status.ON_TRACK, 30, 2)
    assert ProgressUpdate.objects.filter(action=action).count() == 1

    retry = response.context["form"].data.dict()
    assert retry["narrative"] == mine
    assert second.post(update_url(action), retry).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == (Status.DELAYED, 20, 3)
    assert list(
        ProgressUpdate.objects.filter(action=action).values_list("author__username", flat=True)
    ) == [embassy_mx.username, embassy_dk.username]


# Milestones


def milestone_data(**changes):
    return {
        "title": "Joint inspection workshop",
        "start_date": "2024-01-01",
        "due_date": "2024-06-30",
        "responsible": str(Institution.objects.get(code="cofepris").pk),
    } | changes


def test_add_milestone(editor, embassy_dk, plan):
    action = action_in(plan, "5.2")
    response = editor.post(reverse("actions:milestone_add", args=[action.pk]), milestone_data())
    assert response.status_code == 302
    assert response.url == reverse("actions:detail", args=[action.pk]) + "#milestones"
    milestone = Milestone.objects.get(action=action)
    assert milestone.title == "Joint inspection workshop"
    assert (milestone.start_date, milestone.due_date) == (date(2024, 1, 1), date(2024, 6, 30))
    assert milestone.responsible.code == "cofepris"
    assert milestone.history.get().history_user == embassy_dk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start_date": "2023-01-01"},
            "start_date",
            "The milestone cannot start before 9 Aug 2023, when the action starts.",
        ),
        (
            {"due_date": "2028-03-01"},
            "due_date",
            "The milestone cannot be due after 31 Dec 2027, the action's target date.",
        ),
        (
            {"start_date": "2024-06-01", "due_date": "2024-05-01"},
            "due_date",
            "The due date cannot be before the start date.",
        ),
        ({"title": ""}, "title", "This field is required."),
        ({"due_date": "31/12/2024"}, "due_date", "Enter a valid date."),
    ],
)
def test_invalid_milestone_answers_400_with_the_message(editor, plan, changes, field, message):
    action = action_in(plan, "5.2")
    before = database_state()
    response = editor.post(
        reverse("actions:milestone_add", args=[action.pk]), milestone_data(**changes)
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in html.unescape(response.content.decode())
    assert database_state() == before


def test_milestone_before_a_later_action_start_is_refused(editor, plan):
    action = action_in(plan, "5.2")
    Action.objects.filter(pk=action.pk).update(start_date=date(2025, 1, 1))
    response = editor.post(reverse("actions:milestone_add", args=[action.pk]), milestone_data())
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [
        "The milestone cannot start before 1 Jan 2025, when the action starts."
    ]


def test_edit_milestone(editor, plan):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), title="Old title")
    response = editor.post(
        reverse("actions:milestone_edit", args=[milestone.pk]),
        milestone_data(title="New title", due_date="2024-09-30", version="1"),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("New title", date(2024, 9, 30))


def test_two_editors_of_one_milestone_do_not_overwrite_each_other(editor, plan):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), title="Old title")
    url = reverse("actions:milestone_edit", args=[milestone.pk])
    first = editor.post(url, milestone_data(title="First editor's title", version="1"))
    assert first.status_code == 302

    second = editor.post(url, milestone_data(title="Second editor's title", version="1"))

    assert second.status_code == 400
    assert "Someone else changed this milestone" in second.content.decode()
    assert "First editor&#x27;s title" in second.content.decode()
    assert second.context["form"]["title"].value() == "Second editor's title"
    assert second.context["form"]["version"].value() == 2
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("First editor's title", 2)

    retry = editor.post(url, milestone_data(title="Second editor's title", version="2"))
    assert retry.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Second editor's title"


def test_editing_a_milestone_needs_the_version_seen(editor, plan):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), title="Old title")
    response = editor.post(
        reverse("actions:milestone_edit", args=[milestone.pk]), milestone_data(title="New")
    )
    assert response.status_code == 400
    milestone.refresh_from_db()
    assert milestone.title == "Old title"


def test_edit_form_shows_the_milestone(editor, plan):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"), title="Old title")
    response = editor.get(reverse("actions:milestone_edit", args=[milestone.pk]))
    assert response.status_code == 200
    assert 'value="Old title"' in response.content.decode()
    assert 'value="2024-06-30"' in response.content.decode()


def done_url(milestone):
    return reverse("actions:milestone_done", args=[milestone.pk])


def test_mark_milestone_done_today(editor, embassy_dk, plan):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"))
    today = timezone.localdate()
    response = editor.post(done_url(milestone), {"done_on": today.isoformat()})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == today
    assert milestone.history.latest("history_date").history_user == embassy_dk


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        (lambda m: timezone.localdate() + timedelta(days=1), "cannot be done in the future"),
        (lambda m: m.start_date - timedelta(days=1), "cannot be done before it starts"),
    ],
)
def test_mark_done_with_an_impossible_date_is_refused(editor, plan, done_on, message):
    milestone = MilestoneFactory(action=action_in(plan, "5.2"))
    before = database_state()
    response = editor.post(done_url(milestone), {"done_on": done_on(milestone).isoformat()})
    assert response.status_code == 400
    assert message in response.context["form"].errors["done_on"][0]
    assert message in response.content.decode()
    assert database_state() == before


# Evidence


def test_uploaded_evidence_downloads_for_any_member(editor, client, plan):
    action = action_in(plan, "5.2")
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    editor.post(update_url(action), status_post(1, evidence_file=upload))
    update = ProgressUpdate.objects.get(action=action)
    assert update.evidence_file

    client.force_login(make_demo_user("official"))
    response = client.get(reverse("actions:evidence", args=[update.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "minutes" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_evidence_without_a_file_is_404(editor, plan):
    editor.post(update_url(action_in(plan, "5.2")), status_post(1))
    update = ProgressUpdate.objects.get()
    assert editor.get(reverse("actions:evidence", args=[update.pk])).status_code == 404


# The action page


def test_detail_shows_text_leads_of_both_sides_and_the_history(editor, plan):
    action = action_in(plan, "5.2")
    before = text_of(editor.get(reverse("actions:detail", args=[action.pk])))
    assert "Status: Not started → On track" not in before
    editor.post(update_url(action), status_post(1))  # the history read before is dropped

    response = editor.get(reverse("actions:detail", args=[action.pk]))

    assert response.status_code == 200
    text = text_of(response)
    assert action.text in text
    assert "Danish Medicines Agency — Lead" in text
    cofepris = Institution.objects.get(code="cofepris")
    assert f"{cofepris.name} — Lead" in text
    assert "Status: Not started → On track" in text
    assert "Mikkel Sørensen changed Action 5.2" in text
    event = next(e for e in response.context["timeline"] if e.subject == "Action 5.2")
    assert event.who == "Mikkel Sørensen"
    assert ("status", "Not started", "On track") in [(c.field, c.old, c.new) for c in event.changes]


def test_detail_offers_update_and_milestone_buttons_only_to_those_allowed(client, plan):
    action = action_in(plan, "5.2")
    url = reverse("actions:detail", args=[action.pk])
    client.force_login(make_demo_user("official"))
    content = client.get(url).content.decode()
    assert update_url(action) not in content
    assert reverse("actions:milestone_add", args=[action.pk]) not in content

    client.force_login(make_demo_user("liaison_cofepris"))
    content = client.get(url).content.decode()
    assert update_url(action) in content
    assert reverse("actions:milestone_add", args=[action.pk]) not in content


def test_kept_action_page_shows_milestone_links_only_to_those_who_manage_milestones(client, plan):
    action = action_in(plan, "5.2")
    milestone = MilestoneFactory(action=action)
    url = reverse("actions:detail", args=[action.pk])
    edit = reverse("actions:milestone_edit", args=[milestone.pk])

    client.force_login(make_demo_user("official"))
    assert edit not in client.get(url).content.decode()  # the page is now kept
    client.force_login(make_demo_user("embassy_dk"))
    assert edit in client.get(url).content.decode()
    client.force_login(make_demo_user("official"))
    assert edit not in client.get(url).content.decode()


def test_chapter_page_shows_overdue_milestones_like_the_list(member, plan):
    today = timezone.localdate()
    MilestoneFactory(
        action=action_in(plan, "5.2"),
        start_date=today - timedelta(days=30),
        due_date=today - timedelta(days=1),
    )
    listing = get_list(member, q="5.2")
    assert '<span class="overdue">1</span>' in listing.content.decode()

    chapter = member.get(reverse("chapter_detail", args=[plan.slug, 5]))
    assert '<span class="overdue">1</span>' in chapter.content.decode()


def test_a_long_chapter_is_shown_a_page_at_a_time(member, plan):
    from actions.views import PAGE_SIZE
    from tests.factories import ActionFactory

    chapter = Chapter.objects.get(plan=plan, number=6)
    existing = chapter.actions.count()
    for position in range(existing + 1, PAGE_SIZE + 6):
        ActionFactory(chapter=chapter, position=position)
    total = chapter.actions.count()

    first = member.get(reverse("chapter_detail", args=[plan.slug, 6]))
    second = member.get(reverse("chapter_detail", args=[plan.slug, 6]), {"page": 2})

    assert first.context["page"].paginator.count == total
    assert len(first.context["actions"]) == PAGE_SIZE
    assert len(second.context["actions"]) == total - PAGE_SIZE
    assert 'rel="next"' in first.content.decode()
    shown = [a["number"] for a in first.context["actions"]] + [
        a["number"] for a in second.context["actions"]
    ]
    assert shown == list(chapter.actions.order_by("position").values_list("number", flat=True))


def test_the_list_names_a_lead_without_acronym_in_the_readers_language(member, plan):
    action = action_in(plan, "5.1")
    lead = action.lead_on("DK")
    Institution.objects.filter(pk=lead.pk).update(
        acronym="", name_en="Danish Ministry of Health", name_es="Ministerio de Salud de Dinamarca"
    )
    url = reverse("actions:list") + "?q=5.1"
    assert "Danish Ministry of Health" in text_of(member.get(url))
    spanish = text_of(member.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Ministerio de Salud de Dinamarca" in spanish


def test_the_unfiltered_list_pages_by_the_kept_count_of_actions(member, plan, embassy_dk):
    from actions import plan_changes

    url = reverse("actions:list")
    assert member.get(url).context["page"].paginator.count == Action.objects.count()

    chapter = Chapter.objects.get(plan=plan, number=6)
    added = plan_changes.add_action(
        chapter=chapter,
        user=embassy_dk,
        short_title_en="A new action",
        short_title_es="Una acción nueva",
        text_en="Text.",
        text_es="Texto.",
        target_date=date(2027, 12, 31),
    )
    # The write dropped the kept figures: the next page counts the new action.
    page = member.get(url, {"sort": "-number"}).context["page"]
    assert page.paginator.count == Action.objects.count()
    assert page.paginator.known_count == Action.objects.count()
    # It lists at the end of its chapter, before the next chapter's first action.
    numbers = [a.number for a in Action.objects.all()]
    last_of_chapter = max(chapter.actions.exclude(pk=added.pk), key=lambda a: a.position)
    assert numbers.index(added.number) == numbers.index(last_of_chapter.number) + 1


def test_a_list_that_matches_many_actions_counts_only_as_far_as_it_needs(member, plan, monkeypatch):
    from actions import views

    monkeypatch.setattr(views, "COUNT_BOUND", 10)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    assert Action.objects.filter(status=NOT_STARTED).count() == 35
    response = get_list(member, status=NOT_STARTED)
    page = response.context["page"]
    # Page 1 needs to know that a second page exists: the count stops at 10.
    assert page.paginator.truncated and page.paginator.count == 10
    # At least 11 actions fill at least 3 pages.
    assert page.has_next() and page.paginator.num_pages == 3
    text = text_of(response)
    assert "More than 10 actions" in text and "Page 1 of more than 2" in text
    assert "Más de 10 acciones" in text_of(
        member.get(reverse("actions:list"), {"status": NOT_STARTED}, HTTP_ACCEPT_LANGUAGE="es")
    )
    # A later page counts further; the last page counts them all.
    page = get_list(member, status=NOT_STARTED, page=3).context["page"]
    assert page.paginator.count == 20 and page.paginator.truncated
    response = get_list(member, status=NOT_STARTED, page=9)
    page = response.context["page"]
    assert not page.paginator.truncated and page.paginator.count == 35
    assert [a["number"] for a in response.context["actions"]] == listed(response)[32:]
    assert "35 actions" in text_of(response) and "Page 9 of 9" in text_of(response)


@pytest.mark.parametrize(
    "params", [{"status": "delayed"}, {"q": "water"}, {"status": "no-such-status"}]
)
def test_a_filtered_list_counts_what_it_shows(member, plan, params):
    page = member.get(reverse("actions:list"), params).context["page"]
    assert page.paginator.known_count is None
    assert page.paginator.count == page.paginator.object_list.count()


def filter_form_of(response):
    content = response.content.decode()
    start = content.index('<form method="get" class="filters"')
    return content[start : content.index("</form>", start) + len("</form>")]


def drawn_whole(params):
    """Every field of the filter form drawn for `params`, none of them kept."""
    from django.http import QueryDict

    from actions.filters import ActionFilter

    form = ActionFilter(QueryDict(params)).form
    return [str(form[name].as_field_group()) for name in form.fields]


def kept_and_drawn(params):
    from django.http import QueryDict

    from actions import selectors

    filterset, _actions = selectors.filtered_actions(QueryDict(params))
    return [str(field) for field in selectors.filter_fields(QueryDict(params), filterset)]


AS_THE_FORM_SENDS_IT = "q=&plan=&chapter=&institution=&side=&role=&sdg=&overdue=&sort="


@pytest.mark.parametrize(
    "params",
    [
        "",
        "page=2",
        AS_THE_FORM_SENDS_IT,
        AS_THE_FORM_SENDS_IT.replace("q=&", "q=water&") + "&status=delayed&status=at_risk",
        "status=delayed&sort=-progress&side=MX",
        "chapter=not-a-chapter&overdue=maybe&status=no-such-status",
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&sort=",
        "status=&institution=",
    ],
)
def test_the_filter_form_with_its_blank_fields_kept_is_the_form_drawn_whole(plan, params):
    assert kept_and_drawn(params) == drawn_whole(params)


def test_the_blank_fields_are_kept_and_drawn_again_when_their_lists_change(member, plan):
    from actions import figures

    url = reverse("actions:list")
    first = member.get(url)
    assert [str(field) for field in first.context["filter_fields"]] == drawn_whole("")
    assert filter_form_of(member.get(url, {"page": 2})) == filter_form_of(first)

    semarnat = Institution.objects.get(code="semarnat")
    Institution.objects.filter(pk=semarnat.pk).update(name_en="Renamed Secretariat")
    assert "Renamed Secretariat" not in filter_form_of(member.get(url))  # kept
    figures.invalidate()  # as every write through the services does
    assert "Renamed Secretariat" in filter_form_of(member.get(url))
    assert "Renamed Secretariat" in filter_form_of(member.get(url, {"status": "delayed"}))


def test_a_list_with_choices_made_draws_them_in_its_filter_form(member, plan):
    response = get_list(member, status="delayed", sort="-progress")
    form = filter_form_of(response)
    assert re.search(r'<input[^>]*value="delayed"[^>]*checked', form)
    assert '<option value="-progress" selected>' in form


def test_a_chapter_opened_by_an_amendment_can_be_chosen_in_the_filters_at_once(member, plan):
    from actions import plan_changes

    get_list(member, chapter=action_in(plan, "6.6").chapter_id)  # the filter form is in use
    administrator = make_demo_user("administrator")
    chapter = plan_changes.add_chapter(
        plan=plan, user=administrator, title_en="Water", title_es="Agua", reason="Amendment 1"
    )
    plan_changes.add_action(
        chapter=chapter,
        user=administrator,
        short_title_en="Water utilities",
        short_title_es="Organismos operadores de agua",
        text_en="Exchange on water utilities.",
        text_es="Intercambio sobre organismos operadores de agua.",
        target_date=date(2027, 12, 31),
        reason="Amendment 1",
    )

    response = get_list(member, chapter=chapter.pk)
    assert response.context["filter"].errors == {}
    assert [row["number"] for row in response.context["actions"]] == [f"{chapter.number}.1"]
    assert re.search(
        rf'<option value="{chapter.pk}" selected>9\. Water</option>', filter_form_of(response)
    )


def test_the_kept_blank_fields_are_kept_for_each_language(member, plan):
    from django.utils import translation

    url = reverse("actions:list")
    english = filter_form_of(member.get(url))
    with translation.override("en"):  # the request switches to Spanish; back to English after
        spanish = filter_form_of(member.get(url, {"q": "agua"}, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Responsible institution" in english and "Institución responsable" not in english
    assert "Institución responsable" in spanish and "Responsible institution" not in spanish
    assert filter_form_of(member.get(url)) == english
