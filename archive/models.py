"""The archive's records: source pages, the articles found on them, and the
people, organisations and districts they name.

Dates are partial: a `*_start`/`*_end` pair plus a precision, so a page known
only to the month sorts and filters like any date but is never shown with a day.
Reads that views need live on the QuerySets below.
"""
from datetime import date

from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q
from django.urls import reverse

from archive.ingest import dates as pdates
from archive.ingest import types as T
from archive.issues import Issue, PageIssues, newspaper_label
from archive.places import District, DistrictQuerySet  # noqa: F401  (models live here for Django)
from archive.positions import PositionDates
from archive.querysets import ArticleBrowsing, ArticleDates, PersonBrowsing, counted, from_newest_dates
from archive.version import ArchiveVersion  # noqa: F401 (a model of this app)

PRECISION_CHOICES = [
    (pdates.YEAR, "年"),
    (pdates.MONTH, "月"),
    (pdates.DAY, "日"),
    (pdates.RANGE, "区间"),
]


class PartialDateMixin:
    """Display and ISO form of a partial date stored as <prefix>_start/_end/_precision."""

    def _partial(self, prefix):
        start = getattr(self, f"{prefix}_start")
        end = getattr(self, f"{prefix}_end")
        precision = getattr(self, f"{prefix}_precision")
        return start, end, precision

    def _partial_display(self, prefix):
        return pdates.display(*self._partial(prefix))

    def _partial_iso(self, prefix):
        start, end, precision = self._partial(prefix)
        if start is None:
            return ""
        return pdates.PartialDate(start, end or start, precision).iso()


class PageQuerySet(PageIssues, models.QuerySet):
    def with_article_counts(self):
        return self.annotate(article_count=counted(Article.objects.filter(page=OuterRef("pk")), "pk"))


class Page(PartialDateMixin, models.Model):
    """A source page exactly as it arrived: bytes, decoded text and where it came from."""

    file_name = models.CharField("文件名", max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    checksum = models.CharField("SHA-256", max_length=64, db_index=True)
    encoding = models.CharField("编码", max_length=20)
    raw_bytes = models.BinaryField("原始文件", editable=False)
    raw_text = models.TextField("原文")
    newspaper = models.CharField("报纸", max_length=100, blank=True, db_index=True)
    section = models.CharField("版面", max_length=100, blank=True)
    published_start = models.DateField("出版日期（起）", null=True, blank=True, db_index=True)
    published_end = models.DateField("出版日期（止）", null=True, blank=True)
    published_precision = models.CharField(
        "日期精度", max_length=5, choices=PRECISION_CHOICES, blank=True,
        help_text="完全不知日期时留空。",
    )
    note = models.TextField("备注", blank=True)
    # A PFR corpus page's share of the corpus's tag votes (PageMeta.not_persons): what
    # reading the page again by itself (a correction) needs to find the same persons.
    not_persons = models.JSONField("非人名的 nr 标注", default=list, blank=True, editable=False)
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["-published_start", "file_name"]
        # Covers the date pages' and the home page's counts (they group by all three):
        # without it each grouped row reads its page, 16 -> 2.6 ms of CPU at 2x the month.
        indexes = [models.Index(fields=["published_start", "published_end", "published_precision"],
                                name="page_dates")]
        verbose_name = verbose_name_plural = "版面原文"

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("archive:page", args=[self.slug])

    @property
    def is_tagged(self):
        """A page of the PFR corpus: its stored text is `word/tag` tokens, one paragraph a line."""
        return self.file_name.endswith(".pfr")

    @property
    def published_display(self):
        return self._partial_display("published")

    @property
    def published_iso(self):
        return self._partial_iso("published")

    @property
    def issue(self):
        return Issue.of_page(self)

    @property
    def newspaper_label(self):
        return newspaper_label(self.newspaper)

    @property
    def edition(self):
        """The 版 as the manifest names it (第3版, A01, 郑东新区), or 版次不详."""
        return self.section or "版次不详"

    @property
    def label(self):
        """What a reader calls the page: newspaper, date and 版, never the file name."""
        return f"{self.newspaper_label} {self.published_display} {self.edition}"


class ArticleQuerySet(ArticleBrowsing, ArticleDates, models.QuerySet):
    def latest_first(self):
        # Undated last on every database (PostgreSQL would put NULLs first): newest() relies on it.
        return self.order_by(F("page__published_start").desc(nulls_last=True), "page__file_name", "position")

    def newest(self, limit):
        """The first `limit` of latest_first(), read from the newest dates only."""
        def read(oldest):
            articles = self if oldest is None else self.filter(page__published_start__gte=oldest)
            return list(articles.latest_first()[:limit])

        return from_newest_dates(read, limit)

    def published_in(self, year, month=None):
        """Articles whose page falls in the year (or month), at any precision that fits."""
        qs = self.filter(page__published_start__year=year)
        if month is not None:
            qs = qs.filter(page__published_start__month=month).exclude(
                page__published_precision=pdates.YEAR
            )
        return qs

    def published_on(self, day):
        return self.filter(page__published_start=day, page__published_precision=pdates.DAY)

    def for_person(self, person):
        return self.filter(person_mentions__person=person).distinct()

    def for_organization(self, organization):
        return self.filter(organization_mentions__organization=organization).distinct()

    # -- what list and detail pages need in a fixed number of queries ----------

    def with_page(self):
        # A list never shows the page's text: sorting the month's articles with their
        # pages' raw text and bytes in each row was most of the feed's 0.4 s.
        return self.select_related("page").defer("page__raw_bytes", "page__raw_text")

    def for_listing(self):
        return self.with_page().prefetch_related("districts")

    def for_reading(self):
        return self.select_related("page").prefetch_related(
            "districts",
            "event_dates",
            Prefetch(
                "person_mentions",
                queryset=PersonMention.objects.select_related("person", "position").order_by("id"),
            ),
            Prefetch(
                "organization_mentions",
                queryset=OrganizationMention.objects.select_related("organization").order_by("id"),
            ),
        )

    def with_mentions_of(self, person):
        """Each article carries `these_mentions`: the person's roles and titles in it."""
        return self.prefetch_related(
            Prefetch(
                "person_mentions",
                queryset=PersonMention.objects.filter(person=person).order_by("id"),
                to_attr="these_mentions",
            )
        )


class Article(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="articles", verbose_name="版面")
    position = models.PositiveIntegerField("版面顺序")
    headline = models.CharField("标题", max_length=300)
    headline_derived = models.BooleanField(
        "标题为拟题", default=False, help_text="原版没有标题，这个标题是据正文拟的。"
    )
    kicker = models.CharField("引题", max_length=300, blank=True)
    subheadline = models.CharField("副题", max_length=300, blank=True)
    lead = models.CharField("电头", max_length=100, blank=True)
    body = models.TextField("正文", help_text="段落之间空一行。")
    kind = models.CharField(
        "体裁", max_length=20, choices=[(T.NEWS, "消息"), (T.INTERVIEW, "访谈")], default=T.NEWS,
        db_index=True,
    )
    byline = models.CharField("署名", max_length=200, blank=True)
    photo = models.BooleanField("配图", default=False)
    districts = models.ManyToManyField(District, related_name="articles", blank=True, verbose_name="区县")
    span_start = models.PositiveIntegerField(default=0)
    span_end = models.PositiveIntegerField(default=0)
    # The permalink's number on the page: the position the article first had. It stays
    # while a re-ingest finds the article's text again (archive.ingest.identity), even
    # if articles before it come or go; a number is never given to another article.
    number = models.PositiveIntegerField("固定编号")
    corrected = models.BooleanField("经编辑更正", default=False, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["page", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="article_page_position"),
            models.UniqueConstraint(fields=["page", "number"], name="article_page_number"),
        ]
        verbose_name = verbose_name_plural = "文章"

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("archive:article", args=[self.page.slug, self.number])

    def get_json_url(self):
        return reverse("archive:article_json", args=[self.page.slug, self.number])

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n\n") if p.strip()]

    def mentions_with(self, role):
        return [m.person for m in self.person_mentions.all() if m.role == role]

    @property
    def reporters(self):
        return self.mentions_with(T.REPORTER)

    @property
    def correspondents(self):
        return self.mentions_with(T.CORRESPONDENT)

    @property
    def photographers(self):
        return self.mentions_with(T.PHOTOGRAPHER)

    @property
    def named_people(self):
        """Mentions of the people the article is about, not those who wrote it."""
        return [m for m in self.person_mentions.all() if m.role not in T.BYLINE_ROLES]


class Tombstone(models.Model):
    """An article that left its page on a re-ingest: its URL redirects to `successor`
    (the article its text went into) or answers 410 Gone. Its text is kept so that an
    article coming back takes back its number and id."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="tombstones")
    number = models.PositiveIntegerField()
    former_id = models.PositiveIntegerField(help_text="The id the article had.")
    headline = models.CharField(max_length=300)
    body = models.TextField()
    successor = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="tombstone_page_number")
        ]
        verbose_name = verbose_name_plural = "已消失的文章"

    def __str__(self):
        return f"{self.page} #{self.number}: {self.headline}"

class EventDate(PartialDateMixin, models.Model):
    """A date written inside an article (7月18日), resolved with the page's year."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="event_dates")
    text = models.CharField("原文写法", max_length=40)
    date_start = models.DateField(null=True, blank=True, db_index=True)
    date_end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True)
    approximate = models.BooleanField(default=False)

    class Meta:
        ordering = ["date_start", "id"]
        verbose_name = verbose_name_plural = "事件日期"

    def __str__(self):
        return f"{self.text} ({self.iso or '?'})"

    @property
    def iso(self):
        return self._partial_iso("date")

    @property
    def display(self):
        return self._partial_display("date")


class PersonQuerySet(PersonBrowsing, models.QuerySet):
    def with_counts(self):
        return self.annotate(
            article_count=Count("mentions__article", distinct=True),
            latest=Max("mentions__article__page__published_start"),
        )

    def fill_counts(self, people):
        """Set `article_count` and `latest` on `people` (one page of a list) in one query.

        A list ordered by name needs the counts of the hundred people it shows only;
        annotating the whole table first groups every mention of every person.
        """
        counts = {pk: (n, latest) for pk, n, latest in self.filter(pk__in=[p.pk for p in people])
                  .with_counts().values_list("pk", "article_count", "latest")}
        for person in people:
            person.article_count, person.latest = counts.get(person.pk, (0, None))
        return people

    def latest_seen(self, limit):
        """The `limit` people here printed most recently (name breaks ties), each with `latest`.

        Grouping every mention of every official by its latest date was the home page's
        slowest query, and it grows with the archive. Only the newest dates can hold the
        latest: a window of them is widened until it names `limit` people, and since a
        person's mentions inside the window include their latest one, its order is exact.
        """
        def read(oldest):
            if oldest is None:
                return list(self.with_counts().order_by(F("latest").desc(nulls_last=True), "name")[:limit])
            # Articles by their pages' date first: joined the other way round, SQLite
            # reads every mention to find the window's.
            recent = Article.objects.filter(page__published_start__gte=oldest)
            return list(self.filter(mentions__article__in=recent)
                        .annotate(latest=Max("mentions__article__page__published_start"))
                        .order_by("-latest", "name")[:limit])

        return from_newest_dates(read, limit)

    def officials(self):
        # EXISTS, not a join and DISTINCT: joined, every position repeats each mention
        # that with_counts() groups (the home page's slowest query).
        return self.filter(Exists(Position.objects.filter(person=OuterRef("pk"))))

    def reporters(self):
        return self.filter(mentions__role__in=T.BYLINE_ROLES).distinct()

    def with_role(self, role):
        return self.filter(mentions__role=role).distinct()

    def with_positions(self):
        positions = Position.objects.timeline().select_related("organization", "district")
        return self.prefetch_related(Prefetch("positions", queryset=positions))

    def with_byline_counts(self):
        """Byline people with how many articles they wrote, reported for, or photographed."""
        def articles_as(*roles):
            return counted(PersonMention.objects.filter(person=OuterRef("pk"), role__in=roles))

        bylines = PersonMention.objects.filter(role__in=T.BYLINE_ROLES).values("person_id")
        return (
            self.filter(pk__in=bylines)
            .annotate(
                byline_count=articles_as(*T.BYLINE_ROLES),
                reporter_count=articles_as(T.REPORTER),
                correspondent_count=articles_as(T.CORRESPONDENT),
                photographer_count=articles_as(T.PHOTOGRAPHER),
            )
            .order_by("-byline_count", "name")
        )


class Person(models.Model):
    name = models.CharField("姓名", max_length=50, db_index=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    note = models.TextField("备注", blank=True)
    # Databases sort Chinese by code point, not as a reader looks a name up.
    sort_name = models.CharField("拼音", max_length=200, blank=True, db_index=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "人物"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:person", args=[self.slug])

    def save(self, *args, **kwargs):
        self.sort_name = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    @property
    def has_unknown_character(self):
        """The name holds a character the paper could not print and the archive could not decode."""
        from archive.ingest.notation import has_unknown

        return has_unknown(self.name)

    @property
    def latest_position(self):
        """The title last seen in print; reads prefetched positions when there are any."""
        positions = list(self.positions.all())
        if not positions:
            return None
        return max(positions, key=lambda p: (p.last_seen_start or date.min, p.pk))


def pinyin_key(name):
    """A key that sorts names in pinyin order, the surname read as a surname (曾 zēng, 单 shàn)."""
    from archive.ingest.surnames import sort_key

    return sort_key(name)[:Person._meta.get_field("sort_name").max_length]


class OrganizationQuerySet(models.QuerySet):
    def with_article_counts(self):
        return self.annotate(article_count=counted(OrganizationMention.objects.filter(organization=OuterRef("pk"))))


class Organization(models.Model):
    name = models.CharField("名称", max_length=120, unique=True)
    slug = models.SlugField(max_length=150, unique=True, allow_unicode=True)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="organizations"
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "机构"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:organization", args=[self.slug])


class PositionQuerySet(PositionDates, models.QuerySet):
    def timeline(self):
        # Titles never dated (their pages have no date) go last, not first.
        return self.order_by(F("first_seen_start").asc(nulls_last=True), "title")

    def seen_in_district(self, district):
        """Titles tied to the place (or a place within it), or printed in articles about it."""
        # The places and the positions printed there read once each (lists the planner can
        # index, not subqueries the count and the page would each run again): a DISTINCT over
        # positions joined to every mention and article, with an OR across the join, scanned
        # them all (0.23 s at 10x for a place of no article).
        ids = list(District.objects.within(district).values_list("pk", flat=True))
        printed = list(PersonMention.objects.filter(article__districts__in=ids, position__isnull=False)
                       .order_by().values_list("position_id", flat=True).distinct())
        return (
            self.filter(Q(district__in=ids) | Q(pk__in=printed))
            .select_related("person", "organization")
            .order_by("person__name", F("first_seen_start").asc(nulls_last=True), "title")
        )


class Position(PartialDateMixin, models.Model):
    """A title a person was printed with, and the first and last dates it was seen.

    The dates are the publication dates of the pages that printed it; the loader
    recomputes them whenever those pages change.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField("职务（原文）", max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    first_seen_start = models.DateField(null=True, blank=True)
    first_seen_end = models.DateField(null=True, blank=True)
    first_seen_precision = models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True)
    last_seen_start = models.DateField(null=True, blank=True)
    last_seen_end = models.DateField(null=True, blank=True)
    last_seen_precision = models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["person", "first_seen_start", "title"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title"], name="position_person_title")
        ]
        verbose_name = verbose_name_plural = "职务"

    def __str__(self):
        return f"{self.person} · {self.title}"

    @property
    def first_seen_display(self):
        return self._partial_display("first_seen")

    @property
    def last_seen_display(self):
        return self._partial_display("last_seen")

    def mentions_printing(self):
        """Mentions that print this title: as their title or among their other titles."""
        return PersonMention.objects.filter(
            Q(position=self) | Q(person_id=self.person_id, other_titles__contains=self.title)
        )

    def refresh_seen(self):
        """Recompute first/last seen from the pages that print the title, and save.

        Returns whether any mention still prints it (the loader drops positions none does).
        """
        return self.pk not in Position.objects.filter(pk=self.pk).refresh_seen(reload=[self])


class PersonMention(models.Model):
    ROLE_CHOICES = list(T.ROLE_LABELS.items())
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")
    role = models.CharField("角色", max_length=20, choices=ROLE_CHOICES, db_index=True)
    title = models.CharField("职务（原文）", max_length=200, blank=True)
    other_titles = models.TextField(
        "其他职务", blank=True, help_text="同一篇中此人的其他职务，每行一个。"
    )
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )

    class Meta:
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="personmention_article_person_role"
            )
        ]
        verbose_name = verbose_name_plural = "人物提及"

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class OrganizationMention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="organization_mentions")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="mentions")
    role = models.CharField("角色", max_length=20, default=T.MENTIONED)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "organization", "role"], name="orgmention_article_org_role"
            )
        ]
        verbose_name = verbose_name_plural = "机构提及"

    def __str__(self):
        return str(self.organization)


class IngestRun(models.Model):
    """One audit row per file per ingest, as a newspaper archive keeps of its batch loads."""

    CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
    file_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=[(s, s) for s in (CREATED, UPDATED, UNCHANGED, FAILED)]
    )
    encoding = models.CharField(max_length=20, blank=True)
    articles = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = verbose_name_plural = "导入记录"

    def __str__(self):
        return f"{self.file_name}: {self.status}"


def person_summary(person):
    """Aggregates for a person page, kept in the model layer."""
    mentions = person.mentions.select_related("article__page")
    return mentions.aggregate(
        first=Min("article__page__published_start"),
        last=Max("article__page__published_start"),
        articles=Count("article", distinct=True),
        interviews=Count("article", filter=Q(role=T.INTERVIEWEE), distinct=True),
    )
