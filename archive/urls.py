"""URL contract. Names here are what templates and tests use."""
from django.contrib import admin
from django.urls import include, path

from archive import views

app_name = "archive"

archive_patterns = [
    path("", views.home, name="home"),
    path("articles/<slug:page_slug>/<int:position>/", views.article_detail, name="article"),
    path("pages/", views.page_list, name="pages"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("pages/<slug:slug>/raw", views.page_raw, name="page_raw"),
    path("districts/", views.district_list, name="districts"),
    path("districts/<slug:slug>/", views.district_detail, name="district"),
    path("people/", views.person_list, name="persons"),
    path("people/<str:slug>/", views.person_detail, name="person"),
    path("reporters/", views.reporter_list, name="reporters"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<str:slug>/", views.organization_detail, name="organization"),
    path("dates/", views.date_index, name="dates"),
    path("dates/<int:year>/", views.date_year, name="year"),
    path("dates/<int:year>/<int:month>/", views.date_month, name="month"),
    path("dates/<int:year>/<int:month>/<int:day>/", views.date_day, name="day"),
]

urlpatterns = [
    path("", include((archive_patterns, "archive"))),
    path("", include("search.urls")),
    path("admin/", admin.site.urls),
]
