"""The parser's public entry point: page text in, articles out (plain Python, no Django)."""
from __future__ import annotations

from archive.ingest import gazetteer, structure
from archive.ingest.dates import PartialDate
from archive.ingest.entities import extract_entities, extract_page_entities
from archive.ingest.types import ParsedPage


def parse_page(text: str, published: PartialDate | None = None,
               districts=gazetteer.ZHENGZHOU) -> ParsedPage:
    """Split a page's decoded text into articles in reading order and fill in their entities.

    Never raises on odd text: a page without article text gives no articles and a
    warning saying why.
    """
    if not text or not text.strip():
        return ParsedPage([], ["the page has no text"])
    split = structure.split_text(text, districts)
    articles, warnings = split.articles, split.warnings
    if not articles:
        return ParsedPage([], warnings + ["no article text found on the page"], split.leftovers)
    # The page-wide pass runs extract_entities on each article and lets the page speak
    # for them (names titled earlier, the page's district). Should it fail, each
    # article is tried on its own, so one bad article costs only its own entities.
    try:
        extract_page_entities(articles, published, districts)
    except Exception as exc:
        warnings.append(f"page-wide entity extraction failed: {exc!r}")
        for article in articles:
            try:
                extract_entities(article, published, districts)
            except Exception as exc:
                warnings.append(f"article {article.position}: entity extraction failed: {exc!r}")
    return ParsedPage(articles, warnings, split.leftovers)
