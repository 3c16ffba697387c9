"""URL contract. Names here are what templates and tests use.

Every article, person, district and organisation page has a JSON twin at the
same URL with `.json` in place of the trailing slash.
"""
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from archive import views
from archive.caching import archive_page
from archive.feeds import ArchiveFeed, DistrictFeed, PersonFeed
from archive.sitemaps import SITEMAPS
from archive.views import api, issues, site

app_name = "archive"

archive_patterns = [
    path("", views.home, name="home"),
    path("feed/", archive_page(ArchiveFeed()), name="feed"),
    path("articles/<slug:page_slug>/<int:number>/", views.article_detail, name="article"),
    path("articles/<slug:page_slug>/<int:number>.json", api.article_json, name="article_json"),
    path("pages/", views.page_list, name="pages"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("pages/<slug:slug>/raw", views.page_raw, name="page_raw"),
    path("pages/<slug:slug>/read/", issues.page_read, name="page_read"),
    path("newspapers/", issues.newspaper_list, name="newspapers"),
    path("newspapers/<slug:slug>/", issues.newspaper_detail, name="newspaper"),
    path("newspapers/<slug:slug>/<str:issue>/", issues.issue_detail, name="issue"),
    path("districts/", views.district_list, name="districts"),
    path("districts/<slug:slug>/", views.district_detail, name="district"),
    path("api/districts", api.district_suggest, name="district_suggest"),
    path("districts/<slug:slug>.json", api.district_json, name="district_json"),
    path("districts/<slug:slug>/feed/", archive_page(DistrictFeed()), name="district_feed"),
    # The same pages under the name they now deserve (countries and provinces too).
    path("places/", views.district_list, name="places"),
    path("places/<slug:slug>/", views.district_detail, name="place"),
    path("people/", views.person_list, name="persons"),
    path("people/<str:slug>.json", api.person_json, name="person_json"),
    path("people/<str:slug>/", views.person_detail, name="person"),
    path("people/<str:slug>/feed/", archive_page(PersonFeed()), name="person_feed"),
    path("reporters/", views.reporter_list, name="reporters"),
    path("reporters/<str:slug>/", views.reporter_detail, name="reporter"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<str:slug>.json", api.organization_json, name="organization_json"),
    path("organizations/<str:slug>/", views.organization_detail, name="organization"),
    path("dates/", views.date_index, name="dates"),
    path("dates/<int:year>/", views.date_year, name="year"),
    path("dates/<int:year>/<int:month>/", views.date_month, name="month"),
    path("dates/<int:year>/<int:month>/<int:day>/", views.date_day, name="day"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    # An index of sections, each split into files of Sitemap.limit URLs (?p=2, …).
    path(
        "sitemap.xml", archive_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "template_name": "archive/sitemap_index.xml", "sitemap_url_name": "archive:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml", archive_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "archive/sitemap.xml"},
        name="sitemap_section",
    ),
]

urlpatterns = [
    path("", include((archive_patterns, "archive"))),
    path("", include("search.urls")),
    path("", include("desk.urls")),
    path("admin/", admin.site.urls),
]
