"""Splitting a page into articles: kicker, headline, deck, lead, paragraphs, byline.

Plain Python. The page is read line by line, once. Each line gets a kind (blank,
byline, deck, marker, heading-like or text); a scan then opens an article at a
heading block or at text that follows a closed article, and closes it at its
byline. Two passes follow that need the whole page: a headline block printed
*after* its article is moved back to it, and a package kicker is carried on to
the articles it covers. Every step is linear in the size of the text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from archive.ingest import columns, gaps, gazetteer, layout
from archive.ingest.drafts import Draft
from archive.ingest.heads import derive_headline, inherit_kickers, place_names, split_lead, strip_photo_note
from archive.ingest.lines import (BLANK, BYLINE, COMPACT, DECK, HEAD, HEADING_KINDS, MARKER, MARKERS, TEXT,
                                  Line, opens_body, read_lines)
from archive.ingest.trailing import attach_trailing_headings, deck_names_previous, join_leads
from archive.ingest.types import INTERVIEW, NEWS, ParsedArticle

MAX_HEADING_LINES = 5  # kicker, headline, deck and a wrapped line or two; more is a list
MAX_BYLINE_LINES = 3  # 记者 … / 通讯员 … / 摄影 …; more byline lines in a row belong to no article
# A closing note in brackets is read back this far when a column wraps it (the longest
# seen, （中国人民银行江西金溪县支行周小琴陈广华汤长明）, has 24 characters).
NOTE_TAIL = 48

_INTERVIEW_DECK = re.compile(r"^[—─\-－]+\s*(?:专访|访)")


# -- scanning the page into drafts ------------------------------------------------


def _gap_before(lines: list[Line], i: int) -> int | None:
    """Blank lines above line i, or None at the top of the page."""
    return lines[i].gap


def _text_after(lines: list[Line], j: int, budget: int = gaps.WINDOW) -> str:
    """Up to `budget` characters of the text lines from line j on (the window the gap is read with).

    The window ends where another article's text may start (a byline, a
    dateline): a column's last lines before the next article are read on their
    own, not with its words. A heading-like line does not end it: a cross-head
    inside an article is one (cutting the window there split four articles of
    render_pages seed 7 at their cross-heads).
    """
    taken, size = [], 0
    while j < len(lines) and size < budget:
        line = lines[j]
        if taken and (line.kind == BYLINE or line.dateline):
            break
        if line.kind == TEXT:
            taken.append(line.body_text)
            size += len(line.body_text)
        j += 1
    return "".join(taken)[:budget]


def _text_start(draft: Draft, budget: int = gaps.WINDOW) -> str:
    """The first `budget` characters of a draft's text: where its headline's words come back
    (gaps.HEADLINE_WORDS was measured there), also for a headline printed after it."""
    taken, size = [], 0
    for line in draft.body:
        if size >= budget:
            break
        taken.append(line.body_text)
        size += len(line.body_text)
    return "".join(taken)[:budget]


def _text_before(draft: Draft, budget: int = gaps.WINDOW) -> str:
    taken, size = [], 0
    for line in reversed(draft.body):
        if size >= budget:
            break
        taken.append(line.body_text)
        size += len(line.body_text)
    return "".join(reversed(taken))[-budget:]


def _heading_run(lines: list[Line], i: int, at_start: bool, wrapped: bool,
                 width: float, before: str = "", headed: bool = True,
                 lead: str = "") -> tuple[list[Line], str] | None:
    """The heading block starting at line i and the article it heads, if the evidence says it is one.

    Returns the block and `gaps.NEXT` (it heads the text below) or
    `gaps.PREVIOUS` (it is the headline of the article above, printed after it).
    A headline with a deck under it, or a dateline or byline right after the
    block, heads what follows. After a byline (or at the top of the page) less
    will do, except on wrapped pages, where a body fragment cut by a column break
    looks like a headline: there the block must stand apart from the text and
    not be set to the column's width. Inside running text the gap decides
    (`gaps.heading_side`): proximity, lexical cohesion, headline-likeness.
    """
    n = len(lines)
    above = _gap_before(lines, i)
    groups, j = _heading_groups(lines, i)
    if not groups:
        return None
    if not at_start and wrapped and above == 0:
        return None  # set solid under the text above in a narrow column: the column's next line
    split = False
    taken = [line for group in groups for line in group]
    if len(groups) > 1:
        inside = groups[1][0].index - groups[0][-1].index - 1
        # Two headings with a gap between them, after a headless article: the first is
        # that article's headline printed after it when its words say so, whatever the gaps.
        if not headed and _repeats_above(groups[0], lead + before, _text_after(lines, j)):
            return groups[0], gaps.PREVIOUS
        # A gap inside the block wider than the one above it parts two headings: the
        # first closes the article above, the second opens the next (proximity).
        if above is not None and inside > above:
            taken, j, split = groups[0], groups[1][0].index, True
    if not split and j < n and lines[j].kind in HEADING_KINDS:
        return None  # more heading-like lines than a heading has: a list
    # A block whose heading-like first lines run on into text is text: give it back. So
    # is, on any page, one whose lines are a narrow column's, cut to one length.
    runs_on = j < n and j == taken[-1].index + 1 and not opens_body(lines[j])
    if runs_on and (wrapped or not at_start or columns.column_lines(taken)):
        while taken and taken[-1].index == j - 1:
            j = taken.pop().index
        if not taken:
            return None
    # A paragraph of a narrow column set solid over a byline (a standfirst: 杭州西湖电子集团 /
    # 生产的我国第一代… / … / 也将面世———（附图片１张） / 本报记者王政) is text, not
    # heading lines: its lines but the last are cut to the column's width. Give it back.
    if wrapped and j < n and opens_body(lines[j]):
        solid = columns.solid_tail(taken)
        if columns.column_paragraph(solid, width):
            if len(solid) == len(taken):
                return None
            taken, j = taken[:-len(solid)], solid[0].index
    following = lines[j] if j < n else None
    below = None if following is None else following.index - taken[-1].index - 1
    # Set closer to the text above than to the text below (proximity), after a
    # headless article: its headline printed after it, the more so when the text
    # below opens with a dateline of its own.
    trailing = (not headed and above is not None
                and (below is None or below > above))
    if trailing and (split or (following is not None and opens_body(following))):
        return taken, gaps.PREVIOUS
    if following is not None and not split and opens_body(following):
        # After a headless article its words decide, whatever the gaps (the layouts of
        # relay_pages set a headline printed after its article one or two lines off
        # either side): one that repeats the words above, not those below, is its headline.
        if not headed and _repeats_above(taken, lead + before, _text_after(lines, j)):
            return taken, gaps.PREVIOUS
        return taken, gaps.NEXT
    kinds = [line.kind for line in taken]
    # A wrapped line may begin with a dash (破折号): a deck counts under a headline.
    if DECK in kinds and (at_start or HEAD in kinds[:kinds.index(DECK)]):
        return taken, gaps.NEXT
    column = wrapped and all(columns.at_column_width(layout.visual_width(line.text), width)
                             for line in taken if line.kind == HEAD)
    words = "".join(line.text for line in taken)
    if at_start:
        if following is None or MARKER in kinds or not wrapped or not column or HEAD not in kinds:
            return taken, gaps.NEXT
        # Set to the column's width: a headline only if the text below repeats its words.
        return (taken, gaps.NEXT) if gaps.shared(words, _text_after(lines, j)) >= gaps.HEADLINE_WORDS else None
    side = gaps.heading_side(words, before, _text_after(lines, j), above, below, column)
    if side is None and len(groups) > 1 and not split:
        # The later groups may be text a column break cut short (刚过而立之年的黄斌，出生 /
        # three blank lines / …): the first group alone, nearer to them than to the text
        # above, may still head what follows.
        first = groups[0]
        inside = groups[1][0].index - first[-1].index - 1
        if not (wrapped and column):
            side = gaps.heading_side("".join(line.text for line in first), before,
                                     _text_after(lines, groups[1][0].index), above, inside)
            if side == gaps.NEXT:
                return first, side
        return None
    if side == gaps.PREVIOUS and headed:
        return None
    return None if side is None else (taken, side)


MAX_HEADING_GROUPS = 3  # kicker, headline and deck each set apart by a blank line; more is a list


def _heading_groups(lines: list[Line], i: int) -> tuple[list[list[Line]], int]:
    """The heading-like lines from line i on in groups set solid, and the index of the line after them.

    A group starts at a headline-like line after a blank gap; a deck or list
    item after a gap stays in the group above it.

    No groups if one is longer than a heading (lines set solid past
    MAX_HEADING_LINES are a list); the count stops before a group past
    MAX_HEADING_GROUPS, whose first line is then the one after them.
    """
    groups: list[list[Line]] = []
    j, n = i, len(lines)
    while j < n:
        line = lines[j]
        if line.kind == BLANK:
            j += 1
            continue
        if line.kind not in HEADING_KINDS:
            break
        # A deck or a ● list set apart from its headline by a blank line still goes with it.
        if not groups or (line.index - groups[-1][-1].index > 1 and line.kind == HEAD):
            if len(groups) == MAX_HEADING_GROUPS:
                break
            groups.append([])
        if len(groups[-1]) == MAX_HEADING_LINES:
            return [], j
        groups[-1].append(line)
        j += 1
    return groups, j


def _repeats_above(block: list[Line], before: str, after: str) -> bool:
    """Whether a heading block shares clearly more words with the text above than with the text below.

    A deck that names what only one side names (——访区委书记张三) decides first.
    """
    named = deck_names_previous(block, before, after)
    if named is not None:
        return named
    words = strip_photo_note("".join(line.text for line in block))[0]  # 附图片 is no headline word
    above, below = gaps.shared(words, before), gaps.shared(words, after)
    return above >= gaps.HEADLINE_WORDS and above >= below + gaps.WORDS_MARGIN


def _heads_next(lines: list[Line], i: int, current: Draft, usual: int) -> bool:
    """Whether the byline at line i stands above the next article's text rather than closing the current one.

    After a headline printed after its article, a byline belongs to what follows.
    Otherwise proximity decides: set off from the text above by a wider gap than
    the page's usual one and closer to the text below, it heads that text.
    """
    if current.trailing:
        return True
    if current.closed or not current.ended:
        return False
    above = _gap_before(lines, i)
    k = i + 1
    while k < len(lines) and lines[k].kind == BLANK:
        k += 1
    if above is None or k == len(lines) or lines[k].kind == BYLINE:
        return False
    below = k - i - 1
    # Set solid on the text below and apart from the text above, it heads the text below
    # even where the page's usual gap is as wide (a one-paragraph-a-line block above a
    # narrow column: the page's usual gap is the other block's).
    return above > below and (above > usual or below == 0)


def _text_follows(lines: list[Line], i: int) -> bool:
    """Whether the next printed line after line i is text (not a heading, a byline or the page's end).

    Heading-like lines set solid on text are text: a narrow column's lines that
    happen to hold no more than a comma (受文学界瞩目的第四届茅盾文学奖日前在京揭 / 晓，王火的…).
    More of them than a heading has are a list, not text.
    """
    k = i + 1
    while k < len(lines) and lines[k].kind == BLANK:
        k += 1
    first = k
    while k < len(lines) and lines[k].kind == HEAD and k - first < MAX_HEADING_LINES:
        k += 1  # the line right after it, not the next printed one: set solid
    return k < len(lines) and lines[k].kind == TEXT


def segment(lines: list[Line], wrapped: bool, width: float) -> tuple[list[Draft], list[Line]]:
    """Group the lines into article drafts, in reading order; also the byline lines left over."""
    drafts: list[Draft] = []
    stray: list[Line] = []
    current: Draft | None = None
    usual = columns.usual_gap(lines)
    run, previous_kind = 0, BLANK  # byline lines in a row, and the last printed line's kind
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.kind == BLANK:
            i += 1
            continue
        if line.kind != BYLINE:
            previous_kind = line.kind
        if line.kind == BYLINE:
            run = run + 1 if previous_kind == BYLINE else 1
            previous_kind = BYLINE
            if current is not None and run > MAX_BYLINE_LINES:
                stray.append(line)
            elif current is not None and current.body and _heads_next(lines, i, current, usual):
                current = Draft()
                drafts.append(current)
                current.add_byline(line.byline, line)
                current.top = True
            # A byline under a standfirst that runs on (…温馨的日子———（附图片１张） / 本报记者X /
            # the report) is the report's: text that stops mid-sentence has not ended, so the
            # byline names the writer of what follows, in the same article. Heading-like lines
            # no heading took (two headlines set apart, read as text) are no standfirst; a
            # narrow column's paragraph whose short lines all read heading-like is one.
            elif (current is not None and not current.closed and current.body and not current.ended
                  and (current.prose
                       or (wrapped and columns.column_paragraph(columns.solid_tail(current.body), width)))
                  and _text_follows(lines, i)):
                current.add_byline(line.byline, line)
            # A byline under finished text closes it, also when the article has one above
            # (本报评论员 over the text, 记者　X under it); proximity said it heads nothing below.
            elif current is not None and (current.closed or (current.body and (not current.top or current.ended))):
                current.add_byline(line.byline, line)
                current.closed = True
            else:
                # A byline above the body (本报记者 X under the headline).
                if current is None or current.body:
                    current = Draft()
                    drafts.append(current)
                current.add_byline(line.byline, line)
                current.top = True
            i += 1
            continue
        at_start = current is None or current.closed
        # Text ending in a colon announces what follows (账号为： / 外币账号：…), not a headline.
        if line.kind in HEADING_KINDS and (at_start or (current.body and current.ended
                                                        and current.body[-1].body_text[-1:] not in "：:")):
            before = "" if current is None else _text_before(current)
            run = _heading_run(lines, i, at_start, wrapped, width, before,
                               headed=current is None or bool(current.heading) or not current.body,
                               lead="" if current is None else _text_start(current))
            if run is not None:
                block, side = run
                if side == gaps.PREVIOUS and not current.heading:
                    current.heading = block
                    current.closed = current.trailing = True
                else:
                    current = Draft(heading=block)
                    drafts.append(current)
                i = block[-1].index + 1
                continue
        # A gap wider than the page's usual one between text lines (a paragraph break,
        # a column end) may part two articles even with no headline in it; so may the
        # usual gap when a dateline follows it (an article printed headline-after, or
        # with no headline, under the one above).
        if (not at_start and current.body and current.ended
                and line.gap is not None and (line.gap > usual or (line.gap and line.dateline))):
            at_start = gaps.text_boundary(_text_before(current), _text_after(lines, i),
                                          wide=line.gap > usual, dateline=line.dateline,
                                          heading="".join(h.text for h in current.heading))
        if at_start:
            current = Draft()
            drafts.append(current)
        current.body.append(line)
        current.prose = current.prose or line.kind == TEXT
        if line.byline is not None:
            current.add_byline(line.byline, line)
            # A photo credit run on at a paragraph's end (…升国旗。（新华社记者李学仁摄）) ends a
            # caption, which may open the article's text: it does not close the article.
            credit = line.byline.text.rstrip("）)] ").endswith("摄")
            current.closed = current.closed or not credit
        # Justification spaces (…人 民 。 （ 谢 孝 汉 ）) do not hide a sentence's end.
        last = line.body_text if " " not in line.body_text[-COMPACT:] else layout.normalize_spaces(
            line.body_text[-COMPACT:])
        current.ended = layout.ends_sentence(last, colon=not wrapped) or (
            # A closing note or quote a narrow column wrapped onto the next line reads with the
            # lines above: （本报莫斯科１月 / ４日电）, …也不会变。 / ”, 结 晶 。 （ 龙 晓 / 勤刘洋）
            # (justification spaces inside the tail do not hide its sentence end either).
            line.body_text[-1:] in layout.CLOSERS
            and layout.ends_sentence(layout.normalize_spaces(_text_before(current, NOTE_TAIL))))
        i += 1
    return drafts, stray


def page_layout(lines: list[Line]) -> tuple[bool, float]:
    """Whether the page is wrapped in narrow columns, and the column width."""
    widths = [layout.visual_width(line.text) for line in lines if line.kind == TEXT]
    if not widths:
        widths = [layout.visual_width(line.text) for line in lines if line.kind != BLANK]
    return layout.is_wrapped(widths), layout.column_width(widths)


def build_paragraphs(draft: Draft, wrapped: bool, width: float) -> None:
    """Join the draft's body lines; a long enough article is measured on its own."""
    items, widths, previous = [], [], None
    for line in draft.body:
        blanks = 0 if previous is None else line.index - previous.index - 1
        items.append((line.body_text, blanks, line.indent))
        widths.append(layout.visual_width(line.body_text))
        previous = line
    if len(widths) >= 8:
        wrapped, width = layout.is_wrapped(widths), layout.column_width(widths)
    draft.paragraphs = layout.join_paragraphs(items, wrapped, width)


# -- headings ---------------------------------------------------------------------


def parse_heading(lines: list[Line]) -> tuple[str, str, str]:
    """(kicker, headline, deck) of a heading block: the last plain line above the deck is the headline."""
    kickers: list[str] = []
    plain: list[str] = []
    decks: list[str] = []
    for line in lines:
        text = layout.normalize_heading(line.text)
        if line.kind == DECK:
            decks.append(text)
        elif decks and decks[-1][:1] not in MARKERS:  # a deck wrapped onto a second line
            decks[-1] += ("" if decks[-1][-1:] in "、，," else " ") + text
        elif line.kind == MARKER and plain and not kickers:
            # ● / ■ items under a headline list what the article covers: a deck.
            decks.append(text)
        elif line.kind == MARKER:
            kickers.extend(plain)
            kickers.append(text)
            plain = []
        else:
            plain.append(text)
    headline = plain.pop() if plain else ""
    kickers.extend(plain)
    return " ".join(kickers), headline, " ".join(decks)


# -- putting it together -----------------------------------------------------------


def _article(draft: Draft, position: int) -> ParsedArticle:
    kicker, headline, deck = parse_heading(draft.heading)
    # A note that the page carries a photo is a flag, not headline words.
    (kicker, k), (headline, h), (deck, d) = map(strip_photo_note, (kicker, headline, deck))
    lead, dateline_byline, _ = split_lead(draft.paragraphs[0], draft.body[0].text if draft.body else "")
    byline = draft.byline or dateline_byline
    article = ParsedArticle(position=position, headline=headline, kicker=kicker,
                            subheadline=deck, lead=lead, paragraphs=list(draft.paragraphs))
    if not headline:
        article.headline = derive_headline(draft.paragraphs[0])
        article.headline_derived = True
    article.kind = INTERVIEW if _INTERVIEW_DECK.match(deck) else NEWS
    if byline is not None:
        article.byline = byline.text
        article.reporters = list(byline.reporters)
        article.correspondents = list(byline.correspondents)
        article.photographers = list(byline.photographers)
        article.photo = byline.photo
    article.photo = article.photo or k or h or d
    lines = draft.lines()
    article.span_start = min(line.start for line in lines)
    article.span_end = max(line.end for line in lines)
    return article


@dataclass
class Split:
    articles: list[ParsedArticle]
    warnings: list[str]
    # [start, end) offsets of the printed lines no article took: headings without text,
    # bylines that belong to none. With the articles' spans they cover the page.
    leftovers: list[tuple[int, int]]


def split_text(text: str, districts=gazetteer.ZHENGZHOU) -> Split:
    """The page's articles in reading order (structure only), warnings about what was dropped, and where it was."""
    lines = read_lines(text)
    wrapped, width = page_layout(lines)
    drafts, stray = segment(lines, wrapped, width)
    for draft in drafts:
        build_paragraphs(draft, wrapped, width)
    kept, dropped = attach_trailing_headings(drafts)
    kept = join_leads(kept)
    warnings = [f"line {d.lines()[0].index + 1}: "
                f"{layout.normalize_heading(d.lines()[0].text)!r} has no article text; dropped" for d in dropped]
    if stray:
        warnings.append(f"{len(stray)} byline lines belong to no article, from line {stray[0].index + 1}")
    articles = [_article(draft, k) for k, draft in enumerate(kept, start=1)]
    spans = sorted((a.span_start, a.span_end) for a in articles)
    starts = [start for start, _ in spans]

    def inside(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < spans[k][1]

    # A line no article took that lies inside an article's span (a stray byline between
    # its text and its headline printed after it) is that span's: reported, not left over.
    leftovers = sorted((line.start, line.end) for line in [*stray, *(x for d in dropped for x in d.lines())]
                       if not inside(line.start))
    inherit_kickers(articles, place_names(districts))
    return Split(articles, warnings, leftovers)


def split_page(text: str, districts=gazetteer.ZHENGZHOU) -> tuple[list[ParsedArticle], list[str]]:
    """The page's articles in reading order, structure only, and warnings about what was dropped."""
    split = split_text(text, districts)
    return split.articles, split.warnings
