"""The index queue on every engine: saves and deletes queue rows, one writer drains them, a
busy or failing engine loses nothing. (Each engine's own machinery: tests/test_whoosh_engine.py,
tests/test_solr_engine.py.)"""
import pytest
from django.core.management import call_command
from django.urls import reverse
from haystack import connections
from haystack.query import SearchQuerySet

from archive.ingest import types as T
from archive.models import Article, District
from search import engines, queue
from search.engine import Filters
from search.engines.base import IndexWriteError
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


def documents() -> int:
    """How many documents the index holds (a second copy of an article would count)."""
    page, _ = engines.current().find(None, Filters(), "newest", 1, 1, facets=False)
    return page.paginator.count


def open_writer():
    """A writer open beside the drains under test, as an ingest or a rebuild in another
    process holds one (whoosh: its write lock; Solr: nothing to wait for)."""
    return engines.current().writer(timeout=0.0, commit_size=200, pending=lambda: 0, quick=True)


@pytest.fixture
def commits(monkeypatch):
    """The commits the queue's writers make, counted (one entry per commit)."""
    engine_class = type(engines.current())
    make_writer, made = engine_class.writer, []

    def counted(self, *args, **kwargs):
        writer = make_writer(self, *args, **kwargs)
        commit = writer.commit

        def counted_commit():
            made.append(writer)
            commit()

        writer.commit = counted_commit
        return writer

    monkeypatch.setattr(engine_class, "writer", counted)
    return made


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


def test_a_drain_beside_another_writer_loses_nothing():
    """Whether the engine makes the drain wait (whoosh's lock) or not (Solr), once the other
    writer is done every queued article is indexed and no row is left."""
    article = make_article(body="国家中心城市建设。")
    other = open_writer()
    try:
        queue.drain()
    finally:
        other.cancel()
    queue.drain()
    assert hits("国家中心城市") == {article.pk}
    assert not IndexQueue.objects.exists()


def test_a_delete_beside_another_writer_is_not_lost():
    article = make_article(body="李小虎调研。")
    queue.drain()
    other = open_writer()
    try:
        article.delete()
        queue.drain()
    finally:
        other.cancel()
    queue.drain()
    assert hits("李小虎") == set()
    assert not IndexQueue.objects.exists()


def test_repeated_edits_leave_one_document_as_it_is_now():
    article = make_article(body="防汛。")
    queue.drain()
    for i in range(6):
        article.headline = f"第{i}次修改"
        article.save()
        queue.drain(quick=True)
    assert documents() == 1
    assert hits("第5次修改") == {article.pk} and hits("第4次修改") == set()


def test_a_bulk_drain_writes_its_rows_in_one_commit(commits):
    articles = [make_article(body=f"防汛第{i}篇。") for i in range(5)]
    assert queue.drain(batch_size=2, commit_size=100) == 5
    assert len(commits) == 1
    assert hits("防汛") == {a.pk for a in articles}


def test_an_article_queued_twice_in_one_bulk_drain_is_indexed_once_as_it_is_now():
    article = make_article(headline="旧标题", body="正文。")
    make_article(body="其他文章。")
    article.headline = "新标题防汛"
    article.save()
    assert IndexQueue.objects.filter(object_id=article.pk).count() >= 2
    queue.drain(batch_size=1, commit_size=100)
    assert documents() == 2
    assert hits("防汛") == {article.pk} and hits("旧标题") == set()


def test_a_commit_that_fails_keeps_every_row_for_the_next_drain(monkeypatch):
    """The engine could not commit (a full disk, a node down): the drain says so, every row of
    the commit stays queued, and the next drain indexes them all."""
    articles = [make_article(body=f"春运第{i}篇。") for i in range(4)]
    engine_class = type(engines.current())
    make_writer = engine_class.writer

    def failing(self, *args, **kwargs):
        writer = make_writer(self, *args, **kwargs)

        def commit():
            raise IndexWriteError("the engine did not commit")

        writer.commit = commit
        return writer

    monkeypatch.setattr(engine_class, "writer", failing)
    with pytest.raises(IndexWriteError, match="4 index updates stay queued"):
        queue.drain(commit_size=100)
    assert IndexQueue.objects.count() == 4
    monkeypatch.setattr(engine_class, "writer", make_writer)
    assert queue.drain() == 4
    assert hits("春运") == {a.pk for a in articles}


def test_an_interrupted_drain_keeps_every_row(monkeypatch):
    """Ctrl-C in an ingest's drain: the rows stay queued and the next drain applies them."""
    [make_article(body=f"防汛第{i}篇。") for i in range(8)]
    engine_class = type(engines.current())
    document, calls = engine_class.document, []

    def interrupted(self, search_index, obj):
        calls.append(obj.pk)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return document(self, search_index, obj)

    monkeypatch.setattr(engine_class, "document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        queue.drain(commit_size=100)
    assert IndexQueue.objects.count() == 8
    monkeypatch.undo()
    assert queue.drain() == 8
