"""No server error for dates at the calendar's ends or past them, in data or in URLs."""
from datetime import date
from itertools import product

import pytest
from django.test import Client
from haystack import connections

from search import queue
from tests.builders import make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db

# The ends of the calendar Python's date knows, and numbers past what any C int holds.
YEARS = ["0", "1", "2", "9999", "10000", "10000000000", "9" * 30]
MONTHS = ["0", "1", "12", "13", "10000000000"]
DAYS = ["0", "1", "31", "32", "10000000000"]
PARAM_DATES = ["0001-01-01", "9999-12-31", "9999-12", "9999", "0000", "0001", "10000", "10000000000",
               "9999-13", "0001-00", "2020-02-30", "2020-7-1", "\x00", "2020\x00", "-1", "x" * 300]


@pytest.fixture
def edges():
    connections["default"].get_backend().clear()
    made = []
    for start, end, precision in [
        (date(9999, 12, 31), date(9999, 12, 31), "day"),
        (date(1, 1, 1), date(1, 1, 1), "day"),
        (date(9999, 12, 1), date(9999, 12, 31), "month"),
        (date(1, 1, 1), date(1, 12, 31), "year"),
    ]:
        article = make_article(page=make_page(published=(start, end, precision)), headline="边界日期", body="防汛。")
        mention(article, make_person("孙建功", slug=f"sun-{len(made)}"))
        made.append(article)
    queue.drain()
    return made


def errors(client, urls):
    return [(url, r.status_code) for url in urls if (r := client.get(url)).status_code >= 500]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_pages_of_articles_at_the_calendar_ends(client, edges):
    """Every page that shows an article dated 0001-01-01 or 9999-12-31 answers without a server error."""
    urls = [a.get_absolute_url() for a in edges] + [a.page.get_absolute_url() for a in edges] + [
        "/", "/feed/", "/sitemap.xml", "/dates/", "/people/", "/people/sun-0/", "/people/sun-0/feed/",
        "/pages/", "/search/?q=防汛", "/search/feed/?q=防汛", "/api/search?q=防汛", "/search/?q=防汛&sort=oldest",
        "/search/feed/", "/search/", "/dates/9999/", "/dates/9999/12/", "/dates/9999/12/31/", "/dates/1/",
        "/dates/1/1/", "/dates/1/1/1/",
    ]
    assert errors(client, urls) == []


def test_date_urls_of_every_form_and_size(client, edges):
    """/dates/Y/, /dates/Y/M/ and /dates/Y/M/D/ answer 200 or 404 for any numbers."""
    urls = [f"/dates/{y}/" for y in YEARS] + [f"/dates/{y}/{m}/" for y, m in product(YEARS, MONTHS)]
    urls += [f"/dates/{y}/{m}/{d}/" for y, m, d in product(YEARS, MONTHS, DAYS)]
    assert errors(client, urls) == []


@pytest.mark.parametrize("path", ["/search/", "/api/search", "/search/feed/"])
def test_date_parameters_of_every_form(client, edges, path):
    """from, to, year and month of any value give an answer, not a server error."""
    urls = []
    for name, value in product(["from", "to", "year", "month", "district", "newspaper"], PARAM_DATES + YEARS):
        for q in ("", "防汛"):
            urls.append(f"{path}?{name}={value}&q={q}")
    urls += [f"{path}?q={q}" for q in ("%00", "%01%02", "防%0B汛", "%EF%BF%BE", "%ED%A0%80", "%1F")]
    assert errors(client, urls) == []


def test_the_last_month_of_the_calendar_is_a_date_filter(client, edges):
    """to=9999-12 is read as up to 9999-12-31, not refused as unrecognised."""
    data = Client().get("/api/search", {"q": "防汛", "from": "9999-12", "to": "9999-12"}).json()
    assert "无法识别" not in data["message"] and data["count"] == 2
