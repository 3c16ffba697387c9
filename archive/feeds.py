"""Atom feeds: the whole archive, one district, one person.

Entries are dated by publication, as a reader of a newspaper expects: <published>
and <updated> are the first day the page may be from (a page known only to the
month is dated the 1st, and the summary prints the date at its own precision);
an undated page falls back to when it was ingested, Atom needing some date.
"""
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from archive.models import Article, District, Person

ITEMS = 30


def publication_datetime(page):
    """The page's first possible day of publication, as the aware midnight a feed wants.

    None for an undated page, and for year 1: its midnight in Shanghai is before
    UTC's first day, which Python cannot represent (the feed compares in UTC).
    """
    if page.published_start is None or page.published_start.year < 2:
        return None
    return timezone.make_aware(datetime.combine(page.published_start, time.min))


class ArchiveFeed(Feed):
    feed_type = Atom1Feed
    def title(self, obj=None):
        return f"{settings.BAOKU_SITE_NAME}：最新收录的文章"

    def subtitle(self, obj=None):
        return settings.BAOKU_SITE_DESCRIPTION

    def link(self):
        return reverse("archive:home")

    def articles(self, obj):
        return Article.objects.all()

    def items(self, obj=None):
        return self.articles(obj).for_listing().newest(ITEMS)

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        page = article.page
        where = " · ".join(filter(None, [page.published_display, page.newspaper, page.section]))
        lead = article.paragraphs[0] if article.paragraphs else ""
        return "\n".join(filter(None, [where, article.subheadline, lead[:200]]))

    def item_pubdate(self, article):
        return publication_datetime(article.page)

    def item_updateddate(self, article):
        return publication_datetime(article.page) or article.page.updated_at

    def item_categories(self, article):
        return [d.name for d in article.districts.all()]


class DistrictFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(District, slug=slug)

    def title(self, district):
        return f"{settings.BAOKU_SITE_NAME}：{district.name}"

    def subtitle(self, district):
        return f"报上关于{district.name}的文章"

    def link(self, district):
        return district.get_absolute_url()

    def articles(self, district):
        return Article.objects.in_district(district)


class PersonFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def title(self, person):
        return f"{settings.BAOKU_SITE_NAME}：{person.name}"

    def subtitle(self, person):
        return f"报上提到{person.name}的文章"

    def link(self, person):
        return person.get_absolute_url()

    def articles(self, person):
        return Article.objects.for_person(person)
