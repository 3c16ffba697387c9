"""The Solr engine: the archive's search on a SolrCloud collection (solr/configset).

Through haystack's Solr backend (search.solr: the documents, the connection) and its
pysolr clients. The reader's query is search.query's UserQuery, turned into Lucene
syntax here the way UserQuery.whoosh() builds whoosh's objects, term for term:

* an unquoted term must occur as all of its character pairs in `grams` (an AND of
  the pairs the archive's gram analyzer makes, each a term of Solr's CJK bigrams), a
  quoted one as a phrase of them; `headline:` does the same on `headline_grams`;
* its jieba words in `text` (pre-segmented by search.solr) and `headline` only add
  to the score; a district's name or alias also finds the district's articles;
* names (`person:` …) and every filter are whole-value term queries on string fields,
  built with Solr's term parser from validated values, so nothing a reader types
  becomes syntax; every quoted string is escaped.

One request per search: the page of ids, numFound, and every facet (Solr's JSON
facets), with the same dates rule as the whoosh engine (an article counts when its
publication span may fall inside from/to). Suggestions' counts are one more request:
query facets whose domains drop one tagged filter each.
"""
from __future__ import annotations

import json
from datetime import datetime, time

import pysolr
import requests
from django.core.paginator import Paginator

from archive.models import Article
from search.engine import FACETS
from search.engines.base import EMPTY, IndexWriteError, IndexWriter, SearchEngine
from search.query import HEADLINE_MATCH_FIELD, MATCH_FIELD, NAME_FIELDS, RANK_FIELDS

ARTICLE_CT = "archive.article"
UPDATE_BATCH = 500  # documents per update request: one request per commit of a web drain
# A node that does not answer (pysolr raises SolrError from these), or one that answers
# 503 while its collection elects a new leader: try the next.
UNREACHABLE = (requests.exceptions.ConnectionError, requests.exceptions.Timeout)
UNAVAILABLE = ("(HTTP 503)", "(HTTP 510)")


def _quoted(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _term(field, value) -> str:
    """A whole-value match, as a nested term query (no escaping rules to get wrong)."""
    return f"_query_:{_quoted('{!term f=' + field + '}' + str(value))}"


def _day(day, last=False) -> str:
    moment = datetime.combine(day, time.max if last else time.min)
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T" + ("23:59:59.999Z" if last else "00:00:00Z")


class SolrEngine(SearchEngine):
    name = "solr"

    def _index(self):
        return self.unified_index.get_index(Article)

    def _analyzed(self, fieldname, text):
        analyzer = self._index().fields[fieldname].analyzer
        return [t.text for t in analyzer(text, mode="query")]

    # -- the query -----------------------------------------------------------------

    def query_string(self, user_query) -> str:
        """The UserQuery in Lucene syntax (see the module docstring)."""
        parts = []
        for clause in user_query.clauses:
            alternatives = [self._match(t, rank=not clause.negated) for t in clause.alternatives]
            node = alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
            parts.append(("-" if clause.negated else "+") + node)
        return " ".join(parts)

    def _grams(self, fieldname, text, quoted):
        words = self._analyzed(fieldname, text)
        if not words:
            return "(-*:*)"  # matches nothing, as whoosh's NullQuery
        if quoted and len(words) > 1:
            return f"{fieldname}:{_quoted(text)}"
        return "(" + " ".join(f"+{fieldname}:{_quoted(w)}" for w in dict.fromkeys(words)) + ")"

    def _match(self, term, rank=True):
        if term.field in NAME_FIELDS:
            return _term(NAME_FIELDS[term.field], term.district or term.text)
        if term.field == "headline":
            return self._grams(HEADLINE_MATCH_FIELD, term.text, term.quoted)
        match = self._grams(MATCH_FIELD, term.text, term.quoted)
        if term.district:
            match = f"({match} OR {_term(NAME_FIELDS['district'], term.district)})"
        if not rank:
            return match
        ranking = []
        for name in RANK_FIELDS:
            # The index's field boosts (the headline's 2), at query time: Solr 9 has no index-time boosts.
            weight = self._index().fields[name].boost
            boost = f"^{weight:g}" if weight != 1 else ""
            ranking += [f"{name}:{_quoted(w)}{boost}" for w in dict.fromkeys(self._analyzed(name, term.text))]
        return f"(+{match} {' '.join(ranking)})" if ranking else match

    def _params(self, user_query, filters, sort, tag=False):
        """The q, fq and sort of a search."""
        fq = [_filter(FACETS[name][0], value, f"f_{name}" if tag else "") for name, value in filters.values.items()]
        if filters.start or filters.end:
            # An article may fall on or after `start` if its latest possible day does.
            span = [f"+published:[* TO {_day(filters.end, last=True) if filters.end else '*'}]",
                    f"+published_end:[{_day(filters.start) if filters.start else '*'} TO *]"]
            fq.append("{!tag=dates}" * tag + " ".join(span))
        # Every clause says + or - itself; bare ones (the ranking words) only add to the score.
        params = {"fq": fq, "fl": "django_id", "q.op": "OR", "df": MATCH_FIELD}
        if sort in ("newest", "oldest") or not user_query:
            params["sort"] = f"published {'asc' if sort == 'oldest' else 'desc'},id asc"
        else:
            params["sort"] = "score desc,id asc"
        return (self.query_string(user_query) if user_query else "*:*"), params

    # -- reading -------------------------------------------------------------------

    def find(self, user_query, filters, sort, page_number, per_page, facets):
        q, params = self._params(user_query, filters, sort)
        if facets:
            params["json.facet"] = json.dumps({
                name: {"type": "terms", "field": fieldname, "limit": -1, "mincount": 1}
                for name, (fieldname, _, _) in FACETS.items()})
        page = _RequestedPage(self, q, params, per_page, _first_row(page_number, per_page))
        paginated = Paginator(page, per_page).get_page(page_number)
        paginated.object_list = [int(i) for i in paginated.object_list]
        counts = {}
        if facets:
            found = page.first.raw_response.get("facets", {})
            for name in FACETS:
                buckets = found.get(name, {}).get("buckets", [])
                counts[name] = sorted(((b["val"], b["count"]) for b in buckets), key=lambda p: (-p[1], str(p[0])))
        return paginated, counts

    def counts_without(self, user_query, filters):
        q, params = self._params(user_query, filters, "relevance", tag=True)
        facet = {f"without_{name}": {"type": "query", "q": "*:*", "domain": {"excludeTags": f"f_{name}"}}
                 for name in filters.values}
        facet["without_dates"] = {"type": "query", "q": "*:*", "domain": {"excludeTags": "dates"}}
        params.update(rows=0, **{"json.facet": json.dumps(facet)})
        found = self.call("search", q, **params).raw_response.get("facets", {})

        def count(key):
            return found.get(key, {}).get("count", 0)

        return {name: count(f"without_{name}") for name in filters.values}, count("without_dates")

    # -- the nodes -----------------------------------------------------------------

    def call(self, method, *args, **kwargs):
        """A pysolr call on the first node that answers (SOLR_URL may list several)."""
        errors = []
        for conn in self.backend.connections:
            try:
                return getattr(conn, method)(*args, **kwargs)
            except pysolr.SolrError as exc:
                if not _unreachable(exc):
                    raise
                errors.append(f"{conn.url}: {str(exc)[:200]}")
        raise pysolr.SolrError("no Solr node answered: " + "; ".join(errors))

    # -- writing -------------------------------------------------------------------

    def writer(self, timeout, commit_size, pending, quick):
        return SolrWriter(self)

    def clear(self):
        self.call("delete", q="*:*", commit=True)

    # -- checking ------------------------------------------------------------------

    def stored_hashes(self):
        found, cursor = {}, "*"
        while True:
            results = self.call("search", f"django_ct:{_quoted(ARTICLE_CT)}", fl="django_id,content_hash",
                                sort="id asc", rows=1000, cursorMark=cursor)
            for doc in results.docs:
                found[int(doc["django_id"])] = doc.get("content_hash", "")
            if results.nextCursorMark in (None, cursor):
                return found
            cursor = results.nextCursorMark

    def rebuild(self, objects, lock_timeout=60.0, progress=None):
        """Every document written again over the live collection, then the ones the
        database no longer has removed: searches see the old or the new, never nothing."""
        writer, count, written = SolrWriter(self), 0, set()
        for search_index, obj in objects:
            document = self.document(search_index, obj)
            writer.update(document)
            written.add(document["id"])
            count += 1
            if progress and count % 500 == 0:
                progress(count)
        writer.commit()
        gone = [f"{ARTICLE_CT}.{pk}" for pk in self.stored_hashes() if f"{ARTICLE_CT}.{pk}" not in written]
        if gone:
            for at in range(0, len(gone), UPDATE_BATCH):
                writer.removed += gone[at:at + UPDATE_BATCH]
                writer.send()
            writer.commit()
        return count

    def needs_rebuild(self):
        try:
            fields = {f["name"] for f in _schema_fields(self)}
            total = self.call("search", "*:*", rows=0).hits
        except (pysolr.SolrError, OSError, ValueError) as exc:
            return f"Solr did not answer ({type(exc).__name__}: {str(exc)[:300]})"
        missing = sorted(set(self._index().fields) - fields)
        if missing:
            return f"the collection's schema lacks {', '.join(missing)} (upload solr/configset)"
        return EMPTY if total == 0 else ""


def _unreachable(exc) -> bool:
    return isinstance(exc.__context__, UNREACHABLE) or any(code in str(exc) for code in UNAVAILABLE)


def _filter(fieldname, value, tag="") -> str:
    """A filter on one whole value; `tag` names it for a facet domain to drop."""
    tagged = f" tag={tag}" if tag else ""
    if isinstance(value, int):
        return f"{{!lucene{tagged}}}{fieldname}:{int(value)}"
    return f"{{!term f={fieldname}{tagged}}}{value}"


def _schema_fields(engine):
    errors = []
    for url in engine.backend.urls:
        try:
            answer = requests.get(f"{url}/schema/fields", params={"wt": "json"}, timeout=engine.backend.timeout)
            answer.raise_for_status()
            return answer.json()["fields"]
        except (OSError, ValueError, KeyError) as exc:
            errors.append(f"{url}: {exc}")
    raise pysolr.SolrError("; ".join(errors))


def _first_row(page_number, per_page) -> int:
    """Where the page asked for starts, read as Django's Paginator.get_page reads it."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        number = 1
    return (max(number, 1) - 1) * per_page


class _RequestedPage:
    """The matches for Paginator: the page asked for comes with the request that also
    counted them (and faceted); another slice (the page was past the end) is one more."""

    def __init__(self, engine, q, params, per_page, start):
        self.engine, self.q, self.params = engine, q, params
        self.first = engine.call("search", q, rows=per_page, start=start, **params)
        self.start, self.rows = start, per_page

    def __len__(self):
        return self.first.hits

    def __getitem__(self, part):
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("_RequestedPage takes a plain slice")
        start = part.start or 0
        stop = len(self) if part.stop is None else min(part.stop, len(self))
        if stop <= start:
            return []
        if start == self.start and stop - start <= self.rows:
            docs = self.first.docs[:stop - start]
        else:
            params = {k: v for k, v in self.params.items() if k != "json.facet"}
            docs = self.engine.call("search", self.q, rows=stop - start, start=start, **params).docs
        return [doc["django_id"] for doc in docs]


class SolrWriter(IndexWriter):
    """Documents and removals sent in batches of UPDATE_BATCH, made visible by one commit.

    Solr takes concurrent writers, so there is no lock to wait for (IndexBusy never).
    A failed request (every node down, a refused document) raises IndexWriteError: the
    queue keeps the rows. Re-sending is harmless: a document replaces its id's.
    """

    def __init__(self, engine):
        self.engine = engine
        self.documents, self.removed = [], []

    def update(self, document):
        self.documents.append(document)
        if len(self.documents) >= UPDATE_BATCH:  # a bulk load streams, holding one batch
            self.send()

    def delete(self, doc_id):
        self.removed.append(doc_id)

    def send(self):
        try:
            for at in range(0, len(self.documents), UPDATE_BATCH):
                self.engine.call("add", self.documents[at:at + UPDATE_BATCH], commit=False)
            if self.removed:
                self.engine.call("delete", id=list(self.removed), commit=False)
        except (pysolr.SolrError, OSError) as exc:
            raise IndexWriteError(f"Solr refused an update: {str(exc)[:500]}") from exc
        self.documents, self.removed = [], []

    def commit(self):
        self.send()
        try:
            self.engine.call("commit")
        except (pysolr.SolrError, OSError) as exc:
            raise IndexWriteError(f"Solr did not commit: {str(exc)[:500]}") from exc

    def cancel(self):
        # What was sent but not committed becomes visible at Solr's next commit; each
        # such document is the database's current state, so nothing wrong shows.
        self.documents, self.removed = [], []
