"""Reads of the sides' and the joint assessments, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from actions.models import Action
from assessments.models import Assessment, JointAssessment
from partners.models import Side
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
        .select_related("action__chapter", "assessed_by")
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
