"""What waits for a person: the items of their "What needs me" page, and how many there are.

Plain `Item`s, so that the page, the header count, notifications and an API read the same thing.
Whose an item is follows the rules of plancore.permissions: reviews from review_sides (and its
database form, reviewable_by), reports from release_sides. "Their actions" are
those their institutions answer for (liaisons) or on whose side they work (embassy staff and plan
administrators). Every query is bounded: lists are cut at `limit`, counts are done in SQL.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from actions import figures
from actions.decisions import why_you_decide
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review, Status
from amendments.describing import proposed_change_in_brief
from amendments.models import Amendment, AmendmentDecision
from assessments.models import JointAssessment
from partners.models import Side, display_name
from plancore import permissions
from reporting.models import Report

DUE_SOON_DAYS = 30
STALE_DAYS = 90
LIMIT = 25
CLOSED = [Status.COMPLETED, Status.DISCONTINUED]

HEADINGS = {
    "review": gettext_lazy("Updates to review"),
    "returned": gettext_lazy("Your updates that were returned"),
    "milestone": gettext_lazy("Milestones overdue or due within 30 days"),
    "stale": gettext_lazy("Actions with no progress update for 90 days"),
    "report": gettext_lazy("Reports waiting for your side's release"),
    "amendment": gettext_lazy("Amendments waiting for your side's decision"),
    "joint": gettext_lazy("Joint assessments waiting for your side's agreement"),
}


@dataclass
class Item:
    """One thing that waits for the person: what, why it is theirs, since when, where to act."""

    kind: str
    title: str
    why: str
    since: date | datetime
    url: str
    act: str  # the label of the link where the person acts
    detail: str = ""  # e.g. the reviewer's comment on a returned update
    overdue: bool = False
    action_id: int | None = None
    object_id: int | None = None  # the update, milestone, action or report itself


@dataclass
class Section:
    kind: str
    items: list
    total: int

    @property
    def heading(self):
        return HEADINGS[self.kind]

    @property
    def more(self):
        return self.total - len(self.items)


def _today(today):
    return today or timezone.localdate()


def _actions_of(user):
    """A filter (Q) on Action: the actions that are this user's, or None if none can be."""
    mine = permissions.liaison_institution_ids(user)
    sides = permissions.staff_sides(user)
    if not (mine or sides):
        return None
    return Q(
        Exists(
            Responsibility.objects.filter(
                Q(institution__in=mine) | Q(side__in=sides), action=OuterRef("pk")
            )
        )
    )


def _querysets(user, today):
    """{kind: queryset} of what waits for the user, unordered, for counting and listing."""
    today = _today(today)
    result = {
        "review": ProgressUpdate.objects.filter(permissions.reviewable_by(user)),
        "returned": ProgressUpdate.objects.filter(
            author=user.pk, review_state=ProgressUpdate.ReviewState.RETURNED
        ),
    }
    theirs = _actions_of(user)
    if theirs is not None:
        result["milestone"] = Milestone.objects.filter(
            done_on__isnull=True,
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
            action__in=Action.objects.filter(theirs),
        )
        result["stale"] = _stale_actions(theirs, today)
    sides = permissions.staff_sides(user)
    if sides:
        unreleased = Q(pk__in=[])
        for side in sides:
            unreleased |= Q(**{f"released_{side.lower()}_at__isnull": True})
        result["report"] = Report.objects.filter(unreleased, state=Report.State.READY)
    deciding = permissions.administrator_sides(user)
    if deciding:
        undecided = Q(pk__in=[])
        for side in deciding:
            undecided |= ~Exists(
                AmendmentDecision.objects.filter(amendment=OuterRef("pk"), side=side)
            )
        result["amendment"] = Amendment.objects.filter(undecided, state=Amendment.State.PROPOSED)
        unagreed = Q(pk__in=[])
        for side in deciding:
            unagreed |= Q(**{f"agreed_{side.lower()}_at__isnull": True})
        result["joint"] = JointAssessment.objects.filter(unagreed, agreed_at__isnull=True)
    return result


def _stale_actions(theirs, today):
    cutoff = today - timedelta(days=STALE_DAYS)
    latest = (
        ProgressUpdate.objects.filter(action=OuterRef("pk"))
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    return (
        Action.objects.filter(theirs)
        .exclude(status__in=CLOSED)
        .annotate(last_update=Subquery(latest))
        .filter(
            Q(last_update__date__lt=cutoff)
            | Q(
                Q(last_update__isnull=True),
                Q(start_date__lte=cutoff)
                | Q(start_date__isnull=True, chapter__plan__signed_on__lte=cutoff),
            )
        )
    )


def _counts(user, querysets):
    """{kind: how many}, all counted in one query."""
    if not querysets:
        return {}
    counts = {
        kind: Coalesce(
            Subquery(
                queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
            ),
            0,
        )
        for kind, queryset in querysets.items()
    }
    row = get_user_model().objects.filter(pk=user.pk).values(**counts).first()
    return row or dict.fromkeys(querysets, 0)


def needs_me_count(user, *, today=None):
    """How many things wait for the user: counted in one query (besides the user's
    memberships, which the request has usually read already) and kept with the plan figures,
    which every write that can change it drops (actions.figures), since the header of every
    page shows it."""
    if not permissions.can_use_portal(user):
        return 0
    today = _today(today)
    return figures.cached(
        f"needs-me-{user.pk}",
        None,
        today,
        lambda: sum(_counts(user, _querysets(user, today)).values()),
    )


def needs_me(user, *, today=None, limit=LIMIT):
    """[Section] of what waits for the user, each cut at `limit` items (a fixed number of
    queries whatever the size of the plan), kept with the plan figures like the count."""
    if not permissions.can_use_portal(user):
        return []
    today = _today(today)
    return figures.cached(
        f"needs-me-items-{user.pk}-{limit}",
        None,
        today,
        lambda: _sections(user, today, limit),
    )


def _sections(user, today, limit):
    querysets = _querysets(user, today)
    totals = _counts(user, querysets)
    builders = {
        "review": _reviews,
        "returned": _returned,
        "amendment": _amendments,
        "joint": _joint_assessments,
        "milestone": _milestones,
        "stale": _stale,
        "report": _reports,
    }
    return [
        Section(
            kind=kind,
            items=build(user, querysets[kind], today, limit) if totals[kind] else [],
            total=totals[kind],
        )
        for kind, build in builders.items()
        if kind in querysets
    ]


def _update_title(update):
    return _("%(number)s %(title)s: update of %(date)s by %(author)s") % {
        "number": update.action.number,
        "title": update.action.short_title,
        "date": date_format(timezone.localtime(update.submitted_at).date(), "SHORT_DATE_FORMAT"),
        "author": update.author.get_full_name() or update.author.get_username(),
    }


def _reviews(user, queryset, today, limit):
    updates = (
        queryset.select_related("action", "author")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.for_updates()),
            Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
        )
        .order_by("submitted_at", "pk")[:limit]
    )
    liaisons = permissions.liaisons_by_institution()
    items = []
    for update in updates:
        sides = sorted(permissions.review_sides(user, update, liaisons=liaisons))
        items.append(
            Item(
                kind="review",
                title=_update_title(update),
                why=" ".join(why_you_decide(user, update, side) for side in sides),
                since=update.submitted_at,
                url=reverse("actions:review", args=[update.pk]),
                act=pgettext("verb", "Review"),
                action_id=update.action_id,
                object_id=update.pk,
            )
        )
    return items


def _returned(user, queryset, today, limit):
    updates = (
        queryset.select_related("action", "author")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.for_updates().select_related("reviewer"))
        )
        .order_by("-submitted_at", "-pk")[:limit]
    )
    items = []
    for update in updates:
        returned = [r for r in update.reviews.all() if r.decision == Review.Decision.RETURNED]
        review = returned[0] if returned else None
        items.append(
            Item(
                kind="returned",
                title=_update_title(update),
                why=_("You wrote this update; %(side)s returned it (%(reviewer)s).")
                % {
                    "side": review.get_side_display() if review else "—",
                    "reviewer": (review.reviewer.get_full_name() or review.reviewer.username)
                    if review
                    else "—",
                },
                since=review.decided_at if review else update.submitted_at,
                url=reverse("actions:revise", args=[update.pk]),
                act=_("Revise"),
                detail=review.comment if review else "",
                action_id=update.action_id,
                object_id=update.pk,
            )
        )
    return items


def _sides(sides):
    """ "Denmark and Mexico": the sides named, in order."""
    return _(" and ").join(str(Side(side).label) for side in sorted(sides))


def _why_action(user, action):
    """Why an action is the user's: their institution answers for it, or their side does."""
    mine = permissions.liaison_institution_ids(user)
    responsibilities = list(action.responsibilities.all())
    parts = [
        _("%(institution)s, %(role)s") % {"institution": r.institution.short_name, "role": role}
        for r in responsibilities
        if r.institution_id in mine
        for role in [r.get_role_display().lower()]
    ]
    if parts:
        return _("You are liaison of %(parts)s on %(number)s.") % {
            "parts": "; ".join(parts),
            "number": action.number,
        }
    sides = sorted(permissions.staff_sides(user) & {r.side for r in responsibilities})
    return _("%(sides)s answers for %(number)s and you work for that side.") % {
        "sides": _sides(sides),
        "number": action.number,
    }


def _responsibilities():
    return Prefetch("responsibilities", queryset=Responsibility.objects.for_actions())


def _milestones(user, queryset, today, limit):
    milestones = (
        queryset.select_related("action")
        .prefetch_related(
            Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions())
        )
        .order_by("due_date", "pk")[:limit]
    )
    items = []
    for milestone in milestones:
        overdue = milestone.due_date < today
        title = _("%(number)s: %(title)s") % {
            "number": milestone.action.number,
            "title": milestone.title,
        }
        items.append(
            Item(
                kind="milestone",
                title=title,
                why=_why_action(user, milestone.action),
                since=milestone.due_date,
                url=reverse("actions:detail", args=[milestone.action_id]) + "#milestones",
                act=_("Open the action"),
                detail=_("Overdue since %(date)s")
                % {"date": date_format(milestone.due_date, "SHORT_DATE_FORMAT")}
                if overdue
                else _("Due on %(date)s")
                % {"date": date_format(milestone.due_date, "SHORT_DATE_FORMAT")},
                overdue=overdue,
                action_id=milestone.action_id,
                object_id=milestone.pk,
            )
        )
    return items


def _stale(user, queryset, today, limit):
    actions = (
        queryset.select_related("chapter__plan")
        .prefetch_related(_responsibilities())
        .order_by(F("last_update").asc(nulls_first=True), "pk")[:limit]
    )
    items = []
    for action in actions:
        since = (
            timezone.localtime(action.last_update).date()
            if action.last_update
            else action.start_date or action.chapter.plan.signed_on
        )
        items.append(
            Item(
                kind="stale",
                title=f"{action.number} {action.short_title}",
                why=_why_action(user, action),
                since=since,
                url=reverse("actions:update", args=[action.pk]),
                act=_("Post an update"),
                detail=_("Last progress update on %(date)s")
                % {"date": date_format(since, "SHORT_DATE_FORMAT")}
                if action.last_update
                else _("No progress update yet"),
                action_id=action.pk,
                object_id=action.pk,
            )
        )
    return items


def _reports(user, queryset, today, limit):
    reports = queryset.select_related("chapter", "institution").order_by("finished_at", "pk")[
        :limit
    ]
    items = []
    for report in reports:
        sides = sorted(permissions.release_sides(user, report))
        items.append(
            Item(
                kind="report",
                title=str(report.title),
                why=_("It waits for the release of %(sides)s, for which you may release it.")
                % {"sides": _sides(sides)},
                since=report.finished_at or report.requested_at,
                url=reverse("reporting:list"),
                act=_("Check and release"),
                object_id=report.pk,
            )
        )
    return items


def _amendments(user, queryset, today, limit):
    amendments = queryset.for_list().order_by("proposed_at", "pk")[:limit]
    items = []
    for amendment in amendments:
        sides = permissions.amendment_decision_sides(user, amendment)
        approved = {
            decision.side
            for decision in amendment.decisions.all()
            if decision.decision == AmendmentDecision.Decision.APPROVED
        }
        why = _("%(proposer)s proposed it for %(side)s.") % {
            "proposer": display_name(amendment.proposed_by),
            "side": amendment.get_side_display(),
        }
        if approved:
            why += " " + _("%(sides)s approved it.") % {"sides": _sides(approved)}
        why += " " + _("You decide for %(sides)s as plan administrator.") % {"sides": _sides(sides)}
        items.append(
            Item(
                kind="amendment",
                title=_("%(amendment)s: %(change)s")
                % {"amendment": amendment, "change": proposed_change_in_brief(amendment)},
                why=why,
                since=amendment.proposed_at,
                url=reverse("amendments:detail", args=[amendment.pk]),
                act=_("Approve or reject"),
                detail=amendment.reason,
                action_id=amendment.action_id,
                object_id=amendment.pk,
            )
        )
    return items


def _joint_assessments(user, queryset, today, limit):
    joints = queryset.select_related("action", "proposed_by").order_by("proposed_at", "pk")[:limit]
    items = []
    for joint in joints:
        sides = permissions.agreement_sides(user, joint)
        items.append(
            Item(
                kind="joint",
                title=_("%(number)s %(title)s: joint assessment of %(period)s")
                % {
                    "number": joint.action.number,
                    "title": joint.action.short_title,
                    "period": joint.period.label,
                },
                why=_(
                    "%(proposer)s proposed it for %(side)s. You agree for %(sides)s as plan "
                    "administrator."
                )
                % {
                    "proposer": display_name(joint.proposed_by),
                    "side": joint.get_proposed_side_display(),
                    "sides": _sides(sides),
                },
                since=joint.proposed_at,
                url=reverse("assessments:action", args=[joint.period, joint.action_id]),
                act=_("Agree or propose another"),
                detail=_("Proposed: %(completion)s, %(timeliness)s")
                % {
                    "completion": joint.get_completion_display().lower(),
                    "timeliness": joint.get_timeliness_display().lower(),
                },
                action_id=joint.action_id,
                object_id=joint.pk,
            )
        )
    return items
