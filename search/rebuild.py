"""Build the whole index afresh, so searches never see it empty (each engine says how:
search.engines.base.SearchEngine.rebuild), and tell when the index cannot serve the code.
"""
from __future__ import annotations

from haystack import connections

from archive import version
from archive.models import Article
from search import engines
from search.engines.base import EMPTY


def rebuild(using="default", lock_timeout=60.0, progress=None) -> int:
    """Rebuild the index from the database; returns the number of documents written."""
    search_index = connections[using].get_unified_index().get_index(Article)
    objects = ((search_index, obj) for obj in search_index.index_queryset().order_by("pk").iterator(chunk_size=500))
    count = engines.current(using).rebuild(objects, lock_timeout=lock_timeout, progress=progress)
    version.bump()  # cached search pages answered from the old index
    return count


def needs_rebuild(using="default") -> str:
    """Why the index cannot serve the current code ("" if it can)."""
    reason = engines.current(using).needs_rebuild()
    if reason == EMPTY and not Article.objects.exists():
        return ""
    return reason
