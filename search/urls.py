from django.urls import path

from archive.caching import archive_page
from search import advanced, feeds, views

app_name = "search"

urlpatterns = [
    path("search/", archive_page(views.search), name="search"),
    path("search/feed/", archive_page(feeds.SearchFeed()), name="feed"),
    path("search/advanced/", advanced.advanced, name="advanced"),
    path("search/export.csv", views.download, {"fmt": "csv"}, name="export_csv"),
    path("search/export.jsonl", views.download, {"fmt": "jsonl"}, name="export_jsonl"),
    path("api/search", archive_page(views.api), name="api"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
