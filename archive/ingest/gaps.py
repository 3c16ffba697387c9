"""The ambiguous gap: is a blank-line gap inside running text an article boundary?

Plain Python. Where no dateline, byline or deck says so, three kinds of evidence
decide, each cheap and local (a fixed window of text on either side, so the
page is still read in linear time):

- *proximity*: a headline is set closer to its own article than to the
  neighbour, and a gap between articles is wider than the page's usual gap
  between paragraphs or at column ends;
- *lexical cohesion* (as in Hearst's TextTiling): two stretches of one article
  share vocabulary, two articles far less; measured on CJK character pairs;
- *headline-likeness*: a headline's words come back in its own article's text.

The thresholds were read off the pages rendered by `shared/tools/render_pages.py`
with seeds 7 and 3 (days 2-15 January, 387 articles, 5,300 candidate lines) and
checked on seeds 11 and 1 and on `tests/benchmarks/relay_pages.py` pages; each
says what it separates.
"""
from __future__ import annotations

import re

NEXT, PREVIOUS = "next", "previous"

# Characters of text read on either side of a gap (a paragraph or two on a long-line
# page, a dozen lines of a narrow column).
WINDOW = 240

# Cohesion (shared character pairs over the smaller side's pairs) between the text
# before and after a gap. Across two articles of one page it was below 0.05 for 90%
# of gaps (median 0.02); across a column break or a cross-head inside one article it
# was above 0.05 for 85% (median 0.12). A gap that has a headline-like line and a
# proximity cue needs only to stay clear of what one article shows.
TOPIC_SHIFT = 0.06
SAME_TEXT = 0.3
# Share of a headline's character pairs found in the text it heads: its own article
# repeats 0.1-0.7 of them; text that is not headed by it shares almost none.
HEADLINE_WORDS = 0.15

_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


def pairs(text: str) -> set[str]:
    return set(_PAIR.findall(text))


def cohesion(before: str, after: str) -> float:
    """Share of character pairs the two texts have in common (0 when either has none)."""
    a, b = pairs(before), pairs(after)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def shared(heading: str, text: str) -> float:
    """Share of the heading's character pairs that occur in the text."""
    own = pairs(heading)
    return sum(1 for pair in own if pair in text) / len(own) if own else 0.0


def heading_side(heading: str, before: str, after: str, gap_before: int | None,
                 gap_after: int | None) -> str | None:
    """Whether a headline-like block inside running text heads what follows (NEXT),
    closes what precedes as its headline printed after it (PREVIOUS), or is text (None).

    A gap of None is the edge of the page (wider than any gap). The text before
    the block ends a sentence; the caller checks that.
    """
    wide_before = gap_before is None or (gap_after is not None and gap_before > gap_after)
    wide_after = gap_after is None or (gap_before is not None and gap_after > gap_before)
    if gap_after is None and not after:
        return PREVIOUS
    shift = cohesion(before, after)
    if wide_before:
        # Set closer to the text below: its headline, unless the two sides read as one.
        return NEXT if shift < SAME_TEXT else None
    if wide_after:
        # Set closer to the text above: a headline printed after its article (its words
        # are not those of the text below) or the first words of a paragraph a column
        # break cut (the two sides are one text).
        if shift < TOPIC_SHIFT and shared(heading, after) < HEADLINE_WORDS:
            return PREVIOUS
        return None
    # Equal gaps: only the words can tell a headline from a cross-head.
    if shift < TOPIC_SHIFT and shared(heading, after) >= HEADLINE_WORDS:
        return NEXT
    return None


def text_boundary(before: str, after: str) -> bool:
    """Whether a gap between two stretches of text, wider than the page's usual gap, parts two articles.

    The caller has checked that the gap is wider than the page's usual one between
    text lines (a column end or a paragraph break is the usual gap) and that the
    text before ends a sentence; the two sides must then not read as one text.
    """
    return cohesion(before, after) < TOPIC_SHIFT
