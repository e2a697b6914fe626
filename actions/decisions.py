"""Whose turn it is on a progress update: each side's state by name, and why someone decides.

The rule of who decides is plancore.permissions.side_deciders; this module only names people.
One query (the memberships of liaisons, embassy staff and administrators) serves a whole list of
updates, whose reviews (with their reviewers) and action responsibilities come prefetched.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from actions.models import Review
from partners.models import Membership, Side, display_name
from plancore import permissions

Role = Membership.Role


@dataclass
class SideState:
    """One side's state on one update: decided (by whom, when, with what comment) or waiting."""

    side: str
    label: str
    review: Review | None = None
    waiting_for: list = field(default_factory=list)  # names of those who may decide now
    falls_to_administrators: bool = False  # nobody but the author could decide otherwise
    via: str = ""  # "liaisons", "embassy staff" or "administrators": who the names are

    @property
    def approved(self):
        return self.review is not None and self.review.decision == Review.Decision.APPROVED

    @property
    def returned(self):
        return self.review is not None and self.review.decision == Review.Decision.RETURNED

    @property
    def reviewer_name(self):
        return display_name(self.review.reviewer) if self.review else ""


@dataclass
class Deciders:
    """Everyone who may decide on updates, read in one query: {institution id: liaison users},
    and per side its embassy staff and its plan administrators."""

    liaisons: dict
    staff: dict
    administrators: dict

    @classmethod
    def load(cls):
        liaisons = defaultdict(set)
        staff = defaultdict(dict)
        administrators = defaultdict(dict)
        users = {}
        memberships = Membership.objects.filter(
            role__in=[Role.LIAISON, Role.EMBASSY_STAFF, Role.ADMINISTRATOR]
        ).select_related("user", "institution__country")
        for membership in memberships:
            user = users.setdefault(membership.user_id, membership.user)
            if membership.role == Role.LIAISON:
                liaisons[membership.institution_id].add(user.pk)
            elif membership.institution.side in permissions.COUNTRY_SIDES:
                by_side = staff if membership.role == Role.EMBASSY_STAFF else administrators
                by_side[membership.institution.side][user.pk] = user
        deciders = cls(liaisons=dict(liaisons), staff=staff, administrators=administrators)
        deciders.users = users
        return deciders

    def names(self, user_ids):
        return sorted(display_name(self.users[pk]) for pk in user_ids if pk in self.users)


def side_states(update, deciders):
    """[SideState for Denmark, SideState for Mexico] of one update (no query of its own)."""
    reviews = {review.side: review for review in update.reviews.all()}
    states = []
    for side in permissions.COUNTRY_SIDES:
        state = SideState(side=side, label=str(Side(side).label), review=reviews.get(side))
        if state.review is None:
            _who_may_decide(state, update, deciders)
        states.append(state)
    return states


def _who_may_decide(state, update, deciders):
    liaisons = permissions.side_deciders(update, state.side, deciders.liaisons)
    if liaisons:
        state.waiting_for, state.via = deciders.names(liaisons), "liaisons"
        return
    staff = set(deciders.staff.get(state.side, {})) - {update.author_id}
    if staff:
        state.waiting_for, state.via = deciders.names(staff), "embassy staff"
        return
    administrators = set(deciders.administrators.get(state.side, {})) - {update.author_id}
    state.waiting_for, state.via = deciders.names(administrators), "administrators"
    state.falls_to_administrators = True


def with_side_states(updates, deciders=None):
    """Attach `side_states` to each update of the list and return the list (one query)."""
    updates = list(updates)
    if updates:
        deciders = deciders or Deciders.load()
        for update in updates:
            update.side_states = side_states(update, deciders)
    return updates


def why_you_decide(user, update, side):
    """Why this user decides for `side` on the update, in a sentence ("You decide for Mexico as
    liaison of SEMARNAT, lead on 6.6"); reads the user's memberships and prefetched rows."""
    side_label = Side(side).label
    mine = permissions.liaison_institution_ids(user)
    parts = [
        (r.institution.short_name, r.get_role_display().lower())
        for r in update.action.responsibilities.all()
        if r.side == side and r.institution_id in mine
    ]
    if parts:
        return _("You decide for %(side)s as liaison of %(parts)s on %(number)s.") % {
            "side": side_label,
            "parts": ", ".join(
                _("%(institution)s, %(role)s") % {"institution": name, "role": role}
                for name, role in parts
            ),
            "number": update.action.number,
        }
    if side in permissions.embassy_staff_sides(user):
        return _(
            "You decide for %(side)s as embassy staff: no liaison of that side's responsible "
            "institutions can decide on %(number)s."
        ) % {"side": side_label, "number": update.action.number}
    return _(
        "You decide for %(side)s as plan administrator: no liaison of that side's responsible "
        "institutions can decide on %(number)s."
    ) % {"side": side_label, "number": update.action.number}
