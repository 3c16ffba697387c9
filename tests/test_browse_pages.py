"""Browsing pages: person filters and order, reporters, related articles, event days, district chart."""
import html
import re
from datetime import date

import pytest
from django.urls import reverse

from archive.ingest import types as T
from archive.models import Article, District, EventDate, Organization, Page, Person
from archive.views.entities import district_areas
from tests.builders import VERSION_READ, make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"archive:{name}", args=args)


def text_of(response):
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def day(y, m, d):
    return (date(y, m, d), date(y, m, d), "day")


def names_in_order(response, names):
    body = response.content.decode()
    return sorted(names, key=body.index)


# -- person list ---------------------------------------------------------------------


def test_person_list_sorts_names_in_pinyin_order(client):
    """Names sort by pinyin (安 an, 孙 sun, 赵 zhao), not by code point."""
    for name in ("赵一", "孙二", "安三"):
        mention(make_article(), make_person(name))
    assert names_in_order(client.get(url("persons")), ["赵一", "孙二", "安三"]) == ["安三", "孙二", "赵一"]


def test_person_list_by_name_counts_each_persons_articles(client):
    """Listed by name, each person still shows how many articles name them (counted for the page)."""
    busy, quiet = make_person("赵多"), make_person("安少")
    for _ in range(3):
        mention(make_article(), busy)
    mention(make_article(), quiet)
    text = text_of(client.get(url("persons")))
    assert "安少 1 篇" in " ".join(text.split()) and "赵多 3 篇" in " ".join(text.split())


def test_person_list_sorts_by_article_count(client):
    """?sort=articles puts the person in most articles first."""
    busy, quiet = make_person("赵多"), make_person("安少")
    for _ in range(3):
        mention(make_article(), busy)
    mention(make_article(), quiet)
    response = client.get(url("persons"), {"sort": "articles"})
    assert names_in_order(response, ["安少", "赵多"]) == ["赵多", "安少"]


def test_person_list_sorts_by_latest_appearance(client):
    """?sort=latest puts the person seen most recently first."""
    old, new = make_person("安旧"), make_person("赵新")
    mention(make_article(page=make_page(published=day(2017, 9, 1))), old)
    mention(make_article(page=make_page(published=day(2025, 7, 1))), new)
    response = client.get(url("persons"), {"sort": "latest"})
    assert names_in_order(response, ["安旧", "赵新"]) == ["赵新", "安旧"]


def test_person_list_filters_by_district(client):
    """?district= keeps people named in articles about that district."""
    mention(make_article(districts=["郑东新区"]), make_person("东区人"))
    mention(make_article(districts=["高新区"]), make_person("高新人"))
    text = text_of(client.get(url("persons"), {"district": "zhengdong"}))
    assert "东区人" in text and "高新人" not in text


def test_person_list_takes_the_district_name_typed_in_its_field(client):
    """The district field sends what the reader typed: a district's name filters as its slug does."""
    mention(make_article(districts=["郑东新区"]), make_person("东区人"))
    mention(make_article(districts=["高新区"]), make_person("高新人"))
    text = text_of(client.get(url("persons"), {"district": "郑东新区"}))
    assert "东区人" in text and "高新人" not in text


def test_person_list_offers_a_short_list_of_districts_not_every_place(client):
    """The field's built-in options are the TOP_DISTRICTS most written about; the rest come as one types."""
    from archive.models import District
    from archive.views.common import TOP_DISTRICTS

    page = make_page()
    for n in range(TOP_DISTRICTS + 5):
        district = District.objects.create(name=f"地方{n:02d}", slug=f"place-{n}")
        make_article(page=page, position=n + 1).districts.add(district)
    html = client.get(url("persons")).content.decode()
    options = re.search(r'<datalist id="f-district-options">(.*?)</datalist>', html).group(1)
    assert options.count("<option ") == TOP_DISTRICTS
    assert '<select id="f-district"' not in html


def test_district_suggestions_match_name_or_alias_most_written_about_first(client):
    """/api/districts?q= gives the districts containing the text, by article count."""
    make_article(districts=["高新区"])
    make_article(districts=["郑东新区"])
    make_article(districts=["郑东新区"])
    data = client.get(reverse("archive:district_suggest"), {"q": "区"}).json()
    assert [d["name"] for d in data["districts"]] == ["郑东新区", "高新区"]
    assert data["districts"][0] == {"name": "郑东新区", "slug": "zhengdong", "articles": 2}
    assert [d["name"] for d in client.get(reverse("archive:district_suggest"), {"q": "郑东"}).json()["districts"]] == ["郑东新区"]


def test_person_list_filters_by_title(client):
    """?title= keeps people printed with a title containing the text."""
    mention(make_article(), make_person("书记甲"), title="郑东新区党工委书记")
    mention(make_article(), make_person("局长乙"), title="郑东新区水务局局长")
    text = text_of(client.get(url("persons"), {"title": "书记"}))
    assert "书记甲" in text and "局长乙" not in text


def test_person_list_with_filters_stays_within_its_query_budget(client, django_assert_max_num_queries):
    """Filtering and sorting do not add a query per person."""
    for i in range(8):
        mention(make_article(districts=["郑东新区"]), make_person(f"官{i}"), title=f"局长{i}")
    with django_assert_max_num_queries(5 + VERSION_READ):
        response = client.get(url("persons"), {"district": "zhengdong", "title": "局长", "sort": "latest"})
    assert response.status_code == 200


# -- reporters -----------------------------------------------------------------------


def test_reporter_page_lists_bylined_articles_under_their_dates(client):
    """A reporter page groups the articles they signed under each publication date."""
    reporter = make_person("李记者")
    mention(make_article(headline="七月稿", page=make_page(published=day(2020, 7, 21))), reporter, role=T.REPORTER)
    mention(make_article(headline="只被提到"), reporter, role=T.MENTIONED)
    text = text_of(client.get(url("reporter", reporter.slug)))
    assert "2020年7月21日" in text and "七月稿" in text and "只被提到" not in text


def test_reporter_page_filters_by_district(client):
    """?district= on a reporter page keeps only their articles about that district."""
    reporter = make_person("李记者")
    mention(make_article(headline="东区稿", districts=["郑东新区"]), reporter, role=T.REPORTER)
    mention(make_article(headline="高新稿", districts=["高新区"]), reporter, role=T.REPORTER)
    text = text_of(client.get(url("reporter", reporter.slug), {"district": "gaoxin"}))
    assert "高新稿" in text and "东区稿" not in text


def test_reporter_page_query_count_is_bounded(client, django_assert_max_num_queries):
    """A reporter page reads in a fixed number of queries however many articles they signed."""
    reporter = make_person("李记者")
    for _ in range(8):
        mention(make_article(districts=["郑东新区"]), reporter, role=T.REPORTER)
    with django_assert_max_num_queries(8 + VERSION_READ):
        assert client.get(url("reporter", reporter.slug)).status_code == 200


# -- related articles ------------------------------------------------------------------


def related_section(response):
    body = response.content.decode()
    return text_of_html(body[body.index('id="related"'):]) if 'id="related"' in body else ""


def text_of_html(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_article_lists_articles_naming_the_same_people(client):
    """An article links others that name the same person, under 同一人物."""
    person = make_person("孙建功")
    article = make_article(headline="本篇")
    mention(article, person)
    mention(make_article(headline="另一篇提到他"), person)
    related = related_section(client.get(article.get_absolute_url()))
    assert "同一人物" in related and "另一篇提到他" in related


def test_same_people_lists_the_article_sharing_most_of_them_first(client):
    """同一人物 ranks by how many of the article's people another names, then by date."""
    first, second = make_person("孙建功"), make_person("王晓沛")
    article = make_article(headline="本篇")
    mention(article, first)
    mention(article, second)
    newer = make_article(headline="新一篇只提一人", page=make_page(published=day(2020, 7, 2)))
    mention(newer, first)
    older = make_article(headline="旧一篇两人都提", page=make_page(published=day(2020, 7, 1)))
    mention(older, first)
    mention(older, second)
    related = related_section(client.get(article.get_absolute_url()))
    assert related.index("旧一篇两人都提") < related.index("新一篇只提一人")


def test_article_lists_articles_about_the_same_district(client):
    """An article links others about its district, under 同一区县."""
    article = make_article(headline="本篇", districts=["郑东新区"])
    make_article(headline="东区另一篇", districts=["郑东新区"])
    make_article(headline="高新一篇", districts=["高新区"])
    related = related_section(client.get(article.get_absolute_url()))
    assert "东区另一篇" in related and "高新一篇" not in related


def test_same_district_lists_the_five_latest_of_many_dates(client):
    """Of twelve days' articles about the district, 同一区县 lists the five latest published, none twice."""
    article = make_article(headline="本篇", districts=["郑东新区", "高新区"], page=make_page(published=day(2020, 6, 1)))
    for d in range(1, 13):
        make_article(headline=f"东区{d:02d}日", districts=["郑东新区", "高新区"], page=make_page(published=day(2020, 7, d)))
    shown = re.findall(r"东区\d\d日", related_section(client.get(article.get_absolute_url())))
    assert shown == [f"东区{d:02d}日" for d in (12, 11, 10, 9, 8)]


def test_article_lists_articles_from_the_same_week(client):
    """A page known to the day links articles published Monday to Sunday of that week."""
    article = make_article(page=make_page(published=day(2020, 7, 21)))  # a Tuesday
    make_article(headline="同周周日", page=make_page(published=day(2020, 7, 26)))
    make_article(headline="下周周一", page=make_page(published=day(2020, 7, 27)))
    related = related_section(client.get(article.get_absolute_url()))
    assert "同周周日" in related and "下周周一" not in related


def test_a_page_known_only_to_the_month_has_no_same_week(client):
    """Articles known only to the month are never placed in a week."""
    article = make_article()  # builders default: known to the month
    make_article(headline="同月另一篇")
    assert "同一周" not in related_section(client.get(article.get_absolute_url()))


def test_article_page_query_count_is_bounded_with_related(client, django_assert_max_num_queries):
    """Related articles add a fixed number of queries, not one per related article."""
    person = make_person("孙建功")
    articles = [make_article(districts=["郑东新区"], page=make_page(published=day(2020, 7, 21))) for _ in range(8)]
    for a in articles:
        mention(a, person)
    with django_assert_max_num_queries(14 + VERSION_READ):
        assert client.get(articles[0].get_absolute_url()).status_code == 200


# -- dates: event dates on their own days -------------------------------------------------


def test_month_calendar_marks_days_named_as_event_dates(client):
    """A day named in an article's text is marked in the month's calendar as an event date."""
    article = make_article(page=make_page(published=(date(2020, 7, 1), date(2020, 7, 31), "month")))
    EventDate.objects.create(article=article, text="7月18日", date_start=date(2020, 7, 18),
                             date_end=date(2020, 7, 18), date_precision="day")
    body = client.get(url("month", 2020, 7)).content.decode()
    assert 'class="has-event"' in body and url("day", 2020, 7, 18) in body


def test_day_page_lists_event_articles_marked_as_such(client):
    """The day page lists an article whose text names the day, marked 事件日期, apart from those published then."""
    article = make_article(headline="防汛会议", page=make_page(published=(date(2020, 7, 1), date(2020, 7, 31), "month")))
    EventDate.objects.create(article=article, text="7月18日", date_start=date(2020, 7, 18),
                             date_end=date(2020, 7, 18), date_precision="day")
    text = text_of(client.get(url("day", 2020, 7, 18)))
    assert "事件日期在这一天的文章" in text and "防汛会议" in text and "事件日期文中写到 “7月18日”" in text


def test_day_page_shows_a_bounded_number_of_event_articles_and_says_how_many(client, monkeypatch):
    """Past EVENTS_SHOWN, the day page lists that many event articles, the latest published, and the total."""
    monkeypatch.setattr("archive.views.dates.EVENTS_SHOWN", 2)
    for d in (1, 2, 3):
        article = make_article(headline=f"{d}日写到的", page=make_page(published=(date(2020, 8, d),) * 2 + ("day",)))
        EventDate.objects.create(article=article, text="7月18日", date_start=date(2020, 7, 18),
                                 date_end=date(2020, 7, 18), date_precision="day")
    text = text_of(client.get(url("day", 2020, 7, 18)))
    assert "3日写到的" in text and "2日写到的" in text and "1日写到的" not in text
    assert "3 篇" in text and "最近出版的 2 篇" in text


def test_a_month_known_event_date_is_not_put_on_a_day(client):
    """近日 (known to the month) marks no day in the calendar."""
    article = make_article()
    EventDate.objects.create(article=article, text="近日", date_start=date(2020, 7, 1),
                             date_end=date(2020, 7, 31), date_precision="month")
    assert 'class="has-event"' not in client.get(url("month", 2020, 7)).content.decode()


# -- district page ----------------------------------------------------------------------


def test_district_page_draws_articles_per_year_as_svg(client):
    """The district page has an inline SVG chart with a bar per year, gaps included."""
    make_article(districts=["郑东新区"], page=make_page(published=day(2020, 7, 1)))
    make_article(districts=["郑东新区"], page=make_page(published=(date(2023, 1, 1), date(2023, 12, 31), "year")))
    body = client.get(url("district", "zhengdong")).content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert re.findall(r'class="bar-label"[^>]*>(\d+)<', svg) == ["2020", "2021", "2022", "2023"]


def test_district_page_lists_sub_areas_named_in_its_articles(client):
    """A road-named office in a district article's text is listed as a sub-area."""
    make_article(districts=["郑东新区"], body="豫兴路办事处组织村级后备力量培训。")
    assert "豫兴路办事处" in text_of(client.get(url("district", "zhengdong")))


def test_a_village_counts_in_articles_that_do_not_print_its_office():
    """Only texts printing 办事处 or 街道 are read to find areas, but a village found
    there counts every article naming it."""
    make_article(districts=["郑东新区"], body="龙湖办事处花沟王村召开会议。")
    make_article(districts=["郑东新区"], body="花沟王村的麦子熟了。")
    make_article(districts=["郑东新区"], body="别处的新闻。")
    district = District.objects.get(slug="zhengdong")
    areas = district_areas(district, Article.objects.in_district(district))
    assert [(a.name, a.articles) for a in areas if a.kind == "村"] == [("花沟王村", 2)]


@pytest.mark.parametrize("listing", [
    lambda: Person.objects.with_byline_counts(),
    lambda: Organization.objects.with_article_counts(),
    lambda: Page.objects.with_article_counts(),
])
def test_list_counts_are_per_row_subqueries_not_a_group_by_of_every_mention(listing):
    """A GROUP BY of every person or organisation joined with every mention grew with the
    archive (the reporter list: 0.5 s at 10x); each row's count on its own index does not."""
    assert "GROUP BY" not in str(listing().query)
