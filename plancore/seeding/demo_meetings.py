"""Two past high-level meetings for the demo, held through the meetings' services at their
moments: their agendas drafted from the plan as it stood then, and decisions, one made a
milestone at each, one still waiting; the second meeting's agenda follows up the first's."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from actions.models import Action, Responsibility
from meetings import services
from meetings.models import AgendaItem, Decision, Meeting
from partners.models import Side


def _at(day, hour):
    return datetime.combine(day, time(hour), UTC)


def _lead(action, side):
    lead = (
        Responsibility.objects.filter(action=action, side=side, role=Responsibility.Role.LEAD)
        .select_related("institution")
        .first()
    )
    return lead.institution if lead else None


def _hold(plan, users, *, kind, day, place, chapter=None, guests=()):
    organiser = users["embassy-dk"]
    arranged = _at(day - timedelta(days=30), 9)
    meeting = services.create_meeting(
        plan=plan,
        user=organiser,
        kind=kind,
        chapter=chapter,
        date=day,
        starts_at=time(10),
        ends_at=time(13),
        place=place,
        at=arranged,
    )
    for side, username in ((Side.DK, "embassy-dk"), (Side.MX, "embassy-mx")):
        services.add_participant(
            meeting=meeting, user=organiser, side=side, person=users[username], at=arranged
        )
    for side, name, institution in guests:
        services.add_participant(
            meeting=meeting,
            user=organiser,
            side=side,
            name=name,
            institution=institution,
            at=arranged,
        )
    services.draft_agenda(
        meeting=meeting, user=organiser, today=day, at=_at(day - timedelta(days=7), 9)
    )
    return meeting


def _decide(meeting, users, *, action, title, text, accept, due_in_days=150):
    owner = _lead(action, Side.MX) or _lead(action, Side.DK)
    decision = services.record_decision(
        meeting=meeting,
        user=users["embassy-mx"],
        title=title,
        text=text,
        outcome=Decision.Outcome.MILESTONE,
        actions=[action],
        owner=owner,
        due_date=meeting.date + timedelta(days=due_in_days),
        at=_at(meeting.date, 13),
    )
    if accept:
        services.accept_decision(
            decision=decision,
            user=users["embassy-dk"],
            at=_at(meeting.date + timedelta(days=2), 10),
        )
    return decision


def hold_demo_meetings(plan, users, now=None):
    """Two meetings: the political consultations of a year ago and a working group four months
    ago, each with decisions. Returns the number of meetings."""
    today = timezone.localdate(now)
    first_day, second_day = today - timedelta(days=400), today - timedelta(days=120)
    first = _hold(
        plan,
        users,
        kind=Meeting.Kind.CONSULTATIONS,
        day=first_day,
        place="Secretaría de Relaciones Exteriores, Mexico City",
        guests=[
            (Side.DK, "Head of the Americas Department", "Ministry of Foreign Affairs of Denmark"),
            (Side.MX, "Director General for Europe", "Secretaría de Relaciones Exteriores"),
        ],
    )
    flagged = list(
        first.agenda.filter(section=AgendaItem.Section.DELAYED).values_list("action_id", flat=True)
    )
    actions = list(Action.objects.in_plan(plan).filter(pk__in=flagged).order_by("pk")[:2])
    if len(actions) < 2:
        actions = list(Action.objects.in_plan(plan).order_by("pk")[:2])
    _decide(
        first,
        users,
        action=actions[0],
        title="Joint recovery plan agreed by both leads",
        text="Both lead institutions present a joint recovery plan with dates to the next "
        "meeting of the working group.",
        accept=True,
    )
    _decide(
        first,
        users,
        action=actions[1],
        title="Exchange visit of experts",
        text="The parties organise an exchange visit of experts before the end of the year.",
        accept=False,
        due_in_days=240,
    )
    second = _hold(
        plan,
        users,
        kind=Meeting.Kind.WORKING_GROUP,
        chapter=actions[0].chapter,
        day=second_day,
        place="Royal Danish Embassy, Mexico City",
        guests=[(Side.MX, "Coordinator for international affairs", "SEMARNAT")],
    )
    _decide(
        second,
        users,
        action=actions[0],
        title="Progress review of the recovery plan",
        text="The working group reviews the recovery plan's progress in writing each quarter.",
        accept=True,
        due_in_days=90,
    )
    return 2
