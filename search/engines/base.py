"""What the archive asks of a search engine: the contract both engines keep.

The pages, the JSON API, the feeds, the export (through search.engine and
search.service), the index queue (search.queue), the index check (search.check) and
the rebuild (search.rebuild) use only what is stated here; search.engines.whoosh and
search.engines.solr keep it.

What is engine-neutral stays above the contract: the query syntax is parsed once
(search.query.UserQuery) and each engine turns it into its own query; the filters are
validated once (search.engine.Filters, FACETS); snippets and highlights are cut from
the database's text (search.highlight), so both engines mark the printed text alike;
suggestions are counts (`counts_without`) and known names (search.names).
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from archive import version


EMPTY = "index is empty"  # what needs_rebuild says of an index with no documents


class IndexBusy(Exception):
    """Another writer holds the index; the queue leaves its rows for the next drain."""


class IndexWriteError(Exception):
    """An index commit could not be written (a full disk, a writer process that died, an
    engine that did not answer); nothing of it is counted as applied and its rows stay queued."""


class VersionedBackend:
    """Mixed in before a haystack backend: its own writes (update, remove, clear, as
    haystack's rebuild_index, update_index and clear_index make them) move the archive's
    version, as the queue's drains do, so no search page cached before the index changed
    is served after it (archive.caching). One place for both engines' backends."""

    def update(self, index, iterable, commit=True):
        super().update(index, iterable, commit=commit)
        version.bump()

    def remove(self, obj_or_string, commit=True):
        super().remove(obj_or_string, commit=commit)
        version.bump()

    def clear(self, models=None, commit=True):
        super().clear(models=models, commit=commit)
        version.bump()


class IndexWriter(ABC):
    """One batch of index changes, applied together by `commit()` or dropped by `cancel()`."""

    @abstractmethod
    def update(self, document: dict) -> None:
        """Add or replace one document (as `SearchEngine.document` made it)."""

    @abstractmethod
    def delete(self, doc_id: str) -> None:
        """Remove one document by its unique id (app_label.model.pk); absent is fine."""

    @abstractmethod
    def commit(self) -> None:
        """Make the batch visible to searches; raises IndexWriteError if it could not."""

    @abstractmethod
    def cancel(self) -> None:
        """Drop the batch and release what the writer holds, whatever state it is in."""

    def lost(self, doc_ids) -> set:
        """Of the documents written by the last commit, those the index does not hold."""
        return set()


class SearchEngine(ABC):
    """One engine over haystack's backend and unified index for a connection."""

    name = ""

    def __init__(self, backend, unified_index):
        self.backend = backend
        self.unified_index = unified_index

    # -- reading -------------------------------------------------------------------

    @abstractmethod
    def find(self, user_query, filters, sort: str, page_number, per_page: int, facets: bool):
        """(a Django Paginator page whose object_list holds article ids, facet counts).

        user_query: a resolved search.query.UserQuery, or None for everything the filters
        allow. filters: search.engine.Filters (field values as the index holds them; from/to
        as days: an article counts when its publication span may fall inside them).
        sort: one of search.engine.SORTS; relevance without a query means newest.
        Facet counts: {URL parameter of search.engine.FACETS: [(value, count)]}, every value
        of the matches, most frequent first and ties by the value's text; {} if not asked.
        """

    @abstractmethod
    def counts_without(self, user_query, filters) -> tuple[dict, int]:
        """({filter parameter: matches with that one field filter dropped}, matches without
        the dates), for suggestions on an empty result."""

    # -- writing -------------------------------------------------------------------

    def document(self, search_index, obj) -> dict:
        """The document the engine stores for obj (haystack's preparation)."""
        return self.backend.document(search_index, obj)

    @abstractmethod
    def writer(self, timeout: float, commit_size: int, pending, quick: bool) -> IndexWriter:
        """A writer for one batch of up to `commit_size` documents; raises IndexBusy if
        another writer holds the index for longer than `timeout` seconds. `pending()` says
        how many rows wait (a big bulk load may write in parallel); `quick`: inside a web
        request, so no long housekeeping."""

    def merge(self, timeout: float) -> tuple[int, int]:
        """Housekeeping off the ingest's clock: merge what the index's writes left apart;
        returns (segments before, after). Engines that merge on their own (Solr, in the
        background) have nothing to do. Raises IndexBusy if the index stays locked."""
        return 0, 0

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    # -- checking ------------------------------------------------------------------

    @abstractmethod
    def stored_hashes(self) -> dict[int, str]:
        """{article id: content_hash} of every article document the index holds."""

    @abstractmethod
    def rebuild(self, objects, lock_timeout: float, progress=None) -> int:
        """Index every object of the iterable afresh, without searches ever seeing an
        empty index; returns the number written."""

    @abstractmethod
    def needs_rebuild(self) -> str:
        """Why the index cannot serve the current code ("" if it can; EMPTY if it holds
        no documents, which an archive with no articles yet does not mind)."""
