"""Index updates through a queue, written by one writer at a time.

whoosh has one write lock, and a Solr commit is best made in batches. Web requests,
admin edits and ingests therefore never write the index directly: they add IndexQueue
rows (in their own transaction, see search.signals), and `drain()` applies them through
the engine's writer (search.engines.base.IndexWriter). If another writer holds the
index, drain gives up at once (or after `timeout`) and the rows wait for the next
drain; nothing is lost and nothing is swallowed.

The queue says *which* records changed; the database says *what* they are now. An
article that exists is (re)indexed, one that does not is removed, whatever the
row's action, so rows can be applied twice or out of order without harm.

For the loader:  enqueue_articles(ids), enqueue_articles(ids, delete=True), drain().
After a commit that queued rows, the signal processor also drains without waiting
for the lock (web requests stay quick); wrap bulk work in `paused()` to leave the
draining to an explicit drain() or `manage.py process_index_queue`.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from haystack.constants import ID
from haystack.exceptions import NotHandled, SkipDocument

from archive import version
from search import engines
from search.engines.base import IndexBusy, IndexWriteError
from search.models import IndexQueue

log = logging.getLogger(__name__)
ARTICLE = "archive.article"
BULK_COMMIT = 5000  # rows per commit for a bulk load (the ingest, a repair)
_local = threading.local()


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
    engine = engines.current(using)
    done, failed_ids = 0, set()
    while True:
        try:
            writer = engine.writer(timeout, commit_size, lambda: IndexQueue.objects.exclude(id__in=failed_ids).count(),
                                   quick)
        except IndexBusy:
            pending = IndexQueue.objects.exclude(id__in=failed_ids).count()
            log.info("search index: write lock held elsewhere; %d rows left queued", pending)
            break
        written = []
        try:
            # Rows are read only once we hold the lock, so two drains never apply the same rows.
            rows, errors, applied = _write_rows(writer, engine, failed_ids, batch_size, commit_size, written)
            if not rows:
                writer.cancel()
                break
            writer.commit()
        except IndexWriteError as exc:
            # A full disk under the index, a writer process killed, an engine that did not
            # answer: this commit is given up, its rows stay queued, and the caller hears why.
            writer.cancel()
            left = IndexQueue.objects.count()
            raise IndexWriteError(
                f"the index write failed ({exc}); {left} index updates stay queued for the next "
                "drain (the next ingest, or manage.py process_index_queue)"
            ) from exc
        except BaseException:
            writer.cancel()
            raise
        missing = writer.lost(written)
        if missing:
            lost = {row.id: "lost by a parallel index writer" for row in rows
                    if f"{row.model}.{row.object_id}" in missing}
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


def merge(timeout: float = 0.0, using: str = "default") -> tuple[int, int] | None:
    """The index's housekeeping merge (search.engines.base.SearchEngine.merge), kept out
    of drains so that an ingest's time does not grow with the archive; returns the
    segments (before, after), or None if another writer held the index."""
    try:
        return engines.current(using).merge(timeout)
    except IndexBusy:
        log.info("search index: write lock held elsewhere; merging left for next time")
        return None


def _write_rows(writer, engine, failed_ids, batch_size, commit_size, written):
    """Apply up to commit_size queued rows through one writer; returns (rows, errors, applied).

    A record is written once per writer (whoosh's update_document only replaces
    documents of committed segments), so a second row for a record already written
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
            n, chunk_errors = _apply(chunk, writer, engine, written)
            applied += n
            errors.update(chunk_errors)
            taken += chunk
        if cut is not None:
            break
    return taken, errors, applied


def _apply(rows, writer, engine, written=None):
    """Write the current state of the rows' records; returns (records applied, {row id: error}).

    The unique ids of documents added are appended to `written`.
    """
    by_model: dict[str, list[IndexQueue]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    applied, errors = 0, {}
    for label, model_rows in by_model.items():
        search_index = _index_for(engine.unified_index, label)
        if search_index is None:
            log.warning("search index: %s is not indexed; dropping %d queue rows", label, len(model_rows))
            continue
        pks = list(dict.fromkeys(row.object_id for row in model_rows))
        objects = search_index.index_queryset().in_bulk(pks)
        for pk in pks:
            obj = objects.get(pk)
            try:
                if obj is None:
                    writer.delete(f"{label}.{pk}")
                else:
                    try:
                        document = engine.document(search_index, obj)
                        writer.update(document)
                        if written is not None:
                            written.append(document[ID])
                    except SkipDocument:
                        writer.delete(f"{label}.{pk}")
                applied += 1
            except IndexWriteError:
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
