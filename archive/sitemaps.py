"""The sitemap: every article, source page, person, district and organisation, and the lists.

/sitemap.xml is an index of sections, each served in files of at most LIMIT URLs
(search engines take 50,000 per file; a single file of the month was 1.69 MB and
took 2 s). Served with our own templates, so django.contrib.sitemaps need not be
installed; without django.contrib.sites the request's host is used.
"""
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max
from django.urls import reverse

from archive.models import Article, District, Organization, Page, Person

LIMIT = 10_000


class Sitemap(DjangoSitemap):
    limit = LIMIT


class _PageDated(Sitemap):
    """lastmod from the page; the index's latest lastmod from one aggregate, not every item."""

    def get_latest_lastmod(self):
        return Page.objects.aggregate(latest=Max("updated_at"))["latest"]


class ListSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return ["home", "districts", "persons", "reporters", "organizations", "dates", "pages"]

    def location(self, name):
        return reverse(f"archive:{name}")


class ArticleSitemap(_PageDated):
    def items(self):
        return Article.objects.select_related("page").only(
            "position", "number", "page__slug", "page__updated_at"
        ).order_by("page__file_name", "position")

    def lastmod(self, article):
        return article.page.updated_at


class PageSitemap(_PageDated):
    def items(self):
        return Page.objects.only("slug", "updated_at").order_by("file_name")

    def lastmod(self, page):
        return page.updated_at


class _ByName(Sitemap):
    model = None

    def items(self):
        return self.model.objects.only("slug").order_by("slug")


class PersonSitemap(_ByName):
    model = Person


class DistrictSitemap(Sitemap):
    def items(self):
        return District.objects.filter(articles__isnull=False).distinct().only("slug").order_by("slug")


class OrganizationSitemap(_ByName):
    model = Organization


SITEMAPS = {
    "lists": ListSitemap, "articles": ArticleSitemap, "pages": PageSitemap,
    "people": PersonSitemap, "districts": DistrictSitemap, "organizations": OrganizationSitemap,
}
