"""A whoosh query's matches as sets (the count and the facets), and their ranking by
whoosh's own scores, read from posting blocks rather than walked a posting at a time.

whoosh finds the matches of a query by walking its posting lists one posting at a time
in pure Python (`Searcher.docs_for_query`: `skip_to`, `next` and `id` per posting); at
31,480 articles that was 111 of a query's 172 ms. Here each term's posting list is read
a block at a time (the block's ids come out of one unpickled tuple) into a set, and the
query's tree is evaluated with set operations, which run in C. Only the matching part
of a query is walked: `AndMaybe`'s optional part and boosts change the ranking, never
which documents match. A phrase's positions are checked from its words' blocks in the
documents holding every word; a query node this does not know is answered by whoosh's
own matcher, restricted to the candidates the rest of an AND leaves. `top()` then
scores only those matches, through the matcher tree whoosh builds (see there).

Deleted documents are taken out once per segment, at the end: every operation used
here (union, intersection, difference from the live documents) gives the same set
whether the deleted ones are removed before or after it. (whoosh's own matcher for a
query of negations alone yields deleted documents too; the archive never asks one: a
query with nothing positive in it searches everything, search.engines.whoosh.)
"""
from __future__ import annotations

import heapq
from collections import OrderedDict

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.combo import ArrayUnionMatcher, PreloadedUnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.matching.wrappers import FilterMatcher, InverseMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2
from whoosh.scoring import WeightLengthScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from search import facets
from search.facets import _cached as facet_cache, _segment_id as segment_id


def matching(searcher, q) -> list[int]:
    """The searcher-wide numbers of the live documents matching q, ascending."""
    out = []
    for leaf, offset in searcher.leaf_searchers():
        found = _docs(leaf, q)
        deleted = leaf.reader().deleted_docs_set if leaf.reader().has_deletions() else ()
        found.difference_update(deleted)
        out.extend(sorted(d + offset for d in found) if offset else sorted(found))
    return out


def _docs(leaf, q) -> set:
    """Segment-local document numbers matching q (deleted ones may be included)."""
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return set()
    if isinstance(q, wq.Term):
        return _term(leaf, q.fieldname, q.text)
    if isinstance(q, wq.Every) and not q.fieldname:
        return set(range(leaf.reader().doc_count_all()))
    if isinstance(q, wq.AndMaybe):
        return _docs(leaf, q.a)
    if isinstance(q, wq.AndNot):
        return _docs(leaf, q.a) - _docs(leaf, q.b)
    if isinstance(q, wq.Not):
        return set(range(leaf.reader().doc_count_all())) - _docs(leaf, q.query)
    if type(q) is wq.Or and not q.minmatch:
        found = set()
        for child in q.subqueries:
            found |= _docs(leaf, child)
        return found
    if type(q) is wq.And:
        return _and(leaf, q.subqueries)
    if type(q) is wq.Phrase and q.words:
        return _phrase(leaf, q, _and(leaf, [wq.Term(q.fieldname, w) for w in q.words]))
    return _whoosh(leaf, q)


def _and(leaf, subqueries) -> set:
    known = [c for c in subqueries if not isinstance(c, wq.Not) and _is_known(c)]
    negated = [c.query for c in subqueries if isinstance(c, wq.Not)]
    other = [c for c in subqueries if not isinstance(c, wq.Not) and not _is_known(c)]
    if known:
        found = None
        for child in known:
            part = _docs(leaf, child)
            found = part if found is None else found & part
            if not found:
                return set()
    elif other:
        found = _whoosh(leaf, other.pop())
    else:  # only negations: everything but them
        found = set(range(leaf.reader().doc_count_all()))
    for child in negated:
        found -= _docs(leaf, child)
        if not found:
            return found
    for child in other:  # the costly checks (phrases), on the candidates left
        while isinstance(child, wq.AndMaybe):
            child = child.a
        if type(child) is wq.Phrase and child.words:
            found = _phrase(leaf, child, found & _and(leaf, [wq.Term(child.fieldname, w) for w in child.words]))
        else:
            found = _whoosh(leaf, child, found)
        if not found:
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


def _term(leaf, fieldname, text) -> set:
    reader = leaf.reader()
    schema = leaf.schema
    if fieldname not in schema:
        return set()
    try:
        btext = schema[fieldname].to_bytes(text)
    except ValueError:
        return set()
    if (fieldname, btext) not in reader:
        return set()
    postings = reader.postings(fieldname, btext)
    if isinstance(postings, FilterMatcher):  # deletions: taken out by matching()
        postings = postings.child
    if not isinstance(postings, W3LeafMatcher):
        return set(postings.all_ids())
    found = set()
    while postings.is_active():
        # One block at a time: the ids come from the block's unpickled tuple.
        postings._read_ids()
        found.update(postings._ids)
        postings._i = postings._blocklength - 1
        postings.next()
    return found


def _phrase(leaf, q, within) -> set:
    """The documents of `within` (each holding every word) where q's words stand one after
    another: whoosh's SpanNear2 with slop 1, ordered, distance 1 (Phrase.matcher) keeps a
    document when some position p has word i at p + i for every i. The positions are read
    a block at a time and decoded only for these documents; whoosh's span matcher costs
    a skip and a span list per word and document (60 of a phrase query's 185 ms at 10×)."""
    if not within or q.slop != 1:
        return _whoosh(leaf, q, within) if within else set()
    field = leaf.schema[q.fieldname] if q.fieldname in leaf.schema else None
    if field is None or not field.format or not field.format.supports("positions"):
        return _whoosh(leaf, q, within)
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
            return _whoosh(leaf, q, within)
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


def _whoosh(leaf, q, within=None) -> set:
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
    None when the query's matcher tree holds a node not scored here (a phrase).

    whoosh's collector scores every match through its matcher tree, a posting at a time
    (its block-quality skipping almost never skips here: BM25's bound on a block of
    character pairs is loose), so ranking cost grows with the matches. Here the same
    tree whoosh builds (`q.matcher`, the same context) is scored over the known matches:
    each leaf's postings a block at a time, each node adding its children's scores in
    whoosh's order (a + b), so every score is the same float whoosh computes; the order
    is whoosh's too (score descending, then document number).
    """
    if limit <= 0 or not matched:
        return []
    context = searcher.context()
    scored = []
    at = 0
    for leaf, offset in searcher.leaf_searchers():
        end = offset + leaf.reader().doc_count_all()
        local = set()
        while at < len(matched) and matched[at] < end:
            local.add(matched[at] - offset)
            at += 1
        if not local:
            continue
        try:
            scores = _scores(q.matcher(leaf, context), local, leaf, sure=True)
        except _Unknown:
            return None
        scored += [(-score, docnum + offset) for docnum, score in scores.items()]
    return [docnum for _, docnum in heapq.nsmallest(limit, scored)]


def _scores(m, within, leaf, sure=False) -> dict:
    """{docnum: m's score} for the documents of `within` that m matches; `sure`: every one of
    them does (m is a required part of the query, and `within` its matches), so a phrase
    need not be checked again."""
    kind = type(m)
    if kind is AndMaybeMatcher:
        a = _scores(m.a, within, leaf, sure)
        b = _scores(m.b, a.keys(), leaf) if a else {}
        return {d: (s + b[d]) if d in b else s for d, s in a.items()}
    if kind is IntersectionMatcher:
        a = _scores(m.a, within, leaf, sure)
        b = _scores(m.b, a.keys(), leaf, sure) if a else {}
        return {d: a[d] + s for d, s in b.items()}
    if kind is UnionMatcher:
        a, b = _scores(m.a, within, leaf), _scores(m.b, within, leaf)
        out = dict(a)
        for d, s in b.items():
            out[d] = (out[d] + s) if d in out else s
        return out
    if kind is AndNotMatcher:
        a = _scores(m.a, within, leaf, sure)
        b = _scores(m.b, a.keys(), leaf) if a else {}
        return {d: s for d, s in a.items() if d not in b}
    if kind is SpanNear2.SpanNear2Matcher:  # a phrase: whoosh checks the positions, on these documents only
        present = within if sure else _present(m, within)
        boost = m.boost  # WrappingMatcher.score: the intersection of its terms' scores × boost
        return {d: s * boost for d, s in _scores(m.child, present, leaf, True).items()}
    if kind is InverseMatcher:  # a NOT inside an AND: a constant score where the child is absent
        inside = _scores(m.child, within, leaf)
        return {d: m._weight for d in within if d not in inside}
    if kind in (WrappingMatcher, FilterMatcher):
        if kind is FilterMatcher:
            ids, exclude = m._ids, m._exclude
            within = {d for d in within if (d in ids) != exclude}
        boost = m.boost
        return {d: s * boost for d, s in _scores(m.child, within, leaf, sure).items()}
    if kind is ArrayUnionMatcher:  # an OR of many parts: 0.0 + each part's score × boost, in order
        if m._limit >= m._doccount:
            # Built, it already summed its first 2,048 documents, here the whole segment
            # (and skipping inside that part never re-reads it): whoosh's own sums.
            a, offset = m._a, m._offset
            return {d: a[d - offset] for d in within if 0 <= d - offset < len(a) and a[d - offset] > 0}
        boost, out = m._boost, {}
        for sub in m._submatchers:
            for d, s in _scores(sub, within, leaf).items():
                out[d] = out.get(d, 0.0) + s * boost
        return {d: s for d, s in out.items() if s > 0}
    if kind is PreloadedUnionMatcher:
        a, offset = m._a, m._offset
        out = {}
        for d in within:
            place = d - offset
            if 0 <= place < len(a) and a[place] != 0:
                out[d] = a[place]
        return out
    if isinstance(m, NullMatcherClass):
        return {}
    if kind is W3LeafMatcher:
        return _leaf_scores(m, within, leaf)
    raise _Unknown(kind.__name__)


def _leaf_scores(m, within, leaf) -> dict:
    """A term's scores, as its scorer gives them: BM25F (WeightLengthScorer.score) or, on a
    field without lengths, the posting's weight (WeightScorer.score). The postings are read
    from the first block whatever the matcher's position: combining matchers advance their
    parts when built (an OR of many parts reads its first 2,048 documents)."""
    scorer = m.scorer
    if type(scorer).score is WeightLengthScorer.score:
        score, length = scorer._score, scorer.dfl
        lengths = _lengths(leaf, m.term()[0]) if m.term() else None
        if lengths is not None:
            length = lengths.__getitem__
    elif type(scorer) is WeightScorer:
        score, length = (lambda weight, _: weight), (lambda docnum: 0)
    else:
        raise _Unknown(type(scorer).__name__)
    if not isinstance(within, (set, frozenset, type({}.keys()))):
        within = set(within)
    out = {}
    m.reset()
    for ids in _blocks_meeting(m, within):
        m._read_weights()
        weights = m._weights
        for i, d in enumerate(ids):
            if d in within:
                out[d] = score(weights[i], length(d))  # WeightLengthScorer.score
    return out


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


_LENGTH = [1] + [byte_to_length(b) for b in range(1, 256)]  # doc_field_length(..., default=1) per stored byte
_lengths_kept: OrderedDict = OrderedDict()  # (segment id, field) -> [length per docnum]


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
        if column is None:
            return [1] * size
        raw = column._dbfile.get(column._basepos, column._count) if column._count else b""
        return [_LENGTH[b] for b in raw] + [1] * (size - len(raw))

    return facet_cache(_lengths_kept, (segment_id(reader), fieldname), 4 * facets.MAX_SEGMENTS, read)
