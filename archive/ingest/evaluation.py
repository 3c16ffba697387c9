"""Scoring the page splitter against a gold file: plain Python, no Django.

A gold file is a JSON list with one entry per article (the shape
`shared/tools/render_pages.py` writes): `file`, `headline`, `body_starts` and
`body_ends` (the first and last 14 characters of the body, whitespace removed)
and `persons`. Optional keys are scored when present: `dateline` (the lead as
printed, e.g. 新华社北京１月１日电) and `reporters`. The seeds' key
(`tests/seed_articles.json`, `{"articles": [...]}`, a null headline for an
article printed without one) is read too.

An article is *found whole* when exactly one parsed article on its page starts
with its first characters and ends with its last (a byline the parser took
off the top or the end of the text counts as text there), and no other parsed
article starts so unless another gold article of the page does: a merge with a
neighbour or a split inside it both fail. Its *headline* is exact when that parsed article's
printed headline (spaces removed) equals the gold one (less a photo note
such as （附图片１张）, which the parser keeps as the photo flag), or, for a gold article
without a headline, when the parser marked its headline derived. Persons are
compared per page (Chinese names of 2-4 characters, as `pfr_plain.py score`
does), so a split or merged article does not turn right names into errors.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from archive.ingest.heads import strip_photo_note
from archive.ingest.types import ParsedArticle

CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_WHITESPACE = re.compile(r"\s+")
# Half-width punctuation the page may print where the gold has full-width (render_pages.py
# turns ， into , on some pages): the same text either way.
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"})


def squash(text: str) -> str:
    """Text as compared: no whitespace, half-width punctuation as full-width."""
    return _WHITESPACE.sub("", text or "").translate(_FULL_WIDTH)


@dataclass
class Score:
    """Counts over a set of pages; the figures are ratios of these."""

    pages: int = 0
    articles: int = 0  # gold articles
    found: int = 0  # parsed articles on the pages
    whole: int = 0
    headlines: int = 0
    datelines: int = 0
    datelines_gold: int = 0
    bylines: int = 0
    bylines_gold: int = 0
    persons_tp: int = 0
    persons_fp: int = 0
    persons_fn: int = 0

    def add(self, other: "Score") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def whole_share(self) -> float:
        return self.whole / self.articles if self.articles else 0.0

    @property
    def headline_share(self) -> float:
        return self.headlines / self.articles if self.articles else 0.0

    @property
    def persons_precision(self) -> float:
        return self.persons_tp / max(self.persons_tp + self.persons_fp, 1)

    @property
    def persons_recall(self) -> float:
        return self.persons_tp / max(self.persons_tp + self.persons_fn, 1)

    def line(self, name: str) -> str:
        """One line of figures for a set of pages."""
        parts = [f"{name}: {self.pages} pages, {self.articles} articles ({self.found} found)",
                 f"whole {self.whole_share:.1%} ({self.whole}/{self.articles})",
                 f"headline {self.headline_share:.1%} ({self.headlines}/{self.articles})"]
        if self.datelines_gold:
            parts.append(f"dateline {self.datelines / self.datelines_gold:.1%} "
                         f"({self.datelines}/{self.datelines_gold})")
        if self.bylines_gold:
            parts.append(f"byline {self.bylines / self.bylines_gold:.1%} ({self.bylines}/{self.bylines_gold})")
        parts.append(f"persons P {self.persons_precision:.1%} R {self.persons_recall:.1%}")
        return ", ".join(parts)


def load_gold(path: Path) -> list[dict]:
    """The gold entries of a render_pages.py gold file or of the seeds' key, in one shape."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("articles", [])
    entries = []
    for item in data:
        persons = list(item.get("persons") or [])
        for key in ("officials", "other_persons"):
            persons += [p["name"] if isinstance(p, dict) else p for p in item.get(key) or []]
        if item.get("interviewee"):
            persons.append(item["interviewee"]["name"])
        persons += list(item.get("reporters") or []) + list(item.get("correspondents") or [])
        entries.append(dict(item, persons=sorted(set(persons))))
    return entries


def _text(article: ParsedArticle) -> str:
    return squash("".join(article.paragraphs)).lstrip("“")


def _names(article: ParsedArticle) -> set[str]:
    names = {p.name for p in article.persons}
    names |= set(article.reporters) | set(article.correspondents) | set(article.photographers)
    if article.interviewee is not None:
        names.add(article.interviewee.name)
    return names


def _chinese(names: Iterable[str]) -> set[str]:
    return {n for n in names if CHINESE_NAME.fullmatch(n)}


def score_page(articles: Sequence[ParsedArticle], gold: Sequence[dict],
               entries: Sequence[dict] | None = None) -> Score:
    """How the parsed articles of one page compare with the page's gold entries.

    `entries`: score only these of the page's gold entries (the others still count
    where two gold articles open with the same characters); all of them by default.
    """
    entries = gold if entries is None else entries
    score = Score(pages=1, articles=len(entries), found=len(articles))
    texts = [_text(a) for a in articles]
    # A byline printed above the text (本报记者王楚) opens the gold's first paragraph.
    # The parser joins the bylines it took from above and below the text (本报驻南非记者温宪
    # over it, （新华社记者李学仁摄） under it) with a space: each may be where the text starts or ends.
    bylines = [a.byline.split(" ") if a.byline else [] for a in articles]
    heads = [[squash("".join(parts[:n])) for n in range(1, len(parts) + 1)] for parts in bylines]
    tails = [[squash("".join(parts[n:])) for n in range(len(parts))] for parts in bylines]
    for entry in entries:
        # The seeds' key drops an opening quotation mark the page prints; it is not held
        # against the parser either way.
        starts, ends = squash(entry["body_starts"]).lstrip("“"), squash(entry["body_ends"])
        starting = [k for k, t in enumerate(texts)
                    if t.startswith(starts) or any((head + t).startswith(starts) for head in heads[k])]
        # A byline run on at the end of the last paragraph is split off by the parser
        # but is part of the gold's last characters.
        whole = [k for k in starting
                 if texts[k].endswith(ends) or any((texts[k] + tail).endswith(ends) for tail in tails[k])]
        # Two articles of a page may open with the same characters (本报北京１月１４日讯记者施明…
        # over two reports by one reporter): each is whole when one parsed article
        # starts and ends as it does and no more parsed articles start so than gold ones.
        same = sum(1 for other in gold if squash(other["body_starts"]).lstrip("“") == starts)
        if len(whole) == 1 and len(starting) == same:
            score.whole += 1
        if not starting:
            continue
        article = articles[whole[0] if whole else starting[0]]
        headline = entry.get("headline")
        if headline:
            # The parser keeps a photo note（附图片１张）as the article's photo flag.
            score.headlines += (not article.headline_derived
                                and squash(article.headline) == squash(strip_photo_note(headline)[0]))
        else:
            score.headlines += article.headline_derived
        if entry.get("dateline"):
            score.datelines_gold += 1
            score.datelines += squash(article.lead).startswith(squash(entry["dateline"]))
        if entry.get("reporters"):
            score.bylines_gold += 1
            score.bylines += set(entry["reporters"]) <= set(article.reporters)
    wanted = _chinese(n for entry in entries for n in entry.get("persons", ()))
    named = _chinese(n for article in articles for n in _names(article))
    score.persons_tp = len(wanted & named)
    score.persons_fp = len(named - wanted)
    score.persons_fn = len(wanted - named)
    return score


def score_pages(parse: Callable[[str], Sequence[ParsedArticle]], folder: Path,
                gold: Sequence[dict]) -> tuple[Score, dict[str, Score]]:
    """Parse every page the gold names (read from `folder`) and score it; (total, per file).

    `parse(file_name)` returns the page's parsed articles, so the caller chooses
    the code path (the parser directly, or an ingest into a scratch database).
    """
    by_file: dict[str, list[dict]] = defaultdict(list)
    for entry in gold:
        by_file[entry["file"]].append(entry)
    total, per_file = Score(), {}
    for name in sorted(by_file):
        page = score_page(parse(name), by_file[name])
        per_file[name] = page
        total.add(page)
    return total, per_file
