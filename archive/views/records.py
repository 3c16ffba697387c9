"""Home, articles, and the source pages they were read from."""
from django.db.models import F
from django.db.models.functions import Length
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from archive.caching import archive_page
from archive.citation import cite
from archive.ingest import types as T
from archive.models import Article, Page, Person, Tombstone
from archive.views.common import crumbs, paginate, top_districts
from archive.views.issues import page_trail
from archive.views.text import highlight, is_tagged, link_names, mark_spans, prefix_end, query_terms, untagged


HOME_PLACES = 12  # the busiest; the place list finds the rest


@archive_page
def home(request):
    officials = Person.objects.officials().with_positions().latest_seen(12)
    return render(request, "archive/home.html", {
        "latest": Article.objects.for_listing().newest(10),
        "districts": top_districts(request)[:HOME_PLACES],
        "officials": officials,
        "years": Article.objects.year_counts(),
        "totals": {
            "pages": Page.objects.count(),
            "articles": Article.objects.count(),
            "persons": Person.objects.count(),
        },
    })


def article_or_tombstone(request, queryset, page_slug, number, json=False):
    """The article at a permalink, or a response for one that left its page (301 or 410)."""
    article = queryset.filter(page__slug=page_slug, number=number).first()
    if article is not None:
        return article, None
    tombstone = get_object_or_404(
        Tombstone.objects.select_related("successor__page"), page__slug=page_slug, number=number
    )
    if tombstone.successor is not None:
        target = tombstone.successor.get_json_url() if json else tombstone.successor.get_absolute_url()
        return None, HttpResponsePermanentRedirect(target)
    if json:
        return None, JsonResponse({"gone": True, "headline": tombstone.headline}, status=410)
    return None, render(request, "archive/article_gone.html", {"tombstone": tombstone}, status=410)


@archive_page
def article_detail(request, page_slug, number):
    article, gone = article_or_tombstone(request, Article.objects.for_reading(), page_slug, number)
    if gone:
        return gone
    page = article.page
    siblings = list(
        page.articles.only("page_id", "position", "number", "headline", "headline_derived")
        .order_by("position")
    )
    for sibling in siblings:
        sibling.page = page  # their URLs need the page's slug; don't fetch it again each
    index = next(i for i, s in enumerate(siblings) if s.pk == article.pk)

    query = request.GET.get("q", "").strip()
    whole = " ".join([article.kicker, article.headline, article.subheadline, article.body])
    terms = query_terms(query, whole)
    permalink = request.build_absolute_uri(article.get_absolute_url())
    return render(request, "archive/article_detail.html", {
        "article": article,
        "page": page,
        "permalink": permalink,
        "cite": cite(article, permalink, timezone.localdate()),
        "query": query,
        "terms": terms,
        "text": _article_text(article, terms),
        "byline": _byline(article),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "siblings": siblings,
        "related": related_articles(article),
        "crumbs": page_trail(page, (article.headline, None)),
    })


def related_articles(article):
    """Up to five each: articles naming the same people, about the same district, from the same week.

    An article appears under the first heading that fits, not under all three.
    """
    people = [m.person_id for m in article.named_people]
    same_people = list(Article.objects.sharing_people(article, people)) if people else []
    seen = [a.pk for a in same_people]
    districts = list(article.districts.all())
    same_district = list(Article.objects.sharing_districts(article, districts, seen)) if districts else []
    seen += [a.pk for a in same_district]
    same_week = list(Article.objects.same_week(article, seen))
    return [
        (key, label, items) for key, label, items in (
            ("people", "同一人物", same_people),
            ("district", "同一区县", same_district),
            ("week", "同一周", same_week),
        ) if items
    ]


def _article_text(article, terms):
    """Headline, deck and paragraphs, escaped, with the query's terms marked.

    The dateline (本报讯 7月18日) usually opens the first paragraph; it is split
    off there so the page can set it apart without printing it twice.
    """
    paragraphs = list(article.paragraphs)
    lead = article.lead.strip()
    end = prefix_end(paragraphs[0], lead) if lead and paragraphs else None
    lead_in_body = end is not None
    if lead_in_body:
        lead, paragraphs[0] = paragraphs[0][:end], paragraphs[0][end:]
    return {
        "kicker": highlight(article.kicker, terms),
        "headline": highlight(article.headline, terms),
        "subheadline": highlight(article.subheadline, terms),
        "lead": highlight(lead, terms),
        "lead_in_body": lead_in_body,
        "paragraphs": [highlight(p, terms) for p in paragraphs],
    }


def _byline(article):
    """The byline as printed with its people linked, or one built from them if it can't be."""
    people = [
        (label, persons) for label, persons in
        ((T.ROLE_LABELS[role], article.mentions_with(role)) for role in T.BYLINE_ROLES)
        if persons
    ]
    printed = article.byline.strip()
    names = {p.name: p.get_absolute_url() for _, persons in people for p in persons}
    if printed and all(name in printed for name in names):
        return {"printed": link_names(printed, names), "people": None, "photo_marked": "图" in printed}
    return {"printed": None, "people": people, "photo_marked": False}


@archive_page
def page_list(request):
    pages = (
        Page.objects.defer("raw_bytes", "raw_text").with_article_counts()
        .order_by(F("published_start").desc(nulls_last=True), "file_name")
    )
    return render(request, "archive/page_list.html", {
        "pages": paginate(request, pages),
        "crumbs": crumbs(("版面", None)),
        "nav": "pages",
    })


@archive_page
def page_detail(request, slug):
    page = get_object_or_404(
        Page.objects.defer("raw_bytes").annotate(size=Length("raw_bytes")), slug=slug
    )
    articles = list(page.articles.only(
        "page_id", "position", "number", "headline", "headline_derived", "span_start", "span_end"
    ).order_by("position"))
    for article in articles:
        article.page = page
    tagged = is_tagged(page)
    # The tagged corpus shows its words as printed; the stored tagged text is one click away.
    show_tags = tagged and request.GET.get("view") == "tagged"
    text = untagged(page.raw_text, articles) if tagged and not show_tags else page.raw_text
    return render(request, "archive/page_detail.html", {
        "page": page,
        "articles": articles,
        "tagged": tagged,
        "show_tags": show_tags,
        "marked_text": mark_spans(text, articles),
        "crumbs": page_trail(page, ("版面原文", None)),
        "nav": "pages",
    })


def page_raw(request, slug):
    """The page's bytes exactly as they arrived, named as they arrived."""
    page = get_object_or_404(Page.objects.only("file_name", "encoding", "raw_bytes"), slug=slug)
    response = HttpResponse(
        bytes(page.raw_bytes), content_type=f"text/plain; charset={page.encoding or 'utf-8'}"
    )
    response["Content-Disposition"] = content_disposition_header(True, page.file_name)
    return response
