"""Turning stored text into HTML with parts marked: query terms, names, article spans.

Everything here escapes the text itself and adds only its own tags, so a page
that prints `<script>` shows it as text. Each function returns a SafeString.
"""
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from search.highlight import mark, present_terms
from search.query import parse

MAX_QUERY_LENGTH = 200


def _join(pieces):
    return mark_safe("".join(str(p) for p in pieces))


def mark_matches(text, pattern, render):
    """Escape `text`, passing each match of `pattern` through `render(match)` instead."""
    if pattern is None:
        return escape(text)
    pieces, pos = [], 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        pieces += [escape(text[pos:match.start()]), render(match)]
        pos = match.end()
    pieces.append(escape(text[pos:]))
    return _join(pieces)


def alternation(words):
    """One regex matching any of `words`, longest first so 郑东新区 wins over 郑东."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words))


# -- query terms ---------------------------------------------------------------


def query_terms(query, text):
    """The terms of a search query to mark in `text`, read as the search page reads them.

    A term the text holds is marked whole. One it does not hold (郑东新区防汛,
    typed without a space) is marked by its jieba words, the way the search falls
    back to them, keeping the words of two characters or more that the text holds.
    Matching is search's own, so what the results page found is what gets marked.
    """
    return present_terms(parse((query or "")[:MAX_QUERY_LENGTH]).highlight_terms(), text)


def highlight(text, terms):
    """Escape `text` and wrap each occurrence of a term in <mark>."""
    return mark(text, terms)


def prefix_end(text, prefix):
    """Where `prefix` ends at the start of `text`, ignoring spaces (本报讯 7月18日 ~ 本报讯7月18日), or None."""
    i = 0
    for char in prefix:
        if char.isspace():
            continue
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text) or text[i] != char:
            return None
        i += 1
    return i


# -- names in a byline -----------------------------------------------------------


def link_names(text, urls):
    """Escape a printed byline, linking each name in `urls` (name -> URL) where it occurs."""
    return mark_matches(
        text, alternation(urls), lambda m: format_html('<a href="{}">{}</a>', urls[m.group()], m.group())
    )


# -- article spans in a page's raw text --------------------------------------------


def mark_spans(raw_text, articles):
    """The raw text, escaped, with each article's [span_start, span_end) wrapped in a <mark>.

    A link to the article opens each span. Its label comes from CSS, not from
    text in the <pre>, so the characters shown (and copied) are exactly the
    stored text. Spans that are empty, out of range or overlap an earlier one
    are clipped or skipped rather than trusted.
    """
    pieces, pos = [], 0
    for article in sorted(articles, key=lambda a: (a.span_start, a.position)):
        start, end = max(article.span_start, pos), min(article.span_end, len(raw_text))
        if end <= start:
            continue
        pieces.append(escape(raw_text[pos:start]))
        pieces.append(
            format_html(
                '<mark class="span" id="span-{n}" data-n="{n}">'
                '<a class="span-link" href="{url}" data-n="{n}" aria-label="第{n}篇：{headline}"></a>'
                "{text}</mark>",
                n=article.position,
                url=article.get_absolute_url(),
                headline=article.headline,
                text=raw_text[start:end],
            )
        )
        pos = end
    pieces.append(escape(raw_text[pos:]))
    return _join(pieces)


# -- the tagged corpus as a reader reads it -------------------------------------------


def is_tagged(page) -> bool:
    """A page of the PFR corpus: its stored text is `word/tag` tokens, one paragraph a line."""
    return page.is_tagged


def untagged(raw_text, articles):
    """The tagged text as plain lines (将门/n 之/u -> 将门之, line ids dropped), with each
    article's span moved onto the plain text; the articles are changed in place."""
    from bisect import bisect_right

    from archive.ingest.pfr import split_line

    plain, raw_starts, plain_starts, at = [], [], [], 0
    for line in raw_text.split("\n"):
        paragraph = split_line(line)
        text = paragraph.text if paragraph is not None else line
        raw_starts.append(at)
        plain_starts.append(sum(len(p) + 1 for p in plain))
        plain.append(text)
        at += len(line) + 1

    def moved(offset, end=False):
        i = max(bisect_right(raw_starts, offset - (1 if end else 0)) - 1, 0)
        return plain_starts[i] + (len(plain[i]) if end else 0)

    for article in articles:
        if article.span_end > article.span_start:
            article.span_start, article.span_end = moved(article.span_start), moved(article.span_end, end=True)
    return "\n".join(plain)
