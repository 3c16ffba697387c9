"""Snippets with the query's terms marked, for Chinese text.

haystack's highlighting does not work here: the whoosh backend highlights with a
stemming analyzer (nothing for Chinese) and the template tag finds words by
splitting the query on spaces. This module matches the query's terms as strings
(case-insensitive, full-width folded, tolerant of the stray spaces and line breaks
OCR leaves inside Chinese words), marks every occurrence in a window around the
first hit, and escapes everything else: the result is safe HTML.
"""
from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analyzer import normalize, squeeze

SNIPPET_LENGTH = 160
CONTEXT_BEFORE = 40
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_SPACES = re.compile(r"\s+")


def _pattern(term: str) -> re.Pattern:
    chars = [re.escape(ch) for ch in normalize(term).lower() if not ch.isspace()]
    return re.compile(r"\s*".join(chars), re.IGNORECASE)


def find_spans(text: str, terms) -> list[tuple[int, int]]:
    """Every occurrence of every term in text, overlapping ones merged, in order."""
    folded = normalize(text)  # same length as text, so spans index both
    spans = []
    for term in {t for t in terms if t and not t.isspace()}:
        spans += [m.span() for m in _pattern(term).finditer(folded) if m.end() > m.start()]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(s) for s in merged]


def _render(text, spans, start, end):
    out, at = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        out += [escape(text[at:s]), "<mark>", escape(text[s:e]), "</mark>"]
        at = e
    out.append(escape(text[at:end]))
    return "".join(out)


def mark(text: str, terms) -> str:
    """The whole text, escaped, with every occurrence of the terms in <mark>."""
    text = text or ""
    return mark_safe(_render(text, find_spans(text, terms), 0, len(text)))


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters around the first hit, every hit in it marked, as safe HTML.

    Without a hit (the match was in a field the text does not hold) it is the opening.
    """
    # Display as the index reads it: one space for any run, none inside Chinese words.
    text = squeeze(_SPACES.sub(" ", text or "").strip())[0]
    spans = find_spans(text, terms)
    start = 0
    if spans:
        first = spans[0][0]
        start = max(0, first - CONTEXT_BEFORE)
        # Begin at a sentence start when there is one shortly before the hit.
        ends = list(_SENTENCE_END.finditer(text, start, first))
        if ends:
            start = ends[-1].end()
        start = max(0, min(start, len(text) - length))
    end = min(len(text), start + length)
    for s, e in spans:  # never cut a marked hit in two
        if s < end < e:
            end = e
    html = _render(text, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))
