"""Every write to the sides' and the joint assessments goes through these functions.

Each checks the side the user speaks for (plancore/permissions.py), so that nobody assesses or
agrees for the other side whichever page, command or import calls it. `at` lets the demo
record a past moment.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import figures
from assessments.models import Assessment, JointAssessment
from partners.models import Side
from plancore import permissions
from plancore.history import save_with_history
from plancore.languages import content_language


class JointAssessmentChanged(Exception):
    """The joint assessment changed after the user read it; nothing was saved."""

    def __init__(self, current):
        super().__init__(f"{current} is now at version {current.version}")
        self.current = current


class AssessmentsChanged(Exception):
    """Someone else gave or changed some of these assessments after the user read them; nothing
    was saved. `current` maps each such action's id to its assessment as it stands now."""

    def __init__(self, current):
        super().__init__(f"{len(current)} assessments changed meanwhile")
        self.current = current


@transaction.atomic
def give_assessment(*, action, side, period, user, completion, timeliness, comment="", at=None):
    """Record (or change) `side`'s assessment of `action` for `period`; unchanged, it is kept."""
    if not permissions.can_assess(user, side):
        raise PermissionDenied(_("You do not give this side's assessment."))
    current = (
        Assessment.objects.select_for_update()
        .for_period(period)
        .filter(action=action, side=side)
        .first()
    )
    return _write(
        current or Assessment(action=action, side=side, year=period.year, quarter=period.quarter),
        user=user,
        completion=completion,
        timeliness=timeliness,
        comment=comment,
        at=at,
    )


def _write(assessment, *, user, completion, timeliness, comment, at):
    comment = comment.strip()
    if assessment.pk and (assessment.completion, assessment.timeliness, assessment.comment) == (
        completion,
        timeliness,
        comment,
    ):
        return assessment
    assessment.completion, assessment.timeliness, assessment.comment = (
        completion,
        timeliness,
        comment,
    )
    assessment.language = content_language()
    assessment.assessed_by = user
    assessment.assessed_at = at or timezone.now()
    return save_with_history(assessment, user=user, at=at)


@transaction.atomic
def give_assessments(*, side, period, user, entries, at=None):
    """Record `side`'s assessments of many actions for `period` at once, all or none.

    `entries` is a list of dicts with action, completion, timeliness, comment and `seen`: the
    `assessed_at` of the assessment the user read (None if there was none). The side's
    assessments of those actions are locked in one query; if any changed since it was read,
    nothing is saved (AssessmentsChanged). Only changed ones are written, and returned.
    """
    if not permissions.can_assess(user, side):
        raise PermissionDenied(_("You do not give this side's assessment."))
    actions = [entry["action"] for entry in entries]
    existing = {
        a.action_id: a
        for a in Assessment.objects.select_for_update()
        .for_period(period)
        .filter(side=side, action__in=actions)
    }
    changed = {
        entry["action"].pk: existing.get(entry["action"].pk)
        for entry in entries
        if "seen" in entry
        and entry["seen"] != getattr(existing.get(entry["action"].pk), "assessed_at", None)
    }
    if changed:
        raise AssessmentsChanged(changed)
    written = []
    for entry in entries:
        action = entry["action"]
        assessment = existing.get(action.pk) or Assessment(
            action=action, side=side, year=period.year, quarter=period.quarter
        )
        before = assessment.assessed_at if assessment.pk else None
        saved = _write(
            assessment,
            user=user,
            completion=entry["completion"],
            timeliness=entry["timeliness"],
            comment=entry.get("comment", ""),
            at=at,
        )
        if saved.assessed_at != before:
            written.append(saved)
    return written


@transaction.atomic
def propose_joint_assessment(
    *,
    action,
    period,
    user,
    side,
    completion,
    timeliness,
    comment="",
    expected_version=None,
    at=None,
):
    """Set the joint assessment of `action` for `period`, for `side` (the proposer's).

    The proposer's side agrees by proposing; a change clears every earlier agreement, so the
    value holds only once the other side agrees to it as it now stands. Proposing the value
    already proposed counts as agreeing to it. `expected_version` is the version the proposer
    read (None when there was none yet).
    """
    if side not in permissions.administrator_sides(user):
        raise PermissionDenied(_("Only a plan administrator of this side agrees its assessments."))
    given = set(
        Assessment.objects.for_period(period).filter(action=action).values_list("side", flat=True)
    )
    if not {Side.DK, Side.MX} <= given:
        raise ValidationError(_("Both sides give their own assessment before the joint one."))
    joint = (
        JointAssessment.objects.select_for_update().for_period(period).filter(action=action).first()
    )
    if joint is not None and joint.version != expected_version:
        raise JointAssessmentChanged(joint)
    comment = comment.strip()
    if joint is not None and (joint.completion, joint.timeliness, joint.comment) == (
        completion,
        timeliness,
        comment,
    ):
        return _agree(joint, user=user, side=side, at=at)
    moment = at or timezone.now()
    joint = joint or JointAssessment(action=action, year=period.year, quarter=period.quarter)
    joint.completion, joint.timeliness, joint.comment = completion, timeliness, comment
    joint.language = content_language()
    joint.proposed_by, joint.proposed_side, joint.proposed_at = user, side, moment
    joint.agreed_dk_by = joint.agreed_dk_at = joint.agreed_mx_by = joint.agreed_mx_at = None
    joint.agreed_at = None
    _set_agreement(joint, side=side, user=user, moment=moment)
    if joint.pk:
        joint.version += 1
    return figures.saved(joint, user=user, at=at)


@transaction.atomic
def agree_joint_assessment(*, joint, user, side, expected_version, at=None):
    """Record `side`'s agreement to the joint assessment as it stood at `expected_version`;
    once both sides have agreed, it holds from that moment (`agreed_at`)."""
    if side not in permissions.administrator_sides(user):
        raise PermissionDenied(_("Only a plan administrator of this side agrees its assessments."))
    joint = JointAssessment.objects.select_for_update().get(pk=joint.pk)
    if joint.version != expected_version:
        raise JointAssessmentChanged(joint)
    return _agree(joint, user=user, side=side, at=at)


def _agree(joint, *, user, side, at):
    if joint.agreed_on(side) is not None:
        return joint
    _set_agreement(joint, side=side, user=user, moment=at or timezone.now())
    joint.version += 1
    return figures.saved(joint, user=user, at=at)


def _set_agreement(joint, *, side, user, moment):
    if side == Side.DK:
        joint.agreed_dk_by, joint.agreed_dk_at = user, moment
    else:
        joint.agreed_mx_by, joint.agreed_mx_at = user, moment
    if joint.agreed_dk_at and joint.agreed_mx_at:
        joint.agreed_at = moment
