"""The search a request asks for, for every output (the page, its JSON twin, the feed).

`run()` reads the URL parameters (search.engine.PARAMS), runs the query through
search.engine, falls back to the loose query when the exact one finds nothing, marks
the hits and, when nothing is found, suggests what to try instead. The views only
render what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.http import urlencode

from search import engine, highlight
from search.analyzer import to_simplified
from search.forms import SearchForm
from search.names import related_names
from search.query import resolve

PER_PAGE = getattr(settings, "HAYSTACK_SEARCH_RESULTS_PER_PAGE", 20)


@dataclass
class Hit:
    article: object
    headline: str  # safe HTML
    snippet: str  # safe HTML

    def as_json(self):
        article, page = self.article, self.article.page
        return {
            "id": article.pk,
            "url": article.get_absolute_url(),
            "source": page.file_name,
            "position": article.position,
            "headline": article.headline,
            "published": page.published_iso,
            "snippet": str(self.snippet),
            "newspaper": page.newspaper,
            "kind": article.kind,
        }


@dataclass
class Search:
    """Everything one request's search produced, for any of the outputs."""

    params: dict  # the recognised URL parameters, as given
    q: str = ""
    form: object = None
    query: object = None  # search.query.UserQuery actually run (the loose one after a fallback)
    filters: object = None
    sort: str = "relevance"
    result: object = None
    hits: list = field(default_factory=list)
    loose: bool = False
    messages: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)  # (text, url)

    @property
    def count(self):
        return self.result.count if self.result else 0

    def url(self, drop=(), **changes):
        """This search's URL with some parameters dropped or changed (page always reset)."""
        params = {k: v for k, v in self.params.items() if k not in drop and k != "page" and v}
        params.update({k: v for k, v in changes.items() if v not in (None, "")})
        ordered = [(k, params[k]) for k in engine.PARAMS if k in params]
        return "?" + urlencode(ordered) if ordered else "?"

    @property
    def sort_links(self):
        """(key, label, URL or None for the current order)."""
        return [(key, name, None if key == self.sort else self.url(sort=key)) for key, name in engine.SORTS.items()]

    @property
    def active_filters(self):
        """(label, value label, URL without it) for each filter applied."""
        out = [(engine.FACETS[name][1], engine.label(name, value), self.url(drop=[name]))
               for name, value in self.filters.values.items()]
        for name, title, day in (("from", "起", self.filters.start), ("to", "止", self.filters.end)):
            if day:
                out.append((title, self.params.get(name), self.url(drop=[name])))
        return out

    @property
    def facets(self):
        """[(parameter, label, [(value label, count, URL, active)])] for facets with a choice."""
        if not self.result:
            return []
        out = []
        for name, counts in self.result.facets.items():
            active = self.filters.values.get(name)
            rows = [(engine.label(name, v), n, self.url(**{name: v}), v == active)
                    for v, n in counts[:engine.FACET_SIZE]]
            if rows and (len(rows) > 1 or active is not None):
                out.append((name, engine.FACETS[name][1], rows))
        return out

    def facets_json(self):
        if not self.result:
            return {}
        return {name: [{"value": v, "label": engine.label(name, v), "count": n} for v, n in counts]
                for name, counts in self.result.facets.items()}


def snippet_text(article):
    """The article's text for a snippet, headline left out (it is shown above the snippet)."""
    parts = [article.kicker, article.subheadline, article.lead, article.body, article.byline]
    return "\n".join(p for p in parts if p)


def run(params, per_page=PER_PAGE, facets=True) -> Search:
    """The search a request's parameters ask for; never raises on what a reader typed."""
    given = {k: params.get(k, "") for k in engine.PARAMS if params.get(k)}
    s = Search(params=given, q=params.get("q", "") or "")
    s.form = SearchForm(params)
    s.filters = engine.read_filters(params)
    s.messages += s.filters.problems
    s.sort = params.get("sort") if params.get("sort") in engine.SORTS else "relevance"
    if not s.form.is_valid():
        s.messages.append(s.form.message)
        return s
    query = s.form.query
    s.messages += query.notes
    simplified = to_simplified(s.q)
    if simplified != s.q:  # the index holds simplified characters; say what was searched
        s.messages.append(f"繁体字已转为简体检索：{simplified}")
    if not query and not s.filters:
        if not query.clauses:
            s.messages.append("请输入要检索的词语。" if not s.q.strip() else "")
        else:
            s.messages.append("只有排除的词语：请至少输入一个要查找的词语。")
        s.messages = [m for m in s.messages if m]
        return s
    query = resolve(query) if query else None
    s.result = engine.execute(query, s.filters, s.sort, params.get("page"), per_page, facets)
    s.query = query
    if not s.result.count and query is not None:
        loose = query.loose()
        if loose is not None:
            result = engine.execute(loose, s.filters, s.sort, params.get("page"), per_page, facets)
            if result.count:
                s.result, s.query, s.loose = result, loose, True
    terms = s.query.highlight_terms() if s.query else []
    s.hits = [Hit(a, highlight.mark(a.headline, terms), highlight.snippet(snippet_text(a), terms))
              for a in s.result.page.object_list]
    if not s.result.count:
        s.messages.append("没有找到符合条件的文章。")
        s.suggestions = suggest(s, query)
    return s


def suggest(s: Search, query) -> list:
    """What to try when nothing was found: fewer filters, no dates, known names.

    Each "without this filter" count comes from one search (engine.counts_without),
    not one search per filter.
    """
    out = []
    if s.filters:
        without, without_dates = engine.counts_without(query, s.filters)
        for name, value in s.filters.values.items():
            if without[name]:
                out.append((f"去掉“{engine.FACETS[name][1]}：{engine.label(name, value)}”可找到 {without[name]} 篇",
                            s.url(drop=[name])))
        if (s.filters.start or s.filters.end) and without_dates:
            out.append((f"不限日期可找到 {without_dates} 篇", s.url(drop=["from", "to"])))
    if query is not None:
        for name in related_names([t.text for t in query.positive]):
            out.append((f"检索“{name}”", s.url(drop=["q"], q=name)))
    return out
