"""Passes over a page's drafts once they are all read: what only the next article shows.

Plain Python. A headline printed *after* its article is given back to it (its
deck or its words say which article it heads), and a headless paragraph set over
a report whose headline, printed after it, repeats its words joins that report.
Each pass is one walk over the drafts.
"""
from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from archive.ingest import gaps, layout
from archive.ingest.heads import strip_photo_note
from archive.ingest.lines import DECK, HEAD, Line

if TYPE_CHECKING:
    from archive.ingest.drafts import Draft

_CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


def _cjk_tail(text: str, size: int) -> str:
    tail = text[-size:]
    return tail if len(tail) == size and all("\u4e00" <= c <= "\u9fff" for c in tail) else ""


def _shared(heading: str, text: str) -> float:
    pairs = set(_CJK_PAIR.findall(heading))
    return sum(1 for pair in pairs if pair in text) / len(pairs) if pairs else 0.0


def deck_names_previous(block: list[Line], previous: str, following: str) -> bool | None:
    """Whether the block's deck (——访…孙建功) names what only the article above names (None: no telling).

    A deck names the interviewee or the subject at its end: the article that
    names it and the other does not is the deck's.
    """
    for line in block:
        if line.kind != DECK:
            continue
        core = layout.normalize_spaces(line.text)
        for size in (4, 3, 2):
            tail = _cjk_tail(core, size)
            if tail and (tail in previous) != (tail in following):
                return tail in previous
    return None


def belongs_to_previous(block: list[Line], previous: str, following: str) -> bool:
    """Whether a heading block printed between two articles is the first one's, printed after it.

    The deck decides when it names one side only; failing that, the headline goes
    with the article whose text shares clearly more of its words.
    """
    named = deck_names_previous(block, previous, following)
    if named is not None:
        return named
    words = " ".join(line.text for line in block)
    before, after = _shared(words, previous), _shared(words, following)
    return before >= 0.4 and before >= after + 0.2


def _first_heading_is_previous(draft: Draft, previous: str) -> bool:
    """Whether the first line of a heading block is the headline of the headless article above.

    With the same gap all round, a headline printed after its article runs into
    the next article's heading block; its words tell it apart from a kicker: it
    shares clearly more of them with the text above than with the text below.
    """
    # A deck under the first line is that headline's: the block is one heading.
    if len(draft.heading) < 2 or draft.heading[0].kind != HEAD or draft.heading[1].kind != HEAD \
            or not draft.paragraphs:
        return False
    first = draft.heading[0].text
    before = gaps.shared(first, previous[-4 * gaps.WINDOW:])
    after = gaps.shared(first, "".join(draft.paragraphs)[:4 * gaps.WINDOW])
    return before >= gaps.HEADLINE_WORDS and before >= after + gaps.WORDS_MARGIN


def attach_trailing_headings(drafts: list[Draft]) -> tuple[list[Draft], list[Draft]]:
    """Give a headline printed after its article back to it; (drafts with text, the others)."""
    for k in range(1, len(drafts)):
        previous, draft = drafts[k - 1], drafts[k]
        if previous.heading or not previous.paragraphs or not draft.heading:
            continue
        if draft.body and draft.heading[0].index > draft.body[0].index:
            continue  # printed after its own text: already given back
        if _first_heading_is_previous(draft, "".join(previous.paragraphs)):
            previous.heading, draft.heading = draft.heading[:1], draft.heading[1:]
            continue
        # A heading over its own byline (本报记者 …) and text is that article's, unless
        # its deck names what only the article above names.
        if draft.top:
            if draft.paragraphs and deck_names_previous(draft.heading, "".join(previous.paragraphs),
                                                        "".join(draft.paragraphs)):
                previous.heading, draft.heading = draft.heading, []
            continue
        if not draft.paragraphs or belongs_to_previous(draft.heading, "".join(previous.paragraphs),
                                                       "".join(draft.paragraphs)):
            previous.heading, draft.heading = draft.heading, []
    kept = [d for d in drafts if d.paragraphs]
    return kept, [d for d in drafts if not d.paragraphs and (d.heading or d.byline_lines)]


def join_leads(drafts: list[Draft]) -> list[Draft]:
    """Give a headless paragraph to the report below it when that report's headline, printed after it, repeats its words.

    A standfirst or a photo caption (图为当选亚洲十佳的邓亚萍与黄金宝亲切交谈。) is set
    over a report that opens with its dateline (本报北京１月１６日讯…); with the headline
    printed after the report, nothing but their words tells the two are one article.
    The paragraph has no heading or dateline of its own, and no byline closed it.
    """
    joined: list[Draft] = []
    for draft in drafts:
        lead = joined[-1] if joined else None
        if (lead is not None and not lead.heading and not lead.closed and not lead.body[0].dateline
                and draft.body and draft.body[0].dateline
                and draft.heading and draft.heading[0].index > draft.body[-1].index
                and gaps.shared(strip_photo_note("".join(line.text for line in draft.heading))[0],
                                "".join(lead.paragraphs)) >= gaps.HEADLINE_WORDS):
            draft.body = lead.body + draft.body
            draft.prose = draft.prose or lead.prose
            draft.paragraphs = lead.paragraphs + draft.paragraphs
            if lead.byline is not None:  # a photo credit or a byline over the caption
                byline = copy.deepcopy(lead.byline)
                if draft.byline is not None:
                    byline.merge(draft.byline)
                draft.byline, draft.top = byline, draft.top or lead.top
            draft.byline_lines = lead.byline_lines + draft.byline_lines
            joined.pop()
        joined.append(draft)
    return joined
