"""Splitting a page into articles: kicker, headline, deck, lead, paragraphs, byline.

Plain Python. The page is read line by line, once. Each line gets a kind (blank,
byline, deck, marker, heading-like or text); a scan then opens an article at a
heading block or at text that follows a closed article, and closes it at its
byline. Two passes follow that need the whole page: a headline block printed
*after* its article is moved back to it, and a package kicker is carried on to
the articles it covers. Every step is linear in the size of the text.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from archive.ingest import gaps, gazetteer, layout
from archive.ingest.bylines import Byline, parse_byline, split_runon
from archive.ingest.types import INTERVIEW, NEWS, ParsedArticle

BLANK, BYLINE, DECK, MARKER, HEAD, TEXT = "blank", "byline", "deck", "marker", "head", "text"
HEADING_KINDS = (HEAD, DECK, MARKER)

MAX_HEADING_LINES = 5  # kicker, headline, deck and a wrapped line or two; more is a list
MAX_BYLINE_LINES = 3  # 记者 … / 通讯员 … / 摄影 …; more byline lines in a row belong to no article
MAX_HEADLINE = 48  # characters; the longest seed headline has 38
MAX_DECK = 60
MAX_MARKER = 30
# On a wrapped page a line this close to the column's width may be body text cut by a
# column break; with nothing else to go on it is not taken for a headline.
COLUMN_SET = (0.85, 1.15)
DERIVED_MAX = 40
# A dateline a narrow column wraps is looked for on lines up to this long (the widest
# column seen, 22, plus margin); a long-line page prints its dateline whole.
MAX_WRAPPED_DATELINE = 30
# A closing note in brackets is read back this far when a column wraps it (the longest
# seen, （中国人民银行江西金溪县支行周小琴陈广华汤长明）, has 24 characters).
NOTE_TAIL = 48

_EDGE_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\ufeff\u200b"
_DECK = re.compile(r"^(?:—{1,2}|─{1,2}|－{1,2}|-{2})\s*\S")
_MARKERS = "■□▲△●◆◇★☆▶►▼"
_CJK = "\u4e00-\u9fff"
# Month and day as papers print them: ASCII or full-width digits, or Chinese numerals.
_NUM = r"[0-9０-９一二三四五六七八九十〇零○]{1,3}"
_DATE_TEXT = rf"{_NUM}\s*月\s*{_NUM}\s*日"
# News agencies and papers whose name alone opens a dateline.
_AGENCY = r"(?:本报|新华社|中新社|中新网|中国新闻社|人民网|新华网|央视网|中央社|法新社|路透社|美联社|共同社)"
# 电 and 讯 end a dateline, not a word: 电话, 电视, 讯息 …
_END = r"(?:电(?![话视脑力子影台器机网邮费梯报源站线压流池车])|讯(?![息号问]))"
_DATELINE = re.compile(
    r"^(?:据|综合|又据)?(?:"
    r"【[^】\n]{1,24}[讯电]】"  # 【大河报讯】, 【本报讯】
    rf"|{_AGENCY}[{_CJK}·]{{0,12}}?(?:{_DATE_TEXT})?{_END}"  # 本报讯, 新华社北京１月２１日电, 本报郑州7月18日电
    rf"|[{_CJK}·]{{1,14}}?(?:报|网|新闻|社|台|刊|都|端)讯"  # 南都讯, 信息时报讯, 正观新闻·郑州晚报讯
    rf"|[{_CJK}·]{{2,14}}?(?:报|网|社|台|新闻)[{_CJK}·]{{0,10}}?{_DATE_TEXT}{_END}"  # 中新社上海６月２７日电
    rf"|本报记者[{_CJK}·\s]{{2,12}}?报道[：:]"  # 本报记者X报道：
    r")"
)
_DATE = re.compile(
    rf"{_NUM}\s*月\s*{_NUM}\s*日(?:\s*[~～至—–\-]\s*(?:{_NUM}\s*月\s*)?{_NUM}\s*日)?"
)
_INTERVIEW_DECK = re.compile(r"^[—─\-－]+\s*(?:专访|访)")
_TIME_WORD = re.compile(
    r"^(?:近日|日前|近期|前不久|不久前|当天|当日|昨天|昨日|今天|今日|目前"
    r"|\d{1,2}月\d{1,2}日(?:[上中下]午|晚上?|早上?)?|[上中下]午|晚上|早上)"
)
_PURPOSE = re.compile(r"^(?:为了?|围绕|按照|根据|随着|截至|据)")
_CLAUSE = re.compile(r"[，,]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


@dataclass
class Line:
    index: int
    start: int  # offset of the first printed character in the page text
    end: int  # offset just after the last printed character
    text: str  # as printed, outer whitespace removed
    indent: bool
    kind: str = BLANK
    body_text: str = ""  # the text part (without a run-on byline)
    byline: Byline | None = None  # a byline line, or the byline run on at its end
    dateline: bool = False  # opens with a dateline (本报讯, 新华社北京１月５日电 …)


@dataclass
class Draft:
    heading: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    byline_lines: list[Line] = field(default_factory=list)
    byline: Byline | None = None
    top: bool = False  # the byline stands above the body
    closed: bool = False  # its byline has been read: nothing more belongs to it
    trailing: bool = False  # closed by its headline printed after it
    ended: bool = False  # its last line ends a sentence
    paragraphs: list[str] = field(default_factory=list)

    def add_byline(self, byline: Byline, line: Line) -> None:
        if self.byline is None:
            self.byline = copy.deepcopy(byline)
        else:
            self.byline.merge(byline)
        self.byline_lines.append(line)

    def lines(self) -> list[Line]:
        return self.heading + self.body + self.byline_lines


# -- reading lines ----------------------------------------------------------------


_CONTINUES = "，,、。．.；;：:！!？?）)]】》〉」』”’"
_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"), ("「", "」"), ("『", "』"))


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def heading_like(text: str) -> bool:
    """Whether a line could be a kicker or headline: short, no full stop, not ending mid-clause."""
    if not text or len(text) > MAX_HEADLINE or text[0] in _CONTINUES:
        return False
    if "。" in text or "；" in text or ";" in text or text[-1] in "，,、：:":
        return False
    if text.count("，") + text.count(",") > 1 or _DATELINE.match(text):
        return False
    # A headline opens with a word, not with the rest of a sentence (，、。 or a closing
    # mark), and its brackets and quotes are closed: an opened one is a line cut from
    # running text, a line wholly in brackets is a note (（新华社北京１月５日电）).
    if not _balanced(text) or (text[0] in "（(" and text[-1] in "）)"):
        return False
    return not layout.ends_sentence(text) or text[-1] in "?？!！"


def _classify(text: str) -> tuple[str, str, Byline | None]:
    """(kind, text part, byline) of a printed line; the byline is the line's or the one run on at its end."""
    byline = parse_byline(text)
    if byline is not None:
        return BYLINE, text, byline
    if _DECK.match(text) and len(text) <= MAX_DECK and "。" not in text:
        return DECK, text, None
    if text[0] in _MARKERS and len(text) <= MAX_MARKER and "。" not in text:
        return MARKER, text, None
    if heading_like(text):
        return HEAD, text, None
    runon = split_runon(text)
    if runon is not None:
        return TEXT, runon[0].rstrip(_EDGE_SPACE), runon[1]
    return TEXT, text, None


def read_lines(text: str) -> list[Line]:
    """The page's lines with their offsets and kinds; a byline run on at a line's end is split off."""
    lines: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        left = len(content) - len(content.lstrip(_EDGE_SPACE))
        printed = content.strip(_EDGE_SPACE)
        indent = "\u3000" in content[:left] or left >= 2
        line = Line(len(lines), pos + left, pos + left + len(printed), printed, indent)
        pos += len(raw)
        lines.append(line)
        if not printed:
            continue
        line.kind, line.body_text, line.byline = _classify(printed)
    _mark_datelines(lines)
    return lines


def _mark_datelines(lines: list[Line]) -> None:
    """Mark the lines that open with a dateline, also one a narrow column wraps (本报北京１月５日 / 讯记者…).

    A heading-like line that turns out to be a dateline's first half is text.
    """
    following, opens = "", False
    for line in reversed(lines):
        if line.kind == BLANK:
            continue
        # The next line opening a dateline of its own is a headline's next line, not a half.
        if line.kind in (TEXT, HEAD) and len(line.text) <= MAX_WRAPPED_DATELINE and following and not opens:
            match = _DATELINE.match(line.text + following)
            if match and match.end() > len(line.text):
                line.dateline, line.kind = True, TEXT
        if line.kind == TEXT and not line.dateline:
            line.dateline = _DATELINE.match(line.text) is not None
        following, opens = line.text[:MAX_WRAPPED_DATELINE], line.dateline


def _dateline(line: Line) -> bool:
    return line.kind == TEXT and line.dateline


def _opens_body(line: Line) -> bool:
    """A line that can only follow a headline: a dateline (本报讯…) or a byline above the text."""
    return line.kind == BYLINE or _dateline(line)


# -- scanning the page into drafts ------------------------------------------------


def _gap_before(lines: list[Line], i: int) -> int | None:
    """Blank lines above line i, or None at the top of the page."""
    k = i - 1
    while k >= 0 and lines[k].kind == BLANK:
        k -= 1
    return None if k < 0 else i - k - 1


def _text_after(lines: list[Line], j: int, budget: int = gaps.WINDOW) -> str:
    """Up to `budget` characters of the text lines from line j on (the window the gap is read with)."""
    taken, size = [], 0
    while j < len(lines) and size < budget:
        if lines[j].kind == TEXT:
            taken.append(lines[j].body_text)
            size += len(lines[j].body_text)
        j += 1
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
                 width: float, before: str = "", headed: bool = True) -> tuple[list[Line], str] | None:
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
    taken: list[Line] = []
    j, n = i, len(lines)
    above = _gap_before(lines, i)
    split = False
    while j < n:
        kind = lines[j].kind
        if kind == BLANK:
            j += 1
            continue
        if kind not in HEADING_KINDS or len(taken) == MAX_HEADING_LINES:
            break
        # A gap inside the block wider than the one above it parts two headings: the
        # first closes the article above, the second opens the next (proximity).
        if taken and above is not None and lines[j].index - taken[-1].index - 1 > above:
            split = True
            break
        taken.append(lines[j])
        j += 1
    if not taken or (not split and j < n and lines[j].kind in HEADING_KINDS):
        return None
    # A block whose heading-like first lines run on into text is text: give it back.
    if j < n and j == taken[-1].index + 1 and not _opens_body(lines[j]) and (wrapped or not at_start):
        while taken and taken[-1].index == j - 1:
            j = taken.pop().index
        if not taken:
            return None
    following = lines[j] if j < n else None
    below = None if following is None else following.index - taken[-1].index - 1
    if not at_start and wrapped and above == 0:
        return None  # set solid under the text above in a narrow column: the column's next line
    # Set closer to the text above than to the text below (proximity), after a
    # headless article: its headline printed after it, the more so when the text
    # below opens with a dateline of its own.
    trailing = (not at_start and not headed and above is not None
                and (below is None or below > above))
    if trailing and (split or (following is not None and _opens_body(following))):
        return taken, gaps.PREVIOUS
    if following is not None and not split and _opens_body(following):
        return taken, gaps.NEXT
    kinds = [line.kind for line in taken]
    # A wrapped line may begin with a dash (破折号): a deck counts under a headline.
    if DECK in kinds and (at_start or HEAD in kinds[:kinds.index(DECK)]):
        return taken, gaps.NEXT
    column = wrapped and all(COLUMN_SET[0] * width <= layout.visual_width(line.text) <= COLUMN_SET[1] * width
                             for line in taken if line.kind == HEAD)
    words = "".join(line.text for line in taken)
    if at_start:
        if following is None or MARKER in kinds or not wrapped or not column or HEAD not in kinds:
            return taken, gaps.NEXT
        # Set to the column's width: a headline only if the text below repeats its words.
        return (taken, gaps.NEXT) if gaps.shared(words, _text_after(lines, j)) >= gaps.HEADLINE_WORDS else None
    if column:
        return None
    side = gaps.heading_side(words, before, _text_after(lines, j), above, below)
    if side == gaps.PREVIOUS and headed:
        return None
    return None if side is None else (taken, side)


def _usual_gap(lines: list[Line]) -> int:
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
    return above > usual and above > k - i - 1


def segment(lines: list[Line], wrapped: bool, width: float) -> tuple[list[Draft], list[Line]]:
    """Group the lines into article drafts, in reading order; also the byline lines left over."""
    drafts: list[Draft] = []
    stray: list[Line] = []
    current: Draft | None = None
    usual = _usual_gap(lines)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.kind == BLANK:
            i += 1
            continue
        if line.kind == BYLINE:
            if current is not None and len(current.byline_lines) >= MAX_BYLINE_LINES:
                stray.append(line)
            elif current is not None and current.body and _heads_next(lines, i, current, usual):
                current = Draft()
                drafts.append(current)
                current.add_byline(line.byline, line)
                current.top = True
            elif current is not None and (current.closed or (current.body and not current.top)):
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
        if at_start or (current.body and current.ended):
            before = "" if at_start or line.kind not in HEADING_KINDS and _gap_before(lines, i) <= usual \
                else _text_before(current)
            run = _heading_run(lines, i, at_start, wrapped, width, before,
                               headed=current is None or bool(current.heading))
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
            # A gap wider than the page's usual one between text lines (a paragraph
            # break, a column end) may part two articles even with no headline in it.
            if not at_start and line.kind == TEXT and current.body and _gap_before(lines, i) > usual:
                at_start = gaps.text_boundary(before, _text_after(lines, i))
        if at_start:
            current = Draft()
            drafts.append(current)
        current.body.append(line)
        if line.byline is not None:
            current.add_byline(line.byline, line)
            current.closed = True
        current.ended = layout.ends_sentence(line.body_text, colon=not wrapped) or (
            # a closing note a narrow column wrapped: （本报莫斯科１月 / ４日电）
            line.body_text[-1:] in "）)" and layout.ends_sentence(_text_before(current, NOTE_TAIL)))
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
        elif decks:  # a deck wrapped onto a second line
            decks[-1] += ("" if decks[-1][-1:] in "、，," else " ") + text
        elif line.kind == MARKER:
            kickers.extend(plain)
            kickers.append(text)
            plain = []
        else:
            plain.append(text)
    headline = plain.pop() if plain else ""
    kickers.extend(plain)
    return " ".join(kickers), headline, " ".join(decks)


def _cjk_tail(text: str, size: int) -> str:
    tail = text[-size:]
    return tail if len(tail) == size and all("\u4e00" <= c <= "\u9fff" for c in tail) else ""


def _shared(heading: str, text: str) -> float:
    pairs = set(_CJK_PAIR.findall(heading))
    return sum(1 for pair in pairs if pair in text) / len(pairs) if pairs else 0.0


def belongs_to_previous(block: list[Line], previous: str, following: str) -> bool:
    """Whether a heading block printed between two articles is the first one's, printed after it.

    A deck (——访…孙建功) names the interviewee at its end: the article that
    names him and the other does not is his. Failing that, the headline goes
    with the article whose text shares clearly more of its words.
    """
    for line in block:
        if line.kind != DECK:
            continue
        core = layout.normalize_spaces(line.text)
        for size in (4, 3, 2):
            tail = _cjk_tail(core, size)
            if tail and (tail in previous) != (tail in following):
                return tail in previous
    words = " ".join(line.text for line in block)
    before, after = _shared(words, previous), _shared(words, following)
    return before >= 0.4 and before >= after + 0.2


def attach_trailing_headings(drafts: list[Draft]) -> tuple[list[Draft], list[Draft]]:
    """Give a headline printed after its article back to it; (drafts with text, the others)."""
    for k in range(1, len(drafts)):
        previous, draft = drafts[k - 1], drafts[k]
        # A heading over its own byline (本报记者 …) and text is that article's.
        if previous.heading or not previous.paragraphs or not draft.heading or draft.top:
            continue
        if not draft.paragraphs or belongs_to_previous(draft.heading, "".join(previous.paragraphs),
                                                       "".join(draft.paragraphs)):
            previous.heading, draft.heading = draft.heading, []
    kept = [d for d in drafts if d.paragraphs]
    return kept, [d for d in drafts if not d.paragraphs and (d.heading or d.byline_lines)]


def place_names(districts) -> tuple[str, ...]:
    """Place names a kicker and a headline can share: districts, their aliases, other cities."""
    names = set(gazetteer.OTHER_CITIES)
    for district in districts or ():
        names.add(getattr(district, "name", ""))
        names.update(getattr(district, "aliases", ()) or ())
    names.discard("")
    return tuple(sorted(names, key=len, reverse=True))


def _places(text: str, names: tuple[str, ...]) -> set[str]:
    return {name for name in names if name in text}


def inherit_kickers(articles: list[ParsedArticle], names: tuple[str, ...]) -> None:
    """Carry a package kicker on to the next articles it announces.

    `取武汉、成都、苏州、合肥真经` stands over two reports: the first headline
    names 武汉 and 成都, the next, which has neither kicker nor deck, names 苏州
    and 合肥. An article inherits the kicker when its headline names a place the
    kicker names and no earlier article of the package did. An article with a
    deck of its own (an interview) starts afresh.
    """
    kicker, left = "", set()
    for article in articles:
        if article.kicker:
            kicker = article.kicker
            left = _places(kicker, names) - _places(article.headline, names)
            continue
        named = _places(article.headline, names)
        if kicker and not article.subheadline and named & left:
            article.kicker = kicker
            left -= named
        else:
            kicker, left = "", set()


# -- lead and derived headline -----------------------------------------------------


def split_lead(paragraph: str) -> tuple[str, Byline | None, str]:
    """(lead, byline in the dateline, the text after them) of a first paragraph.

    `本报讯7月18日,郑东…` gives `本报讯 7月18日`; `本报讯（记者 王阳）近日,…` gives
    `本报讯` and the byline.
    """
    match = _DATELINE.match(paragraph)
    if not match:
        return "", None, paragraph
    lead, rest, byline = match.group(0), paragraph[match.end():], None
    if rest[:1] in "(（":
        close = min((p for p in (rest.find(")", 0, 64), rest.find("）", 0, 64)) if p > 0), default=-1)
        if close > 0:
            byline = parse_byline(rest[:close + 1])
            if byline is not None:
                rest = rest[close + 1:]
    date = _DATE.match(rest)
    if date:
        lead += " " + "".join(date.group(0).split())
        rest = rest[date.end():]
    return lead, byline, rest.lstrip(",，:： ")


def derive_headline(paragraph: str) -> str:
    """A headline for an article printed without one: the main clause of its first sentence.

    Clauses of purpose (为深入贯彻…) and time words (近日) are passed over:
    `为…，近日，郑东新区在濮阳…举办…培训班，…` gives `郑东新区在濮阳…`.
    """
    _, _, rest = split_lead(paragraph)
    sentence = _SENTENCE_END.split(rest, maxsplit=1)[0]
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
    chosen = ""
    for k, clause in enumerate(clauses):
        time = _TIME_WORD.match(clause)
        if time:
            chosen = clause[time.end():].strip() or (clauses[k + 1] if k + 1 < len(clauses) else "")
            if chosen:
                break
    if not chosen:
        chosen = next((c for c in clauses if not _PURPOSE.match(c)), clauses[0] if clauses else rest)
    chosen = chosen.strip() or paragraph.strip()
    return chosen if len(chosen) <= DERIVED_MAX else chosen[:DERIVED_MAX - 1] + "…"


# -- putting it together -----------------------------------------------------------


def _article(draft: Draft, position: int) -> ParsedArticle:
    kicker, headline, deck = parse_heading(draft.heading)
    lead, dateline_byline, _ = split_lead(draft.paragraphs[0])
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
    lines = draft.lines()
    article.span_start = min(line.start for line in lines)
    article.span_end = max(line.end for line in lines)
    return article


def split_page(text: str, districts=gazetteer.ZHENGZHOU) -> tuple[list[ParsedArticle], list[str]]:
    """The page's articles in reading order, structure only, and warnings about what was dropped."""
    lines = read_lines(text)
    wrapped, width = page_layout(lines)
    drafts, stray = segment(lines, wrapped, width)
    for draft in drafts:
        build_paragraphs(draft, wrapped, width)
    kept, dropped = attach_trailing_headings(drafts)
    warnings = [f"line {d.lines()[0].index + 1}: "
                f"{layout.normalize_heading(d.lines()[0].text)!r} has no article text; dropped" for d in dropped]
    if stray:
        warnings.append(f"{len(stray)} byline lines belong to no article, from line {stray[0].index + 1}")
    articles = [_article(draft, k) for k, draft in enumerate(kept, start=1)]
    inherit_kickers(articles, place_names(districts))
    return articles, warnings

