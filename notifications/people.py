"""Everyone the portal may tell something, and who answers for what, read in a fixed number of
queries so that finding notifications costs the same for 50 actions as for 2,000."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from notifications.models import Preferences
from partners.models import Membership
from plancore import permissions

Role = Membership.Role


class People:
    """The members of the portal with their memberships, preferences and roles by side."""

    def __init__(self):
        memberships = list(Membership.objects.select_related("institution__country").order_by("pk"))
        ids = {m.user_id for m in memberships}
        self.users = get_user_model().objects.in_bulk(ids)
        permissions.remember_memberships(self.users.values(), memberships)
        self._preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=ids)}
        self.liaisons = defaultdict(set)
        self.staff = defaultdict(set)
        self.administrators = defaultdict(set)
        for m in memberships:
            if m.role == Role.LIAISON:
                self.liaisons[m.institution_id].add(m.user_id)
            elif m.role == Role.EMBASSY_STAFF:
                self.staff[m.institution.side].add(m.user_id)
            elif m.role == Role.ADMINISTRATOR:
                self.administrators[m.institution.side].add(m.user_id)

    def preferences(self, user_id):
        """Their saved choices, or the defaults for someone who never changed them."""
        return self._preferences.get(user_id) or Preferences(user_id=user_id)

    def reachable(self, user_id):
        user = self.users.get(user_id)
        return bool(user and user.is_active and user.email)

    def side_speakers(self, side):
        """Embassy staff and plan administrators of a side: who decide where no liaison can."""
        return self.staff[side] | self.administrators[side]

    def deciders(self, update, side):
        """Who may decide for `side` on `update` (as permissions.review_sides answers it)."""
        deciders = permissions.side_deciders(update, side, self.liaisons)
        if not deciders:
            deciders = self.side_speakers(side) - {update.author_id}
        return deciders

    def responsible_for(self, action, institution_id=None):
        """The liaisons who answer for the action (or for one institution's part in it); on a
        side where none of its institutions has a liaison, that side's embassy staff and
        administrators. Reads prefetched responsibilities."""
        if institution_id and self.liaisons.get(institution_id):
            return set(self.liaisons[institution_id])
        people = set()
        by_side = defaultdict(set)
        for responsibility in action.responsibilities.all():
            by_side[responsibility.side] |= self.liaisons.get(responsibility.institution_id, set())
        for side in permissions.COUNTRY_SIDES:
            people |= by_side[side] or self.side_speakers(side)
        for side, liaisons in by_side.items():
            if side not in permissions.COUNTRY_SIDES:
                people |= liaisons
        return people
