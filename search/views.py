"""The search page and its JSON twin: both share one search and differ only in output."""
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from search import highlight
from search.forms import SearchForm
from search.query import search as run_search

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
        }


def snippet_text(article):
    """The article's text for a snippet, headline left out (it is shown above the snippet)."""
    parts = [article.kicker, article.subheadline, article.lead, article.body, article.byline]
    return "\n".join(p for p in parts if p)


def _search(request):
    form = SearchForm(request.GET)
    result = {"form": form, "q": request.GET.get("q", ""), "outcome": None, "hits": [], "message": ""}
    if not form.is_valid():
        result["message"] = form.message
    elif not form.query:
        result["message"] = "请输入要检索的词语。"
    else:
        outcome = run_search(form.query, request.GET.get("page"), PER_PAGE)
        terms = outcome.query.highlight_terms()
        result["outcome"] = outcome
        result["hits"] = [
            Hit(r.object, highlight.mark(r.object.headline, terms), highlight.snippet(snippet_text(r.object), terms))
            for r in outcome.page.object_list
            if r.object is not None  # indexed, then deleted before the queue caught up
        ]
        if not outcome.count:
            result["message"] = "没有找到包含这些词语的文章。"
    return result


def search(request):
    return render(request, "search/search.html", _search(request))


def api(request):
    result = _search(request)
    outcome = result["outcome"]
    return JsonResponse({
        "query": result["q"],
        "count": outcome.count if outcome else 0,
        "page": outcome.page.number if outcome else 1,
        "num_pages": outcome.page.paginator.num_pages if outcome else 0,
        "loose": bool(outcome and outcome.loose),
        "message": str(result["message"]),
        "results": [hit.as_json() for hit in result["hits"]],
    }, json_dumps_params={"ensure_ascii": False})
