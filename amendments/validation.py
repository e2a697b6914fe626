"""What each kind of amendment must say before it can be proposed, checked with the plan as it
stands; the messages name the field to correct."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from actions.models import Responsibility, Status
from amendments.models import Amendment
from partners.models import Side

Kind = Amendment.Kind


def check_proposal(amendment, responsibilities):
    """Raise ValidationError if `amendment` (unsaved) and its [(institution, role)] are invalid."""
    errors = {}
    if not amendment.reason:
        errors["reason"] = _("Say why the plan should be amended.")
    kind = amendment.kind
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what the amendment changes.")})
    if kind != Kind.NEW_ACTION and amendment.action is None:
        raise ValidationError({"action": _("Choose the action the amendment changes.")})
    if kind == Kind.NEW_ACTION:
        errors.update(_check_new_action(amendment))
    elif kind == Kind.TITLE:
        errors.update(_both_languages(amendment, "title"))
    elif kind == Kind.TEXT:
        errors.update(_both_languages(amendment, "text"))
    elif kind == Kind.TARGET_DATE:
        errors.update(_check_target_date(amendment))
    elif kind == Kind.MILESTONE:
        errors.update(_check_milestone(amendment))
    elif kind == Kind.RESPONSIBILITIES and not responsibilities:
        errors["responsibilities"] = _("Name the institutions responsible for the action.")
    if kind == Kind.RETIREMENT and amendment.action.status == Status.DISCONTINUED:
        errors["action"] = _("This action has already been retired.")
    if responsibilities:
        message = _responsibilities_problem(responsibilities)
        if message:
            errors["responsibilities"] = message
    if not errors and _same_change_waiting(amendment):
        errors["kind"] = _("An amendment of this kind to this action is already waiting.")
    if errors:
        raise ValidationError(errors)


def _both_languages(amendment, field):
    errors = {}
    for language, label in (("en", _("English")), ("es", _("Spanish"))):
        if not getattr(amendment, f"{field}_{language}"):
            errors[f"{field}_{language}"] = _("Give the proposed wording in %(language)s.") % {
                "language": label
            }
    return errors


def _check_new_action(amendment):
    errors = {**_both_languages(amendment, "title"), **_both_languages(amendment, "text")}
    new_chapter = amendment.chapter_title_en or amendment.chapter_title_es
    if amendment.chapter is None and not new_chapter:
        errors["chapter"] = _("Choose the chapter of the new action, or name a new chapter.")
    elif amendment.chapter is not None and new_chapter:
        errors["chapter"] = _("Choose a chapter or name a new one, not both.")
    elif new_chapter:
        errors.update(_both_languages(amendment, "chapter_title"))
    if amendment.target_date is None:
        errors["target_date"] = _("Give the new action's target date.")
    return errors


def _check_target_date(amendment):
    action = amendment.action
    if amendment.target_date is None:
        return {"target_date": _("Give the new target date.")}
    if amendment.target_date == action.target_date:
        return {"target_date": _("This is already the action's target date.")}
    if action.start_date and amendment.target_date < action.start_date:
        return {"target_date": _("The target date cannot come before the action starts.")}
    return {}


def _check_milestone(amendment):
    milestone, action = amendment.milestone, amendment.action
    if milestone is None or milestone.action_id != action.pk:
        return {"milestone": _("Choose a milestone of this action.")}
    if amendment.due_date is None:
        return {"due_date": _("Give the milestone's new due date.")}
    if action.target_date and amendment.due_date <= action.target_date:
        return {
            "due_date": _(
                "A milestone moved within the action's target date needs no amendment: "
                "edit the milestone instead."
            )
        }
    if amendment.due_date < milestone.start_date:
        return {"due_date": _("A milestone cannot be due before it starts.")}
    return {}


def _responsibilities_problem(responsibilities):
    leads, seen = set(), set()
    for institution, role in responsibilities:
        if institution.pk in seen:
            return _("%(institution)s is named twice.") % {"institution": institution.short_name}
        seen.add(institution.pk)
        if role not in Responsibility.Role.values:
            return _("Choose lead or partner.")
        if role == Responsibility.Role.LEAD:
            if institution.side == Side.MULTILATERAL:
                return _("A multilateral body cannot lead an action.")
            if institution.side in leads:
                return _("Each side has at most one lead institution.")
            leads.add(institution.side)
    return ""


def _same_change_waiting(amendment):
    if amendment.action is None:
        return False
    waiting = Amendment.objects.filter(
        state=Amendment.State.PROPOSED, kind=amendment.kind, action=amendment.action
    )
    if amendment.kind == Kind.MILESTONE:
        waiting = waiting.filter(milestone=amendment.milestone)
    return waiting.exists()
