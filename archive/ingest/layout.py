"""Repairing the layout of extracted page text: spaces, wrapped lines, column breaks.

Plain Python. Two kinds of page come in. *Wrapped* pages keep the printed line
breaks of narrow columns (a line every 13–15 characters); *long-line* pages
print one paragraph per line. In both, a column break may cut a paragraph, or a
word, and leave blank lines in the middle of it. Everything here is linear in
the size of the text.
"""
from __future__ import annotations

import re

# Characters that are set without spaces around them: CJK ideographs, kana, CJK and
# full-width punctuation, curly quotes, dashes, the ellipsis and the middle dot.
_WIDE_RANGES = (
    "\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef\u2010-\u2027\u00b7"
)
_WIDE = re.compile(f"[{_WIDE_RANGES}]")
_SPACE = r"[\s\u200b\ufeff]"
_SPACES = re.compile(f"{_SPACE}+")
# A run of spaces with a wide character on either side. Each alternative can only
# start where a run starts and takes the run whole, so nothing backtracks.
_SPACE_BY_WIDE = re.compile(
    f"(?<=[{_WIDE_RANGES}]){_SPACE}++|(?<!{_SPACE}){_SPACE}++(?=[{_WIDE_RANGES}])"
)

SENTENCE_FINAL = "。！？!?…"
CLOSERS = "”’」』）)》〉】\"'"
COLONS = "：:"

# A page whose text lines are at most this wide (in CJK characters) is wrapped.
WRAPPED_MAX_WIDTH = 30
# In wrapped text a line that ends a sentence and is this much narrower than the
# column ends its paragraph even without a blank line after it.
SHORT_LINE = 0.8


def is_wide(char: str) -> bool:
    return bool(char) and _WIDE.match(char) is not None


def normalize_spaces(text: str) -> str:
    """Drop justification spaces next to CJK text; keep one space between Latin or digit runs."""
    return _SPACES.sub(" ", _SPACE_BY_WIDE.sub("", text)).strip()


def normalize_heading(text: str) -> str:
    """Headlines keep their printed spaces (a deliberate gap between two phrases), one each."""
    return " ".join(text.replace("\ufeff", "").split())


def visual_width(text: str) -> float:
    """Width in CJK characters: a Latin letter or digit is half a character; spaces do not count."""
    # Counted with str methods, not a regex: this runs on every line of every page.
    ascii_spaces = text.count(" ") + text.count("\t")
    spaces = ascii_spaces + text.count("\u3000")
    narrow = len(text.encode("ascii", "ignore")) - ascii_spaces
    return len(text) - spaces - narrow / 2


def ends_sentence(line: str, colon: bool = False) -> bool:
    """Whether a line ends a sentence: 。！？…, possibly followed by closing quotes or brackets.

    A closing quote alone does not end a sentence: in `生活“三会一课”` it closes a
    quotation inside one. With `colon`, a final colon counts too (it introduces the
    next paragraph on long-line pages).
    """
    line = line.rstrip()
    i = len(line) - 1
    while i >= 0 and line[i] in CLOSERS:
        i -= 1
    if i < 0:
        return False
    if line[i] in SENTENCE_FINAL:
        return True
    if colon and i == len(line) - 1 and line[i] in COLONS:
        return True
    return _closing_note(line)


def _closing_note(line: str, notes: int = 3) -> bool:
    """A bracketed note after the last sentence, or a line that is only one: …企业。（孙海涛 胡跃平）.

    Papers close an article with its source or its reporters in brackets; the
    note ends the text as a full stop would. Up to `notes` may follow one another
    (…宝座。（上）（本报渥太华电）: the part of a series, then the source).
    """
    if not line or line[-1] not in "）)":
        return False
    opening = max(line.rfind("（"), line.rfind("("))
    if opening < 0 or ")" in line[opening:-1] or "）" in line[opening:-1]:
        return False
    if opening == 0:
        return True
    if line[opening - 1] in "）)" and notes > 1:
        return _closing_note(line[:opening], notes - 1)
    k = opening - 1
    while k >= 0 and line[k] in CLOSERS:
        k -= 1
    return k >= 0 and line[k] in SENTENCE_FINAL


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def is_wrapped(widths: list[float]) -> bool:
    """Whether lines of these widths are narrow columns rather than one paragraph per line."""
    return bool(widths) and _percentile(widths, 0.5) <= WRAPPED_MAX_WIDTH


def column_width(widths: list[float]) -> float:
    """The width of a full line in a wrapped column (most lines are full, a few end paragraphs)."""
    return _percentile(widths, 0.75) if widths else 0.0


def join_paragraphs(lines: list[tuple[str, int, bool]], wrapped: bool | None = None,
                    width: float | None = None) -> list[str]:
    """Join printed lines into paragraphs and repair their spaces.

    `lines` are (text, blank lines before it, indented) for the lines of one
    article's body. A line that does not end a sentence always continues on the
    next line, across any blank lines: a blank after it is a column break, not a
    paragraph break. Otherwise long-line pages start a new paragraph at every
    line; wrapped pages at a blank line, an indent, or after a line clearly
    shorter than the column.
    """
    if not lines:
        return []
    widths = [visual_width(text) for text, _, _ in lines]
    if wrapped is None:
        wrapped = is_wrapped(widths)
    if wrapped and width is None:
        width = column_width(widths)
    paragraphs: list[str] = []
    current: list[str] = []
    previous_width = 0.0
    for (text, blanks, indented), line_width in zip(lines, widths):
        if current and ends_sentence(current[-1], colon=not wrapped):
            if not wrapped or blanks or indented or previous_width < SHORT_LINE * (width or 0):
                paragraphs.append(normalize_spaces("".join(current)))
                current = []
        current.append(text)
        previous_width = line_width
    if current:
        paragraphs.append(normalize_spaces("".join(current)))
    return [p for p in paragraphs if p]
