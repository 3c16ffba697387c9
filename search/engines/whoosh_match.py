"""A whoosh query's matches (the count and the facets), and their ranking by whoosh's own
scores, computed with numpy over whole posting lists rather than walked a posting at a time.

whoosh finds the matches of a query by walking its posting lists one posting at a time
in pure Python (`Searcher.docs_for_query`: `skip_to`, `next` and `id` per posting); at
31,480 articles that was 111 of a query's 172 ms. Here each term's posting list is
decoded whole into numpy arrays (`_postings`, kept per segment), a segment's matches are
a boolean per document, and the query's tree is evaluated with array operations. Only
the matching part of a query is walked: `AndMaybe`'s optional part and boosts change the
ranking, never which documents match. A phrase's positions are checked from its words'
blocks in the documents holding every word; a query node this does not know is answered
by whoosh's own matcher, restricted to the candidates the rest of an AND leaves. `top()`
then scores only those matches, through the matcher tree whoosh builds (see there).

Deleted documents are taken out once per segment, at the end: every operation used
here (union, intersection, difference from the live documents) gives the same set
whether the deleted ones are removed before or after it. (whoosh's own matcher for a
query of negations alone yields deleted documents too; the archive never asks one: a
query with nothing positive in it searches everything, search.engines.whoosh.)
"""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict

import numpy as np
from django.conf import settings

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.combo import ArrayUnionMatcher, PreloadedUnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.matching.wrappers import FilterMatcher, InverseMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25FScorer, WeightLengthScorer, WeightScorer
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from search import facets
from search.facets import _cached as facet_cache, _segment_id as segment_id


def matching(searcher, q) -> list[int]:
    """The searcher-wide numbers of the live documents matching q, ascending."""
    out = []
    for leaf, offset in searcher.leaf_searchers():
        found = _docs(leaf, q)
        reader = leaf.reader()
        if reader.has_deletions():
            found[_array(reader.deleted_docs_set)] = False
        out.append(np.flatnonzero(found) + offset)
    return np.concatenate(out).tolist() if out else []


def _none(leaf):
    return np.zeros(leaf.reader().doc_count_all(), dtype=bool)


def _all(leaf):
    return np.ones(leaf.reader().doc_count_all(), dtype=bool)


def _docs(leaf, q):
    """Segment-local documents matching q, as a boolean per document number (deleted ones may be set)."""
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return _none(leaf)
    if isinstance(q, wq.Term):
        return _term(leaf, q.fieldname, q.text)
    if isinstance(q, wq.Every) and not q.fieldname:
        return _all(leaf)
    if isinstance(q, wq.AndMaybe):
        return _docs(leaf, q.a)
    if isinstance(q, wq.AndNot):
        return _docs(leaf, q.a) & ~_docs(leaf, q.b)
    if isinstance(q, wq.Not):
        return ~_docs(leaf, q.query)
    if type(q) is wq.Or and not q.minmatch:
        found = _none(leaf)
        for child in q.subqueries:
            found |= _docs(leaf, child)
        return found
    if type(q) is wq.And:
        return _and(leaf, q.subqueries)
    if type(q) is wq.Phrase and q.words:
        return _phrase(leaf, q, _and(leaf, [wq.Term(q.fieldname, w) for w in q.words]))
    return _whoosh(leaf, q)


def _and(leaf, subqueries):
    known = [c for c in subqueries if not isinstance(c, wq.Not) and _is_known(c)]
    negated = [c.query for c in subqueries if isinstance(c, wq.Not)]
    other = [c for c in subqueries if not isinstance(c, wq.Not) and not _is_known(c)]
    if known:
        found = None
        for child in known:
            part = _docs(leaf, child)
            found = part if found is None else found & part
            if not found.any():
                return found
    elif other:
        found = _whoosh(leaf, other.pop())
    else:  # only negations: everything but them
        found = _all(leaf)
    for child in negated:
        found &= ~_docs(leaf, child)
        if not found.any():
            return found
    for child in other:  # the costly checks (phrases), on the candidates left
        while isinstance(child, wq.AndMaybe):
            child = child.a
        if type(child) is wq.Phrase and child.words:
            found = _phrase(leaf, child, found & _and(leaf, [wq.Term(child.fieldname, w) for w in child.words]))
        else:
            found = _whoosh(leaf, child, found)
        if not found.any():
            return found
    return found


def _is_known(q) -> bool:
    """Whether q is evaluated with sets here all the way down (no node falls back to whoosh)."""
    if q is wq.NullQuery or isinstance(q, (wq.Term, wq.NullQuery.__class__)):
        return True
    if isinstance(q, wq.Every):
        return not q.fieldname
    if isinstance(q, wq.AndMaybe):
        return _is_known(q.a)
    if isinstance(q, (wq.AndNot, wq.Not)):
        return all(_is_known(c) for c in q.children())
    if (type(q) is wq.Or and not q.minmatch) or type(q) is wq.And:
        return all(_is_known(c) for c in q.subqueries)
    return False


def _term(leaf, fieldname, text):
    found = _none(leaf)
    reader = leaf.reader()
    schema = leaf.schema
    if fieldname not in schema:
        return found
    try:
        btext = schema[fieldname].to_bytes(text)
    except ValueError:
        return found
    kept = _kept((segment_id(reader), fieldname, btext))
    if kept is not None:  # not looked up in the segment's term table again
        found[kept[0]] = True
        return found
    if (fieldname, btext) not in reader:
        return found
    postings = reader.postings(fieldname, btext)
    if isinstance(postings, FilterMatcher):  # deletions: taken out by matching()
        postings = postings.child
    if isinstance(postings, W3LeafMatcher) and not postings._byteids:
        found[_postings(leaf, postings)[0]] = True
    else:
        found[_array(postings.all_ids())] = True
    return found


def _array(ids):
    return np.fromiter(ids, dtype=np.int64)


def _mask(leaf, ids):
    found = _none(leaf)
    found[_array(ids)] = True
    return found


def _set(mask) -> set:
    return set(np.flatnonzero(mask).tolist())


# -- posting lists, decoded whole and kept ----------------------------------------------

_postings_kept: OrderedDict = OrderedDict()  # (segment id, field, term) -> (ids, weights)
_postings_size = [0]  # postings kept
_postings_lock = threading.Lock()


def _kept(key):
    """The kept (ids, weights) of a (segment id, field, term), or None."""
    with _postings_lock:
        found = _postings_kept.get(key)
        if found is not None:
            _postings_kept.move_to_end(key)
        return found


def _postings(leaf, m):
    """(document numbers, weights) of leaf matcher m's whole posting list, as numpy arrays
    (int64, float64). A block's ids are its deltas' running sum (whoosh 3 writes each
    block's ids delta-coded from 0; whoosh decodes them one at a time in Python); the
    weights are its floats, or one float for all, or none (1.0). A segment never
    changes once written, so the arrays are kept by segment, least recently used first
    out past settings.SEARCH_POSTINGS_KEPT postings; a search that reads a word for
    its matches and again for its ranking decodes it once."""
    term = m.term()
    key = (segment_id(leaf.reader()), *term) if term is not None else None
    found = _kept(key) if key is not None else None
    if found is not None:
        return found
    ids, weights = [], []
    m.reset()
    while m.is_active():
        m._read_data()
        deltas, weight = m._data[0], m._data[1]
        length = m._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))  # callers pass no byte-id matcher
        if weight is None:
            weights.append(np.ones(length))
        elif isinstance(weight, float):  # read as whoosh does: array("f", ...), a float32
            weights.append(np.full(length, weight, dtype=np.float32).astype(np.float64))
        else:
            weights.append(np.asarray(weight, dtype=np.float64))
        m._next_block()
    found = (np.concatenate(ids), np.concatenate(weights)) if ids else (np.zeros(0, np.int64), np.zeros(0))
    m.reset()
    limit = settings.SEARCH_POSTINGS_KEPT
    if key is not None and len(found[0]) <= limit:
        with _postings_lock:
            if key not in _postings_kept:
                _postings_kept[key] = found
                _postings_size[0] += len(found[0])
            while _postings_size[0] > limit:
                _, (old, _) = _postings_kept.popitem(last=False)
                _postings_size[0] -= len(old)
    return found


def _phrase(leaf, q, within):
    return _mask(leaf, _phrase_set(leaf, q, _set(within)))


def _phrase_set(leaf, q, within: set) -> set:
    """The documents of `within` (each holding every word) where q's words stand one after
    another: whoosh's SpanNear2 with slop 1, ordered, distance 1 (Phrase.matcher) keeps a
    document when some position p has word i at p + i for every i. The positions are read
    a block at a time and decoded only for these documents; whoosh's span matcher costs
    a skip and a span list per word and document (60 of a phrase query's 185 ms at 10×)."""
    if not within or q.slop != 1:
        return _whoosh_set(leaf, q, within) if within else set()
    field = leaf.schema[q.fieldname] if q.fieldname in leaf.schema else None
    if field is None or not field.format or not field.format.supports("positions"):
        return _whoosh_set(leaf, q, within)
    decode = field.format.decoder("positions")
    reader = leaf.reader()
    starts = None
    for i, word in enumerate(q.words):
        try:
            btext = field.to_bytes(word)
        except ValueError:  # Phrase.matcher: no match
            return set()
        if (q.fieldname, btext) not in reader:
            return set()
        postings = reader.postings(q.fieldname, btext)
        if isinstance(postings, FilterMatcher):
            postings = postings.child
        if not isinstance(postings, W3LeafMatcher):
            return _whoosh_set(leaf, q, within)
        found = {}
        for ids in _blocks_meeting(postings, within):
            postings._read_values()
            values = postings._values
            for j, d in enumerate(ids):
                if d in within and (starts is None or d in starts):
                    at = {p - i for p in decode(values[j])}
                    found[d] = at if starts is None else (starts[d] & at)
        starts = {d: at for d, at in found.items() if at}
        within = starts.keys()
        if not starts:
            return set()
    return set(starts)


def _whoosh(leaf, q, within=None):
    return _mask(leaf, _whoosh_set(leaf, q, None if within is None else _set(within)))


def _whoosh_set(leaf, q, within=None) -> set:
    """whoosh's own matcher for q (its deletions filtered already); only ids in `within`
    if given, skipping to each of them rather than walking every posting."""
    while isinstance(q, wq.AndMaybe):  # the optional part only ranks
        q = q.a
    matcher = q.matcher(leaf, leaf.boolean_context())
    if within is None:
        return set(matcher.all_ids())
    return _present(matcher, within)


def _present(matcher, within) -> set:
    """The documents of `within` that the matcher matches, found by skipping to each."""
    found = set()
    for docnum in sorted(within):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            found.add(docnum)
    return found


class _Unknown(Exception):
    """A matcher this module does not score like whoosh; whoosh's own collector then ranks."""


def top(searcher, q, matched, limit):
    """whoosh's `searcher.search(q, limit=limit)` ranking of the documents in `matched` (the
    query's matches from matching(), ascending, perhaps narrowed by dates): [docnum], or
    None when the query's matcher tree holds a node not scored here.

    whoosh's collector scores every match through its matcher tree, a posting at a time
    (its block-quality skipping almost never skips here: BM25's bound on a block of
    character pairs is loose), so ranking cost grows with the matches. Here the same
    tree whoosh builds (`q.matcher`, the same context) is scored over the known matches,
    a node at a time over all of a segment's documents with numpy: each leaf's BM25F from
    its whole posting list, each node adding its children's scores in whoosh's order
    (a + b), so every score is the same float whoosh computes (float64 operations in
    the same order; a document a part does not match adds 0.0, which changes no sum);
    the order is whoosh's too (score descending, then document number).
    """
    if limit <= 0 or not matched:
        return []
    context = searcher.context()
    q = _summed_later(q)
    wanted = np.asarray(matched, dtype=np.int64)
    docs, scores = [], []
    for leaf, offset in searcher.leaf_searchers():
        size = leaf.reader().doc_count_all()
        local = wanted[(wanted >= offset) & (wanted < offset + size)] - offset
        if not len(local):
            continue
        within = np.zeros(size, dtype=bool)
        within[local] = True
        try:
            present, score = _scores(q.matcher(leaf, context), within, leaf, sure=True)
        except _Unknown:
            return None
        found = np.flatnonzero(present)
        docs.append(found + offset)
        scores.append(score[found])
    if not docs:
        return []
    docs, scores = np.concatenate(docs), np.concatenate(scores)
    order = np.lexsort((docs, -scores))[:limit]
    return docs[order].tolist()


def _scores(m, within, leaf, sure=False):
    """(present, score): which documents of `within` (a boolean per segment document) m
    matches, and m's score for each (0.0 elsewhere); `sure`: every one of them does (m is
    a required part of the query, and `within` its matches), so a phrase need not be
    checked again."""
    kind = type(m)
    if kind is AndMaybeMatcher:
        a, sa = _scores(m.a, within, leaf, sure)
        if not a.any():
            return a, sa
        _, sb = _scores(m.b, a, leaf)
        return a, sa + sb
    if kind is IntersectionMatcher:
        a, sa = _scores(m.a, within, leaf, sure)
        if not a.any():
            return a, sa
        b, sb = _scores(m.b, a, leaf, sure)
        return b, np.where(b, sa + sb, 0.0)
    if kind is UnionMatcher:
        (a, sa), (b, sb) = _scores(m.a, within, leaf), _scores(m.b, within, leaf)
        return a | b, sa + sb
    if kind is AndNotMatcher:
        a, sa = _scores(m.a, within, leaf, sure)
        if not a.any():
            return a, sa
        b, _ = _scores(m.b, a, leaf)
        present = a & ~b
        return present, np.where(present, sa, 0.0)
    if kind is SpanNear2.SpanNear2Matcher:  # a phrase: whoosh checks the positions, on these documents only
        present = within if sure else _mask(leaf, _present(m, _set(within)))
        found, score = _scores(m.child, present, leaf, True)
        return found, score * m.boost  # WrappingMatcher.score: its terms' intersection × boost
    if kind is InverseMatcher:  # a NOT inside an AND: a constant score where the child is absent
        inside, _ = _scores(m.child, within, leaf)
        present = within & ~inside
        return present, np.where(present, m._weight, 0.0)
    if kind is _Parts:  # what whoosh would have preloaded (ArrayUnionMatcher), summed the same way
        return _sum_of_parts(m.parts, m.parts_boost, within, leaf)
    if kind in (WrappingMatcher, FilterMatcher):
        if kind is FilterMatcher:
            listed = _mask(leaf, m._ids)
            within = within & (~listed if m._exclude else listed)
        found, score = _scores(m.child, within, leaf, sure)
        return found, score * m.boost
    if kind is ArrayUnionMatcher:  # an OR of many parts: 0.0 + each part's score × boost, in order
        if m._limit >= m._doccount:
            # Built, it already summed its first 2,048 documents, here the whole segment
            # (and skipping inside that part never re-reads it): whoosh's own sums.
            return _summed(m, within)
        return _sum_of_parts(m._submatchers, m._boost, within, leaf)
    if kind is PreloadedUnionMatcher:
        return _summed(m, within, positive=False)
    if isinstance(m, NullMatcherClass):
        return np.zeros(len(within), dtype=bool), np.zeros(len(within))
    if kind is W3LeafMatcher and not m._byteids:
        return _leaf_scores(m, within, leaf)
    raise _Unknown(kind.__name__)


def _sum_of_parts(parts, boost, within, leaf):
    """ArrayUnionMatcher's sums: 0.0 + each part's score × boost, part by part (a part that
    does not match a document adds 0.0); a document counts where its sum is above 0."""
    total = np.zeros(len(within))
    for part in parts:
        total += _scores(part, within, leaf)[1] * boost
    present = total > 0
    return present, np.where(present, total, 0.0)


# -- ORs whoosh would preload ----------------------------------------------------------

class _SummedOr(wq.Or):
    """An OR that top() scores. Where whoosh 2.7.5 would preload it (Or._matcher: no current
    document needed, no scale, not two parts, a segment of 5,000 documents or fewer, or
    1,024 parts and more), its ArrayUnionMatcher scores every posting of every part in
    Python as it is built, before top() has asked for anything: 0.6 of 2.2 s of the
    heaviest queries at 20 segments. This builds its parts only (_Parts), and top() sums
    them as ArrayUnionMatcher would; elsewhere it is whoosh's own OR."""

    def _matcher(self, subs, searcher, context):
        if not _preloaded(self, subs, searcher, context):
            return wq.Or._matcher(self, subs, searcher, context)
        parts = [sub.matcher(searcher, context) for sub in subs]
        return _Parts(make_binary_tree(UnionMatcher, parts), parts, self.boost)


def _preloaded(q, subs, searcher, context) -> bool:
    """Whether whoosh's Or._matcher would choose its ARRAY_MATCHER (PreloadedOr) for q."""
    if q.matcher_type == wq.Or.AUTO_MATCHER:
        needs_current = context.needs_current if context else True
        return not (len(subs) < q.TOO_MANY_CLAUSES
                    and (needs_current or q.scale or len(subs) == 2 or searcher.doc_count_all() > 5000))
    return q.matcher_type == wq.Or.ARRAY_MATCHER


class _Parts(WrappingMatcher):
    """The parts of an OR whoosh would have preloaded. It moves as a tree of unions of them
    (the matchers above it look at it when built), but only top() scores it: see _scores."""

    def __init__(self, child, parts, boost):
        super().__init__(child)
        self.parts, self.parts_boost = parts, boost


def _summed_later(q):
    """A copy of q in which every plain OR is a _SummedOr (q itself is left as it is)."""
    if type(q) is wq.Or:
        return _SummedOr([_summed_later(sub) for sub in q.subqueries], boost=q.boost,
                         minmatch=q.minmatch, scale=q.scale)
    if isinstance(q, wq.BinaryQuery):
        q = copy.copy(q)
        q.a, q.b = _summed_later(q.a), _summed_later(q.b)
        q.subqueries = (q.a, q.b)
    elif isinstance(q, wq.CompoundQuery):
        q = copy.copy(q)
        q.subqueries = [_summed_later(sub) for sub in q.subqueries]
    elif isinstance(q, wq.Not):
        q = copy.copy(q)
        q.query = _summed_later(q.query)
    return q


def bm25(idf, tf, fl, avgfl, B, K1):
    """whoosh.scoring.bm25 over arrays of term frequencies and field lengths: the same
    float64 operations in the same order, so each score is the float whoosh computes."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def _summed(m, within, positive=True):
    """A union matcher's own array of sums (`_a`, from document `_offset` on) where it
    counts a document: above 0 (ArrayUnionMatcher) or not 0 (PreloadedUnionMatcher)."""
    size = len(within)
    a = np.frombuffer(m._a, dtype=np.float64) if m._a.typecode == "d" else np.asarray(m._a, dtype=np.float64)
    full = np.zeros(size)
    part = a[:max(0, size - m._offset)]
    full[m._offset:m._offset + len(part)] = part
    present = within & ((full > 0) if positive else (full != 0))
    return present, np.where(present, full, 0.0)


def _leaf_scores(m, within, leaf):
    """A term's scores, as its scorer gives them: BM25F (BM25FScorer._score, the same
    operations on float64 arrays), another length scorer's `_score` per document, or, on a
    field without lengths, the posting's weight (WeightScorer.score). The postings are
    read whole whatever the matcher's position: combining matchers advance their parts
    when built (an OR of many parts reads its first 2,048 documents)."""
    scorer = m.scorer
    ids, weights = _postings(leaf, m)
    keep = within[ids]
    ids, tf = ids[keep], weights[keep]
    score = np.zeros(len(within))
    present = np.zeros(len(within), dtype=bool)
    present[ids] = True
    if type(scorer) is WeightScorer:
        score[ids] = tf
        return present, score
    if type(scorer).score is not WeightLengthScorer.score:
        raise _Unknown(type(scorer).__name__)
    lengths = _lengths(leaf, m.term()[0]) if m.term() else None
    if type(scorer) is BM25FScorer and lengths is not None:
        score[ids] = bm25(scorer.idf, tf, lengths[ids], scorer.avgfl, scorer.B, scorer.K1)
        return present, score
    length = (lambda d: lengths[d]) if lengths is not None else scorer.dfl
    score[ids] = [scorer._score(w, length(d)) for d, w in zip(ids.tolist(), tf.tolist())]
    return present, score


def _blocks_meeting(m, within):
    """The document ids of each posting block of leaf matcher `m` that holds any of
    `within`, block by block (while one is yielded, its values and weights can be read);
    the other blocks' values are never decoded."""
    while m.is_active():
        m._read_ids()
        if not within.isdisjoint(m._ids):
            yield m._ids
        m._i = m._blocklength - 1
        m.next()


# doc_field_length(..., default=1) per stored byte, as floats (a length is a small integer: exact)
_LENGTH = np.array([1] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)
_lengths_kept: OrderedDict = OrderedDict()  # (segment id, field) -> length per docnum (float64)


def _lengths(leaf, fieldname):
    """Every document's length of a field in one segment, as the scorer's `dfl` reads it one
    document at a time (a seek and a read each: 2.0 of 6.3 s under cProfile at 10×), read
    in one piece and kept per segment (a segment's lengths never change); None if the
    reader is not whoosh 3's, and the scorer reads them itself."""
    reader = leaf.reader()
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, W3PerDocReader):
        return None

    def read():
        size = reader.doc_count_all()
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        lengths = np.ones(size)
        if column is not None and column._count:
            raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
            lengths[:len(raw)] = _LENGTH[raw]
        return lengths

    return facet_cache(_lengths_kept, (segment_id(reader), fieldname), 4 * facets.MAX_SEGMENTS, read)
