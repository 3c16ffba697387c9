"""Build the whole index in a new folder and swap it in, so searches never see it empty.

haystack's `rebuild_index` deletes the live index first, then writes it back, which
leaves a site with no search results for the length of the build; it also writes
through haystack's AsyncWriter. `rebuild()` holds the live index's write lock for the
whole build (queue drains meanwhile leave their rows, to be applied after the swap,
so no edit made during the build is lost), builds beside it, then renames.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from haystack import connections
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError

from archive import version
from archive.models import Article
from search.queue import CODEC, WRITER_MB


def rebuild(using="default", lock_timeout=60.0, progress=None) -> int:
    """Rebuild the index from the database; returns the number of documents written."""
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    search_index = connections[using].get_unified_index().get_index(Article)
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
        writer = index.writer(limitmb=WRITER_MB, codec=CODEC)
        count = 0
        try:
            for obj in search_index.index_queryset().order_by("pk").iterator(chunk_size=500):
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
        version.bump()  # cached search pages answered from the old index
    finally:
        lock.release()
    shutil.rmtree(old, ignore_errors=True)
    backend.setup_complete = False  # reopen the new folder on next use
    return count


def needs_rebuild(using="default") -> str:
    """Why the index on disk cannot serve the current code ("" if it can)."""
    backend = connections[using].get_backend()
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
    if doc_count == 0 and Article.objects.exists():
        return "index is empty"
    return ""
