"""What several views share: pagination, breadcrumbs, the most written-about districts."""
from django.core.paginator import Paginator
from django.urls import reverse

from archive.caching import per_version

PER_PAGE = 30
# The month names 1,754 places: the home page and the person filter show the most
# written about, and the district list (or the filter's suggestions) the rest.
TOP_DISTRICTS = 30


def paginate(request, queryset, per_page=PER_PAGE):
    """A page of `queryset`; a bad or too large ?page= gives the nearest real page, not a 404."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def crumbs(*trail):
    """Breadcrumbs from the home page: pairs of (label, url); the last is the page itself."""
    return [("首页", reverse("archive:home")), *trail]


def place_names():
    """District names and aliases, and their cities: what a printed title may begin with."""
    from archive.models import District

    places, cities = [], set()
    for district in District.objects.only("name", "aliases", "city"):
        places += district.all_names()
        cities.add(district.city)
    return places, sorted(cities, key=len, reverse=True)


def top_districts(request):
    """The TOP_DISTRICTS places with the most articles, with article_count; counted once per version."""
    from archive.models import District

    return per_version(request, "top-districts", lambda: list(District.objects.matching("")[:TOP_DISTRICTS]))
