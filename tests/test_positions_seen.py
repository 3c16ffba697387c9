"""Positions' first and last seen, recomputed for many at once (PositionQuerySet.refresh_seen)."""
from datetime import date

import pytest

from archive.models import PersonMention, Position
from tests.builders import make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db

DAY = (date(1998, 1, 5), date(1998, 1, 5), "day")
MONTH = (date(1998, 3, 1), date(1998, 3, 31), "month")


def test_first_and_last_seen_come_from_the_pages_printing_the_title():
    person = make_person("李鹏")
    mention(make_article(make_page(published=MONTH)), person, title="国务院总理")
    mention(make_article(make_page(published=DAY)), person, title="国务院总理")
    Position.objects.update(first_seen_start=None, last_seen_start=None)
    assert Position.objects.all().refresh_seen() == set()
    position = Position.objects.get()
    assert (position.first_seen_start, position.first_seen_precision) == (date(1998, 1, 5), "day")
    assert (position.last_seen_end, position.last_seen_precision) == (date(1998, 3, 31), "month")


def test_a_title_printed_only_among_other_titles_is_dated_by_that_mention():
    person = make_person("温家宝")
    kept = Position.objects.create(person=person, title="中央书记处书记")
    PersonMention.objects.create(article=make_article(make_page(published=DAY)), person=person,
                                 role="mentioned", title="国务院副总理", other_titles="中央书记处书记")
    assert Position.objects.filter(pk=kept.pk).refresh_seen() == set()
    kept.refresh_from_db()
    assert kept.first_seen_start == kept.last_seen_start == date(1998, 1, 5)


def test_a_title_no_mention_prints_is_reported_unprinted():
    person = make_person("王生铁")
    gone = Position.objects.create(person=person, title="副省长")
    assert Position.objects.filter(pk=gone.pk).refresh_seen() == {gone.pk}


def test_the_instance_method_updates_the_instance():
    person = make_person("荣毅仁")
    mention(make_article(make_page(published=DAY)), person, title="国家副主席")
    position = Position.objects.get()
    position.first_seen_start = None
    assert position.refresh_seen() is True
    assert position.first_seen_start == date(1998, 1, 5)


def test_refreshing_many_positions_takes_as_many_queries_as_refreshing_few(django_assert_max_num_queries):
    person = make_person("江泽民")
    page = make_page(published=DAY)
    for i in range(30):
        mention(make_article(page), person, title=f"职务{i}")
    Position.objects.update(first_seen_start=None)
    # Two reads and one update (the positions share their dates); the old code took a
    # read and a write per position.
    with django_assert_max_num_queries(4):
        Position.objects.filter(person=person).refresh_seen()
    assert not Position.objects.filter(first_seen_start=None).exists()
