"""The PFR corpus reader (archive.ingest.pfr) and `ingest --format pfr`, on crafted and copied lines."""
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from archive.ingest import pfr
from archive.models import Article, District, Organization, Page, Person, PersonMention

# Lines copied from the corpus (paragraphs cut short where marked).
FRONT = (
    "19980101-01-001-001/m  迈向/v  充满/v  希望/n  的/u  新/a  世纪/n  ——/w  一九九八年/t  新年/t  讲话/n  \n"
    "19980101-01-001-002/m  中共中央/nt  总书记/n  、/w  国家/n  主席/n  江/nr  泽民/nr  \n"
    "19980101-01-001-003/m  （/w  一九九七年/t  十二月/t  三十一日/t  ）/w  \n"
    "19980101-01-001-004/m  １２月/t  ３１日/t  ，/w  中共中央/nt  总书记/n  、/w  国家/n  主席/n  江/nr  泽民/nr  "
    "发表/v  讲话/n  。/w  （/w  新华社/nt  记者/n  兰/nr  红光/nr  摄/Vg  ）/w  \n"
    "19980101-01-001-006/m  我/r  通过/p  [中央/n  人民/n  广播/vn  电台/n]nt  、/w  [中国/ns  国际/n  广播/vn  电台/n]nt  "
    "向/p  [香港/ns  特别/a  行政区/n]ns  同胞/n  、/w  澳门/ns  和/c  台湾/ns  同胞/n  致以/v  问候/vn  ！/w  \n"
)
LONDON = (
    "19980107-06-007-001/m  布莱尔/nr  会见/v  北爱/j  领导人/n  \n"
    "19980107-06-007-002/m  新华社/nt  伦敦/ns  １月/t  ５日/t  电/n  （/w  记者/n  江/nr  亚平/nr  ）/w  英国/ns  首相/n  "
    "布莱尔/nr  ５日/t  在/p  [唐宁街/ns  首相府/n]ns  会见/v  [北爱/j  统一党/n]nt  领导人/n  。/w  \n"
)
ZHU = (  # made up in the corpus's notation (no reserved day's text)
    "19980119-05-009-001/m  社科院/j  用/v  电脑/n  开会/v  \n"
    "19980119-05-009-002/m  本报/r  讯/Ng  记者/n  祝/nr  华新/nr  报道/v  ：/w  [中国/ns  社会/n  科学院/n]nt  "
    "近日/t  召开/v  工作/vn  会议/n  ，/w  与会者/n  用/v  电脑/n  查阅/v  文件/n  。/w  \n"
)
SHORT = (
    "19980112-02-018-001/m  大韩/ns  再保险/vn  公司/n  北京/ns  代表处/n  日前/t  正式/ad  成立/v  。/w  "
    "（/w  曹/nr  宝余/nr  ）/w  \n"
)


def pages(text, encoding="utf-8", **kwargs):
    return list(pfr.read_pages(io.BytesIO(text.encode(encoding)), **kwargs))


def article(text, encoding="utf-8"):
    (page,) = pages(text, encoding)
    (first,) = page.parsed.articles
    return first


def test_one_page_per_date_and_page_number():
    """Lines of two dates and two pages give three pages named by date and page."""
    found = pages(FRONT + SHORT + LONDON)
    assert [p.file_name for p in found] == ["19980101-01.pfr", "19980112-02.pfr", "19980107-06.pfr"]


def test_page_metadata_comes_from_the_line_ids():
    """The paper is 人民日报, the date is the day of the line id, the section 第N版."""
    (page,) = pages(LONDON)
    assert (page.meta.newspaper, page.meta.section) == ("人民日报", "第6版")
    assert page.meta.published.start == date(1998, 1, 7) and page.meta.published.precision == "day"


def test_one_article_per_article_id_at_its_number():
    """Articles are grouped by the third part of the line id and placed at that number."""
    (page,) = pages(FRONT + FRONT.replace("-01-001-", "-01-002-"))
    assert [a.position for a in page.parsed.articles] == [1, 2]


def test_gbk_input_with_stray_carriage_returns_reads_like_utf8():
    """GBK bytes with CRLF and CR CR LF line ends give the same articles as UTF-8."""
    crlf = (FRONT + LONDON).replace("\n", "\r\n").replace("电台/n]nt  \r\n", "电台/n]nt  \r\r\n")
    assert [a.headline for p in pages(crlf, "gbk") for a in p.parsed.articles] == \
        [a.headline for p in pages(FRONT + LONDON) for a in p.parsed.articles]


def test_headline_is_the_first_short_paragraph_without_final_punctuation():
    """The first short paragraph not ending in 。 is the headline; an author line is not."""
    first = article(FRONT)
    assert first.headline == "迈向充满希望的新世纪——一九九八年新年讲话"
    assert first.paragraphs[0] == "中共中央总书记、国家主席江泽民"


def test_kicker_headline_and_deck_from_three_heading_paragraphs():
    """Three heading paragraphs are 引题, 主题 and 副题, in that order."""
    text = (
        "19980102-01-003-001/m  迎/v  新春/t  \n"
        "19980102-01-003-002/m  首都/n  各界/r  联欢/v  \n"
        "19980102-01-003-003/m  ——/w  记/v  一/m  次/q  晚会/n  \n"
        "19980102-01-003-004/m  晚会/n  很/d  热闹/a  。/w  \n"
    )
    found = article(text)
    assert (found.kicker, found.headline, found.subheadline) == ("迎新春", "首都各界联欢", "——记一次晚会")


def test_a_nameless_author_under_the_headline_is_the_byline_not_the_headline():
    """本报评论员 printed under 论“从当地实际出发” is the author; the title stays the headline."""
    text = (
        "19980105-01-003-001/m  论/v  “/w  从/p  当地/s  实际/n  出发/v  ”/w  \n"
        "19980105-01-003-002/m  本报/r  评论员/n  \n"
        "19980105-01-003-003/m  做/v  任何/r  工作/vn  一定/d  要/v  从/p  当地/s  实际/n  出发/v  。/w  \n"
    )
    found = article(text)
    assert (found.kicker, found.headline, found.byline) == ("", "论“从当地实际出发”", "本报评论员")
    assert found.paragraphs == ["做任何工作一定要从当地实际出发。"]


def test_an_item_without_headline_gets_a_derived_one():
    """A one-paragraph item has no printed headline: one is derived and marked so."""
    found = article(SHORT)
    assert found.headline_derived and found.headline.startswith("大韩再保险公司北京代表处")


def test_dateline_byline_with_reporter_word():
    """本报讯记者祝华新报道： makes 祝华新 the reporter, not a person mentioned."""
    found = article(ZHU)
    assert found.reporters == ["祝华新"]
    assert "祝华新" not in [p.name for p in found.persons]


def test_bracketed_reporter_after_agency_dateline():
    """新华社伦敦１月５日电（记者江亚平） makes 江亚平 the reporter."""
    assert article(LONDON).reporters == ["江亚平"]


def test_bare_bracketed_name_at_the_end_is_the_reporter():
    """（曹宝余） closing the last paragraph is a byline."""
    assert article(SHORT).reporters == ["曹宝余"]


def test_photo_credit_names_the_photographer():
    """（新华社记者兰红光摄） credits a photographer and marks the article as carrying a photo."""
    found = article(FRONT)
    assert found.photographers == ["兰红光"] and found.photo


def test_persons_merge_surname_and_given_name():
    """江/nr 泽民/nr is one person, 江泽民; a foreign name is one token."""
    assert [p.name for p in article(FRONT).persons] == ["江泽民"]
    assert [p.name for p in article(LONDON).persons] == ["布莱尔"]


def test_adjacent_names_split_into_pairs():
    """江/nr 泽民/nr 李/nr 鹏/nr are two people; 陈/nr 方/nr 安生/nr is one."""
    words = "江 泽民 李 鹏".split()
    assert [r[2] for r in pfr.person_runs(["nr"] * 4, words)] == ["江泽民", "李鹏"]
    assert [r[2] for r in pfr.person_runs(["nr"] * 3, ["陈", "方", "安生"])] == ["陈方安生"]


def test_organisations_from_nt_tokens_and_bracketed_compounds():
    """中共中央/nt and [中国/ns 国际/n 广播/vn 电台/n]nt are organisations."""
    orgs = article(FRONT).organizations
    assert {"中共中央", "中央人民广播电台", "中国国际广播电台"} <= set(orgs)


def test_places_include_tokens_nested_in_compounds():
    """The article is about its places: 中国 inside the nt compound counts, 香港特别行政区 too."""
    found = pfr.places(pfr.split_line(FRONT.splitlines()[4]))
    assert {"中国", "香港特别行政区", "澳门", "台湾"} <= set(found)


def test_line_id_used_twice_keeps_both_paragraphs():
    """The corpus prints 19980127-09-001-032 twice: both paragraphs stay in the article."""
    text = (
        "19980127-09-001-031/m  好/a  学生/n  \n"
        "19980127-09-001-032/m  ９月/t  １０日/t  ，/w  王/nr  国栋/nr  来到/v  大学/n  。/w  \n"
        "19980127-09-001-032/m  埋头/v  学习/v  的/u  王/nr  国栋/nr  牵挂/v  孩子/n  。/w  \n"
    )
    assert len(article(text).paragraphs) == 2


def test_shifted_copy_moves_dates_and_keeps_the_note():
    """shift_days moves the page's date and name; the note says what the copy is."""
    (page,) = pages(LONDON, shift_days=31, note="synthetic copy 2")
    assert page.file_name == "19980207-06.pfr" and page.meta.note == "synthetic copy 2"


def test_text_without_pfr_lines_is_refused():
    """A file with no PFR line ids raises SourceError."""
    with pytest.raises(pfr.SourceError):
        pages("这不是语料\n")


@pytest.mark.django_db
def test_ingest_format_pfr_loads_pages_articles_and_entities(tmp_path):
    """`ingest --format pfr` stores pages, articles, reporters, persons, organisations and places."""
    corpus = tmp_path / "pd.txt"
    corpus.write_bytes((FRONT + LONDON + ZHU).encode("gbk"))
    call_command("ingest", str(corpus), format="pfr", no_index=True)
    assert Page.objects.count() == 3 and Article.objects.count() == 3
    assert PersonMention.objects.filter(person__name="江亚平", role="reporter").exists()
    assert Person.objects.filter(name="江泽民").exists()
    assert Organization.objects.filter(name="中国国际广播电台").exists()
    london = Article.objects.get(page__file_name="19980107-06.pfr")
    assert "英国" in {d.name for d in london.districts.all()}
    # The gazetteer's country, not a new place made of the tag.
    assert District.objects.get(name="英国").label == "国家"


@pytest.mark.django_db
def test_ingest_format_pfr_twice_changes_nothing(tmp_path, capsys):
    """The same corpus again reports every page unchanged."""
    corpus = tmp_path / "pd.txt"
    corpus.write_text(FRONT + LONDON, encoding="utf-8")
    call_command("ingest", str(corpus), format="pfr", no_index=True)
    call_command("ingest", str(corpus), format="pfr", no_index=True)
    assert "2 unchanged" in capsys.readouterr().out
    assert Article.objects.count() == 2


def test_a_page_whose_lines_are_apart_keeps_every_article():
    """Page 01's lines before and after another page's make one page with all its articles."""
    second, third = (FRONT.replace("-01-001-", f"-01-00{n}-") for n in (2, 3))
    found = pages(FRONT + second + SHORT + third)
    assert [p.file_name for p in found] == ["19980101-01.pfr", "19980112-02.pfr"]
    assert [a.position for a in found[0].parsed.articles] == [1, 2, 3]


@pytest.mark.django_db
def test_ingest_of_a_page_whose_lines_are_apart_loads_each_article_once(tmp_path, capsys):
    """The page is created once with all its articles, never "updated" by its own second half."""
    corpus = tmp_path / "pd.txt"
    corpus.write_text(FRONT + SHORT + FRONT.replace("-01-001-", "-01-002-"), encoding="utf-8")
    call_command("ingest", str(corpus), format="pfr", no_index=True)
    assert "2 created, 0 updated" in capsys.readouterr().out
    assert Article.objects.filter(page__file_name="19980101-01.pfr").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("text, options, problem", [
    (SHORT.replace("19980112", "19980231"), {}, "19980231 is not a date"),
    (SHORT, {"shift_days": 10 ** 10}, "outside the years 1 to 9999"),
    (SHORT, {"shift_days": 3_000_000}, "outside the years 1 to 9999"),
    (SHORT, {"shift_days": -800_000}, "outside the years 1 to 9999"),
])
def test_impossible_dates_are_refused_naming_the_file_and_load_nothing(tmp_path, text, options, problem):
    """An impossible date or a shift off the calendar is a message naming the file, no traceback, no page."""
    corpus = tmp_path / "bad.txt"
    corpus.write_text(LONDON + text, encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("ingest", str(corpus), format="pfr", no_index=True, **options)
    assert str(corpus) in str(failure.value) and problem in str(failure.value)
    assert Page.objects.count() == 0
