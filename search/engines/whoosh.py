"""The whoosh engine: the archive's search on one machine's disk (the default).

Searches run on the haystack backend's index with one searcher per index generation
(kept per thread) and one search per request: haystack's SearchQuerySet opens several
readers per query and runs each narrowing filter as a search of its own
(SEARCH-STACK.md). Which documents match, and their order by relevance, are worked out
by search.engines.whoosh_match over whoosh's posting blocks, with whoosh's own scores.
Filters are whoosh query objects built from validated values, never parsed text. Writes go through whoosh's
one write lock (search.engines.whoosh_write); the rebuild builds beside the live
index and swaps it in.
"""
from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from datetime import time as day_time
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError, LockError

from search import facets as facet_counts
from search.engine import FACETS
from search.engines.base import EMPTY, SearchEngine
from search.engines import whoosh_match, whoosh_write
from search.engines.whoosh_write import CODEC, WhooshWriter, live_segments

ARTICLE_CT = "archive.article"
# Stored index fields kept per segment by search.facets (field -> several values):
# the facets and the dates, read together so each segment is read once.
STORED = {**{fieldname: multi for fieldname, _, multi in FACETS.values()}, "published": False, "published_end": False}


def field_filter(filters) -> wq.Query | None:
    """The field filters as a whoosh query (dates are checked by `within_dates`)."""
    parts = [wq.Term(FACETS[name][0], value) for name, value in filters.values.items()]
    return wq.And(parts) if parts else None


def within_dates(filters, searcher, docnums) -> list:
    """The documents whose publication dates may fall inside from/to, in the order given.

    Checked on stored dates kept per segment (search.facets): whoosh's DateRange
    gathers every posting of every date in the range, most of the index for an
    open range; at 31,480 articles that took 0.9 s a query.
    """
    view = facet_counts.values(searcher, STORED)
    first, last = view["published"], view["published_end"]
    start = datetime.combine(filters.start, day_time.min) if filters.start else None
    end = datetime.combine(filters.end, day_time.max) if filters.end else None
    # An article may fall on or after `start` if its latest possible day does.
    return [d for d in docnums if first[d] and last[d]
            and (start is None or last[d][0] >= start) and (end is None or first[d][0] <= end)]


class WhooshEngine(SearchEngine):
    name = "whoosh"

    def _index(self):
        if not self.backend.setup_complete:
            self.backend.setup()
        self.backend.index = self.backend.index.refresh()
        return self.backend.index

    def _searcher(self):
        """A searcher on the index's latest generation, kept while that generation is.

        Opening a searcher opens every segment's files (20 segments in the unmerged 10×
        index); a generation never changes once written, so one searcher serves every
        search until a commit (in any process) writes the next. Not whoosh's
        `Searcher.refresh()`: it reuses a segment's old reader, and with it the old
        deletions, when the segment's id is unchanged. The TOC file's inode and mtime are
        part of the key, so a rebuild swapped in by another process (a new folder whose
        generation number may repeat) is never mistaken for the old one. haystack keeps
        a backend per thread, so no searcher is shared between threads.
        """
        index = self._index()
        for _ in range(5):
            generation = index.latest_generation()
            try:
                toc = os.stat(os.path.join(index.storage.folder, TOC._filename(index.indexname, generation)))
                break
            except FileNotFoundError:  # a commit elsewhere removed that generation meanwhile
                continue
        else:
            return index.searcher()  # the index is changing fast: a searcher of its own, not kept
        key = (id(index), generation, toc.st_ino, toc.st_mtime_ns)
        held = getattr(self.backend, "held_searcher", None)
        if held is not None and held[0] == key and not held[1].is_closed:
            return held[1]
        if held is not None:
            held[1].close()
        searcher = index.searcher()
        self.backend.held_searcher = (key, searcher)
        return searcher

    # -- reading -------------------------------------------------------------------

    def find(self, user_query, filters, sort, page_number, per_page, facets):
        searcher = self._searcher()
        base = user_query.whoosh(self.backend.schema) if user_query else wq.Every()
        narrowing = field_filter(filters)
        q = wq.And([base, narrowing]) if narrowing is not None else base
        order = {}
        if sort in ("newest", "oldest") or not user_query:
            # whoosh ignores a per-facet reverse on a date column; the search-wide flag works.
            order = {"sortedby": "published", "reverse": sort != "oldest"}
        if order:
            # Date order reads every match's date anyway: one pass gives the order,
            # the count and the documents for the facets.
            results = searcher.search(q, limit=None, **order)
            matched = [docnum for _, docnum in results.top_n]  # docs() is unordered
            if filters.start or filters.end:
                matched = within_dates(filters, searcher, matched)
            ranked = matched
        else:
            # Which documents match is found without scoring (for the count and the
            # facets: search.engines.whoosh_match, with set operations); ranking then
            # scores only as far as the page asked for, which lets whoosh skip postings
            # blocks that cannot reach it.
            matched = whoosh_match.matching(searcher, q)
            if filters.start or filters.end:
                matched = within_dates(filters, searcher, matched)
            ranked = _Ranked(searcher, q, matched)
        page = Paginator(ranked, per_page).get_page(page_number)
        page.object_list = [int(searcher.stored_fields(d)["django_id"]) for d in page.object_list]
        counts = _counts(searcher, matched) if facets else {}
        return page, counts

    def counts_without(self, user_query, filters):
        """One search for all: the query runs once without any filter; each match's stored
        facet values (read per segment, search.facets) say which filters it fails, and a
        match counts toward dropping a filter when that filter is the only one it fails."""
        searcher = self._searcher()
        q = user_query.whoosh(self.backend.schema) if user_query else wq.Every()
        without = dict.fromkeys(filters.values, 0)
        without_dates = 0
        matched = whoosh_match.matching(searcher, q)
        view = facet_counts.values(searcher, STORED)
        in_dates = set(within_dates(filters, searcher, matched)) if filters.start or filters.end else None
        wanted = [(name, view[FACETS[name][0]], value) for name, value in filters.values.items()]
        for docnum in matched:
            failed = [name for name, column, value in wanted if value not in column[docnum]]
            if not failed:
                without_dates += 1
            if in_dates is not None and docnum not in in_dates:
                continue
            if len(failed) == 1:
                without[failed[0]] += 1
            elif not failed:  # matches everything: found with any one filter dropped
                for name in without:
                    without[name] += 1
        return without, without_dates

    # -- writing -------------------------------------------------------------------

    def writer(self, timeout, commit_size, pending, quick):
        return WhooshWriter(self.backend, timeout, commit_size, pending, quick)

    def merge(self, timeout):
        """Merge the smallest big segments until MAX_SEGMENTS are left: drains (the
        ingest's included) merge only small ones, so that an ingest's time does not
        grow with the archive; this is run by the idle desk worker, by `ensure_index`
        and by `process_index_queue` when nothing waits. Searches go on meanwhile; drains wait or leave
        their rows queued, as for any writer."""
        backend = self.backend
        before = len(live_segments(self._index()))
        if before <= whoosh_write.MAX_SEGMENTS:
            return before, before
        writer = WhooshWriter(backend, timeout, 0, lambda: 0, quick=False, merge_big=True)
        try:
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        backend.index = backend.index.refresh()
        return before, len(live_segments(backend.index))

    def clear(self):
        self.backend.clear()

    # -- checking ------------------------------------------------------------------

    def stored_hashes(self):
        in_index = {}
        for fields in self._searcher().all_stored_fields():
            if fields.get("django_ct") == ARTICLE_CT:
                in_index[int(fields["django_id"])] = fields.get("content_hash", "")
        return in_index

    def rebuild(self, objects, lock_timeout=60.0, progress=None):
        """Build the whole index in a new folder and swap it in.

        haystack's `rebuild_index` deletes the live index first, then writes it back,
        which leaves a site with no search results for the length of the build; it also
        writes through haystack's AsyncWriter. This holds the live index's write lock for
        the whole build (queue drains meanwhile leave their rows, to be applied after the
        swap, so no edit made during the build is lost), builds beside it, then renames.
        """
        backend = self.backend
        if not backend.setup_complete:
            backend.setup()
        live = Path(backend.path)
        fresh = live.with_name(live.name + ".new")
        old = live.with_name(live.name + ".old")
        for leftover in (fresh, old):
            shutil.rmtree(leftover, ignore_errors=True)

        lock = backend.index.lock("WRITELOCK")
        deadline = time.monotonic() + lock_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise LockError(f"another writer has held {live} for over {lock_timeout:.0f} s")
            time.sleep(0.2)
        try:
            storage = FileStorage(str(fresh), supports_mmap=False).create()
            index = storage.create_index(backend.schema)
            writer = index.writer(limitmb=settings.SEARCH_WRITER_MB, codec=CODEC)
            count = 0
            try:
                for search_index, obj in objects:
                    writer.add_document(**backend.document(search_index, obj))
                    count += 1
                    if progress and count % 500 == 0:
                        progress(count)
                writer.commit(optimize=True)
            except BaseException:
                writer.cancel()
                raise
            live.rename(old)
            fresh.rename(live)
        finally:
            lock.release()
        shutil.rmtree(old, ignore_errors=True)
        backend.setup_complete = False  # reopen the new folder on next use
        return count

    def needs_rebuild(self):
        backend = self.backend
        path = Path(backend.path)
        if not path.exists():
            return "no index yet"
        try:
            stored = FileStorage(str(path)).open_index()
            names = set(stored.schema.names())
            doc_count = stored.doc_count()
        except EmptyIndexError:
            return "no index yet"
        except Exception as exc:  # an analyzer that moved or changed cannot be unpickled
            return f"index unreadable ({type(exc).__name__}: {exc})"
        if not backend.setup_complete:
            backend.setup()
        if names != set(backend.schema.names()):
            return "index fields differ from the code's"
        if doc_count == 0:
            return EMPTY
        return ""


class _Ranked:
    """The matching documents by relevance, for Paginator: a slice ranks as far as it reaches
    (search.engines.whoosh_match scores the known matches as whoosh would; whoosh's own
    collector where the query holds what that does not score)."""

    def __init__(self, searcher, q, matched):
        self.searcher, self.q, self.matched = searcher, q, matched  # matched: ascending docnums

    def __len__(self):
        return len(self.matched)

    def __getitem__(self, part):
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("_Ranked takes a plain slice")
        total = len(self.matched)
        stop = total if part.stop is None else min(part.stop, total)
        if stop <= 0:
            return []
        ranked = whoosh_match.top(self.searcher, self.q, self.matched, stop)
        if ranked is None:
            narrowed = set(self.matched) if total < self.searcher.doc_count() else None
            results = self.searcher.search(self.q, limit=stop, filter=narrowed)
            ranked = [docnum for _, docnum in results.top_n]
        return ranked[part.start or 0:stop]


def _counts(searcher, docnums):
    """URL parameter -> [(value, count)], most frequent first (search.facets does the counting)."""
    by_field = facet_counts.count(searcher, docnums, STORED, [fieldname for fieldname, _, _ in FACETS.values()])
    return {name: sorted(by_field[fieldname].items(), key=lambda p: (-p[1], str(p[0])))
            for name, (fieldname, _, _) in FACETS.items()}
