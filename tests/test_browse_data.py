"""Machine-readable twins: JSON for articles, people, districts and organisations; Atom feeds; the sitemap."""
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from archive import sitemaps
from archive.export import article_record, export_queryset
from archive.ingest import types as T
from archive.models import District, OrganizationMention, Position
from tests.builders import VERSION_READ, make_article, make_org, make_page, make_person, mention

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def url(name, *args):
    return reverse(f"archive:{name}", args=args)


def test_article_json_is_the_export_record(client):
    """An article's .json is exactly its export record, with absolute URLs."""
    article = make_article(headline="当好火车头", districts=["郑东新区"])
    mention(article, make_person("孙建功"), role=T.INTERVIEWEE, title="郑东新区党工委书记")
    data = client.get(url("article_json", article.page.slug, article.position)).json()
    assert data == article_record(export_queryset().get(pk=article.pk), base_url="http://testserver/")


def test_article_json_keeps_a_partial_date_at_its_precision(client):
    """A page known only to the month is 2020-07 in JSON, not a made-up day."""
    article = make_article(page=make_page(published=(date(2020, 7, 1), date(2020, 7, 31), "month")))
    data = client.get(url("article_json", article.page.slug, article.position)).json()
    assert (data["published"], data["published_precision"]) == ("2020-07", "month")


def test_person_json_has_posts_with_partial_dates(client):
    """A person's .json groups titles into posts with ISO partial first/last dates."""
    person = make_person("孙建功")
    Position.objects.create(
        person=person, title="郑东新区党工委书记、中原科技城党工委书记",
        first_seen_start=date(2023, 7, 1), first_seen_end=date(2023, 7, 31), first_seen_precision="month",
        last_seen_start=date(2023, 7, 1), last_seen_end=date(2023, 7, 31), last_seen_precision="month",
    )
    posts = client.get(url("person_json", person.slug)).json()["posts"]
    assert [(p["title"], p["first_seen"]) for p in posts] == [
        ("郑东新区党工委书记", "2023-07"), ("中原科技城党工委书记", "2023-07"),
    ]


def test_person_json_lists_articles_with_roles(client):
    """Each article in a person's .json says the person's roles in it."""
    person = make_person("李记者")
    mention(make_article(), person, role=T.REPORTER)
    assert client.get(url("person_json", person.slug)).json()["articles"][0]["roles"] == [T.REPORTER]


def test_district_json_has_articles_officials_and_years(client):
    """A district's .json carries its articles, officials with titles, and per-year counts."""
    article = make_article(headline="东区新闻", districts=["郑东新区"], page=make_page(published=(date(2023, 1, 1), date(2023, 12, 31), "year")))
    mention(article, make_person("孙建功"), title="郑东新区党工委书记")
    data = client.get(url("district_json", "zhengdong")).json()
    assert [a["headline"] for a in data["articles"]] == ["东区新闻"]
    assert data["officials"][0]["person"] == "孙建功"
    assert data["articles_per_year"] == [{"year": 2023, "articles": 1}]


def test_organization_json_has_its_district_and_articles(client):
    """An organisation's .json names its district and its articles."""
    org = make_org("郑东新区水务局", district=District.objects.get(name="郑东新区"))
    OrganizationMention.objects.create(article=make_article(headline="水务新闻"), organization=org)
    data = client.get(url("organization_json", org.slug)).json()
    assert data["district"] == "郑东新区" and data["articles"][0]["headline"] == "水务新闻"


def test_json_for_an_unknown_record_is_404(client):
    """An unknown slug's .json is a 404, not an empty object."""
    assert client.get(url("person_json", "nobody")).status_code == 404


def test_district_json_query_count_is_bounded(client, django_assert_max_num_queries):
    """A district's .json reads in a fixed number of queries (the places within it and the
    titles printed there one each)."""
    for i in range(6):
        mention(make_article(districts=["郑东新区"]), make_person(f"官{i}"), title=f"局长{i}")
    with django_assert_max_num_queries(11 + VERSION_READ):
        assert client.get(url("district_json", "zhengdong")).status_code == 200


# -- feeds ---------------------------------------------------------------------------------


def entries(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]


def test_archive_feed_lists_the_latest_articles(client):
    """The whole-archive Atom feed has an entry per article."""
    make_article(headline="最新一篇")
    assert entries(client.get(url("feed"))) == ["最新一篇"]


def test_district_feed_keeps_only_the_district(client):
    """A district's feed lists its articles and not others."""
    make_article(headline="东区", districts=["郑东新区"])
    make_article(headline="高新", districts=["高新区"])
    assert entries(client.get(url("district_feed", "zhengdong"))) == ["东区"]


def test_person_feed_keeps_only_their_articles(client):
    """A person's feed lists the articles that name them."""
    person = make_person("孙建功")
    mention(make_article(headline="访孙建功"), person)
    make_article(headline="别的")
    assert entries(client.get(url("person_feed", person.slug))) == ["访孙建功"]


def test_feed_summary_gives_the_date_at_its_precision(client):
    """A feed entry says 2020年7月 for a page known only to the month."""
    make_article(page=make_page(published=(date(2020, 7, 1), date(2020, 7, 31), "month")))
    feed = ET.fromstring(client.get(url("feed")).content)
    assert next(feed.iter(f"{ATOM}summary")).text.startswith("2020年7月")


# -- sitemap --------------------------------------------------------------------------------


def test_sitemap_lists_articles_people_and_districts(client):
    """The sitemap holds the article, person and district URLs."""
    article = make_article(districts=["郑东新区"])
    person = make_person("孙建功")
    mention(article, person)
    index = ET.fromstring(client.get(url("sitemap")).content)
    files = [loc.text.removeprefix("http://testserver") for loc in index.iter(f"{SITEMAP}loc")]
    body = "".join(client.get(f).content.decode() for f in files)
    for path in (article.get_absolute_url(), person.get_absolute_url(), url("district", "zhengdong")):
        assert f"<loc>http://testserver{path}</loc>" in body


def test_sitemap_files_stay_under_their_limit(client, monkeypatch):
    """A section longer than a file's limit is split into numbered files, all named in the index."""
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    page = make_page()
    for n in range(5):
        make_article(page=page, position=n + 1)
    index = ET.fromstring(client.get(url("sitemap")).content)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "sitemap-articles" in loc.text]
    assert [f.rsplit("?", 1)[-1] if "?" in f else "" for f in files] == ["", "p=2", "p=3"]
    last = ET.fromstring(client.get(files[-1].removeprefix("http://testserver")).content)
    assert len(list(last.iter(f"{SITEMAP}url"))) == 1
