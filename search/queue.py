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

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from haystack import connections
from haystack.constants import ID
from haystack.exceptions import NotHandled, SkipDocument
from whoosh.index import LockError
from whoosh.writing import MERGE_SMALL

from search.models import IndexQueue

log = logging.getLogger(__name__)
ARTICLE = "archive.article"
MAX_SEGMENTS = 12  # more segments, slower searches: a quick drain merges past this
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


def drain(timeout: float = 0.0, batch_size: int = 200, using: str = "default", quick: bool = False) -> int:
    """Apply queued index changes; returns how many records were indexed or removed.

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
        try:
            writer = backend.writer(timeout=timeout)
        except LockError:
            pending = IndexQueue.objects.exclude(id__in=failed_ids).count()
            log.info("search index: write lock held elsewhere; %d rows left queued", pending)
            break
        # Rows are read only once we hold the lock, so two drains never apply the same rows.
        rows = list(IndexQueue.objects.exclude(id__in=failed_ids).order_by("id")[:batch_size])
        if not rows:
            writer.cancel()
            break
        try:
            applied, errors = _apply(rows, writer, backend, unified)
            writer.commit(mergetype=_merge_policy(quick))
        except BaseException:
            writer.cancel()
            raise
        IndexQueue.objects.filter(id__in=[r.id for r in rows if r.id not in errors]).delete()
        for row in rows:
            if row.id in errors:
                row.attempts += 1
                row.last_error = errors[row.id][:2000]
                row.save(update_fields=["attempts", "last_error"])
                failed_ids.add(row.id)
        done += applied
    return done


def _merge_policy(quick):
    """whoosh's merge policy, minus segments whose documents are all deleted.

    Each drain writes a small segment, and re-indexing an article empties the
    segment that held it; whoosh keeps such husks, and merging even a few costs
    seconds (it reads every term's postings). Dropping them costs nothing.
    """
    def policy(writer, segments):
        live = [segment for segment in segments if segment.doc_count()]
        if quick and len(live) < MAX_SEGMENTS:
            return live
        return MERGE_SMALL(writer, live)

    return policy


def _apply(rows, writer, backend, unified):
    """Write the current state of the rows' records; returns (records applied, {row id: error})."""
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
                        writer.update_document(**backend.document(search_index, obj))
                    except SkipDocument:
                        writer.delete_by_term(ID, f"{label}.{pk}")
                applied += 1
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
