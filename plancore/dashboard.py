"""The dashboard's selector: everything the page shows, read in a fixed number of queries."""

from datetime import timedelta

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import figures
from actions.figures import chapter_figures, milestone_figures, progress_over_time
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review, Status
from partners.models import display_name
from plancore.charts import chapter_progress_chart, progress_over_time_chart, status_bar_chart
from plancore.formats import percent
from plancore.models import Plan
from plancore.permissions import liaisons_by_institution, review_sides, reviewable_by, staff_sides

DUE_SOON_DAYS = 60
LIST_LIMIT = 10
ACTIVITY_LIMIT = 15
TRACKED_ACTION_FIELDS = ("status", "progress", "short_title", "target_date")


def dashboard_context(user):
    """The page: what everyone sees alike, kept with the plan figures (one cache read when
    nothing changed), and the updates this user may review now."""
    plan = Plan.objects.first()
    if plan is None:
        return {"plan": None}
    today = timezone.localdate()
    shared = figures.cached("dashboard", plan, today, lambda: _shared_context(plan, today))
    # The person's own section, kept like their "what needs me" (per person, dropped by every
    # write); a secretariat member's rights depend on this session's second sign-in step.
    verified = "staff" if staff_sides(user) else "member"
    reviews = figures.cached(
        f"dashboard-reviews-{user.pk}-{verified}",
        plan,
        today,
        lambda: _updates_to_review(plan, user),
    )
    return {
        "plan": plan,
        "today": today,
        **shared,
        **reviews,
    }


FRAGMENTS = ("top", "status", "bottom")


def _shared_context(plan, today):
    """Figures, charts, milestone lists and recent activity, the same for every reader, with
    the page's sections that show them drawn once (templates/plancore/dashboard/)."""
    shared = _shared_figures(plan, today)
    shared["fragments"] = {
        name: render_to_string(f"plancore/dashboard/{name}.html", shared | {"plan": plan})
        for name in FRAGMENTS
    }
    return shared


def _shared_figures(plan, today):
    status_labels = {status.value: status.label for status in Status}
    chapters = _chapter_rows(plan, status_labels, today)
    status_totals = {
        status: sum(chapter["counts"][status] for chapter in chapters) for status in status_labels
    }
    over_time = progress_over_time(plan, today)
    return {
        "chapters": chapters,
        "action_total": sum(status_totals.values()),
        "over_time": over_time,
        "over_time_chart": progress_over_time_chart(
            over_time["series"],
            points=over_time["points"],
            title=_("Mean progress of each chapter by quarter"),
            id_prefix="over-time-chart",
        ),
        "chapter_chart": chapter_progress_chart(
            chapters,
            title=_("Actions by status and mean progress, per chapter"),
            id_prefix="chapter-chart",
            labels=status_labels,
        ),
        "status_rows": [
            {"status": status, "label": label, "count": status_totals[status]}
            for status, label in status_labels.items()
        ],
        "status_labels": list(status_labels.values()),
        "status_chart": status_bar_chart(
            status_totals,
            title=_("Actions by status"),
            id_prefix="status-chart",
            labels=status_labels,
        ),
        **_milestones(plan, today),
        "waiting_count": ProgressUpdate.objects.filter(
            action__chapter__plan=plan, review_state=ProgressUpdate.ReviewState.SUBMITTED
        ).count(),
        "activity": recent_activity(plan, status_labels),
        "due_soon_days": DUE_SOON_DAYS,
    }


def _chapter_rows(plan, status_labels, today):
    """Chapters that have actions, with their counts by status and mean progress (cached)."""
    return [
        chapter | {"status_counts": [chapter["counts"][status] for status in status_labels]}
        for chapter in chapter_figures(plan, today)
    ]


def _milestone_row(milestone, today):
    return {
        "action_pk": milestone.action_id,
        "action_number": milestone.action.number,
        "action_title": milestone.action.short_title,
        "title": milestone.title,
        "due_date": milestone.due_date,
        "days_overdue": (today - milestone.due_date).days,
        "days_left": (milestone.due_date - today).days,
        "responsible": milestone.responsible.short_name if milestone.responsible else "",
    }


def _milestones(plan, today):
    """Overdue milestones and those due soon: the counts and the first few of each (3 queries)."""
    open_milestones = Milestone.objects.filter(action__chapter__plan=plan, done_on__isnull=True)
    overdue = Q(due_date__lt=today)
    due_soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    counts = milestone_figures(plan, today, DUE_SOON_DAYS)
    shown = open_milestones.select_related("action", "responsible")
    return {
        "overdue_count": counts["overdue"],
        "overdue_milestones": [
            _milestone_row(m, today)
            for m in shown.filter(overdue).order_by("due_date", "pk")[:LIST_LIMIT]
        ],
        "due_soon_count": counts["due_soon"],
        "due_soon_milestones": [
            _milestone_row(m, today)
            for m in shown.filter(due_soon).order_by("due_date", "pk")[:LIST_LIMIT]
        ],
    }


def _updates_to_review(plan, user):
    """The updates this user may decide on now: how many, and the oldest few (≤ 5 queries)."""
    mine = ProgressUpdate.objects.filter(reviewable_by(user), action__chapter__plan=plan)
    count = mine.count()
    shown = (
        list(
            mine.select_related("action", "author")
            .prefetch_related(
                Prefetch("reviews", queryset=Review.objects.for_updates()),
                Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
            )
            .order_by("submitted_at", "pk")[:LIST_LIMIT]
        )
        if count
        else []
    )
    liaisons = liaisons_by_institution() if shown else {}
    return {
        "reviewable_count": count,
        "reviewable_updates": [
            {
                "pk": update.pk,
                "action_pk": update.action_id,
                "action_number": update.action.number,
                "action_title": update.action.short_title,
                "author": display_name(update.author),
                "submitted_at": update.submitted_at,
                "sides": sorted(review_sides(user, update, liaisons=liaisons)),
            }
            for update in shown
        ],
    }


def recent_activity(plan, status_labels):
    """The latest changes to actions, milestones, updates and reviews (5 queries)."""
    earlier = Action.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    sources = [
        (
            "action",
            Action.history.filter(chapter__plan=plan).annotate(
                previous_id=Subquery(
                    earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
                )
            ),
        ),
        (
            "milestone",
            Milestone.history.filter(action__chapter__plan=plan).select_related("action"),
        ),
        (
            "update",
            ProgressUpdate.history.filter(action__chapter__plan=plan).select_related("action"),
        ),
        (
            "review",
            Review.history.filter(update__action__chapter__plan=plan).select_related(
                "update__action"
            ),
        ),
    ]
    records = []
    for kind, queryset in sources:
        latest = queryset.select_related("history_user").order_by("-history_date", "-history_id")
        records.extend((kind, record) for record in latest[:ACTIVITY_LIMIT])
    records.sort(key=lambda item: item[1].history_date, reverse=True)
    records = records[:ACTIVITY_LIMIT]

    previous_ids = [
        record.previous_id
        for kind, record in records
        if kind == "action" and record.history_type == "~" and record.previous_id
    ]
    previous = (
        {row.history_id: row for row in Action.history.filter(history_id__in=previous_ids)}
        if previous_ids
        else {}
    )
    return [_activity_row(kind, record, previous, status_labels) for kind, record in records]


ACTIVITY_SENTENCES = {
    ("action", "+"): lambda: _("created the action"),
    ("action", "~"): lambda: _("changed the action"),
    ("action", "-"): lambda: _("deleted the action"),
    ("milestone", "+"): lambda: _("added a milestone to"),
    ("milestone", "~"): lambda: _("changed a milestone of"),
    ("milestone", "-"): lambda: _("deleted a milestone of"),
    ("update", "+"): lambda: _("posted a progress update on"),
    ("update", "~"): lambda: _("changed a progress update on"),
    ("update", "-"): lambda: _("deleted a progress update on"),
    ("review", "+"): lambda: _("reviewed a progress update on"),
    ("review", "~"): lambda: _("changed a review of an update on"),
    ("review", "-"): lambda: _("withdrew a review of an update on"),
}


def _activity_row(kind, record, previous, status_labels):
    action, detail = _activity_subject(kind, record)
    action_gone = action is None or (kind == "action" and record.history_type == "-")
    action_pk = None if action_gone else (record.id if kind == "action" else action.pk)
    row = {
        "kind": kind,
        "sentence": ACTIVITY_SENTENCES.get(
            (kind, record.history_type), lambda: record.history_type
        )(),
        "who": display_name(record.history_user),
        "when": record.history_date,
        "action_pk": action_pk,
        "action_number": action.number if action else "",
        "action_title": action.short_title if action else "",
        "detail": detail,
        "changes": [],
    }
    if kind == "action" and record.history_type == "~":
        before = previous.get(record.previous_id)
        if before is not None:
            row["changes"] = _action_changes(before, record, status_labels)
    return row


def _activity_subject(kind, record):
    """The action a history row is about (read from joined rows) and a short detail line."""
    if kind == "action":
        return record, ""
    if kind == "milestone":
        return record.action, record.title
    if kind == "update":
        return record.action, status_label_or_value(record.status)
    update = record.update
    decision = Review.Decision(record.decision).label if record.decision else ""
    return (update.action if update else None), decision


def status_label_or_value(value):
    return Status(value).label if value in Status.values else value


def _action_changes(before, after, status_labels):
    names = {
        "status": _("Status"),
        "progress": _("Progress"),
        "short_title": _("Short title"),
        "target_date": _("Target date"),
    }
    changes = []
    for field in TRACKED_ACTION_FIELDS:
        old, new = getattr(before, field), getattr(after, field)
        if old == new:
            continue
        if field == "status":
            old, new = status_labels.get(old, old), status_labels.get(new, new)
        elif field == "progress":
            old, new = percent(old), percent(new)
        changes.append({"field": names[field], "old": old, "new": new})
    return changes
