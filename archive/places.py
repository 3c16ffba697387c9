"""Places: the country → province → city → county hierarchy articles are filed under.

An article is filed under the narrowest places it is about; it counts for every
place above them too (an article about 新郑市 is on 郑州市's and 河南省's pages),
which the QuerySets below read through `within`.
"""
from django.apps import apps
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from archive.ingest import gazetteer

LEVEL_CHOICES = [
    (gazetteer.COUNTRY, "国家"),
    (gazetteer.PROVINCE, "省"),
    (gazetteer.CITY, "市"),
    (gazetteer.COUNTY, "区县"),
]
PROVINCE_KIND_LABELS = {"直辖市": "市", "自治区": "自治区", "特别行政区": "特别行政区"}
MAX_DEPTH = 4
# A place the hierarchy does not place (made by hand, or by an older ingest).
UNPLACED_LABEL = "地名"


class DistrictQuerySet(models.QuerySet):
    def with_article_counts(self):
        # Counted in the article-place table by its district index, one place at a time:
        # joined and grouped, every place's row was sorted with every filing (the place
        # list's and person filter's query, 12.5 -> 4.8 ms of CPU at 2x the month).
        filings = (apps.get_model("archive", "Article").districts.through.objects
                   .filter(district_id=OuterRef("pk")).order_by().values("district_id")
                   .annotate(n=Count("*")).values("n"))
        return self.annotate(article_count=Coalesce(Subquery(filings), 0))

    def matching(self, text):
        """Places with articles whose name or alias contains `text`, most written about
        first: the place list's finder and the person filter's suggestions (every place
        with articles for no text)."""
        places = self.filter(Q(name__contains=text) | Q(aliases__contains=text)) if text else self
        return places.with_article_counts().filter(article_count__gt=0).order_by("-article_count", "name")

    def named(self, text):
        """The place whose slug or name is `text` (the person filter's field sends either),
        or None. Names repeat across the hierarchy, so the one with the most articles."""
        if not text:
            return None
        return (self.filter(slug=text).first()
                or self.filter(name=text).with_article_counts().order_by("-article_count", "pk").first())

    def within(self, district):
        """`district` and every place below it, as one subquery: the hierarchy is four
        levels (country, province, city, county or zone), and one more is allowed for
        places admins add beneath a county."""
        below = Q(pk=district.pk)
        path = "parent"
        for _ in range(MAX_DEPTH):
            below |= Q(**{path: district.pk})
            path += "__parent"
        return self.filter(below)

    def children_with_counts(self, district) -> list:
        """The places directly below `district`, each with `article_count`: the articles
        filed under it or under any place within it (each article once)."""
        through = apps.get_model("archive", "Article").districts.through
        children = list(self.filter(parent=district).order_by("code", "name"))
        if not children:
            return []
        branch = {c.pk: c.pk for c in children}  # a place below → the child it lies under
        frontier = set(branch)
        while frontier:
            rows = list(self.filter(parent_id__in=frontier).values_list("pk", "parent_id"))
            frontier = {pk for pk, _ in rows if pk not in branch}
            branch.update((pk, branch[parent]) for pk, parent in rows if pk in frontier)
        articles: dict[int, set[int]] = {}
        for article_id, district_id in through.objects.filter(
                district_id__in=branch).values_list("article_id", "district_id"):
            articles.setdefault(branch[district_id], set()).add(article_id)
        for child in children:
            child.article_count = len(articles.get(child.pk, ()))
        return sorted(children, key=lambda c: -c.article_count)


class District(models.Model):
    """A place: a country, province, city, county or zone (the name is the old one)."""

    name = models.CharField("名称", max_length=50)
    slug = models.SlugField(max_length=60, unique=True)
    level = models.CharField("层级", max_length=10, choices=LEVEL_CHOICES, blank=True)
    kind = models.CharField("类型", max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children",
    )
    code = models.CharField(
        "代码", max_length=12, blank=True, db_index=True,
        help_text="行政区划代码（GB/T 2260）或国家代码（ISO 3166-1）；功能区留空。",
    )
    city = models.CharField("城市", max_length=20, default="郑州")
    aliases = models.TextField(
        "别名", blank=True, help_text="每行一个：报上对本区的其他叫法（如 东区、郑东）。检索和区县识别都会用到。"
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "地方"
        constraints = [
            models.UniqueConstraint(fields=["name", "parent"], name="district_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:district", args=[self.slug])

    @property
    def label(self) -> str:
        """What the place is: 国家, 省, 市, 区县 (北京市 is a 市 at a province's level)."""
        if not self.level:
            return UNPLACED_LABEL
        if self.level == gazetteer.PROVINCE and self.kind in PROVINCE_KIND_LABELS:
            return PROVINCE_KIND_LABELS[self.kind]
        return self.get_level_display()

    @property
    def alias_list(self):
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    def all_names(self):
        return [self.name, *self.alias_list]

    def lineage(self) -> list["District"]:
        """The places this one lies in, broadest first (中国, 河南省, 郑州市)."""
        chain, place, seen = [], self.parent, {self.pk}
        while place is not None and place.pk not in seen:
            chain.append(place)
            seen.add(place.pk)
            place = place.parent
        return chain[::-1]
