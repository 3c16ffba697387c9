"""Nothing lost: every printed character of a page lands in exactly one article or in the leftovers.

A property test over generated pages (hypothesis): articles with and without
headlines, kickers, decks, ●/■ lists, datelines, bylines above and after the
text, narrow columns and long lines, column breaks, stray headings and bylines.
"""
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest.parser import parse_page

SENTENCES = ["郑州市召开防汛工作会议，部署全年任务。", "会议要求各地抓好落实，确保安全度汛。",
             "据了解，今年全市共投入资金一千二百万元。", "“我们一定把好事办好。”他说。",
             "群众纷纷表示满意", "截至目前，已完成工程量的百分之八十", "北京１月５日", "（孙海涛　胡跃平）"]
HEADINGS = ["郑东新区召开会议", "深圳地铁将设立ＶＩＰ头等车厢　买双倍票可享坐票", "——访区委书记张三",
            "■ 相关新闻", "●全市投入资金一千万元", "本报评论员", "新春走基层", "（附图片１张）", "论统揽全局"]
DATELINES = ["本报讯　", "本报郑州7月18日电　", "新华社北京１月２１日电（记者杨兴国）", "南都讯　记者刘凡　",
             "【大河报讯】", "本报记者李中文报道：", "人民网６月１１日电　", ""]
BYLINES = ["记者　王阳", "（记者　王阳　通讯员　李四）", "本报记者　马燕", "新华社记者王永治牛爱民", "王阳　摄"]

paragraph = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5).map("".join)
article = st.fixed_dictionaries({
    "heading": st.lists(st.sampled_from(HEADINGS), max_size=3),
    "after": st.booleans(),
    "dateline": st.sampled_from(DATELINES),
    "paragraphs": st.lists(paragraph, min_size=1, max_size=4),
    "top": st.none() | st.sampled_from(BYLINES),
    "end": st.none() | st.sampled_from(BYLINES),
    "width": st.none() | st.integers(13, 22),
    "gap": st.integers(0, 4),
    "indent": st.booleans(),
})


def lay_out(spec) -> str:
    paragraphs = list(spec["paragraphs"])
    paragraphs[0] = spec["dateline"] + paragraphs[0]
    body = []
    for text in paragraphs:
        text = ("　　" if spec["indent"] else "") + text
        if spec["width"]:
            body += [text[i:i + spec["width"]] for i in range(0, len(text), spec["width"])]
        else:
            body += [text, ""]
    if spec["top"]:
        body.insert(0, spec["top"])
    if spec["end"]:
        body.append(spec["end"])
    gap = [""] * spec["gap"]
    lines = body + gap + spec["heading"] if spec["after"] else spec["heading"] + gap + body
    return "\n".join(lines)


pages = st.tuples(st.lists(article, min_size=1, max_size=6), st.lists(st.integers(0, 4), min_size=6, max_size=6),
                  st.sampled_from(["\n", "\r\n"]))


def page_text(page) -> str:
    specs, gaps, newline = page
    return newline.join(lay_out(spec) + "\n" * gaps[k] for k, spec in enumerate(specs))


def printed_offsets(text: str) -> set[int]:
    return {i for i, c in enumerate(text) if not c.isspace() and c != "\ufeff"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_every_character_in_one_article_or_in_the_leftovers(page):
    """Article spans and leftover spans are disjoint and together cover every printed character."""
    text = page_text(page)
    parsed = parse_page(text)
    covered = Counter()
    for start, end in [(a.span_start, a.span_end) for a in parsed.articles] + list(parsed.leftovers):
        covered.update(i for i in range(start, end) if not text[i].isspace() and text[i] != "\ufeff")
    assert set(covered) == printed_offsets(text), "a printed character is in no article and not reported"
    assert all(count == 1 for count in covered.values()), "a printed character is in two places"


@settings(max_examples=100, deadline=None)
@given(pages)
def test_article_text_comes_from_its_own_span(page):
    """Each article's paragraphs are made of the characters of its own span, none invented or borrowed."""
    text = page_text(page)
    for article in parse_page(text).articles:
        span = Counter(c for c in text[article.span_start:article.span_end] if not c.isspace())
        body = Counter(c for c in "".join(article.paragraphs) if not c.isspace())
        assert not body - span, f"article {article.position} has text from outside its span"
