"""Writes that change the plan's wording and structure: an action's title, text, target date or
responsible institutions, an action retired, a new action or chapter, a milestone moved.

They run when an amendment agreed by both sides takes effect (amendments/services.py), with `at`
the moment of the second approval and `reason` naming the amendment in the history rows. Like
actions/services.py, every write is checked, locked and recorded with its user.
"""

from django.db import transaction
from django.utils import timezone

from actions import figures
from actions.models import Action, Milestone, Responsibility, Status
from actions.search import index_for_search
from plancore.history import delete_with_history
from plancore.models import Chapter


@transaction.atomic
def amend_action(
    *,
    action,
    user,
    short_title_en=None,
    short_title_es=None,
    text_en=None,
    text_es=None,
    target_date=None,
    reason="",
    at=None,
):
    """Change an action's title, text (both languages) or target date; None leaves a field."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    wording = {
        "short_title_en": short_title_en,
        "short_title_es": short_title_es,
        "text_en": text_en,
        "text_es": text_es,
    }
    for name, value in wording.items():
        if value is not None:
            setattr(action, name, value.strip())
    if target_date is not None:
        action.target_date = target_date
    action.version += 1
    figures.saved(action, user=user, at=at, reason=reason)
    if any(value is not None for value in wording.values()):
        index_for_search(Action.objects.filter(pk=action.pk))  # found by its new words at once
    return action


@transaction.atomic
def retire_action(*, action, user, reason="", at=None):
    """An action the two sides no longer pursue: discontinued, keeping its number for good."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    action.status = Status.DISCONTINUED
    action.version += 1
    return figures.saved(action, user=user, at=at, reason=reason)


@transaction.atomic
def replace_responsibilities(*, action, user, responsibilities, reason="", at=None):
    """Make [(institution, role), …] the action's whole list of responsible institutions.

    Removed rows are deleted (their history stays); partners are set before leads so that a
    side never holds two leads on the way.
    """
    action = Action.objects.select_for_update().get(pk=action.pk)
    wanted = {institution.pk: (institution, role) for institution, role in responsibilities}
    current = {r.institution_id: r for r in action.responsibilities.select_for_update()}
    for institution_id, row in current.items():
        if institution_id not in wanted:
            delete_with_history(row, user=user, at=at, reason=reason)
    ordered = sorted(wanted.values(), key=lambda pair: pair[1] == Responsibility.Role.LEAD)
    for institution, role in ordered:
        row = current.get(institution.pk) or Responsibility(action=action, institution=institution)
        if row.pk and row.role == role:
            continue
        row.side, row.role = institution.side, role
        figures.saved(row, user=user, at=at, reason=reason)
    action.version += 1
    return figures.saved(action, user=user, at=at, reason=reason)


def _next_unused(numbers):
    return max(numbers, default=0) + 1


@transaction.atomic
def add_chapter(*, plan, user, title_en, title_es, reason="", at=None):
    """A new chapter (a new sector of cooperation), numbered after every chapter the plan ever
    had: a number is never given twice."""
    used = Chapter.history.filter(plan_id=plan.pk).values_list("number", flat=True)
    chapter = Chapter(
        plan=plan,
        number=_next_unused(used),
        title=title_en.strip(),
        title_en=title_en.strip(),
        title_es=title_es.strip(),
    )
    return figures.saved(chapter, user=user, at=at, reason=reason)


@transaction.atomic
def add_action(
    *,
    chapter,
    user,
    short_title_en,
    short_title_es,
    text_en,
    text_es,
    target_date,
    responsibilities=(),
    reason="",
    at=None,
):
    """A new action at the end of its chapter, numbered after every action the chapter ever
    had (a retired action keeps its number, and no number is reused)."""
    Chapter.objects.select_for_update().get(pk=chapter.pk)
    used = Action.history.filter(chapter_id=chapter.pk).values_list("position", flat=True)
    position = _next_unused(used)
    action = Action(
        chapter=chapter,
        position=position,
        number=f"{chapter.number}.{position}",
        short_title=short_title_en.strip(),
        short_title_en=short_title_en.strip(),
        short_title_es=short_title_es.strip(),
        text=text_en.strip(),
        text_en=text_en.strip(),
        text_es=text_es.strip(),
        start_date=timezone.localdate(at),
        target_date=target_date,
    )
    figures.saved(action, user=user, at=at, reason=reason)
    index_for_search(Action.objects.filter(pk=action.pk))
    if responsibilities:
        action = replace_responsibilities(
            action=action, user=user, responsibilities=responsibilities, reason=reason, at=at
        )
    return action


@transaction.atomic
def reschedule_milestone(*, milestone, user, due_date, reason="", at=None):
    """Move a milestone's due date (an amendment when it passes the action's target date)."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.due_date = due_date
    milestone.version += 1
    return figures.saved(milestone, user=user, at=at, reason=reason)
