"""Events found by query from what the services already record: updates submitted (each
revision), returned and jointly approved; reports ready for release and released; amendments
and joint assessments proposed, for the plan administrators who decide them.

Nothing in `actions` or `reporting` calls this app: a task run every minute looks for events
since the last moments it may announce, and the Delivery records make looking twice harmless.
Events from before notifications started (the Start row, written by the first run) or older
than NOTIFY_EVENTS_WITHIN_HOURS are never announced.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import ProgressUpdate, Responsibility, Review
from amendments.describing import proposed_change_in_brief
from amendments.models import Amendment
from assessments.models import JointAssessment
from notifications.models import Kind, Start
from partners.models import display_name
from plancore import permissions
from reporting.models import Report

State = ProgressUpdate.ReviewState


@dataclass(frozen=True)
class Owed:
    """A notification one person should get (not yet claimed)."""

    recipient_id: int
    kind: str
    key: str
    threshold: int = 0
    facts: dict = field(default_factory=dict, compare=False, hash=False)


def announce_since(now):
    """The earliest moment whose events are still announced."""
    start = Start.objects.order_by("pk").first() or Start.objects.create(started_at=now)
    window = now - timedelta(hours=settings.NOTIFY_EVENTS_WITHIN_HOURS)
    return max(start.started_at, window)


def _updates():
    return ProgressUpdate.objects.select_related("action", "author").prefetch_related(
        Prefetch("action__responsibilities", queryset=Responsibility.objects.order_by("pk")),
        Prefetch("reviews", queryset=Review.objects.for_updates()),
    )


def update_facts(update):
    return {
        "action": update.action.number,
        "title": update.action.short_title,
        "author": display_name(update.author),
        "path": reverse("actions:detail", args=[update.action_id]),
    }


def submitted(people, since):
    """Each revision of an update submitted since then, to who may decide for each side."""
    ids = (
        ProgressUpdate.history.filter(history_date__gte=since, review_state=State.SUBMITTED)
        .values_list("id", flat=True)
        .distinct()
    )
    for update in _updates().filter(pk__in=list(ids), review_state=State.SUBMITTED):
        decided = {review.side for review in update.reviews.all()}
        facts = update_facts(update) | {"review_path": reverse("actions:review_queue")}
        for side in permissions.COUNTRY_SIDES:
            if side in decided:
                continue
            for person in people.deciders(update, side):
                yield Owed(
                    person,
                    Kind.SUBMITTED,
                    f"update-{update.pk}:r{update.revision}:{side}",
                    facts=facts | {"side": side},
                )


def returned(people, since):
    """A side's return of an update, to its author, with the comment."""
    reviews = Review.objects.filter(
        decision=Review.Decision.RETURNED, decided_at__gte=since
    ).select_related("update__action", "update__author", "reviewer")
    for review in reviews:
        facts = update_facts(review.update) | {
            "comment": review.comment,
            "reviewer": display_name(review.reviewer),
            "side": review.side,
        }
        yield Owed(review.update.author_id, Kind.RETURNED, f"review-{review.pk}", facts=facts)


def approved(people, since):
    """A jointly approved update, to its author and the liaisons responsible for the action."""
    updates = (
        _updates().filter(review_state=State.APPROVED, reviews__decided_at__gte=since).distinct()
    )
    for update in updates:
        facts = update_facts(update)
        told = {update.author_id}
        for responsibility in update.action.responsibilities.all():
            told |= people.liaisons.get(responsibility.institution_id, set())
        for person in told:
            yield Owed(person, Kind.APPROVED, f"update-{update.pk}", facts=facts)


def _in_languages(describe):
    """{language: describe()} for every language of the portal: the e-mail speaks the
    recipient's."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(describe())
    return texts


def report_facts(report):
    return {"report": _in_languages(lambda: str(report)), "path": reverse("reporting:list")}


def _reports():
    return Report.objects.select_related("chapter", "institution")


def report_ready(people, since):
    """A built report, to those who may release it for a side that has not yet."""
    ready = _reports().filter(state=Report.State.READY, finished_at__gte=since)
    ready = ready.filter(Q(released_dk_at__isnull=True) | Q(released_mx_at__isnull=True))
    for report in ready:
        facts = report_facts(report)
        for side in permissions.COUNTRY_SIDES:
            for person in people.side_speakers(side):
                user = people.users[person]
                if side in permissions.release_sides(user, report) and permissions.can_see_report(
                    user, report
                ):
                    yield Owed(person, Kind.REPORT_READY, f"report-{report.pk}:{side}", facts=facts)


def report_released(people, since):
    """A report both sides released, to everyone who asked to be told (and may see it)."""
    released = _reports().filter(
        Q(released_dk_at__gte=since, released_mx_at__isnull=False)
        | Q(released_mx_at__gte=since, released_dk_at__isnull=False)
    )
    for report in released:
        facts = report_facts(report)
        for person, user in people.users.items():
            if permissions.can_see_report(user, report):
                yield Owed(person, Kind.REPORT_RELEASED, f"report-{report.pk}", facts=facts)


def amendment_proposed(people, since):
    """A proposal, to the plan administrators of each side that has not decided it yet (the
    proposer aside)."""
    proposed = Amendment.objects.for_list().filter(
        state=Amendment.State.PROPOSED, proposed_at__gte=since
    )
    for amendment in proposed:
        decided = {decision.side for decision in amendment.decisions.all()}
        facts = {
            "amendment": _in_languages(lambda amendment=amendment: str(amendment)),
            "change": _in_languages(
                lambda amendment=amendment: proposed_change_in_brief(amendment)
            ),
            "proposer": display_name(amendment.proposed_by),
            "path": reverse("amendments:detail", args=[amendment.pk]),
        }
        for side in permissions.COUNTRY_SIDES:
            if side in decided:
                continue
            for person in people.administrators[side] - {amendment.proposed_by_id}:
                yield Owed(
                    person,
                    Kind.AMENDMENT,
                    f"amendment-{amendment.pk}:{side}",
                    facts=facts | {"side": side},
                )


def joint_assessment_proposed(people, since):
    """A joint assessment proposed or changed, to the plan administrators of the side that has
    not agreed to it as it stands."""
    proposed = JointAssessment.objects.select_related("action", "proposed_by").filter(
        agreed_at__isnull=True, proposed_at__gte=since
    )
    for joint in proposed:
        facts = {
            "action": joint.action.number,
            "title": _in_languages(lambda joint=joint: joint.action.short_title),
            "period": _in_languages(lambda joint=joint: joint.period.label),
            "proposer": display_name(joint.proposed_by),
            "path": reverse("assessments:action", args=[joint.period, joint.action_id]),
        }
        for side in permissions.COUNTRY_SIDES:
            if joint.agreed_on(side) is not None:
                continue
            for person in people.administrators[side] - {joint.proposed_by_id}:
                yield Owed(
                    person,
                    Kind.JOINT_ASSESSMENT,
                    f"joint-{joint.pk}:v{joint.version}:{side}",
                    facts=facts | {"side": side},
                )


FINDERS = (
    submitted,
    returned,
    approved,
    report_ready,
    report_released,
    amendment_proposed,
    joint_assessment_proposed,
)


def find(people, *, now=None):
    """Every event notification owed since the announcement window opened."""
    since = announce_since(now or timezone.now())
    return [owed for finder in FINDERS for owed in finder(people, since)]
