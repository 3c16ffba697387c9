"""The sitemap: every article, source page, person, district and organisation, and the lists.

Served with our own template, so django.contrib.sitemaps need not be installed;
without django.contrib.sites the request's host is used.
"""
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive.models import Article, District, Organization, Page, Person


class ListSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return ["home", "districts", "persons", "reporters", "organizations", "dates", "pages"]

    def location(self, name):
        return reverse(f"archive:{name}")


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.select_related("page").only(
            "position", "number", "page__slug", "page__updated_at"
        ).order_by("page__file_name", "position")

    def lastmod(self, article):
        return article.page.updated_at


class PageSitemap(Sitemap):
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
