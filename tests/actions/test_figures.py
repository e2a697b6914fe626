"""A plan's figures are computed once and kept, and a change through the services, loadplan or
the administration site is seen at once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import figures, services
from actions.models import Action, Status
from tests.factories import UserFactory
from tests.roles import make_demo_user, signed_in


def counts(plan):
    rows = figures.chapter_figures(plan, timezone.localdate())
    return {row["number"]: row["counts"] for row in rows}


def test_figures_are_read_once_and_then_kept(plan):
    first = counts(plan)
    with CaptureQueriesContext(connection) as queries:
        again = counts(plan)
    assert again == first and len(queries) == 0


def test_a_status_change_through_the_services_is_counted_at_once(plan):
    action = Action.objects.get(chapter__plan=plan, number="6.6")
    before = counts(plan)[6]
    services.update_action_status(
        action=action,
        user=make_demo_user("embassy_dk"),
        status=Status.DELAYED,
        progress=action.progress,
        expected_version=action.version,
    )
    after = counts(plan)[6]
    assert after[Status.DELAYED] == before[Status.DELAYED] + (action.status != Status.DELAYED)
    assert sum(after.values()) == sum(before.values())


def test_a_change_in_the_administration_site_is_counted_at_once(plan, client):
    admin_client = signed_in(client, UserFactory(is_staff=True, is_superuser=True))
    action = Action.objects.get(chapter__plan=plan, number="6.6")
    before = sum(counts(plan)[6].values())

    response = admin_client.post(
        reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    assert sum(counts(plan)[6].values()) == before - 1


def test_milestone_counts_follow_the_day(plan):
    today = timezone.localdate()
    kept = figures.milestone_figures(plan, today, 60)
    with CaptureQueriesContext(connection) as queries:
        figures.milestone_figures(plan, today + timedelta(days=1), 60)
    assert len(queries) == 1  # another day is computed afresh
    assert figures.milestone_figures(plan, today, 60) == kept


class CountingCache:
    """The cache, counting the reads of the figures' version."""

    def __init__(self, cache):
        self.cache, self.version_reads = cache, 0

    def get(self, key, *args, **kwargs):
        self.version_reads += key == figures.VERSION_KEY
        return self.cache.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.cache, name)


def in_request():
    """What a request's start and end do to the figures (django.core.signals)."""
    from django.core.signals import request_finished, request_started

    class Request:
        def __enter__(self):
            request_started.send(sender=None)

        def __exit__(self, *exc):
            request_finished.send(sender=None)

    return Request()


def kept(name, value):
    return figures.cached(name, None, timezone.localdate(), lambda: value)


def test_a_request_reads_the_version_once_and_its_figures_from_this_process(db, monkeypatch):
    counting = CountingCache(figures.cache)
    monkeypatch.setattr(figures, "cache", counting)
    with in_request():
        assert kept("one", [1]) == [1] and kept("two", [2]) == [2]
    assert counting.version_reads == 1
    with in_request(), CaptureQueriesContext(connection):
        # Kept here: neither computed again nor read from the cache server.
        assert kept("one", "computed again") == [1]
        assert kept("two", "computed again") == [2]
    assert counting.version_reads == 2


def test_another_process_dropping_the_figures_is_seen_by_the_next_request(db):
    with in_request():
        assert kept("figure", "old") == "old"
        figures.cache.set(figures.VERSION_KEY, "moved by another process", None)
        assert kept("figure", "new") == "old"  # the version this request started with
    with in_request():
        assert kept("figure", "new") == "new"
    # Outside a request the version is read every time.
    figures.cache.set(figures.VERSION_KEY, "moved again", None)
    assert kept("figure", "newer") == "newer"


def test_a_write_in_the_request_is_seen_by_the_rest_of_it(db):
    with in_request():
        assert kept("figure", "old") == "old"
        figures.forget()
        assert kept("figure", "new") == "new"


def test_each_reader_gets_a_copy_of_its_own(db):
    with in_request():
        first = kept("rows", [{"n": 1}])
        first[0]["n"] = 99
        first.append("changed")
        assert kept("rows", "computed again") == [{"n": 1}]


def test_a_value_kept_here_expires_when_it_was_computed_plus_figures_seconds(db, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(figures.time, "time", lambda: now[0])
    with in_request():
        assert kept("figure", "old") == "old"  # computed at 1,000,000
    # Another worker reads it from the cache server near the end of its time.
    figures.KEPT_HERE.clear()
    now[0] += figures.FIGURES_SECONDS - 1
    with in_request():
        assert kept("figure", "new") == "old"
    # Its copy ends when the cache server's does, not FIGURES_SECONDS after it was read.
    now[0] += 2
    figures.cache.delete(f"plan-figures:figure:all:{timezone.localdate().isoformat()}:en")
    with in_request():
        assert kept("figure", "new") == "new"
