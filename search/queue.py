"""Index updates through a queue, written by one writer at a time.

whoosh has one write lock. Web requests, admin edits and ingests therefore never
write the index directly: they add IndexQueue rows (in their own transaction, see
search.signals), and `drain()` applies them while holding whoosh's lock. If another
writer holds it, drain gives up at once (or after `timeout`) and the rows wait for
the next drain; nothing is lost and nothing is swallowed.

The queue says *which* records changed; the database says *what* they are now. An
article that exists is (re)indexed, one that does not is removed, whatever the
row's action, so rows can be applied twice or out of order without harm.

For the loader:  enqueue_articles(ids), enqueue_articles(ids, delete=True), drain().
After a commit that queued rows, the signal processor also drains without waiting
for the lock (web requests stay quick); wrap bulk work in `paused()` to leave the
draining to an explicit drain() or `manage.py process_index_queue`.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from haystack import connections
from haystack.constants import ID
from haystack.exceptions import NotHandled, SkipDocument
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError, clean_files
from whoosh.reading import SegmentReader

from archive import version
from search.models import IndexQueue
from search.writer import WriterProcessDied

log = logging.getLogger(__name__)
ARTICLE = "archive.article"
MAX_SEGMENTS = 6  # more segments, slower searches (31k articles, p95: 3 segments 112 ms, 13 segments 160 ms)
SMALL_SEGMENT = 1000  # documents; segments smaller than this are merged at every full commit
BULK_COMMIT = 5000  # rows per commit for a bulk load (the ingest, a repair)
WRITER_MB = 16  # whoosh's in-memory postings pool per writer; it spills sorted runs past this
# No zlib on postings blocks: compressing took a third of a commit's time for a
# quarter of the index's size. Each block records whether it is compressed, so
# segments written before this still read.
CODEC = W3Codec(compression=0)
# A bulk commit of at least PARALLEL_MIN rows analyses and writes in
# settings.SEARCH_INDEX_PROCS processes (whoosh's MpWriter, one segment each).
PARALLEL_MIN = 400
PARALLEL_BATCH = 50  # documents per job file handed to a sub-process
_local = threading.local()


class IndexWriteError(Exception):
    """An index commit could not be written (a full disk, a writer process that died);
    nothing of it was applied and its rows stay queued."""


def enqueue(model: str, ids, action=IndexQueue.UPDATE) -> int:
    """Queue index changes for records of `model` ("app_label.model_name"); returns rows added."""
    rows = [IndexQueue(model=model, object_id=pk, action=action) for pk in dict.fromkeys(ids) if pk]
    IndexQueue.objects.bulk_create(rows)
    if rows:
        schedule_drain()
    return len(rows)


def enqueue_articles(ids, delete=False) -> int:
    """Queue articles for (re)indexing, or for removal with delete=True."""
    return enqueue(ARTICLE, ids, IndexQueue.DELETE if delete else IndexQueue.UPDATE)


@contextmanager
def paused():
    """Within this block, commits queue rows but do not drain them (for bulk loads)."""
    _local.paused = getattr(_local, "paused", 0) + 1
    try:
        yield
    finally:
        _local.paused -= 1


def schedule_drain():
    """Drain once the current transaction commits (at once outside a transaction)."""
    if getattr(_local, "paused", 0) or not getattr(settings, "SEARCH_QUEUE_AUTODRAIN", True):
        return
    transaction.on_commit(_drain_after_commit)


def _drain_after_commit():
    # Runs inside a web request after its commit: never wait for the lock, and never
    # turn a saved edit into an error page. Failures are logged and the rows stay.
    # A transaction that queued many rows registers this many times; the first call
    # drains them all and the others stop at the cheap check.
    try:
        if IndexQueue.objects.exists():
            drain(timeout=0.0, quick=True)
    except Exception:
        log.exception("search index: drain after commit failed; rows stay queued")


def drain(timeout: float = 0.0, batch_size: int = 200, commit_size: int = 200, using: str = "default",
          quick: bool = False) -> int:
    """Apply queued index changes; returns how many records were indexed or removed.

    Rows are read `batch_size` at a time and committed `commit_size` at a time: whoosh
    pays per distinct term at each commit (and again when it merges the segments), so
    a bulk load commits rarely (the ingest uses BULK_COMMIT) while a drain in a web
    request commits its few rows at once.

    Stops, leaving the rows queued, if another writer holds whoosh's lock for longer
    than `timeout` seconds. A record that fails to index is logged, counted on its row
    (attempts, last_error) and retried by the next drain; the others still go through.
    `quick` (for drains inside a request) skips whoosh's segment merging, which can
    take seconds, until MAX_SEGMENTS segments have piled up.
    """
    backend = connections[using].get_backend()
    unified = connections[using].get_unified_index()
    done, failed_ids = 0, set()
    while True:
        options = {"limitmb": WRITER_MB, "codec": CODEC}
        procs = _procs(commit_size, failed_ids)
        if procs > 1:
            options.update(procs=procs, multisegment=True, batchsize=PARALLEL_BATCH)
        with _frozen(procs > 1):
            try:
                writer = backend.writer(timeout=timeout, **options)
            except LockError:
                pending = IndexQueue.objects.exclude(id__in=failed_ids).count()
                log.info("search index: write lock held elsewhere; %d rows left queued", pending)
                break
            written = []
            try:
                # Rows are read only once we hold the lock, so two drains never apply the same rows.
                rows, errors, applied = _write_rows(writer, backend, unified, failed_ids, batch_size, commit_size,
                                                    written)
                if not rows:
                    writer.cancel()
                    break
                writer.commit(mergetype=_merge_policy(quick))
            except (OSError, WriterProcessDied) as exc:
                # A full disk under the index, or a writer process killed: this commit
                # is given up, its rows stay queued, and the caller hears why.
                _cancel(writer)
                left = IndexQueue.objects.count()
                raise IndexWriteError(
                    f"the index write failed ({exc}); {left} index updates stay queued for the next "
                    "drain (the next ingest, or manage.py process_index_queue)"
                ) from exc
            except BaseException:
                _cancel(writer)
                raise
        if procs > 1:
            lost = _lost(backend, rows, written)
            errors.update(lost)
            applied -= len({(row.model, row.object_id) for row in rows if row.id in lost})
        IndexQueue.objects.filter(id__in=[r.id for r in rows if r.id not in errors]).delete()
        # Search pages are cached by the archive's version: the index changed only now,
        # after the records' own commit, so a search cached in between must not stand.
        version.bump()
        for row in rows:
            if row.id in errors:
                row.attempts += 1
                row.last_error = errors[row.id][:2000]
                row.save(update_fields=["attempts", "last_error"])
                failed_ids.add(row.id)
        done += applied
    return done


def _write_rows(writer, backend, unified, failed_ids, batch_size, commit_size, written):
    """Apply up to commit_size queued rows through one writer; returns (rows, errors, applied).

    A record is written once per writer: whoosh's update_document only replaces
    documents of committed segments, so a second row for a record already written
    here ends this commit and waits for the next writer.
    """
    taken, errors, applied = [], {}, 0
    seen, last_id = set(), 0
    while len(taken) < commit_size:
        chunk = list(IndexQueue.objects.exclude(id__in=failed_ids).filter(id__gt=last_id)
                     .order_by("id")[:min(batch_size, commit_size - len(taken))])
        if not chunk:
            break
        last_id = chunk[-1].id
        cut = next((i for i, row in enumerate(chunk) if (row.model, row.object_id) in seen), None)
        chunk = chunk[:cut]
        if chunk:
            seen.update((row.model, row.object_id) for row in chunk)
            n, chunk_errors = _apply(chunk, writer, backend, unified, written)
            applied += n
            errors.update(chunk_errors)
            taken += chunk
        if cut is not None:
            break
    return taken, errors, applied


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


def _procs(commit_size, failed_ids):
    """Sub-processes for this writer: several only for a bulk commit with enough rows to share."""
    procs = getattr(settings, "SEARCH_INDEX_PROCS", 1)
    if procs < 2 or commit_size < PARALLEL_MIN:
        return 1
    pending = IndexQueue.objects.exclude(id__in=failed_ids).count()
    return procs if pending >= PARALLEL_MIN else 1


def _lost(backend, rows, written):
    """{row id: error} for documents a sub-writer failed to commit.

    whoosh's MpWriter commits without a sub-writer's segment if that process died
    (it waits one second for each result and moves on), so every document written
    is looked up after the commit; a missing one keeps its row for the next drain.
    """
    backend.index = backend.index.refresh()
    with backend.index.searcher() as searcher:
        missing = {doc_id for doc_id in written if searcher.document_number(**{ID: doc_id}) is None}
    if not missing:
        return {}
    log.error("search index: %d documents missing after a parallel commit; rows kept", len(missing))
    return {row.id: "lost by a parallel index writer" for row in rows
            if f"{row.model}.{row.object_id}" in missing}


def _merge_policy(quick):
    """Which segments a commit merges: small ones, and only as many big ones as needed.

    * Segments whose documents are all deleted are dropped (re-indexing an article
      empties the segment that held it; whoosh keeps such husks).
    * Segments under SMALL_SEGMENT documents (a drain of a few edits) are merged
      together, which is cheap; a quick drain (inside a web request) merges nothing
      until MAX_SEGMENTS have piled up, and then only those.
    * Past MAX_SEGMENTS, the smallest segments are merged into one until the count
      fits. whoosh's own MERGE_SMALL merged everything once enough segments were
      alike: on the tenth copy of the month that one commit rewrote 28,000
      documents in one process and took 500 s.
    """
    def policy(writer, segments):
        live = sorted((s for s in segments if s.doc_count()), key=lambda s: s.doc_count_all())
        if quick and len(live) < MAX_SEGMENTS:
            return live
        merge = [s for s in live if s.doc_count_all() < SMALL_SEGMENT]
        if len(merge) < 2:
            merge = []
        keep = [s for s in live if s not in merge]
        # The commit adds its own segment(s) beside what this returns. A quick drain
        # runs inside a web request: it never takes on a big merge.
        while not quick and keep and len(keep) + bool(merge) + 1 > MAX_SEGMENTS:
            merge.append(keep.pop(0))
        if len(merge) < 2:
            return live
        for segment in merge:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return keep

    return policy


def _apply(rows, writer, backend, unified, written=None):
    """Write the current state of the rows' records; returns (records applied, {row id: error}).

    The unique ids of documents added are appended to `written`.
    """
    by_model: dict[str, list[IndexQueue]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    applied, errors = 0, {}
    for label, model_rows in by_model.items():
        search_index = _index_for(unified, label)
        if search_index is None:
            log.warning("search index: %s is not indexed; dropping %d queue rows", label, len(model_rows))
            continue
        pks = list(dict.fromkeys(row.object_id for row in model_rows))
        objects = search_index.index_queryset().in_bulk(pks)
        for pk in pks:
            obj = objects.get(pk)
            try:
                if obj is None:
                    writer.delete_by_term(ID, f"{label}.{pk}")
                else:
                    try:
                        document = backend.document(search_index, obj)
                        writer.update_document(**document)
                        if written is not None:
                            written.append(document[ID])
                    except SkipDocument:
                        writer.delete_by_term(ID, f"{label}.{pk}")
                applied += 1
            except (OSError, WriterProcessDied):
                raise  # the writer's failure, not this record's: drain() gives the commit up
            except Exception as exc:
                log.exception("search index: cannot index %s #%s", label, pk)
                for row in model_rows:
                    if row.object_id == pk:
                        errors[row.id] = f"{type(exc).__name__}: {exc}"
    return applied, errors


def _index_for(unified, label):
    from django.apps import apps

    try:
        return unified.get_index(apps.get_model(label))
    except (LookupError, NotHandled, ValueError):
        return None


def pending() -> int:
    """Rows waiting for a drain."""
    return IndexQueue.objects.count()
