"""The editor's desk: entity corrections (rename, places, organisations), the line marks
and moves test_desk.py leaves out, and undo of every action."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, Person
from desk.models import Correction
from search.models import IndexQueue
from tests.test_desk import PAGE, _article, _post, seeds  # noqa: F401 (seeds is a fixture)

pytestmark = pytest.mark.django_db


def _people(n):
    return sorted(m.person.name for m in _article(n).person_mentions.all())


def _places(n):
    return sorted(d.name for d in _article(n).districts.all())


def _orgs(n):
    return sorted(m.organization.name for m in _article(n).organization_mentions.all())


def _state():
    """Everything a correction may change on the page, article by article."""
    return [
        (a.id, a.number, a.headline, a.headline_derived, a.kicker, a.subheadline, a.lead, a.body, a.byline,
         sorted((m.person.name, m.role) for m in a.person_mentions.all()),
         sorted(m.organization.name for m in a.organization_mentions.all()),
         sorted(d.name for d in a.districts.all()))
        for a in Article.objects.filter(page__file_name=PAGE).order_by("position")
        .prefetch_related("person_mentions__person", "organization_mentions__organization", "districts")
    ]


def test_rename_person_is_a_correction_with_who_before_and_after(seeds, staff, client):
    """Renaming a person in an article relinks the mention, is listed in the history and queued for search."""
    article = _article(2)
    IndexQueue.objects.all().delete()
    _post(staff, article, action="rename_person", before="甘从英", name="甘从瑛")
    assert "甘从瑛" in _people(2) and "甘从英" not in _people(2)
    correction = Correction.objects.get()
    assert (correction.action, correction.user.username, correction.data["before"], correction.data["after"]) == (
        "rename_person", "editor", "甘从英", "甘从瑛")
    # The old record named nobody else and carried no note: it goes, as any orphan does.
    assert not Person.objects.filter(name="甘从英").exists()
    assert IndexQueue.objects.filter(object_id=article.pk).exists()
    history = client.get(reverse("desk:history", args=[article.page.slug, article.number])).content.decode()
    assert "甘从英" in history and "甘从瑛" in history and "editor" in history


def test_rename_survives_reingest_and_undo_brings_the_old_name_back(seeds, staff):
    """A re-ingest (plain and --force) keeps the new name; undo restores the printed one."""
    _post(staff, _article(2), action="rename_person", before="甘从英", name="甘从瑛")
    call_command("ingest", str(seeds), verbosity=0)
    call_command("ingest", str(seeds), force=True, verbosity=0)
    assert "甘从瑛" in _people(2) and Correction.objects.get().status == Correction.ACTIVE
    staff.post(reverse("desk:undo", args=[Correction.objects.get().pk]))
    assert "甘从英" in _people(2) and not Person.objects.filter(name="甘从瑛").exists()


def test_rename_everywhere_renames_every_article_of_that_person(seeds, staff):
    """With 所有文章 ticked, each article naming the person gets a correction of its own."""
    person = Person.objects.get(name="马安庄")
    assert "马安庄" in _people(1) and "马安庄" in _people(3)
    _post(staff, _article(1), action="rename_person", before="马安庄", name="马安壮", person=person.pk,
          everywhere="1")
    assert Correction.objects.filter(action="rename_person").count() == 2
    assert "马安壮" in _people(1) and "马安壮" in _people(3)
    assert not Person.objects.filter(name="马安庄").exists()
    assert Person.objects.get(name="马安壮").mentions.count() == 2


def test_rename_onto_a_known_name_joins_the_two(seeds, staff):
    """Renaming to a name the archive has links that person (one name, one person, as a merge)."""
    known = Person.objects.get(name="徐立毅")
    _post(staff, _article(2), action="rename_person", before="甘从英", name="徐立毅")
    assert set(Article.objects.for_person(known).values_list("position", flat=True)) == {1, 2}


def test_rename_refused_for_an_empty_or_unchanged_name(seeds, staff):
    """A rename to nothing or to the same name stores nothing and says why."""
    _post(staff, _article(2), action="rename_person", before="甘从英", name=" ")
    _post(staff, _article(2), action="rename_person", before="甘从英", name="甘从英")
    _post(staff, _article(2), action="rename_person", before="无此人", name="甘从瑛")
    assert not Correction.objects.exists() and "甘从英" in _people(2)


def test_places_removed_and_added_survive_reingest(seeds, staff):
    """A wrong place link goes and a missing one (named as printed) comes, and both survive --force."""
    assert _places(4) == ["郑东新区"]
    _post(staff, _article(4), action="remove_entity", kind="place", name="郑东新区")
    _post(staff, _article(4), action="add_entity", kind="place", name="金水区")
    assert _places(4) == ["金水区"]
    call_command("ingest", str(seeds), force=True, verbosity=0)
    assert _places(4) == ["金水区"]


def test_adding_an_unknown_place_is_refused(seeds, staff):
    """A place the archive does not know cannot be linked (nothing is stored)."""
    _post(staff, _article(4), action="add_entity", kind="place", name="无名之地")
    assert not Correction.objects.exists() and _places(4) == ["郑东新区"]


def test_organizations_removed_and_added(seeds, staff):
    """An organisation link can be removed and another added."""
    _post(staff, _article(4), action="remove_entity", kind="organization", name="郑东新区水务局")
    _post(staff, _article(4), action="add_entity", kind="organization", name="郑州市气象局")
    assert _orgs(4) == ["郑东新区应急管理局", "郑州市气象局"]


def test_mark_line_as_byline_and_as_dateline(seeds, staff):
    """A paragraph marked as the byline leaves the text and its names become the authors;
    one marked as the dateline becomes the article's lead."""
    _post(staff, _article(4), action="edit_paragraph", paragraph=2, value="记者 李四")
    _post(staff, _article(4), action="mark_line", paragraph=2, **{"as": "byline"})
    article = _article(4)
    assert article.byline == "记者 李四" and "记者 李四" not in article.paragraphs
    assert [p.name for p in article.reporters] == ["李四"]
    _post(staff, _article(3), action="edit_paragraph", paragraph=0, value="本报北京7月1日电")
    _post(staff, _article(3), action="mark_line", paragraph=0, **{"as": "lead"})
    assert _article(3).lead == "本报北京7月1日电"


def test_move_first_paragraph_to_the_previous_article(seeds, staff):
    """The first paragraph of an article can move to the end of the one before."""
    first = _article(3).paragraphs[0]
    _post(staff, _article(3), action="move_paragraph", paragraph=0, direction="previous")
    assert _article(2).paragraphs[-1] == first and first not in _article(3).paragraphs


UNDOABLE = {
    "split": lambda: (1, {"action": "split", "paragraph": 2}),
    "split at a line": lambda: (2, {"action": "split", "line": _article(2).paragraphs[0][20:40]}),
    "merge": lambda: (3, {"action": "merge_next"}),
    "move": lambda: (2, {"action": "move_paragraph", "paragraph": 2, "direction": "next"}),
    "mark headline": lambda: (1, {"action": "mark_line", "paragraph": 3, "as": "headline"}, "一个小标题"),
    "mark byline": lambda: (1, {"action": "mark_line", "paragraph": 4, "as": "byline"}, "记者 李四"),
    "mark dateline": lambda: (1, {"action": "mark_line", "paragraph": 1, "as": "lead"}, "本报北京7月1日电"),
    "headline": lambda: (1, {"action": "edit_field", "field": "headline", "value": "新标题"}),
    "kicker": lambda: (1, {"action": "edit_field", "field": "kicker", "value": "新引题"}),
    "deck": lambda: (1, {"action": "edit_field", "field": "subheadline", "value": "——新副题"}),
    "byline": lambda: (1, {"action": "edit_field", "field": "byline", "value": "记者 王五"}),
    "paragraph": lambda: (2, {"action": "edit_paragraph", "paragraph": 1, "value": "改写的段落。"}),
    "remove person": lambda: (2, {"action": "remove_entity", "kind": "person", "name": "周定友"}),
    "add person": lambda: (2, {"action": "add_entity", "kind": "person", "name": "张三丰"}),
    "remove place": lambda: (2, {"action": "remove_entity", "kind": "place", "name": "郑东新区"}),
    "add organisation": lambda: (2, {"action": "add_entity", "kind": "organization", "name": "某某局"}),
    "rename": lambda: (2, {"action": "rename_person", "before": "周定友", "name": "周定有"}),
}


@pytest.mark.parametrize("name", UNDOABLE)
def test_undo_of_each_action_gives_back_the_page(seeds, staff, name):
    """Every action changes the page, and its undo gives back the page as it was."""
    position, data, *line = UNDOABLE[name]()
    if line:  # a line short enough to mark, written first (a correction that stays)
        _post(staff, _article(position), action="edit_paragraph", paragraph=data["paragraph"], value=line[0])
    before = _state()
    _post(staff, _article(position), **data)
    correction = Correction.objects.get(action=data["action"])
    assert correction.status == Correction.ACTIVE and _state() != before
    staff.post(reverse("desk:undo", args=[correction.pk]))
    correction.refresh_from_db()
    assert correction.status == Correction.UNDONE and _state() == before
