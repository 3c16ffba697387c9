"""Newspapers and issues: the list, a newspaper's calendar, an issue's pages in print order,
a page read as one text, and labels that name newspaper, date and 版 instead of files."""
import re
from datetime import date

import pytest
from django.urls import reverse

from archive.issues import Issue, edition_key, newspaper_slug
from archive.models import Page
from tests.builders import VERSION_READ, make_article, make_page

pytestmark = pytest.mark.django_db

DAY = (date(1998, 1, 5), date(1998, 1, 5), "day")
NEXT_DAY = (date(1998, 1, 6), date(1998, 1, 6), "day")


def pfr_issue():
    """人民日报 of one day, its pages made out of print order."""
    pages = {}
    for n in (10, 2, 1):
        pages[n] = make_page(file_name=f"19980105-{n:02d}.pfr", newspaper="人民日报", section=f"第{n}版",
                             published=DAY)
        make_article(page=pages[n], position=1, headline=f"第{n}版头条", body=f"第{n}版的正文。")
        make_article(page=pages[n], position=2, headline=f"第{n}版二条", body=f"第{n}版的第二篇。")
    return pages


def test_newspaper_slug_is_the_pinyin_of_each_name():
    """郑州日报/郑州晚报 (the manifest does not know which) keeps both names, in pinyin."""
    assert newspaper_slug("郑州晚报") == "zhengzhouwanbao"
    assert newspaper_slug("郑州日报/郑州晚报") == "zhengzhouribao-zhengzhouwanbao"
    assert newspaper_slug("") == "unknown"


def test_editions_sort_by_their_number_not_as_text():
    sections = ["第10版", "第2版", "郑东新区", "第1版", "A02", "A01"]
    assert sorted(sections, key=edition_key) == ["A01", "第1版", "A02", "第2版", "第10版", "郑东新区"]


def test_issue_token_round_trips_every_precision():
    for published in (DAY, (date(2020, 7, 1), date(2020, 7, 31), "month"), (date(2017, 1, 1), date(2017, 12, 31), "year"),
                      (date(2025, 6, 24), date(2025, 7, 31), "range")):
        issue = Issue("郑州晚报", *published)
        assert Issue.from_token("郑州晚报", issue.token) == issue
    assert Issue.from_token("郑州晚报", "2020-13") is None


def test_newspaper_list_counts_issues_and_pages(client):
    pfr_issue()
    make_page(newspaper="人民日报", section="第1版", published=NEXT_DAY)
    make_page(newspaper="郑州晚报")
    body = client.get(reverse("archive:newspapers")).content.decode()
    row = body[body.index("/newspapers/renminribao/"):]
    row = row[:row.index("</tr>")]
    assert ">2</td>" in row and ">4</td>" in row  # 2 issues, 4 pages
    assert "/newspapers/zhengzhouwanbao/" in body


def test_newspaper_calendar_links_each_day_and_lists_a_month_issue_apart(client):
    pfr_issue()
    make_page(newspaper="人民日报", section="第1版", published=(date(1998, 2, 1), date(1998, 2, 28), "month"))
    body = client.get(reverse("archive:newspaper", args=["renminribao"])).content.decode()
    assert reverse("archive:issue", args=["renminribao", "1998-01-05"]) in body
    assert reverse("archive:issue", args=["renminribao", "1998-02"]) in body
    assert "1998年2月（仅知月份）" in body


def test_issue_lists_its_pages_in_print_order_with_their_headlines(client):
    pfr_issue()
    body = client.get(reverse("archive:issue", args=["renminribao", "1998-01-05"])).content.decode()
    assert body.index("第1版头条") < body.index("第1版二条") < body.index("第2版头条") < body.index("第10版头条")


def test_issue_links_the_previous_and_next_issue(client):
    pfr_issue()
    make_page(newspaper="人民日报", section="第1版", published=NEXT_DAY)
    body = client.get(reverse("archive:issue", args=["renminribao", "1998-01-05"])).content.decode()
    assert f'rel="next" href="{reverse("archive:issue", args=["renminribao", "1998-01-06"])}"' in body
    assert 'rel="prev"' not in body


@pytest.mark.parametrize("slug, token", [("nosuchpaper", "1998-01-05"), ("renminribao", "1998-01-07"),
                                         ("renminribao", "not-a-date")])
def test_unknown_newspaper_or_issue_is_404(client, slug, token):
    pfr_issue()
    assert client.get(reverse("archive:issue", args=[slug, token])).status_code == 404


def test_page_reads_its_articles_in_order_with_the_next_page(client):
    pages = pfr_issue()
    body = client.get(reverse("archive:page_read", args=[pages[2].slug])).content.decode()
    assert body.index("第2版的正文。") < body.index("第2版的第二篇。")
    assert f'rel="next" href="{reverse("archive:page_read", args=[pages[10].slug])}"' in body
    assert f'rel="prev" href="{reverse("archive:page_read", args=[pages[1].slug])}"' in body


def test_breadcrumbs_name_newspaper_date_and_edition_not_the_file(client):
    pages = pfr_issue()
    article = pages[2].articles.get(position=1)
    body = client.get(article.get_absolute_url()).content.decode()
    crumbs = body[body.index('<nav class="crumbs"'):body.index("</nav>", body.index('<nav class="crumbs"'))]
    crumbs = re.sub(r"<[^>]+>", "", crumbs)  # what a reader sees
    assert "人民日报" in crumbs and "1998年1月5日" in crumbs and "第2版" in crumbs
    assert "19980105-02" not in crumbs


def test_new_pages_query_counts_do_not_grow_with_the_issue(client, django_assert_max_num_queries):
    pages = pfr_issue()
    for n in range(3, 9):
        page = make_page(newspaper="人民日报", section=f"第{n}版", published=DAY)
        make_article(page=page, position=1)
    with django_assert_max_num_queries(2 + VERSION_READ):
        client.get(reverse("archive:newspapers"))
    with django_assert_max_num_queries(2 + VERSION_READ):
        client.get(reverse("archive:newspaper", args=["renminribao"]))
    with django_assert_max_num_queries(4 + VERSION_READ):
        client.get(reverse("archive:issue", args=["renminribao", "1998-01-05"]))
    with django_assert_max_num_queries(3 + VERSION_READ):
        client.get(reverse("archive:page_read", args=[pages[2].slug]))


TAGGED = ("19980105-02-001-001/m  将门/n  之/u  后/f  [中国/ns  国际/n  广播/vn  电台/n]nt  报道/v  。/w\n"
          "19980105-02-001-002/m  第二/m  段/q  。/w")


def test_tagged_source_page_shows_the_words_and_keeps_the_tags_one_click_away(client):
    page = make_page(file_name="19980105-02.pfr", newspaper="人民日报", section="第2版", published=DAY, text=TAGGED)
    make_article(page=page, position=1, headline="将门之后", span_start=0, span_end=len(TAGGED))
    shown = client.get(page.get_absolute_url()).content.decode()
    assert "将门之后中国国际广播电台报道。\n第二段。" in shown and "将门/n" not in shown
    assert 'id="span-1"' in shown
    tagged = client.get(page.get_absolute_url(), {"view": "tagged"}).content.decode()
    assert "将门/n  之/u" in tagged


def test_page_label_never_uses_the_file_name():
    page = Page(file_name="x.txt", newspaper="", section="", published_start=None, published_precision="")
    assert page.label == "报纸不详 日期不详 版次不详"
