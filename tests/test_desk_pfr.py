"""The editor's desk on pages of the tagged People's Daily corpus (`ingest --format pfr`)."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, Page, Person
from desk.models import Correction
from search.models import IndexQueue

pytestmark = pytest.mark.django_db

# Made up in the corpus's notation (no reserved day's text). 阿布扎比 is tagged a person
# once here and a place twice on the next page: the corpus's votes say it is no person.
PARK = (
    "19980105-03-001-001/m  郑州/ns  建成/v  新/a  公园/n  \n"
    "19980105-03-001-002/m  本报/r  讯/Ng  记者/n  王/nr  阳/nr  报道/v  ：/w  郑州市/ns  人民/n  公园/n  "
    "昨日/t  开放/v  ，/w  市长/n  李/nr  明/nr  出席/v  。/w  \n"
    "19980105-03-001-003/m  园长/n  张/nr  华/nr  说/v  ，/w  公园/n  里/f  的/u  湖/n  很/d  大/a  。/w  "
    "英国/ns  首相/n  布莱尔/nr  来信/v  祝贺/v  。/w  公司/n  经理/n  白云/n  说/v  ，/w  游人/n  很/d  多/a  。/w  \n"
    "19980105-03-001-004/m  开封/ns  游客/n  赵/nr  刚/nr  也/d  来/v  了/y  ，/w  阿布扎比/nr  客人/n  "
    "也/d  来/v  了/y  。/w  \n"
    "19980105-03-002-001/m  黄河/ns  大桥/n  通车/v  \n"
    "19980105-03-002-002/m  新华社/nt  郑州/ns  １月/t  ４日/t  电/n  黄河/ns  大桥/n  昨日/t  通车/v  ，/w  "
    "省长/n  刘/nr  强/nr  剪彩/v  。/w  \n"
    "19980106-04-001-001/m  阿布扎比/ns  很/d  热/a  ，/w  阿布扎比/ns  很/d  大/a  。/w  \n"
)
FILE = "19980105-03.pfr"


@pytest.fixture
def corpus(tmp_path, settings):
    settings.SEARCH_QUEUE_AUTODRAIN = False  # the queue rows themselves are checked
    path = tmp_path / "corpus.txt"
    path.write_text(PARK, encoding="utf-8")
    call_command("ingest", str(path), format="pfr", no_index=True, verbosity=0)
    return path


def _article(n):
    return Article.objects.get(page__file_name=FILE, position=n)


def _people(article):
    return sorted((m.person.name, m.role) for m in article.person_mentions.all())


def _post(client, article, **data):
    assert client.post(reverse("desk:correct", args=[article.pk]), data).status_code == 302


def test_the_page_keeps_the_corpus_votes_on_its_words(corpus):
    """The page stores the corpus's votes on its nr words, and the corpus's person is not one."""
    assert Page.objects.get(file_name=FILE).not_persons == ["阿布扎比"]
    assert not Person.objects.filter(name="阿布扎比").exists()


def test_the_votes_hold_when_the_page_is_read_again(corpus, staff):
    """A correction reads the page again by itself: the stored votes still keep 阿布扎比 no person."""
    _post(staff, _article(1), action="add_entity", kind="person", name="钱七")
    _post(staff, _article(1), action="remove_entity", kind="person", name="李明")
    names = [name for name, _ in _people(_article(1))]
    assert "钱七" in names and "李明" not in names and "阿布扎比" not in names
    assert Page.objects.get(file_name=FILE).not_persons == ["阿布扎比"]


def test_split_a_tagged_article_moves_its_tagged_persons_with_the_text(corpus, staff):
    """A split keeps the URL of the first part; each part names the persons tagged in its
    own text, the dateline's reporter stays with the first, and the corpus's votes still hold."""
    first = _article(1)
    url = first.get_absolute_url()
    _post(staff, first, action="split", paragraph=1)
    part1, part2 = _article(1), _article(2)
    assert part1.pk == first.pk and part1.get_absolute_url() == url
    assert _people(part1) == [("李明", "mentioned"), ("王阳", "reporter")]
    # Read as text, 经理白云 would be a person: the tags say 白云 is none.
    assert _people(part2) == [("布莱尔", "mentioned"), ("张华", "mentioned"), ("赵刚", "mentioned")]
    assert part2.headline_derived and Correction.objects.get().status == Correction.ACTIVE
    assert not Person.objects.filter(name="阿布扎比").exists()
    assert IndexQueue.objects.filter(object_id=part2.pk).exists()


def test_corrections_on_a_tagged_page_survive_its_reingest(corpus, staff):
    """The corpus loaded again, unchanged and with --force, keeps split, headline and rename."""
    _post(staff, _article(1), action="split", paragraph=1)
    _post(staff, _article(3), action="edit_field", field="headline", value="黄河大桥昨日通车")
    _post(staff, _article(3), action="rename_person", before="刘强", name="刘刚强")
    state = sorted(Article.objects.filter(page__file_name=FILE).values_list("id", "number", "headline", "body"))
    people = [_people(a) for a in Article.objects.filter(page__file_name=FILE).order_by("position")]
    call_command("ingest", str(corpus), format="pfr", no_index=True, verbosity=0)
    call_command("ingest", str(corpus), format="pfr", no_index=True, force=True, verbosity=0)
    assert sorted(Article.objects.filter(page__file_name=FILE).values_list(
        "id", "number", "headline", "body")) == state
    assert [_people(a) for a in Article.objects.filter(page__file_name=FILE).order_by("position")] == people
    assert ("刘刚强", "mentioned") in _people(_article(3))
    assert set(Correction.objects.values_list("status", flat=True)) == {Correction.ACTIVE}


def test_tagged_place_removed_and_undone(corpus, staff):
    """A tagged place link can be removed; undoing it gives it back."""
    article = _article(2)
    assert [d.name for d in article.districts.all()] == ["郑州市"]
    _post(staff, article, action="remove_entity", kind="place", name="郑州市")
    assert not _article(2).districts.exists()
    staff.post(reverse("desk:undo", args=[Correction.objects.get().pk]))
    assert [d.name for d in _article(2).districts.all()] == ["郑州市"]


def test_desk_page_shows_the_tagged_page_without_tags_and_with_controls(corpus, staff):
    """The desk page of a tagged page reads as text (no /nr) and offers the corrections."""
    page = staff.get(reverse("desk:page", args=[Page.objects.get(file_name=FILE).slug])).content.decode()
    assert "园长张华说" in page and "/nr" not in page
    assert 'value="split"' in page and 'value="rename_person"' in page
