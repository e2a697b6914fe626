"""Searching actions by their words.

On PostgreSQL each action stores its search document (`Action.search_vector`: short title
weighted above the text, the English ones under the English configuration and the Spanish ones
under the Spanish configuration) under a GIN index, so a
search reads the index instead of computing every row's vector on every request. Whatever writes
an action's title or text calls `index_for_search` in the same transaction: loadplan, synthplan,
the administration site and the amendments that reword or add an action
(actions/plan_changes.py) do. Other databases have no full-text search: there a search is a
plain case-insensitive match.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

CONFIGS = ("english", "spanish")
# Each language's columns (actions/translation.py) and the configuration that stems them.
CONFIG_OF_LANGUAGE = {"en": "english", "es": "spanish"}


def search_document(*, languages=tuple(CONFIG_OF_LANGUAGE)):
    """The expression a stored search vector holds. `languages=()` indexes the untranslated
    columns under every configuration, as the stored vectors were before the Spanish texts."""
    if languages:
        columns = [
            (f"{field}_{language}", weight, CONFIG_OF_LANGUAGE[language])
            for language in languages
            for field, weight in (("short_title", "A"), ("text", "B"))
        ]
    else:
        columns = [
            (field, weight, config)
            for config in CONFIGS
            for field, weight in (("short_title", "A"), ("text", "B"))
        ]
    parts = [
        SearchVector(column, weight=weight, config=config) for column, weight, config in columns
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
    words = Q()
    for language in CONFIG_OF_LANGUAGE:
        words |= Q(**{f"short_title_{language}__icontains": text})
        words |= Q(**{f"text_{language}__icontains": text})
    return queryset.filter(by_number | words)
