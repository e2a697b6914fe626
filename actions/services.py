"""Every write to actions, milestones and progress updates goes through these functions.

Views, the admin, management commands and tasks all call them, so a rule is enforced once and
history always names the acting user. `at` lets imports and the demo record a past moment. What
people write records the language they wrote it in: the content language of the active language
(plancore/languages.py); actions/translating.py adds the other language.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import figures
from actions.models import Action, Milestone, ProgressUpdate, Review, Status
from partners.models import Side
from plancore.history import delete_with_history
from plancore.languages import content_language, other_language, shown_language


class EditConflict(Exception):
    """The action or milestone changed after the editor loaded it; nothing was saved."""

    def __init__(self, current):
        super().__init__(f"{current} is now at version {current.version}")
        self.current = current


@transaction.atomic
def update_action_status(*, action, user, status, progress, expected_version, at=None):
    """Set an action's status and progress, refusing if someone else changed it meanwhile."""
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    if status == Status.COMPLETED and progress != 100:
        raise ValidationError({"progress": _("A completed action is at 100% progress.")})
    current.status = status
    current.progress = progress
    current.version += 1
    return figures.saved(current, user=user, at=at)


@transaction.atomic
def submit_update(
    *, action, author, status, progress, narrative, evidence_url="", evidence_file=None, at=None
):
    """Record a progress update; it waits for both sides' review."""
    update = ProgressUpdate(
        action=action,
        author=author,
        status=status,
        progress=progress,
        narrative=narrative.strip(),
        language=content_language(),
        evidence_url=evidence_url,
        submitted_at=at or timezone.now(),
    )
    if evidence_file is not None:
        update.evidence_file = evidence_file
    return figures.saved(update, user=author, at=at)


@transaction.atomic
def report_progress(
    *,
    action,
    user,
    status,
    progress,
    narrative,
    expected_version,
    evidence_url="",
    evidence_file=None,
    at=None,
):
    """The status form: set the action's status and progress and post the narrative for review.

    Both happen or neither: a conflict or an invalid update leaves the action as it was.
    """
    action = update_action_status(
        action=action,
        user=user,
        status=status,
        progress=progress,
        expected_version=expected_version,
        at=at,
    )
    update = submit_update(
        action=action,
        author=user,
        status=status,
        progress=progress,
        narrative=narrative,
        evidence_url=evidence_url,
        evidence_file=evidence_file,
        at=at,
    )
    return action, update


@transaction.atomic
def review_update(*, update, reviewer, side, decision, comment="", at=None):
    """Record one side's decision; the update is jointly approved once both sides approved."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if side not in (Side.DK, Side.MX):
        raise ValidationError({"side": _("Only the Danish or the Mexican side reviews updates.")})
    if update.review_state != ProgressUpdate.ReviewState.SUBMITTED:
        raise ValidationError(_("This update has already been decided."))
    if reviewer.pk == update.author_id:
        raise ValidationError(_("Nobody decides on their own update."))
    if update.reviews.filter(side=side).exists():
        raise ValidationError(_("This side has already reviewed the update."))
    decided_at = at or timezone.now()
    if decided_at < update.submitted_at:
        raise ValidationError(_("An update cannot be reviewed before it was submitted."))
    review = Review(
        update=update,
        side=side,
        reviewer=reviewer,
        decision=decision,
        comment=comment.strip(),
        language=content_language(),
        decided_at=decided_at,
    )
    if decision == Review.Decision.RETURNED and not review.comment:
        raise ValidationError({"comment": _("Say why the update is returned.")})
    figures.saved(review, user=reviewer, at=at)

    decisions = set(update.reviews.values_list("side", "decision"))
    if any(d == Review.Decision.RETURNED for _side, d in decisions):
        update.review_state = ProgressUpdate.ReviewState.RETURNED
    elif {(Side.DK, Review.Decision.APPROVED), (Side.MX, Review.Decision.APPROVED)} <= decisions:
        update.review_state = ProgressUpdate.ReviewState.APPROVED
    else:
        return review
    figures.saved(update, user=reviewer, at=at)
    if update.review_state == ProgressUpdate.ReviewState.APPROVED:
        _supersede_older_waiting(update, user=reviewer, at=at)
    return review


def _supersede_older_waiting(approved, *, user, at=None):
    """Older updates on the same action still waiting for review, or returned to be revised,
    leave the queues and the inboxes once a newer one is jointly approved: they are marked
    superseded (history keeps them), never deleted."""
    older = ProgressUpdate.objects.select_for_update().filter(
        Q(submitted_at__lt=approved.submitted_at)
        | Q(submitted_at=approved.submitted_at, pk__lt=approved.pk),
        action_id=approved.action_id,
        review_state__in=[
            ProgressUpdate.ReviewState.SUBMITTED,
            ProgressUpdate.ReviewState.RETURNED,
        ],
    )
    for update in older:
        update.review_state = ProgressUpdate.ReviewState.SUPERSEDED
        figures.saved(update, user=user, at=at)


@transaction.atomic
def resubmit_update(
    *,
    update,
    author,
    status,
    progress,
    narrative,
    expected_version,
    evidence_url="",
    evidence_file=None,
    at=None,
):
    """The author's revision of a returned update, sent for review again.

    Like the status form, it sets the action's status and progress too. The revision number goes
    up, the earlier decisions are removed (their history stays) and both sides decide afresh.
    Evidence: a new file replaces the old one; without one the old file stays.
    """
    update = ProgressUpdate.objects.select_for_update().select_related("action").get(pk=update.pk)
    if update.author_id != author.pk:
        raise ValidationError(_("Only the author of an update may revise it."))
    if update.review_state != ProgressUpdate.ReviewState.RETURNED:
        raise ValidationError(_("Only a returned update can be revised and submitted again."))
    action = update_action_status(
        action=update.action,
        user=author,
        status=status,
        progress=progress,
        expected_version=expected_version,
        at=at,
    )
    for review in update.reviews.all():
        delete_with_history(review, user=author, at=at)
    update.action = action
    update.status = status
    update.progress = progress
    update.narrative = narrative.strip()
    update.language = content_language()
    # A translation of the earlier narrative would no longer say the same.
    update.narrative_translation = ""
    update.translated_by = None
    update.evidence_url = evidence_url
    if evidence_file is not None:
        update.evidence_file = evidence_file
    update.submitted_at = at or timezone.now()
    update.review_state = ProgressUpdate.ReviewState.SUBMITTED
    update.revision += 1
    figures.saved(update, user=author, at=at)
    return action, update


@transaction.atomic
def add_milestone(*, action, user, title, start_date, due_date, responsible=None, at=None):
    language = content_language()
    milestone = Milestone(
        action=action,
        title=title.strip(),
        **{f"title_{language}": title.strip()},
        language=language,
        start_date=start_date,
        due_date=due_date,
        responsible=responsible,
    )
    return figures.saved(milestone, user=user, at=at)


@transaction.atomic
def edit_milestone(
    *, milestone, user, title, start_date, due_date, responsible=None, expected_version, at=None
):
    """Change a milestone, refusing if someone else changed it since the editor opened it."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.version != expected_version:
        raise EditConflict(milestone)
    milestone.version += 1
    # The title in the language the editor saw it in: their own, or the one it fell back to.
    setattr(milestone, f"title_{shown_language(milestone, 'title')}", title.strip())
    milestone.start_date = start_date
    milestone.due_date = due_date
    milestone.responsible = responsible
    return figures.saved(milestone, user=user, at=at)


@transaction.atomic
def complete_milestone(*, milestone, user, done_on, at=None):
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if done_on < milestone.start_date:
        raise ValidationError({"done_on": _("A milestone cannot be done before it starts.")})
    if done_on > timezone.localdate(at):
        raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
    milestone.done_on = done_on
    milestone.version += 1
    return figures.saved(milestone, user=user, at=at)


@transaction.atomic
def translate_update(*, update, user, text, at=None):
    """Add (or correct) the translation of an update's narrative into the other language."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the translation.")})
    update.narrative_translation = text
    update.translated_by = user
    return figures.saved(update, user=user, at=at)


@transaction.atomic
def translate_milestone(*, milestone, user, title, expected_version, at=None):
    """Add (or correct) a milestone's title in the other language than it was written in."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.version != expected_version:
        raise EditConflict(milestone)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Write the translation.")})
    setattr(milestone, f"title_{other_language(milestone.language)}", title)
    milestone.translated_by = user
    milestone.version += 1
    return figures.saved(milestone, user=user, at=at)
