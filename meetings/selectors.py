"""What the meeting pages and documents read, in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.models import Action
from meetings.models import AgendaItem, Decision, Meeting, Participant
from plancore import permissions
from plancore.languages import SIGNED_LANGUAGE, shown_language
from reporting.periods import Period


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def meetings_for_list(plan):
    return Meeting.objects.filter(plan=plan).select_related("chapter")


def meeting_for_page(pk):
    """A meeting with its participants, agenda and decisions and what they point at."""
    return (
        Meeting.objects.select_related("plan", "chapter")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user").order_by("side", "pk"),
            ),
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related(
                    "action",
                    "milestone__action",
                    "update__action",
                    "decision__meeting",
                    "decision__milestone",
                    "decision__amendment",
                    "amendment__action",
                )
                .prefetch_related(
                    "amendment__responsibilities", "amendment__action__responsibilities"
                )
                .order_by("position"),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "owner", "milestone", "amendment", "recorded_by", "accepted_by"
                )
                .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("pk")))
                .order_by("number"),
            ),
        )
        .get(pk=pk)
    )


def item_text(item, user=None):
    """(text, its language) of an agenda item in the reader's language: as staff wrote it, or
    read from what the portal drafted it for. An amendment the `user` may not see (a proposal,
    to an official) is named by its number only."""
    if item.title:
        return item.title, item.language
    if item.amendment_id:
        amendment = item.amendment
        if user is not None and not permissions.can_see_amendment(user, amendment):
            return str(amendment), None
        text = f"{amendment}: {amendment.get_kind_display()}"
        if amendment.action_id:
            text += f" ({amendment.action.number})"
        return text, None
    period = assessed_period(item)
    if period is not None and item.action_id:
        action = item.action
        return (
            f"{action.number} {action.short_title}, {period.label}",
            shown_language(action, "short_title"),
        )
    if item.section == AgendaItem.Section.FOLLOW_UP and item.decision_id:
        decision = item.decision
        if decision.milestone_id and decision.milestone.done_on:
            where = _("done on %(date)s") % {"date": day(decision.milestone.done_on)}
        elif decision.milestone_id:
            where = _("milestone due %(date)s") % {"date": day(decision.milestone.due_date)}
        elif decision.amendment_id:
            where = f"{decision.amendment}: {decision.amendment.get_state_display()}"
        else:
            where = _("not yet accepted")
        text = _("Decision %(number)s of the meeting of %(date)s: %(title)s (%(where)s)") % {
            "number": decision.number,
            "date": day(decision.meeting.date),
            "title": decision.title,
            "where": where,
        }
        return text, decision.language
    if item.milestone_id:
        milestone = item.milestone
        text = _("%(number)s %(title)s, due %(date)s") % {
            "number": milestone.action.number,
            "title": milestone.title,
            "date": day(milestone.due_date),
        }
        return text, shown_language(milestone, "title")
    if item.update_id:
        update = item.update
        text = _("%(number)s: update of %(date)s (revision %(revision)s)") % {
            "number": update.action.number,
            "date": day(update.submitted_at.date()),
            "revision": update.revision,
        }
        return text, None
    if item.action_id:
        action = item.action
        return f"{action.number} {action.short_title}", shown_language(action, "short_title")
    return item.drafted_text, SIGNED_LANGUAGE


def assessed_period(item):
    """The period of an agenda item on assessments that differ ("assessment:2025-q2"), else
    None."""
    kind, _sep, slug = item.subject_key.partition(":")
    return Period.from_slug(slug) if kind == "assessment" else None


def agenda_lines(meeting, user=None):
    """Each item of a meeting read with meeting_for_page, with its text for the reader (the
    documents, built for both governments, pass no user)."""
    lines = []
    for item in meeting.agenda.all():
        item.text, item.text_lang = item_text(item, user)
        period = assessed_period(item)
        if period is not None:
            item.period = period
        lines.append(item)
    return lines
