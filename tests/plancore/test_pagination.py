"""Paging by a known count, or by a count bounded to what the page asked for needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from plancore.pagination import CountedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(plan):
    queryset = Action.objects.filter(chapter__plan=plan)
    assert queryset.count() == 35
    return queryset


def test_a_known_count_pages_without_counting(actions):
    paginator = CountedPaginator(actions, 10, count=35)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 35 and paginator.num_pages == 4
    assert len(queries) == 0
    assert not paginator.truncated


def test_the_count_stops_where_the_page_asked_for_no_longer_needs_it(actions):
    paginator = CountedPaginator(actions, 3, bound=10)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 11" in counts[0]
    assert paginator.truncated and paginator.count == 10
    # At least 11 objects: at least 4 pages.
    assert paginator.num_pages == 4 and page.has_next()
    assert list(page.object_list) == list(actions[:3])


def test_a_later_page_counts_further_and_the_last_counts_them_all(actions):
    paginator = CountedPaginator(actions, 3, bound=10)
    page = paginator.get_page(4)
    assert paginator.count == 20 and paginator.truncated and paginator.num_pages == 7
    assert list(page.object_list) == list(actions[9:12])

    paginator = CountedPaginator(actions, 3, bound=10)
    page = paginator.get_page(12)
    assert paginator.count == 35 and not paginator.truncated
    assert paginator.num_pages == 12 and not page.has_next()
    assert list(page.object_list) == list(actions[33:])


@pytest.mark.parametrize("number", [None, "", "abc", "0", "-3", "1.5"])
def test_a_number_that_is_not_a_page_gives_the_first(actions, number):
    page = CountedPaginator(actions, 3, bound=10).get_page(number)
    assert page.number == 1
    assert list(page.object_list) == list(actions[:3])


def test_a_page_beyond_the_end_gives_the_last(actions):
    paginator = CountedPaginator(actions, 3, bound=10)
    page = paginator.get_page(10**12)
    assert page.number == 12 and not paginator.truncated
    assert list(page.object_list) == list(actions[33:])


def test_a_list_of_objects_is_counted_whole():
    paginator = CountedPaginator(list(range(30)), 3, bound=10)
    page = paginator.get_page(1)
    assert paginator.count == 30 and not paginator.truncated
    assert page.paginator.num_pages == 10
