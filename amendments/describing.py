"""What an amendment changes, said in one line of the reader's language (pages, report annex)."""

from datetime import date

from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from amendments.models import Amendment
from plancore.languages import content_language

Kind = Amendment.Kind


def _day(value):
    if not value:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def _wording(amendment, field):
    language = content_language()
    return getattr(amendment, f"{field}_{language}") or getattr(amendment, f"{field}_en")


def proposed_change(amendment):
    """E.g. "Target date: 31/12/2027 → 30/06/2028" or "New action 9.1: Water utilities"."""
    kind, previous = amendment.kind, amendment.previous or {}
    if kind == Kind.NEW_ACTION:
        title = _wording(amendment, "title")
        if amendment.in_force and amendment.action_id:
            return _("New action %(number)s: %(title)s") % {
                "number": amendment.action.number,
                "title": title,
            }
        if amendment.chapter_id:
            return _("New action in chapter %(chapter)s: %(title)s") % {
                "chapter": amendment.chapter.number,
                "title": title,
            }
        return _("New action in a new chapter, “%(chapter)s”: %(title)s") % {
            "chapter": _wording(amendment, "chapter_title"),
            "title": title,
        }
    if kind == Kind.TITLE:
        return _("Title: %(title)s") % {"title": _wording(amendment, "title")}
    if kind == Kind.TEXT:
        return _("Text: %(text)s") % {"text": _wording(amendment, "text")}
    if kind == Kind.TARGET_DATE:
        before = previous.get("target_date", amendment.action.target_date)
        return _("Target date: %(before)s → %(after)s") % {
            "before": _day(before),
            "after": _day(amendment.target_date),
        }
    if kind == Kind.MILESTONE:
        before = previous.get("due_date", amendment.milestone.due_date)
        return _("Milestone “%(title)s” due: %(before)s → %(after)s") % {
            "title": amendment.milestone.title,
            "before": _day(before),
            "after": _day(amendment.due_date),
        }
    if kind == Kind.RESPONSIBILITIES:
        rows = amendment.responsibilities.all()
        return _("Responsible institutions: %(list)s") % {
            "list": ", ".join(
                f"{row.institution.short_name} ({row.get_role_display().lower()})" for row in rows
            )
        }
    return _("Action retired; it keeps its number.")


def proposed_change_in_brief(amendment, length=120):
    """proposed_change on one line, cut at `length` characters: for an inbox item or an
    e-mail, where a new text of several paragraphs would not fit (the page shows it whole)."""
    return Truncator(" ".join(proposed_change(amendment).split())).chars(length)
