"""The Solr configset (solr/configset) on a real two-node SolrCloud keeps the archive's promises.

These run the analysis and the cluster itself; they are the ground the Solr engine stands on.
"""
import json
import os
import time
import urllib.request

import pytest

pysolr = pytest.importorskip("pysolr")

from tests.solr_cluster import SolrCloud, SolrUnavailable  # noqa: E402

DOCS = [
    {"id": "a1", "text": "郑东新区 召开 防汛 工作 会议", "grams": "郑东新区召开防汛工作会议，孙建 功出席。",
     "headline": "郑东新区部署防汛", "persons": ["孙建功"], "year": 2020, "month": 7,
     "published": "2020-07-01T00:00:00Z"},
    {"id": "a2", "text": "中原 科技 城将 开工", "grams": "中原科技城将开工建设，投资２０亿元。",
     "headline": "鄭州高新區新聞", "persons": ["王阳", "孙建功"], "year": 2020, "month": 8,
     "published": "2020-08-01T00:00:00Z"},
    {"id": "a3", "text": "会议 召开", "grams": "会议召开。", "headline": "简讯", "persons": ["王阳"],
     "year": 2019, "month": 1, "published": "2019-01-01T00:00:00Z"},
]


@pytest.fixture(scope="module")
def cloud():
    try:
        cluster = SolrCloud(nodes=2)
    except SolrUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    client = pysolr.Solr(cluster.collection_url(0), timeout=60)
    client.add(DOCS, commit=True)
    yield cluster
    cluster.close()


def ids(cloud, q, node=0, **params):
    client = pysolr.Solr(cloud.collection_url(node), timeout=60)
    return sorted(d["id"] for d in client.search(q, fl="id", **params).docs)


def test_any_substring_is_found_across_word_boundaries(cloud):
    """科技城将 crosses jieba's cut (科技/城将); the character pairs still find it."""
    assert ids(cloud, 'grams:"科技城将"') == ["a2"]


def test_string_that_does_not_occur_is_not_found(cloud):
    """Both characters occur in a1, but 郑会 as a string does not."""
    assert ids(cloud, 'grams:"郑会"') == []


def test_single_character_query_finds_its_articles(cloud):
    assert ids(cloud, 'grams:"汛"') == ["a1"]


def test_line_wrap_inside_a_name_is_squeezed(cloud):
    """The page prints 孙建 功 (a wrap); 建功 still matches."""
    assert ids(cloud, 'grams:"孙建功"') == ["a1"]


def test_traditional_query_finds_simplified_text(cloud):
    assert ids(cloud, 'grams:"鄭東新區"') == ["a1"]


def test_simplified_query_finds_traditional_text(cloud):
    assert ids(cloud, 'headline:"郑州高新区"') == ["a2"]


def test_full_width_digits_match_ascii(cloud):
    assert ids(cloud, 'grams:"20亿"') == ["a2"]


def test_jieba_words_make_phrases(cloud):
    """`text` holds jieba's words: a phrase of neighbouring words matches, reordered words do not."""
    assert ids(cloud, 'text:"防汛 工作"') == ["a1"]
    assert ids(cloud, 'text:"工作 防汛"') == []


def test_json_facets_count_names(cloud):
    client = pysolr.Solr(cloud.collection_url(0), timeout=60)
    raw = client.search("*:*", rows=0, **{"json.facet": '{"persons":{"type":"terms","field":"persons"}}'}).raw_response
    counts = {b["val"]: b["count"] for b in raw["facets"]["persons"]["buckets"]}
    assert counts == {"孙建功": 2, "王阳": 2}


def test_collection_has_a_replica_on_each_node(cloud):
    with urllib.request.urlopen(f"{cloud.urls[0]}/admin/collections?action=CLUSTERSTATUS&wt=json") as r:
        shards = json.load(r)["cluster"]["collections"]["baoku"]["shards"]
    nodes = [rep["node_name"] for shard in shards.values() for rep in shard["replicas"].values()]
    assert len(nodes) == 2 and len(set(nodes)) == 2


def test_queries_are_answered_while_a_node_is_down(cloud):
    cloud.stop(1)
    try:
        answers = [ids(cloud, 'grams:"防汛"', node=0) for _ in range(20)]
    finally:
        cloud.start(1)
    assert answers == [["a1"]] * 20


def test_a_write_while_a_node_is_down_reaches_it_when_it_returns(cloud):
    """Nothing lost: the returning replica recovers what was written without it."""
    cloud.stop(1)
    try:
        pysolr.Solr(cloud.collection_url(0), timeout=60).add(
            [{"id": "late", "grams": "节点恢复后仍可检索", "headline": "迟到"}], commit=True)
    finally:
        cloud.start(1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = ids(cloud, 'grams:"节点恢复"', node=1, distrib="false")
        if found:
            break
        time.sleep(1)
    assert found == ["late"]
