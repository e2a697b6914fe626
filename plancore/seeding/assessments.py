"""The demo's assessments (`loadplan --demo`): one chapter's actions assessed by both sides for
last year, with a disagreement and a joint assessment waiting for the other side."""

from datetime import timedelta

from django.utils import timezone

from actions.models import Status
from assessments import services as assessments
from assessments.selectors import reported_statuses
from partners.models import Side
from reporting.periods import Period, end_of_day

# How a side reads an action's reported status on OGP's scale, in the demo's assessments.
DEMO_COMPLETION = {
    Status.NOT_STARTED: "not_started",
    Status.DELAYED: "limited",
    Status.AT_RISK: "limited",
    Status.ON_TRACK: "substantial",
    Status.ONGOING: "substantial",
    Status.DISCONTINUED: "limited",
    Status.COMPLETED: "complete",
}
DEMO_ASSESSED_CHAPTER = 5


def _one_step_further(completion):
    """The next step of OGP's scale (the step before, for a complete action)."""
    ladder = ["not_started", "limited", "substantial", "complete"]
    step = ladder.index(completion)
    return ladder[step + 1] if step < len(ladder) - 1 else ladder[step - 1]


def give_demo_assessments(plan, users, now):
    """Both sides' assessments of chapter 5's actions for last year, given in January through
    the assessment services: Mexico sees the first action one step further than Denmark (the
    disagreement), and the Danish administrator has proposed the joint assessment of another,
    which waits for Mexico's agreement."""
    year = Period(timezone.localdate(now).year - 1)
    given_on = min(end_of_day(year.end) + timedelta(days=12, hours=-13), now)
    actions = list(plan.chapters.get(number=DEMO_ASSESSED_CHAPTER).actions.order_by("position"))
    statuses = reported_statuses([a.pk for a in actions], end_of_day(year.end))
    for index, action in enumerate(actions):
        status = statuses.get(action.pk, Status.NOT_STARTED)
        completion = DEMO_COMPLETION[status]
        timeliness = "behind" if status in (Status.DELAYED, Status.AT_RISK) else "on_time"
        for side, username, hours in ((Side.DK, "embassy-dk", 0), (Side.MX, "embassy-mx", 2)):
            if side == Side.MX and index == 0:
                completion = _one_step_further(completion)
            assessments.give_assessment(
                action=action,
                side=side,
                period=year,
                user=users[username],
                completion=completion,
                timeliness=timeliness,
                comment="",
                at=given_on + timedelta(hours=hours),
            )
    proposed = actions[1]
    danish = proposed.assessments.get(side=Side.DK, year=year.year, quarter=None)
    assessments.propose_joint_assessment(
        action=proposed,
        period=year,
        user=users["admin"],
        side=Side.DK,
        completion=danish.completion,
        timeliness=danish.timeliness,
        at=given_on + timedelta(days=1),
    )
    return len(actions)
