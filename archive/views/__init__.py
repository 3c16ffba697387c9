"""The public pages. Views stay short: reads are QuerySet methods in archive.models."""
from archive.views.dates import date_day, date_index, date_month, date_year
from archive.views.entities import (
    district_detail,
    district_list,
    organization_detail,
    organization_list,
    person_detail,
    person_list,
    reporter_detail,
    reporter_list,
)
from archive.views.records import article_detail, home, page_detail, page_list, page_raw

__all__ = [
    "article_detail", "date_day", "date_index", "date_month", "date_year", "district_detail",
    "district_list", "home", "organization_detail", "organization_list", "page_detail",
    "page_list", "page_raw", "person_detail", "person_list", "reporter_detail", "reporter_list",
]
