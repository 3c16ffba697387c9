"""Reads for the browsing pages, mixed into the QuerySets in archive.models.

They live apart because models.py is already long; each is one query (or a
fixed few), so list pages stay flat however much the archive holds. Imports run
one way: models.py imports this module, and this module reaches other models
through the app registry, never by importing archive.models.
"""
import calendar
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery

from archive.ingest import dates as pdates
from archive.ingest.types import BYLINE_ROLES, NAMED_ROLES
from archive.levels import DAY_LEVEL, MONTH_LEVEL, YEAR_LEVEL

RELATED_LIMIT = 5


def month_range(year, month):
    """(first day, last day) of a month: a range the date index answers. A __month lookup
    is a Python function SQLite calls on every row (event counts 24.6 -> 5.3 ms of CPU at 7x)."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def counted(related, field="article"):
    """How many distinct `field`s `related` holds, as a scalar subquery of each row
    (`related` is filtered by OuterRef on that row): a count on the related rows' own
    index, with no GROUP BY of the outer table joined to every related row, which made the
    reporter and organisation lists read every mention (500 and 311 ms at 10x). Not an
    aggregate to Django, so it adds no GROUP BY of its own, and a row with none counts 0."""
    count = Func(F(field), function="COUNT", template="COUNT(DISTINCT %(expressions)s)",
                 output_field=IntegerField())
    return Subquery(related.order_by().annotate(_count=count).values("_count"))


def _model(name):
    return apps.get_model("archive", name)


def from_newest_dates(read, limit):
    """`read(oldest)`, the rows of a window of the newest publication dates, widened until
    it gives `limit` rows; `read(None)` (the whole archive) once it would hold every date.

    What is newest lies on the newest dates: reading only those keeps a "latest" list
    as quick at ten months as at one, where ordering every row first grew with the
    archive. `read` must keep whatever it reads from dates at or after `oldest`, so the
    window's first `limit` rows are the whole archive's.
    """
    dates = (_model("Page").objects.filter(published_start__isnull=False).order_by("-published_start")
             .values_list("published_start", flat=True).distinct())
    window = 8
    while True:
        newest = list(dates[:window + 1])
        if len(newest) <= window:
            return read(None)  # the archive is small, or mostly undated
        rows = read(newest[-2])
        if len(rows) == limit:
            return rows
        window *= 8


class ArticleBrowsing:
    def _of_these(self, rows):
        """`rows` (of a table with an `article` key) narrowed to the articles here; left
        as they are when here is every article, so no list of ids is sent."""
        return rows.filter(article__in=self) if self.query.has_filters() else rows

    def in_district(self, district):
        """Articles filed under the place or any place within it."""
        places = _model("District").objects.within(district).values("pk")
        return self.filter(id__in=_model("Article").districts.through.objects.filter(
            district_id__in=places).values("article_id"))

    def bylined_by(self, person):
        return self.filter(
            person_mentions__person=person, person_mentions__role__in=BYLINE_ROLES
        ).distinct()

    def with_event_on(self, day):
        """Articles whose text names `day` itself (an event date known to the day)."""
        return self.filter(
            event_dates__date_start=day, event_dates__date_end=day, event_dates__date_precision="day"
        ).distinct()

    def event_day_counts(self, year, month):
        """{day: number of articles with an event on that day} for one month."""
        events = self._of_these(_model("EventDate").objects.filter(
            date_precision="day", date_start__range=month_range(year, month)))
        rows = events.values("date_start").annotate(n=Count("article", distinct=True)).order_by()
        return {row["date_start"].day: row["n"] for row in rows}

    # -- related articles: three small queries, each capped ------------------------

    def sharing_people(self, article, people):
        """The articles that name most of `people` (then the latest), as a list.

        Ranked on the mentions alone, then the few winners read: grouping whole articles
        with their pages made SQLite group the raw text and bytes of every article naming
        any of them (0.4-0.5 s of an article page at 10x the month)."""
        mentions = self._of_these(_model("PersonMention").objects.filter(person__in=people))
        ranked = (
            mentions.exclude(article_id=article.pk)
            .values("article_id").annotate(shared=Count("person_id", distinct=True))
            .order_by("-shared", F("article__page__published_start").desc(nulls_last=True), "article__position")
            [:RELATED_LIMIT]
        )
        shared = {row["article_id"]: row["shared"] for row in ranked}
        found = {a.pk: a for a in self.filter(pk__in=shared).with_page()}
        for pk, n in shared.items():
            found[pk].shared = n
        return [found[pk] for pk in shared]

    def sharing_districts(self, article, districts, exclude=()):
        """The latest articles filed under any of `districts`, read from the newest dates:
        sorting every article of 北京 to keep five was most of an article page's time."""
        filed = _model("Article").districts.through.objects.filter(district__in=districts).values("article_id")
        others = self.exclude(pk__in=[article.pk, *exclude]).filter(id__in=filed).with_page()

        def read(oldest):
            recent = others if oldest is None else others.filter(page__published_start__gte=oldest)
            return list(recent.order_by(F("page__published_start").desc(nulls_last=True), "page__file_name",
                                        "position")[:RELATED_LIMIT])

        return from_newest_dates(read, RELATED_LIMIT)

    def same_week(self, article, exclude=()):
        """Articles from the same Monday–Sunday week, if the page is known to the day.

        A page known only to the month has no week; nothing is guessed for it.
        """
        page = article.page
        if pdates.level(page.published_start, page.published_end, page.published_precision) != pdates.DAY:
            return self.none()
        day = page.published_start
        # The calendar's last week (9999-12-27 to -31) has no Sunday to reach.
        monday = day - timedelta(days=day.weekday())
        sunday = day + min(timedelta(days=6 - day.weekday()), date.max - day)
        return (
            self.filter(DAY_LEVEL)
            .filter(page__published_start__range=(monday, sunday))
            .exclude(pk__in=[article.pk, *exclude])
            .exclude(page=page)
            .order_by("page__published_start", "page__file_name", "position")
            .with_page()[:RELATED_LIMIT]
        )


class PersonBrowsing:
    def in_district(self, district):
        """People with a title there or named in an article about it (or a place within it)."""
        ids = _model("District").objects.within(district).values("pk")
        return self.filter(
            Q(positions__district__in=ids) | Q(mentions__article__districts__in=ids)
        ).distinct()

    def titled(self, text):
        return self.filter(positions__title__contains=text).distinct()

    def flagged_official(self):
        Position = _model("Position")
        return self.annotate(is_official=Exists(Position.objects.filter(person=OuterRef("pk"))))

    def sorted_by(self, key, *first):
        """Name in pinyin order, most articles (needs with_counts), or latest appearance;
        after any orderings in `first`, with the name breaking ties."""
        name = ("sort_name", "name")
        if key == "articles":
            return self.order_by(*first, "-article_count", *name)
        if key == "latest":
            return self.order_by(*first, F("latest").desc(nulls_last=True), *name)
        return self.order_by(*first, *name)

    def beside(self, person, limit=10):
        """The people most often named in the same articles as `person` (bylines aside)."""
        return (
            self.exclude(pk=person.pk)
            # One filter() call, so the role and the shared article are the same mention.
            .filter(mentions__role__in=NAMED_ROLES, mentions__article__person_mentions__person=person)
            .annotate(shared=Count("mentions__article", distinct=True))
            .order_by("-shared", "sort_name", "name")[:limit]
        )


def districts_of_person(person):
    """Districts of the articles that name `person`, with how many articles each."""
    return (
        _model("District").objects.filter(articles__person_mentions__person=person)
        .annotate(n=Count("articles", distinct=True)).order_by("-n", "name")
    )


def organizations_with_person(person, limit=12):
    """Organisations named in the articles that name `person`, most shared first."""
    return (
        _model("Organization").objects.filter(mentions__article__person_mentions__person=person)
        .annotate(n=Count("mentions__article", distinct=True)).order_by("-n", "name")[:limit]
    )


def byline_districts(person):
    """Districts of the articles `person` wrote, photographed or reported for, with counts."""
    return (
        _model("District").objects.filter(
            articles__person_mentions__person=person,
            articles__person_mentions__role__in=BYLINE_ROLES,
        )
        .annotate(n=Count("articles", distinct=True)).order_by("-n", "name")
    )


class ArticleDates:
    """The date archive's reads, mixed into ArticleQuerySet.

    Each dated article sits at exactly one level, the finest its page's date
    allows: a day, a month, or only a year (archive.levels).
    """

    def dated(self):
        return self.filter(page__published_start__isnull=False)

    def known_to_day(self):
        return self.dated().filter(DAY_LEVEL)

    def known_to_month(self):
        return self.dated().filter(MONTH_LEVEL)

    def known_to_year(self):
        return self.dated().filter(YEAR_LEVEL)

    def within_month(self):
        """Articles that belong to a month: known to the day or to the month."""
        return self.dated().filter(DAY_LEVEL | MONTH_LEVEL)

    # The counts group by the page's stored date and place each date at its level in
    # Python (archive.ingest.dates.level, the rule archive.levels spells in SQL): SQLite
    # calls a Python function per row to extract a year or month, which made counting
    # the articles of 10x the month take most of a second; a month has ~30 distinct dates.

    def _date_tally(self):
        """{(start, end, precision): number of articles} over the dated articles here."""
        start, end, precision = "page__published_start", "page__published_end", "page__published_precision"
        rows = self.dated().order_by().values_list(start, end, precision).annotate(n=Count("id", distinct=True))
        return {(s, e, p): n for s, e, p, n in rows}

    def _counts_at(self, levels, key):
        counts = {}
        for (start, end, precision), n in self._date_tally().items():
            if pdates.level(start, end, precision) in levels:
                counts[key(start)] = counts.get(key(start), 0) + n
        return counts

    def year_counts(self):
        """[{"year", "count"}] for every year with dated articles, oldest first."""
        counts = self._counts_at((pdates.DAY, pdates.MONTH, pdates.YEAR), lambda d: d.year)
        return [{"year": y, "count": n} for y, n in sorted(counts.items())]

    def per_year(self):
        """(year, count) for every year from the first to the last with articles, gaps as 0."""
        counts = {row["year"]: row["count"] for row in self.year_counts()}
        if not counts:
            return []
        return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)]

    def month_counts(self, year):
        """[{"month", "count"}] of the articles of `year` that belong to a month (known to the day or month)."""
        counts = (self.filter(page__published_start__year=year)
                  ._counts_at((pdates.DAY, pdates.MONTH), lambda d: d.month))
        return [{"month": m, "count": n} for m, n in sorted(counts.items())]

    def day_counts(self, year, month):
        """[{"day", "count"}] of the articles of the month known to the day."""
        counts = (self.filter(page__published_start__range=month_range(year, month))
                  ._counts_at((pdates.DAY,), lambda d: d.day))
        return [{"day": d, "count": n} for d, n in sorted(counts.items())]

    def only_year_known(self, year):
        return self.known_to_year().filter(page__published_start__year=year)

    def only_month_known(self, year, month):
        return self.known_to_month().filter(
            page__published_start__range=month_range(year, month)
        )

    def on_day(self, day):
        return self.known_to_day().filter(page__published_start=day)

    def neighbour_dates(self, before, after):
        """The latest start date before `before` and the earliest from `after` on (or None).

        Each is the first date along the pages' date index (one query with two
        subqueries that stop at the first match), not a MAX and MIN over every article.
        """
        start = "page__published_start"
        dates = self.order_by().values(start)
        previous = dates.filter(**{f"{start}__lt": before}).order_by(F(start).desc())[:1]
        later = dates.filter(**{f"{start}__gte": after}).order_by(start)[:1] if after else dates.none()
        row = (self.order_by().values(previous=Subquery(previous), next=Subquery(later)).first()
               or {"previous": None, "next": None})
        return row


__all__ = [
    "ArticleBrowsing", "ArticleDates", "PersonBrowsing", "districts_of_person", "organizations_with_person",
    "byline_districts", "from_newest_dates", "month_range",
]
