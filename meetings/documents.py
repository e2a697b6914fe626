"""A meeting's agenda and minutes as documents of the report pipeline: the reporting app builds
them (Celery, a PDF per language) and both sides release them like any report."""

from django.template.loader import render_to_string
from django.utils import timezone

from meetings import selectors
from partners.models import Side
from reporting.rendering import register_document


def _context(report):
    meeting = selectors.meeting_for_page(report.meeting_id)
    participants = {Side.DK: [], Side.MX: []}
    for participant in meeting.participants.all():
        participants[participant.side].append(participant)
    return {
        "meeting": meeting,
        "plan": meeting.plan,
        "parties": list(meeting.plan.parties.order_by("code")),
        "participants": [(Side(side).label, people) for side, people in participants.items()],
        "agenda": selectors.agenda_lines(meeting),
        "language": report.language,
        "as_of": report.as_of,
        "generated_on": timezone.localdate(),
        "title": f"{report.get_kind_display()} — {meeting.title}",
    }


def agenda_html(report):
    return render_to_string("meetings/agenda_document.html", _context(report)), report.as_of


def minutes_html(report):
    context = _context(report)
    context["decisions"] = list(context["meeting"].decisions.all())
    return render_to_string("meetings/minutes_document.html", context), report.as_of


def register():
    register_document("agenda", agenda_html)
    register_document("minutes", minutes_html)
