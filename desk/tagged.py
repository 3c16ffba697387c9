"""Entities of a tagged (PFR) page found again after an editor's correction (plain Python).

A split, merge or move changes which paragraphs an article holds; its persons,
organisations and places are then read again from the page's own tags, as the
corpus reader read them (archive.ingest.pfr), not by reading the text as a plain
page is: the tags say 白云 in 经理白云 is no name, and reading would make it one.
"""
from __future__ import annotations

from archive.ingest import pfr
from archive.ingest import types as T
from archive.ingest.dates import PartialDate


def _part_of(p: pfr.Paragraph, text: str) -> pfr.Paragraph | None:
    """The tokens of `p` that lie inside `text`, a piece of its text (a paragraph split in two)."""
    start = p.text.find(text)
    if start < 0 or not text:
        return None
    end, at, words, tags = start + len(text), 0, [], []
    for word, tag in zip(p.words, p.tags):
        if start <= at and at + len(word) <= end:
            words.append(word)
            tags.append(tag)
        at += len(word)
    return pfr.Paragraph(p.line_id, words, tags, [(label, c) for label, c in p.compounds if c in text])


def tagged_entities(raw_text: str, not_persons: frozenset[str] = frozenset()):
    """A finder of entities (as `entities.extract_page_entities` is for plain pages) that
    reads a page's articles again from the page's own tags, after an editor moved text
    between them (desk.revise): each paragraph is looked up among the page's tagged lines,
    or inside one (a piece of a split paragraph); an edited one has no tags and names
    nobody, as the corpus never tagged its new words."""
    lines = [p for p in map(pfr.split_line, raw_text.split("\n")) if p is not None]
    by_text = {}
    for p in lines:
        by_text.setdefault(p.text, p)

    def tagged(text):
        if text in by_text:
            return by_text[text]
        return next((part for p in lines if text in p.text for part in [_part_of(p, text)] if part), None)

    def find(articles: list[T.ParsedArticle], published: PartialDate | None, districts=None):
        for article in articles:
            heading = [] if article.headline_derived else [article.kicker, article.headline, article.subheadline]
            pfr.find_entities(
                article,
                [p for p in map(tagged, filter(None, heading)) if p],
                [p for p in map(tagged, article.paragraphs) if p],
                published, not_persons,
            )
        return articles

    return find
