"""The PKU/PFR tagged People's Daily corpus as pages of parsed articles (plain Python, no Django).

The corpus is one paragraph a line, `YYYYMMDD-PP-AAA-NNN/m  word/tag  word/tag ...`,
already segmented and tagged by people, so nothing here guesses at names: persons
are the `nr` tokens (surname and given name merged), organisations the `nt` tokens
and bracketed `[...]nt` compounds, places the `ns` tokens and `[...]ns`. What the
tags do not say (which paragraphs are headlines, who wrote the article) is read
from the text, as a reader would.

`read_pages` holds one page's lines at a time, so a month (or a year) costs the
memory of its largest page, not of the file: a first pass notes where each page's
lines stand (a page's lines need not be contiguous) and checks every date, the
second reads the pages one by one.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO, Iterator

from archive.ingest import titles
from archive.ingest.bylines import author_only
from archive.ingest import types as T
from archive.ingest.dates import PartialDate
from archive.ingest.entities import event_dates
from archive.ingest.names import COMPOUND_SURNAMES, surname_length
from archive.ingest.notation import normalise_name
from archive.ingest.source import PageMeta, SourceError, remove_invisible
from archive.ingest.structure import derive_headline

NEWSPAPER = "人民日报"
_LINE_ID = re.compile(r"(\d{8})-(\d{2})-(\d{3})-(\d{3})/m$")
# `电台/n]nt`: the last word of a bracketed compound, then the compound's label.
_CLOSE = re.compile(r"^(.*)/([A-Za-z]+)\]([A-Za-z]+)$")
HEADLINE_MAX = 40  # the corpus README's measure of a headline paragraph
_FINAL = "。！？!?"
_DASHES = ("——", "—", "－－")
# Words that may stand in a byline beside the names: role words, the paper or agency.
_ROLE_WORDS = {"记者": T.REPORTER, "本报记者": T.REPORTER, "特约记者": T.REPORTER,
               "通讯员": T.CORRESPONDENT, "本报通讯员": T.CORRESPONDENT,
               "摄影": T.PHOTOGRAPHER, "摄": T.PHOTOGRAPHER, "摄影记者": T.PHOTOGRAPHER}
_LEAD_END = ("报道", "：", "电", "讯")
_BYLINE_FILLER = {"本报", "新华社", "实习生", "特约", "见习", "、", "　", "文", "图", "/", "／", "和"}
# How far into the first paragraph a dateline byline may start (本报北京１月１日讯记者…).
_LEAD_TOKENS = 24
# A place printed in the headline says more about what an article is about than one in passing.
_PLACE_WEIGHT_HEADLINE = 3


@dataclass
class Paragraph:
    """One corpus line: its words and tags side by side (a million tokens a month, so no
    object per token), and the bracketed compounds as (label, text)."""

    line_id: str
    words: list[str]
    tags: list[str]
    compounds: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        self.text = "".join(self.words)


@dataclass
class PfrPage:
    """One page of the corpus: what the loader needs to store it like any other page."""

    file_name: str  # e.g. 19980101-01.pfr: unique per date and page, the page's slug stem
    raw_bytes: bytes  # the page's lines as they stand in the corpus (its encoding, CRs stripped)
    text: str  # the same lines decoded
    encoding: str
    meta: PageMeta  # its not_persons: the corpus's votes (tag_votes) on this page's nr words
    parsed: T.ParsedPage


def parse_tokens(line_id: str, rest: str) -> Paragraph:
    """The paragraph after a line's id; `[中国/ns 国际/n 广播/vn 电台/n]nt` adds the compound
    (nt, 中国国际广播电台) and keeps its words (中国/ns stays a place)."""
    words: list[str] = []
    tags: list[str] = []
    compounds: list[tuple[str, str]] = []
    open_at: list[int] = []  # where each open bracket starts (they nest)
    for item in rest.split():
        if item[0] == "[" and len(item) > 1 and "/" in item:
            open_at.append(len(words))
            item = item[1:]
        if "]" in item and open_at:
            match = _CLOSE.match(item)
            if match:
                word, tag, label = match.groups()
                words.append(word)
                tags.append(tag)
                compounds.append((label, "".join(words[open_at.pop():])))
                continue
        word, slash, tag = item.rpartition("/")
        if not slash:  # a bare word with no tag: keep the text
            word, tag = item, "x"
        words.append(word)
        tags.append(tag)
    return Paragraph(line_id, words, tags, compounds)


def line_id(line: str) -> str | None:
    """The id (YYYYMMDD-PP-AAA-NNN) a corpus line starts with; None for a blank line or one without."""
    match = _LINE_ID.match(line.strip().partition(" ")[0])
    return "-".join(match.groups()) if match else None


def split_line(line: str) -> Paragraph | None:
    """The paragraph of a corpus line; None for a blank line or one without an id."""
    ident = line_id(line)
    if ident is None:
        return None
    return parse_tokens(ident, line.strip().partition(" ")[2])


# -- entities from the tags ------------------------------------------------------------


def person_runs(tags: list[str], words: list[str]) -> list[tuple[int, int, str]]:
    """(first index, end index, name) of each person: 江/nr 泽民/nr is 江泽民.

    The corpus splits a Chinese name into surname and given name, and prints names
    side by side with no mark between them (江/nr 泽民/nr 李/nr 鹏/nr), so a run of
    `nr` tokens is read as pairs: a surname of one or two characters and the given
    name after it. A token that is no surname is a name of its own (克林顿/nr, the pen
    name 剑武 of 剑武/nr 安/nr 远远/nr, the 银春 of 焦/nr 秋生/nr 银春/nr); a two-character
    token that starts with a surname, left over after a two-character name, is that
    name's second surname (陈/nr 方/nr 安生/nr is 陈方安生). The corpus's notation for a
    character it could not print (何/nr 鸿（申音）/nr) is decoded (`notation`).
    """
    runs: list[tuple[int, int, str]] = []
    if "nr" not in tags:
        return runs
    i, n = 0, len(tags)
    while i < n:
        if tags[i] != "nr":
            i += 1
            continue
        end = i
        while end < n and tags[end] == "nr":
            end += 1
        names = []
        k = i
        while k < end:
            if k + 1 < end and (len(words[k]) == 1 or words[k] in COMPOUND_SURNAMES):
                names.append([k, k + 2])
                k += 2
            else:
                names.append([k, k + 1])
                k += 1
        # 陈/nr 方/nr 安生/nr: a married woman's name keeps her own surname after her husband's.
        if len(names) > 1 and names[-1][1] - names[-1][0] == 1 and len(words[names[-1][0]]) == 2 \
                and len("".join(words[names[-2][0]:names[-2][1]])) == 2 \
                and surname_length(words[names[-1][0]], 0) == 1:
            last = names.pop()
            names[-1][1] = last[1]
        runs += [(a, b, normalise_name("".join(words[a:b]))) for a, b in names]
        i = end
    return runs


def _quoted(words: list[str], a: int, b: int) -> bool:
    return 0 < a and b < len(words) and words[a - 1] in "“‘「《" and words[b] in "”’」》"


def titled_persons(p: Paragraph, not_persons: frozenset[str] = frozenset()) -> list[T.PersonRef]:
    """The persons of a paragraph, each with the title printed before the name
    (中共中央总书记、国家主席江泽民), read by the same rules as plain text (`titles`).

    Not persons: a name alone in quotation marks (“阿波罗”载人飞船 is a spacecraft) and a
    word the corpus tags as a place or a thing more often than as a person (阿布扎比).
    """
    refs = []
    offsets, pos = [], 0
    for w in p.words:
        offsets.append(pos)
        pos += len(w)
    runs = person_runs(p.tags, p.words)
    for a, b, name in runs:
        if _quoted(p.words, a, b) or (b - a == 1 and p.words[a] in not_persons):
            continue
        found = titles.titled(p.text, name, offsets[a])
        # A title holds no other person (江泽民总书记、李鹏 gives 李鹏 no title).
        if found is not None and any(found.start <= offsets[x] < offsets[a] for x, _, _ in runs):
            found = None
        if found is None:
            refs.append(T.PersonRef(name))
            continue
        orgs = titles.organizations_in_title(found.title)
        refs.append(T.PersonRef(name, found.title, T.MENTIONED, list(found.other_titles), orgs[0] if orgs else ""))
    return refs


def _merge_person(persons: dict[str, T.PersonRef], ref: T.PersonRef) -> None:
    """One PersonRef per name in an article: the first title printed, the others after it."""
    old = persons.setdefault(ref.name, ref)
    if old is ref:
        return
    if not old.title and ref.title:
        old.title, old.organization = ref.title, ref.organization
    for title in (ref.title, *ref.other_titles):
        if title and title != old.title and title not in old.other_titles:
            old.other_titles.append(title)


def tag_votes(source: Path) -> frozenset[str]:
    """Words the corpus tags `nr` somewhere but as a place, organisation or other proper
    noun (ns, nt, nz) at least as often: 阿布扎比/nr once, 阿布扎比/ns four times."""
    counts: dict[str, list[int]] = {}
    with source.open("rb") as stream:
        encoding = sniff_encoding(stream.read(65536))
        stream.seek(0)
        for raw in stream:  # a line at a time: a year of corpus is never in memory at once
            for m in _TAGGED_WORD.finditer(raw.decode(encoding, errors="replace")):
                word, tag = m.groups()
                c = counts.setdefault(word, [0, 0])
                c[0 if tag == "nr" else 1] += 1
    return frozenset(w for w, (person, other) in counts.items() if person and other >= person)


_TAGGED_WORD = re.compile(r"(?:^|\s)\[?([^\s/\[\]]{2,})/(nr|ns|nt|nz)\b")


def organizations(p: Paragraph) -> list[str]:
    found = [w for w, t in zip(p.words, p.tags) if t == "nt"]
    return found + [text for label, text in p.compounds if label == "nt"]


def places(p: Paragraph) -> list[str]:
    found = [w for w, t in zip(p.words, p.tags) if t == "ns"]
    return found + [text for label, text in p.compounds if label == "ns"]


# -- bylines ------------------------------------------------------------------------


@dataclass
class _Byline:
    text: str
    names: dict[str, list[str]]  # role -> names


def _byline_in(words: list[str], tags: list[str]) -> _Byline | None:
    """Names with role words and nothing else (记者江亚平, 曹宝余, 新华社记者兰红光摄)."""
    runs = {start: (end, name) for start, end, name in person_runs(tags, words)}
    if not runs:
        return None
    names: dict[str, list[str]] = {}
    role, pending, i = T.REPORTER, [], 0
    while i < len(words):
        word, tag = words[i], tags[i]
        if i in runs:
            end, name = runs[i]
            pending.append(name)
            i = end
            continue
        if word == "摄" and pending:  # 兰红光摄: the names before are the photographers
            names.setdefault(T.PHOTOGRAPHER, []).extend(pending)
            pending = []
        elif word in _ROLE_WORDS:
            if pending:
                names.setdefault(role, []).extend(pending)
            role, pending = _ROLE_WORDS[word], []
        elif word not in _BYLINE_FILLER and tag not in ("ns", "t", "m", "nt"):
            return None  # anything else: a sentence that names someone, not a byline
        i += 1
    if pending:
        names.setdefault(role, []).extend(pending)
    return _Byline("".join(words), names) if names else None


def _bracket_at_end(words: list[str]) -> tuple[int, int] | None:
    """(start, end) of the bracketed group that closes the paragraph, e.g. （记者江亚平）。"""
    end = len(words)
    while end and words[end - 1] == "。":
        end -= 1
    if not end or words[end - 1] not in ("）", ")"):
        return None
    for start in range(end - 2, -1, -1):
        if words[start] in ("（", "("):
            return start, end
    return None


def _lead_byline(p: Paragraph) -> _Byline | None:
    """A byline in the dateline: 本报讯记者祝华新报道： or 新华社北京１月１日电（记者江亚平）."""
    words, tags = p.words[:_LEAD_TOKENS], p.tags[:_LEAD_TOKENS]
    for i, word in enumerate(words):
        if word in ("（", "("):
            for j in range(i + 1, len(words)):
                if words[j] in ("）", ")"):
                    return _byline_in(words[i + 1:j], tags[i + 1:j])
            return None
        if word in _ROLE_WORDS and _ROLE_WORDS[word] != T.PHOTOGRAPHER:
            j = i
            while j < len(words) and words[j] not in _LEAD_END and words[j] not in "，。":
                j += 1
            if j < len(words) and words[j] in _LEAD_END:
                return _byline_in(words[i:j], tags[i:j])
            return None
    return None


# -- one article ---------------------------------------------------------------------


def _headline_like(p: Paragraph) -> bool:
    text = p.text
    if not text or len(text) > HEADLINE_MAX or text[-1] in _FINAL:
        return False
    if text[0] in "（(" or p.tags[-1] == "nr":  # a dated note or an author line
        return False
    return True


def _heading(run: list[str]) -> tuple[str, str, str]:
    """(kicker, headline, deck) from the headline paragraphs printed before the text."""
    if len(run) == 1:
        return "", run[0], ""
    if len(run) == 2:
        if run[1].startswith(_DASHES):
            return "", run[0], run[1]
        return run[0], run[1], ""
    return run[0], run[1], run[2]


def build_article(position: int, paras: list[Paragraph], published: PartialDate | None,
                  not_persons: frozenset[str] = frozenset()) -> T.ParsedArticle:
    """One article from its paragraphs: heading, body, bylines and the tagged entities.

    `not_persons` are words the corpus tags `nr` but more often as a place or a thing.
    """
    run, authors, i = [], [], 0
    # At most three heading paragraphs (引题, 主题, 副题), and never the whole article. An
    # author with no name (本报评论员 under 论“从当地实际出发”) is its byline, never its
    # headline: it ends the heading when printed under it, and is passed over above it.
    while len(run) < 3 and i < len(paras) - 1:
        if author_only(paras[i].text):
            authors.append(_Byline(paras[i].text, {}))
            i += 1
            if run:
                break
            continue
        if not _headline_like(paras[i]):
            break
        run.append(paras[i])
        i += 1
    body = paras[i:]
    if run:
        kicker, headline, deck = _heading([p.text for p in run])
        derived = False
    else:
        kicker = deck = ""
        headline, derived = derive_headline(body[0].text), True

    bylines: list[_Byline] = list(authors)
    lead = _lead_byline(body[0])
    if lead:
        bylines.append(lead)
    for k, p in enumerate(body):
        span = _bracket_at_end(p.words)
        if span is None:
            continue
        found = _byline_in(p.words[span[0] + 1:span[1] - 1], p.tags[span[0] + 1:span[1] - 1])
        # A bare name in brackets is a byline only at the article's end (（曹宝余）); with a
        # role word (记者, 摄) it may close any paragraph, as photo credits do.
        if found and (k == len(body) - 1 or any(w in found.text for w in _ROLE_WORDS)):
            bylines.append(found)

    article = T.ParsedArticle(
        position=position, headline=headline, headline_derived=derived, kicker=kicker,
        subheadline=deck, paragraphs=[p.text for p in body],
    )
    for b in bylines:
        article.reporters += [n for n in b.names.get(T.REPORTER, []) if n not in article.reporters]
        article.correspondents += [n for n in b.names.get(T.CORRESPONDENT, [])
                                   if n not in article.correspondents]
        article.photographers += [n for n in b.names.get(T.PHOTOGRAPHER, [])
                                  if n not in article.photographers]
    article.photo = bool(article.photographers)
    article.byline = " ".join(b.text for b in bylines)
    find_entities(article, run, body, published, not_persons)
    return article


def find_entities(article: T.ParsedArticle, heading: list[Paragraph], body: list[Paragraph],
                   published: PartialDate | None, not_persons: frozenset[str]) -> None:
    """The article's persons, organisations, places and event dates, from its tagged paragraphs.

    Names in its bylines are its authors, not persons it names.
    """
    credited = {*article.reporters, *article.correspondents, *article.photographers}
    place_score: Counter[str] = Counter()
    orgs, persons = [], {}
    for k, p in enumerate([*heading, *body]):
        weight = _PLACE_WEIGHT_HEADLINE if k < len(heading) else 1
        for name in places(p):
            place_score[name] += weight
        orgs += organizations(p)
        for ref in titled_persons(p, not_persons):
            # A lone surname (老王's 王/nr) names nobody the archive can tell apart.
            if ref.name not in credited and len(ref.name) > 1:
                _merge_person(persons, ref)
    article.persons = list(persons.values())
    article.organizations = list(dict.fromkeys(orgs))
    # Which of these are places, and which the article is about, is the gazetteer's to say.
    article.place_weights = dict(place_score)
    article.event_dates = event_dates([p.text for p in [*heading, *body]], published)


# -- pages ----------------------------------------------------------------------------


def sniff_encoding(head: bytes) -> str:
    """utf-8 or gb18030 (which reads GBK), from the first bytes of the file."""
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off by the sample's end is still UTF-8.
        if exc.reason == "unexpected end of data" and exc.start >= len(head) - 3:
            return "utf-8"
    return "gb18030"


@dataclass
class _PageAt:
    """Where one page's lines stand in the file: byte ranges of runs of its lines."""

    day: date
    page_no: str
    runs: list[list[int]] = field(default_factory=list)


def _page(key: str, at: _PageAt, lines: list[tuple[bytes, str, Paragraph]], encoding: str, note: str,
          not_persons: frozenset[str] = frozenset()) -> PfrPage:
    day, page_no = at.day, at.page_no
    published = PartialDate.day(day)
    articles: dict[str, list[Paragraph]] = {}
    spans: dict[str, list[int]] = {}
    offset = 0
    texts = []
    for raw, text, paragraph in lines:
        article_no = paragraph.line_id.split("-")[2]
        articles.setdefault(article_no, []).append(paragraph)
        span = spans.setdefault(article_no, [offset, offset])
        span[1] = offset + len(text)
        offset += len(text) + 1
        texts.append(text)
    parsed = []
    for article_no, paras in articles.items():
        article = build_article(int(article_no), paras, published, not_persons)
        article.span_start, article.span_end = spans[article_no]
        parsed.append(article)
    # The page's share of the corpus's votes: stored with it, so the page read again
    # alone (read_page, after an editor's correction) finds the same persons.
    votes = frozenset(w for *_, p in lines for w, t in zip(p.words, p.tags) if t == "nr" and w in not_persons)
    return PfrPage(
        file_name=f"{day:%Y%m%d}-{page_no}.pfr",
        raw_bytes=b"\n".join(raw for raw, *_ in lines),
        text="\n".join(texts),
        encoding=encoding,
        meta=PageMeta(newspaper=NEWSPAPER, section=f"第{int(page_no)}版", published=published,
                      note=note, source="PFR corpus", not_persons=votes),
        parsed=T.ParsedPage(parsed),
    )


def _raw_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of each line of the file, its end of line left off, read a megabyte at a time."""
    stream.seek(0)
    carry, offset = b"", 0
    while True:
        chunk = stream.read(1 << 20)
        carry += chunk
        *complete, carry = carry.split(b"\n")
        if not chunk:
            complete.append(carry)
        for raw in complete:
            yield offset, raw
            offset += len(raw) + 1
        if not chunk:
            return


def _decode(raw: bytes, encoding: str) -> str | None:
    """A line's text, CRs dropped (CRLF ends and the stray CRs of the GBK release); None if blank."""
    raw = raw.replace(b"\r", b"")
    if not raw.strip():
        return None
    try:
        return remove_invisible(raw.decode(encoding))
    except UnicodeDecodeError as exc:
        raise SourceError(f"not {encoding} text in the line {raw[:30]!r}...: {exc.reason}") from None


def _page_day(ident: str, shift_days: int) -> date:
    day_text = ident[:8]
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        raise SourceError(f"line {ident}: {day_text} is not a date") from None
    try:
        return day + timedelta(days=shift_days)
    except OverflowError:
        raise SourceError(
            f"line {ident}: {day:%Y-%m-%d} moved by {shift_days} days is outside the years 1 to 9999"
        ) from None


def _where_pages_are(stream: BinaryIO, encoding: str, shift_days: int) -> dict[str, _PageAt]:
    """Each page (date and page number, in order of first appearance) with the byte ranges of its
    lines; every line is decoded and every date checked here, before any page is read."""
    found: dict[str, _PageAt] = {}
    current = None
    for offset, raw in _raw_lines(stream):
        text = _decode(raw, encoding)
        ident = line_id(text) if text is not None else None
        if ident is None:
            continue
        key = ident[:11]
        at = found.get(key)
        if at is None:
            at = found[key] = _PageAt(_page_day(ident, shift_days), ident[9:11])
        if key == current:
            at.runs[-1][1] = offset + len(raw)
        else:
            at.runs.append([offset, offset + len(raw)])
            current = key
    return found


def _page_lines(stream: BinaryIO, key: str, at: _PageAt, encoding: str) -> list[tuple[bytes, str, Paragraph]]:
    lines = []
    for start, end in at.runs:
        stream.seek(start)
        for raw in stream.read(end - start).split(b"\n"):
            text = _decode(raw, encoding)
            paragraph = split_line(text) if text is not None else None
            if paragraph is not None and paragraph.line_id.startswith(key):
                lines.append((raw.replace(b"\r", b""), text, paragraph))
    return lines


_PAGE_KEY = re.compile(rb"(\d{8}-\d{2})-")


def count_pages(path: Path) -> int:
    """How many pages read_pages(path) yields, from the line ids alone (a progress bar's total).

    The ids are ASCII in both releases, so this needs no decoding: a tenth of a second a
    month. A page's lines need not be contiguous, so distinct ids are counted, as
    _where_pages_are groups them.
    """
    keys = set()
    with path.open("rb") as stream:
        for line in stream:
            match = _PAGE_KEY.match(line.lstrip().removeprefix(b"\xef\xbb\xbf"))
            if match:
                keys.add(match.group(1))
    return len(keys)


def read_pages(source: Path | BinaryIO, shift_days: int = 0, note: str = "",
               not_persons: frozenset[str] | None = None) -> Iterator[PfrPage]:
    """The corpus's pages in order of first appearance, one at a time.

    `shift_days` moves every date (the synthetic 10x corpus repeats the month at later
    dates); `note` is kept with each page (say "synthetic" there). `source` is a path
    or a seekable binary file. Raises SourceError, naming the file, before the first
    page for a file with no PFR lines, an undecodable line, or a date that is not one
    (or that the shift moves off the calendar). Read from a file, the corpus's own tags
    are counted first (`tag_votes`), so that a word it tags a person once and a place
    four times is no person (a stream has only the votes it is given).
    """
    name = str(source) if isinstance(source, Path) else getattr(source, "name", "the PFR stream")
    if not_persons is None:
        not_persons = tag_votes(source) if isinstance(source, Path) else frozenset()
    stream = source.open("rb") if isinstance(source, Path) else source
    try:
        encoding = sniff_encoding(stream.read(65536))
        try:
            found = _where_pages_are(stream, encoding, shift_days)
        except SourceError as exc:
            raise SourceError(f"{name}: {exc}") from None
        if not found:
            raise SourceError(f"{name}: no PFR lines (YYYYMMDD-PP-AAA-NNN/m word/tag ...)")
        for key, at in found.items():
            yield _page(key, at, _page_lines(stream, key, at, encoding), encoding, note, not_persons)
    finally:
        if isinstance(source, Path):
            stream.close()


def read_page(raw: bytes, day: date, note: str = "", not_persons: frozenset[str] = frozenset()) -> PfrPage:
    """A stored page read again from its own lines, as `read_pages` read it from the corpus.

    `day` is the date it is stored under (the corpus's may have been moved by shift_days);
    `not_persons` the votes stored with it. Raises SourceError for bytes that are not one page.
    """
    encoding = sniff_encoding(raw[:65536])
    first = next((line_id(t) for t in map(lambda r: _decode(r, encoding), raw.split(b"\n")) if t and line_id(t)),
                 None)
    if first is None:
        raise SourceError("no PFR lines (YYYYMMDD-PP-AAA-NNN/m word/tag ...)")
    shift = (day - _page_day(first, 0)).days
    pages = list(read_pages(io.BytesIO(raw), shift, note, not_persons))
    if len(pages) != 1:
        raise SourceError(f"the stored lines hold {len(pages)} pages, not one")
    return pages[0]
