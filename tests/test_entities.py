"""Entity extraction: the seed key's bar (officials, interviewees, districts, dates, no
non-names), and the title and name rules one at a time on crafted sentences.

The seed articles come two ways: built from the key and the page text (so these
tests do not depend on the page parser), and through `parse_page` end to end.
"""
import json
import re
from collections import namedtuple
from functools import lru_cache
from pathlib import Path

import pytest

from archive.ingest import gazetteer
from archive.ingest.dates import PartialDate, resolve_month_day
from archive.ingest.entities import (
    about_districts,
    district_mentions,
    event_dates,
    extract_entities,
    extract_page_entities,
)
from archive.ingest.names import find_name_lists, find_post_title_names, name_at
from archive.ingest.source import decode, read_manifest
from archive.ingest.titles import find_titled_names, parse_deck
from archive.ingest.types import INTERVIEWEE, MENTIONED, ParsedArticle

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
GOLD = json.loads((HERE / "seed_articles.json").read_text(encoding="utf-8"))["articles"]
GOLD_IDS = [g["id"] for g in GOLD]
MANIFEST = read_manifest(SEEDS / "manifest.csv")
SOURCES = ("built", "parsed")


# -- seed articles -------------------------------------------------------------

def _squeeze(block: str) -> str:
    """Drop whitespace, except one space between two Latin letters or digits."""
    return re.sub(r"\s+", lambda m: " " if _ascii_alnum(block, m.start() - 1) and _ascii_alnum(block, m.end())
                  else "", block)


def _ascii_alnum(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def _page_paragraphs(text: str) -> list[str]:
    """Blank-line blocks, a block that does not end a sentence joined to the next (column breaks)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = _squeeze(block)
        if not block:
            continue
        if paragraphs and not re.search(r"[。！？!?”]$", paragraphs[-1]):
            paragraphs[-1] += block
        else:
            paragraphs.append(block)
    return paragraphs


@lru_cache(maxsize=None)
def _built() -> dict[str, ParsedArticle]:
    """Each key article cut from its page between body_starts and body_ends, headings from the key."""
    articles = {}
    for file_name in dict.fromkeys(g["file"] for g in GOLD):
        golds = [g for g in GOLD if g["file"] == file_name]
        page = "\n".join(_page_paragraphs((SEEDS / file_name).read_text(encoding="utf-8")))
        starts = [page.find(g["body_starts"]) for g in golds]
        built = []
        for g, start in zip(golds, starts):
            following = min([s for s in starts if s > start] + [len(page)])
            end = page.rfind(g["body_ends"], start, following) + len(g["body_ends"])
            assert start >= 0 and end > start, g["id"]
            built.append(ParsedArticle(
                position=int(g["id"].split("-")[1]), headline=g["headline"] or "",
                headline_derived=g["headline"] is None, kicker=g["kicker"] or "",
                subheadline=g["subheadline"] or "", paragraphs=page[start:end].split("\n"),
                reporters=list(g["reporters"]), correspondents=list(g["correspondents"]),
            ))
        extract_page_entities(built, MANIFEST.rows[file_name].published)
        articles.update({g["id"]: a for g, a in zip(golds, built)})
    return articles


@lru_cache(maxsize=None)
def _parsed() -> dict[str, ParsedArticle]:
    from archive.ingest.parser import parse_page

    articles = {}
    for file_name in dict.fromkeys(g["file"] for g in GOLD):
        text = decode((SEEDS / file_name).read_bytes(), file_name).text
        page = parse_page(text, MANIFEST.rows[file_name].published)
        by_position = {a.position: a for a in page.articles}
        for g in GOLD:
            if g["file"] == file_name:
                articles[g["id"]] = by_position.get(int(g["id"].split("-")[1]))
    return articles


@pytest.fixture(params=SOURCES)
def seeds(request):
    return _built() if request.param == "built" else _parsed()


def _key_names(gold) -> set[str]:
    found = {o["name"] for o in gold["officials"]} | set(gold["other_persons"])
    found |= set(gold["reporters"]) | set(gold["correspondents"])
    if gold["interviewee"]:
        found.add(gold["interviewee"]["name"])
    return found


# -- the bar ---------------------------------------------------------------------

def test_officials_precision_and_recall(seeds):
    """Officials with their titles as printed: recall and precision of at least 95% over the key."""
    expected, found = set(), set()
    for g in GOLD:
        expected |= {(g["id"], o["name"], o["title"]) for o in g["officials"]}
        found |= {(g["id"], p.name, p.title) for p in seeds[g["id"]].persons if p.title}
    hits = expected & found
    recall, precision = len(hits) / len(expected), len(hits) / max(len(found), 1)
    assert recall >= 0.95 and precision >= 0.95, (
        f"recall {recall:.3f} ({len(hits)}/{len(expected)}), precision {precision:.3f} "
        f"({len(hits)}/{len(found)}); missed {sorted(expected - found)}; extra {sorted(found - expected)}"
    )


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("gold", GOLD, ids=GOLD_IDS)
def test_interviewee(source, gold):
    """The interviewee of the deck with the title exactly as printed (None for news items)."""
    article = (_built() if source == "built" else _parsed())[gold["id"]]
    got = article.interviewee and {"name": article.interviewee.name, "title": article.interviewee.title}
    assert got == gold["interviewee"]
    if got:
        assert article.interviewee.role == INTERVIEWEE
        assert [p for p in article.persons if p.name == got["name"]] == [article.interviewee]


def test_every_person_is_a_name_of_the_key(seeds):
    """No person record is a title, place, slogan or piece of an organisation."""
    wrong = [(g["id"], p.name) for g in GOLD for p in seeds[g["id"]].persons if p.name not in _key_names(g)]
    assert not wrong


def test_other_persons_found(seeds):
    """Persons named without a title (lists, 习近平总书记) are found too."""
    expected = {(g["id"], n) for g in GOLD for n in g["other_persons"]}
    found = {(g["id"], p.name) for g in GOLD for p in seeds[g["id"]].persons if p.role == MENTIONED}
    recall = len(expected & found) / len(expected)
    assert recall >= 0.9, f"recall {recall:.3f}; missed {sorted(expected - found)}"


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("gold", GOLD, ids=GOLD_IDS)
def test_districts(source, gold):
    """The districts an article is about, exactly as the key says."""
    article = (_built() if source == "built" else _parsed())[gold["id"]]
    assert sorted(article.districts) == sorted(gold["districts"])


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("gold", GOLD, ids=GOLD_IDS)
def test_event_dates(source, gold):
    """Every N月N日 of the key resolved with the page's year; 近日 approximate at the page's date."""
    article = (_built() if source == "built" else _parsed())[gold["id"]]
    published = MANIFEST.rows[gold["file"]].published
    values = [e.value for e in article.event_dates if not e.approximate]
    for text in gold["event_dates"]:
        m = re.fullmatch(r"(\d+)月(\d+)日", text)
        if m:
            assert resolve_month_day(int(m.group(1)), int(m.group(2)), published).iso() in values, text
    approximate = [(e.text, e.value, e.precision) for e in article.event_dates if e.approximate]
    want = [("近日", published.iso(), published.precision)] if "近日" in gold["event_dates"] else []
    assert approximate == want
    assert len(values) == len(set(values))


def test_organizations_from_titles(seeds):
    """Organisations named in full in titles are recorded, and none starts with a stray word."""
    assert "郑东新区应急管理局" in seeds["002-4"].organizations
    assert "郑东新区水务局" in seeds["002-4"].organizations
    assert "郑东新区党工委" in seeds["002-1"].organizations
    every = [o for g in GOLD for o in seeds[g["id"]].organizations]
    assert not [o for o in every if re.search(r"[，,。、；：]|^[“”]|^(会上|会议|由|在|邀请)", o)]


# -- titles ----------------------------------------------------------------------------

def titled(text):
    return [(t.name, t.title, t.other_titles) for t in find_titled_names(text)]


def test_title_cut_after_preposition():
    """A preposition before the title is not part of it (会议由…局长赵刚主持)."""
    assert titled("会议由金水区应急管理局局长赵刚主持。") == [("赵刚", "金水区应急管理局局长", [])]


def test_title_cut_after_verb():
    """A verb that introduces the title is not part of it (邀请…教授)."""
    assert titled("中原区邀请河南大学教授周文华作专题讲座。") == [("周文华", "河南大学教授", [])]


def test_conjunction_inside_organisation_kept():
    """和 inside an organisation's name does not cut the title."""
    assert titled("郑州市住房和城乡建设局局长李明介绍了情况。") == [("李明", "郑州市住房和城乡建设局局长", [])]


def test_conjunction_before_title_cuts():
    """与 before a new title cuts it (在与高新区管委会主任…交流)."""
    assert titled("在与高新区管委会主任李红交流时,他说。") == [("李红", "高新区管委会主任", [])]


def test_title_parts_joined_by_enumeration_comma():
    """Parts joined by 、 make one title when each ends with a role word."""
    assert titled("近日,省委常委、市委书记安伟到高新区调研。") == [("安伟", "省委常委、市委书记", [])]


def test_name_before_enumeration_comma_ends_title():
    """A name before 、 belongs to the previous person: 张俊忠、办事处主任高林广."""
    assert titled("区委书记张俊忠、办事处主任高林广参加。") == [
        ("张俊忠", "区委书记", []), ("高林广", "办事处主任", [])]


def test_honorific_dropped():
    """An honour printed before the real title is not the title."""
    assert titled("与省级优秀村支书、樱桃沟村党支部书记王建军交流。") == [("王建军", "樱桃沟村党支部书记", [])]


def test_title_after_comma_is_another_title():
    """A title, a comma and a second title before one name: the second is an other title."""
    assert titled("金水区委常委、副区长,区防汛指挥部常务副指挥长刘洋主持会议。") == [
        ("刘洋", "金水区委常委、副区长", ["区防汛指挥部常务副指挥长"])]


def test_quotes_inside_title_kept():
    """Quotes closed inside the title belong to it."""
    assert titled("会上,市“四水同治”办负责人孙丽点评了工作。") == [("孙丽", "市“四水同治”办负责人", [])]


def test_closing_quote_of_a_quotation_bounds_title():
    """The end of a quotation (。”) is not part of the title after it."""
    assert titled("“要抓好落实。”惠济区委书记张伟说。") == [("张伟", "惠济区委书记", [])]


def test_unusual_role_word():
    """后备力量 ends a title like 书记 does."""
    assert titled("豫兴路办事处村级后备力量刘飞帆说。") == [("刘飞帆", "豫兴路办事处村级后备力量", [])]


def test_role_word_before_ordinary_word_is_no_name():
    """书记高度重视, 局长向记者介绍, 由书记任组长: no person."""
    assert titled("书记高度重视,局长向记者介绍,由区委书记任组长、区长任副组长,主任马上部署。") == []


def test_interviewee_from_deck():
    """The deck ——访<title><name> gives the interviewee and the whole title."""
    found = parse_deck("——访金水区委书记、区人大常委会主任王刚")
    assert (found.name, found.title) == ("王刚", "金水区委书记、区人大常委会主任")


def test_deck_without_interview_has_no_interviewee():
    """A deck that is not ——访… names no interviewee."""
    assert parse_deck("——郑东新区召开防汛会商会议") is None


# -- names -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("王刚陪同代表团考察", "王刚"),
    ("李明等出席", "李明"),
    ("赵强调研时指出", "赵强"),
    ("陈立新及有关人员参加", "陈立新"),
    ("孙建国表示", "孙建国"),
    ("徐立毅7月17日调研", "徐立毅"),
    ("李红交流时说", "李红"),
])
def test_name_length_from_what_follows(text, name):
    """Two or three characters, decided by the word after the name."""
    assert name_at(text, 0) == name


def test_known_name_decides_length():
    """A name known from a title earlier decides a bare mention (张改平等 is 张改平)."""
    assert name_at("张改平等院士领衔", 0) == "张改"
    assert name_at("张改平等院士领衔", 0, frozenset({"张改平"})) == "张改平"


def test_known_name_does_not_shorten_a_longer_name():
    """A known 李红 does not cut 李红梅 short."""
    assert name_at("李红梅带领志愿者", 0, frozenset({"李红"})) == "李红梅"


def test_list_of_names():
    """Names joined by 、, the last one before 等."""
    assert [n for _, n in find_name_lists("会上,赵一鸣、钱立平、孙红等分别发言。")] == ["赵一鸣", "钱立平", "孙红"]


def test_list_glued_to_words_on_both_sides():
    """The first item after a verb, the last before 等 (推动王蓬、刘改平等专家领衔)."""
    assert [n for _, n in find_name_lists("推动王蓬、刘改平等专家领衔的项目")] == ["王蓬", "刘改平"]


def test_list_after_a_generic_noun_has_no_title():
    """管委领导李幸福、王军… are names; 领导 is not taken for a title."""
    assert [n for _, n in find_name_lists("管委领导李幸福、王军、宋旭光,各部门负责同志参加")] == [
        "李幸福", "王军", "宋旭光"]


@pytest.mark.parametrize("text", [
    "借鉴苏州、宁波、成都的经验",
    "金融、科技、文化等领域",
    "他们边走边看、边记边悟",
    "依托华为、阿里巴巴合作",
    "祭城、龙湖、如意湖等片区",
])
def test_lists_of_other_things_are_not_names(text):
    """Lists of places, fields, idioms and companies hold no persons."""
    assert find_name_lists(text) == []


def test_name_before_its_title():
    """习近平总书记: the name printed before its title, not a word before it (学习李强总理)."""
    assert [n for _, n in find_post_title_names("深入学习贯彻习近平总书记系列重要讲话")] == ["习近平"]
    assert [n for _, n in find_post_title_names("学习李强总理讲话精神")] == ["李强"]


# -- districts, dates, articles ------------------------------------------------------------

District = namedtuple("District", "name aliases")


def test_longest_alias_first():
    """郑东新区 is one mention of 郑东新区, not also one of 郑东; 郑州经开区 is 经开区; 新郑 is 新郑市."""
    mentions = district_mentions("郑东新区、郑州经开区和新郑", gazetteer.ZHENGZHOU)
    assert [n for _, n in mentions] == ["郑东新区", "经开区", "新郑市"]


def test_other_citys_zone_is_not_ours():
    """成都高新区 and 合肥高新区 are not Zhengzhou's 高新区."""
    assert district_mentions("赴成都高新区、苏州、合肥高新区考察", gazetteer.ZHENGZHOU) == []


def test_alias_inside_a_longer_word_is_not_a_district():
    """华为中原区域总部 does not name 中原区."""
    assert district_mentions("华为中原区域总部", gazetteer.ZHENGZHOU) == []


def test_aliases_come_from_the_given_districts():
    """Districts from the database with admin-edited aliases, not the module constant."""
    rows = [District("郑东新区", ("白沙组团",))]
    assert district_mentions("白沙组团建设加快", rows) == [(0, "郑东新区")]


def test_headline_outweighs_passing_mention():
    """The district of the headline, not one mentioned once in the body."""
    texts = [("headline", "金水区召开防汛会议"), ("body", "会议通报了金水区和二七区的雨情。")]
    assert about_districts(texts, gazetteer.ZHENGZHOU) == ["金水区"]


def test_dates_resolved_with_page_year():
    """Both ends of a range, 上午 dropped, each date once, in order of appearance."""
    page = PartialDate.parse("2017-09")
    found = event_dates(["8月23日~9月1日,考察;9月2日上午,开讲;8月29日~31日", "9月2日召开"], page)
    assert [(e.text, e.value) for e in found] == [
        ("8月23日", "2017-08-23"), ("9月1日", "2017-09-01"), ("9月2日", "2017-09-02"),
        ("8月29日", "2017-08-29"), ("31日", "2017-08-31")]


def test_recent_days_take_page_date_approximately():
    """近日 is the page's date at its precision, marked approximate."""
    (found,) = event_dates(["近日,培训班开班。"], PartialDate.parse("2025-07"))
    assert (found.value, found.precision, found.approximate) == ("2025-07", "month", True)


def test_unknown_page_year_leaves_dates_unresolved():
    """Without the page's year a month-day has no value."""
    (found,) = event_dates(["7月18日,会议召开。"], None)
    assert (found.text, found.value, found.precision) == ("7月18日", "", "")


def _article(*paragraphs, headline="测试", subheadline=""):
    return ParsedArticle(position=1, headline=headline, subheadline=subheadline, paragraphs=list(paragraphs))


def test_same_person_keeps_first_title():
    """The first title printed stays the title; the same one more qualified adds nothing."""
    article = extract_entities(_article("会上,郑州市委副秘书长李伟革做辅导。", headline="市委副秘书长李伟革做专题辅导"))
    (person,) = article.persons
    assert (person.title, person.other_titles) == ("市委副秘书长", [])


def test_interviewee_recorded_once():
    """The interviewee is in persons once, with the deck's title, although the body repeats it."""
    article = extract_entities(_article("经开区党工委书记李小虎说,要抓落实。", subheadline="——访郑州经开区党工委书记李小虎"))
    assert [(p.name, p.title, p.role) for p in article.persons] == [("李小虎", "郑州经开区党工委书记", INTERVIEWEE)]
    assert article.organizations == ["郑州经开区党工委"]


def test_no_fragment_organisations():
    """An organisation starts at its own name, not at the words before it."""
    article = extract_entities(_article("会上,郑东新区水务局通报了雨情。"))
    assert article.organizations == ["郑东新区水务局"]


def test_page_gives_its_district_to_an_article_without_one():
    """An article naming no district of its own takes the district the page is about."""
    articles = [_article("高新区党工委召开会议。", headline="高新区召开会议"),
                _article("党工委副书记李金勇带队赴合肥高新区考察。")]
    extract_page_entities(articles)
    assert articles[1].districts == ["高新区"]


def test_page_names_recognised_bare_later():
    """A name titled in one article is a person where a later one prints it bare."""
    articles = [_article("高新区党工委书记王新亭表示,要抓落实。"), _article("王新亭带领代表团考察。")]
    extract_page_entities(articles)
    assert [(p.name, p.title) for p in articles[1].persons] == [("王新亭", "")]
