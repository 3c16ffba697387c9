"""Query syntax on a small index: phrases, AND/OR/NOT, field prefixes, traditional characters, notes."""
import pytest
from django.core.management import CommandError, call_command
from haystack import connections

from archive.ingest import types as T
from search import queue
from search.analyzer import get_jieba, normalize, query_words
from search.check import check
from search.names import write_user_dict
from search.query import parse
from tests.builders import make_article, make_person, mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs():
    connections["default"].get_backend().clear()
    made = {
        "health": make_article(headline="创建国家卫生城市", body="郑州成功创建国家卫生城市。"),
        "split": make_article(headline="城市环境", body="国家卫生，城市环境整治。"),
        "flood": make_article(headline="防汛会议", body="全市防汛工作会议召开，孙建功出席。"),
        "power": make_article(headline="算力产业", body="超互联算力基础设施建设。"),
    }
    mention(made["flood"], make_person("孙建功"))
    mention(made["power"], make_person("王阳"), role=T.REPORTER)
    queue.drain()
    return made


def ids(client, q):
    return {r["id"] for r in client.get("/api/search", {"q": q}).json()["results"]}


def test_quoted_phrase_matches_only_the_exact_string(client, docs):
    """"国家卫生城市" skips the article with 国家卫生，城市 split by a comma."""
    assert ids(client, '"国家卫生城市"') == {docs["health"].pk}


def test_or_wants_either(client, docs):
    """防汛 OR 算力 finds both articles."""
    assert ids(client, "防汛 OR 算力") == {docs["flood"].pk, docs["power"].pk}


def test_and_is_implied_and_may_be_typed(client, docs):
    """防汛 AND 孙建功 is the same as 防汛 孙建功."""
    assert ids(client, "防汛 AND 孙建功") == ids(client, "防汛 孙建功") == {docs["flood"].pk}


def test_not_and_minus_exclude(client, docs):
    """城市 NOT 整治 and 城市 -整治 both leave out the article with 整治."""
    assert ids(client, "城市 NOT 整治") == ids(client, "城市 -整治") == {docs["health"].pk}


def test_headline_prefix(client, docs):
    """headline:城市 only looks at headlines."""
    assert ids(client, "headline:城市") == {docs["health"].pk, docs["split"].pk}
    assert ids(client, "headline:会议") == {docs["flood"].pk}
    assert ids(client, "headline:孙建功") == set()


def test_person_and_reporter_prefixes(client, docs):
    """person: and reporter: match the recognised names, not the text."""
    assert ids(client, "person:孙建功") == {docs["flood"].pk}
    assert ids(client, "reporter:王阳") == {docs["power"].pk}
    assert ids(client, "reporter:孙建功") == set()


def test_traditional_query_finds_simplified_text(client, docs):
    """防汛會議 (traditional) finds 防汛会议 and says what was searched."""
    data = client.get("/api/search", {"q": "防汛會議"}).json()
    assert {r["id"] for r in data["results"]} == {docs["flood"].pk}
    assert "防汛会议" in data["message"]


def test_traditional_text_is_found_by_simplified_query(client, docs):
    """An article printed in traditional characters is found by simplified ones, highlighted in place."""
    article = make_article(headline="鄭東新區見聞", body="鄭東新區的發展。")
    queue.drain()
    data = client.get("/api/search", {"q": "郑东新区"}).json()
    assert article.pk in {r["id"] for r in data["results"]}
    assert any("<mark>鄭東新區</mark>" in r["snippet"] for r in data["results"])


def test_normalize_keeps_the_length():
    """t2s keeps offsets valid: the output is as long as the input."""
    text = "鄭東新區發展，後來頭髮理髮，乾隆，ＲＣＥＰ"
    assert len(normalize(text)) == len(text) and normalize(text).startswith("郑东新区发展")


@pytest.mark.parametrize("q, note", [
    ("防汛*", "通配符"), ("?", "通配符"), ('"防汛', "引号不成对"), ("防汛 OR", "两边"), ("NOT", "两边"),
    ("防\x07汛", "控制字符"),
])
def test_hostile_input_gets_a_clear_note(client, docs, q, note):
    """Wildcards, unbalanced quotes, lone operators and control characters are named in a notice."""
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200 and note in response.content.decode()


def test_only_exclusions_is_explained(client, docs):
    """-防汛 alone asks for a word to find."""
    assert "只有排除的词语" in client.get("/search/", {"q": "-防汛"}).content.decode()


def test_parse_or_groups_and_prefixes():
    """OR joins neighbours into one clause; prefixes become fields."""
    query = parse("a OR b c person:孙建功 -headline:d")
    shape = [([(t.text, t.field) for t in c.alternatives], c.negated) for c in query.clauses]
    assert shape == [([("a", ""), ("b", "")], False), ([("c", "")], False),
                     ([("孙建功", "person")], False), ([("d", "headline")], True)]


def test_known_names_feed_jiebas_dictionary(docs, settings):
    """After a new person is saved, jieba keeps the name whole."""
    make_person("龚佩珊")
    write_user_dict()  # what the commit hook does
    get_jieba()
    assert "龚佩珊" in query_words("龚佩珊表示")


def test_check_index_finds_and_fixes_missing_and_stale(docs):
    """check_index reports an unindexed article and a stale one; --fix repairs both."""
    with queue.paused():
        missing = make_article(headline="未入索引", body="尚未入索引。")
    queue.IndexQueue.objects.all().delete()
    type(docs["flood"]).objects.filter(pk=docs["flood"].pk).update(headline="防汛动员会")  # no signal
    report = check()
    assert report.missing == [missing.pk] and report.stale == [docs["flood"].pk]
    with pytest.raises(CommandError):
        call_command("check_index", verbosity=0)
    call_command("check_index", "--fix", verbosity=0)
    assert check().ok


def test_saving_names_rewrites_the_dictionary_once_per_commit(settings, django_capture_on_commit_callbacks):
    """Two people saved in one transaction schedule one rewrite, which lists both."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_person("甲乙丙")
        make_person("丁戊己")
    assert len([c for c in callbacks if c.__name__ == "_rewrite"]) == 1
    words = open(settings.JIEBA_USER_DICT, encoding="utf-8").read().split()
    assert {"甲乙丙", "丁戊己", "郑东新区", "东区"} <= set(words)
