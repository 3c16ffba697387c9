"""The page cache and HTTP caching, keyed by the archive's version (archive.version, archive.caching)."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from archive import caching, version
from archive.ingest.dates import PartialDate
from archive.ingest.source import PageMeta
from archive.loader import Loader
from archive.merge import merge_persons
from archive.models import Article
from tests.builders import make_article, make_person, mention

pytestmark = pytest.mark.django_db

SIMPLE = "郑东新区召开防汛会商会议\n\n本报讯 7月21日,郑东新区召开防汛会商会议。郑东新区水务局局长王晓沛提出要求。\n\n记者 马燕\n"


def home(client, **headers):
    return client.get(reverse("archive:home"), headers=headers)


def test_a_page_is_served_from_the_cache_while_the_version_stands(client):
    """A change no signal reports (a bulk update) is not seen until the version moves."""
    article = make_article(headline="旧标题")
    assert "旧标题" in home(client).content.decode()
    Article.objects.filter(pk=article.pk).update(headline="新标题")  # no signal, no bump
    assert "旧标题" in home(client).content.decode()
    version.bump()
    assert "新标题" in home(client).content.decode()


def test_a_saved_record_is_seen_on_the_next_request(client):
    """A save (what the admin does) changes the version, so the next page shows it."""
    person = make_person("孙建功")
    mention(make_article(), person)
    page = reverse("archive:person", args=[person.slug])
    assert "孙建功" in client.get(page).content.decode()
    person.name = "孙建国"
    person.save()
    assert "孙建国" in client.get(page).content.decode()


def test_an_ingested_page_changes_the_version():
    """The loader's bulk inserts send no signals; it bumps the version in the page's transaction."""
    before = version.current()
    meta = PageMeta(newspaper="郑州晚报", section="", published=PartialDate.parse("2020-07-21"))
    Loader().load("fast.txt", SIMPLE.encode(), meta)
    assert version.current()[0] != before[0]


def test_a_merge_changes_the_version():
    """Merging two people (an admin action) changes the version."""
    keep, other = make_person("孙建功"), make_person("孙建功")
    mention(make_article(), other)
    before = version.current()
    merge_persons(keep, [other])
    assert version.current()[0] != before[0]


def test_a_rolled_back_write_leaves_the_version():
    """A write that rolls back takes its bump with it."""
    before = version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_person("孙建功")
        raise RuntimeError
    assert version.current() == before


def test_a_public_page_carries_its_version_as_etag_and_last_modified(client):
    """ETag and Last-Modified come from the version; Cache-Control lets shared caches keep it."""
    response = home(client)
    token, _ = version.current()
    assert response["ETag"] == f'"{caching.release()[0]}-{token}-{timezone.localdate():%Y%m%d}"'
    assert response.has_header("Last-Modified")
    assert "public" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_conditional_get_is_answered_304_until_the_archive_changes(client):
    """If-None-Match with the current ETag gets 304 and no body; after a write, the page again."""
    make_article(headline="旧标题")
    etag = home(client)["ETag"]
    unchanged = home(client, if_none_match=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    make_article(headline="又一篇")
    changed = home(client, if_none_match=etag)
    assert changed.status_code == 200 and "又一篇" in changed.content.decode()


def test_a_new_release_of_the_code_is_neither_served_the_old_copy_nor_a_304(client, monkeypatch):
    """After an upgrade (new templates, new static names) the archive is unchanged, but the
    cached page and the ETag the old code earned must not stand."""
    make_article(headline="旧标题")
    etag = home(client)["ETag"]
    code, released_at = caching.release()
    monkeypatch.setattr(caching, "release", lambda: ("another-code", released_at))
    again = home(client, if_none_match=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_if_modified_since_is_answered_304(client):
    """A proxy that only knows Last-Modified revalidates too."""
    last_modified = home(client)["Last-Modified"]
    assert home(client, if_modified_since=last_modified).status_code == 304


def test_a_logged_in_reader_gets_a_private_page_never_the_shared_copy(client, admin_client):
    """Staff pages are marked private, are not stored, and do not come from the anonymous copy."""
    article = make_article(headline="旧标题")
    home(client)
    Article.objects.filter(pk=article.pk).update(headline="新标题")  # no bump: the cache holds 旧标题
    staff = home(admin_client)
    assert "新标题" in staff.content.decode()
    assert "private" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]
    assert not staff.has_header("ETag")


def test_json_twins_and_feeds_are_cached_too(client):
    """A person's JSON and feed come from the cache while the version stands."""
    person = make_person("孙建功")
    mention(make_article(headline="旧标题"), person)
    urls = [reverse("archive:person_json", args=[person.slug]), reverse("archive:person_feed", args=[person.slug])]
    first = [client.get(u) for u in urls]
    assert all(r.has_header("ETag") for r in first)
    Article.objects.update(headline="新标题")
    assert ["旧标题" in client.get(u).content.decode() for u in urls] == [True, True]


def test_an_index_drain_changes_the_version():
    """Search pages are cached too, and the index is written after the records' commit: the drain bumps."""
    from search.queue import drain, enqueue_articles

    enqueue_articles([make_article(headline="防汛会议").pk])
    before = version.current()
    drain()
    assert version.current()[0] != before[0]


def test_a_cached_search_is_answered_304(client):
    """The search page revalidates like every other public page."""
    etag = client.get(reverse("search:search"), {"q": "防汛"})["ETag"]
    assert client.get(reverse("search:search"), {"q": "防汛"}, headers={"if_none_match": etag}).status_code == 304


def test_two_urls_never_share_an_entry(client):
    """The key is the full URL: an article with ?q= marks its terms, the bare one does not."""
    article = make_article(body="郑东新区召开防汛会商会议。")
    bare = client.get(article.get_absolute_url()).content.decode()
    marked = client.get(article.get_absolute_url(), {"q": "防汛"}).content.decode()
    assert "<mark>防汛</mark>" in marked and "<mark>" not in bare


def test_an_article_read_the_next_day_cites_that_day(client, monkeypatch):
    """The citation names the day it was read: a page is new each day, even while the archive stands."""
    article = make_article(headline="防汛会议")
    first = client.get(article.get_absolute_url())
    later = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    second = client.get(article.get_absolute_url(), headers={"if_none_match": first["ETag"]})
    assert second.status_code == 200 and f"{later:%Y-%m-%d}" in second.content.decode()


def test_a_cached_page_costs_one_query(client, django_assert_num_queries):
    """Served from the cache, a page reads only the archive's version, however much it lists."""
    for i in range(5):
        make_article(headline=f"防汛会议{i}")
    home(client)
    with django_assert_num_queries(1):
        assert home(client).status_code == 200
