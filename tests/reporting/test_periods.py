from datetime import date

import pytest

from reporting.periods import Period, last_complete_quarter


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
        (Period(2025, 2), date(2025, 4, 1), date(2025, 6, 30)),
        (Period(2024, 4), date(2024, 10, 1), date(2024, 12, 31)),
        (Period(2024), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_periods_are_calendar_quarters_and_years(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_the_period_before_the_first_quarter_is_the_last_quarter_of_the_year_before():
    assert Period(2025, 1).previous() == Period(2024, 4)
    assert Period(2025).previous() == Period(2024)


def test_a_running_period_is_reported_as_of_today():
    assert Period(2026, 4).as_of_date(today=date(2026, 11, 24)) == date(2026, 11, 24)
    assert Period(2025, 2).as_of_date(today=date(2026, 11, 24)) == date(2025, 6, 30)


def test_the_last_complete_quarter_five_days_after_a_quarter_ends():
    assert last_complete_quarter(date(2026, 1, 5)) == Period(2025, 4)
    assert last_complete_quarter(date(2026, 7, 5)) == Period(2026, 2)


def test_period_labels_and_file_name_parts():
    assert (Period(2025, 2).label, Period(2025, 2).slug) == ("Q2 2025", "2025-q2")
    assert (Period(2024).label, Period(2024).slug) == ("2024", "2024")
