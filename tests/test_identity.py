"""Stable permalinks: an article keeps its URL (and id) while its text is recognisably the same."""
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.ingest import identity
from archive.models import Article, Person, Tombstone

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE = "002_e713b7ff9e0ddada.txt"
BYLINE = "记者 马燕 通讯员 李盼 文/图"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    call_command("ingest", str(folder), verbosity=0)
    return folder


def _edit(folder, old, new):
    path = folder / PAGE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    call_command("ingest", str(folder), verbosity=0)


def _by_url():
    return {a.get_absolute_url(): (a.id, a.headline) for a in Article.objects.filter(page__file_name=PAGE)}


def test_comma_after_byline_moves_no_url_and_deletes_no_person(seeds, client):
    """`，` typed after a byline: every URL shows the same article and 李盼 keeps her page."""
    before = _by_url()
    person_url = Person.objects.get(name="李盼").get_absolute_url()
    _edit(seeds, BYLINE, BYLINE + "，")
    assert _by_url() == before
    assert client.get(person_url).status_code == 200


def test_merged_article_redirects_to_the_one_it_went_into(seeds, client):
    """Byline, headline and dateline gone merge two articles: the smaller one's URL is a 301
    to the merged one. (A 本报讯 left standing would still open an article of its own.)"""
    before = _by_url()
    first, second = (Article.objects.get(page__file_name=PAGE, position=n) for n in (1, 2))
    _edit(seeds, f"{BYLINE}\n\n{second.headline}\n\n本报讯 ", "")
    after = _by_url()
    assert len(after) == len(before) - 1
    response = client.get(second.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == first.get_absolute_url()
    # The articles after the merge keep their URLs although their positions moved up.
    for url, value in before.items():
        if url != second.get_absolute_url():
            assert after[url] == value


def test_vanished_article_answers_410_never_another_article(seeds, client):
    """An article whose text left the page: its URL answers 410, its number is not reused."""
    last = Article.objects.filter(page__file_name=PAGE).order_by("-position").first()
    path = seeds / PAGE
    text = path.read_text(encoding="utf-8")
    cut = text.rindex(last.headline)
    path.write_text(text[:cut], encoding="utf-8")
    call_command("ingest", str(seeds), verbosity=0)
    response = client.get(last.get_absolute_url())
    assert response.status_code == 410
    assert last.headline in response.content.decode()
    assert client.get(last.get_absolute_url().rstrip("/") + ".json").status_code == 410
    # Text added back comes back at its old URL and id.
    path.write_text(text, encoding="utf-8")
    call_command("ingest", str(seeds), verbosity=0)
    assert _by_url()[last.get_absolute_url()] == (last.id, last.headline)
    assert not Tombstone.objects.exists()


def test_new_article_takes_a_fresh_number(seeds):
    """An article added at the top of a page gets a new number; the others keep theirs."""
    before = _by_url()
    path = seeds / PAGE
    extra = ("郑东新区召开防汛会商会议\n\n"
             "本报讯 7月21日,郑东新区召开防汛会商会议。郑东新区水务局局长王晓沛提出要求，全力做好防汛。\n\n"
             "记者 王阳\n\n")
    path.write_text(extra + path.read_text(encoding="utf-8"), encoding="utf-8")
    call_command("ingest", str(seeds), verbosity=0)
    after = _by_url()
    assert {url: after[url] for url in before} == before
    new = Article.objects.get(page__file_name=PAGE, position=1)
    assert new.number == len(before) + 1


def test_match_prefers_the_most_similar_and_pins_win():
    """The matcher pairs by similarity; a pinned pair is kept whatever the sizes."""
    a = identity.fingerprint("甲", "郑东新区召开防汛会商会议，部署防汛工作。")
    b = identity.fingerprint("乙", "商都路党群服务中心正式揭牌运营，服务辖区群众。")
    old = [identity.Old(1, 1, a), identity.Old(2, 2, b)]
    m = identity.match(old, [b, a])
    assert [o.key for o in m.continues] == [2, 1] and m.gone == []
    m = identity.match(old, [a | b])
    assert len(m.gone) == 1 and m.gone[0][1] == 0  # the other went into the merged article
    m = identity.match(old, [b], pinned={0: 1})
    assert m.continues[0].key == 1
