"""JSON twins of the article, person, district and organisation pages (same URL, `.json`).

Articles use the export format (archive.export.article_record), so a record
looks the same whether it came from the export command or the site. Lists are
capped and say so, rather than growing without bound.
"""
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from archive import querysets
from archive.caching import archive_page
from archive.export import article_record, export_queryset
from archive.models import Article, District, Organization, Person, Position
from archive.posts import group_posts
from archive.views.common import place_names
from archive.views.entities import district_areas
from archive.views.records import article_or_tombstone

LIMIT = 500


def _json(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def _base(request):
    return request.build_absolute_uri("/")


def _article_brief(article, base):
    page = article.page
    return {
        "url": base.rstrip("/") + article.get_absolute_url(),
        "headline": article.headline,
        "published": page.published_iso or None,
        "published_precision": page.published_precision or None,
    }


def _articles(queryset, base):
    rows = list(queryset.select_related("page").latest_first()[:LIMIT + 1])
    return {
        "articles": [_article_brief(a, base) for a in rows[:LIMIT]],
        "articles_truncated": len(rows) > LIMIT,
    }


def _position(position, base, with_person=False):
    data = {
        "title": position.title,
        "first_seen": position._partial_iso("first_seen") or None,
        "last_seen": position._partial_iso("last_seen") or None,
    }
    if with_person:
        data["person"] = position.person.name
        data["person_url"] = base.rstrip("/") + position.person.get_absolute_url()
    return data


@archive_page
def article_json(request, page_slug, number):
    article, gone = article_or_tombstone(request, export_queryset(), page_slug, number, json=True)
    if gone:
        return gone
    return _json(article_record(article, base_url=_base(request)))


@archive_page
def person_json(request, slug):
    person = get_object_or_404(Person, slug=slug)
    base = _base(request)
    positions = list(person.positions.timeline())
    articles = Article.objects.for_person(person).with_mentions_of(person)
    rows = list(articles.select_related("page").latest_first()[:LIMIT + 1])
    return _json({
        "name": person.name,
        "url": base.rstrip("/") + person.get_absolute_url(),
        "note": person.note,
        "posts": [post.as_dict() for post in group_posts(positions, *place_names())],
        "positions": [_position(p, base) for p in positions],
        "articles": [
            {**_article_brief(a, base), "roles": [m.role for m in a.these_mentions],
             "titles": [m.title for m in a.these_mentions if m.title]}
            for a in rows[:LIMIT]
        ],
        "articles_truncated": len(rows) > LIMIT,
        "districts": [{"name": d.name, "articles": d.n} for d in querysets.districts_of_person(person)],
        "beside": [{"name": p.name, "articles": p.shared} for p in Person.objects.beside(person)],
    })


@archive_page
def district_json(request, slug):
    district = get_object_or_404(District.objects.select_related("parent__parent__parent"), slug=slug)
    base = _base(request)
    articles = Article.objects.in_district(district)
    return _json({
        "name": district.name,
        "url": base.rstrip("/") + district.get_absolute_url(),
        "kind": district.kind,
        "level": district.level,
        "label": district.label,
        "code": district.code,
        "within": [p.name for p in district.lineage()],
        "city": district.city,
        "aliases": district.alias_list,
        "articles_per_year": [{"year": y, "articles": n} for y, n in articles.per_year()],
        "officials": [_position(p, base, True) for p in Position.objects.seen_in_district(district)],
        "organizations": list(district.organizations.values_list("name", flat=True)),
        "sub_areas": [
            {"name": a.name, "kind": a.kind, "within": a.parent or None, "articles": a.articles}
            for a in district_areas(district, articles)
        ],
        **_articles(articles, base),
    })


@archive_page
def organization_json(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("district"), slug=slug)
    base = _base(request)
    return _json({
        "name": organization.name,
        "url": base.rstrip("/") + organization.get_absolute_url(),
        "district": organization.district.name if organization.district else None,
        "positions": [
            _position(p, base, True)
            for p in organization.positions.select_related("person").order_by("person__sort_name")
        ],
        **_articles(Article.objects.for_organization(organization), base),
    })


SUGGESTIONS = 10


@archive_page
def district_suggest(request):
    """Places whose name or alias contains ?q=, most written about first: the person filter's field."""
    text = request.GET.get("q", "").strip()[:District._meta.get_field("name").max_length]
    districts = District.objects.matching(text)[:SUGGESTIONS] if text else []
    return _json({
        "query": text,
        "districts": [{"name": d.name, "slug": d.slug, "articles": d.article_count} for d in districts],
    })
