"""The search page and the JSON API: results, snippets, pagination, and inputs that must not break them."""
from datetime import date

import pytest
from haystack import connections
from whoosh import query as wq

from search import queue
from search.query import parse
from tests.builders import make_article, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    connections["default"].get_backend().clear()


@pytest.fixture
def articles():
    page = make_page(file_name="002_e713.txt", published=(date(2020, 7, 1), date(2020, 7, 31), "month"))
    made = {
        "sun": make_article(page=page, headline="访郑东新区党工委书记孙建功",
                            body="郑东新区党工委书记孙建 功\n表示，中原科技城将加快建设。\n\n孙建功说，要抓落实。"),
        "city": make_article(page=page, headline="建设国家中心城市", body="郑州建设国家中心城市，中原科技城是载体。"),
        "flood": make_article(page=page, headline="防汛会议", body="全市防汛工作会议召开。<script>alert(1)</script>"),
    }
    queue.drain()
    return made


def test_page_shows_count_highlighted_snippets_and_source(client, articles):
    response = client.get("/search/", {"q": "孙建功"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "共找到 <strong>1</strong> 篇文章" in html
    assert articles["sun"].get_absolute_url() in html
    assert "访郑东新区党工委书记<mark>孙建功</mark>" in html  # headline
    assert "<mark>孙建功</mark>表示" in html  # snippet, OCR space closed up
    assert "2020年7月" in html and "002_e713.txt" in html


def test_a_name_is_found_wherever_jieba_cuts_it(client, articles):
    """中原科技城 is cut 中原/科技/城将 in one text and 中原/科技/城 in the other: both found."""
    data = client.get("/api/search", {"q": "中原科技城"}).json()
    assert {r["id"] for r in data["results"]} == {articles["sun"].pk, articles["city"].pk}


def test_quoted_phrase_and_exclusion(client, articles):
    data = client.get("/api/search", {"q": '"国家中心城市" -孙建功'}).json()
    assert [r["id"] for r in data["results"]] == [articles["city"].pk]
    data = client.get("/api/search", {"q": "中原科技城 -国家"}).json()
    assert [r["id"] for r in data["results"]] == [articles["sun"].pk]


def test_api_shape(client, articles):
    data = client.get("/api/search", {"q": "防汛"}).json()
    assert data["count"] == 1 and data["page"] == 1 and data["num_pages"] == 1
    (result,) = data["results"]
    flood = articles["flood"]
    assert {"id", "url", "source", "position", "headline", "published", "snippet"} <= set(result)
    assert {k: result[k] for k in ("id", "url", "source", "position", "headline", "published", "snippet")} == {
        "id": flood.pk,
        "url": flood.get_absolute_url(),
        "source": "002_e713.txt",
        "position": flood.position,
        "headline": "防汛会议",
        "published": "2020-07",
        "snippet": result["snippet"],
    }
    assert "<mark>防汛</mark>" in result["snippet"]
    assert "<script>" not in result["snippet"] and "&lt;script&gt;" in result["snippet"]


def test_pagination_keeps_the_query(client, settings):
    page = make_page()
    for i in range(25):
        make_article(page=page, headline=f"算力第{i}篇", body="算力中心。")
    queue.drain()
    first = client.get("/search/", {"q": "算力"}).content.decode()
    assert "共找到 <strong>25</strong> 篇文章" in first
    assert "?q=%E7%AE%97%E5%8A%9B&amp;page=2" in first
    second = client.get("/search/", {"q": "算力", "page": "2"})
    assert second.status_code == 200
    assert second.context["s"].result.page.number == 2
    assert len(second.context["s"].hits) == 5
    data = client.get("/api/search", {"q": "算力", "page": 2}).json()
    assert (data["count"], data["page"], data["num_pages"], len(data["results"])) == (25, 2, 2, 5)
    for bad_page in ("999", "abc", "-1", "0"):
        assert client.get("/search/", {"q": "算力", "page": bad_page}).status_code == 200


def test_loose_fallback_when_the_string_does_not_occur(client, articles):
    """No article holds 中原落实, so the articles with both 中原 and 落实 are offered, flagged."""
    response = client.get("/search/", {"q": "中原落实"})
    assert response.context["s"].loose
    assert [h.article for h in response.context["s"].hits] == [articles["sun"]]
    assert "以下文章包含其中的全部词语" in response.content.decode()


HOSTILE = [
    "", " ", '"', '"unbalanced', "unbalanced\"", "'", "AND", "OR", "NOT", "-", "--", "*", "?", "~",
    "a*", "*:*", "text:孙建功", "(", ")", "[1 TO 2]", "{}", "\\", "孙建功~2", "^", "&&", "||",
    "<script>alert(1)</script>", "<b>防汛</b>", "孙建功" * 3000, "x" * 10_000, "\x00", "防\x00汛",
    "😀", "‮", "\u3000", "（", "“”", "「", "-防汛", "防汛 AND OR NOT",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_gives_a_normal_page(client, articles, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>防汛</b>" not in html
    api = client.get("/api/search", {"q": q})
    assert api.status_code == 200 and "count" in api.json()


def test_messages_for_empty_and_unusable_queries(client, articles):
    assert "请输入要检索的词语" in client.get("/search/").content.decode()
    assert "没有可检索的词语" in client.get("/search/", {"q": "*"}).content.decode()
    assert "检索词太长" in client.get("/search/", {"q": "x" * 10_000}).content.decode()
    assert "没有找到" in client.get("/search/", {"q": "不存在的词语xyz"}).content.decode()
    assert client.get("/api/search", {"q": "*"}).json()["message"]


def test_html_in_the_query_is_escaped_where_echoed(client, articles):
    html = client.get("/search/", {"q": '"><img src=x onerror=alert(1)> 防汛'}).content.decode()
    assert "<img" not in html
    assert "&lt;img" in html or "&quot;&gt;&lt;img" in html


@pytest.mark.parametrize("text, terms, phrases, excluded", [
    ("孙建功", ["孙建功"], [], []),
    ('"国家 卫生" 郑州', ["郑州"], ["国家 卫生"], []),
    ("“中原科技城” -开封", [], ["中原科技城"], ["开封"]),
    ("COVID-19 3.5亿元", ["COVID", "19", "3.5亿元"], [], []),
    ('"unbalanced', ["unbalanced"], [], []),
    ("AND OR NOT *", [], [], []),
])
def test_query_parsing(text, terms, phrases, excluded):
    query = parse(text)
    assert (query.terms, query.phrases, query.excluded) == (terms, phrases, excluded)


# Inputs with nothing left to search for once the unusable parts are dropped.
NOTHING_TO_SEARCH = {
    "", " ", '"', "'", "AND", "OR", "NOT", "-", "--", "*", "?", "~", "*:*", "(", ")", "{}", "\\", "^",
    "&&", "||", "孙建功" * 3000, "x" * 10_000, "\x00", "防\x00汛", "😀", "‮", "\u3000", "（", "“”", "「", "-防汛",
}


@pytest.mark.parametrize("q", HOSTILE + ['-"国家 卫生" 郑州', 'ANDNOT ANDMAYBE REQUIRE TO', '"a" "b'])
def test_only_exact_term_and_phrase_queries_reach_whoosh(q, articles, monkeypatch):
    """Whatever is typed, whoosh gets terms and phrases of our fields (no wildcard, fuzzy or
    range query), or no query at all when nothing usable is left."""
    from search import engine
    from search.service import run

    sent = []
    for name in ("execute", "counts_without"):
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda query, *a, _real=real, **k: sent.append(query) or _real(query, *a, **k))
    s = run({"q": q})
    if q in NOTHING_TO_SEARCH:
        assert sent == [] and s.result is None
        return
    assert sent and s.result is not None
    schema = connections["default"].get_backend().schema
    allowed = (wq.Term, wq.Phrase, wq.And, wq.Or, wq.Not, wq.AndMaybe, wq.NullQuery.__class__)
    for query in sent:  # the query itself and any loose retry or suggestion count
        nodes = list(_walk(query.whoosh(schema)))
        assert nodes and all(isinstance(n, allowed) for n in nodes), nodes
        assert {n.fieldname for n in nodes if hasattr(n, "fieldname")} <= {"grams", "text", "headline", "districts"}


def _walk(node):
    yield node
    for child in node.children():
        yield from _walk(child)
