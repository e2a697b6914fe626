"""Every write to amendments: propose, approve, reject, withdraw.

An amendment changes nothing until a plan administrator of each side has approved it; the second
approval applies it to the plan (amendments/applying.py) in the same transaction, dated at that
moment. The amendment row is locked first, so two approvals arriving together apply it once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import figures
from amendments import validation
from amendments.applying import apply_amendment
from amendments.models import Amendment, AmendmentDecision, ProposedResponsibility
from partners.models import Side
from plancore import permissions
from plancore.models import Plan

Kind = Amendment.Kind


@transaction.atomic
def propose_amendment(
    *,
    proposer,
    kind,
    action=None,
    reason,
    side=None,
    plan=None,
    chapter=None,
    milestone=None,
    title_en="",
    title_es="",
    text_en="",
    text_es="",
    chapter_title_en="",
    chapter_title_es="",
    target_date=None,
    due_date=None,
    responsibilities=(),
    at=None,
):
    """Record a proposal to amend the plan; it waits for a plan administrator of each side.

    - proposer: a user who is embassy staff or plan administrator of one side; `side` (DK or MX)
      is needed only when they speak for both.
    - kind: an Amendment.Kind; `reason` (required) says why.
    - Amendment.Kind.NEW_ACTION: title_en/title_es, text_en/text_es and target_date, in `chapter`
      or in a new chapter titled chapter_title_en/chapter_title_es (then `plan`, or the plan of
      the only one there is); responsibilities optional.
    - TITLE: action, title_en and title_es. TEXT: action, text_en and text_es.
    - RESPONSIBILITIES: action and the whole new list `responsibilities` of (institution, role),
      role "lead" or "partner".
    - TARGET_DATE: action and target_date. RETIREMENT: action.
    - MILESTONE: milestone (its action is taken) and due_date, later than the action's target date.

    Raises ValidationError (by field where it can) and saves nothing when the proposal is invalid.
    """
    side = _proposing_side(proposer, side)
    if milestone is not None and action is None:
        action = milestone.action
    plan = plan or _plan_of(action=action, chapter=chapter)
    moment = at or timezone.now()
    amendment = Amendment(
        plan=plan,
        kind=kind,
        action=action,
        chapter=chapter,
        milestone=milestone,
        side=side,
        proposed_by=proposer,
        proposed_at=moment,
        reason=reason.strip(),
        title_en=title_en.strip(),
        title_es=title_es.strip(),
        text_en=text_en.strip(),
        text_es=text_es.strip(),
        chapter_title_en=chapter_title_en.strip(),
        chapter_title_es=chapter_title_es.strip(),
        target_date=target_date,
        due_date=due_date,
    )
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what the amendment changes.")})
    responsibilities = validation.keep_content_of_kind(amendment, responsibilities)
    validation.check_proposal(amendment, responsibilities)
    Plan.objects.select_for_update().get(pk=plan.pk)
    highest = Amendment.objects.filter(plan=plan).aggregate(n=Max("number"))["n"]
    amendment.number = (highest or 0) + 1
    figures.saved(amendment, user=proposer, at=moment)
    for institution, role in responsibilities:
        row = ProposedResponsibility(
            amendment=amendment, institution=institution, side=institution.side, role=role
        )
        figures.saved(row, user=proposer, at=moment)
    return amendment


def _proposing_side(proposer, side):
    sides = permissions.staff_sides(proposer)
    if not sides:
        raise ValidationError(_("Only embassy staff or plan administrators propose amendments."))
    if side is None and len(sides) == 1:
        return next(iter(sides))
    if side not in sides:
        raise ValidationError({"side": _("Say for which side you propose the amendment.")})
    return side


def _plan_of(*, action, chapter):
    if action is not None:
        return action.chapter.plan
    if chapter is not None:
        return chapter.plan
    plans = list(Plan.objects.all()[:2])
    if len(plans) != 1:
        raise ValidationError({"chapter": _("Choose the chapter of the new action.")})
    return plans[0]


def _locked(amendment):
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.state != Amendment.State.PROPOSED:
        raise ValidationError(_("This amendment has already been decided."))
    return amendment


def _deciding_side(user, amendment, side):
    sides = permissions.amendment_decision_sides(user, amendment)
    if side is None and len(sides) == 1:
        side = next(iter(sides))
    if side not in sides:
        raise ValidationError(
            _("Only a plan administrator of that side decides for it, once, and not for the other.")
        )
    return side


def _decide(*, amendment, user, side, decision, comment, at):
    moment = at or timezone.now()
    if moment < amendment.proposed_at:
        raise ValidationError(_("An amendment cannot be decided before it was proposed."))
    record = AmendmentDecision(
        amendment=amendment,
        side=side,
        decided_by=user,
        decision=decision,
        comment=comment.strip(),
        decided_at=moment,
    )
    return figures.saved(record, user=user, at=moment)


@transaction.atomic
def approve_amendment(*, amendment, user, side=None, at=None):
    """Approve for one side (the user's, as plan administrator). The second side's approval puts
    the amendment in force and applies it to the plan, dated at this moment."""
    amendment = _locked(amendment)
    side = _deciding_side(user, amendment, side)
    decision = _decide(
        amendment=amendment,
        user=user,
        side=side,
        decision=AmendmentDecision.Decision.APPROVED,
        comment="",
        at=at,
    )
    approved = set(
        amendment.decisions.filter(decision=AmendmentDecision.Decision.APPROVED).values_list(
            "side", flat=True
        )
    )
    if {Side.DK, Side.MX} <= approved:
        apply_amendment(amendment, user=user, at=decision.decided_at)
        amendment.state = Amendment.State.IN_FORCE
        amendment.decided_at = decision.decided_at
        figures.saved(amendment, user=user, at=decision.decided_at)
    return amendment


@transaction.atomic
def reject_amendment(*, amendment, user, comment, side=None, at=None):
    """Reject for one side, saying why; the plan stays as it is."""
    amendment = _locked(amendment)
    side = _deciding_side(user, amendment, side)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the amendment is rejected.")})
    decision = _decide(
        amendment=amendment,
        user=user,
        side=side,
        decision=AmendmentDecision.Decision.REJECTED,
        comment=comment,
        at=at,
    )
    amendment.state = Amendment.State.REJECTED
    amendment.decided_at = decision.decided_at
    return figures.saved(amendment, user=user, at=decision.decided_at)


@transaction.atomic
def withdraw_amendment(*, amendment, user, at=None):
    """The proposer takes the proposal back before it is decided."""
    amendment = _locked(amendment)
    if amendment.proposed_by_id != user.pk:
        raise ValidationError(_("Only the proposer may withdraw an amendment."))
    moment = at or timezone.now()
    amendment.state = Amendment.State.WITHDRAWN
    amendment.decided_at = moment
    return figures.saved(amendment, user=user, at=moment)
