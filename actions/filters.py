"""The action list's filters: combinable, kept in the URL, so a filtered view can be shared."""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Milestone, Responsibility, Status
from partners.models import Institution, Side
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal

SORTS = {
    "number": ["chapter__plan_id", "chapter__number", "position"],
    "-number": ["-chapter__plan_id", "-chapter__number", "-position"],
    "title": ["short_title", "pk"],
    "-title": ["-short_title", "-pk"],
    "status": ["status", "chapter__number", "position"],
    "-status": ["-status", "chapter__number", "position"],
    "progress": ["progress", "chapter__number", "position"],
    "-progress": ["-progress", "chapter__number", "position"],
    "target": ["target_date", "chapter__number", "position"],
    "-target": ["-target_date", "chapter__number", "position"],
}
SORT_CHOICES = [
    ("number", _("Number")),
    ("-number", _("Number, descending")),
    ("title", _("Title")),
    ("-title", _("Title, descending")),
    ("status", _("Status")),
    ("-status", _("Status, descending")),
    ("progress", _("Progress, lowest first")),
    ("-progress", _("Progress, highest first")),
    ("target", _("Target date")),
    ("-target", _("Target date, latest first")),
]


def search_actions(queryset, text):
    """Full-text search on PostgreSQL; a plain substring match elsewhere. Numbers match too."""
    text = text.strip()
    if not text:
        return queryset
    by_number = Q(number=text) | Q(number__startswith=f"{text}.")
    if connection.vendor == "postgresql":
        vector = SearchVector("short_title", weight="A", config="english") + SearchVector(
            "text", weight="B", config="english"
        )
        query = SearchQuery(text, search_type="websearch", config="english")
        return queryset.annotate(search=vector).filter(by_number | Q(search=query))
    return queryset.filter(by_number | Q(short_title__icontains=text) | Q(text__icontains=text))


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"), field_name="chapter__plan", queryset=Plan.objects.all()
    )
    chapter = django_filters.ModelChoiceFilter(
        label=_("Chapter"),
        queryset=Chapter.objects.filter(actions__isnull=False)
        .distinct()
        .order_by("plan", "number"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Responsible institution"),
        queryset=Institution.objects.order_by("name"),
        method="filter_responsibility",
    )
    side = django_filters.ChoiceFilter(
        label=_("Side"), choices=Side.choices, method="filter_responsibility"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Responsibility.Role.choices, method="filter_responsibility"
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), field_name="sdgs", queryset=SustainableDevelopmentGoal.objects.all()
    )
    overdue = django_filters.BooleanFilter(
        label=_("Has overdue milestones"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Action
        fields = []

    def filter_search(self, queryset, name, value):
        return search_actions(queryset, value)

    def filter_responsibility(self, queryset, name, value):
        """Institution, side and role apply to one and the same responsibility."""
        return queryset  # applied together in filter_queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Milestone.objects.filter(
            action=OuterRef("pk"), done_on__isnull=True, due_date__lt=timezone.localdate()
        )
        return queryset.filter(Exists(overdue)) if value else queryset.exclude(Exists(overdue))

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        responsibility = {
            key: data[name]
            for name, key in (("institution", "institution"), ("side", "side"), ("role", "role"))
            if data.get(name)
        }
        if responsibility:
            matching = Responsibility.objects.filter(action=OuterRef("pk"), **responsibility)
            queryset = queryset.filter(Exists(matching))
        return queryset.order_by(*SORTS.get(data.get("sort") or "number", SORTS["number"]))
