"""Entities of a parsed article: interviewee, persons, organisations, districts, dates.

Plain Python, no Django. The page parser calls `extract_entities` on each article
once its headline, deck, lead and paragraphs are repaired (or `extract_page_entities`
on a whole page, which also lets articles share what the page tells: names titled
in one article, the district a page is about). Names and titles are read by rules
(see `names` and `titles`); jieba is consulted on a word or a short window at a
time, so a month of pages costs little more than cutting it once.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

from archive.ingest import gazetteer, names, notation, person_model, titles
from archive.ingest import types as T
from archive.ingest.dates import PartialDate, resolve_month_day

HEADLINE, KICKER, DECK, LEAD, BODY = "headline", "kicker", "deck", "lead", "body"
# How much one mention of a district weighs by where it is printed: an article is
# about the district of its headline or its interviewee, not of a passing mention.
DISTRICT_WEIGHT = {HEADLINE: 3, DECK: 3, KICKER: 1, LEAD: 1, BODY: 1}


def _texts(article: T.ParsedArticle) -> list[tuple[str, str]]:
    parts = [(HEADLINE, article.headline), (KICKER, article.kicker), (DECK, article.subheadline),
             (LEAD, article.lead)]
    parts += [(BODY, p) for p in article.paragraphs]
    return [(kind, text) for kind, text in parts if text]


# -- districts ---------------------------------------------------------------

@lru_cache(maxsize=16)
def _district_matcher(key: tuple[tuple[str, tuple[str, ...]], ...]):
    canonical = {}
    for name, aliases in key:
        for alias in (name, *aliases):
            canonical.setdefault(alias, name)
    pattern = "|".join(re.escape(a) for a in sorted(canonical, key=len, reverse=True))
    return re.compile(pattern), canonical


def _district_key(districts) -> tuple:
    return tuple((d.name, tuple(d.aliases)) for d in districts)


_OTHER_CITY_BEFORE = re.compile("(?:" + "|".join(sorted(gazetteer.OTHER_CITIES, key=len, reverse=True))
                                + ")市?$")
# A district name whose last character starts a longer word is not that district:
# 华为中原区域总部 is not 中原区, 新郑州 is not 新郑.
_WORD_AFTER = {"区域", "区划", "区块", "区位", "区间", "区分", "区别", "郑州"}


def district_mentions(text: str, districts) -> list[tuple[int, str]]:
    """(offset, canonical name) of each district named in `text`, longest alias first.

    An alias right after another city's name (成都高新区, 合肥高新区) is that city's.
    """
    if not text:
        return []
    pattern, canonical = _district_matcher(_district_key(districts))
    found = []
    for m in pattern.finditer(text):
        start, end = m.span()
        if _OTHER_CITY_BEFORE.search(text[max(0, start - 5):start]):
            continue
        if text[end - 1:end + 1] in _WORD_AFTER:
            continue
        # A two-character alias glued to the character before it (广东区, 重新郑重) is
        # part of another word.
        if len(m.group()) <= 2 and start > 0 and names.word_info(text[start - 1:start + 1])[0]:
            continue
        found.append((start, canonical[m.group()]))
    return found


def about_districts(texts: Iterable[tuple[str, str]], districts) -> list[str]:
    """The districts an article is about: those scoring at least half the top score."""
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for order, (kind, text) in enumerate(texts):
        for offset, name in district_mentions(text, districts):
            score[name] += DISTRICT_WEIGHT[kind]
            first.setdefault(name, order * 100000 + offset)
    if not score:
        return []
    top = max(score.values())
    return sorted((n for n, s in score.items() if 2 * s >= top), key=first.get)


# -- dates -------------------------------------------------------------------

_DATE = re.compile(
    r"(?<![0-9])(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
    r"(?:\s*[~～\-－—–至到]\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日)?"
)
_APPROXIMATE = re.compile("近日")


def _resolve(year: str | None, month: int, day: int, published: PartialDate | None) -> PartialDate | None:
    if year:
        try:
            return PartialDate.day(date(int(year), month, day))
        except ValueError:
            return None
    return resolve_month_day(month, day, published)


def event_dates(texts: Iterable[str], published: PartialDate | None) -> list[T.EventDate]:
    """Dates written in the text, each end of a range on its own, in order, once each."""
    found: list[tuple[int, int, T.EventDate]] = []
    for order, text in enumerate(texts):
        for m in _DATE.finditer(text):
            y1, m1, d1, y2, m2, d2 = m.groups()
            ends = [(m.start(), y1, int(m1), int(d1), f"{m1}月{d1}日")]
            if d2:
                month2 = int(m2) if m2 else int(m1)
                text2 = f"{m2}月{d2}日" if m2 else f"{d2}日"
                ends.append((m.start() + 1, y2 or y1, month2, int(d2), text2))
            for offset, year, month, day, written in ends:
                if not (1 <= month <= 12 and 1 <= day <= 31):
                    continue
                value = _resolve(year, month, day, published)
                found.append((order, offset, T.EventDate(written, value.iso() if value else "",
                                                         value.precision if value else "")))
        for m in _APPROXIMATE.finditer(text):
            found.append((order, m.start(), T.EventDate(
                m.group(), published.iso() if published else "",
                published.precision if published else "", approximate=True)))
    result, seen = [], set()
    for _, _, ed in sorted(found, key=lambda f: (f[0], f[1])):
        key = (ed.value or ed.text, ed.approximate)
        if key not in seen:
            seen.add(key)
            result.append(ed)
    return result


# -- organisations in running text -----------------------------------------

# Organisations that name themselves (天健先进生物实验室); other kinds of
# organisation count only with a place before them (郑东新区水务局).
_SELF_NAMED = ("实验室", "研究院", "大学", "学院", "公司", "集团")
_TEXT_SUFFIXES = sorted(("党工委", "管委会", "委员会", "办事处", "政府", "党委", "局", "中心") + _SELF_NAMED,
                        key=len, reverse=True)
_TEXT_SUFFIX_RE = re.compile("|".join(_TEXT_SUFFIXES))
_GENERIC_START = ("一流", "一批", "一家", "多家", "各", "全省", "全市", "全区", "全国", "国家级", "相关",
                  "有关", "该", "本", "我", "新", "高校", "重点")
_NOT_IN_ORG_TAGS = ("v", "p", "c", "u", "d", "r", "f")
_ROAD_QUALIFIED = re.compile(r"^[\u4e00-\u9fff]{1,3}路(?:街道)?(?:办事处|党工委|党委|党群服务中心)$")


def _places(districts) -> tuple[str, ...]:
    found = {"郑州市", "郑州", "河南省", "河南", "中共郑州市委", "中共河南省委"}
    for d in districts:
        found.update((d.name, *d.aliases))
    found.update(gazetteer.OTHER_CITIES)
    return tuple(sorted(found, key=len, reverse=True))


def text_organizations(text: str, places: Sequence[str]) -> list[str]:
    """Organisation names printed whole in running text, in order. Precision over recall.

    `places` (longest first) are the names an organisation may begin with.
    """
    tok = names.jieba_tokenizer()
    found = []
    for m in _TEXT_SUFFIX_RE.finditer(text):
        end = m.end()
        # The suffix must end a word (not 大学堂, 格局, 中心城市).
        window_start = max(0, end - 12)
        bounds, pos = set(), window_start
        for word in tok.lcut(text[window_start:end + 4], HMM=False):
            pos += len(word)
            bounds.add(pos)
        if end not in bounds or text[end:end + 1] in ("城",):
            continue
        start = titles.part_start(text, end)
        candidate, _ = titles.cut_introduction(text[start:end])
        place = next((p for p in places if candidate.startswith(p)), "")
        if not place and m.group() not in _SELF_NAMED and not _ROAD_QUALIFIED.match(candidate):
            continue
        if len(candidate) <= len(m.group()) + 1 or candidate.startswith(_GENERIC_START):
            continue
        rest = candidate[len(place):]
        if any(names.word_info(w)[1].startswith(_NOT_IN_ORG_TAGS) and w not in titles.ORG_SUFFIXES
               for w in tok.lcut(rest, HMM=False) if len(w) > 1 or w in titles.CUT_WORDS):
            continue
        found.append(candidate)
    return found


# -- persons -----------------------------------------------------------------

def _district_of_title(title: str, districts) -> str:
    mentions = district_mentions(title, districts)
    return mentions[0][1] if mentions else ""


class _People:
    """Persons of one article by name, with where each was first seen."""

    def __init__(self):
        self.refs: dict[str, T.PersonRef] = {}
        self.first: dict[str, tuple[int, int]] = {}

    def add(self, ref: T.PersonRef, where: tuple[int, int]) -> None:
        old = self.refs.get(ref.name)
        if old is None:
            self.refs[ref.name], self.first[ref.name] = ref, where
            return
        if not old.title and ref.title:
            old.title, old.organization, old.district = ref.title, ref.organization, ref.district
            old.other_titles = [t for t in old.other_titles if t != ref.title]
            for t in ref.other_titles:
                _add_title(old, t)
            return
        for t in (ref.title, *ref.other_titles):
            _add_title(old, t)

    def rename(self, old: str, new: str) -> None:
        """The person found as `old` is `new` (where first seen stays)."""
        ref, where = self.refs.pop(old), self.first.pop(old)
        ref.name = new
        if new in self.refs:
            return
        self.refs[new], self.first[new] = ref, where

    def ordered(self) -> list[T.PersonRef]:
        return [self.refs[n] for n in sorted(self.refs, key=self.first.get)]


def _add_title(ref: T.PersonRef, title: str) -> None:
    """Record a further title, unless it is the same one more or less qualified
    (市委副秘书长 and 郑州市委副秘书长)."""
    if not title:
        return
    for known in (ref.title, *ref.other_titles):
        if known.endswith(title) or title.endswith(known):
            return
    ref.other_titles.append(title)


def _official(found: titles.TitledName, role: str, districts, places) -> T.PersonRef:
    orgs = titles.organizations_in_title(found.title, places)
    return T.PersonRef(found.name, found.title, role, list(found.other_titles),
                       orgs[0] if orgs else "", _district_of_title(found.title, districts))


def _bare_mentions(text: str, wanted: frozenset[str], places) -> list[tuple[int, str]]:
    """Offsets of names from other articles printed here without a title."""
    found = []
    for name in wanted:
        i = text.find(name)
        while i != -1:
            # Only where the name ends as printed (王军, not the 王军 of 王军峰).
            if names.name_at(text, i, frozenset(), places) in (name, ""):
                found.append((i, name))
                break
            i = text.find(name, i + 1)
    return found


def _distinct_organizations(found: Iterable[str]) -> list[str]:
    """Each organisation once, under the first name printed for it: 经开区党工委 after
    郑州经开区党工委 is the same one, less qualified."""
    kept: list[str] = []
    for org in found:
        if org and not any(k.endswith(org) or org.endswith(k) for k in kept):
            kept.append(org)
    return kept


# What a name the model proposes must not hold: a role word (冷科长), a mark, a digit.
_NOT_IN_NAME = re.compile(titles.ROLE + r"|集团|公司|牌|[，,。、；：！？“”‘’《》（）()\s0-9０-９A-Za-zＡ-Ｚａ-ｚ]")
# A place's last character (柳格乡, 曹娥江, 秦皇岛), unless the dictionary knows a name (孔庆河).
_PLACE_END = re.compile(r"(?<=..)[乡村镇县市省岛江河湖港湾州]$")
# Forms of address after a surname are no name (李女士, 王师傅).
_ADDRESS = ("女士", "先生", "小姐", "师傅", "同志", "老师", "大爷", "大妈", "阿姨", "大娘", "大哥", "大姐")


def plausible_model_name(name: str, places: frozenset[str]) -> bool:
    """Whether a name the model proposes stands: not a place, a title or an ordinary word."""
    if len(name) < 2 or name in places or _NOT_IN_NAME.search(name) or name.endswith(_ADDRESS):
        return False
    freq, tag = names.word_info(name)
    # jieba's dictionary tags some places as names (秦皇岛/nr, 153 times): a frequent one
    # with a place's last character is the place.
    if _PLACE_END.search(name) and not (tag.startswith("nr") and freq < names.COMMON_WORD_FREQ):
        return False
    if tag.startswith("nr"):
        return True
    if names.surname_length(name, 0) and len(name) <= 4:
        if any(c in _THING_CHARS for c in name[1:]) or _place_initials(name, places):
            return False
        if len(name) == 2 or len(name) == names.surname_length(name, 0) + 1:
            # Two characters: the rules' own checks (not 田径, not 金鹏 of 金鹏奖…).
            return names.is_plausible_name(name, places)
        # Three: an everyday word is no name (高尔夫), though jieba's dictionary files
        # some names under other tags (周恩来/t).
        return not (freq >= names.COMMON_WORD_FREQ and tag[:1] in ("n", "v", "a"))
    # A transcribed name (克林顿, 樱内义雄): a frequent dictionary word is one only if tagged
    # a name (jieba files the rare 樱内义雄 under ns), and it does not begin or end with an
    # ordinary word (葫芦丝, 飞光纤 of 长飞光纤).
    if freq >= names.COMMON_WORD_FREQ:
        return False
    return "·" in name or not any(_ordinary_word(w) for w in (name[:2], name[-2:]))


def _ordinary_word(word: str) -> bool:
    freq, tag = names.word_info(word)
    return freq >= names.COMMON_WORD_FREQ and not tag.startswith("nr")


# Characters of things, not of given names (郑煤机 is a company, 中铁盾构's neighbour).
_THING_CHARS = frozenset("机煤矿厂钢铁油车船药械泵器网店站馆")


def _place_initials(name: str, places: frozenset[str]) -> bool:
    """Three places' first characters, a region's short name (郑洛新: 郑州, 洛阳, 新乡)."""
    if len(name) != 3:
        return False
    initials = {p[0] for p in places if len(p) >= 2}
    return all(c in initials for c in name)


def _trimmed(text: str, offset: int, name: str) -> str:
    """A proposed three-character name whose last character starts a verb or a function
    word with what follows (李宁曾经, 周刚才) is the two characters before it, unless the
    dictionary knows the three as a word (周恩来来访)."""
    if len(name) >= 3 and name[-1] in names.NOT_THIRD and names.word_info(name[:-1])[1].startswith("nr") \
            and not names.word_info(name)[0]:
        return name[:-1]  # a known name and a word's first character (西哈努克听, 李宁曾)
    sl = names.surname_length(name, 0)
    if not sl or len(name) != sl + 2 or names.word_info(name)[0]:
        return name
    end = offset + len(name)
    if names._verbish(text[end - 1:end + 1]):
        return name[:-1]
    return name


def _inside_word(text: str, offset: int) -> bool:
    """The surname is the end of a word before it (四周刚才: 周 is 四周's)."""
    return offset > 0 and names.is_common_word(text[offset - 1:offset + 1]) \
        and not names._word_starts(text[max(0, offset - 6):offset + 4], min(offset, 6))


def _split_pair(name: str) -> list[str]:
    """Two names printed together, as photo credits print them (徐烨谢奇, 陈宗安卢晶), are two."""
    if not names.surname_length(name, 0) == 1 or names.word_info(name)[0] or not name.isalpha():
        return [name]
    if len(name) == 4 and names.surname_length(name, 2) == 1:
        return [name[:2], name[2:]]
    if len(name) == 5:
        return [name[:3], name[3:]] if names.surname_length(name, 3) or not names.surname_length(name, 2) \
            else [name[:2], name[2:]]
    return [name]


def model_names(text: str, places: frozenset[str]) -> list[tuple[int, str]]:
    """(offset, name) of the names the CRF marks in `text` that pass `plausible_model_name`."""
    found = []
    for offset, proposed in person_model.find_names(text):
        if _inside_word(text, offset):
            continue
        at = offset
        # Only a credit prints names together: （徐烨谢奇）, 摄影：徐烨谢奇.
        credit = text[offset - 1:offset] in ("（", "(", "：", ":") and \
            text[offset + len(proposed):offset + len(proposed) + 1] in ("）", ")", "")
        for name in (_split_pair(proposed) if credit else [proposed]):
            trimmed = _trimmed(text, at, name)
            if plausible_model_name(trimmed, places):
                found.append((at, trimmed))
            at += len(name)
    return found


def _after_persons(title: str, found) -> str:
    """A title holds no other person: 副总理兼外交部长钱其琛和南非外交部长 (of 恩佐) is 南非外交部长."""
    for name in found:
        at = title.rfind(name)
        if at >= 0:
            title = title[at + len(name):].lstrip("和与及、，,")
    return title if titles.ROLE_RE.search(title) else ""


def _guessed_otherwise(name: str, refs, page_known: frozenset[str]) -> str:
    """An untitled name the rules found that starts as `name` does but ends elsewhere."""
    for other, ref in refs.items():
        if other != name and not ref.title and ref.role == T.MENTIONED and other not in page_known \
                and (other.startswith(name) or name.startswith(other)) and other not in name[1:]:
            return other
    return ""


def _part_of_known(name: str, refs) -> bool:
    """A shorter form of a name already found (泽民 of 江泽民, 王 of 王军)."""
    return any(name != known and name in known for known in refs)


def extract_entities(article: T.ParsedArticle, published: PartialDate | None = None,
                     districts=gazetteer.ZHENGZHOU, *, known_names: Iterable[str] = ()) -> T.ParsedArticle:
    """Fill article.interviewee, persons, organizations, districts, event_dates in place.

    `districts` are objects with `.name` and `.aliases` (the gazetteer's or the
    District table's). `known_names` are persons an earlier article of the page
    named (with a title, in a list): here they are recognised even printed bare.
    """
    # The corpus's notation for characters the paper could not print (何鸿（申音）) is read
    # as the character, or the unknown mark, before any name is looked for.
    texts = [(kind, notation.normalise(text)) for kind, text in _texts(article)]
    place_names = _places(districts)
    places = frozenset(place_names)
    people = _People()
    organizations: list[str] = []
    known: set[str] = set()

    article.interviewee = None
    deck = titles.parse_deck(article.subheadline, places)
    if deck:
        interviewee = _official(deck, T.INTERVIEWEE, districts, places)
        article.interviewee = interviewee
        people.add(interviewee, (-1, 0))
        organizations += titles.organizations_in_title(deck.title, places)
        known.add(deck.name)

    for order, (_, text) in enumerate(texts):
        for found in titles.find_titled_names(text, frozenset(known), places):
            people.add(_official(found, T.MENTIONED, districts, places), (order, found.start))
            for title in (found.title, *found.other_titles):
                organizations += titles.organizations_in_title(title, places)
            known.add(found.name)
    credited = {*article.reporters, *article.correspondents, *article.photographers}
    for order, (_, text) in enumerate(texts):
        frozen = frozenset(known)
        for offset, name in (*names.find_name_lists(text, frozen, places),
                             *names.find_post_title_names(text, frozen, places)):
            people.add(T.PersonRef(name), (order, offset))
        others = frozenset(known_names) - set(people.refs)
        for offset, name in _bare_mentions(text, others, places):
            people.add(T.PersonRef(name), (order, offset))
        for offset, name in model_names(text, places):
            if name in credited:
                continue
            # Where the rules guessed an untitled name's end differently (穆青以, 贾雅 of
            # 贾雅辛格), the model's end is the better guess.
            guessed = _guessed_otherwise(name, people.refs, frozenset(known_names))
            if guessed:
                people.rename(guessed, name)
            elif not _part_of_known(name, people.refs):
                # A title the rules did not tie to a name they could not find (国务院总理李鹏).
                found = titles.titled(text, name, offset)
                if found:
                    found.title = _after_persons(found.title, people.refs)
                ref = _official(found, T.MENTIONED, districts, places) if found and found.title \
                    else T.PersonRef(name)
                people.add(ref, (order, offset))
        organizations += text_organizations(text, place_names)

    article.persons = people.ordered()
    article.organizations = _distinct_organizations(organizations)
    article.districts = about_districts(texts, districts)
    article.event_dates = event_dates([t for _, t in texts], published)
    return article


def extract_page_entities(articles: Sequence[T.ParsedArticle], published: PartialDate | None = None,
                          districts=gazetteer.ZHENGZHOU) -> list[T.ParsedArticle]:
    """`extract_entities` for every article of a page, letting the page speak for them.

    Names printed with a title in one article are recognised bare in the later ones;
    an article that names no district of its own (党工委副书记李金勇带队赴苏州、合肥高新区
    考察, on a 高新区 page) is about the district most of the page's articles are about.
    """
    known: list[str] = []
    for article in articles:
        extract_entities(article, published, districts, known_names=known)
        bylines = {*article.reporters, *article.correspondents, *article.photographers}
        known += [p.name for p in article.persons if p.name not in bylines and p.name not in known]
    counts = Counter(d for a in articles for d in a.districts)
    with_districts = sum(1 for a in articles if a.districts)
    if counts:
        page_district, n = counts.most_common(1)[0]
        if 2 * n > with_districts:
            for article in articles:
                if not article.districts:
                    article.districts = [page_district]
    return list(articles)
