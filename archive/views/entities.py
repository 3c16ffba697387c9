"""Districts, people, reporters and organisations."""
import operator
from functools import reduce

from django.db.models import F, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from archive import querysets
from archive.caching import archive_page
from archive.charts import bar_chart
from archive.ingest import types as T
from archive.models import (
    Article,
    District,
    Organization,
    Person,
    PersonMention,
    Position,
    person_summary,
)
from archive.posts import OFFICE_WORDS, group_posts, sub_areas
from archive.views.common import crumbs, paginate, place_names, top_districts

OFFICIAL = "official"
ROLE_FILTERS = [(OFFICIAL, "官员"), *PersonMention.ROLE_CHOICES]
SORTS = [("name", "姓名（拼音）"), ("articles", "文章数"), ("latest", "最近见报")]


def _printing(field, *words):
    return reduce(operator.or_, (Q(**{f"{field}__contains": w}) for w in words))


def district_areas(district, articles):
    """Sub-areas (办事处, 街道, 村) named in the district's titles, organisations and articles.

    Only what can name one is read: an area is found only beside 办事处 or 街道, and its
    name ends in 办事处, 街道 or 村, so texts without them add nothing (reading every body of
    a big place was most of its page's time)."""
    named = [
        *district.organizations.filter(_printing("name", *OFFICE_WORDS)).values_list("name", flat=True),
        *Position.objects.filter(_printing("title", *OFFICE_WORDS), mentions__article__districts=district)
        .values_list("title", flat=True),
        *Organization.objects.filter(_printing("name", *OFFICE_WORDS), mentions__article__districts=district)
        .values_list("name", flat=True),
    ]
    # Place names are cut from the names and titles only (all of the archive's: read when needed).
    places = [name for names in place_names() for name in names] if named else []
    bodies = articles.order_by().values_list("body", flat=True)
    areas = sub_areas(named, list(bodies.filter(_printing("body", *OFFICE_WORDS))), places)
    if any(area.kind == "村" for area in areas):
        # A village counts in every text that names it, its office printed or not.
        areas = sub_areas(named, list(bodies.filter(_printing("body", *OFFICE_WORDS, "村"))), places)
    return areas


PLACES_SHOWN = 24  # the People's Daily month names 1,739 places: a wall, not a list
# 中国 in the month: 1,031 officials' titles and 375 organisations, most of its page's
# 2 s spent rendering them. A place page shows this many of each and says how many.
PLACE_LISTS = 60


@archive_page
def district_list(request):
    """The busiest places, and a field to find any other by name or alias."""
    find = request.GET.get("q", "").strip()[:50]
    places = District.objects.matching(find).select_related("parent")
    return render(request, "archive/district_list.html", {
        "districts": places[:PLACES_SHOWN * 4 if find else PLACES_SHOWN],
        "total": places.count() if not find else 0,
        "find": find,
        "shown": PLACES_SHOWN,
        "crumbs": crumbs(("区县", None)),
        "nav": "districts",
    })


@archive_page
def district_detail(request, slug):
    district = get_object_or_404(District.objects.select_related("parent__parent__parent"), slug=slug)
    articles = Article.objects.for_listing().in_district(district).latest_first()
    years = Article.objects.in_district(district).per_year()
    positions = Position.objects.seen_in_district(district)
    organizations = district.organizations.all()
    return render(request, "archive/district_detail.html", {
        "district": district,
        "articles": paginate(request, articles),
        "positions": positions[:PLACE_LISTS],
        "positions_total": positions.count(),
        "organizations": organizations[:PLACE_LISTS],
        "organizations_total": organizations.count(),
        "shown": PLACE_LISTS,
        "areas": district_areas(district, Article.objects.in_district(district)),
        "years": years,
        "chart": bar_chart([(str(y), n) for y, n in years], f"{district.name}每年的文章数"),
        "lineage": district.lineage(),
        "children": District.objects.children_with_counts(district),
        "crumbs": crumbs(("区县", reverse("archive:districts")), (district.name, None)),
        "nav": "districts",
    })


@archive_page
def person_list(request):
    role = request.GET.get("role", "")
    title = request.GET.get("title", "").strip()[:50]
    sort = request.GET.get("sort", "name")
    district = District.objects.named(request.GET.get("district", "").strip())
    people = Person.objects.with_positions().flagged_official()
    if role == OFFICIAL:
        people = people.filter(is_official=True)
    elif role in T.ROLES:
        people = people.with_role(role)
    else:
        role = ""
    if district:
        people = people.in_district(district)
    if title:
        people = people.titled(title)
    if sort not in dict(SORTS):
        sort = "name"
    # Counted over everyone only when the order needs it; by name, the page's hundred.
    counted_first = sort != "name"
    if counted_first:
        people = people.with_counts()
    # Officials first, then everyone else; the chosen order holds within each group.
    shown = paginate(request, people.sorted_by(sort, "-is_official"), per_page=100)
    if not counted_first:
        shown.object_list = Person.objects.fill_counts(list(shown.object_list))
    return render(request, "archive/person_list.html", {
        "people": shown,
        "role": role,
        "role_label": dict(ROLE_FILTERS).get(role, ""),
        "role_filters": ROLE_FILTERS,
        "title": title,
        "district": district,
        "districts": top_districts(request),
        "sort": sort,
        "sorts": SORTS,
        "filtered": bool(role or title or district),
        "crumbs": crumbs(("人物", None)),
        "nav": "persons",
    })


@archive_page
def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    positions = list(person.positions.timeline().select_related("organization", "district"))
    articles = (
        Article.objects.for_person(person).for_listing().with_mentions_of(person)
        .order_by(F("page__published_start").asc(nulls_last=True), "page__file_name", "position")
    )
    return render(request, "archive/person_detail.html", {
        "person": person,
        "positions": positions,
        "posts": group_posts(positions, *place_names()),
        "articles": paginate(request, articles),
        "summary": person_summary(person),
        "districts": querysets.districts_of_person(person),
        "organizations": querysets.organizations_with_person(person),
        "beside": Person.objects.beside(person),
        "is_byline": Person.objects.filter(pk=person.pk).reporters().exists(),
        "crumbs": crumbs(("人物", reverse("archive:persons")), (person.name, None)),
        "nav": "persons",
    })


@archive_page
def reporter_list(request):
    return render(request, "archive/reporter_list.html", {
        "reporters": paginate(request, Person.objects.with_byline_counts(), per_page=100),
        "crumbs": crumbs(("记者", None)),
        "nav": "reporters",
    })


@archive_page
def reporter_detail(request, slug):
    """A reporter's, correspondent's or photographer's articles, by date, filterable by district."""
    person = get_object_or_404(Person, slug=slug)
    articles = Article.objects.bylined_by(person)
    districts = list(querysets.byline_districts(person))
    district = next((d for d in districts if d.slug == request.GET.get("district")), None)
    if district:
        articles = articles.in_district(district)
    return render(request, "archive/reporter_detail.html", {
        "person": person,
        "articles": paginate(request, articles.for_listing().with_mentions_of(person).latest_first()),
        "districts": districts,
        "district": district,
        "undistricted": Article.objects.bylined_by(person).filter(districts=None).count(),
        "crumbs": crumbs(("记者", reverse("archive:reporters")), (person.name, None)),
        "nav": "reporters",
    })


@archive_page
def organization_list(request):
    organizations = (
        Organization.objects.with_article_counts().select_related("district")
        .order_by("-article_count", "name")
    )
    return render(request, "archive/organization_list.html", {
        "organizations": paginate(request, organizations, per_page=100),
        "crumbs": crumbs(("机构", None)),
        "nav": "organizations",
    })


@archive_page
def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("district"), slug=slug)
    articles = Article.objects.for_organization(organization).for_listing().latest_first()
    positions = (
        organization.positions.select_related("person")
        .order_by("person__name", F("first_seen_start").asc(nulls_last=True))
    )
    return render(request, "archive/organization_detail.html", {
        "organization": organization,
        "positions": positions,
        "articles": paginate(request, articles),
        "crumbs": crumbs(("机构", reverse("archive:organizations")), (organization.name, None)),
        "nav": "organizations",
    })
