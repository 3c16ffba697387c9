"""The search page, its JSON twin and the OpenSearch description: thin views over
search.service.run (the Atom feed, search.feeds, reads the same)."""
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from search.service import run


def search(request):
    return render(request, "search/search.html", {"s": run(request.GET)})


def api(request):
    s = run(request.GET)
    page = s.result.page if s.result else None
    return JsonResponse({
        "query": s.q,
        "filters": {**s.filters.values, **{k: s.params[k] for k in ("from", "to") if k in s.params}},
        "sort": s.sort,
        "count": s.count,
        "page": page.number if page else 1,
        "num_pages": page.paginator.num_pages if page else 0,
        "loose": s.loose,
        "message": " ".join(str(m) for m in s.messages),
        "results": [hit.as_json() for hit in s.hits],
        "facets": s.facets_json(),
        "suggestions": [{"text": text, "url": reverse("search:search") + url} for text, url in s.suggestions],
    }, json_dumps_params={"ensure_ascii": False})


def opensearch(request):
    return render(request, "search/opensearch.xml", {}, content_type="application/opensearchdescription+xml")
