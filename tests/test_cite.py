"""Cite and share: the 引用 block's two forms and the metadata reference managers,
search engines and link previews read, all from the same facts at the page's precision."""
import json
import re
from datetime import date

import pytest

from archive.citation import cite, edition_number
from tests.builders import make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db

URL = "https://baoku.example/articles/p/1/"
READ = date(2026, 12, 1)


def article(published=(date(2023, 7, 1), date(2023, 7, 31), "month"), section="A01", reporters=("王阳",)):
    page = make_page(newspaper="郑州晚报", section=section, published=published)
    made = make_article(page=page, position=1, headline="聚焦“三高地”", body="郑东新区召开会议。")
    for name in reporters:
        mention(made, make_person(name), role="reporter")
    return made


@pytest.mark.parametrize("section, number", [("第3版", "3"), ("A01", "A01"), ("郑东新区", ""), ("", "")])
def test_edition_number_is_what_a_citation_prints(section, number):
    assert edition_number(section) == number


def test_gbt_form_for_a_page_known_to_the_month():
    assert cite(article(), URL, READ).gbt == f"王阳. 聚焦“三高地”[N/OL]. 郑州晚报, 2023-07(A01)[2026-12-01]. {URL}."


def test_gbt_form_lists_three_authors_then_etal():
    made = article(reporters=("甲一", "乙二", "丙三", "丁四"))
    assert cite(made, URL, READ).gbt.startswith("甲一, 乙二, 丙三, 等. ")


def test_chicago_form_for_a_day_with_quotes_inside_quotes():
    made = article(published=(date(2020, 7, 21), date(2020, 7, 21), "day"), section="第3版")
    assert cite(made, URL, READ).chicago == (
        f"王阳. “聚焦‘三高地’.” 郑州晚报, July 21, 2020, 3. Accessed December 1, 2026. {URL}.")


def test_article_page_has_the_cite_block_meta_tags_and_absolute_permalink(client):
    made = article()
    body = client.get(made.get_absolute_url()).content.decode()
    permalink = "http://testserver" + made.get_absolute_url()
    assert 'id="cite-gbt"' in body and 'id="cite-chicago"' in body and 'data-copy="cite-gbt"' in body
    assert '<meta name="citation_title" content="聚焦“三高地”">' in body
    assert '<meta name="citation_author" content="王阳">' in body
    assert '<meta name="citation_publication_date" content="2023/07">' in body
    assert f'<meta property="og:url" content="{permalink}">' in body
    assert f'固定链接：<a href="{permalink}">{permalink}</a>' in body


def test_json_ld_is_a_news_article_with_the_partial_date(client):
    body = client.get(article().get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle" and data["datePublished"] == "2023-07"
    assert data["author"] == [{"@type": "Person", "name": "王阳"}]
    assert data["isPartOf"]["name"] == "郑州晚报"


def test_json_ld_cannot_close_its_script_block(client):
    page = make_page(newspaper="郑州晚报")
    made = make_article(page=page, headline="</script><script>alert(1)</script>")
    body = client.get(made.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"
