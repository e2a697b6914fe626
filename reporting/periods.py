"""Reporting periods: calendar quarters and years, and the moment a report is built "as of"."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def start(self):
        return (
            date(self.year, 3 * (self.quarter - 1) + 1, 1)
            if self.quarter
            else date(self.year, 1, 1)
        )

    @property
    def end(self):
        if not self.quarter:
            return date(self.year, 12, 31)
        next_start = (
            date(self.year + 1, 1, 1)
            if self.quarter == 4
            else date(self.year, 3 * self.quarter + 1, 1)
        )
        return next_start - timedelta(days=1)

    def previous(self):
        if self.quarter:
            return (
                Period(self.year - 1, 4)
                if self.quarter == 1
                else Period(self.year, self.quarter - 1)
            )
        return Period(self.year - 1)

    @property
    def label(self):
        if self.quarter:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}
        return str(self.year)

    @property
    def slug(self):
        return f"{self.year}-q{self.quarter}" if self.quarter else str(self.year)

    @classmethod
    def from_slug(cls, slug):
        """The Period of a slug such as "2025" or "2025-q2"."""
        year, _sep, quarter = slug.partition("-q")
        return cls(int(year), int(quarter) if quarter else None)

    def as_of_date(self, today=None):
        """The end of the period, or today while the period is still running."""
        return min(self.end, today or timezone.localdate())


def end_of_day(day):
    """The last instant of a day in the portal's time zone: history up to it counts."""
    return timezone.make_aware(datetime.combine(day, time.max))


def last_complete_quarter(today):
    quarter = (today.month - 1) // 3 + 1
    return Period(today.year, quarter).previous()
