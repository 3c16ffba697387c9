"""One search: the reader's query, the filters from the URL, a sort order, one page, facets.

What is asked is validated here, once, for every engine; the configured engine
(search.engines.current(), the contract in search.engines.base) runs it.

URL parameters (the page, the API and the feed read the same ones):
q, district, person, org, reporter, kind, year, month, newspaper, from, to, sort, page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from archive.ingest import types as T
from archive.ingest.dates import DateError, PartialDate
from archive.models import Article
from search import engines
from search.analyzer import normalize
from search.names import resolve_district
from search.query import without_controls

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


def read_filters(params) -> Filters:
    """Filters from URL parameters; a bad value is reported and ignored, never an error."""
    filters = Filters()
    for name in FACETS:
        raw = normalize(" ".join(without_controls(params.get(name) or "").split()))[:100]
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


def execute(user_query, filters: Filters, sort="relevance", page_number=1, per_page=20, facets=True) -> Result:
    """Search; user_query None or empty lists everything the filters allow."""
    page, counts = _find(user_query, filters, sort, page_number, per_page, facets)
    ids = page.object_list
    articles = Article.objects.select_related("page").in_bulk(ids)
    # An article indexed and then deleted before the queue caught up is left out.
    page.object_list = [articles[i] for i in ids if i in articles]
    return Result(page, counts)


def ids(user_query, filters: Filters, sort="relevance", limit=1000) -> tuple[int, list[int]]:
    """(how many match, the first `limit` article ids in order), for an export."""
    page, _ = _find(user_query, filters, sort, 1, limit, facets=False)
    return page.paginator.count, list(page.object_list)


def _find(user_query, filters, sort, page_number, per_page, facets):
    """(a Paginator page of article ids, facet counts)."""
    return engines.current().find(user_query, filters, sort, page_number, per_page, facets)


def counts_without(user_query, filters: Filters) -> tuple[dict, int]:
    """How many articles the search would find without each of its field filters (the
    others and the dates kept), and how many without its dates: one search for all."""
    return engines.current().counts_without(user_query, filters)
