"""Partial dates: a day, a month, a year, or an interval, each kept with its precision.

Most seed pages are known only to the month. A date known to the month is stored
as its first and last day plus the precision "month", so that it can be sorted and
filtered like any date, and shown as "2020年7月", never as an invented day.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

YEAR, MONTH, DAY, RANGE = "year", "month", "day", "range"
PRECISIONS = (YEAR, MONTH, DAY, RANGE)

_ISO_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class DateError(ValueError):
    """A date string that is not ISO 8601 year, month, day or interval."""


@dataclass(frozen=True)
class PartialDate:
    start: date
    end: date
    precision: str

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse `2017`, `2020-07`, `2020-07-21` or `2025-06-24/2025-07-31`."""
        text = (text or "").strip()
        if "/" in text:
            left, _, right = text.partition("/")
            first, last = cls.parse(left), cls.parse(right)
            if last.end < first.start:
                raise DateError(f"interval {text!r} ends before it starts")
            return cls(first.start, last.end, RANGE)
        match = _ISO_PART.match(text)
        if not match:
            raise DateError(f"{text!r} is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or A/B)")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        try:
            if month is None:
                return cls(date(year, 1, 1), date(year, 12, 31), YEAR)
            if day is None:
                last = calendar.monthrange(year, month)[1]
                return cls(date(year, month, 1), date(year, month, last), MONTH)
            return cls(date(year, month, day), date(year, month, day), DAY)
        except ValueError as exc:
            raise DateError(f"{text!r} is not a real date: {exc}") from None

    @classmethod
    def day(cls, value: date) -> "PartialDate":
        return cls(value, value, DAY)

    def iso(self) -> str:
        """The shortest ISO 8601 form that says exactly what is known."""
        if self.precision == YEAR:
            return f"{self.start.year:04d}"
        if self.precision == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.precision == DAY:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.iso()


def level(start: date | None, end: date | None, precision: str) -> str | None:
    """The finest of day, month and year a stored date can be placed at, or None if undated.

    A range within one month belongs to that month, a longer one to its start's
    year; a range of one day is that day. Nothing is ever placed on a day it might
    not have been. (archive.levels spells the same rule as database filters.)
    """
    if start is None:
        return None
    end = end or start
    if precision == RANGE:
        if end == start:
            return DAY
        return MONTH if (end.year, end.month) == (start.year, start.month) else YEAR
    return precision


def display(start: date | None, end: date | None, precision: str) -> str:
    """Chinese display of a stored partial date: 2017年, 2020年7月, 2020年7月21日."""
    if start is None:
        return "日期不详"
    if precision == YEAR:
        return f"{start.year}年"
    if precision == MONTH:
        return f"{start.year}年{start.month}月"
    if precision == DAY or end is None or end == start:
        return f"{start.year}年{start.month}月{start.day}日"
    if start.year == end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


# Words that place a date against the page's own: 今年６月１０日 is June of the page's
# year, 上月２８日 the month before the page's.
YEAR_WORDS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "前年": -2, "明年": 1, "后年": 2}
MONTH_WORDS = {"本月": 0, "这个月": 0, "当月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}
# The thirds of a month: 上旬 the 1st to the 10th, 中旬 to the 20th, 下旬 to its last day.
TEN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}


def _page_year(page: PartialDate) -> int | None:
    return page.start.year if page.start.year == page.end.year else None


def _page_month(page: PartialDate) -> tuple[int, int] | None:
    if page.precision == YEAR or (page.start.year, page.start.month) != (page.end.year, page.end.month):
        return None
    return page.start.year, page.start.month


def _distance(value: date, page: PartialDate) -> int:
    if page.start <= value <= page.end:
        return 0
    return min(abs((value - page.start).days), abs((value - page.end).days))


def _month_of(page: PartialDate | None, month: int | None, year: int | None,
              year_word: str = "", month_word: str = "") -> list[tuple[int, int]]:
    """The (year, month) candidates the printed words allow, nearest the page first."""
    if month_word:
        known = _page_month(page) if page else None
        if known is None:
            return []
        total = known[0] * 12 + known[1] - 1 + MONTH_WORDS[month_word]
        return [(total // 12, total % 12 + 1)]
    if month is None or not 1 <= month <= 12:
        return []
    if year is not None:
        return [(year, month)]
    if page is None:
        return []
    if year_word:
        base = _page_year(page)
        return [] if base is None else [(base + YEAR_WORDS[year_word], month)]
    # No word: the year (of the page's and its neighbours) that puts the date nearest the page.
    return [(y, month) for y in (page.end.year, page.end.year - 1, page.start.year + 1)]


def resolve_event_day(day: int, page: PartialDate | None, month: int | None = None, year: int | None = None,
                      year_word: str = "", month_word: str = "") -> PartialDate | None:
    """The day an article names: 7月18日, 1997年7月18日, 今年６月１０日, 上月２８日.

    A bare month and day takes the year that puts it nearest the page's date (a
    January page's 12月30日 is last December, its 2月3日 next month). None when the
    page's date does not allow an answer or the day does not exist.
    """
    best = None
    for y, m in _month_of(page, month, year, year_word, month_word):
        try:
            value = date(y, m, day)
        except ValueError:
            continue
        if page is not None and year is None and not year_word and not month_word and _distance(value, page) > 366:
            continue  # a 2月29日 is not moved years away to find a leap year
        if best is None or (page is not None and _distance(value, page) < _distance(best, page)):
            best = value
    return PartialDate.day(best) if best else None


def resolve_ten_days(part: str, page: PartialDate | None, month: int | None = None, year: int | None = None,
                     year_word: str = "", month_word: str = "") -> PartialDate | None:
    """A third of a month (6月下旬, 本月上旬) as the interval of its days."""
    first, last = TEN_DAYS[part]
    best = None
    for y, m in _month_of(page, month, year, year_word, month_word):
        value = PartialDate(date(y, m, first), date(y, m, min(last, calendar.monthrange(y, m)[1])), RANGE)
        if best is None or (page is not None and _distance(value.start, page) < _distance(best.start, page)):
            best = value
    return best


def resolve_month_day(month: int, day: int, page: PartialDate | None) -> PartialDate | None:
    """Give a dateline such as 7月18日 the year of the page it was printed on (the
    nearest year to the page's date)."""
    return resolve_event_day(day, page, month)
