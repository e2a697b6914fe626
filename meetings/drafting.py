"""The agenda the portal drafts for a meeting, read from the history tables as the plan stood on
the meeting's date (or today, for a meeting still to come) since the previous meeting. Each
side's assessments are read as given by then (assessments/selectors.py).

Each section is a function of an AgendaState giving Drafts; SECTIONS lists them in the agenda's
order. A draft's text is in English (kept as `drafted_text`); pages and PDFs read the items in
their own language from what each item points at.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation

from actions.models import Milestone, ProgressUpdate, Status, number_key
from amendments.models import Amendment
from assessments.selectors import differing_assessments
from meetings.models import AgendaItem, Decision, Meeting
from plancore.history import snapshot
from reporting.content import PlanAsOf, plan_as_of
from reporting.periods import end_of_day

Section = AgendaItem.Section
NEEDS_ATTENTION = (Status.DELAYED, Status.AT_RISK)


@dataclass
class AgendaState:
    """The plan as it stood on the agenda's date, and the date of the previous meeting."""

    meeting: Meeting
    as_of: date
    since: date
    stood: PlanAsOf

    @property
    def moment(self):
        return end_of_day(self.as_of)


@dataclass(frozen=True)
class Draft:
    section: str
    text: str
    action_id: int | None = None
    milestone_id: int | None = None
    update_id: int | None = None
    decision_id: int | None = None
    amendment_id: int | None = None
    subject_key: str = ""

    @property
    def key(self):
        return item_key(self)


# What a drafted item is about: a Draft and the AgendaItem made of it share these fields.
KEY_FIELDS = (
    "section",
    "action_id",
    "milestone_id",
    "update_id",
    "decision_id",
    "amendment_id",
    "subject_key",
)


def item_key(item):
    """The key of a Draft or an agenda item, to recognise what was drafted already."""
    return tuple(getattr(item, name) for name in KEY_FIELDS)


def agenda_date(meeting, today=None):
    """The agenda is drafted as of the meeting's date, or today while the meeting is ahead."""
    return min(meeting.date, today or timezone.localdate())


def previous_meeting(meeting):
    return (
        Meeting.objects.filter(plan_id=meeting.plan_id, date__lt=meeting.date)
        .order_by("-date", "-pk")
        .first()
    )


def agenda_state(meeting, today=None):
    as_of = agenda_date(meeting, today)
    previous = previous_meeting(meeting)
    since = previous.date if previous else meeting.plan.signed_on
    stood = plan_as_of(plan=meeting.plan, moment=end_of_day(as_of))
    return AgendaState(meeting=meeting, as_of=as_of, since=since, stood=stood)


def delayed_or_at_risk(state):
    """Every action delayed or at risk on the agenda's date, by number."""
    labels = {s.value: s.label for s in Status}
    actions = sorted(
        (a for a in state.stood.actions.values() if a.status in NEEDS_ATTENTION),
        key=lambda a: number_key(a.number),
    )
    return [
        Draft(
            section=Section.DELAYED,
            action_id=a.id,
            text=f"{a.number} {a.short_title_en or a.short_title}: {labels[a.status]}",
        )
        for a in actions
    ]


def overdue_milestones(state):
    """Every milestone past its due date and not done on the agenda's date, oldest first."""
    actions = state.stood.actions
    overdue = sorted(
        (
            m
            for m in state.stood.milestones
            if m.done_on is None and m.due_date < state.as_of and m.action_id in actions
        ),
        key=lambda m: (m.due_date, number_key(actions[m.action_id].number), m.id),
    )
    return [
        Draft(
            section=Section.OVERDUE,
            action_id=m.action_id,
            milestone_id=m.id,
            text=f"{actions[m.action_id].number} {m.title_en or m.title} "
            f"(due {m.due_date.isoformat()})",
        )
        for m in overdue
    ]


def amendments_waiting(state):
    """Amendments proposed by the agenda's date and not yet decided then, by number."""
    amendments = [
        a
        for a in snapshot(Amendment, state.moment, plan_id=state.meeting.plan_id)
        if a.state == Amendment.State.PROPOSED
    ]
    kinds = dict(Amendment.Kind.choices)
    actions = state.stood.actions
    return [
        Draft(
            section=Section.AMENDMENTS,
            amendment_id=a.id,
            action_id=a.action_id if a.action_id in actions else None,
            text=f"Amendment {a.number}: {kinds.get(a.kind, a.kind)}"
            + (f" ({actions[a.action_id].number})" if a.action_id in actions else ""),
        )
        for a in sorted(amendments, key=lambda a: a.number)
    ]


def assessments_differing(state):
    """Actions whose two sides' assessments of a period differ, given since the previous meeting
    and not settled by a joint assessment by the agenda's date."""
    return [
        Draft(
            section=Section.ASSESSMENTS,
            action_id=d.action.pk,
            subject_key=f"assessment:{d.period.slug}",
            text=f"{d.action.number} {d.action.short_title_en or d.action.short_title}, "
            f"{d.period.label}: {', '.join(d.differs_on)}",
        )
        for d in differing_assessments(
            plan=state.meeting.plan, since=end_of_day(state.since), until=state.moment
        )
    ]


def returned_twice(state):
    """Updates returned in two revisions or more, the latest return since the previous meeting:
    the history of each update keeps every revision's review state."""
    rows = ProgressUpdate.history.filter(
        action_id__in=list(state.stood.actions),
        review_state=ProgressUpdate.ReviewState.RETURNED,
        history_date__lte=state.moment,
    ).values_list("id", "revision", "history_date")
    revisions, last_returned = defaultdict(set), {}
    for update_id, revision, moment in rows:
        revisions[update_id].add(revision)
        last_returned[update_id] = max(moment, last_returned.get(update_id, moment))
    since = end_of_day(state.since)
    chosen = [
        uid for uid, revs in revisions.items() if len(revs) >= 2 and last_returned[uid] > since
    ]
    updates = {u.id: u for u in state.stood.updates if u.id in chosen}
    actions = state.stood.actions
    return [
        Draft(
            section=Section.RETURNED,
            action_id=u.action_id,
            update_id=u.id,
            text=f"{actions[u.action_id].number}: update of {u.submitted_at.date().isoformat()}, "
            f"returned {len(revisions[u.id])} times",
        )
        for u in sorted(
            updates.values(), key=lambda u: (number_key(actions[u.action_id].number), u.id)
        )
    ]


def decision_follow_up(state):
    """Decisions of earlier meetings still open on the agenda's date: not yet accepted, made a
    milestone not done then or an amendment not decided then; and those whose milestone was
    done since the previous meeting."""
    decisions = list(
        Decision.objects.filter(
            meeting__plan_id=state.meeting.plan_id,
            meeting__date__lt=state.meeting.date,
            recorded_at__lte=state.moment,
        )
        .exclude(outcome=Decision.Outcome.NOTED)
        .select_related("meeting")
        .order_by("meeting__date", "number")
    )
    milestone_ids = [d.milestone_id for d in decisions if d.milestone_id]
    milestones = {m.id: m for m in snapshot(Milestone, state.moment, id__in=milestone_ids)}
    amendment_ids = [d.amendment_id for d in decisions if d.amendment_id]
    amendments = {a.id: a for a in snapshot(Amendment, state.moment, id__in=amendment_ids)}
    drafts = []
    for decision in decisions:
        accepted = decision.accepted_at is not None and decision.accepted_at <= state.moment
        milestone = milestones.get(decision.milestone_id) if accepted else None
        amendment = amendments.get(decision.amendment_id) if accepted else None
        if amendment is not None:
            if amendment.state != Amendment.State.PROPOSED:
                continue  # decided: its own record says how
            where = f"amendment {amendment.number} waiting for a decision"
        elif milestone is not None and milestone.done_on:
            if milestone.done_on <= state.since:
                continue
            where = f"done on {milestone.done_on.isoformat()}"
        elif milestone is not None:
            where = f"milestone due {milestone.due_date.isoformat()}"
        elif accepted:
            continue
        else:
            where = "not yet accepted"
        drafts.append(
            Draft(
                section=Section.FOLLOW_UP,
                decision_id=decision.id,
                milestone_id=milestone.id if milestone else None,
                text=f"Decision {decision.number} of {decision.meeting.date.isoformat()}: "
                f"{decision.title} ({where})",
            )
        )
    return drafts


SECTIONS = [
    delayed_or_at_risk,
    overdue_milestones,
    amendments_waiting,
    assessments_differing,
    returned_twice,
    decision_follow_up,
]


def draft(meeting, today=None):
    """Every Draft of the meeting's agenda, section after section."""
    state = agenda_state(meeting, today)
    with translation.override("en"):
        return [d for section in SECTIONS for d in section(state)]
