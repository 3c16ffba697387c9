"""Writing the whoosh index: one writer at a time under whoosh's write lock.

A web request's drain commits its few rows at once and never waits for the lock; a
bulk load (the ingest, a repair) commits thousands at a time, in several processes.
The figures behind the settings here were measured on the month (README, Speed).
"""
from __future__ import annotations

import gc
import logging
import os
from contextlib import ExitStack, contextmanager

from django.conf import settings
from haystack.constants import ID
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError, clean_files
from whoosh.reading import SegmentReader

from search.engines.base import IndexBusy, IndexWriteError, IndexWriter
from search.writer import WriterProcessDied

log = logging.getLogger("search.queue")
MAX_SEGMENTS = 6  # more segments, slower searches (31k articles, p95: 3 segments 112 ms, 13 segments 160 ms)
SMALL_SEGMENT = 1000  # documents; segments smaller than this are merged at every full commit
# No zlib on postings blocks: compressing took a third of a commit's time for a
# quarter of the index's size. Each block records whether it is compressed, so
# segments written before this still read.
CODEC = W3Codec(compression=0)
# A bulk commit of at least PARALLEL_MIN rows analyses and writes in
# settings.SEARCH_INDEX_PROCS processes (whoosh's MpWriter, one segment each).
PARALLEL_MIN = 400
PARALLEL_BATCH = 50  # documents per job file handed to a sub-process


class WhooshWriter(IndexWriter):
    """A whoosh writer holding the write lock, for one commit."""

    def __init__(self, backend, timeout, commit_size, pending, quick, merge_big=False):
        self.backend, self.quick, self.merge_big = backend, quick, merge_big
        options = {"limitmb": settings.SEARCH_WRITER_MB, "codec": CODEC}
        self.procs = _procs(commit_size, pending)
        if self.procs > 1:
            options.update(procs=self.procs, multisegment=True, batchsize=PARALLEL_BATCH)
        self._stack = ExitStack()
        self._stack.enter_context(_frozen(self.procs > 1))
        try:
            self.writer = backend.writer(timeout=timeout, **options)
        except LockError as exc:
            self._stack.close()
            raise IndexBusy(str(exc)) from exc
        except BaseException:
            self._stack.close()
            raise

    def update(self, document):
        try:
            self.writer.update_document(**document)
        except (OSError, WriterProcessDied) as exc:
            raise IndexWriteError(str(exc)) from exc

    def delete(self, doc_id):
        try:
            self.writer.delete_by_term(ID, doc_id)
        except (OSError, WriterProcessDied) as exc:
            raise IndexWriteError(str(exc)) from exc

    def commit(self):
        try:
            self.writer.commit(mergetype=_merge_policy(self.quick, self.merge_big))
        except (OSError, WriterProcessDied) as exc:
            # A full disk under the index, or a writer process killed: this commit is
            # given up and the caller hears why.
            raise IndexWriteError(str(exc)) from exc
        finally:
            self._stack.close()

    def cancel(self):
        try:
            _cancel(self.writer)
        finally:
            self._stack.close()

    def lost(self, doc_ids):
        """whoosh's MpWriter commits without a sub-writer's segment if that process died
        (it waits one second for each result and moves on), so every document written
        is looked up after a parallel commit; a missing one keeps its row for the next drain.
        """
        if self.procs < 2:
            return set()
        backend = self.backend
        backend.index = backend.index.refresh()
        with backend.index.searcher() as searcher:
            missing = {doc_id for doc_id in doc_ids if searcher.document_number(**{ID: doc_id}) is None}
        if missing:
            log.error("search index: %d documents missing after a parallel commit; rows kept", len(missing))
        return missing


@contextmanager
def _frozen(active):
    """While a parallel writer runs, the objects that exist now are left out of gc.

    Its writer processes are forks. A collection in a fork writes to every object it
    visits, so each fork would soon hold its own copy of the parent's memory (the
    month's ingest: 542 MB of PSS in all, 468 MB frozen); frozen objects are never
    visited, and their pages stay shared.
    """
    if not active:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _cancel(writer):
    """Cancel a writer: end its sub-processes, and leave no temporary folder, unused
    segment file or held lock behind, even when the disk is full.

    MpWriter.cancel() only flags its sub-processes in the parent's memory; they stay
    blocked on the job queue, and the interpreter waits for them at exit for ever.
    And whoosh's cancel flushes the segment it was writing before it removes its
    temporary folder (MAIN.tmp), so on a full disk it raises and leaves both.
    """
    tasks = getattr(writer, "tasks", ())
    for task in tasks:
        task.terminate()
    for task in tasks:
        task.join(5)
    try:
        writer.cancel()
    except Exception as exc:  # on a full disk its flush fails too
        log.warning("search index: cancelling the writer failed (%s); cleaning up after it", exc)
    finally:
        _clean_up(writer)


def _clean_up(writer):
    for step in (_drop_temporary_folder, _drop_unused_files):
        try:
            step(writer)
        except OSError as exc:
            log.warning("search index: cleaning up after a cancelled writer: %s", exc)
    if not writer.is_closed and writer.writelock:
        writer.writelock.release()
        writer.is_closed = True


def _drop_temporary_folder(writer):
    temporary = writer.temp_storage()
    if os.path.isdir(temporary.folder):  # whoosh's cancel removes it when it gets that far
        temporary.destroy()


def _drop_unused_files(writer):
    # What a commit does too: remove the files no segment of the current TOC uses
    # (here, the segments this writer and its sub-processes had begun).
    toc = writer.storage.open_index(writer.indexname)._read_toc()
    clean_files(writer.storage, writer.indexname, toc.generation, toc.segments)


def live_segments(index) -> list[int]:
    """The document counts of the index's segments that still hold documents, smallest first."""
    return sorted(s.doc_count_all() for s in index._segments() if s.doc_count())


def _procs(commit_size, pending):
    """Sub-processes for this writer: several only for a bulk commit with enough rows to share."""
    procs = getattr(settings, "SEARCH_INDEX_PROCS", 1)
    if procs < 2 or commit_size < PARALLEL_MIN:
        return 1
    return procs if pending() >= PARALLEL_MIN else 1


def _merge_policy(quick, merge_big=False):
    """Which segments a commit merges: small ones at every full commit, big ones only
    when asked (`merge_big`: the housekeeping of `merge`, never a drain).

    * Segments whose documents are all deleted are dropped (re-indexing an article
      empties the segment that held it; whoosh keeps such husks).
    * Segments under SMALL_SEGMENT documents (a drain of a few edits) are merged
      together, which is cheap; a quick drain (inside a web request) merges nothing
      until MAX_SEGMENTS have piled up, and then only those.
    * Big segments are merged only by housekeeping, past MAX_SEGMENTS, the smallest
      into one until the count fits. When the ingest's own drain did this, each
      month of the 10x build rewrote more of the ones before it (133, 137, 131 s for
      the first three months, then 290 and 348 s): merging is pure Python in whoosh
      and costs more per document than indexing it. whoosh's own MERGE_SMALL was
      worse: on the tenth copy of the month one commit rewrote 28,000 documents in
      one process and took 500 s.
    """
    def policy(writer, segments):
        live = sorted((s for s in segments if s.doc_count()), key=lambda s: s.doc_count_all())
        if quick and len(live) < MAX_SEGMENTS:
            return live
        merge = [s for s in live if s.doc_count_all() < SMALL_SEGMENT]
        if len(merge) < 2:
            merge = []
        keep = [s for s in live if s not in merge]
        # The commit adds its own segment(s) beside what this returns.
        # Merged documents go into the commit's own segment, with its new ones (if any).
        while merge_big and keep and len(keep) + 1 > MAX_SEGMENTS:
            merge.append(keep.pop(0))
        if len(merge) < 2:
            return live
        for segment in merge:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return keep

    return policy
