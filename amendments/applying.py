"""Putting an agreed amendment into the plan through the actions' own services, in the caller's
transaction and dated at the second approval, so that every as-of view shows the plan as amended
from that moment. What the amendment replaced is kept on it (`previous`) for the annex and the
action page."""

from actions import plan_changes
from amendments.models import Amendment

Kind = Amendment.Kind


def apply_amendment(amendment, *, user, at):
    """Apply `amendment` (locked by the caller) to the plan; record what it replaced."""
    reason = str(amendment)
    action = amendment.action
    if amendment.kind == Kind.NEW_ACTION:
        chapter = amendment.chapter or plan_changes.add_chapter(
            plan=amendment.plan,
            user=user,
            title_en=amendment.chapter_title_en,
            title_es=amendment.chapter_title_es,
            reason=reason,
            at=at,
        )
        amendment.chapter = chapter
        amendment.action = plan_changes.add_action(
            chapter=chapter,
            user=user,
            short_title_en=amendment.title_en,
            short_title_es=amendment.title_es,
            text_en=amendment.text_en,
            text_es=amendment.text_es,
            target_date=amendment.target_date,
            responsibilities=_proposed(amendment),
            reason=reason,
            at=at,
        )
        amendment.previous = {}
    elif amendment.kind == Kind.TITLE:
        amendment.previous = {"title_en": action.short_title_en, "title_es": action.short_title_es}
        plan_changes.amend_action(
            action=action,
            user=user,
            short_title_en=amendment.title_en,
            short_title_es=amendment.title_es,
            reason=reason,
            at=at,
        )
    elif amendment.kind == Kind.TEXT:
        amendment.previous = {"text_en": action.text_en, "text_es": action.text_es}
        plan_changes.amend_action(
            action=action,
            user=user,
            text_en=amendment.text_en,
            text_es=amendment.text_es,
            reason=reason,
            at=at,
        )
    elif amendment.kind == Kind.TARGET_DATE:
        amendment.previous = {"target_date": _iso(action.target_date)}
        plan_changes.amend_action(
            action=action, user=user, target_date=amendment.target_date, reason=reason, at=at
        )
    elif amendment.kind == Kind.MILESTONE:
        amendment.previous = {"due_date": _iso(amendment.milestone.due_date)}
        plan_changes.reschedule_milestone(
            milestone=amendment.milestone,
            user=user,
            due_date=amendment.due_date,
            reason=reason,
            at=at,
        )
    elif amendment.kind == Kind.RESPONSIBILITIES:
        amendment.previous = {
            "responsibilities": [
                [r.institution_id, r.role]
                for r in action.responsibilities.order_by("side", "role", "institution_id")
            ]
        }
        plan_changes.replace_responsibilities(
            action=action,
            user=user,
            responsibilities=_proposed(amendment),
            reason=reason,
            at=at,
        )
    elif amendment.kind == Kind.RETIREMENT:
        amendment.previous = {"status": action.status}
        plan_changes.retire_action(action=action, user=user, reason=reason, at=at)
    return amendment


def _proposed(amendment):
    rows = amendment.responsibilities.select_related("institution__country")
    return [(row.institution, row.role) for row in rows]


def _iso(day):
    return day.isoformat() if day else None
