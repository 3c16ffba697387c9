"""Districts, people, reporters and organisations."""
from django.db.models import Exists, F, OuterRef
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

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
from archive.views.common import crumbs, paginate

OFFICIAL = "official"
ROLE_FILTERS = [(OFFICIAL, "官员"), *PersonMention.ROLE_CHOICES]


def district_list(request):
    return render(request, "archive/district_list.html", {
        "districts": District.objects.with_article_counts().order_by("-article_count", "name"),
        "crumbs": crumbs(("区县", None)),
        "nav": "districts",
    })


def district_detail(request, slug):
    district = get_object_or_404(District, slug=slug)
    articles = Article.objects.for_listing().in_district(district).latest_first()
    return render(request, "archive/district_detail.html", {
        "district": district,
        "articles": paginate(request, articles),
        "positions": Position.objects.seen_in_district(district),
        "organizations": district.organizations.all(),
        "crumbs": crumbs(("区县", reverse("archive:districts")), (district.name, None)),
        "nav": "districts",
    })


def person_list(request):
    role = request.GET.get("role", "")
    people = Person.objects.with_counts().with_positions().annotate(
        is_official=Exists(Position.objects.filter(person=OuterRef("pk")))
    )
    if role == OFFICIAL:
        people = people.filter(is_official=True)
    elif role in T.ROLES:
        people = people.with_role(role)
    else:
        role = ""
    return render(request, "archive/person_list.html", {
        "people": paginate(request, people.order_by("-is_official", "name"), per_page=100),
        "role": role,
        "role_label": dict(ROLE_FILTERS).get(role, ""),
        "role_filters": ROLE_FILTERS,
        "crumbs": crumbs(("人物", None)),
        "nav": "persons",
    })


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    positions = person.positions.timeline().select_related("organization", "district")
    articles = (
        Article.objects.for_person(person).for_listing().with_mentions_of(person).latest_first()
    )
    return render(request, "archive/person_detail.html", {
        "person": person,
        "positions": positions,
        "articles": paginate(request, articles),
        "summary": person_summary(person),
        "crumbs": crumbs(("人物", reverse("archive:persons")), (person.name, None)),
        "nav": "persons",
    })


def reporter_list(request):
    return render(request, "archive/reporter_list.html", {
        "reporters": paginate(request, Person.objects.with_byline_counts(), per_page=100),
        "crumbs": crumbs(("记者", None)),
        "nav": "reporters",
    })


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
