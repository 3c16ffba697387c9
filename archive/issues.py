"""Newspapers and their issues, read from the pages' own fields.

An issue is the pages of one newspaper printed on one date, at the precision that
date is known to: 人民日报 1998年1月5日 has its 第1版 … 第12版; a seed page known
only to 2020年7月 is an issue of that month. There is no table of newspapers: a
newspaper is the name the manifest gave, found in the URL by a slug made from
its pinyin, so every URL here follows from the pages and never goes stale.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from archive.ingest import dates as pdates

UNKNOWN_NEWSPAPER = "报纸不详"
UNKNOWN_SLUG = "unknown"
UNDATED = "undated"
_EDITION_NUMBER = re.compile(r"(\d+)")


def newspaper_slug(name: str) -> str:
    """郑州晚报 -> zhengzhouwanbao; 郑州日报/郑州晚报 -> zhengzhouribao-zhengzhouwanbao."""
    if not name:
        return UNKNOWN_SLUG
    parts = ["".join(lazy_pinyin(part)) for part in re.split(r"[/／、,，\s]+", name) if part]
    return slugify("-".join(parts), allow_unicode=False) or UNKNOWN_SLUG


def newspaper_label(name: str) -> str:
    return name or UNKNOWN_NEWSPAPER


def edition_key(section: str, file_name: str = ""):
    """Pages in print order: 第2版 before 第10版, A01 before A02; unnumbered ones last."""
    match = _EDITION_NUMBER.search(section or "")
    return (0 if match else 1, int(match.group(1)) if match else 0, section or "", file_name)


@dataclass(frozen=True)
class Issue:
    """One newspaper on one (partial) date."""

    newspaper: str
    start: date | None
    end: date | None
    precision: str
    pages: int = 0
    articles: int = 0

    @property
    def token(self) -> str:
        """The date as it stands in the URL: 1998-01-05, 2020-07, 2017, A--B for an interval."""
        if self.start is None:
            return UNDATED
        return pdates.PartialDate(self.start, self.end or self.start, self.precision).iso().replace("/", "--")

    @property
    def display(self) -> str:
        return pdates.display(self.start, self.end, self.precision)

    @property
    def newspaper_label(self) -> str:
        return newspaper_label(self.newspaper)

    @property
    def newspaper_url(self) -> str:
        return reverse("archive:newspaper", args=[newspaper_slug(self.newspaper)])

    def get_absolute_url(self) -> str:
        return reverse("archive:issue", args=[newspaper_slug(self.newspaper), self.token])

    @classmethod
    def of_page(cls, page) -> "Issue":
        return cls(page.newspaper, page.published_start, page.published_end, page.published_precision)

    @classmethod
    def from_token(cls, newspaper: str, token: str) -> "Issue | None":
        """The issue a URL names, or None if its date is not one (a 404, not an error)."""
        if token == UNDATED:
            return cls(newspaper, None, None, "")
        try:
            when = pdates.PartialDate.parse(token.replace("--", "/"))
        except pdates.DateError:
            return None
        return cls(newspaper, when.start, when.end, when.precision)

    def filter(self) -> dict:
        """The Page lookups that select this issue's pages."""
        if self.start is None:
            return {"newspaper": self.newspaper, "published_start__isnull": True}
        return {"newspaper": self.newspaper, "published_start": self.start,
                "published_end": self.end, "published_precision": self.precision}


class PageIssues:
    """Reads for newspapers and issues, mixed into archive.models.PageQuerySet."""

    def newspapers(self) -> list[dict]:
        """[{name, label, slug, pages, issues, first, last}] by name: two grouped queries."""
        rows = {
            row["newspaper"]: {**row, "issues": 0}
            for row in self.values("newspaper").annotate(
                pages=Count("id"), first=Min("published_start"), last=Max("published_end")
            ).order_by("newspaper")
        }
        for row in self.values("newspaper", "published_start", "published_end", "published_precision").distinct().order_by():
            rows[row["newspaper"]]["issues"] += 1
        out = []
        for name, row in rows.items():
            row.update(name=name, label=newspaper_label(name), slug=newspaper_slug(name))
            out.append(row)
        return sorted(out, key=lambda r: (not r["name"], r["slug"]))

    def dated_span(self) -> dict:
        """{first, last}: the first and last day any page may be from (None when none is dated)."""
        return self.aggregate(first=Min("published_start"), last=Max("published_end"))

    def newspaper_named_by(self, slug: str) -> str | None:
        """The newspaper name whose slug this is (None if none is)."""
        names = sorted(self.values_list("newspaper", flat=True).distinct().order_by())
        return next((name for name in names if newspaper_slug(name) == slug), None)

    def issues_of(self, newspaper: str) -> list[Issue]:
        """The newspaper's issues in date order (undated last), with page and article counts."""
        rows = (
            self.filter(newspaper=newspaper)
            .values("published_start", "published_end", "published_precision")
            .annotate(pages=Count("id", distinct=True), articles=Count("articles"))
            .order_by()
        )
        issues = [Issue(newspaper, r["published_start"], r["published_end"], r["published_precision"],
                        r["pages"], r["articles"]) for r in rows]
        return sorted(issues, key=lambda i: (i.start is None, i.start or date.min, i.end or date.min))

    def in_issue(self, issue: Issue):
        """The issue's pages (heavy fields left out), in print order: a list."""
        pages = list(self.filter(**issue.filter()).defer("raw_bytes", "raw_text").annotate(article_count=Count("articles")))
        return sorted(pages, key=lambda p: edition_key(p.section, p.file_name))
