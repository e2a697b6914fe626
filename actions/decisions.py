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
    """Everyone who may decide on updates, read in one query: {institution id: liaison ids},
    per side the ids of its embassy staff and of its plan administrators, and their names."""

    liaisons: dict
    staff: dict
    administrators: dict
    names_by_id: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        liaisons = defaultdict(set)
        staff = defaultdict(set)
        administrators = defaultdict(set)
        names_by_id = {}
        memberships = Membership.objects.filter(
            role__in=[Role.LIAISON, Role.EMBASSY_STAFF, Role.ADMINISTRATOR]
        ).select_related("user", "institution__country")
        for membership in memberships:
            user = membership.user
            names_by_id.setdefault(user.pk, display_name(user))
            if membership.role == Role.LIAISON:
                liaisons[membership.institution_id].add(user.pk)
            elif membership.institution.side in permissions.COUNTRY_SIDES:
                by_side = staff if membership.role == Role.EMBASSY_STAFF else administrators
                by_side[membership.institution.side].add(user.pk)
        return cls(
            liaisons=dict(liaisons),
            staff=dict(staff),
            administrators=dict(administrators),
            names_by_id=names_by_id,
        )

    def names(self, user_ids):
        return sorted(self.names_by_id[pk] for pk in user_ids if pk in self.names_by_id)


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
    staff = deciders.staff.get(state.side, set()) - {update.author_id}
    if staff:
        state.waiting_for, state.via = deciders.names(staff), "embassy staff"
        return
    administrators = deciders.administrators.get(state.side, set()) - {update.author_id}
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
