"""One search: the reader's query, the filters from the URL, a sort order, one page, facets.

It talks to whoosh directly through the haystack backend's index, with one searcher
and one search per request: haystack's SearchQuerySet opens several readers per
query and runs each narrowing filter as a search of its own (SEARCH-STACK.md).
Filters are whoosh query objects built from validated values, never parsed text.

URL parameters (the page, the API and the feed read the same ones):
q, district, person, org, reporter, kind, year, month, newspaper, from, to, sort, page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.paginator import Paginator
from haystack import connections
from whoosh import query as wq

from archive.ingest import types as T
from archive.ingest.dates import DateError, PartialDate
from archive.models import Article
from search import facets as facet_counts
from search.analyzer import normalize
from search.names import resolve_district

# URL parameter -> (index field, label, several values per article)
FACETS = {
    "district": ("districts", "区县", True),
    "person": ("persons", "人物", True),
    "org": ("organizations", "机构", True),
    "reporter": ("reporters", "记者", True),
    "kind": ("kind", "体裁", False),
    "year": ("year", "年份", False),
    "month": ("month", "月份", False),
    "newspaper": ("newspaper", "报纸", False),
}
PARAMS = ("q", *FACETS, "from", "to", "sort", "page")
# Stored index fields kept per segment by search.facets (field -> several values):
# the facets and the dates, read together so each segment is read once.
STORED = {**{fieldname: multi for fieldname, _, multi in FACETS.values()}, "published": False, "published_end": False}
SORTS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
KINDS = {T.NEWS: "消息", T.INTERVIEW: "访谈"}
FACET_SIZE = 10


@dataclass
class Filters:
    """The filters a request asked for, validated; `problems` says what was ignored and why."""

    values: dict = field(default_factory=dict)  # URL parameter -> value as the index holds it
    start: date | None = None
    end: date | None = None
    problems: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.values or self.start or self.end)

    def query(self) -> wq.Query | None:
        """The field filters as a whoosh query (dates are checked by `within_dates`)."""
        parts = [wq.Term(FACETS[name][0], value) for name, value in self.values.items()]
        return wq.And(parts) if parts else None

    def within_dates(self, searcher, docnums) -> list:
        """The documents whose publication dates may fall inside from/to, in the order given.

        Checked on stored dates kept per segment (search.facets): whoosh's DateRange
        gathers every posting of every date in the range, most of the index for an
        open range; at 31,480 articles that took 0.9 s a query.
        """
        view = facet_counts.values(searcher, STORED)
        first, last = view["published"], view["published_end"]
        start = datetime.combine(self.start, time.min) if self.start else None
        end = datetime.combine(self.end, time.max) if self.end else None
        # An article may fall on or after `start` if its latest possible day does.
        return [d for d in docnums if first[d] and last[d]
                and (start is None or last[d][0] >= start) and (end is None or first[d][0] <= end)]


def read_filters(params) -> Filters:
    """Filters from URL parameters; a bad value is reported and ignored, never an error."""
    filters = Filters()
    for name in FACETS:
        raw = normalize(" ".join((params.get(name) or "").split()))[:100]
        if not raw:
            continue
        if name in ("year", "month"):
            limit = (1, 9999) if name == "year" else (1, 12)
            if not raw.isdigit() or not limit[0] <= int(raw) <= limit[1]:
                filters.problems.append(f"“{FACETS[name][1]}”应为数字，已忽略。")
                continue
            filters.values[name] = int(raw)
        elif name == "district":
            district = resolve_district(raw)  # a name or any alias
            filters.values[name] = district.name if district else raw
        else:
            filters.values[name] = raw
    for name, attr, last in (("from", "start", False), ("to", "end", True)):
        raw = (params.get(name) or "").strip()
        if raw:
            day = parse_day(raw, last)
            if day is None:
                filters.problems.append(f"日期“{raw[:20]}”无法识别（应为 2020、2020-07 或 2020-07-21），已忽略。")
            setattr(filters, attr, day)
    return filters


def parse_day(text, last=False) -> date | None:
    """2020, 2020-07 or 2020-07-21 as a date: the first day of the span, or the last with last=True."""
    try:
        span = PartialDate.parse(text)
    except DateError:
        return None
    return span.end if last else span.start


def label(name, value) -> str:
    """How a filter value reads on the page."""
    if name == "kind":
        return KINDS.get(value, str(value))
    if name == "year":
        return f"{value}年"
    if name == "month":
        return f"{value}月"
    return str(value)


@dataclass
class Result:
    page: object  # a Django Paginator page whose object_list holds Articles
    facets: dict  # URL parameter -> [(value, count)], most frequent first

    @property
    def count(self):
        return self.page.paginator.count


def _backend(using="default"):
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def execute(user_query, filters: Filters, sort="relevance", page_number=1, per_page=20, facets=True) -> Result:
    """Search; user_query None or empty lists everything the filters allow."""
    backend = _backend()
    index = backend.index = backend.index.refresh()
    base = user_query.whoosh(backend.schema) if user_query else wq.Every()
    narrowing = filters.query()
    q = wq.And([base, narrowing]) if narrowing is not None else base
    order = {}
    if sort in ("newest", "oldest") or not user_query:
        # whoosh ignores a per-facet reverse on a date column; the search-wide flag works.
        order = {"sortedby": "published", "reverse": sort != "oldest"}
    with index.searcher() as searcher:
        if order or _has_phrase(q):
            # Date order reads every match's date anyway, and a phrase is checked
            # position by position in every candidate: one pass gives the order,
            # the count and the documents for the facets.
            results = searcher.search(q, limit=None, **order)
            matched = [docnum for _, docnum in results.top_n]  # docs() is unordered
            if filters.start or filters.end:
                matched = filters.within_dates(searcher, matched)
            ranked = matched
        else:
            # Which documents match is found without scoring (for the count and the
            # facets); ranking then scores only as far as the page asked for, which
            # lets whoosh skip postings blocks that cannot reach it.
            matched = list(searcher.docs_for_query(q))
            allowed = None
            if filters.start or filters.end:
                matched = filters.within_dates(searcher, matched)
                allowed = set(matched)
            ranked = _Ranked(searcher, q, len(matched), allowed)
        page = Paginator(ranked, per_page).get_page(page_number)
        ids = [int(searcher.stored_fields(d)["django_id"]) for d in page.object_list]
        counts = _counts(searcher, matched) if facets else {}
    articles = Article.objects.select_related("page").in_bulk(ids)
    # An article indexed and then deleted before the queue caught up is left out.
    page.object_list = [articles[i] for i in ids if i in articles]
    return Result(page, counts)


def _has_phrase(q) -> bool:
    return isinstance(q, wq.Phrase) or any(_has_phrase(child) for child in q.children())


class _Ranked:
    """The matching documents by relevance, for Paginator: a slice runs the ranked search."""

    def __init__(self, searcher, q, total, allowed=None):
        self.searcher, self.q, self.total = searcher, q, total
        self.allowed = allowed  # a set of docnums the query's matches are narrowed to

    def __len__(self):
        return self.total

    def __getitem__(self, part):
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("_Ranked takes a plain slice")
        stop = self.total if part.stop is None else min(part.stop, self.total)
        if stop <= 0:
            return []
        results = self.searcher.search(self.q, limit=stop, filter=self.allowed)
        return [docnum for _, docnum in results.top_n][part.start or 0:stop]


def counts_without(user_query, filters: Filters) -> tuple[dict, int]:
    """How many articles the search would find without each of its field filters (the
    others and the dates kept), and how many without its dates: one search for all.

    The query runs once without any filter; each match's stored facet values (read per
    segment, search.facets) say which filters it fails, and a match counts toward
    dropping a filter when that filter is the only one it fails.
    """
    backend = _backend()
    index = backend.index = backend.index.refresh()
    q = user_query.whoosh(backend.schema) if user_query else wq.Every()
    without = dict.fromkeys(filters.values, 0)
    without_dates = 0
    with index.searcher() as searcher:
        matched = list(searcher.docs_for_query(q))
        view = facet_counts.values(searcher, STORED)
        in_dates = set(filters.within_dates(searcher, matched)) if filters.start or filters.end else None
        wanted = [(name, view[FACETS[name][0]], value) for name, value in filters.values.items()]
        for docnum in matched:
            failed = [name for name, column, value in wanted if value not in column[docnum]]
            if not failed:
                without_dates += 1
            if in_dates is not None and docnum not in in_dates:
                continue
            if len(failed) == 1:
                without[failed[0]] += 1
            elif not failed:  # matches everything: found with any one filter dropped
                for name in without:
                    without[name] += 1
    return without, without_dates


def _counts(searcher, docnums):
    """URL parameter -> [(value, count)], most frequent first (search.facets does the counting)."""
    by_field = facet_counts.count(searcher, docnums, STORED, [fieldname for fieldname, _, _ in FACETS.values()])
    return {name: sorted(by_field[fieldname].items(), key=lambda p: (-p[1], str(p[0])))
            for name, (fieldname, _, _) in FACETS.items()}
