"""Facet counts (and date filters) for a search, from each document's stored values, read once per segment.

whoosh's own grouping (FieldFacet with allow_overlap) rebuilds a list of every
document's values on every search, reading the postings of every term of the
field: with 8,721 person names at 3,148 articles that took 4.4 of a query's 4.8 s.
A whoosh segment never changes once written (a deletion only hides a document, and
a hidden document never matches), so here the lists are built once per segment from
its stored fields (about 20 ms for 1,600 documents) and kept; a search then counts
the values of the documents it matched. search.engines.whoosh filters dates the same way:
whoosh's date range query gathers every posting of every date in the range, which
for an open range (from a day on) is most of the index.

`fields` arguments map an index field to whether it holds several values (haystack
stores a list as one comma-joined string; names never contain a half-width comma,
see search_indexes._names); search.engines.whoosh.STORED is the one set the site uses, so
each segment is read once.

A search counts with numpy (`_coded`): every value of a view is a number, laid out
with the document it belongs to, so a search's counts are one boolean gather and one
`bincount` per field. Counting tuples in a Counter was 13 of a common word's 65 ms at
31,480 articles.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from itertools import chain

import numpy as np

MAX_SEGMENTS = 64  # segments kept; an index has a dozen at most between merges
MAX_VIEWS = 4  # joined lists kept, one per set of segments (a searcher's view)
_segments: OrderedDict = OrderedDict()  # segment id -> {field: [values per segment docnum]}
_views: OrderedDict = OrderedDict()  # (segment ids) -> {field: [values per searcher docnum]}
_coded_views: OrderedDict = OrderedDict()  # the same key -> {field: _Coded}
_lock = threading.Lock()


def count(searcher, docnums, fields: dict, names=None) -> dict:
    """{field: Counter of values} over the given (searcher-wide, distinct) document numbers,
    for `names` (default: all) of the fields kept."""
    coded = _coded(searcher, fields)
    size = searcher.doc_count_all()
    wanted = np.zeros(size, dtype=bool)
    wanted[np.fromiter(docnums, dtype=np.int64)] = True
    return {name: coded[name].count(wanted) for name in names or fields}


class _Coded:
    """One field's values over a view: `codes[i]` is the number of the i-th value (its
    text is `labels[codes[i]]`) and `docs[i]` the document it belongs to, in document order;
    a document with several values has several positions, one with none has none."""

    def __init__(self, per_doc: list):
        numbers: dict = {}
        codes, docs = [], []
        for docnum, found in enumerate(per_doc):
            for value in found:
                codes.append(numbers.setdefault(value, len(numbers)))
                docs.append(docnum)
        self.labels = list(numbers)
        self.codes = np.array(codes, dtype=np.int64)
        self.docs = np.array(docs, dtype=np.int64)

    def count(self, wanted) -> Counter:
        """Counter of values over the documents where `wanted` (a boolean per document) is True."""
        tally = np.bincount(self.codes[wanted[self.docs]], minlength=len(self.labels))
        present = np.flatnonzero(tally)
        return Counter(dict(zip(map(self.labels.__getitem__, present.tolist()), tally[present].tolist())))


def _coded(searcher, fields: dict) -> dict:
    """{field: _Coded} for the searcher's view, built once from values()."""
    def build():
        view = values(searcher, fields)
        return {name: _Coded(view[name]) for name in fields}

    return _cached(_coded_views, _view_key(searcher, fields), MAX_VIEWS, build)


def values(searcher, fields: dict) -> dict:
    """{field: [tuple of values for each searcher-wide document number]}."""
    leaves = searcher.leaf_searchers()

    def join():
        parts = [_segment_values(leaf.reader(), fields) for leaf, _ in leaves]
        # Leaves come in docnum order, each starting where the previous one ended.
        return {name: list(chain.from_iterable(part[name] for part in parts)) for name in fields}

    return _cached(_views, _view_key(searcher, fields), MAX_VIEWS, join)


def _view_key(searcher, fields):
    return tuple(fields), tuple(_segment_id(leaf.reader()) for leaf, _ in searcher.leaf_searchers())


def _segment_id(reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else id(reader)


def _segment_values(reader, fields):
    def read():
        size = reader.doc_count_all()
        out = {name: [()] * size for name in fields}
        for docnum, stored in reader.iter_docs():  # live documents only; the rest stay ()
            for name, multi in fields.items():
                out[name][docnum] = _split(stored.get(name), multi)
        return out

    return _cached(_segments, (tuple(fields), _segment_id(reader)), MAX_SEGMENTS, read)


def _cached(cache: OrderedDict, key, limit, build):
    """cache[key], built (outside the lock) if missing; the least recently used go past `limit`."""
    with _lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    built = build()
    with _lock:
        cache[key] = built
        while len(cache) > limit:
            cache.popitem(last=False)
    return built


def _split(value, multi):
    if value is None or value == "":
        return ()
    if multi and isinstance(value, str):
        return tuple(v for v in (part.strip() for part in value.split(",")) if v)
    return (value,)
