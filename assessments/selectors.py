"""Reads of the sides' and the joint assessments, in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from actions.models import Action, Status
from assessments.models import Assessment, JointAssessment
from partners.models import Side
from plancore.history import snapshot
from reporting.periods import Period, end_of_day


@dataclass
class Disagreement:
    """Both sides have assessed an action for a period, and they differ."""

    action: Action
    period: Period
    dk: Assessment
    mx: Assessment
    joint: JointAssessment | None

    @property
    def differs_on(self):
        """The fields the sides differ on: "completion", "timeliness" or both."""
        return [
            f for f in ("completion", "timeliness") if getattr(self.dk, f) != getattr(self.mx, f)
        ]

    @property
    def assessed_at(self):
        """When the later of the two assessments was given: when the difference arose."""
        return max(self.dk.assessed_at, self.mx.assessed_at)


def _moment(value):
    return value if value is None or isinstance(value, datetime) else end_of_day(value)


def differing_assessments(*, plan, since=None, until=None):
    """The action periods of `plan` on which the two sides' assessments differ, in plan order.

    `since` (exclusive) and `until` (inclusive) are dates or datetimes, either may be None: a
    pair counts when the later of its two assessments was given in that window, and it drops out
    once a joint assessment agreed by both sides (at or before `until`) settles it. Read from
    the assessments as they stand, in two queries however many actions.
    """
    since, until = _moment(since), _moment(until)
    rows = (
        Assessment.objects.filter(action__chapter__plan=plan)
        .select_related("action__chapter")
        .order_by("action__chapter__number", "action__position", "year", "quarter", "side")
    )
    if until is not None:
        rows = rows.filter(assessed_at__lte=until)
    pairs = {}
    for row in rows:
        pairs.setdefault((row.action_id, row.year, row.quarter), {})[row.side] = row
    found = []
    for (_action, year, quarter), sides in pairs.items():
        dk, mx = sides.get(Side.DK), sides.get(Side.MX)
        if dk is None or mx is None or not dk.differs_from(mx):
            continue
        later = max(dk.assessed_at, mx.assessed_at)
        if since is not None and later <= since:
            continue
        found.append(Disagreement(dk.action, Period(year, quarter), dk, mx, joint=None))
    if found:
        _attach_joint(found)
        found = [d for d in found if not _settled(d.joint, until)]
    return found


def _settled(joint, until):
    """Agreed by both sides, by `until` if given."""
    return joint is not None and joint.is_agreed and (until is None or joint.agreed_at <= until)


def _attach_joint(items):
    """Give each item (with .action and .period) its joint assessment, if any, in one query."""
    years = {item.period.year for item in items}
    joints = JointAssessment.objects.filter(
        action_id__in={item.action.pk for item in items}, year__in=years
    )
    joints = {(j.action_id, j.year, j.quarter): j for j in joints}
    for item in items:
        item.joint = joints.get((item.action.pk, item.period.year, item.period.quarter))


@dataclass
class SheetRow:
    """One action of a chapter for a period: its reported status then, both sides, the joint."""

    action: Action
    status: str
    status_label: str
    sides: dict
    joint: JointAssessment | None = None

    @property
    def dk(self):
        return self.sides.get(Side.DK)

    @property
    def mx(self):
        return self.sides.get(Side.MX)

    @property
    def differs(self):
        return bool(self.dk and self.mx and self.dk.differs_from(self.mx))


def reported_statuses(action_ids, moment):
    """{action id: status} as the actions stood at `moment`, from their history, in one query."""
    return {row.id: row.status for row in snapshot(Action, moment, id__in=action_ids)}


def chapter_sheet(*, chapter, period, today=None):
    """Every action of `chapter`, as assessment_rows gives them."""
    return assessment_rows(actions=chapter.actions.order_by("position"), period=period, today=today)


def assessment_rows(*, actions, period, today=None):
    """Each of `actions` with its status at the end of `period` (or today, while it runs),
    both sides' assessments for `period` and the joint one: four queries."""
    actions = list(actions)
    ids = [a.pk for a in actions]
    statuses = reported_statuses(ids, end_of_day(period.as_of_date(today)))
    sides = {}
    for row in (
        Assessment.objects.for_period(period)
        .filter(action_id__in=ids)
        .select_related("assessed_by")
    ):
        sides.setdefault(row.action_id, {})[row.side] = row
    joints = {
        j.action_id: j
        for j in JointAssessment.objects.for_period(period)
        .filter(action_id__in=ids)
        .select_related("proposed_by", "agreed_dk_by", "agreed_mx_by")
    }
    labels = dict(Status.choices)
    return [
        SheetRow(
            action=action,
            status=statuses.get(action.pk, ""),
            status_label=labels.get(statuses.get(action.pk), "—"),
            sides=sides.get(action.pk, {}),
            joint=joints.get(action.pk),
        )
        for action in actions
    ]


@dataclass
class ChapterTally:
    chapter: object
    actions: int
    assessed: dict
    differing: int
    agreed: int


def period_overview(*, plan, period):
    """Per chapter of `plan` that has actions: their number, how many each side has assessed
    for `period`, on how many they differ, and how many joint assessments both sides agreed;
    three queries."""
    chapters = (
        plan.chapters.annotate(action_count=Count("actions"))
        .filter(action_count__gt=0)
        .order_by("number")
    )
    given = Assessment.objects.for_period(period).filter(action__chapter__plan=plan)
    pairs = {}
    for action_id, chapter_id, side, completion, timeliness in given.values_list(
        "action_id", "action__chapter_id", "side", "completion", "timeliness"
    ):
        pairs.setdefault((chapter_id, action_id), {})[side] = (completion, timeliness)
    agreed = Counter(
        JointAssessment.objects.for_period(period)
        .filter(action__chapter__plan=plan, agreed_at__isnull=False)
        .values_list("action__chapter_id", flat=True)
    )
    tallies = []
    for chapter in chapters:
        mine = [sides for (chapter_id, _a), sides in pairs.items() if chapter_id == chapter.pk]
        tallies.append(
            ChapterTally(
                chapter=chapter,
                actions=chapter.action_count,
                assessed={s: sum(1 for sides in mine if s in sides) for s in (Side.DK, Side.MX)},
                differing=sum(
                    1 for sides in mine if len(sides) == 2 and sides[Side.DK] != sides[Side.MX]
                ),
                agreed=agreed.get(chapter.pk, 0),
            )
        )
    return tallies
