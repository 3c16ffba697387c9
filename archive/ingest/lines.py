"""Reading a page's lines: where each starts, what kind of line it is, datelines.

Plain Python. Each printed line gets a kind (blank, byline, deck, marker,
heading-like or text) and its offsets in the page, once, in one pass; datelines
are marked in a second pass from the end, so one a narrow column wraps over two
lines is found too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.ingest import layout
from archive.ingest.bylines import MAX_BYLINE, Byline, parse_byline, split_runon

BLANK, BYLINE, DECK, MARKER, HEAD, TEXT = "blank", "byline", "deck", "marker", "head", "text"
HEADING_KINDS = (HEAD, DECK, MARKER)

MAX_HEADLINE = 48  # characters; the longest seed headline has 38
MAX_DECK = 60
MAX_MARKER = 30
# A dateline a narrow column wraps is looked for on lines up to this long (the widest
# column seen, 22, plus margin); a long-line page prints its dateline whole.
MAX_WRAPPED_DATELINE = 30
COMPACT = 2 * MAX_HEADLINE + 4

_EDGE_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\ufeff\u200b"
_DECK = re.compile(r"^(?:—{1,2}|─{1,2}|－{1,2}|-{2})\s*\S")
MARKERS = "■□▲△●◆◇★☆▶►▼"
_CJK = "\u4e00-\u9fff"
# Month and day as papers print them: ASCII or full-width digits, or Chinese numerals.
NUM = r"[0-9０-９一二三四五六七八九十〇零○]{1,3}"
_DATE_TEXT = rf"{NUM}\s*月\s*{NUM}\s*日"
# A photo note (（附图片１张）); extraction may set a space anywhere in it: （附图 片１张）.
PHOTO_NOTE = re.compile(rf"\s*[（(]\s*附\s*(?:图\s*片|照\s*片|图)\s*{NUM}\s*[张幅]\s*[）)]")
# News agencies and papers whose name alone opens a dateline.
_AGENCY = r"(?:本报|新华社|中新社|中新网|中国新闻社|人民网|新华网|央视网|中央社|法新社|路透社|美联社|共同社)"
# 电 and 讯 end a dateline, not a word: 电话, 电视, 讯息 …
_END = r"(?:电(?![话视脑力子影台器机网邮费梯报源站线压流池车])|讯(?![息号问]))"
DATELINE = re.compile(
    r"^(?:据|综合|又据)?(?:"
    r"【[^】\n]{1,24}[讯电]】"  # 【大河报讯】, 【本报讯】
    rf"|{_AGENCY}[{_CJK}·]{{0,12}}?(?:{_DATE_TEXT})?{_END}"  # 本报讯, 新华社北京１月２１日电, 本报郑州7月18日电
    rf"|[{_CJK}·]{{1,14}}?(?:报|网|新闻|社|台|刊|都|端)讯"  # 南都讯, 信息时报讯, 正观新闻·郑州晚报讯
    rf"|[{_CJK}·]{{2,14}}?(?:报|网|社|台|新闻)[{_CJK}·]{{0,10}}?{_DATE_TEXT}{_END}"  # 中新社上海６月２７日电
    rf"|本报记者[{_CJK}·\s]{{2,12}}?报道[：:]"  # 本报记者X报道：
    rf"|{_AGENCY}(?:[和、及]{_AGENCY})*消息[：:]"  # 综合本报和新华社消息：, 据新华社消息：
    r")"
)


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
    gap: int | None = None  # blank lines between it and the printed line above (None: the first)




_YEAR = re.compile(r"^[’'][0-9０-９]{2}")
# A clause of time before a comma opens a lead sentence (去年１２月３０日上午，/ 近日，/ １月４日，);
# headlines leave the time to the text.
_TIME_CLAUSE = re.compile(
    rf"^(?:近日|日前|近期|前不久|不久前|当天|当日|昨天|昨日|今天|今日|日内|目前|(?:去年|今年)?{NUM}\s*月(?:\s*{NUM}\s*日)?"
    rf"|{NUM}\s*日)[^，,。]{{0,4}}[，,]"
)
_TURN = re.compile(r"^(?:问|答|记者|主持人)[：:]")
_CONTINUES = "，,、。．.；;：:！!？?）)]】》〉」』”’"
_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"), ("「", "」"), ("『", "』"))


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def heading_like(text: str, commas: int = 1) -> bool:
    """Whether a line could be a kicker or headline: short, no full stop, not ending mid-clause.

    `commas`: how many commas it may hold. One on its own evidence; a line whose
    place says headline (over a byline) may hold more (查了三户都不合格，旧米充新米，缺斤又短两).
    """
    # ’９７ abbreviates a year (’９７世界航天十大新闻评出): an apostrophe, not a closing quote.
    if not text or len(text) > MAX_HEADLINE or (text[0] in _CONTINUES and not _YEAR.match(text)):
        return False
    if "。" in text or "；" in text or ";" in text or text[-1] in "，,、：:":
        return False
    if text.count("，") + text.count(",") > commas or DATELINE.match(text):
        return False
    # An interview's turn (问：…？ / 答：… / 记者：…) is text, however short; so is a line
    # that opens with a clause of time, as a lead does.
    if _TURN.match(text) or _TIME_CLAUSE.match(text):
        return False
    # A headline opens with a word, not with the rest of a sentence (，、。 or a closing
    # mark), and its brackets and quotes are closed: an opened one is a line cut from
    # running text, a line wholly in brackets is a note (（新华社北京１月５日电）).
    if not _balanced(text) or (text[0] in "（(" and text[-1] in "）)"):
        return False
    return not layout.ends_sentence(text) or text[-1] in "?？!！"


def _compact(text: str) -> str:
    """The line's start without justification spaces, as long as a headline or dateline test needs.

    Only the first COMPACT characters are read: even set with a space after every
    character they hold more than a headline, and a dateline is at the start.
    """
    if " " not in text and "\u3000" not in text:
        return text
    return layout.normalize_spaces(text[:COMPACT]) + text[COMPACT:COMPACT + 1]


def _justified(text: str) -> bool:
    """Set with a space after (nearly) every character, as justification spreads a short line.

    Then the spaces part no words (记者　马燕 parts a role from a name with one space).
    """
    if len(text) > 2 * MAX_BYLINE:  # spread out, a byline is still at most twice its length
        return False
    tokens = text.split()
    return len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.8 * len(tokens)


def _classify(text: str) -> tuple[str, str, Byline | None]:
    """(kind, text part, byline) of a printed line; the byline is the line's or the one run on at its end."""
    byline = parse_byline(text)
    if byline is None and _justified(text):
        byline = parse_byline(layout.normalize_spaces(text))  # 本 报 驻 俄 罗 斯 记 者 刘 刚
    if byline is not None:
        return BYLINE, text, byline
    if _DECK.match(text) and len(text) <= MAX_DECK and "。" not in text:
        return DECK, text, None
    if text[0] in MARKERS and len(text) <= MAX_MARKER and "。" not in text:
        return MARKER, text, None
    # Justification spaces (新 华 社 北 京 …) do not make a headline or hide a dateline.
    if heading_like(_compact(text)):
        return HEAD, text, None
    runon = split_runon(text)
    if runon is not None:
        return TEXT, runon[0].rstrip(_EDGE_SPACE), runon[1]
    return TEXT, text, None


def read_lines(text: str) -> list[Line]:
    """The page's lines with their offsets and kinds; a byline run on at a line's end is split off."""
    lines: list[Line] = []
    pos = 0
    above = None  # index of the last printed line
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
        line.gap = None if above is None else line.index - above - 1
        above = line.index
        line.kind, line.body_text, line.byline = _classify(printed)
    _mark_datelines(lines)
    _continue_brackets(lines)
    _headlines_over_bylines(lines)
    return lines


# A headline over a byline may hold this many commas: the three clauses of a long
# headline (联查『威绿达』——查了三户都不合格，旧米充新米，缺斤又短两); a text line
# cut from a paragraph is not set apart between blank lines over a byline.
MAX_HEADLINE_COMMAS = 3


def _headlines_over_bylines(lines: list[Line]) -> None:
    """A text line set apart by blank lines over a byline that heads text is a headline, commas and all.

    People's Daily prints a headline, a blank line, 本报记者X, a blank line, the
    text; a sentence does not stand alone between blank lines over a byline.
    """
    printed = [line for line in lines if line.kind != BLANK]
    for k, line in enumerate(printed[:-2]):
        byline, text = printed[k + 1], printed[k + 2]
        if (line.kind == TEXT and not line.dateline and line.byline is None and line.gap != 0
                and byline.kind == BYLINE and byline.gap and text.kind == TEXT
                and _headline_over_byline(_compact(line.text))):
            line.kind = HEAD


def _headline_over_byline(text: str) -> bool:
    """Heading-like once its photo note is set aside, with up to three clauses; it may trail off (郑州我怎么对你说……)."""
    words = PHOTO_NOTE.sub("", text).strip()
    return heading_like(words.rstrip("…") if words.endswith("……") else words, commas=MAX_HEADLINE_COMMAS)


def _continue_brackets(lines: list[Line]) -> None:
    """A byline-like line inside a bracket the text line above opened is that text's.

    A narrow column wraps the reporters' note of a dateline: 新华社北京１月１０日电（解放军
    / 报记者陈大鹏、新华社记者周志方 / ）受总政治部委托…; its middle line reads as a byline
    but closes nothing.
    """
    above = None
    for line in lines:
        if line.kind == BLANK:
            continue
        if (line.kind == BYLINE and above is not None and above.kind == TEXT
                and above.text.rfind("（") > above.text.rfind("）")):
            line.kind, line.byline = TEXT, None
        above = line


def _mark_datelines(lines: list[Line]) -> None:
    """Mark the lines that open with a dateline, also one a narrow column wraps (本报北京１月５日 / 讯记者…).

    A heading-like line that turns out to be a dateline's first half is text.
    """
    following, opens = "", False
    for line in reversed(lines):
        if line.kind == BLANK:
            continue
        # The next line opening a dateline of its own is a headline's next line, not a half.
        text = _compact(line.text)
        if line.kind in (TEXT, HEAD) and len(text) <= MAX_WRAPPED_DATELINE and following and not opens:
            match = DATELINE.match(text + following)
            if match and match.end() > len(text):
                line.dateline, line.kind = True, TEXT
        if line.kind == TEXT and not line.dateline:
            line.dateline = DATELINE.match(text) is not None
        following, opens = text[:MAX_WRAPPED_DATELINE], line.dateline


def is_dateline(line: Line) -> bool:
    return line.kind == TEXT and line.dateline


def opens_body(line: Line) -> bool:
    """A line that can only follow a headline: a dateline (本报讯…) or a byline above the text."""
    return line.kind == BYLINE or is_dateline(line)
