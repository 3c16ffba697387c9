"""Places: the national gazetteer, its hierarchy, telling same-named places apart, filing."""
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from archive.ingest import gazetteer
from archive.ingest import types as T
from archive.ingest.entities import about_districts, district_mentions
from archive.loader import Loader
from archive.models import Article, District
from tests.builders import make_article

ROWS = gazetteer.national_rows()
BY_NAME = {}
for _row in ROWS:
    BY_NAME.setdefault(_row.name, []).append(_row)


def places(home=""):
    found = gazetteer.Gazetteer(
        (gazetteer.Place(r.name, r.aliases, r.code or r.name, r.parent or ("CN" if r.level == "province" else ""),
                         r.level) for r in ROWS))
    found.set_home(home)
    return found


NATIONAL = places(home="郑州")
NOWHERE = places()


# -- the gazetteer files ---------------------------------------------------------------

def test_every_province_level_division_is_there_once():
    """34 province-level divisions (23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs)."""
    provinces = [r for r in ROWS if r.level == gazetteer.PROVINCE]
    assert len(provinces) == 34 and len({r.code for r in provinces}) == 34


def test_counties_and_cities_are_complete_enough():
    """Prefecture-level and county-level divisions as the national codes count them (about 330 and 2,850, with Taiwan's and the SARs' some 3,000)."""
    cities = sum(r.level == gazetteer.CITY for r in ROWS)
    counties = sum(r.level == gazetteer.COUNTY and r.code != "" for r in ROWS)
    assert 320 <= cities <= 345 and 2800 <= counties <= 3100


@pytest.mark.parametrize("name, short", [
    ("河南省", "河南"), ("郑州市", "郑州"), ("新郑市", "新郑"), ("内蒙古自治区", "内蒙古"),
    ("广西壮族自治区", "广西"), ("黔南布依族苗族自治州", "黔南"), ("香港特别行政区", "香港"),
    ("中牟县", "中牟"), ("阿拉善盟", "阿拉善"),
])
def test_short_forms_papers_print(name, short):
    """The short form a paper prints is an alias of the full name."""
    assert any(short in r.aliases for r in BY_NAME[name])


def test_an_everyday_word_is_no_short_form():
    """和平区 and 东方市 keep their full names only (和平, 东方 are words)."""
    assert not BY_NAME["东方市"][0].aliases and all(not r.aliases for r in BY_NAME["和平区"])


def test_every_parent_code_exists():
    """Each place's parent is a place of the files."""
    codes = {r.code for r in ROWS}
    assert all(r.parent in codes for r in ROWS if r.parent)


def test_zhengzhou_keeps_its_districts_and_slugs():
    """The home region's 16 districts keep the names, kinds, aliases and slugs they had."""
    rows = {r.name: r for r in ROWS if r.parent == "410100"}
    for d in gazetteer.ZHENGZHOU:
        assert (rows[d.name].slug, rows[d.name].kind, rows[d.name].aliases) == (d.slug, d.kind, d.aliases)


def test_foreign_countries_as_the_mainland_press_names_them():
    """Countries are their own kind of place, under mainland names (柬埔寨, not 柬埔塞)."""
    names = {r.name for r in ROWS if r.level == gazetteer.COUNTRY}
    assert {"日本", "美国", "俄罗斯", "柬埔寨", "危地马拉", "南斯拉夫"} <= names and "柬埔塞" not in names


# -- reading places in text -------------------------------------------------------------

def test_same_name_told_apart_by_the_other_places():
    """和平区 after 天津 is Tianjin's, after 沈阳 Shenyang's."""
    assert dict(district_mentions("天津市和平区", NOWHERE))[3] == "120101"
    assert dict(district_mentions("沈阳和平区", NOWHERE))[2] == "210102"


def test_same_name_without_a_clue_is_left_out():
    """和平区 alone could be either: nothing is guessed."""
    assert district_mentions("和平区召开会议", NOWHERE) == []


def test_home_region_decides_between_places_printed_alike():
    """In a Zhengzhou paper 东区 is 郑东新区, not Hong Kong's 东区."""
    assert district_mentions("东区召开会议", NATIONAL) == [(0, "郑东新区")]


def test_a_zone_of_another_city_is_not_the_home_zone():
    """成都高新区 is Chengdu's zone; 苏州高新区 is no zone of Zhengzhou's."""
    assert [k for _, k in district_mentions("成都高新区", NATIONAL)] == ["成都高新区"]
    assert [k for _, k in district_mentions("苏州高新区", NATIONAL)] == ["320500"]


def test_article_is_filed_under_its_narrowest_place():
    """河南省郑州市新郑市: the article is about 新郑市 (the others count through the hierarchy)."""
    texts = [("headline", "河南省郑州市新郑市召开大会"), ("body", "郑州市领导出席。")]
    assert about_districts(texts, NATIONAL) == ["410184"]


def test_broader_short_form_wins_a_tie():
    """吉林 alone is the province, not the city of that name."""
    assert district_mentions("吉林", NOWHERE) == [(0, "220000")]


# -- the database -------------------------------------------------------------------------

@pytest.mark.django_db
def test_hierarchy_in_the_table():
    """新郑市 lies in 郑州市, 河南省 and 中国, each labelled for what it is."""
    xinzheng = District.objects.get(slug="xinzheng")
    assert [(p.name, p.label) for p in xinzheng.lineage()] == [("中国", "国家"), ("河南省", "省"), ("郑州市", "市")]
    assert xinzheng.label == "区县" and District.objects.get(name="日本").label == "国家"


@pytest.mark.django_db
def test_article_counts_for_the_places_above():
    """An article about 新郑市 is on 郑州市's and 河南省's pages, not on 开封市's."""
    article = make_article(districts=["新郑市"])
    for slug in ("xinzheng", "zhengzhou", "henan", "zhongguo"):
        assert list(Article.objects.in_district(District.objects.get(slug=slug))) == [article]
    assert not Article.objects.in_district(District.objects.get(slug="kaifeng")).exists()


@pytest.mark.django_db
def test_province_page_lists_its_cities_with_counts(client):
    """河南省's page lists its cities, each with the articles within it."""
    make_article(districts=["新郑市"])
    make_article(districts=["郑东新区"])
    text = client.get(reverse("archive:district", args=["henan"])).content.decode()
    assert re.search(r"郑州市</a>\s*<span class=\"tag\">市</span>\s*<span class=\"count\">2 篇", text)
    assert "开封市</a>" in text


@pytest.mark.django_db
def test_places_alias_url(client):
    """/places/<slug>/ is the same page as /districts/<slug>/."""
    assert client.get("/places/henan/").status_code == 200
    assert client.get("/places/henan/").content == client.get("/districts/henan/").content


@pytest.mark.django_db
def test_tagged_places_filed_into_the_hierarchy():
    """PFR's ns tokens: 北京 and 日本 are filed under the gazetteer's places; 内塔尼亚胡 and 和农村 nothing."""
    before = District.objects.count()
    article = T.ParsedArticle(position=1, headline="", place_weights={"北京": 3, "日本": 2, "内塔尼亚胡": 3, "和农村": 1})
    assert Loader()._place_keys(article) == ["beijing", "riben"]
    assert District.objects.count() == before


@pytest.mark.django_db
def test_tagged_county_without_its_suffix():
    """A tagged 张北 is 张北县 in an article that names 河北 too."""
    article = T.ParsedArticle(position=1, headline="", place_weights={"张北": 2, "河北": 1})
    assert Loader()._place_keys(article) == [District.objects.get(name="张北县").slug]


@pytest.mark.django_db
def test_tagged_region_is_no_county():
    """A tagged 江南 or 中原 alone is a region, not 南宁's 江南区 or 郑州's 中原区."""
    article = T.ParsedArticle(position=1, headline="", place_weights={"江南": 2, "中原": 1})
    assert Loader()._place_keys(article) == []


# -- identity -------------------------------------------------------------------------------

@pytest.mark.django_db
@override_settings(BAOKU_SITE_NAME="蓉报库", BAOKU_SITE_DESCRIPTION="成都地方报纸档案")
def test_site_identity_in_header_feed_and_opensearch(client):
    """The site's name and description come from settings."""
    home = client.get("/").content.decode()
    assert "蓉报库" in home and "成都地方报纸档案" in home and "郑州地方报纸档案" not in home
    feed = client.get(reverse("archive:feed")).content.decode()
    assert "<title>蓉报库：最新收录的文章</title>" in feed and "成都地方报纸档案" in feed
    opensearch = client.get(reverse("search:opensearch")).content.decode()
    assert "<ShortName>蓉报库</ShortName>" in opensearch and "成都地方报纸档案全文检索" in opensearch


@pytest.mark.django_db
def test_default_identity_keeps_todays_look(client):
    """Without settings the header reads 报库 · 郑州地方报纸档案."""
    assert re.search(r"brand-name\">报库</span><span class=\"brand-tag\">郑州地方报纸档案", client.get("/").content.decode())


@pytest.mark.django_db
@override_settings(BAOKU_HOME_REGION="香港")
def test_home_region_is_a_setting():
    """With Hong Kong as home, 东区 is Hong Kong's."""
    loader = Loader()
    assert [k for _, k in district_mentions("东区", loader.places)] == [District.objects.get(code="810102").slug]


def test_short_county_without_its_province_is_left_out():
    """东海 alone (a sea as often as 东海县) names no place, and reading it raises nothing."""
    assert district_mentions("东海舰队", NOWHERE) == []
    assert [k for _, k in district_mentions("江苏连云港东海", NOWHERE)][-1] == "320722"
