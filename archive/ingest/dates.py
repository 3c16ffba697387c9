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


def resolve_month_day(month: int, day: int, page: PartialDate | None) -> PartialDate | None:
    """Give a dateline such as 7月18日 the year of the page it was printed on.

    A page printed in January that reports 12月30日 speaks of the year before, so
    an event more than two months after the page's last possible day moves back a
    year. Returns None when the page has no known year or the day does not exist.
    """
    if page is None:
        return None
    year = page.end.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return None
    if (candidate - page.end).days > 62:
        try:
            candidate = date(year - 1, month, day)
        except ValueError:
            return None
    return PartialDate.day(candidate)
