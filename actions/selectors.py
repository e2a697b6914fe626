"""Reads for the action pages, each in a number of queries that does not grow with the data."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.db.models import CharField, Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from actions import figures
from actions.filters import ActionFilter
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review, Status
from partners.models import Institution, Side, display_name
from plancore.addresses import reverse
from plancore.formats import percent
from plancore.languages import content_language, fallback_mark, reading_order, shown_language_of


def overdue_count():
    """Subquery: how many of the action's milestones are past due and not done."""
    return _overdue_count(timezone.localdate())


def lead_name(side):
    """Subquery: the short name of the action's lead institution on `side` (as
    Institution.short_name: the acronym, else the name in the reader's content language, else
    in English)."""
    return _lead_name(side, content_language())


# Both expressions are built once per day or language and reused: a queryset that uses one
# resolves a copy of it, so the kept one never changes.


@lru_cache(maxsize=4)
def _overdue_count(today):
    overdue = (
        Milestone.objects.filter(action=OuterRef("pk"), done_on__isnull=True, due_date__lt=today)
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(overdue, output_field=IntegerField()), 0)


@lru_cache(maxsize=8)
def _lead_name(side, language):
    lead = (
        Responsibility.objects.filter(
            action=OuterRef("pk"), side=side, role=Responsibility.Role.LEAD
        )
        .order_by()  # one lead per side (a constraint): no ordering to join for
        .values(
            name=Coalesce(
                NullIf("institution__acronym", Value("")),
                NullIf(f"institution__name_{language}", Value("")),
                "institution__name_en",
                output_field=CharField(),
            )
        )
    )
    return Subquery(lead[:1], output_field=CharField())


def actions_for_list(queryset=None):
    """A table's rows: each action with its leads on both sides and its overdue milestones
    counted by the database, in one query per page; the text and the search vector (large, and
    no table shows them) stay in the database."""
    queryset = Action.objects.all() if queryset is None else queryset
    return queryset.defer("text", "search_vector").annotate(
        dk_lead=lead_name(Side.DK),
        mx_lead=lead_name(Side.MX),
        overdue_milestones=overdue_count(),
    )


def table_rows(actions):
    """An action table's rows (templates/actions/includes/action_table.html) as plain values,
    from a page of actions read by `actions_for_list`: the template then reads each cell at
    once, with no tag per row, and no model instance is built. The title is the one shown in the
    reader's language (or the one it falls back to, marked as such)."""
    # What is the same for every row is looked up once: the reader's languages, the marks of a
    # title in another, the labels.
    order = reading_order()
    titles = {code: f"short_title_{code}" for code in order}
    marks = {code: fallback_mark(code) for code in order}
    status_labels = {status.value: str(status.label) for status in Status}
    percents = {}
    rows = []
    values = actions.values(
        "pk",
        "number",
        *titles.values(),
        "dk_lead",
        "mx_lead",
        "status",
        "progress",
        "overdue_milestones",
    )
    for action in values:
        shown = shown_language_of(lambda code, action=action: action[titles[code]], order)
        progress = action["progress"]
        if progress not in percents:
            percents[progress] = percent(progress)
        rows.append(
            {
                "pk": action["pk"],
                "number": action["number"],
                "url": reverse("actions:detail", args=[action["pk"]]),
                "title": action[titles[shown]],
                "title_language": shown,
                "title_mark": marks[shown],
                "dk_lead": action["dk_lead"] or "",
                "mx_lead": action["mx_lead"] or "",
                "status": action["status"],
                "status_label": status_labels.get(action["status"], action["status"]),
                "progress": percents[progress],
                "overdue": action["overdue_milestones"],
            }
        )
    return rows


def unfiltered_count(filterset):
    """How many actions the action list shows when nothing filters them (sorting aside): the
    count of every action, kept with the plan figures; None when something filters them, or
    a filter was not understood, and the paginator counts them."""
    if not filterset.is_valid() or any(
        value not in (None, "", [])
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    ):
        return None
    return figures.cached("action-count", None, timezone.localdate(), Action.objects.count)


def filter_fields(params, filterset):
    """The filter form's fields drawn (label, errors and widget each), in the form's order.

    A field that `params` (a QueryDict) leave blank, absent or sent empty as the form sends
    every field, is drawn the same for every reader: those drawings are kept with the plan
    figures, which every change to the lists they offer drops. Only the fields given a value,
    or refused, are drawn for the request: a search by word and status draws those two, not
    the selects of every chapter, institution and goal."""
    blank = figures.cached("blank-filter-fields", None, timezone.localdate(), _blank_fields)
    form = filterset.form
    drawn = []
    for name in form.fields:
        kept = None
        if not any(params.getlist(name)) and name not in form.errors:
            kept = blank.get(name)
        drawn.append(mark_safe(kept) if kept is not None else form[name].as_field_group())
    return drawn


def _blank_fields():
    """{name: html}: each field of the filter form drawn with no value."""
    form = ActionFilter(QueryDict()).form
    return {name: str(form[name].as_field_group()) for name in form.fields}


def filtered_actions(params, queryset=None):
    """The action list's filters applied to `params` (a QueryDict): the filter set and the
    actions it shows, in its order. The list page, its CSV and its spreadsheet share it."""
    filterset = ActionFilter(params, queryset=actions_for_list(queryset))
    return filterset, filterset.qs


def action_for_detail(pk):
    """One action with everything its page shows (raises Action.DoesNotExist). The people
    named on it come without their password hashes, which the page never reads and which
    actions.action_page would otherwise keep in the cache."""
    return (
        Action.objects.for_list()
        .defer("search_vector")
        .prefetch_related(
            "agreements",
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("responsible__country", "translated_by")
                .defer("translated_by__password")
                .order_by("due_date", "pk"),
            ),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author", "translated_by")
                .defer("author__password", "translated_by__password")
                .prefetch_related(
                    Prefetch(
                        "reviews",
                        queryset=Review.objects.for_updates()
                        .select_related("reviewer")
                        .defer("reviewer__password"),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def responsibilities_by_side(action):
    """[(Side, [Responsibility])] for the sides with any: the lead first, then by name."""
    sides = {Side.DK: [], Side.MX: [], Side.MULTILATERAL: []}
    for responsibility in action.responsibilities.all():
        sides[responsibility.side].append(responsibility)
    for rows in sides.values():
        rows.sort(key=lambda r: (r.role != Responsibility.Role.LEAD, r.institution.name))
    return [(Side(side), rows) for side, rows in sides.items() if rows]


def updates_for_review():
    """Submitted updates with what the review predicates read."""
    return (
        ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)
        .select_related("action__chapter__plan", "author")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.for_updates().select_related("reviewer")),
            Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
        )
        .order_by("submitted_at", "pk")
    )


def updates_by(author):
    """The author's updates, newest first, with what their sides' states and "revise" read."""
    return (
        ProgressUpdate.objects.filter(author=author)
        .select_related("action")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.for_updates().select_related("reviewer")),
            Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
        )
        .order_by("-submitted_at", "-pk")
    )


# The history timeline -------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Event:
    when: datetime
    who: str
    subject: str
    verb: str
    changes: list = field(default_factory=list)
    reason: str = ""


TRACKED = {
    Action: ["status", "progress", "short_title", "text", "start_date", "target_date"],
    Milestone: ["title", "start_date", "due_date", "done_on", "responsible"],
    Responsibility: ["institution", "side", "role"],
    ProgressUpdate: ["review_state"],
}


def _display(model, name, value, institutions):
    if value in (None, ""):
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        institution = institutions.get(value)
        return institution.short_name if institution else str(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    if name == "progress":
        return percent(value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def action_timeline(action):
    """Every recorded change to the action and what hangs from it, newest first, field by field.

    Five queries whatever the length of the history: one per history table and one for names.
    """
    sources = [
        (Action, Action.history.filter(id=action.pk)),
        (Milestone, Milestone.history.filter(action_id=action.pk)),
        (Responsibility, Responsibility.history.filter(action_id=action.pk)),
        (ProgressUpdate, ProgressUpdate.history.filter(action_id=action.pk)),
    ]
    rows = []
    for model, history in sources:
        fields = TRACKED[model]
        attnames = [model._meta.get_field(f).attname for f in fields]
        for row in history.select_related("history_user").order_by("history_date", "history_id"):
            rows.append((model, fields, attnames, row))
    institution_ids = {
        getattr(row, "responsible_id", None) or getattr(row, "institution_id", None)
        for _m, _f, _a, row in rows
    }
    institutions = Institution.objects.in_bulk([i for i in institution_ids if i])

    previous, events = {}, []
    for model, fields, attnames, row in rows:
        key = (model, row.id)
        before = previous.get(key)
        subject = _subject(model, row, action, institutions)
        if row.history_type == "+" or before is None:
            verb = _("created") if row.history_type == "+" else _("changed")
            changes = []
        elif row.history_type == "-":
            verb, changes = _("removed"), []
        else:
            verb = _("changed")
            changes = [
                Change(
                    str(model._meta.get_field(name).verbose_name),
                    _display(model, name, getattr(before, attname), institutions),
                    _display(model, name, getattr(row, attname), institutions),
                )
                for name, attname in zip(fields, attnames, strict=True)
                if getattr(before, attname) != getattr(row, attname)
            ]
            if not changes:
                previous[key] = row
                continue
        previous[key] = row
        events.append(
            Event(
                when=row.history_date,
                who=display_name(row.history_user),
                subject=subject,
                verb=verb,
                changes=changes,
                reason=row.history_change_reason or "",
            )
        )
    events.sort(key=lambda e: e.when, reverse=True)
    return events


def _subject(model, row, action, institutions):
    if model is Action:
        return _("Action %(number)s") % {"number": action.number}
    if model is Milestone:
        return _("Milestone “%(title)s”") % {"title": row.title}
    if model is Responsibility:
        institution = institutions.get(row.institution_id)
        name = institution.short_name if institution else "?"
        return _("Responsibility of %(institution)s") % {"institution": name}
    when = date_format(timezone.localtime(row.submitted_at).date(), "SHORT_DATE_FORMAT")
    return _("Progress update of %(date)s") % {"date": when}
