"""The action list's filters: combinable, kept in the URL, so a filtered view can be shared."""

import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import figures
from actions.models import Action, Milestone, Responsibility, Status
from actions.search import search_actions
from partners.models import Institution, Side
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal
from plancore.widgets import QuickSelect

SORTS = {
    "number": ["plan_order"],
    "-number": ["-plan_order"],
    "title": ["short_title", "pk"],
    "-title": ["-short_title", "-pk"],
    "status": ["status", "plan_order"],
    "-status": ["-status", "plan_order"],
    "progress": ["progress", "plan_order"],
    "-progress": ["-progress", "plan_order"],
    "target": ["target_date", "plan_order"],
    "-target": ["-target_date", "plan_order"],
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


# Each list is of (pk, label) pairs, labelled as the model names itself (its __str__).


def plan_choices():
    return [(pk, str(Plan(title=title))) for pk, title in Plan.objects.values_list("pk", "title")]


def chapter_choices(chapters=None):
    """Chapters that have actions (of `chapters`, default all), plan by plan."""
    with_actions = (Chapter.objects.all() if chapters is None else chapters).with_actions()
    return [
        (pk, str(Chapter(number=number, title=title)))
        for pk, number, title in with_actions.order_by("plan", "number").values_list(
            "pk", "number", "title"
        )
    ]


def institution_choices(institutions=None):
    """The institutions (of `institutions`, default all) by name."""
    institutions = Institution.objects.all() if institutions is None else institutions
    return [
        (pk, str(Institution(name=name, acronym=acronym)))
        for pk, name, acronym in institutions.order_by("name").values_list("pk", "name", "acronym")
    ]


def sdg_choices():
    return [
        (pk, str(SustainableDevelopmentGoal(number=number, name=name)))
        for pk, number, name in SustainableDevelopmentGoal.objects.order_by("number").values_list(
            "pk", "number", "name"
        )
    ]


def kept_choices(name):
    """The list of `name` (plan, chapter, institution or sdg), kept with the plan figures
    (dropped by every write that can change it) and read from them when a form needs it."""
    lists = figures.cached(
        "filter-choices",
        None,
        timezone.localdate(),
        lambda: {list_name: choices() for list_name, choices in CHOICES.items()},
    )
    return lists[name]


CHOICES = {
    "plan": plan_choices,
    "chapter": chapter_choices,
    "institution": institution_choices,
    "sdg": sdg_choices,
}


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # Plans, chapters, institutions and SDGs are offered by primary key; their lists are kept
    # with the plan figures and read when a form checks or draws a choice (see get_form_class),
    # as plain pairs rather than model choice fields, whose querysets are copied for every form
    # and read through a server-side cursor.
    plan = django_filters.ChoiceFilter(
        label=_("Plan"), field_name="chapter__plan", widget=QuickSelect
    )
    chapter = django_filters.ChoiceFilter(label=_("Chapter"), widget=QuickSelect)
    # One status per action: no join, so no DISTINCT (which would sort every column).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes"}),
        distinct=False,
    )
    institution = django_filters.ChoiceFilter(
        label=_("Responsible institution"), method="filter_responsibility", widget=QuickSelect
    )
    side = django_filters.ChoiceFilter(
        label=_("Side"), choices=Side.choices, method="filter_responsibility", widget=QuickSelect
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=Responsibility.Role.choices,
        method="filter_responsibility",
        widget=QuickSelect,
    )
    sdg = django_filters.ChoiceFilter(label=_("SDG"), field_name="sdgs", widget=QuickSelect)
    overdue = django_filters.BooleanFilter(
        label=_("Has overdue milestones"),
        method="filter_overdue",
        widget=QuickSelect(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        widget=QuickSelect,
    )

    class Meta:
        model = Action
        fields = []

    def get_form_class(self):
        """The form class, built once: its fields are the same for every request, and read
        their choices through `kept_choices` when they need them."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            for name in CHOICES:
                self.filters[name].extra["choices"] = functools.partial(kept_choices, name)
            cls._form_class = super().get_form_class()
        return cls._form_class

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
