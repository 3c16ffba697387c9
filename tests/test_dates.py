"""Partial dates: parsing the manifest's ISO forms, display, dateline resolution."""
from datetime import date

import pytest

from archive.ingest.dates import DateError, PartialDate, display, resolve_month_day


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("2017", date(2017, 1, 1), date(2017, 12, 31), "year"),
        ("2020-07", date(2020, 7, 1), date(2020, 7, 31), "month"),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
        ("2020-07-21", date(2020, 7, 21), date(2020, 7, 21), "day"),
        ("2025-06-24/2025-07-31", date(2025, 6, 24), date(2025, 7, 31), "range"),
    ],
)
def test_parse_iso_forms(text, start, end, precision):
    """Each ISO 8601 form keeps its precision and its first and last day."""
    value = PartialDate.parse(text)
    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert value.iso() == text


@pytest.mark.parametrize("text", ["2020-13", "2020-02-30", "20-07", "July 2020", "", "2020-08/2020-07"])
def test_parse_rejects_bad_dates(text):
    """Impossible or malformed dates raise DateError naming the text."""
    with pytest.raises(DateError):
        PartialDate.parse(text)


def test_month_precision_is_shown_without_a_day():
    """A page known to the month is shown as 2020年7月, never with an invented day."""
    value = PartialDate.parse("2020-07")
    assert display(value.start, value.end, value.precision) == "2020年7月"


def test_year_and_range_display():
    """Year and interval precisions have their own wording."""
    year = PartialDate.parse("2023")
    rng = PartialDate.parse("2025-06-24/2025-07-31")
    assert display(year.start, year.end, year.precision) == "2023年"
    assert display(rng.start, rng.end, rng.precision) == "2025年6月24日至7月31日"


def test_dateline_gets_page_year():
    """7月18日 on a page of July 2020 is 2020-07-18."""
    assert resolve_month_day(7, 18, PartialDate.parse("2020-07")).iso() == "2020-07-18"


def test_dateline_in_december_on_a_january_page_is_last_year():
    """12月30日 printed in January 1998 happened in 1997."""
    assert resolve_month_day(12, 30, PartialDate.parse("1998-01")).iso() == "1997-12-30"


def test_dateline_without_page_date_stays_unresolved():
    """No page year, no invented year."""
    assert resolve_month_day(7, 18, None) is None


LEVEL_CASES = [
    ((date(2020, 7, 21), date(2020, 7, 21), "day"), "day"),
    ((date(2020, 7, 1), date(2020, 7, 31), "month"), "month"),
    ((date(2020, 1, 1), date(2020, 12, 31), "year"), "year"),
    ((date(2020, 7, 21), date(2020, 7, 21), "range"), "day"),
    ((date(2020, 7, 3), date(2020, 7, 9), "range"), "month"),
    ((date(2020, 6, 24), date(2020, 7, 31), "range"), "year"),
    ((date(2019, 12, 30), date(2020, 1, 2), "range"), "year"),
]


@pytest.mark.parametrize("stored,expected", LEVEL_CASES)
def test_level_rule(stored, expected):
    """A stored date sits at the finest level it allows: a range of a day is a day, within a month a month."""
    from archive.ingest.dates import level

    assert level(*stored) == expected


@pytest.mark.django_db
def test_database_levels_agree_with_the_rule():
    """archive.levels' filters place every kind of stored date at the level dates.level gives it."""
    from archive.levels import LEVELS
    from archive.models import Article
    from tests.builders import make_article, make_page

    for i, (stored, _) in enumerate(LEVEL_CASES):
        make_article(page=make_page(file_name=f"level_{i}.txt", published=stored), headline=str(i))
    for name, q in LEVELS.items():
        got = sorted(int(h) for h in Article.objects.filter(q).values_list("headline", flat=True))
        assert got == [i for i, (_, expected) in enumerate(LEVEL_CASES) if expected == name], name
