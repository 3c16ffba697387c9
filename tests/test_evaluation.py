"""The splitter's scoring against a gold file (archive/ingest/evaluation.py)."""
import json

from archive.ingest.evaluation import load_gold, score_page
from archive.ingest.types import ParsedArticle

GOLD = [
    dict(file="p.txt", headline="甲地举行会议", body_starts="本报讯甲地昨天举行会议", body_ends="会议结束。",
         persons=["张三"]),
    dict(file="p.txt", headline="乙地修路", body_starts="本报讯乙地修路", body_ends="明年通车。", persons=["李四"]),
]


def article(position, headline, *paragraphs, derived=False, **extra):
    return ParsedArticle(position=position, headline=headline, headline_derived=derived,
                         paragraphs=list(paragraphs), **extra)


def test_two_articles_found_whole_with_their_headlines():
    """Each gold article matched by its first and last characters, headline compared without spaces."""
    found = [article(1, "甲地举行会议", "本报讯 甲地昨天举行会议，", "会议结束。"),
             article(2, "乙地　修路", "本报讯乙地修路，明年通车。")]
    score = score_page(found, GOLD)
    assert (score.whole, score.headlines) == (2, 2)


def test_merged_articles_are_not_whole():
    """Two gold articles run together: neither is whole; the first keeps its headline."""
    found = [article(1, "甲地举行会议", "本报讯甲地昨天举行会议，会议结束。", "乙地修路", "本报讯乙地修路，明年通车。")]
    score = score_page(found, GOLD)
    assert (score.whole, score.headlines) == (0, 1)


def test_split_article_is_not_whole():
    """An article cut in two does not count as found whole."""
    found = [article(1, "甲地举行会议", "本报讯甲地昨天举行会议，"), article(2, "会议结束", "会议结束。", derived=True),
             article(3, "乙地修路", "本报讯乙地修路，明年通车。")]
    assert score_page(found, GOLD).whole == 1


TWINS = [
    dict(file="p.txt", headline="中行盈利", body_starts="本报北京１月１４日讯记者施明", body_ends="增长６６％。", persons=[]),
    dict(file="p.txt", headline="交行盈利", body_starts="本报北京１月１４日讯记者施明", body_ends="回笼计划。", persons=[]),
]


def test_two_articles_opening_alike_are_each_whole():
    """Two gold articles with the same first characters are each found whole by their own ends."""
    found = [article(1, "中行盈利", "本报北京１月１４日讯记者施明慎报道：中行利润增长６６％。"),
             article(2, "交行盈利", "本报北京１月１４日讯记者施明慎报道：交行完成回笼计划。")]
    assert (score_page(found, TWINS).whole, score_page(found, TWINS).headlines) == (2, 2)


def test_one_of_two_articles_opening_alike_is_scored_beside_the_other():
    """Scoring one gold entry of a page (as --show does) counts its twin: it is whole."""
    found = [article(1, "中行盈利", "本报北京１月１４日讯记者施明慎报道：中行利润增长６６％。"),
             article(2, "交行盈利", "本报北京１月１４日讯记者施明慎报道：交行完成回笼计划。")]
    score = score_page(found, TWINS, entries=TWINS[:1])
    assert (score.articles, score.whole, score.headlines) == (1, 1, 1)


def test_split_is_not_whole_beside_an_article_opening_alike():
    """A third parsed article opening the same way (a split) spoils both."""
    found = [article(1, "中行盈利", "本报北京１月１４日讯记者施明慎报道：中行利润增长６６％。"),
             article(2, "交行盈利", "本报北京１月１４日讯记者施明慎报道：交行完成回笼计划。"),
             article(3, "交行", "本报北京１月１４日讯记者施明慎报道：交行")]
    assert score_page(found, TWINS).whole == 0


def test_byline_above_counts_as_text_beside_one_below():
    """A byline taken from above the text opens it even when one from below is joined to it."""
    gold = [dict(file="p.txt", headline="激动人心的时刻", body_starts="本报驻南非记者温宪１月１日，",
                 body_ends="国旗。", persons=[])]
    found = [article(1, "激动人心的时刻", "１月１日，大使馆开馆，升国旗。",
                     byline="本报驻南非记者温宪 （新华社记者李学仁摄）")]
    assert score_page(found, gold).whole == 1


def test_derived_headline_is_not_exact():
    """A derived headline never counts as the printed one, even with the same words."""
    found = [article(1, "甲地举行会议", "本报讯甲地昨天举行会议，会议结束。", derived=True)]
    assert score_page(found, GOLD[:1]).headlines == 0


def test_persons_compared_per_page():
    """A name the gold has counts as found in any article of the page; a name it lacks is wrong."""
    from archive.ingest.types import PersonRef
    found = [article(1, "甲地举行会议", "本报讯甲地昨天举行会议，会议结束。", persons=[PersonRef("李四"), PersonRef("王五")]),
             article(2, "乙地修路", "本报讯乙地修路，明年通车。")]
    score = score_page(found, GOLD)
    assert (score.persons_tp, score.persons_fp, score.persons_fn) == (1, 1, 1)


def test_dateline_and_byline_scored_when_the_gold_has_them():
    """Optional gold keys: the lead must start with the dateline, the reporters must be found."""
    gold = [dict(GOLD[0], dateline="本报讯", reporters=["张三"])]
    found = [article(1, "甲地举行会议", "本报讯甲地昨天举行会议，会议结束。", lead="本报讯", reporters=["赵六"])]
    score = score_page(found, gold)
    assert (score.datelines, score.datelines_gold, score.bylines, score.bylines_gold) == (1, 1, 0, 1)


def test_seed_key_read_with_its_persons(tmp_path):
    """The seeds' key shape: officials, interviewee and reporters are its persons."""
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"articles": [dict(
        file="a.txt", headline=None, body_starts="x", body_ends="y", reporters=["王阳"],
        officials=[{"name": "孙建功", "title": "书记"}], other_persons=[], interviewee=None)]}), encoding="utf-8")
    assert load_gold(path)[0]["persons"] == ["孙建功", "王阳"]
