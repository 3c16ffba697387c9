"""Layout repair: spaces, sentence ends, joining wrapped lines, and odd page text."""
import time

from archive.ingest.layout import (
    column_width, ends_sentence, is_wrapped, join_paragraphs, normalize_heading,
    normalize_spaces, visual_width,
)
from archive.ingest.parser import parse_page
from archive.ingest.structure import split_page


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def lines(*texts):
    """(text, blanks before, indented) items; "" in the arguments stands for one blank line."""
    items, blanks = [], 0
    for text in texts:
        if text == "":
            blanks += 1
            continue
        items.append((text, blanks, False))
        blanks = 0
    return items


# -- spaces -------------------------------------------------------------------------


def test_space_between_cjk_is_removed():
    """Justification spaces between CJK characters and punctuation go."""
    assert normalize_spaces("孙建 功表 示 ，郑 东 新 区 将") == "孙建功表示，郑东新区将"


def test_space_between_cjk_and_digits_or_latin_is_removed():
    """A space next to a CJK character goes even when the other side is Latin or a digit."""
    assert normalize_spaces("组织 50余名") == "组织50余名"
    assert normalize_spaces("主题 IP农旅") == "主题IP农旅"
    assert normalize_spaces("本报讯 7月18日,郑东新区") == "本报讯7月18日,郑东新区"


def test_space_between_latin_runs_is_kept_single():
    """Between two Latin or digit runs one space stays."""
    assert normalize_spaces("RCEP   2.0 版") == "RCEP 2.0版"


def test_ideographic_and_outer_spaces_go():
    """Full-width spaces, tabs and outer whitespace are removed around CJK text."""
    assert normalize_spaces("\u3000\u3000郑州\t高新 ") == "郑州高新"


def test_heading_keeps_its_printed_space():
    """A headline keeps the gap between its phrases, collapsed to one space."""
    assert normalize_heading(" 郑东新区  召开“双改”工作推进会\u3000") == "郑东新区 召开“双改”工作推进会"


def test_long_run_of_spaces_is_fast():
    """A million spaces between two letters are handled in linear time."""
    start = time.perf_counter()
    assert normalize_spaces("a" + " " * 1_000_000 + "b") == "a b"
    assert time.perf_counter() - start < 0.5


# -- sentence ends and widths ---------------------------------------------------------


def test_full_stop_and_quote_after_it_end_a_sentence():
    """。 and 。” end a sentence."""
    assert ends_sentence("持续扩大消费。") and ends_sentence("为群众做好服务。”")


def test_closing_quote_inside_a_sentence_does_not_end_it():
    """A quote that closes a term inside a sentence (“三会一课”) does not end it."""
    assert not ends_sentence("识与党组织生活“三会一课”")
    assert not ends_sentence("扎实推进“五")


def test_colon_ends_only_when_asked():
    """A final colon ends a paragraph on long-line pages only."""
    assert not ends_sentence("提出三点要求:") and ends_sentence("提出三点要求:", colon=True)


def test_visual_width_counts_latin_as_half():
    """Latin letters and digits are half as wide as CJK characters; spaces count nothing."""
    assert visual_width("郑州 RCEP") == 4.0


def test_narrow_lines_are_wrapped_and_long_ones_not():
    """Lines of 14 characters are a wrapped column; lines of 100 are one paragraph each."""
    assert is_wrapped([14, 15, 13, 14]) and not is_wrapped([100, 120, 14, 90])
    assert column_width([14, 14, 15, 15, 9]) == 15


# -- joining lines --------------------------------------------------------------------


def test_wrapped_lines_join_into_one_paragraph():
    """Lines of a narrow column join without spaces."""
    assert join_paragraphs(lines("郑东新区党工委书记孙建 功", "表 示 ，郑 东 新 区 将", "按照要求推进。"),
                           wrapped=True, width=14) == ["郑东新区党工委书记孙建功表示，郑东新区将按照要求推进。"]


def test_column_break_inside_a_word_is_joined():
    """培 / blank / 育。 is one word cut by a column break."""
    assert join_paragraphs(lines("等领域产业培", "", "育。同步加大招商"), wrapped=True, width=14) == [
        "等领域产业培育。同步加大招商"]


def test_blank_after_a_sentence_is_a_paragraph_break():
    """In wrapped text a blank line after 。 starts a new paragraph."""
    assert join_paragraphs(lines("化取得更大突破。", "", "因地制宜发展"), wrapped=True, width=14) == [
        "化取得更大突破。", "因地制宜发展"]


def test_short_line_ending_a_sentence_ends_the_paragraph():
    """In wrapped text a clearly short line ending in 。 ends its paragraph without a blank."""
    assert join_paragraphs(lines("持续扩大消费。", "深化以人为本的新型城镇化，"), wrapped=True, width=14) == [
        "持续扩大消费。", "深化以人为本的新型城镇化，"]


def test_full_width_line_ending_a_sentence_continues():
    """In wrapped text a full line that happens to end in 。 does not end the paragraph."""
    assert join_paragraphs(lines("思想、学政策、学技能、强素质。", "本次培训采取"), wrapped=True, width=14) == [
        "思想、学政策、学技能、强素质。本次培训采取"]


def test_quote_inside_sentence_at_a_column_break_is_joined():
    """A line ending in a quote that closes a term, then a blank, continues the paragraph."""
    assert join_paragraphs(lines("要更加规范‘四议两公开’", "", "的议事程序。"), wrapped=True, width=14) == [
        "要更加规范‘四议两公开’的议事程序。"]


def test_long_lines_are_paragraphs():
    """On long-line pages each line ending a sentence is its own paragraph."""
    assert join_paragraphs(lines("第一段。", "", "第二段。"), wrapped=False) == ["第一段。", "第二段。"]


def test_long_line_cut_by_blank_lines_is_joined():
    """建设进 / three blank lines / 度, is one paragraph on a long-line page."""
    assert join_paragraphs(lines("加快核心板块建设进", "", "", "", "度,打造项目新品牌。"), wrapped=False) == [
        "加快核心板块建设进度,打造项目新品牌。"]


def test_no_lines_no_paragraphs():
    """Nothing in, nothing out."""
    assert join_paragraphs([]) == []


# -- odd pages through the parser ------------------------------------------------------


def test_empty_page_gives_no_articles_and_a_warning():
    """An empty page is not an error: no articles, one warning."""
    page = parse_page("")
    assert page.articles == [] and page.warnings == ["the page has no text"]


def test_whitespace_only_page_gives_no_articles_and_a_warning():
    """Blank lines, spaces and full-width spaces only: no articles, one warning."""
    page = parse_page(" \n\u3000\n\t\n")
    assert page.articles == [] and page.warnings == ["the page has no text"]


def test_headings_only_page_gives_no_articles_and_a_warning():
    """A page of headlines with no text under them has no articles."""
    page = parse_page("郑州召开会议\n\n商都路举行活动\n")
    assert page.articles == [] and page.warnings


def test_html_is_kept_as_text():
    """Markup is not interpreted: it stays in the paragraph as printed characters."""
    page = parse_page("<p>本报讯 近日，郑州召开会议。</p>\n<p>会议要求做好工作。</p>")
    assert "<p>" in page.articles[0].body and "</p>" in page.articles[0].body


def test_page_without_headline_gets_a_derived_one():
    """Text with no headline at all gives one article with a derived headline."""
    article = parse_page("本报讯 近日，郑州市召开防汛工作会议。\n\n记者 王阳").articles[0]
    assert article.headline_derived and article.headline == "郑州市召开防汛工作会议"


def _item_page(n):
    return "\n".join(f"第{i}条：郑州市召开会议，部署防汛工作。" for i in range(n))


def _cpu_seconds(function, text, runs=5):
    """The least CPU time of `runs` calls: process time, so other programs on the machine
    do not count, and the least, so a slow run (a core shared with a neighbour) does not."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
    return best


def test_one_line_items_parse_in_linear_time():
    """An item of a 5,000-item page costs no more than about one of a 1,000-item page, entities included.

    Cost is compared, not timed against a clock, so the load of a busy machine mostly
    cancels out: the
    CPU time of the large page over five times that of the small one is about 1 when
    parsing is linear (0.65-1.55 measured on the shared machine under load, the fixed cost
    of a page making it less, the load's noise more) and about 5 when parsing goes
    quadratic (a quadratic step that is a minor part at 5,000 items is not caught). The seconds
    themselves (a 5,000-item page well under one) are measured by
    `tests/benchmarks/parse_speed.py items 1000 5000`.
    """
    small, large = _item_page(1000), _item_page(5000)
    parse_page("郑州召开会议\n\n本报讯 近日，郑州召开会议。")  # loads the word lists once
    structure = _cpu_seconds(split_page, large) / (5 * _cpu_seconds(split_page, small))
    parse = _cpu_seconds(parse_page, large) / (5 * _cpu_seconds(parse_page, small))
    assert structure < 2.5 and parse < 2.5, (structure, parse)
    page = parse_page(large)
    assert page.articles and "第4999条" in page.articles[-1].body


def test_very_long_line_is_split_fast():
    """One line of 400,000 characters (no punctuation) is split in linear time, and parses."""
    text = "郑 州" * 200_000
    (articles, _), structure_time = timed(split_page, text)
    assert structure_time < 0.6 and len(articles) == 1
    assert len(parse_page(text).articles) == 1


def test_crlf_and_bom_are_handled():
    """Windows line ends and a leading BOM do not leak into the text."""
    page = parse_page("\ufeff郑州召开会议\r\n\r\n本报讯 近日，郑州召开会议。\r\n\r\n记者 王阳\r\n")
    article = page.articles[0]
    assert article.headline == "郑州召开会议" and article.paragraphs == ["本报讯近日，郑州召开会议。"]
