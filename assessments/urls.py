from django.urls import path, register_converter

from assessments import views
from reporting.periods import Period


class PeriodConverter:
    """A reporting period in a URL: "2025" for the year, "2025-q2" for a quarter."""

    regex = r"[0-9]{4}(?:-q[1-4])?"

    def to_python(self, value):
        """A ValueError (year 0000) makes the URL not match: 404."""
        period = Period.from_slug(value)
        period.start  # noqa: B018  (raises ValueError for a year no calendar has)
        return period

    def to_url(self, period):
        return period.slug


register_converter(PeriodConverter, "period")

app_name = "assessments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path(
        "<slug:slug>/<period:period>/chapters/<int:number>/",
        views.chapter_assessments,
        name="chapter",
    ),
    path("<period:period>/actions/<int:pk>/", views.action_assessments, name="action"),
    path("joint/<int:pk>/agree/", views.agree, name="agree"),
]
