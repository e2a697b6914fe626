"""Paginators that know, or bound, how many objects there are."""

import math

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """Django's paginator; given `count` (a figure kept with the plan figures), it pages
    without counting the objects with a query of its own.

    Without `count` it counts at most `bound` objects ahead (a multiple of `bound`, far
    enough to see past the page asked for): a search that matches thousands of actions is
    answered by counting a few hundred of them, in the same time whatever the size of the
    plan. The page then says "more than 500 actions" and offers the next page, the way a
    search engine does. Asking for a later page counts further, so every page stays
    reachable."""

    def __init__(self, object_list, per_page, *, count=None, bound=500, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.bound = bound
        self.asked = 1

    def get_page(self, number):
        """The page asked for; the first for a number that is not a page's (where Django's
        paginator gives the last for a number below 1, which would mean counting them all)."""
        try:
            self.asked = int(number)
        except (TypeError, ValueError, OverflowError):
            self.asked = 1
        if self.asked < 1:
            self.asked = number = 1
        return super().get_page(number)

    @cached_property
    def limit(self):
        """How many objects are counted: enough to tell whether a page follows the one asked
        for, rounded up to a multiple of `bound`."""
        beyond = min(self.asked, 10**9) * self.per_page + 1
        return math.ceil(beyond / self.bound) * self.bound

    @cached_property
    def counted(self):
        """(how many objects were counted, whether the count stopped at `limit` + 1)."""
        if self.known_count is not None:
            return self.known_count, False
        object_list = self.object_list
        if hasattr(object_list, "query"):
            # Counted on the keys alone: neither the order nor what a row shows changes it.
            found = object_list.order_by().values("pk")[: self.limit + 1].count()
            return found, found > self.limit
        return len(object_list), False

    @property
    def truncated(self):
        """True when more objects match than were counted: `count` is then `limit`, a
        lower bound."""
        return self.counted[1]

    @cached_property
    def count(self):
        found, truncated = self.counted
        return self.limit if truncated else found

    def page(self, number):
        if not self.truncated:
            return super().page(number)
        # Django's paginator ends the last page at `count`, here a lower bound.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @cached_property
    def num_pages(self):
        if not self.truncated:
            return super().num_pages
        # The pages that `limit` + 1 objects, known to exist, fill: at least this many.
        return math.ceil((self.limit + 1) / self.per_page)
