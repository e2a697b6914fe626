"""Searching actions by their words.

On PostgreSQL each action stores its search document (`Action.search_vector`: short title
weighted above the text, in the English and the Spanish configurations) under a GIN index, so a
search reads the index instead of computing every row's vector on every request. Whatever writes
an action's title or text calls `index_for_search` in the same transaction: loadplan, synthplan
and the administration site do. Other databases have no full-text search: there a search is a
plain case-insensitive match.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

CONFIGS = ("english", "spanish")


def search_document():
    """The expression a stored search vector holds."""
    parts = [
        SearchVector(field, weight=weight, config=config)
        for config in CONFIGS
        for field, weight in (("short_title", "A"), ("text", "B"))
    ]
    document = parts[0]
    for part in parts[1:]:
        document = document + part
    return document


def index_for_search(actions):
    """Store the search vector of every action of the queryset `actions`."""
    if connection.vendor != "postgresql":
        return 0
    return actions.update(search_vector=search_document())


def search_actions(queryset, text):
    """Full-text search on PostgreSQL; a plain substring match elsewhere. Numbers match too."""
    text = text.strip()
    if not text:
        return queryset
    by_number = Q(number=text) | Q(number__startswith=f"{text}.")
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIGS[0])
        for config in CONFIGS[1:]:
            query = query | SearchQuery(text, search_type="websearch", config=config)
        return queryset.filter(by_number | Q(search_vector=query))
    return queryset.filter(by_number | Q(short_title__icontains=text) | Q(text__icontains=text))
