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

The thresholds were read off the pages `shared/tools/render_pages.py` renders with
seeds 7 and 3 (days 2-15 January, 387 articles) and the corpus articles of those
days, then checked, unchanged, on seeds 11 and 1 and on pages re-laid by
`tests/benchmarks/relay_pages.py`; each says what it separates.
"""
from __future__ import annotations

import re

NEXT, PREVIOUS = "next", "previous"

# Characters of text read on either side of a gap (a paragraph or two on a long-line
# page, a dozen lines of a narrow column).
WINDOW = 240

# Cohesion (shared character pairs over the smaller side's pairs) of the text either
# side of a headline-like line. Where the line parts two articles (45 cases) the
# median was 0.008 and 89% were below 0.06; where it stands inside one article (a
# cross-head, the first words of a paragraph cut by a column break; 83 cases) the
# median was 0.095 and 77% were above 0.06. At a wide gap with no headline line,
# 13 of 14 boundaries were below it.
TOPIC_SHIFT = 0.06
# Above this the two sides read as one text whatever the layout says (inside one
# article the 90th percentile was 0.22; across two articles it was 0.06).
SAME_TEXT = 0.3
# Share of a headline's character pairs found in the first WINDOW characters of a
# text: its own article's had median 0.5 and 88% at or above 0.15; the next
# article's had median 0 and 7% at or above 0.15 (1,137 corpus articles, 2-15 January).
HEADLINE_WORDS = 0.15
# A headline between two articles goes with the one whose text repeats clearly more of
# its words: this much more of its character pairs (a tenth of the gap between the
# medians above).
WORDS_MARGIN = 0.1

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
                 gap_after: int | None, column: bool = False) -> str | None:
    """Whether a headline-like block inside running text heads what follows (NEXT),
    closes what precedes as its headline printed after it (PREVIOUS), or is text (None).

    A gap of None is the edge of the page (wider than any gap). The text before
    the block ends a sentence; the caller checks that. `column`: the block is set
    to a narrow column's width, so it may be a line of that column cut off by a
    column break; then its words must come back in the article it would head.
    """
    wide_before = gap_before is None or (gap_after is not None and gap_before > gap_after)
    wide_after = gap_after is None or (gap_before is not None and gap_after > gap_before)
    if column and shared(heading, after if wide_before else before) < HEADLINE_WORDS:
        return None
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
    # Equal gaps: only the words can tell a headline from a cross-head, and which
    # article it heads (printed after its article, it repeats the words above).
    if shift >= TOPIC_SHIFT:
        return None
    above, below = shared(heading, before), shared(heading, after)
    if above >= HEADLINE_WORDS and above >= below + WORDS_MARGIN:
        return PREVIOUS
    return NEXT if below >= HEADLINE_WORDS else None


def text_boundary(before: str, after: str, wide: bool, dateline: bool, heading: str = "") -> bool:
    """Whether a gap between two stretches of text, the first ending a sentence, parts two articles.

    `wide`: the gap is wider than the page's usual one between text lines (a
    column end or a paragraph break is the usual gap). `dateline`: the text
    after it opens with one (本报讯, 新华社…电). `heading`: the words of the
    headline over the text before, if it has one. A wide gap before a dateline
    is a boundary; a wide gap alone needs the two sides not to read as one
    text. A dateline after the usual gap needs both the topic shift and the
    headline above not covering the text after it: a package of reports under
    one headline (《周恩来军事文选》出版发行 / 江苏隆重纪念, each report with its
    own 新华社…电) repeats that headline's words in every report. Measured on
    the five dev sets (render_pages seeds 7, 3, 11, relay_pages seeds 1, 2): at a
    dateline after the usual gap, 18 of 19 article boundaries were below
    TOPIC_SHIFT and 8 of 34 inner datelines; the headline covered the text after
    (HEADLINE_WORDS) at 4 of those 8 and at none of the boundaries.
    """
    if wide and dateline:
        return True
    shift = cohesion(before, after)
    if wide:
        return shift < TOPIC_SHIFT
    if not dateline or shift >= TOPIC_SHIFT:
        return False
    return not heading or shared(heading, after) < HEADLINE_WORDS
