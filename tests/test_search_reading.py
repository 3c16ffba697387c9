"""The reading room's search tools: advanced search, a query box that keeps its filters,
loose matches said and marked, export of every match, and the feed's self link."""
import csv
import io
import json
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from search import export, queue
from search.advanced import initial_from
from tests.builders import make_article, make_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_index")]


@pytest.fixture
def articles():
    july = make_page(file_name="a.txt", section="郑东新区", published=(date(2020, 7, 1), date(2020, 7, 31), "month"))
    later = make_page(file_name="b.txt", section="A02", published=(date(2023, 7, 5), date(2023, 7, 5), "day"))
    made = {
        "flood": make_article(page=july, position=1, headline="防汛会议", lead="本报讯 7月21日",
                              body="本报讯 7月21日，郑东新区召开防汛会议。", districts=["郑东新区"]),
        # Every character pair of 郑东新区防汛会议 is here, but never the string itself.
        "pairs": make_article(page=later, position=1, headline="郑东新区消息",
                              body="郑东新区防汛。汛会议召开，区防汛会议上说。"),
        "other": make_article(page=later, position=2, headline="科技城", body="中原科技城建设。"),
    }
    queue.drain()
    return made


def form_query(**boxes):
    data = {"adv": "1", **boxes}
    return data


def test_advanced_form_writes_the_search_parameters(client, articles):
    response = client.get("/search/advanced/", form_query(
        all="郑东新区", phrase="防汛 会议", any="会议 消息", none="开封", headline="防汛",
        district="郑东", start="2020-07", end="2020-07-31", sort="newest"))
    assert response.status_code == 302
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["q"] == ['会议 OR 消息 郑东新区 "防汛 会议" headline:防汛 -开封']
    assert params["district"] == ["郑东"] and params["from"] == ["2020-07"] and params["to"] == ["2020-07-31"]
    assert params["sort"] == ["newest"]


def test_advanced_form_refuses_a_date_it_cannot_read(client, articles):
    response = client.get("/search/advanced/", form_query(all="防汛", start="July 2020"))
    assert response.status_code == 200
    assert "日期应为 2020、2020-07 或 2020-07-21。" in response.content.decode()


def test_advanced_form_fills_in_from_a_search(client):
    initial = initial_from({"q": '会议 OR 消息 郑东新区 "防汛 会议" headline:防汛 -开封 person:孙建功', "from": "2020"})
    assert initial["any"] == "会议 消息" and initial["all"] == "郑东新区 person:孙建功"
    assert initial["phrase"] == "防汛 会议" and initial["headline"] == "防汛" and initial["none"] == "开封"
    assert initial["start"] == "2020"


def test_a_date_range_from_the_advanced_form_narrows_the_results(client, articles):
    location = client.get("/search/advanced/", form_query(all="郑东新区", start="2023", end="2023-12"))["Location"]
    hits = client.get(location).context["s"].hits
    assert [h.article for h in hits] == [articles["pairs"]]


def test_query_box_keeps_the_active_filters(client, articles):
    body = client.get("/search/", {"q": "防汛", "district": "郑东新区", "from": "2020"}).content.decode()
    form = body[body.index('aria-label="修改检索词"'):body.index("</form>", body.index('aria-label="修改检索词"'))]
    assert '<input type="checkbox" name="district" value="郑东新区" checked>' in form
    assert '<input type="checkbox" name="from" value="2020" checked>' in form


def test_a_hit_holding_only_the_pairs_is_flagged_loose_and_marked_by_its_words(client, articles):
    s = client.get("/search/", {"q": "郑东新区防汛会议"}).context["s"]
    by_article = {h.article: h for h in s.hits}
    assert by_article[articles["pairs"]].loose
    marked = re.findall(r"<mark>([^<]*)</mark>", str(by_article[articles["pairs"]].snippet))
    # Its jieba words are marked (how jieba cuts it depends on the names it knows), never the whole.
    assert marked and all(m in "郑东新区防汛会议" and m != "郑东新区防汛会议" for m in marked)


def test_an_exact_hit_is_not_flagged_loose(client, articles):
    s = client.get("/search/", {"q": "召开防汛会议"}).context["s"]
    assert [h.article for h in s.hits] == [articles["flood"]]
    assert not s.hits[0].loose and not s.loose


def test_loose_notice_when_every_hit_is_loose(client, articles):
    response = client.get("/search/", {"q": "郑东新区防汛会议", "from": "2023"})
    assert response.context["s"].loose
    assert "没有文章包含完整的“郑东新区防汛会议”" in response.content.decode()


def test_snippet_does_not_repeat_the_dateline(client, articles):
    hit = client.get("/search/", {"q": "召开防汛"}).context["s"].hits[0]
    assert str(hit.snippet).count("本报讯") == 1


def read_csv(response):
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_export_has_every_match_with_a_header(client, articles):
    response = client.get("/search/export.csv", {"q": "郑东新区", "sort": "oldest"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:5] == ["链接", "报纸", "版面", "出版日期", "标题"]
    assert [r[4] for r in rows[1:]] == ["防汛会议", "郑东新区消息"]
    assert rows[1][0] == "http://testserver" + articles["flood"].get_absolute_url()
    assert response["X-Result-Count"] == "2"


def test_export_stops_at_the_stated_limit(client, articles, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 1)
    response = client.get("/search/export.csv", {"q": "郑东新区"})
    assert len(read_csv(response)) == 2
    assert response["X-Result-Count"] == "2" and response["X-Export-Count"] == "1" and response["X-Export-Limit"] == "1"


def test_export_reads_articles_in_chunks(client, articles, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(export, "CHUNK", 1)
    response = client.get("/search/export.jsonl", {"q": "郑东新区"})
    with django_assert_max_num_queries(2 * 6):  # per chunk: articles and their four prefetches
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["headline"] for line in lines] == ["郑东新区消息", "防汛会议"]


def test_api_exports_with_format(client, articles):
    response = client.get("/api/search", {"q": "科技城", "format": "jsonl"})
    assert response["Content-Type"].startswith("application/x-ndjson")
    (line,) = b"".join(response.streaming_content).decode().splitlines()
    assert json.loads(line)["schema"] == 1


def test_export_without_a_search_is_refused(client, articles):
    response = client.get("/search/export.csv")
    assert response.status_code == 400


def test_search_page_links_the_exports_with_its_parameters(client, articles):
    body = client.get("/search/", {"q": "防汛", "district": "郑东新区"}).content.decode()
    assert 'href="/search/export.csv?q=%E9%98%B2%E6%B1%9B&amp;district=%E9%83%91%E4%B8%9C%E6%96%B0%E5%8C%BA"' in body


def test_search_feed_self_link_keeps_the_query(client, articles):
    body = client.get("/search/feed/", {"q": "防汛"}).content.decode()
    assert '/search/feed/?q=%E9%98%B2%E6%B1%9B" rel="self"' in body


def test_archive_feed_dates_entries_by_publication(client, articles):
    body = client.get("/feed/").content.decode()
    assert "<published>2023-07-05T00:00:00+08:00</published>" in body
    assert "<updated>2020-07-01T00:00:00+08:00</updated>" in body


def test_feeds_answer_for_a_page_of_year_one(client):
    page = make_page(published=(date(1, 1, 1), date(1, 12, 31), "year"))
    make_article(page=page, headline="元年", body="元年的文章。")
    queue.drain()
    assert client.get("/feed/").status_code == 200
    assert client.get("/search/feed/", {"q": "元年"}).status_code == 200
