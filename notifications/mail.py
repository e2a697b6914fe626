"""The e-mail one person gets: their notifications in their own language, with absolute links,
a one-click unsubscribe link for each kind and the List-Unsubscribe headers."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Kind, Mode
from notifications.tokens import unsubscribe_token
from partners.models import Side


def absolute(path):
    return settings.PORTAL_URL.rstrip("/") + path


def _side(code):
    return str(Side(code).label) if code in Side.values else code


def describe(delivery):
    """One line saying what this notification is about, in the active language."""
    f = delivery.facts
    action = f"{f.get('action', '')} {f.get('title', '')}".strip()
    if delivery.kind == Kind.SUBMITTED:
        return _("%(author)s submitted an update on %(action)s; you decide for %(side)s.") % {
            "author": f["author"],
            "action": action,
            "side": _side(f["side"]),
        }
    if delivery.kind == Kind.RETURNED:
        return _("%(reviewer)s returned your update on %(action)s for %(side)s: “%(comment)s”") % {
            "reviewer": f["reviewer"],
            "action": action,
            "side": _side(f["side"]),
            "comment": f["comment"],
        }
    if delivery.kind == Kind.APPROVED:
        return _("Both sides approved the update on %(action)s.") % {"action": action}
    if delivery.kind == Kind.REPORT_READY:
        return _("%(report)s is ready for %(side)s to release.") % {
            "report": _report_title(f),
            "side": _side(delivery.key.rsplit(":", 1)[-1]),
        }
    if delivery.kind == Kind.REPORT_RELEASED:
        return _("%(report)s was released by both sides.") % {"report": _report_title(f)}
    if delivery.kind == Kind.AMENDMENT:
        return _("%(proposer)s proposed %(amendment)s: %(change)s. You decide for %(side)s.") % {
            "proposer": f["proposer"],
            "amendment": _in_language(f["amendment"]),
            "change": _in_language(f["change"]).rstrip("."),
            "side": _side(f["side"]),
        }
    if delivery.kind == Kind.JOINT_ASSESSMENT:
        return _(
            "%(proposer)s proposed the joint assessment of %(action)s for %(period)s. You agree "
            "for %(side)s."
        ) % {
            "proposer": f["proposer"],
            "action": f"{f['action']} {_in_language(f['title'])}",
            "period": _in_language(f["period"]),
            "side": _side(f["side"]),
        }
    if delivery.kind == Kind.MILESTONES:
        due = formats.date_format(date.fromisoformat(f["due"]), "DATE_FORMAT")
        values = {"milestone": f["milestone"], "action": action, "due": due, "days": f["days"]}
        if f["state"] == "overdue":
            return (
                ngettext(
                    "Overdue by %(days)s day: “%(milestone)s” of %(action)s (due %(due)s).",
                    "Overdue by %(days)s days: “%(milestone)s” of %(action)s (due %(due)s).",
                    f["days"],
                )
                % values
            )
        return (
            ngettext(
                "Due in %(days)s day: “%(milestone)s” of %(action)s (due %(due)s).",
                "Due in %(days)s days: “%(milestone)s” of %(action)s (due %(due)s).",
                f["days"],
            )
            % values
        )
    if delivery.kind == Kind.REVIEWS:
        values = {"action": action, "days": f["days"], "side": _side(f["side"])}
        if delivery.threshold > 7:
            return (
                _(
                    "Escalated: the update on %(action)s has waited %(days)s days for %(side)s's "
                    "decision."
                )
                % values
            )
        return _("The update on %(action)s has waited %(days)s days for %(side)s's decision.") % (
            values
        )
    if delivery.kind == Kind.STALE:
        return _("%(action)s has had no progress update for %(days)s days.") % {
            "action": action,
            "days": f["days"],
        }
    return action


def _in_language(texts):
    """The text of {language: text} in the active language (else the default one's)."""
    return texts.get(translation.get_language()) or texts.get(settings.LANGUAGE_CODE, "")


def _report_title(facts):
    return _in_language(facts.get("report", {}))


def unsubscribe_url(user_id, kind):
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def compose(user, preferences, deliveries, mode):
    """The e-mail that carries `deliveries` (all for `user`), not yet sent."""
    with translation.override(preferences.language):
        kinds = list(dict.fromkeys(d.kind for d in deliveries))
        groups = [
            {
                "label": Kind(kind).label,
                "items": [
                    {"text": describe(d), "url": absolute(d.facts.get("path", "/"))}
                    for d in deliveries
                    if d.kind == kind
                ],
                "unsubscribe": unsubscribe_url(user.pk, kind),
            }
            for kind in kinds
        ]
        if mode == Mode.DIGEST:
            subject = _("Your daily digest from the Action Plan Portal")
        elif len(deliveries) == 1:
            # One line: a comment or a text of several paragraphs may not break the header.
            subject = " ".join(describe(deliveries[0]).split())
        else:
            subject = _("%(count)s notifications from the Action Plan Portal") % {
                "count": len(deliveries)
            }
        body = render_to_string(
            "notifications/email/message.txt",
            {
                "user": user,
                "groups": groups,
                "digest": mode == Mode.DIGEST,
                "portal_url": absolute("/"),
                "preferences_url": absolute(reverse("notifications:preferences")),
            },
        )
        header_link = groups[0]["unsubscribe"]
    return EmailMessage(
        subject=subject[:200],
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{header_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": preferences.language,
        },
    )
