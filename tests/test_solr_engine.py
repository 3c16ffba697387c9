"""The Solr engine on a real two-node SolrCloud (replication factor 2): its writer (no lock,
batched updates, one commit) and a node killed in the middle of a query run and of an
ingest. Runs with `pytest --engine solr` (CI's Solr run), as tests/test_whoosh_engine.py
runs on whoosh only."""
import threading
import time

import pytest
from haystack import connections

from search import engines, queue
from search.engine import Filters
from search.engines import solr
from search.engines.base import IndexWriteError
from search.models import IndexQueue
from search.query import parse, resolve
from tests.builders import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud(solr_cloud, search_engine):
    """The session's cluster, both nodes up again after the test."""
    assert search_engine == "solr"
    urls = connections["default"].get_backend().urls
    assert urls == [solr_cloud.collection_url(node) for node in range(len(solr_cloud.urls))], \
        "the engine must run on this cluster (unset BAOKU_TEST_SOLR_URL)"
    yield solr_cloud
    for node in range(len(solr_cloud.urls)):
        try:
            solr_cloud.start(node)
        except RuntimeError:
            pass  # it was running


@pytest.fixture
def indexed():
    connections["default"].get_backend().clear()
    articles = [make_article(headline=f"防汛第{i}篇", body=f"郑东新区防汛工作第{i}次部署。") for i in range(30)]
    assert queue.drain() == 30
    return articles


@pytest.fixture
def on_solr(search_engine):
    """The session's Solr engine (any cluster: no node is stopped), with an empty collection."""
    assert search_engine == "solr"
    connections["default"].get_backend().clear()


def test_a_drain_beside_another_writer_writes_at_once(on_solr):
    """Solr takes concurrent writers: a drain while an ingest's writer is open applies its rows
    without waiting (on whoosh they wait for the lock: tests/test_whoosh_engine.py)."""
    make_article(body="国家中心城市建设。")
    other = engines.current().writer(timeout=0.0, commit_size=200, pending=lambda: 0, quick=True)
    try:
        assert queue.drain() == 1
    finally:
        other.cancel()
    assert not IndexQueue.objects.exists() and count("国家中心城市") == 1


def test_a_bulk_drain_sends_batches_and_commits_once(on_solr, monkeypatch):
    monkeypatch.setattr(solr, "UPDATE_BATCH", 3)
    [make_article(body=f"春运第{i}篇。") for i in range(7)]
    requests, call = [], solr.SolrEngine.call

    def recorded(self, method, *args, **kwargs):
        requests.append((method, len(args[0])) if method == "add" else method)
        return call(self, method, *args, **kwargs)

    monkeypatch.setattr(solr.SolrEngine, "call", recorded)
    assert queue.drain(commit_size=100) == 7
    assert requests == [("add", 3), ("add", 3), ("add", 1), "commit"]


def count(q):
    page, _ = engines.current().find(resolve(parse(q)), Filters(), "relevance", 1, 10, facets=True)
    return page.paginator.count


def test_queries_keep_being_answered_while_a_node_is_killed(cloud, indexed):
    """Queries run without pause while the first node (the one every request tries first) is
    stopped: each one is answered, with every article, by the replica on the other node."""
    answers, errors, stop = [], [], threading.Event()

    def run_queries():
        while not stop.is_set():
            try:
                answers.append(count("防汛"))
            except Exception as exc:  # noqa: BLE001 - the test reports any failure
                errors.append(repr(exc))

    runner = threading.Thread(target=run_queries)
    runner.start()
    try:
        time.sleep(1)
        before = len(answers)
        cloud.stop(0)
        time.sleep(3)
        during = len(answers)
    finally:
        stop.set()
        runner.join(60)
    assert errors == []
    assert before > 0 and during > before  # answered before and while the node was down
    assert set(answers) == {30}


def test_an_ingest_writing_while_a_node_is_killed_finishes_or_reports_and_loses_nothing(cloud, indexed):
    """Articles queued, the first node stopped, the queue drained: the drain either writes
    them all (through the other node) or raises IndexWriteError with every row still queued;
    with the node back, a drain leaves nothing queued and every article is found."""
    added = [make_article(headline="春运", body=f"春运客流第{i}天。") for i in range(40)]
    cloud.stop(0)
    try:
        queue.drain(commit_size=10)
        finished = True
    except IndexWriteError as exc:
        finished = False
        assert "stay queued" in str(exc)
        assert IndexQueue.objects.count() > 0
    if finished:
        assert IndexQueue.objects.count() == 0 and count("春运") == len(added)
    cloud.start(0)
    deadline = time.monotonic() + 120
    while IndexQueue.objects.exists() and time.monotonic() < deadline:
        try:
            queue.drain()
        except IndexWriteError:
            time.sleep(2)  # the collection is still electing its leader
    assert IndexQueue.objects.count() == 0
    assert count("春运") == len(added)
