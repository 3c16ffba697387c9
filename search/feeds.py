"""An Atom feed for a saved search: /search/feed/?q=…&district=… lists the newest matches.

It takes the search page's URL parameters (sort and page aside: a feed is always
newest first), so a reader subscribes to exactly the search they were looking at.
"""
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from search.service import run, snippet_text


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        params = request.GET.copy()
        params["sort"], params["page"] = "newest", "1"
        return run(params, per_page=getattr(settings, "SEARCH_FEED_ITEMS", 50), facets=False)

    def title(self, s):
        described = "；".join(f"{name}：{value}" for name, value, _ in s.active_filters)
        return "报库检索：" + "；".join(p for p in (s.q.strip(), described) if p)

    def link(self, s):
        return reverse("search:search") + s.url()

    def subtitle(self, s):
        return " ".join(str(m) for m in s.messages) or f"共 {s.count} 篇，列出最新的 {len(s.hits)} 篇。"

    def items(self, s):
        return [hit.article for hit in s.hits]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return snippet_text(article)[:300]

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        start = article.page.published_start
        if start is None:
            return None
        return timezone.make_aware(datetime.combine(start, time.min))

    def item_updateddate(self, article):
        return self.item_pubdate(article)
