"""Each chapter's mean progress quarter by quarter is read from the history: a change dated in a
past quarter shows in that quarter's point and after, not before."""

from datetime import UTC, date, datetime

from actions import services as action_services
from actions.models import Action, Status
from actions.progress_history import chapter_progress_by_quarter, quarters
from plancore.charts import progress_over_time_chart
from reporting.content import build_content
from reporting.periods import Period
from tests.factories import UserFactory

IN_Q3_2024 = datetime(2024, 8, 1, 9, tzinfo=UTC)


def labels(points):
    return [point.label for point in points]


def chapter_six(plan):
    return plan.chapters.get(number=6)


def series_of_chapter_six(plan, until=date(2025, 3, 31)):
    chapter = chapter_six(plan)
    points, series = chapter_progress_by_quarter(plan=plan, until=until, chapter_ids=[chapter.pk])
    return dict(zip(labels(points), series[chapter.pk], strict=True))


def move_6_6_in_q3_2024(progress=95):
    action_services.update_action_status(
        action=Action.objects.get(number="6.6"),
        user=UserFactory(),
        status=Status.ON_TRACK,
        progress=progress,
        expected_version=1,
        at=IN_Q3_2024,
    )


def test_the_quarters_run_from_the_plans_start_to_the_last_day_asked_for():
    points = quarters(date(2023, 8, 9), date(2024, 2, 10))
    assert labels(points) == ["Q3 2023", "Q4 2023", "Q1 2024"]
    assert [point.end for point in points] == [
        date(2023, 9, 30),
        date(2023, 12, 31),
        date(2024, 2, 10),
    ]


def test_a_change_dated_in_a_past_quarter_shows_in_that_quarters_point(plan):
    before = series_of_chapter_six(plan)
    actions_in_chapter = Action.objects.filter(chapter=chapter_six(plan)).count()
    old_progress = Action.objects.get(number="6.6").progress

    move_6_6_in_q3_2024()
    after = series_of_chapter_six(plan)

    assert after["Q2 2024"] == before["Q2 2024"]
    rise = (95 - old_progress) / actions_in_chapter
    assert abs(after["Q3 2024"] - (before["Q3 2024"] + rise)) <= 1
    assert after["Q1 2025"] > before["Q1 2025"]


def test_the_reports_chapter_chart_draws_the_change_in_its_quarter(plan):
    move_6_6_in_q3_2024(progress=95)
    chapter = next(
        block
        for block in build_content(plan=plan, kind="annual", period=Period(2024))["chapters"]
        if block.number == 6
    )
    expected = series_of_chapter_six(plan, until=date(2024, 12, 31))["Q3 2024"]
    assert f"Q3 2024 {expected}%" in str(chapter.chart)


def test_a_chart_of_no_history_says_so():
    chart = progress_over_time_chart([], points=[], title="Progress", id_prefix="empty")
    assert "No actions" in chart
