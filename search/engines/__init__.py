"""The search engine behind the archive: `current()` is the one the settings choose.

settings.SEARCH_ENGINE (whoosh or solr) picks haystack's connection (archive/settings.py);
the connection's backend names the engine class that speaks the contract
(search.engines.base) for it, so the choice lives in one place.
"""
from haystack import connections


def current(using: str = "default"):
    """The configured engine, over haystack's backend for `using`."""
    backend = connections[using].get_backend()
    return backend.engine_class(backend, connections[using].get_unified_index())
