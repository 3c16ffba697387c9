"""What several views share: pagination and breadcrumbs."""
from django.core.paginator import Paginator
from django.urls import reverse

PER_PAGE = 30


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
