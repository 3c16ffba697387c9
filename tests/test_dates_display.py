"""The date archive and partial dates on every page: an article sits at the precision its page is known to, never finer."""
import html
import re
from datetime import date

import pytest
from django.urls import reverse

from archive.models import OrganizationMention, Position
from tests.builders import VERSION_READ, make_article, make_org, make_page, make_person, mention

pytestmark = pytest.mark.django_db

MONTH = (date(2020, 7, 1), date(2020, 7, 31), "month")
YEAR = (date(2023, 1, 1), date(2023, 12, 31), "year")


def day(y, m, d):
    return (date(y, m, d), date(y, m, d), "day")


def article_on(published, headline):
    return make_article(page=make_page(published=published), headline=headline)


def get(client, name, *args):
    return client.get(reverse(f"archive:{name}", args=args))


def text(response):
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def section(response, heading):
    """The text of the page from the named h2 to the next h2 (or the end)."""
    body = text(response)
    start = body.index(heading)
    rest = body[start + len(heading):]
    following = [rest.index(h) for h in ("仅知年份", "仅知月份", "确知日期") if h in rest]
    return rest[: min(following)] if following else rest


# -- index and year -----------------------------------------------------------------------


def test_date_index_lists_years_with_counts(client):
    """/dates/ lists each year that has articles, with how many."""
    article_on(MONTH, "甲")
    article_on(day(2020, 7, 21), "乙")
    article_on(YEAR, "丙")
    body = get(client, "dates").content.decode()
    assert re.search(r'href="/dates/2020/".*?2 篇', body, re.S)
    assert re.search(r'href="/dates/2023/".*?1 篇', body, re.S)


def test_date_index_lists_undated_articles_honestly(client):
    """Articles from pages with no known date are listed as 日期不详, not given one."""
    make_article(page=make_page(published=(None, None, "")), headline="无日期文章")
    response = get(client, "dates")
    assert "日期不详" in text(response) and "无日期文章" in text(response)


def test_year_page_lists_year_only_article_under_the_year(client):
    """A page known only to the year is listed under 仅知年份 on the year page."""
    article_on(YEAR, "只知年份的文章")
    assert "只知年份的文章" in section(get(client, "year", 2023), "仅知年份")


def test_year_page_counts_months(client):
    """Months with articles known to the month or day are linked with their counts."""
    article_on(MONTH, "甲")
    article_on(day(2020, 7, 21), "乙")
    body = get(client, "year", 2020).content.decode()
    assert re.search(r'href="/dates/2020/7/">.*?7月.*?2 篇', body)
    assert 'href="/dates/2020/8/"' not in body


def test_year_only_article_is_on_no_month(client):
    """A year-precision article is counted in no month and listed on no month page."""
    article_on(YEAR, "只知年份的文章")
    assert 'href="/dates/2023/1/"' not in get(client, "year", 2023).content.decode()
    assert "只知年份的文章" not in text(get(client, "month", 2023, 1))


# -- month and day ---------------------------------------------------------------------------


def test_month_page_lists_month_only_article_under_the_month(client):
    """A page known only to the month is listed under 仅知月份 on the month page."""
    article_on(MONTH, "只知月份的文章")
    assert "只知月份的文章" in section(get(client, "month", 2020, 7), "仅知月份")


def test_month_only_article_is_on_no_day(client):
    """A month-precision article is not on the first (or any) day of its month."""
    article_on(MONTH, "只知月份的文章")
    for d in (1, 15, 31):
        assert "只知月份的文章" not in text(get(client, "day", 2020, 7, d))
    assert 'href="/dates/2020/7/1/"' not in get(client, "month", 2020, 7).content.decode()


def test_month_page_links_days_with_counts(client):
    """Days with day-precision articles are linked from the month with their counts."""
    article_on(day(2020, 7, 21), "甲")
    article_on(day(2020, 7, 21), "乙")
    body = get(client, "month", 2020, 7).content.decode()
    assert re.search(r'href="/dates/2020/7/21/">.*?21.*?2 篇', body)


def test_day_page_lists_day_precision_articles(client):
    """A day page lists the articles known to that day."""
    article_on(day(2020, 7, 21), "防汛会商")
    assert "防汛会商" in text(get(client, "day", 2020, 7, 21))


def test_range_within_a_month_is_under_that_month_with_its_interval(client):
    """A range inside one month is listed under the month, labelled with its interval, on no day."""
    article_on((date(2020, 7, 22), date(2020, 7, 31), "range"), "区间文章")
    assert "区间文章" in section(get(client, "month", 2020, 7), "仅知月份")
    assert "2020年7月22日至7月31日" in text(get(client, "month", 2020, 7))
    assert "区间文章" not in text(get(client, "day", 2020, 7, 22))


def test_range_across_months_is_under_the_year_with_its_interval(client):
    """A range over two months is listed under its start's year, on neither month."""
    article_on((date(2025, 6, 24), date(2025, 7, 31), "range"), "跨月文章")
    assert "跨月文章" in section(get(client, "year", 2025), "仅知年份")
    assert "2025年6月24日至7月31日" in text(get(client, "year", 2025))
    assert "跨月文章" not in text(get(client, "month", 2025, 6))


@pytest.mark.parametrize("args", [(2020, 2, 30), (2021, 2, 29), (2020, 13), (2020, 0), (0,), (2020, 4, 31)])
def test_impossible_dates_are_404(client, args):
    """Dates that do not exist are 404s."""
    name = {1: "year", 2: "month", 3: "day"}[len(args)]
    assert get(client, name, *args).status_code == 404


def test_empty_but_possible_date_renders(client):
    """A real date with no articles renders and says so."""
    assert get(client, "day", 2020, 7, 22).status_code == 200


# -- previous and next -----------------------------------------------------------------------


def test_year_pager_skips_empty_years(client):
    """Previous and next on a year go to the nearest years that have articles."""
    for published in (day(2017, 9, 1), day(2020, 7, 1), YEAR):
        article_on(published, "文")
    body = get(client, "year", 2020).content.decode()
    assert re.search(r'rel="prev" href="/dates/2017/"', body)
    assert re.search(r'rel="next" href="/dates/2023/"', body)


def test_month_pager_crosses_years_and_skips_year_only_pages(client):
    """A month's neighbours are the nearest months with articles, ignoring year-only pages."""
    article_on(day(2017, 9, 2), "甲")
    article_on(MONTH, "乙")
    article_on(YEAR, "丙")
    article_on((date(2023, 7, 1), date(2023, 7, 31), "month"), "丁")
    body = get(client, "month", 2020, 7).content.decode()
    assert re.search(r'rel="prev" href="/dates/2017/9/"', body)
    assert re.search(r'rel="next" href="/dates/2023/7/"', body)


def test_day_pager_skips_month_only_pages(client):
    """A day's neighbours are days with day-precision articles, never a month-only page."""
    article_on(day(2020, 7, 18), "甲")
    article_on(day(2020, 7, 21), "乙")
    article_on((date(2020, 8, 1), date(2020, 8, 31), "month"), "丙")
    body = get(client, "day", 2020, 7, 21).content.decode()
    assert re.search(r'rel="prev" href="/dates/2020/7/18/"', body)
    assert 'rel="next"' not in body


def test_date_pages_query_count_is_bounded(client, django_assert_max_num_queries):
    """Year, month and day pages read in a fixed number of queries."""
    for d in range(1, 9):
        make_article(page=make_page(published=day(2020, 7, d)), districts=["郑东新区"])
        make_article(page=make_page(published=MONTH), districts=["高新区"])
        make_article(page=make_page(published=YEAR), districts=["经开区"])
    for args in ((2020,), (2020, 7), (2020, 7, 3)):
        with django_assert_max_num_queries(5 + VERSION_READ):
            name = {1: "year", 2: "month", 3: "day"}[len(args)]
            assert get(client, name, *args).status_code == 200


# -- never an invented day, anywhere ----------------------------------------------------------


def test_month_precision_is_never_shown_with_a_day_on_any_page(client):
    """Every page that shows a month-precision article shows 2020年7月 and never a day of it."""
    page = make_page(published=MONTH, text="正文")
    article = make_article(page=page, districts=["郑东新区"], span_start=0, span_end=2)
    person, org = make_person("孙建功"), make_org("郑东新区管委会")
    mention(article, person, title="郑东新区党工委书记")
    OrganizationMention.objects.create(article=article, organization=org)
    # First and last seen as the loader would set them from the page.
    Position.objects.update(
        first_seen_start=MONTH[0], first_seen_end=MONTH[1], first_seen_precision="month",
        last_seen_start=MONTH[0], last_seen_end=MONTH[1], last_seen_precision="month",
    )
    paths = [
        reverse("archive:home"), article.get_absolute_url(), page.get_absolute_url(),
        reverse("archive:pages"), reverse("archive:district", args=["zhengdong"]),
        person.get_absolute_url(), org.get_absolute_url(), reverse("archive:month", args=[2020, 7]),
    ]
    for path in paths:
        shown = text(client.get(path))
        assert "2020年7月" in shown, path
        assert not re.search(r"2020年7月\d+日", shown), path
