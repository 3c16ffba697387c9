"""Snippets: every hit marked, the rest escaped, a window around the first hit."""
from search.highlight import find_spans, mark, snippet


def test_marks_every_occurrence_in_the_window():
    text = "孙建功表示，中原科技城要加快发展。孙建功说，中原科技城是重要载体。"
    html = snippet(text, ["孙建功", "中原科技城"])
    assert html.count("<mark>孙建功</mark>") == 2
    assert html.count("<mark>中原科技城</mark>") == 2


def test_escapes_html_except_the_marks():
    text = '<script>alert("x")</script> 郑州 & 开封 <b>郑州</b>'
    html = snippet(text, ["郑州"])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert html.count("<mark>郑州</mark>") == 2
    assert mark("<i>郑州</i>", ["郑州"]) == "&lt;i&gt;<mark>郑州</mark>&lt;/i&gt;"


def test_a_term_with_markup_characters_is_escaped_inside_the_mark():
    assert "<mark>&lt;b&gt;</mark>" in snippet("a <b> c", ["<b>"])


def test_window_starts_near_the_first_hit():
    text = "甲" * 500 + "。开头的句子包含防汛工作。" + "乙" * 500
    html = snippet(text, ["防汛"])
    assert html.startswith("…开头的句子包含<mark>防汛</mark>")
    assert html.endswith("…")
    assert len(html) < 220


def test_hit_at_the_end_of_the_window_is_not_cut():
    text = "防汛" + "甲" * 156 + "防汛" + "乙" * 50  # the second hit straddles character 159
    html = snippet(text, ["防汛"], length=159)
    assert html.endswith("<mark>防汛</mark>…")


def test_matches_across_ocr_spaces_and_case_and_width():
    assert find_spans("书记孙建 功表示", ["孙建功"]) == [(2, 6)]
    assert "<mark>ＲＣＥＰ</mark>" in mark("加入ＲＣＥＰ", ["rcep"])
    assert "<mark>RCEP</mark>" in mark("RCEP协定", ["rcep"])


def test_overlapping_terms_merge_into_one_mark():
    assert mark("中原科技城", ["中原科技", "科技城"]) == "<mark>中原科技城</mark>"


def test_no_hit_gives_the_opening():
    html = snippet("第一句。第二句。", ["不存在"])
    assert html == "第一句。第二句。"
