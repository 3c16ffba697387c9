"""The editor's desk: each correction, undo, replay on re-ingest, conflicts, access."""
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from archive.models import Article, Person
from desk.models import Correction
from search.models import IndexQueue

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE = "002_e713b7ff9e0ddada.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(tmp_path, settings):
    settings.SEARCH_QUEUE_AUTODRAIN = False  # the queue rows themselves are checked
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    call_command("ingest", str(folder), verbosity=0)
    return folder


def _article(n):
    return Article.objects.get(page__file_name=PAGE, position=n)


def _post(client, article, **data):
    response = client.post(reverse("desk:correct", args=[article.pk]), data)
    assert response.status_code == 302
    return response


def _messages(client, article):
    return client.get(reverse("desk:page", args=[article.page.slug])).content.decode()


def test_split_at_a_paragraph_keeps_the_first_url_and_gives_the_second_a_new_one(seeds, staff):
    """Split: the first part keeps id and URL, the second is a new article with a derived headline."""
    first = _article(1)
    url, paragraphs = first.get_absolute_url(), first.paragraphs
    _post(staff, first, action="split", paragraph=2)
    part1, part2 = _article(1), _article(2)
    assert part1.pk == first.pk and part1.get_absolute_url() == url
    assert part1.paragraphs == paragraphs[:2] and part2.paragraphs == paragraphs[2:]
    assert part2.headline_derived and part2.number == 5
    assert part1.corrected and part2.corrected and not _article(3).corrected
    assert Article.objects.filter(page__file_name=PAGE).count() == 5
    assert IndexQueue.objects.filter(object_id=part2.pk).exists()


def test_split_at_a_line_inside_a_paragraph(seeds, staff):
    """A line of the source that sits inside a repaired paragraph starts the second part there."""
    first = _article(2)
    paragraph = first.paragraphs[0]
    line = paragraph[20:40]
    _post(staff, first, action="split", line=line)
    assert _article(2).paragraphs[0] == paragraph[:20].rstrip()
    assert _article(3).paragraphs[0].startswith(line)


def test_merge_redirects_the_second_url_to_the_first(seeds, staff, client):
    """Merge with next: one article holds both texts; the second's old URL is a 301 to it."""
    first, second = _article(3), _article(4)
    old_url = second.get_absolute_url()
    _post(staff, first, action="merge_next")
    merged = _article(3)
    assert second.paragraphs[-1] in merged.paragraphs and merged.pk == first.pk
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == first.get_absolute_url()


def test_edit_headline_is_stored_with_who_before_and_after(seeds, staff, client):
    """An edited headline shows at once, is listed in the history, and the article says so."""
    article = _article(1)
    printed = article.headline
    _post(staff, article, action="edit_field", field="headline", value="新的标题")
    article.refresh_from_db()
    assert article.headline == "新的标题"
    correction = Correction.objects.get()
    assert (correction.user.username, correction.data["before"], correction.data["after"]) == (
        "editor", printed, "新的标题")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "已更正" in page and reverse("desk:history", args=[article.page.slug, article.number]) in page
    history = client.get(reverse("desk:history", args=[article.page.slug, article.number])).content.decode()
    assert "新的标题" in history and "editor" in history


def test_a_correction_and_its_undo_are_seen_by_readers_on_their_next_request(seeds, staff, client):
    """Public pages are cached by the archive's version: a correction and its undo each move it."""
    article = _article(1)
    printed = article.headline
    assert printed in client.get(article.get_absolute_url()).content.decode()  # now in the page cache
    _post(staff, article, action="edit_field", field="headline", value="新的标题")
    assert "新的标题" in client.get(article.get_absolute_url()).content.decode()
    staff.post(reverse("desk:undo", args=[Correction.objects.get().pk]))
    assert "新的标题" not in client.get(article.get_absolute_url()).content.decode()


def test_edit_paragraph_and_byline(seeds, staff):
    """A paragraph's text and the byline (with its people) can be corrected."""
    article = _article(1)
    before = article.paragraphs[1]
    _post(staff, article, action="edit_paragraph", paragraph=1, value=before + "（补）")
    _post(staff, _article(1), action="edit_field", field="byline", value="记者 王阳")
    article = _article(1)
    assert article.paragraphs[1] == before + "（补）"
    assert article.byline == "记者 王阳" and [p.name for p in article.reporters] == ["王阳"]


def test_move_paragraph_to_the_next_article(seeds, staff):
    """The last paragraph of an article can move to the start of the next one."""
    article, nxt = _article(2), _article(3)
    last = article.paragraphs[-1]
    _post(staff, article, action="move_paragraph", paragraph=len(article.paragraphs) - 1, direction="next")
    assert _article(3).paragraphs[0] == last and last not in _article(2).paragraphs
    assert _article(3).pk == nxt.pk


def test_mark_line_as_headline_splits_there(seeds, staff):
    """A paragraph marked as a headline starts a new article under that headline."""
    line = "一个小标题"
    _post(staff, _article(1), action="edit_paragraph", paragraph=3, value=line)
    _post(staff, _article(1), action="mark_line", paragraph=3, **{"as": "headline"})
    new = _article(2)
    assert new.headline == line and not new.headline_derived and line not in new.paragraphs
    assert len(_article(1).paragraphs) == 3


def test_entities_added_and_removed(seeds, staff):
    """A wrong person link goes, a missing one comes, and both survive a re-parse."""
    article = _article(2)
    name = article.named_people[0].person.name
    _post(staff, article, action="remove_entity", kind="person", name=name)
    _post(staff, article, action="add_entity", kind="person", name="张三丰")
    names = {m.person.name for m in _article(2).person_mentions.all()}
    assert name not in names and "张三丰" in names
    call_command("ingest", str(seeds), force=True, verbosity=0)
    names = {m.person.name for m in _article(2).person_mentions.all()}
    assert name not in names and "张三丰" in names


def test_confirm_derived_headline(seeds, staff):
    """Confirming a derived headline is a correction of its own; a printed one cannot be."""
    article = _article(1)
    _post(staff, article, action="split", paragraph=2)
    derived = _article(2)
    _post(staff, derived, action="confirm_headline")
    assert Correction.objects.filter(action="confirm_headline", status=Correction.ACTIVE).count() == 1
    _post(staff, _article(1), action="confirm_headline")
    assert Correction.objects.filter(action="confirm_headline").count() == 1


def test_undo_restores_the_page_and_redirects_the_second_part(seeds, staff, client):
    """Undoing a split joins the parts again; the second part's URL then redirects to the first."""
    first = _article(1)
    body = first.body
    _post(staff, first, action="split", paragraph=2)
    second_url = _article(2).get_absolute_url()
    correction = Correction.objects.get()
    response = staff.post(reverse("desk:undo", args=[correction.pk]))
    assert response.status_code == 302
    assert _article(1).body == body and Article.objects.filter(page__file_name=PAGE).count() == 4
    correction.refresh_from_db()
    assert correction.status == Correction.UNDONE and correction.undone_by.username == "editor"
    assert not _article(1).corrected
    assert client.get(second_url)["Location"] == first.get_absolute_url()


def test_reingest_keeps_every_correction(seeds, staff):
    """An unchanged page re-ingested, and `ingest --force`, keep split, merge and headline edit."""
    _post(staff, _article(1), action="split", paragraph=2)
    _post(staff, _article(4), action="merge_next")
    _post(staff, _article(3), action="edit_field", field="headline", value="改过的标题")
    state = sorted(Article.objects.filter(page__file_name=PAGE).values_list("id", "number", "headline", "body"))
    call_command("ingest", str(seeds), verbosity=0)
    call_command("ingest", str(seeds), force=True, verbosity=0)
    assert sorted(Article.objects.filter(page__file_name=PAGE).values_list(
        "id", "number", "headline", "body")) == state
    assert set(Correction.objects.values_list("status", flat=True)) == {Correction.ACTIVE}


def test_changed_page_keeps_what_applies_and_lists_the_rest(seeds, staff, capsys):
    """A replaced file: a correction to vanished text is listed for review, the others still apply."""
    _post(staff, _article(1), action="edit_field", field="headline", value="改过的标题")
    last = _article(4)
    _post(staff, last, action="edit_paragraph", paragraph=0, value="改过的段落。")
    path = seeds / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.rindex(last.headline)], encoding="utf-8")
    capsys.readouterr()
    call_command("ingest", str(seeds))
    out = capsys.readouterr().out
    stale = Correction.objects.get(status=Correction.STALE)
    assert stale.action == "edit_paragraph" and f"correction {stale.id}" in out
    assert _article(1).headline == "改过的标题"
    review = staff.get(reverse("desk:review")).content.decode()
    assert stale.summary in review


def test_refused_correction_changes_nothing(seeds, staff):
    """A correction that does not apply is refused with a message and stores nothing."""
    article = _article(1)
    _post(staff, article, action="edit_field", field="headline", value="")
    assert not Correction.objects.exists() and _article(1).headline == article.headline
    assert "没有改动" in _messages(staff, article)


def test_readers_see_no_controls_and_cannot_edit(seeds, client, django_user_model):
    """Not logged in: no desk links, and the editing URLs redirect to the login (302)."""
    article = _article(1)
    assert "编辑台" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(reverse("desk:page", args=[article.page.slug])).status_code == 302
    response = client.post(reverse("desk:correct", args=[article.pk]), {"action": "merge_next"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(user)
    assert client.post(reverse("desk:correct", args=[article.pk]), {"action": "merge_next"}).status_code == 302
    assert Article.objects.filter(page__file_name=PAGE).count() == 4


def test_post_without_csrf_token_is_refused(seeds, django_user_model):
    """Every correction is a POST with a CSRF token."""
    user = django_user_model.objects.create_user("editor2", password="pw-editor-2", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("desk:correct", args=[_article(1).pk]), {"action": "merge_next"}).status_code == 403
    assert client.get(reverse("desk:correct", args=[_article(1).pk])).status_code == 405


def test_person_survives_while_a_correction_names_them(seeds, staff):
    """A person added by an editor is a real record with a page."""
    _post(staff, _article(1), action="add_entity", kind="person", name="张三丰")
    assert Person.objects.filter(name="张三丰").exists()
