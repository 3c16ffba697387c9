"""Persons: the model's names and what confirms them, titles on the PFR path, the corpus's
notation for unprintable characters, and names sorted by their surname's reading."""
from datetime import date

import pytest

from archive.ingest import entities, names, notation, person_model, pfr, proposals, surnames
from archive.ingest import types as T
from archive.ingest.dates import PartialDate

from .builders import make_article, make_person, mention



def pfr_article(*lines, not_persons=frozenset()):
    paragraphs = [pfr.split_line(line) for line in lines]
    return pfr.build_article(1, paragraphs, PartialDate.day(date(1998, 1, 2)), not_persons)


def plain_article(*paragraphs, headline="标题"):
    article = T.ParsedArticle(position=1, headline=headline, paragraphs=list(paragraphs))
    return entities.extract_entities(article, PartialDate.day(date(1998, 1, 2)))


# -- surname readings -------------------------------------------------------------------


@pytest.mark.parametrize("name, reading", [
    ("曾庆红", "zeng1"), ("单霁翔", "shan4"), ("仇和", "qiu2"), ("解振华", "xie4"), ("覃岩峰", "qin2"),
    ("区永熙", "ou1"), ("查良镛", "zha1"), ("朴槿惠", "piao2"), ("尉迟恭", "yu4 chi2"), ("万俟卨", "mo4 qi2"),
    # Added after checking the table against pinyin-pro's surname table.
    ("葛优", "ge3"), ("宁浩", "ning4"), ("肖扬", "xiao1"), ("卜键", "bu3"), ("乐正克", "yue4 zheng4"),
])
def test_surname_read_as_a_surname(name, reading):
    """The sort key starts with the surname's reading as a surname, not pypinyin's word reading."""
    assert surnames.sort_key(name).startswith(reading + " ")


def test_transcribed_name_read_as_written():
    """查尔斯 (Charles) is chá, not the surname zhā: a name of three characters after 查 is no Chinese name."""
    assert surnames.sort_key("查尔斯·王").startswith("cha2")


@pytest.mark.django_db
def test_person_list_sorts_by_surname_reading(client):
    """常 chāng < 曾 zēng < 张 zhāng; read as céng, 曾庆红 would come before 常三."""
    from django.urls import reverse

    for name in ("曾庆红", "常三", "张三"):
        mention(make_article(), make_person(name))
    html = client.get(reverse("archive:persons")).content.decode()
    assert html.index("常三") < html.index("曾庆红") < html.index("张三")


# -- the notation for characters outside GB2312 -----------------------------------------


@pytest.mark.parametrize("printed, stored", [
    ("何鸿（申音）", "何鸿燊"),
    ("秦惠（君音）", "秦惠䇹"),
    ("曹（凡音）生", "曹□生"),
    ("陈〈民音〉", "陈□"),
    ("薛昭（上均＋下金）", "薛昭鋆"),
])
def test_notation_decoded_or_marked(printed, stored):
    """Known people's characters are restored; an undecodable one becomes the unknown mark."""
    assert notation.normalise(printed) == stored


def test_ordinary_brackets_are_no_notation():
    """（记者张荣典） and （女） are left as printed."""
    text = "新华社北京１月１日电（记者张荣典）黄植诚（女）"
    assert notation.normalise(text) == text


def test_pfr_names_never_hold_a_bracket():
    """林/nr 嘉（马来）/nr, a note the table does not know, is stored with the unknown mark."""
    assert [r[2] for r in pfr.person_runs(["nr", "nr"], ["林", "嘉（马来）"])] == ["林嘉□"]
    assert [r[2] for r in pfr.person_runs(["nr", "nr"], ["何", "鸿（申音）"])] == ["何鸿燊"]


@pytest.mark.django_db
def test_person_page_explains_the_unknown_mark(client):
    """A name with □ says on its page what the mark stands for."""
    person = make_person("曹□生")
    mention(make_article(), person)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "GB2312" in html and "□" in html


@pytest.mark.django_db
def test_person_page_without_unknown_mark_has_no_note(client):
    person = make_person("何鸿燊")
    mention(make_article(), person)
    assert "GB2312" not in client.get(person.get_absolute_url()).content.decode()


# -- the PFR path: pairs, titles, what is no person ----------------------------------


def test_pen_name_and_third_name_are_not_merged():
    """剑武/nr 安/nr 远远/nr is 剑武 and 安远远; 焦/nr 秋生/nr 银春/nr is 焦秋生 and 银春."""
    assert [r[2] for r in pfr.person_runs(["nr"] * 3, ["剑武", "安", "远远"])] == ["剑武", "安远远"]
    assert [r[2] for r in pfr.person_runs(["nr"] * 3, ["焦", "秋生", "银春"])] == ["焦秋生", "银春"]


def test_pfr_person_gets_every_title_printed():
    """中共中央总书记、国家主席江泽民: both titles, as printed."""
    a = pfr_article("19980101-01-001-004/m  １２月/t  ３１日/t  ，/w  中共中央/nt  总书记/n  、/w  国家/n  "
                    "主席/n  江/nr  泽民/nr  发表/v  讲话/n  。/w  ")
    assert [(p.name, p.title) for p in a.persons] == [("江泽民", "中共中央总书记、国家主席")]


def test_pfr_title_stops_at_a_dateline_byline():
    """新华社北京１月１日电（记者张荣典）国家副主席荣毅仁: the title is 国家副主席."""
    a = pfr_article("19980102-01-002-002/m  新华社/nt  北京/ns  １月/t  １日/t  电/n  （/w  记者/n  张/nr  荣典/nr  ）/w  "
                    "国家/n  副/b  主席/n  荣/nr  毅仁/nr  今天/t  会见/v  了/u  客人/n  。/w  ")
    assert {p.name: p.title for p in a.persons}["荣毅仁"] == "国家副主席"


def test_pfr_title_holds_no_other_person():
    """江泽民总书记、李鹏总理: 李鹏 is not titled 江泽民总书记."""
    a = pfr_article("19980102-01-003-002/m  江/nr  泽民/nr  总书记/n  、/w  李/nr  鹏/nr  总理/n  出席/v  。/w  ")
    assert {p.name: p.title for p in a.persons}["李鹏"] == ""


def test_quoted_name_is_no_person():
    """“阿波罗”载人飞船 is a spacecraft."""
    a = pfr_article("19980102-04-001-003/m  把/p  ６/m  艘/q  “/w  阿波罗/nr  ”/w  载人/b  飞船/n  送/v  上/v  了/u  月球/n  。/w  ")
    assert a.persons == []


def test_word_tagged_a_place_more_often_is_no_person(tmp_path):
    """阿布扎比/nr once and /ns twice: the corpus's own tags vote it a place."""
    corpus = tmp_path / "c.txt"
    corpus.write_text(
        "19980102-06-001-001/m  新华社/nt  阿布扎比/ns  １月/t  ８日/t  电/n  \n"
        "19980102-06-001-002/m  阿布扎比/nr  王族/n  表示/v  愿意/v  。/w  \n"
        "19980102-06-002-001/m  本报/r  阿布扎比/ns  １月/t  １日/t  电/n  布莱尔/nr  表示/v  。/w  \n",
        encoding="utf-8")
    assert "阿布扎比" in pfr.tag_votes(corpus)
    persons = {p.name for page in pfr.read_pages(corpus) for a in page.parsed.articles for p in a.persons}
    assert persons == {"布莱尔"}


# -- the plain-text path: the model proposes, the rules confirm -----------------------


def test_model_file_ships_and_is_small():
    """The CRF is in the repository (a fresh clone has it) and under the 4 MB limit."""
    assert person_model.MODEL.is_file() and person_model.MODEL.stat().st_size < 4_000_000


def test_untitled_chinese_and_foreign_names_found():
    """Names with no title before them, Chinese and transcribed, are found."""
    a = plain_article("樱内义雄在会见时说，两国关系正在改善。库克和王大力出席了晚宴。")
    assert {"樱内义雄", "库克", "王大力"} <= {p.name for p in a.persons}


@pytest.mark.parametrize("word", ["冷科长", "北京", "李女士", "秦皇岛", "李宁集团", "人民", "发展"])
def test_model_proposals_that_are_no_name(word):
    """A title, a place, a form of address, a company or an ordinary word is no person."""
    assert not proposals.plausible_model_name(word, frozenset({"北京"}))


def test_model_name_gets_the_title_before_it():
    """A name only the model finds keeps the title printed before it."""
    a = plain_article("日本众议院议长樱内义雄会见了代表团。")
    assert {p.name: p.title for p in a.persons}.get("樱内义雄") == "日本众议院议长"


def test_model_name_title_holds_no_other_person():
    """钱其琛和南非外交部长恩佐: 恩佐's title is 南非外交部长."""
    assert entities._after_persons("国务院副总理兼外交部长钱其琛和南非外交部长", ["钱其琛"]) == "南非外交部长"


def test_model_end_replaces_an_untitled_rule_guess():
    """The rules' 贾雅 is the model's 贾雅辛格; a titled name or one the page knows stays."""
    assert entities._guessed_otherwise("贾雅辛格", {"贾雅": T.PersonRef("贾雅")}, frozenset()) == "贾雅"
    assert entities._guessed_otherwise("贾雅辛格", {"贾雅": T.PersonRef("贾雅", "总统")}, frozenset()) == ""
    assert entities._guessed_otherwise("贾雅辛格", {"贾雅": T.PersonRef("贾雅")}, frozenset({"贾雅"})) == ""


def test_notation_never_in_a_plain_text_name():
    """何鸿（申音） printed in plain text is stored as 何鸿燊."""
    a = plain_article("澳门知名人士何鸿（申音）出席了仪式。")
    names = {p.name for p in a.persons}
    assert not any("音" in n or "（" in n for n in names)


def test_byline_name_is_not_also_mentioned():
    """A reporter of the byline is not listed again as a person mentioned."""
    article = T.ParsedArticle(position=1, headline="标题", reporters=["龚永泉"],
                              paragraphs=["本报南京１月４日电记者龚永泉报道：江苏省委书记陈焕友说，要办实事。"])
    entities.extract_entities(article, None)
    assert [p.name for p in article.persons] == ["陈焕友"]


def test_titled_model_name_stands_though_an_everyday_word():
    """利维 reads as a word; printed right after 外长 it is the minister."""
    assert not proposals.plausible_model_name("利维", frozenset())
    a = plain_article("以色列外长利维今天宣布，他将出访欧洲。")
    assert {p.name: p.title for p in a.persons}.get("利维") == "以色列外长"


def test_listed_model_name_stands_though_an_everyday_word():
    """程志 reads as a word; between two names in a list it is a singer."""
    assert not proposals.plausible_model_name("程志", frozenset())
    a = plain_article("晚会上，董文华、程志、殷秀梅演唱了新歌。")
    assert {"董文华", "程志", "殷秀梅"} <= {p.name for p in a.persons}


def test_everyday_word_alone_stays_no_person():
    """The list rule needs a name beside the word: 程志 printed alone is not vouched for."""
    a = plain_article("他的程志高远，工作出色。")
    assert "程志" not in {p.name for p in a.persons}


def test_model_name_continues_a_titled_name_cut_short():
    """The title rule reads 孙家 (正在 is a word); the model's whole 孙家正 replaces it, title kept."""
    a = plain_article("广播电影电视部部长孙家正在会议上强调，要办好节目。")
    assert [(p.name, p.title) for p in a.persons] == [("孙家正", "广播电影电视部部长")]


@pytest.mark.parametrize("printed, names", [
    ("徐烨谢奇", ["徐烨", "谢奇"]), ("陈宗安卢晶", ["陈宗安", "卢晶"]), ("桂望国曹冬蓉", ["桂望国", "曹冬蓉"]),
])
def test_credit_of_two_names_is_split(printed, names):
    """Two names a photo credit prints together are two, of two or three characters each."""
    assert proposals._split_pair(printed) == names


@pytest.mark.parametrize("text, offset, proposed, name", [
    ("歌手杨宗宪闻讯赶来", 2, "杨宗宪闻讯", "杨宗宪"), ("病榻前，曹禺提起往事", 4, "曹禺提起", "曹禺"),
    ("日本前首相田中角荣访华", 5, "田中角荣", "田中角荣"), ("斯里兰卡总统贾雅辛格说", 6, "贾雅辛格", "贾雅辛格"),
])
def test_long_proposal_cut_where_a_word_starts(text, offset, proposed, name):
    """A name after a Chinese surname ends where an everyday word starts; one that does not stays whole."""
    assert proposals._trimmed(text, offset, proposed) == name


def test_name_after_a_noun_for_a_person():
    """民警, 科学家 are no titles, but a name follows them: 民警陆国梁, 科学家夏训诚."""
    found = names.find_person_noun_names("民警陆国梁被派到那里，著名科学家夏训诚认为如此。")
    assert [n for _, n in found] == ["陆国梁", "夏训诚"]


def test_noun_for_a_person_before_a_word_is_no_name():
    """专家高度评价, 运动员曾被: a surname that starts a word or a verb after it makes no name."""
    assert names.find_person_noun_names("专家高度评价这项成果，运动员曾被禁赛。") == []


def test_name_joined_by_and_to_a_found_name():
    """饶琅和李荣娟: a name joined by 和 to one already found is found; 二陈兄弟 is not one."""
    assert names.find_names_beside("中国队饶琅和李荣娟获亚军", ["李荣娟"]) == [(3, "饶琅")]
    assert names.find_names_beside("选手吴艳艳和瞿韵在比赛中", ["吴艳艳"]) == [(6, "瞿韵")]
    assert names.find_names_beside("二陈兄弟和小贾送我出村", ["小贾"]) == []


def test_model_name_vouched_by_a_title_after_it():
    """桥本 reads as a word; with 首相 printed after it, it is the prime minister."""
    assert not proposals.plausible_model_name("桥本", frozenset())
    a = plain_article("瓦力转达了桥本首相对中国人民的问候。")
    assert "桥本" in {p.name for p in a.persons}


def test_word_listed_between_two_names_is_a_name():
    """阎肃、甲丁、温中甲: 甲丁 has no common surname, but stands between two names."""
    assert names.find_names_between("本片由阎肃、甲丁、温中甲作词", ["阎肃", "温中甲"]) == [(6, "甲丁")]
    assert names.find_names_between("本片由阎肃、北京、上海出品", ["阎肃"]) == []


def test_model_asked_again_after_a_title():
    """大臣瓦力: the model marks nothing there, but right after a title its second opinion is a name."""
    text = "李鹏会见日本建设大臣瓦力时说，两国是邻邦。"
    assert "瓦力" not in {n for _, n in person_model.find_names(text)}
    assert "瓦力" in {p.name for p in plain_article(text).persons}


def test_name_after_jiao_is_asked_again():
    """这家妈妈叫晋朝荣: 晋朝 is a word, but after 叫 the model's likely name stands."""
    assert "晋朝荣" in {p.name for p in plain_article("这家妈妈叫晋朝荣,也是大学生。").persons}


def test_no_second_opinion_without_a_likely_name():
    """After a title the model is asked again, but a word it thinks no name stays none (主任|认为)."""
    assert {p.name for p in plain_article("办公室主任认为，这项工作很重要。").persons} == set()


@pytest.mark.parametrize("text, word", [
    ("他仍专心致志地工作在省会长春安装工地上。", "春安"), ("２、缅怀周总理恩德友好永远", "恩德"),
    ("哥旅游部长顾问阿马丽亚接受记者采访", "顾问"),
])
def test_no_second_opinion_where_the_role_is_inside_a_word(text, word):
    """省会|长春 holds 会长, 周总理 holds 总理: a role inside a word is no cue for a name after it,
    nor is an everyday word after a role (部长|顾问) a name."""
    assert word not in {p.name for p in plain_article(text).persons}


def test_list_read_again_with_the_model_names():
    """杭天琪 has no common surname: found by the model, the list runs on to 张也 before the ellipsis."""
    a = plain_article("晚会上，刘欢、董文华、韦唯、杭天琪、张也……多少明星登台。")
    assert {"杭天琪", "张也"} <= {p.name for p in a.persons}
