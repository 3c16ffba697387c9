from django.urls import path

from archive.caching import archive_page
from search import feeds, views

app_name = "search"

urlpatterns = [
    path("search/", archive_page(views.search), name="search"),
    path("search/feed/", archive_page(feeds.SearchFeed()), name="feed"),
    path("api/search", archive_page(views.api), name="api"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
