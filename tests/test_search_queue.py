"""The index queue: saves and deletes queue rows, one writer drains them, a held lock loses nothing."""
import pytest
from django.core.management import call_command
from django.urls import reverse
from haystack import connections
from haystack.query import SearchQuerySet

from archive.ingest import types as T
from archive.models import Article, District
from search import engines, queue
from search.engine import Filters
from search.engines import whoosh_write
from search.models import IndexQueue
from search.query import parse
from search.rebuild import needs_rebuild, rebuild
from search.search_indexes import ArticleIndex
from tests.builders import make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def backend():
    """A fresh, empty index for each test."""
    backend = connections["default"].get_backend()
    backend.clear()
    return backend


def hits(q):
    """Article ids in the index for q (not loaded from the database, so stale entries show)."""
    page, _ = engines.current().find(parse(q), Filters(), "relevance", 1, 10000, facets=False)
    return set(page.object_list)


def test_saving_an_article_queues_it_and_drain_indexes_it():
    article = make_article(headline="防汛工作部署会召开", body="全市防汛工作进入关键期。")
    rows = list(IndexQueue.objects.values_list("model", "object_id", "action"))
    assert ("archive.article", article.pk, "update") in rows
    assert hits("防汛") == set()
    assert queue.drain() == 1
    assert hits("防汛") == {article.pk}
    assert not IndexQueue.objects.exists()


def test_deleting_an_article_removes_it_from_the_index():
    keep = make_article(body="中欧班列开行。")
    gone = make_article(body="中欧班列扩容。")
    queue.drain()
    assert hits("中欧班列") == {keep.pk, gone.pk}
    gone_pk = gone.pk
    gone.delete()
    assert IndexQueue.objects.filter(object_id=gone_pk, action="delete").exists()
    assert queue.drain() == 1
    assert hits("中欧班列") == {keep.pk}


def test_enqueue_for_the_loader():
    """enqueue_articles(ids) and enqueue_articles(ids, delete=True) as the loader calls them."""
    article = make_article(body="郑煤机集团。")
    IndexQueue.objects.all().delete()
    assert queue.enqueue_articles([article.pk, article.pk]) == 1
    assert queue.drain() == 1
    assert hits("郑煤机") == {article.pk}
    Article.objects.filter(pk=article.pk).delete()  # a queryset delete, as a loader might
    IndexQueue.objects.all().delete()
    queue.enqueue_articles([article.pk], delete=True)
    assert queue.drain() == 1
    assert hits("郑煤机") == set()


def test_headline_edit_reaches_the_index():
    article = make_article(headline="旧标题算力中心", body="正文。")
    queue.drain()
    article.headline = "新标题中欧班列"
    article.save(update_fields=["headline"])
    queue.drain()
    assert hits("中欧班列") == {article.pk}
    assert hits("算力") == set()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_admin_edit_reaches_the_index_after_commit(admin_client, django_capture_on_commit_callbacks):
    """Saving the admin form queues the article; the drain after commit indexes it, no command needed."""
    article = make_article(headline="旧的标题", body="郑州正文。", districts=["郑东新区"])
    queue.drain()
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(page=article.page.pk, districts=[d.pk for d in article.districts.all()],
                headline="改过的标题防汛", body=article.body, position=article.position, kind=article.kind)
    for prefix in ("person_mentions", "organization_mentions", "event_dates"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    assert hits("防汛") == {article.pk}
    assert hits("旧的标题") == set()
    assert not IndexQueue.objects.exists()


def test_paused_leaves_rows_for_an_explicit_drain(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), queue.paused():
        article = make_article(body="算力网络。")
    assert IndexQueue.objects.exists()
    assert hits("算力") == set()
    assert queue.drain() == 1
    assert hits("算力") == {article.pk}


@pytest.mark.whoosh
def test_a_drain_while_another_writer_holds_the_lock_leaves_the_rows(backend):
    article = make_article(body="国家中心城市建设。")
    other_writer = backend.writer()  # e.g. an ingest or rebuild in another process
    try:
        assert queue.drain() == 0  # no error, no wait
        assert IndexQueue.objects.filter(object_id=article.pk).exists()
    finally:
        other_writer.cancel()
    assert queue.drain() == 1
    assert hits("国家中心城市") == {article.pk}
    assert not IndexQueue.objects.exists()


@pytest.mark.whoosh
def test_a_delete_while_the_lock_is_held_is_not_lost(backend):
    article = make_article(body="李小虎调研。")
    queue.drain()
    pk = article.pk
    other_writer = backend.writer()
    try:
        article.delete()
        assert queue.drain() == 0
    finally:
        other_writer.cancel()
    assert hits("李小虎") == {pk}  # still there until the next drain
    queue.drain()
    assert hits("李小虎") == set()


@pytest.mark.whoosh
def test_repeated_edits_do_not_pile_up_segments(backend):
    """Each drain writes a segment; the ones emptied by re-indexing are dropped, not kept."""
    article = make_article(body="防汛。")
    queue.drain()
    for i in range(6):
        article.headline = f"第{i}次修改"
        article.save()
        queue.drain(quick=True)
    segments = backend.index.refresh()._segments()
    assert len(segments) <= 2 and sum(s.doc_count() for s in segments) == 1


def test_mentions_and_districts_reindex_their_article():
    article = make_article(body="本报讯 近日召开会议。")
    queue.drain()
    mention(article, make_person("王阳"), role=T.REPORTER)
    article.districts.add(District.objects.get(name="郑东新区"))
    queue.drain()
    assert {int(r.pk) for r in SearchQuerySet().filter(reporters="王阳")} == {article.pk}
    assert {int(r.pk) for r in SearchQuerySet().filter(districts="郑东新区")} == {article.pk}
    assert hits("王阳") == {article.pk}  # reporters' names are in the document text
    District.objects.get(name="郑东新区").articles.clear()  # the reverse side, as an editor might
    queue.drain()
    assert list(SearchQuerySet().filter(districts="郑东新区")) == []


def test_page_edit_reindexes_its_articles():
    page = make_page(newspaper="郑州晚报")
    article = make_article(page=page, body="郑州新闻。")
    queue.drain()
    page.newspaper = "郑州日报"
    page.save()
    queue.drain()
    assert {int(r.pk) for r in SearchQuerySet().filter(newspaper="郑州日报")} == {article.pk}


def test_a_record_that_fails_to_index_is_kept_and_counted(monkeypatch):
    good = make_article(body="防汛物资。")
    bad = make_article(body="防汛演练。")

    def broken(self, obj):
        if obj.pk == bad.pk:
            raise ValueError("broken template")
        return []

    monkeypatch.setattr(ArticleIndex, "prepare_persons", broken)
    assert queue.drain() == 1
    row = IndexQueue.objects.get()
    assert (row.object_id, row.attempts) == (bad.pk, 1) and "broken template" in row.last_error
    monkeypatch.undo()
    assert queue.drain() == 1
    assert hits("防汛") == {good.pk, bad.pk}


def test_fields_for_filters_and_facets(backend):
    page = make_page(file_name="004_x.txt")
    article = make_article(page=page, headline="标题", body="正文。", kind=T.INTERVIEW, districts=["高新区"])
    mention(article, make_person("孙建功"), role=T.INTERVIEWEE)
    queue.drain()
    result = SearchQuerySet().filter(source="004_x.txt")[0]
    assert int(result.pk) == article.pk
    assert result.persons == ["孙建功"] and result.districts == ["高新区"]
    assert (result.kind, result.newspaper, result.year, result.month) == (T.INTERVIEW, "郑州晚报", 2020, 7)
    assert str(result.published)[:10] == "2020-07-01"  # whoosh gives a datetime, haystack's Solr a date


def test_rebuild_swaps_in_a_complete_index(backend):
    articles = [make_article(body=f"算力第{i}篇。") for i in range(3)]
    IndexQueue.objects.all().delete()  # as if the queue had been lost
    assert needs_rebuild() == "index is empty"
    assert rebuild() == 3
    assert hits("算力") == {a.pk for a in articles}
    assert needs_rebuild() == ""


def test_haystack_rebuild_index_command_still_works():
    article = make_article(body="中原科技城。")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert hits("中原科技城") == {article.pk}


def test_commands(capsys):
    article = make_article(body="新郑市。")
    call_command("process_index_queue", wait=0)
    assert "Index updates applied: 1; rows still queued: 0" in capsys.readouterr().out
    call_command("ensure_index", rebuild=True)
    assert "Indexed 1 articles" in capsys.readouterr().out
    assert hits("新郑") == {article.pk}


def test_an_article_naming_thousands_of_people_is_indexed():
    """A member list of 2,186 names indexes on SQLite (no expression-depth error)."""
    from archive.models import Person, PersonMention

    article = make_article(headline="政协委员名单", body="委员名单。")
    people = Person.objects.bulk_create([Person(name=f"委员{i}", slug=f"m-{i}") for i in range(2186)])
    PersonMention.objects.bulk_create([PersonMention(article=article, person=p, role=T.MENTIONED) for p in people])
    queue.enqueue_articles([article.id])
    assert queue.drain() >= 1
    assert not IndexQueue.objects.filter(last_error__gt="").exists()


def copies_in_index(backend, article):
    backend.index = backend.index.refresh()
    with backend.index.searcher() as searcher:
        return len(list(searcher.document_numbers(id=f"archive.article.{article.pk}")))


@pytest.mark.whoosh
def test_a_bulk_drain_writes_its_rows_in_one_commit(backend):
    articles = [make_article(body=f"防汛第{i}篇。") for i in range(5)]
    generation = backend.index.refresh().latest_generation()
    assert queue.drain(batch_size=2, commit_size=100) == 5
    assert backend.index.refresh().latest_generation() == generation + 1
    assert hits("防汛") == {a.pk for a in articles}


@pytest.mark.whoosh
def test_an_article_queued_twice_in_one_bulk_drain_is_indexed_once_as_it_is_now(backend):
    """whoosh replaces only committed documents, so a second row for it needs a new commit."""
    article = make_article(headline="旧标题", body="正文。")
    make_article(body="其他文章。")
    article.headline = "新标题防汛"
    article.save()
    assert IndexQueue.objects.filter(object_id=article.pk).count() >= 2
    queue.drain(batch_size=1, commit_size=100)
    assert copies_in_index(backend, article) == 1
    assert hits("防汛") == {article.pk}


@pytest.fixture
def parallel(settings, monkeypatch):
    """Bulk drains in two sub-processes, even for a handful of rows."""
    settings.SEARCH_INDEX_PROCS = 2
    monkeypatch.setattr(whoosh_write, "PARALLEL_MIN", 4)
    monkeypatch.setattr(whoosh_write, "PARALLEL_BATCH", 2)


@pytest.mark.whoosh
def test_a_parallel_bulk_drain_indexes_every_article(backend, parallel):
    articles = [make_article(body=f"中欧班列第{i}篇。") for i in range(8)]
    assert queue.drain(commit_size=100) == 8
    assert hits("中欧班列") == {a.pk for a in articles}
    assert len(backend.index.refresh()._segments()) >= 2  # one segment per sub-process


@pytest.mark.whoosh
def test_a_sub_process_that_dies_ends_the_commit_and_keeps_every_row(backend, parallel, monkeypatch, tmp_path):
    """A writer process that dies mid-drain: nothing of the commit is applied, every row stays, no
    process or temporary folder is left, and the next drain indexes everything."""
    import multiprocessing
    import os

    from whoosh.multiproc import SubWriterTask

    articles = [make_article(body=f"算力第{i}篇。") for i in range(8)]
    process_file = SubWriterTask._process_file
    first = tmp_path / "first-job-taken"

    def dies_on_the_first_job(self, filename, doc_count):
        try:  # only the sub-process that takes the first job creates the file
            os.close(os.open(first, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return process_file(self, filename, doc_count)
        raise SystemExit(1)  # it exits without a result

    monkeypatch.setattr(SubWriterTask, "_process_file", dies_on_the_first_job)
    with pytest.raises(queue.IndexWriteError, match="SystemExit: 1.*8 index updates stay queued"):
        queue.drain(commit_size=100)
    assert IndexQueue.objects.count() == 8 and hits("算力") == set()
    assert multiprocessing.active_children() == []
    assert not os.path.exists(os.path.join(backend.index.storage.folder, "MAIN.tmp"))
    monkeypatch.undo()
    queue.drain()
    assert hits("算力") == {a.pk for a in articles}


@pytest.mark.whoosh
def test_an_interrupted_parallel_drain_ends_its_sub_processes(backend, parallel, monkeypatch):
    """Ctrl-C in an ingest's drain: the rows stay queued and no writer process is left waiting."""
    import multiprocessing

    from search.backend import JiebaWhooshBackend

    [make_article(body=f"防汛第{i}篇。") for i in range(8)]
    document = JiebaWhooshBackend.document
    calls = []

    def interrupted(self, search_index, obj):
        calls.append(obj.pk)
        if len(calls) == 6:  # the first jobs are with the sub-processes by now
            raise KeyboardInterrupt
        return document(self, search_index, obj)

    monkeypatch.setattr(JiebaWhooshBackend, "document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        queue.drain(commit_size=100)
    assert multiprocessing.active_children() == []
    assert IndexQueue.objects.count() == 8
    monkeypatch.undo()
    assert queue.drain() == 8


def segment_sizes(backend):
    return sorted(s.doc_count() for s in backend.index.refresh()._segments())


@pytest.mark.whoosh
def test_full_drains_merge_small_segments(backend, monkeypatch):
    monkeypatch.setattr(whoosh_write, "SMALL_SEGMENT", 10)
    articles = []
    for i in range(4):
        articles.append(make_article(body=f"防汛第{i}篇。"))
        queue.drain()
    assert segment_sizes(backend) == [1, 3]  # the earlier three merged; the commit's own beside them
    assert hits("防汛") == {a.pk for a in articles}


@pytest.mark.whoosh
def test_big_segments_are_merged_only_past_the_limit_smallest_first(backend, monkeypatch):
    """No commit rewrites the whole index: only the smallest segments, and only past MAX_SEGMENTS."""
    monkeypatch.setattr(whoosh_write, "SMALL_SEGMENT", 2)
    monkeypatch.setattr(whoosh_write, "MAX_SEGMENTS", 4)
    articles = []
    for size in (6, 5, 4, 3):
        articles += [make_article(body=f"算力第{size}批。") for _ in range(size)]
        queue.drain()
    assert segment_sizes(backend) == [3, 4, 5, 6]  # at the limit: nothing merged
    articles += [make_article(body="算力第7批。") for _ in range(3)]
    queue.drain()
    # The two smallest (3 and 4) went into the commit's own segment, with its 3 new documents.
    assert segment_sizes(backend) == [5, 6, 10]
    assert hits("算力") == {a.pk for a in articles}


@pytest.mark.whoosh
def test_a_parallel_drain_leaves_nothing_frozen(backend, parallel, monkeypatch):
    """The gc freeze that keeps forked pages shared ends with the commit."""
    import gc

    from whoosh.multiproc import MpWriter

    frozen_at_commit = []
    commit = MpWriter.commit

    def watched(self, *args, **kwargs):
        frozen_at_commit.append(gc.get_freeze_count())
        return commit(self, *args, **kwargs)

    monkeypatch.setattr(MpWriter, "commit", watched)
    [make_article(body=f"春运第{i}篇。") for i in range(6)]
    assert queue.drain(commit_size=100) == 6
    assert frozen_at_commit and frozen_at_commit[0] > 0
    assert gc.get_freeze_count() == 0


@pytest.mark.whoosh
def test_a_quick_drain_never_merges_big_segments(backend, monkeypatch):
    """A drain inside a web request leaves big merges to the next full drain."""
    monkeypatch.setattr(whoosh_write, "SMALL_SEGMENT", 2)
    monkeypatch.setattr(whoosh_write, "MAX_SEGMENTS", 2)
    for size in (4, 3, 3):
        [make_article(body=f"春运第{size}批。") for _ in range(size)]
        queue.drain(quick=True)
    assert segment_sizes(backend) == [3, 3, 4]
    make_article(body="春运补充。")
    queue.drain()
    assert len(segment_sizes(backend)) <= 2
