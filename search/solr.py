"""haystack's Solr backend, for the archive's SolrCloud collection (solr/configset).

What differs from haystack and why:

* `document()` sends `text` already cut into jieba's words (spaces between them), so
  Solr's `text` field (zh_words: whitespace tokens) holds the same words the whoosh
  index ranks by, names kept whole by the archive's dictionary; `grams` and the
  headline go as printed, and Solr's CJK bigrams make any string findable.
* No index-time boosts: Solr 9 refuses them, and haystack passes the fields'
  boosts to pysolr, which then writes XML with boost attributes. Ranking boosts are
  query-time (search.engines.solr).
* SOLR_URL may name several nodes' URLs for the collection, comma-separated:
  `connections` holds one pysolr client per node and search.engines.solr moves to the
  next when one does not answer, so a node going down costs a retry, not an error.
* haystack-level writes (rebuild_index, update_index, clear_index) move the archive's
  version, as on whoosh (search.engines.base.VersionedBackend).
"""
from __future__ import annotations

from datetime import date, datetime

import pysolr
from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend

from search.engines.base import VersionedBackend


class Solr9Backend(SolrSearchBackend):
    """haystack's Solr backend as the configset and several nodes want it (module docstring)."""

    def __init__(self, connection_alias, **connection_options):
        urls = [u.strip().rstrip("/") for u in connection_options["URL"].split(",") if u.strip()]
        super().__init__(connection_alias, **{**connection_options, "URL": urls[0]})
        self.urls = urls
        self.connections = [self.conn] + [
            pysolr.Solr(url, timeout=self.timeout, **connection_options.get("KWARGS", {})) for url in urls[1:]]

    def document(self, search_index, obj) -> dict:
        """The Solr document for obj: haystack's preparation, `text` as jieba's words."""
        doc = search_index.full_prepare(obj)
        doc.pop("boost", None)
        field = search_index.fields.get("text")
        if doc.get("text") and field is not None and getattr(field, "analyzer", None) is not None:
            doc["text"] = " ".join(token.text for token in field.analyzer(doc["text"]))
        return {key: _to_solr(value) for key, value in doc.items() if value not in (None, "", [])}

    def clear(self, models=None, commit=True):
        # haystack's clear also optimizes (rewrites the whole index into one segment):
        # slow on a big collection and pointless since Solr merges on its own.
        self.conn.delete(q="*:*", commit=commit)

    def update(self, index, iterable, commit=True):
        docs = [self.document(index, obj) for obj in iterable]
        if docs:
            self.conn.add(docs, commit=commit)


def _to_solr(value):
    # Written out by hand: strftime does not pad years before 1000 (the archive has some).
    if isinstance(value, datetime):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T00:00:00Z"
    if isinstance(value, (set, tuple)):
        return sorted(value)
    return value


class JiebaSolrBackend(VersionedBackend, Solr9Backend):
    # The version's mixin goes before Solr9Backend, whose update and clear do not call
    # haystack's, so that it wraps them.

    @property
    def engine_class(self):
        """The search contract's engine for this backend (search.engines)."""
        from search.engines.solr import SolrEngine as Contract

        return Contract


class JiebaSolrEngine(SolrEngine):
    backend = JiebaSolrBackend
