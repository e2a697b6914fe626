"""A paginator that may be told how many objects there are."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """Django's paginator; given `count` (a figure kept with the plan figures), it pages
    without counting the objects with a query of its own."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return super().count
