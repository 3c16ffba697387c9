"""Pages decoded and parsed in another process while the loader writes the ones before them.

An ingest of page files is a loop of parse, then write: the parser (the person model
among it) and the loader's writes each take a large share of a page's time, one after
the other on one core. Here the next few pages are parsed by a worker process while the
loader writes the current one, so a folder of pages takes about the longer of the two
rather than their sum. The loader stays the one writer of models: the worker only reads
bytes and returns what `parse_page` returns.

The worker parses with a copy of the loader's gazetteer (the places and aliases it read
from the database), so a page parses exactly as it would in the loader's own process.
It is started with `forkserver`, which does not copy the parent's open database
connections or threads into it. Should it die (killed, out of memory), the pages not
yet parsed are parsed in this process: nothing is lost and the run goes on.

Plain Python: no Django import.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from archive.ingest.dates import PartialDate
from archive.ingest.parser import parse_page
from archive.ingest.source import Decoded, decode
from archive.ingest.types import ParsedPage

_places = None  # the worker's gazetteer, set once when it starts


def _start(places):
    global _places
    _places = places
    # A pool's worker waits for work on a pipe whose other end it holds itself, so it would
    # outlive an ingest that is killed (holding its output open); it leaves when the ingest does.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent.sentinel,), daemon=True).start()


def _leave_with(sentinel):
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def read_page(file_name: str, data: bytes, published: PartialDate | None, places=None) -> tuple[Decoded, ParsedPage]:
    """Decode and parse one page's bytes (raises SourceError, naming the file, as decode does)."""
    decoded = decode(data, file_name)
    return decoded, parse_page(decoded.text, published, _places if places is None else places)


class Ahead:
    """Parses pages in one worker process, in the order they are sent; `take` waits for one.

    At most `limit` pages are sent before they are taken (the caller keeps to it: it sends
    the next page when it takes one), so memory stays bounded however long the run.
    """

    def __init__(self, places, limit: int = 4):
        self.places = places
        self.limit = limit
        self.broken = ""  # why the worker stopped, once it has
        self._pool: ProcessPoolExecutor | None = None

    def send(self, file_name: str, data: bytes, published: PartialDate | None) -> Callable[[], tuple]:
        """Start parsing a page; the returned function gives (Decoded, ParsedPage) or raises
        what parsing raised."""
        future = None
        if not self.broken:
            try:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(
                        1, mp_context=multiprocessing.get_context("forkserver"),
                        initializer=_start, initargs=(self.places,),
                    )
                future = self._pool.submit(read_page, file_name, data, published)
            except (BrokenProcessPool, OSError, RuntimeError) as exc:
                self._stop(exc)
        return lambda: self._take(future, file_name, data, published)

    def _take(self, future: Future | None, file_name, data, published):
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool as exc:
                self._stop(exc)
        # The worker is gone (or never started): this page is parsed here.
        return read_page(file_name, data, published, self.places)

    def _stop(self, exc: BaseException):
        self.broken = self.broken or f"the parser process stopped ({type(exc).__name__}: {exc})"
        self.close()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
