"""The shape of a page's lines: narrow columns, paragraphs set solid, the usual gap.

Plain Python, on the lines `archive.ingest.lines` reads. A narrow column cuts
its lines to one width; a headline's lines are not cut so, one after another.
"""
from __future__ import annotations

from archive.ingest import layout
from archive.ingest.lines import TEXT, Line

# On a wrapped page a line this close to the column's width may be body text cut by a
# column break; with nothing else to go on it is not taken for a headline.
COLUMN_SET = (0.85, 1.15)


def at_column_width(size: float, width: float) -> bool:
    """Whether a line this wide (in CJK characters) is set to the column's width."""
    return COLUMN_SET[0] * width <= size <= COLUMN_SET[1] * width


def solid_tail(block: list[Line]) -> list[Line]:
    """The block's last lines set solid (no blank line between them)."""
    k = len(block) - 1
    while k > 0 and block[k - 1].index == block[k].index - 1:
        k -= 1
    return block[k:]


def column_lines(block: list[Line]) -> bool:
    """Whether the block ends in three lines or more set solid and cut to one length (spaces aside).

    The first may be short by its paragraph indent. A headline's lines differ in
    length; a narrow column's are the column's width.
    """
    solid = solid_tail(block)
    if len(solid) < 3:
        return False
    sizes = [len(layout.normalize_spaces(line.text)) + (2 if line.indent else 0) for line in solid]
    return len(set(sizes)) == 1


def column_paragraph(block: list[Line], width: float) -> bool:
    """Whether the lines (set solid) are three or more, all but the last of one length at the column's width.

    The last line ends the paragraph, so it may be short; a headline's lines are
    not cut to the column's width, one after another.
    """
    if len(block) < 3:
        return False
    sizes = {layout.visual_width(line.text) for line in block[:-1]}
    return len(sizes) == 1 and at_column_width(sizes.pop(), width)


def usual_gap(lines: list[Line]) -> int:
    """The commonest number of blank lines between two text lines of the page (0 if none)."""
    counts: dict[int, int] = {}
    previous = None
    for line in lines:
        if line.kind != TEXT:
            continue
        if previous is not None and line.index - previous.index > 1:
            gap = line.index - previous.index - 1
            counts[gap] = counts.get(gap, 0) + 1
        previous = line
    return max(counts, key=lambda g: (counts[g], -g)) if counts else 0
