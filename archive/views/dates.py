"""The date archive: years, months, days.

An article appears at the finest level its page's date is known to and never
finer: a page known only to the month is listed under the month (仅知月份),
never on a day; one known only to the year under the year (仅知年份). See the
*_LEVEL conditions in archive.models.
"""
import calendar
from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from archive.caching import archive_page
from archive.models import Article
from archive.views.common import crumbs

WEEKDAYS = "一二三四五六日"
# Every later article that names a day ("1月5日电") is listed on that day's page: a day
# the archive keeps mentioning (an anniversary; 10x the month names 5 January 670
# times) would list them all. The page shows the newest this many and says how many.
EVENTS_SHOWN = 30


def _date(year, month=1, day=1):
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):  # OverflowError: a number past a C long
        raise Http404("没有这个日期") from None


def _month_after(first):
    try:
        return (first + timedelta(days=32)).replace(day=1)
    except OverflowError:
        return None


def _year_link(year):
    return (f"{year}年", reverse("archive:year", args=[year]))


def _month_link(year, month):
    return (f"{month}月", reverse("archive:month", args=[year, month]))


@archive_page
def date_index(request):
    years = list(Article.objects.year_counts())
    undated = Article.objects.for_listing().filter(page__published_start__isnull=True)
    return render(request, "archive/date_index.html", {
        "years": years,
        "undated": undated,
        "crumbs": crumbs(("日期", None)),
        "nav": "dates",
    })


@archive_page
def date_year(request, year):
    first = _date(year)
    after = _date(year + 1) if year < 9999 else None
    counts = {row["month"]: row["count"] for row in Article.objects.month_counts(year)}
    near = Article.objects.neighbour_dates(first, after)
    only_year = Article.objects.for_listing().only_year_known(year).latest_first()
    return render(request, "archive/date_year.html", {
        "year": year,
        "months": [(m, counts.get(m, 0)) for m in range(1, 13)],
        "only_year": only_year,
        "total": Article.objects.dated().filter(page__published_start__year=year).count(),
        "previous": near["previous"] and _year_link(near["previous"].year),
        "next": near["next"] and _year_link(near["next"].year),
        "crumbs": crumbs(("日期", reverse("archive:dates")), (f"{year}年", None)),
        "nav": "dates",
    })


@archive_page
def date_month(request, year, month):
    first = _date(year, month)
    counts = {row["day"]: row["count"] for row in Article.objects.day_counts(year, month)}
    events = Article.objects.event_day_counts(year, month)
    near = Article.objects.within_month().neighbour_dates(first, _month_after(first))
    weeks = [
        [(day, counts.get(day, 0), events.get(day, 0)) for day in week]
        for week in calendar.Calendar().monthdayscalendar(year, month)
    ]
    return render(request, "archive/date_month.html", {
        "year": year,
        "month": month,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "days": sorted(counts.items()),
        "event_days": sorted(events.items()),
        "only_month": Article.objects.for_listing().only_month_known(year, month).latest_first(),
        "previous": near["previous"] and _month_label(near["previous"]),
        "next": near["next"] and _month_label(near["next"]),
        "crumbs": crumbs(
            ("日期", reverse("archive:dates")), _year_link(year), (f"{month}月", None)
        ),
        "nav": "dates",
    })


def _month_label(day):
    return (f"{day.year}年{day.month}月", reverse("archive:month", args=[day.year, day.month]))


@archive_page
def date_day(request, year, month, day):
    today = _date(year, month, day)
    try:
        tomorrow = today + timedelta(days=1)
    except OverflowError:
        tomorrow = None
    near = Article.objects.known_to_day().neighbour_dates(today, tomorrow)
    # Articles whose text names this day, wherever they were published: marked as such.
    events = Article.objects.with_event_on(today)
    shown = list(events.for_listing().prefetch_related("event_dates").latest_first()[:EVENTS_SHOWN + 1])
    return render(request, "archive/date_day.html", {
        "day": today,
        "articles": Article.objects.for_listing().on_day(today).latest_first(),
        "events": shown[:EVENTS_SHOWN],
        # Counted only when there are more than the page shows.
        "events_total": events.count() if len(shown) > EVENTS_SHOWN else len(shown),
        "events_shown": EVENTS_SHOWN,
        "previous": near["previous"] and _day_label(near["previous"]),
        "next": near["next"] and _day_label(near["next"]),
        "crumbs": crumbs(
            ("日期", reverse("archive:dates")), _year_link(year), _month_link(year, month),
            (f"{day}日", None),
        ),
        "nav": "dates",
    })


def _day_label(day):
    return (
        f"{day.year}年{day.month}月{day.day}日",
        reverse("archive:day", args=[day.year, day.month, day.day]),
    )
