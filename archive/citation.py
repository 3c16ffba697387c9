"""How to cite an article: GB/T 7714-2015 and Chicago forms, and the same facts as
metadata for reference managers (citation_* tags, which Zotero reads), search engines
(schema.org NewsArticle in JSON-LD) and link previews (Open Graph).

Dates keep the page's precision: a page known only to the month is cited as 2020-07
(GB/T) or July 2020 (Chicago), never with an invented day.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from django.utils.safestring import mark_safe

from archive.ingest import dates as pdates

SITE_NAME = "报库"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
_EDITION = re.compile(r"^(?:第\s*)?([A-Za-z]?\d+)(?:\s*版)?$")
DESCRIPTION_LENGTH = 120


def edition_number(section: str) -> str:
    """The 版次 a citation prints: 第3版 -> 3, A01 -> A01; a named section (郑东新区) has none."""
    match = _EDITION.match((section or "").strip())
    return match.group(1) if match else ""


def _chicago_date(start, end, precision):
    if start is None:
        return "n.d."
    if precision == pdates.YEAR:
        return str(start.year)
    if precision == pdates.MONTH:
        return f"{MONTHS[start.month - 1]} {start.year}"
    if precision == pdates.DAY or end in (None, start):
        return f"{MONTHS[start.month - 1]} {start.day}, {start.year}"
    return f"{_chicago_date(start, start, pdates.DAY)}–{_chicago_date(end, end, pdates.DAY)}"


def _english_day(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass
class Citation:
    authors: list
    title: str
    newspaper: str
    published_iso: str
    edition: str
    url: str
    accessed: date
    chicago_date: str
    section: str = ""
    description: str = ""

    @property
    def gbt(self) -> str:
        """GB/T 7714-2015 for a newspaper article read online: 作者. 题名[N/OL]. 报纸, 日期(版次)[引用日期]. URL."""
        names = self.authors[:3] + (["等"] if len(self.authors) > 3 else [])
        who = ", ".join(names) + ". " if names else ""
        edition = f"({self.edition})" if self.edition else ""
        when = self.published_iso or "出版日期不详"
        return f"{who}{self.title}[N/OL]. {self.newspaper}, {when}{edition}[{self.accessed.isoformat()}]. {self.url}."

    @property
    def chicago(self) -> str:
        """Chicago (17th ed.), bibliography entry for a newspaper article consulted online."""
        who = ", ".join(self.authors) + ". " if self.authors else ""
        where = f", {self.edition}" if self.edition else (f", {self.section}" if self.section else "")
        title = self.title.replace("“", "‘").replace("”", "’")  # quotes inside quotes
        return (f"{who}“{title}.” {self.newspaper}, {self.chicago_date}{where}. "
                f"Accessed {_english_day(self.accessed)}. {self.url}.")

    @property
    def meta(self) -> list[tuple[str, str]]:
        """(name, content) of the citation_* meta tags."""
        tags = [("citation_title", self.title)]
        tags += [("citation_author", name) for name in self.authors]
        if self.published_iso:
            tags.append(("citation_publication_date", self.published_iso.split("/")[0].replace("-", "/")))
        tags += [("citation_journal_title", self.newspaper), ("citation_language", "zh"),
                 ("citation_public_url", self.url)]
        return tags

    @property
    def open_graph(self) -> list[tuple[str, str]]:
        tags = [("og:type", "article"), ("og:title", self.title), ("og:url", self.url),
                ("og:site_name", SITE_NAME), ("og:locale", "zh_CN"), ("og:description", self.description)]
        if self.published_iso:
            tags.append(("article:published_time", self.published_iso.split("/")[0]))
        if self.section:
            tags.append(("article:section", self.section))
        return tags

    @property
    def json_ld(self) -> str:
        """schema.org NewsArticle as a JSON-LD data block, safe inside <script>."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "inLanguage": "zh-Hans",
            "isPartOf": {"@type": "Periodical", "name": self.newspaper},
            "publisher": {"@type": "Organization", "name": self.newspaper},
            "description": self.description,
        }
        if self.published_iso:
            data["datePublished"] = self.published_iso
        if self.authors:
            data["author"] = [{"@type": "Person", "name": name} for name in self.authors]
        if self.section:
            data["printSection"] = self.section
        if self.edition:
            data["printEdition"] = self.edition
        text = json.dumps(data, ensure_ascii=False)
        # Inside <script> only "<" could end the block early; JSON allows \\u escapes.
        return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def cite(article, url: str, accessed: date) -> Citation:
    """The citation of `article` read at the absolute `url` on `accessed`."""
    page = article.page
    first = article.paragraphs[0] if article.paragraphs else ""
    return Citation(
        authors=[p.name for p in article.reporters],
        title=article.headline,
        newspaper=page.newspaper_label,
        published_iso=page.published_iso,
        edition=edition_number(page.section),
        section=page.section,
        url=url,
        accessed=accessed,
        chicago_date=_chicago_date(page.published_start, page.published_end, page.published_precision),
        description=first[:DESCRIPTION_LENGTH],
    )
