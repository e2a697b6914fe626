"""Every write to meetings, their participants, agenda and decisions. Views, the admin and the
demo call these; history names the acting user, and `at` lets the demo record a past moment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import services as actions
from amendments import services as amendments
from amendments.models import Amendment
from meetings import drafting
from meetings.models import AgendaItem, Decision, Meeting, Participant
from plancore.history import delete_with_history, save_with_history
from plancore.languages import content_language
from reporting import services as reporting

MEETING_FIELDS = ("kind", "chapter", "date", "starts_at", "ends_at", "place")


@transaction.atomic
def create_meeting(
    *, plan, user, kind, date, place, chapter=None, starts_at=None, ends_at=None, at=None
):
    meeting = Meeting(
        plan=plan,
        kind=kind,
        chapter=chapter,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        created_by=user,
    )
    return save_with_history(meeting, user=user, at=at)


@transaction.atomic
def edit_meeting(*, meeting, user, kind, date, place, chapter=None, starts_at=None, ends_at=None):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.kind, meeting.chapter, meeting.date = kind, chapter, date
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place.strip()
    return save_with_history(meeting, user=user)


@transaction.atomic
def add_participant(*, meeting, user, side, person=None, name="", institution="", at=None):
    """A user of the portal (`person`) or a guest named with their institution, on one side."""
    if person is not None and (name.strip() or institution.strip()):
        raise ValidationError(_("Choose a user of the portal or name a guest, not both."))
    if person is None and not (name.strip() and institution.strip()):
        raise ValidationError(_("Name the guest and their institution, or choose a user."))
    if person is not None and meeting.participants.filter(user=person).exists():
        raise ValidationError({"person": _("This person is already a participant.")})
    participant = Participant(
        meeting=meeting, side=side, user=person, name=name.strip(), institution=institution.strip()
    )
    return save_with_history(participant, user=user, at=at)


@transaction.atomic
def remove_participant(*, participant, user):
    delete_with_history(participant, user=user)


def _next_position(meeting):
    return (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def draft_agenda(*, meeting, user, today=None, at=None):
    """Add to the agenda what the plan's state calls for that it does not list yet; items staff
    added or changed stay as they are. Returns the items added."""
    meeting = Meeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    listed = {drafting.item_key(item) for item in meeting.agenda.all()}
    position = _next_position(meeting)
    added = []
    for draft in drafting.draft(meeting, today):
        if draft.key in listed:
            continue
        item = AgendaItem(
            meeting=meeting,
            position=position,
            drafted=True,
            drafted_text=draft.text[:300],
            **{name: getattr(draft, name) for name in drafting.KEY_FIELDS},
        )
        added.append(save_with_history(item, user=user, at=at))
        listed.add(draft.key)
        position += 1
    return added


@transaction.atomic
def add_agenda_item(*, meeting, user, title, notes=""):
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        section=AgendaItem.Section.OTHER,
        title=title.strip(),
        notes=notes.strip(),
        language=content_language(),
    )
    return save_with_history(item, user=user)


@transaction.atomic
def edit_agenda_item(*, item, user, title, notes=""):
    """Retitle an item or add notes; a drafted item keeps what the portal drafted beside it."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    title = title.strip()
    if not title and not item.drafted:
        raise ValidationError({"title": _("Give the item a title.")})
    item.title = title
    item.notes = notes.strip()
    item.language = content_language()
    return save_with_history(item, user=user)


@transaction.atomic
def move_agenda_item(*, item, user, up):
    """Swap an item with the one before (`up`) or after it; at either end nothing changes."""
    Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    neighbours = AgendaItem.objects.filter(meeting_id=item.meeting_id)
    if up:
        other = neighbours.filter(position__lt=item.position).order_by("-position").first()
    else:
        other = neighbours.filter(position__gt=item.position).order_by("position").first()
    if other is None:
        return item
    mine, theirs = item.position, other.position
    item.position = 0  # free the position while the two change places
    save_with_history(item, user=user)
    other.position = mine
    save_with_history(other, user=user)
    item.position = theirs
    return save_with_history(item, user=user)


@transaction.atomic
def remove_agenda_item(*, item, user):
    """Take an item off the agenda; its history keeps it. Drafting again brings a removed
    drafted item back while the plan still calls for it."""
    delete_with_history(item, user=user)


def _check_decision(*, meeting, outcome, actions, owner, due_date, amendment_kind, at):
    if timezone.localdate(at) < meeting.date:
        raise ValidationError(_("Decisions are recorded at or after the meeting, not before it."))
    if outcome == Decision.Outcome.AMENDMENT:
        if len(actions) != 1:
            raise ValidationError(
                {"actions": _("A decision that proposes an amendment is linked to one action.")}
            )
        if not amendment_kind:
            raise ValidationError({"amendment_kind": _("Say which amendment is proposed.")})
        if amendment_kind == Amendment.Kind.TARGET_DATE and due_date is None:
            raise ValidationError({"due_date": _("Give the action's new target date.")})
    if outcome == Decision.Outcome.MILESTONE:
        if len(actions) != 1:
            raise ValidationError(
                {"actions": _("A decision that becomes a milestone is linked to one action.")}
            )
        if owner is None:
            raise ValidationError({"owner": _("Say which institution owns the milestone.")})
        if due_date is None:
            raise ValidationError({"due_date": _("Give the milestone a due date.")})
        if due_date < meeting.date:
            raise ValidationError(
                {"due_date": _("The milestone cannot be due before the meeting that decided it.")}
            )


@transaction.atomic
def record_decision(
    *,
    meeting,
    user,
    title,
    text,
    outcome,
    actions,
    owner=None,
    due_date=None,
    amendment_kind="",
    at=None,
):
    """Record what the meeting decided, at or after it, linked to the actions it concerns."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    at = at or timezone.now()
    actions = list(actions)
    _check_decision(
        meeting=meeting,
        outcome=outcome,
        actions=actions,
        owner=owner,
        due_date=due_date,
        amendment_kind=amendment_kind,
        at=at,
    )
    proposes = outcome == Decision.Outcome.AMENDMENT
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        number=number,
        title=title.strip(),
        text=text.strip(),
        language=content_language(),
        outcome=outcome,
        owner=owner if outcome == Decision.Outcome.MILESTONE else None,
        due_date=due_date if outcome == Decision.Outcome.MILESTONE or proposes else None,
        amendment_kind=amendment_kind if proposes else "",
        recorded_by=user,
        recorded_at=at,
    )
    save_with_history(decision, user=user, at=at)
    decision.actions.set(actions)
    return decision


@transaction.atomic
def accept_decision(*, decision, user, at=None):
    """Accept a recorded decision: one to become a milestone becomes it now, through the
    milestones' own service, owned and due as decided and linked to the decision; one to
    propose an amendment is proposed, in the accepting person's name and side, through the
    amendments' service (it takes effect once both sides approve it)."""
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.state != Decision.State.RECORDED:
        raise ValidationError(_("This decision has already been accepted."))
    at = at or timezone.now()
    if timezone.localdate(at) < decision.meeting.date:
        raise ValidationError(_("A decision is accepted at or after its meeting."))
    if decision.outcome == Decision.Outcome.MILESTONE:
        action = decision.actions.get()
        decision.milestone = actions.add_milestone(
            action=action,
            user=user,
            title=decision.title,
            # It starts when accepted (or on its due date, if accepted that late).
            start_date=min(timezone.localdate(at), decision.due_date),
            due_date=decision.due_date,
            responsible=decision.owner,
            at=at,
        )
    elif decision.outcome == Decision.Outcome.AMENDMENT:
        decision.amendment = amendments.propose_amendment(
            proposer=user,
            kind=decision.amendment_kind,
            action=decision.actions.get(),
            reason=f"{decision}: {decision.text}",
            target_date=decision.due_date
            if decision.amendment_kind == Amendment.Kind.TARGET_DATE
            else None,
            at=at,
        )
    decision.state = Decision.State.ACCEPTED
    decision.accepted_by = user
    decision.accepted_at = at
    return save_with_history(decision, user=user, at=at)


def request_documents(*, meeting, user, kind, today=None):
    """Have the workers build the meeting's agenda or minutes in English and Spanish; each is
    released by both sides like any report. Minutes only once the meeting has taken place."""
    today = today or timezone.localdate()
    if kind == "minutes" and not meeting.has_taken_place(today):
        raise ValidationError(_("The minutes can be built once the meeting has taken place."))
    as_of = drafting.agenda_date(meeting, today) if kind == "agenda" else today
    reports, unavailable = [], None
    for language in ("en", "es"):
        try:
            reports.append(
                reporting.request_meeting_document(
                    meeting=meeting, kind=kind, language=language, as_of=as_of, user=user
                )
            )
        except reporting.BrokerUnavailable as exc:  # saved as queued; the sweep sends it
            unavailable = exc
    if unavailable is not None:
        raise unavailable
    return reports
