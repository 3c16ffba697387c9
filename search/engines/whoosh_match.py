"""Which documents a whoosh query matches, as sets, without scoring: the count and the facets.

whoosh finds the matches of a query by walking its posting lists one posting at a time
in pure Python (`Searcher.docs_for_query`: `skip_to`, `next` and `id` per posting); at
31,480 articles that was 111 of a query's 172 ms. Here each term's posting list is read
a block at a time (the block's ids come out of one unpickled tuple) into a set, and the
query's tree is evaluated with set operations, which run in C. Only the matching part
of a query is walked: `AndMaybe`'s optional part and boosts change the ranking, never
which documents match. A query node this does not know (a phrase, whose positions have
to be checked) is answered by whoosh's own matcher, restricted to the candidates the
rest of the query leaves when it is one part of an AND.

Deleted documents are taken out once per segment, at the end: every operation used
here (union, intersection, difference from the live documents) gives the same set
whether the deleted ones are removed before or after it. (whoosh's own matcher for a
query of negations alone yields deleted documents too; the archive never asks one: a
query with nothing positive in it searches everything, search.engines.whoosh.)
"""
from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher


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


def _whoosh(leaf, q, within=None) -> set:
    """whoosh's own matcher for q (its deletions filtered already); only ids in `within`
    if given, skipping to each of them rather than walking every posting."""
    while isinstance(q, wq.AndMaybe):  # the optional part only ranks
        q = q.a
    matcher = q.matcher(leaf, leaf.boolean_context())
    found = set()
    if within is None:
        found.update(matcher.all_ids())
        return found
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
