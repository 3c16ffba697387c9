"""What an article's head says: the lead and its byline, a headline derived for an article
printed without one, the photo note, and the kicker a package of articles shares.

Plain Python; split out of structure.py, which finds the articles and calls these on each.
"""
from __future__ import annotations

import re

from archive.ingest import gazetteer
from archive.ingest.bylines import Byline, parse_byline
from archive.ingest.lines import DATELINE, NUM, PHOTO_NOTE
from archive.ingest.types import ParsedArticle

DERIVED_MAX = 40

_DATE = re.compile(
    rf"{NUM}\s*月\s*{NUM}\s*日(?:\s*[~～至—–\-]\s*(?:{NUM}\s*月\s*)?{NUM}\s*日)?"
)
_REPORTED = re.compile(r"^本报记者\s*([\u4e00-\u9fff]{2,8}?)\s*报道")  # 本报记者王阳报道：
# 南都讯　记者刘凡　近日…: a role word and a name set off by spaces after the dateline.
_SPACED_REPORTER = re.compile(r"^[\s\u3000]*(记者|通讯员)[\s\u3000]*([\u4e00-\u9fff]{2,4})(?=[\s\u3000])")
_TIME_WORD = re.compile(
    r"^(?:近日|日前|近期|前不久|不久前|当天|当日|昨天|昨日|今天|今日|目前"
    r"|\d{1,2}月\d{1,2}日(?:[上中下]午|晚上?|早上?)?|[上中下]午|晚上|早上)"
)
_PURPOSE = re.compile(r"^(?:为了?|围绕|按照|根据|随着|截至|据)")
_CLAUSE = re.compile(r"[，,]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")


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


def split_lead(paragraph: str, printed: str = "") -> tuple[str, Byline | None, str]:
    """(lead, byline in the dateline, the text after them) of a first paragraph.

    `本报讯7月18日,郑东…` gives `本报讯 7月18日`; `本报讯（记者 王阳）近日,…` gives
    `本报讯` and the byline; so do `本报记者王阳报道：` and, read on the first line
    as printed (`printed`, where the spaces still part the name from the text),
    `南都讯　记者刘凡　近日…`.
    """
    match = DATELINE.match(paragraph)
    if not match:
        return "", None, paragraph
    lead, rest, byline = match.group(0), paragraph[match.end():], None
    reported = _REPORTED.match(lead)
    if reported:
        byline = parse_byline(f"记者 {reported.group(1)}") or parse_byline(f"本报记者{reported.group(1)}")
    spaced = _SPACED_REPORTER.match(printed[DATELINE.match(printed).end():]) if DATELINE.match(printed) else None
    if byline is None and spaced:
        byline = parse_byline(f"{spaced.group(1)} {spaced.group(2)}")
        if byline is not None and rest.startswith(spaced.group(1) + spaced.group(2)):
            rest = rest[len(spaced.group(1) + spaced.group(2)):]
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


def strip_photo_note(text: str) -> tuple[str, bool]:
    """(the text without its photo note, whether it had one): 东瀛看丰田（附图片１张）."""
    stripped = PHOTO_NOTE.sub("", text).strip()
    return stripped, stripped != text.strip()
