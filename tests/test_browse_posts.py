"""Grouping printed titles into posts, and finding a district's sub-areas: pure functions, no database."""
from dataclasses import dataclass
from datetime import date

from archive.models import PartialDateMixin
from archive.posts import group_posts, sub_areas, title_parts

PLACES = ["郑东新区", "高新区", "经开区"]


@dataclass
class FakePosition(PartialDateMixin):
    title: str
    first_seen_start: date = None
    first_seen_end: date = None
    first_seen_precision: str = ""
    last_seen_start: date = None
    last_seen_end: date = None
    last_seen_precision: str = ""

    first_seen_display = property(lambda self: self._partial_display("first_seen"))
    last_seen_display = property(lambda self: self._partial_display("last_seen"))


def month(y, m):
    return date(y, m, 1), date(y, m, 28), "month"


def seen(title, first, last):
    return FakePosition(title, *first, *last)


def test_a_combined_title_names_each_post():
    """郑东新区党工委书记、中原科技城党工委书记 is two posts."""
    assert title_parts("郑东新区党工委书记、中原科技城党工委书记", PLACES) == ["郑东新区党工委书记", "中原科技城党工委书记"]


def test_a_placeless_body_takes_the_first_parts_place():
    """In 郑东新区党工委委员、管委会副主任 the 管委会 is 郑东新区's."""
    assert title_parts("郑东新区党工委委员、管委会副主任", PLACES)[1] == "郑东新区管委会副主任"


def test_the_city_prefix_is_the_same_post():
    """郑州高新区党工委书记 and 高新区党工委书记 are one post."""
    assert title_parts("郑州高新区党工委书记", PLACES) == ["高新区党工委书记"]


def test_posts_take_first_and_last_seen_across_printings():
    """A post printed alone and in a combined title spans both printings' dates."""
    posts = group_posts([
        seen("郑东新区党工委书记", (date(2023, 1, 1), date(2023, 12, 31), "year"), month(2025, 7)),
        seen("郑东新区党工委书记、中原科技城党工委书记", month(2023, 7), month(2023, 7)),
    ], PLACES)
    shown = [(p.title, p.first_seen_display, p.last_seen_display) for p in posts]
    assert shown == [("郑东新区党工委书记", "2023年", "2025年7月"), ("中原科技城党工委书记", "2023年7月", "2023年7月")]


def test_undated_posts_sort_last():
    """A post never dated comes after dated ones."""
    posts = group_posts([seen("办事处主任", (None, None, ""), (None, None, "")),
                         seen("局长", month(2020, 7), month(2020, 7))])
    assert [p.title for p in posts] == ["局长", "办事处主任"]


def test_sub_areas_come_from_titles_and_road_offices_in_text():
    """An office in a title, a village under it, and a road-named office in the text are found."""
    areas = sub_areas(["郑东新区龙湖办事处花沟王村党委副书记"], ["豫兴路办事处召开会议，龙湖办事处参加。"], PLACES)
    assert {(a.name, a.kind, a.parent) for a in areas} == {
        ("龙湖办事处", "办事处", ""), ("花沟王村", "村", "龙湖办事处"), ("豫兴路办事处", "办事处", ""),
    }


def test_a_village_named_without_an_office_is_not_taken():
    """西辛庄村 (a village the article visited elsewhere) is not a sub-area of the district."""
    assert sub_areas(["西辛庄村党支部"], ["学习西辛庄村经验"], PLACES) == []


def test_sub_areas_are_counted_by_articles_naming_them():
    """Each sub-area carries how many of the texts name it."""
    areas = sub_areas([], ["豫兴路办事处", "豫兴路办事处又一篇", "无关"], PLACES)
    assert [(a.name, a.articles) for a in areas] == [("豫兴路办事处", 2)]
