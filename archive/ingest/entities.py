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
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable, Sequence

from archive.ingest import dates, gazetteer, names, notation, person_model, titles
from archive.ingest.proposals import model_names
from archive.ingest import types as T
from archive.ingest.dates import PartialDate

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

_OTHER_CITY_BEFORE = re.compile("(?:" + "|".join(sorted(gazetteer.OTHER_CITIES, key=len, reverse=True))
                                + ")市?$")
# A district name whose last character starts a longer word is not that district:
# 华为中原区域总部 is not 中原区, 新郑州 is not 新郑.
_WORD_AFTER = {"区域", "区划", "区块", "区位", "区间", "区分", "区别", "郑州"}


@lru_cache(maxsize=4096)
def _plain_word(name: str) -> bool:
    """A short place name that is first an everyday word (城区, 郊区, 东区 are also
    divisions somewhere): it counts only for a place of the home region."""
    freq, tag = names.word_info(name)
    return bool(freq) and not tag.startswith("ns")


_AREAS = {gazetteer.PROVINCE, gazetteer.CITY}


def _level(places: gazetteer.Gazetteer, keys) -> set[str]:
    return {getattr(places.get(k), "level", "") for k in keys}


def _candidates(text: str, places: gazetteer.Gazetteer) -> list[tuple[int, str, tuple[str, ...]]]:
    """(offset, name as printed, candidate keys) of each place printed in `text`.

    A name printed right after another place's is a place within that one (北京朝阳区,
    天津和平区); a county or zone printed after a province or city it is not in is none of
    the gazetteer's (苏州高新区 is not 郑州's 高新区), nor is one after a city the
    gazetteer does not list (the Zhengzhou-only list knows no 成都).
    """
    found: list[tuple[int, str, tuple[str, ...]]] = []
    prev_end, prev_keys = -1, ()
    for start, end, keys in places.scan(text):
        follows = prev_keys if prev_end == start else ()
        prev_end, prev_keys = end, keys
        if not follows and _OTHER_CITY_BEFORE.search(text[max(0, start - 5):start]):
            continue
        if text[end - 1:end + 1] in _WORD_AFTER:
            continue
        # A two-character alias glued to the character before it (广东区, 重新郑重) is
        # part of another word.
        if end - start <= 2 and start > 0 and names.word_info(text[start - 1:start + 1])[0]:
            continue
        if follows:
            inside = tuple(k for k in keys if any(k != a and places.within(k, a) for a in follows))
            if inside:
                keys = inside
            elif _level(places, keys) == {gazetteer.COUNTY} and _level(places, follows) <= _AREAS:
                continue
        if places.home and end - start <= 2 and _plain_word(text[start:end]):
            keys = tuple(k for k in keys if places.within(k, places.home))
        if keys:
            found.append((start, text[start:end], keys))
    return found


def _chosen(places: gazetteer.Gazetteer, found) -> list[str]:
    """One key (or "") for each of `_candidates`' mentions, read together."""
    return places.choose(places.confirm([(name, keys) for *_, name, keys in found]))


def district_mentions(text: str, districts) -> list[tuple[int, str]]:
    """(offset, key) of each place named in `text`, longest name first; a name that
    several places share is read in the light of the text's other places."""
    if not text:
        return []
    places = gazetteer.as_gazetteer(districts)
    found = _candidates(text, places)
    return [(offset, key) for (offset, *_), key in zip(found, _chosen(places, found)) if key]


def about_districts(texts: Iterable[tuple[str, str]], districts) -> list[str]:
    """The places an article is about: the narrowest named, scoring at least half the
    top score (a mention in the headline or deck weighs more)."""
    places = gazetteer.as_gazetteer(districts)
    mentions = [(order, kind, offset, name, keys) for order, (kind, text) in enumerate(texts)
                for offset, name, keys in _candidates(text, places)]
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for (order, kind, offset, *_), key in zip(mentions, _chosen(places, mentions)):
        if key:
            score[key] += DISTRICT_WEIGHT[kind]
            first.setdefault(key, order * 100000 + offset)
    return places.about(score, first, prefer_home=True)


# -- dates -------------------------------------------------------------------

def _words(table) -> str:
    return "|".join(sorted(table, key=len, reverse=True))


# 7月18日, 1997年7月18日, 今年６月１０日至７月１２日, 上月２８日, 本月下旬, 8月29日~31日.
_DATE = re.compile(
    rf"(?:(?P<yw>{_words(dates.YEAR_WORDS)})|(?<![0-9])(?P<y>\d{{4}})年)?"
    rf"(?:(?P<mw>{_words(dates.MONTH_WORDS)})|(?<![0-9])(?P<m>\d{{1,2}})月)"
    rf"(?:(?P<d>\d{{1,2}})日|(?P<xun>{_words(dates.TEN_DAYS)}))"
    r"(?:\s*[~～\-－—–至到]\s*(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)?"
)
_APPROXIMATE = re.compile("近日")


def _one_date(page, day, xun, month, year, year_word, month_word):
    if xun:
        return dates.resolve_ten_days(xun, page, month, year, year_word, month_word)
    if not 1 <= day <= 31:
        return None
    return dates.resolve_event_day(day, page, month, year, year_word, month_word)


def event_dates(texts: Iterable[str], published: PartialDate | None) -> list[T.EventDate]:
    """Dates written in the text, each end of a range on its own, in order, once each.

    The words before a date are read against the page's date (今年, 去年, 本月, 上月);
    the second end of a range shares the first one's year and month unless it prints its own.
    """
    found: list[tuple[int, int, T.EventDate]] = []
    for order, text in enumerate(texts):
        # Every form has a 月; the pattern's optional words are slow to try at every character.
        for m in _DATE.finditer(text) if "月" in text else ():
            g = m.groupdict()
            year = int(g["y"]) if g["y"] else None
            month_text = g["m"]
            month = int(month_text) if month_text else None
            if month is not None and not 1 <= month <= 12:
                continue
            words = (g["yw"] or "", g["mw"] or "")
            prefix = "".join(words)
            first = f"{prefix}{month_text}月" if month_text else prefix
            ends = [(m.start(), _one_date(published, int(g["d"] or 0), g["xun"], month, year, *words),
                     first + (f"{g['d']}日" if g["d"] else g["xun"]))]
            if g["d2"]:
                year2 = int(g["y2"]) if g["y2"] else year
                month2 = int(g["m2"]) if g["m2"] else month
                words2 = (words[0] if not g["y2"] else "", words[1] if not g["m2"] else "")
                ends.append((m.start() + 1, _one_date(published, int(g["d2"]), "", month2, year2, *words2),
                             f"{g['m2']}月{g['d2']}日" if g["m2"] else f"{g['d2']}日"))
            for offset, value, written in ends:
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


_HOME_PARTY = ("郑州市", "郑州", "河南省", "河南", "中共郑州市委", "中共河南省委")


def _places(districts) -> frozenset[str]:
    """Every name a place is printed as (a Gazetteer's thousands are collected once)."""
    places = gazetteer.as_gazetteer(districts)
    return places.printed_names(_HOME_PARTY + gazetteer.OTHER_CITIES)


def text_organizations(text: str, places: frozenset[str]) -> list[str]:
    """Organisation names printed whole in running text, in order. Precision over recall.

    `places` are the names an organisation may begin with (the longest that does is its place).
    """
    found = []
    for m in _TEXT_SUFFIX_RE.finditer(text):
        end = m.end()
        # The suffix must end a word (not 大学堂, 格局, 中心城市).
        window_start = max(0, end - 12)
        bounds, pos = set(), window_start
        for word in names.words(text[window_start:end + 4]):
            pos += len(word)
            bounds.add(pos)
        if end not in bounds or text[end:end + 1] in ("城",):
            continue
        start = titles.part_start(text, end)
        candidate, _ = titles.cut_introduction(text[start:end])
        place = gazetteer.longest_prefix(candidate, places)
        if not place and m.group() not in _SELF_NAMED and not _ROAD_QUALIFIED.match(candidate):
            continue
        if len(candidate) <= len(m.group()) + 1 or candidate.startswith(_GENERIC_START):
            continue
        rest = candidate[len(place):]
        if any(names.word_info(w)[1].startswith(_NOT_IN_ORG_TAGS) and w not in titles.ORG_SUFFIXES
               for w in names.words(rest) if len(w) > 1 or w in titles.CUT_WORDS):
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
        # Names by their first character: a list of a thousand prize winners made the
        # model's every name compare itself with every name found (7 s of the month's parse).
        self._by_initial: dict[str, list[str]] = defaultdict(list)

    def add(self, ref: T.PersonRef, where: tuple[int, int]) -> None:
        old = self.refs.get(ref.name)
        if old is None:
            self.refs[ref.name], self.first[ref.name] = ref, where
            self._by_initial[ref.name[:1]].append(ref.name)
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
        self._by_initial[old[:1]].remove(old)
        ref.name = new
        if new in self.refs:
            return
        self.refs[new], self.first[new] = ref, where
        self._by_initial[new[:1]].append(new)

    def sharing_initial(self, name: str) -> dict[str, T.PersonRef]:
        """The persons whose name begins with `name`'s first character, in the order found:
        all a name can start or continue."""
        return {n: self.refs[n] for n in self._by_initial.get(name[:1], ())}

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


def _cut_short(name: str, refs, text: str) -> str:
    """A name the rules found that the model's `name` continues wherever it is printed
    here: the title rule reads three characters (部长孙家|正在, 副主席张万|年, 总统谢瓦尔|德纳泽),
    the model reads the whole name."""
    for other in refs:
        if other != name and name.startswith(other) and text.count(other) == text.count(name):
            return other
    return ""


def _part_of_known(name: str, refs) -> bool:
    """A shorter form of a name already found (泽民 of 江泽民, 王 of 王军)."""
    # One search of all the names at C speed first: most names are part of none.
    if "\n".join(refs).count(name) <= (name in refs):
        return False
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
    place_names = places = _places(districts)
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
    page_known = frozenset(known_names)
    for order, (_, text) in enumerate(texts):
        frozen = frozenset(known)
        for offset, name in (*names.find_name_lists(text, frozen, places),
                             *names.find_post_title_names(text, frozen, places),
                             *names.find_person_noun_names(text, frozen, places)):
            people.add(T.PersonRef(name), (order, offset))
        others = frozenset(known_names) - set(people.refs)
        for offset, name in _bare_mentions(text, others, places):
            people.add(T.PersonRef(name), (order, offset))
        for offset, name in model_names(text, places):
            if name in credited:
                continue
            # Where the rules guessed an untitled name's end differently (穆青以, 贾雅 of
            # 贾雅辛格), the model's end is the better guess.
            near = people.sharing_initial(name)
            guessed = _guessed_otherwise(name, near, page_known) or _cut_short(name, near, text)
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
        # A list read again with the model's names: it runs on past a name without a common
        # surname (韦唯、杭天琪、张也……).
        relisted = [(offset, name) for offset, name in names.find_name_lists(text, frozenset(people.refs), places)
                    if not any(n.startswith(name) or name.startswith(n) for n in people.sharing_initial(name))] \
            if "、" in text else ()
        for offset, name in (*names.find_names_beside(text, list(people.refs), places),
                             *names.find_names_between(text, list(people.refs), places), *relisted):
            if name not in credited and not _part_of_known(name, people.refs):
                people.add(T.PersonRef(name), (order, offset))
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
    an article that names no district of its own (or only the city it lies in) (党工委副书记李金勇带队赴苏州、合肥高新区
    考察, on a 高新区 page) is about the district most of the page's articles are about.
    """
    known: list[str] = []
    # The model reads the same texts extract_entities gives it, all of the page's at once.
    with person_model.batch(notation.normalise(text) for article in articles for _, text in _texts(article)):
        for article in articles:
            extract_entities(article, published, districts, known_names=known)
            bylines = {*article.reporters, *article.correspondents, *article.photographers}
            known += [p.name for p in article.persons if p.name not in bylines and p.name not in known]
    counts = Counter(d for a in articles for d in a.districts)
    with_districts = sum(1 for a in articles if a.districts)
    if counts:
        page_district, n = counts.most_common(1)[0]
        if 2 * n > with_districts:
            places = gazetteer.as_gazetteer(districts)
            for article in articles:
                # Naming only places the page's district lies in (郑州) says no more.
                if all(d != page_district and places.within(page_district, d) for d in article.districts):
                    article.districts = [page_district]
    return list(articles)
