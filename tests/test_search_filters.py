"""Filters, facets, sorting, the API, the feed and OpenSearch, on a small built archive."""
from datetime import date

import pytest
from haystack import connections

from archive.ingest import types as T
from archive.models import District
from search import queue
from tests.builders import make_article, make_org, make_page, make_person, mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    connections["default"].get_backend().clear()
    july = make_page(newspaper="郑州晚报", published=(date(2020, 7, 1), date(2020, 7, 31), "month"))
    may = make_page(newspaper="郑州日报", published=(date(2023, 5, 12), date(2023, 5, 12), "day"))
    made = {
        "east": make_article(page=july, headline="郑东新区防汛", body="东区防汛工作部署。", districts=["郑东新区"]),
        "hightech": make_article(page=may, headline="高新区防汛", body="高新区防汛演练。", districts=["高新区"],
                                 kind=T.INTERVIEW),
        "plain": make_article(page=may, headline="防汛物资", body="全市防汛物资到位。"),
    }
    sun = make_person("孙建功")
    mention(made["east"], sun)
    mention(made["hightech"], make_person("王阳"), role=T.REPORTER)
    org = make_org("郑东新区管委会")
    made["east"].organization_mentions.create(organization=org)
    queue.drain()
    return made


def ids(client, **params):
    return {r["id"] for r in client.get("/api/search", params).json()["results"]}


def test_district_filter(client, archive):
    """district= keeps only that district's articles."""
    assert ids(client, q="防汛", district="高新区") == {archive["hightech"].pk}


def test_district_filter_takes_an_alias(client, archive):
    """district=郑东 means 郑东新区."""
    assert ids(client, q="防汛", district="郑东") == {archive["east"].pk}


def test_a_district_name_finds_articles_assigned_by_alias(client, archive):
    """A search for 郑东新区 finds articles in the district, whatever name they print."""
    article = make_article(headline="东区新闻", body="东区召开会议。", districts=["郑东新区"])
    queue.drain()
    assert article.pk in ids(client, q="郑东新区")


def test_alias_edited_in_the_district_record_is_used(client, archive):
    """A new alias typed into the District record works as a filter at once."""
    District.objects.filter(name="郑东新区").update(aliases="郑东\n东区\nCBD")
    assert ids(client, q="防汛", district="CBD") == {archive["east"].pk}


def test_person_reporter_org_kind_newspaper_filters(client, archive):
    """Each name and value filter keeps the articles carrying it."""
    assert ids(client, q="防汛", person="孙建功") == {archive["east"].pk}
    assert ids(client, q="防汛", reporter="王阳") == {archive["hightech"].pk}
    assert ids(client, q="防汛", org="郑东新区管委会") == {archive["east"].pk}
    assert ids(client, q="防汛", kind="interview") == {archive["hightech"].pk}
    assert ids(client, q="防汛", newspaper="郑州日报") == {archive["hightech"].pk, archive["plain"].pk}


def test_year_month_and_date_range(client, archive):
    """year, month and from/to narrow by publication date; a month-precision page counts for its month."""
    assert ids(client, q="防汛", year="2020") == {archive["east"].pk}
    assert ids(client, q="防汛", year="2023", month="5") == {archive["hightech"].pk, archive["plain"].pk}
    assert ids(client, q="防汛", **{"from": "2020-07-15", "to": "2020-07-20"}) == {archive["east"].pk}
    assert ids(client, q="防汛", **{"from": "2021"}) == {archive["hightech"].pk, archive["plain"].pk}


def test_filters_combine(client, archive):
    """Several filters apply together."""
    assert ids(client, q="防汛", newspaper="郑州日报", kind="news") == {archive["plain"].pk}


def test_filters_alone_list_the_archive(client, archive):
    """Without q, the filters list every matching article."""
    assert ids(client, district="郑东新区") == {archive["east"].pk}


def test_bad_filter_values_are_reported_not_errors(client, archive):
    """year=abc and from=bad give a notice and are ignored."""
    data = client.get("/api/search", {"q": "防汛", "year": "abc", "from": "bad"}).json()
    assert data["count"] == 3 and "年份" in data["message"] and "无法识别" in data["message"]


def test_facet_counts(client, archive):
    """The API gives facet counts over the whole result set."""
    facets = client.get("/api/search", {"q": "防汛"}).json()["facets"]
    assert {f["value"]: f["count"] for f in facets["newspaper"]} == {"郑州日报": 2, "郑州晚报": 1}
    assert {f["value"]: f["count"] for f in facets["district"]} == {"郑东新区": 1, "高新区": 1}
    assert {f["value"]: f["count"] for f in facets["year"]} == {2023: 2, 2020: 1}


def facet(client, name, **params):
    return {f["value"]: f["count"] for f in client.get("/api/search", params).json()["facets"][name]}


def test_facet_counts_follow_new_and_deleted_articles(client, archive):
    """Facet values are kept per index segment; a drain's new segment and a deletion show at once."""
    assert facet(client, "district", q="防汛") == {"郑东新区": 1, "高新区": 1}
    added = make_article(headline="高新区防汛再部署", body="高新区防汛。", districts=["高新区"])
    queue.drain()
    assert facet(client, "district", q="防汛") == {"郑东新区": 1, "高新区": 2}
    archive["east"].delete()
    added.delete()
    queue.drain()
    assert facet(client, "district", q="防汛") == {"高新区": 1}


def test_multi_value_facets_count_each_name(client, archive):
    """persons, organisations and reporters are lists: each name is a value of its own."""
    mention(archive["east"], make_person("李小虎"))
    queue.drain()
    assert facet(client, "person", q="防汛") == {"孙建功": 1, "李小虎": 1}
    assert facet(client, "reporter", q="防汛") == {"王阳": 1}
    assert facet(client, "org", q="防汛") == {"郑东新区管委会": 1}


def test_facet_links_add_and_active_filters_remove_one_parameter(client, archive):
    """A facet link adds its filter to the URL; the active filter's link drops only that one."""
    page = client.get("/search/", {"q": "防汛", "kind": "news"}).content.decode()
    assert 'href="?q=%E9%98%B2%E6%B1%9B&amp;kind=news&amp;newspaper=%E9%83%91%E5%B7%9E%E6%97%A5%E6%8A%A5"' in page
    assert 'href="?q=%E9%98%B2%E6%B1%9B" class="remove-filter"' in page


def test_sort_newest_and_oldest(client, archive):
    """sort=newest puts 2023 first, sort=oldest 2020."""
    newest = client.get("/api/search", {"q": "防汛", "sort": "newest"}).json()["results"]
    oldest = client.get("/api/search", {"q": "防汛", "sort": "oldest"}).json()["results"]
    assert newest[0]["published"].startswith("2023") and newest[-1]["id"] == archive["east"].pk
    assert oldest[0]["id"] == archive["east"].pk


def test_no_results_suggests_a_broader_filter(client, archive):
    """Nothing found with a filter: the page offers dropping it, with the count."""
    data = client.get("/api/search", {"q": "演练", "district": "郑东新区"}).json()
    assert data["count"] == 0
    assert any("去掉" in s["text"] and "1 篇" in s["text"] for s in data["suggestions"])


def test_no_results_suggests_related_names(client, archive):
    """A partial name that finds nothing suggests the known name."""
    data = client.get("/api/search", {"q": "person:孙建"}).json()
    assert data["count"] == 0 and any("孙建功" in s["text"] for s in data["suggestions"])


def test_atom_feed_for_a_saved_search(client, archive):
    """/search/feed/ with the page's parameters is an Atom feed of the matching articles."""
    response = client.get("/search/feed/", {"q": "防汛", "district": "高新区"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 1 and "高新区防汛" in body


def test_opensearch_description_is_linked_from_every_page(client, archive):
    """base.html links /opensearch.xml, whose template points at the search page."""
    assert 'type="application/opensearchdescription+xml"' in client.get("/").content.decode()
    response = client.get("/opensearch.xml")
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    assert "/search/?q={searchTerms}" in response.content.decode()


COMBINATIONS = [
    {"q": "防汛", "district": "郑东新区", "kind": "interview"},
    {"q": "防汛", "newspaper": "郑州日报", "year": "2020", "person": "孙建功"},
    {"q": "防汛", "district": "高新区", "from": "2020-07", "to": "2020-07"},
    {"district": "郑东新区", "reporter": "王阳", "from": "2023"},
    {"q": "防汛", "org": "郑东新区管委会", "month": "5", "to": "2022"},
]


@pytest.mark.parametrize("params", COMBINATIONS)
def test_counts_without_each_filter_match_a_search_without_it(archive, params):
    """The one-search counts behind "去掉…可找到 N 篇" equal a search with that filter (or the dates) dropped."""
    from search import engine
    from search.query import resolve
    from search.service import run

    s = run(params)
    query = resolve(s.form.query) if s.form.query else None
    without, without_dates = engine.counts_without(query, s.filters)
    for name in s.filters.values:
        wider = engine.Filters({k: v for k, v in s.filters.values.items() if k != name}, s.filters.start, s.filters.end)
        assert without[name] == engine.execute(query, wider, per_page=1, facets=False).count, name
    assert without_dates == engine.execute(query, engine.Filters(dict(s.filters.values)), per_page=1,
                                           facets=False).count
    assert any(without.values()) or without_dates


def test_suggestions_run_one_search(archive, monkeypatch):
    """Suggesting broader filters for an empty result searches once for all of them, not once per filter."""
    from search import engine
    from search.service import run

    calls = []
    real = engine.execute
    monkeypatch.setattr(engine, "execute", lambda *a, **k: calls.append(a) or real(*a, **k))
    s = run({"q": "防汛", "district": "郑东新区", "kind": "interview", "newspaper": "郑州日报", "year": "2023"})
    assert s.count == 0 and s.suggestions
    assert len(calls) <= 2  # the search itself and its loose retry; the suggestions add none
