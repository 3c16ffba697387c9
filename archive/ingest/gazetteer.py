"""Places: the districts of Zhengzhou, the national gazetteer and the hierarchy they form.

`ZHENGZHOU` seeded the District table (migration 0002); `places/places_cn.tsv` and
`places/places_world.tsv` (made by scripts/build_places.py from the packages named in
their headers) add every province, prefecture and county of China and the foreign
countries (migration 0004). After that the table, which admin can edit, is the
authority: the loader hands its rows to the parser as a `Gazetteer`.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

DATA = Path(__file__).resolve().parent / "places"
COUNTRY, PROVINCE, CITY, COUNTY = "country", "province", "city", "county"
LEVELS = (COUNTRY, PROVINCE, CITY, COUNTY)
CHINA = "中国"


@dataclass(frozen=True)
class DistrictName:
    name: str
    slug: str
    kind: str  # 功能区, 市辖区, 县级市, 县
    aliases: tuple[str, ...] = field(default_factory=tuple)


ZHENGZHOU = (
    DistrictName("郑东新区", "zhengdong", "功能区", ("郑州郑东新区", "东区", "郑东")),
    DistrictName("高新区", "gaoxin", "功能区",
                 ("郑州高新区", "郑州高新技术产业开发区", "高新技术产业开发区", "郑州高新")),
    DistrictName("经开区", "jingkai", "功能区",
                 ("郑州经开区", "郑州经济技术开发区", "经济技术开发区")),
    DistrictName("航空港区", "hangkonggang", "功能区",
                 ("郑州航空港区", "郑州航空港经济综合实验区", "航空港经济综合实验区", "航空港实验区")),
    DistrictName("中原区", "zhongyuan", "市辖区"),
    DistrictName("二七区", "erqi", "市辖区"),
    DistrictName("管城回族区", "guancheng", "市辖区", ("管城区",)),
    DistrictName("金水区", "jinshui", "市辖区"),
    DistrictName("上街区", "shangjie", "市辖区"),
    DistrictName("惠济区", "huiji", "市辖区"),
    DistrictName("中牟县", "zhongmou", "县", ("中牟",)),
    DistrictName("巩义市", "gongyi", "县级市", ("巩义",)),
    DistrictName("荥阳市", "xingyang", "县级市", ("荥阳",)),
    DistrictName("新密市", "xinmi", "县级市", ("新密",)),
    DistrictName("新郑市", "xinzheng", "县级市", ("新郑",)),
    DistrictName("登封市", "dengfeng", "县级市", ("登封",)),
)

# A district alias printed right after one of these is another city's zone
# (成都高新区, 武汉高新区), not Zhengzhou's.
OTHER_CITIES = (
    "北京", "上海", "天津", "重庆", "成都", "武汉", "苏州", "合肥", "宁波", "杭州", "南京",
    "深圳", "广州", "西安", "长沙", "济南", "青岛", "洛阳", "新乡", "开封", "许昌", "濮阳",
    "南阳", "安阳", "焦作", "平顶山", "商丘", "信阳", "周口", "驻马店", "漯河", "三门峡",
    "鹤壁", "厦门", "福州", "沈阳", "大连", "长春", "哈尔滨", "昆明", "贵阳", "南宁",
    "太原", "石家庄", "兰州", "乌鲁木齐", "无锡", "常州", "东莞", "佛山", "珠海",
)


# -- the national gazetteer ---------------------------------------------------------

@dataclass(frozen=True)
class PlaceRow:
    """One line of a gazetteer file: code, the parent's code, level, kind, name, slug, aliases."""

    code: str
    parent: str
    level: str
    kind: str
    name: str
    slug: str
    aliases: tuple[str, ...]


def read_rows(path: Path) -> list[PlaceRow]:
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [PlaceRow(r["code"], r["parent"], r["level"], r["kind"], r["name"], r["slug"],
                     tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(lines, delimiter="\t")]


def national_rows() -> list[PlaceRow]:
    """China (its provinces' parent) and the foreign countries, then China's divisions."""
    china = PlaceRow("CN", "", COUNTRY, "国家", CHINA, "zhongguo", ("中华人民共和国",))
    return [china, *read_rows(DATA / "places_world.tsv"), *read_rows(DATA / "places_cn.tsv")]


# -- what the parser knows of places ---------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A place as the parser sees it. `key` is what the parser reports (the name when
    empty); `parent` is the key of the place it lies in."""

    name: str
    aliases: tuple[str, ...] = ()
    key: str = ""
    parent: str = ""
    level: str = ""

    @property
    def id(self) -> str:
        return self.key or self.name


class Gazetteer:
    """Places by every name printed for them, with the hierarchy between them.

    Iterating it gives the places (with `.name` and `.aliases`), so it stands wherever
    a list of districts does. `home` is the key of the paper's home region: of two
    places printed alike (东区 of 郑东新区 and of Hong Kong), the one there wins.
    """

    def __init__(self, places: Iterable, home: str = ""):
        self._places: dict[str, Place] = {}
        for p in places:
            place = p if isinstance(p, Place) else Place(
                p.name, tuple(getattr(p, "aliases", ()) or ()), getattr(p, "key", ""),
                getattr(p, "parent", ""), getattr(p, "level", ""))
            self._places.setdefault(place.id, place)
        self.home = home if home in self._places else ""
        self._by_name: dict[str, list[str]] = {}
        for place in self._places.values():
            for alias in (place.name, *place.aliases):
                keys = self._by_name.setdefault(alias, [])
                if place.id not in keys:
                    keys.append(place.id)
        self._lengths: dict[str, tuple[int, ...]] = {}
        for alias in self._by_name:
            self._lengths.setdefault(alias[0], ())
            self._lengths[alias[0]] = tuple(sorted({*self._lengths[alias[0]], len(alias)}, reverse=True))
        # Where a name may start: the regex engine skips the rest of the text in C.
        self._starts = re.compile("[" + "".join(re.escape(c) for c in sorted(self._lengths)) + "]"
                                  if self._lengths else "(?!)")
        self._ancestors: dict[str, tuple[str, ...]] = {}

    def set_home(self, name: str) -> str:
        """Make the place printed as `name` the home region (of several, the broadest:
        郑州 is the city, not a street of that name); returns its key, "" if none."""
        keys = self.keys_named(name) if name else ()
        self.home = min(keys, key=lambda k: (len(self.ancestors(k)), k)) if keys else ""
        return self.home

    def printed_names(self, extra: Iterable[str] = ()) -> frozenset[str]:
        """Every name and alias, with `extra` (kept for the next call with the same extra)."""
        extra = tuple(extra)
        if getattr(self, "_printed", (None,))[0] != extra:
            self._printed = (extra, frozenset(self._by_name) | frozenset(extra))
        return self._printed[1]

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def get(self, key: str) -> Place | None:
        return self._places.get(key)

    def keys_named(self, name: str) -> tuple[str, ...]:
        """The places printed as `name` (name or alias)."""
        return tuple(self._by_name.get(name, ()))

    def ancestors(self, key: str) -> tuple[str, ...]:
        """The places `key` lies in, nearest first (新郑市: 郑州市, 河南省, 中国)."""
        found = self._ancestors.get(key)
        if found is None:
            chain, seen = [], {key}
            place = self._places.get(key)
            while place is not None and place.parent and place.parent not in seen:
                chain.append(place.parent)
                seen.add(place.parent)
                place = self._places.get(place.parent)
            found = self._ancestors[key] = tuple(chain)
        return found

    def within(self, key: str, area: str) -> bool:
        return key == area or area in self.ancestors(key)

    def scan(self, text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """(start, end, candidate keys) of each place name in `text`, leftmost and longest."""
        i = 0
        while (m := self._starts.search(text, i)) is not None:
            i = m.start()
            for length in self._lengths[text[i]]:
                keys = self._by_name.get(text[i:i + length])
                if keys:
                    yield i, i + length, tuple(keys)
                    i += length
                    break
            else:
                i += 1

    def confirm(self, printed: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, ...]]:
        """The candidates of each (name as printed, keys) that the text bears out.

        A county's short form (东海 of 东海县, 张北 of 张北县) is also a sea, a region, a
        person: it counts only in the home region or where the text names the province
        or city the county lies in. Full names and broader places always count.
        """
        areas = {k for _, keys in printed for k in keys if self._places[k].level in (PROVINCE, CITY)}
        home = self.home
        return [tuple(k for k in keys if self._places[k].level != COUNTY or name == self._places[k].name
                      or (home and self.within(k, home)) or areas.intersection(self.ancestors(k)))
                for name, keys in printed]

    def _rank(self, key: str) -> int:
        level = self._places[key].level
        return LEVELS.index(level) if level in LEVELS else len(LEVELS)

    def choose(self, candidates: list[tuple[str, ...]]) -> list[str]:
        """One key for each mention's candidates, read in the light of the others.

        A candidate lying in places the text names without doubt (or in the home
        region) wins; then the broader place (吉林 is the province before the city);
        a tie beyond that is left out ("" in its slot) rather than guessed.
        """
        context = set()
        for keys in candidates:
            if len(keys) == 1:
                context.add(keys[0])
                context.update(self.ancestors(keys[0]))
        if self.home:
            context.add(self.home)
            context.update(self.ancestors(self.home))
        chosen = []
        for keys in candidates:
            if len(keys) <= 1:
                chosen.append(keys[0] if keys else "")
                continue
            ranked = sorted((-sum(a in context for a in (k, *self.ancestors(k))), self._rank(k), k)
                            for k in keys)
            best, second = ranked[0], ranked[1]
            chosen.append(best[2] if best[:2] != second[:2] else "")
        return chosen

    def about(self, score: dict[str, int], first: dict[str, int], prefer_home: bool = False) -> list[str]:
        """The places an article is about, from how much each weighs and where it first
        appears: the narrowest places (新郑市 says more than the 郑州市 it lies in), those
        weighing at least half the top one, in order of appearance. With `prefer_home`
        (a local paper) places of the home region, if the article names any, come first
        and the others are where its people went."""
        keys = [k for k in score if k and not any(o != k and k in self.ancestors(o) for o in score)]
        if prefer_home and self.home and any(self.within(k, self.home) for k in keys):
            keys = [k for k in keys if self.within(k, self.home)]
        if not keys:
            return []
        top = max(score[k] for k in keys)
        return sorted((k for k in keys if 2 * score[k] >= top), key=first.get)


LONGEST_NAME = 24


def longest_prefix(text: str, names) -> str:
    """The longest of `names` (a set) that `text` begins with, or ""."""
    for n in range(min(len(text), LONGEST_NAME), 0, -1):
        if text[:n] in names:
            return text[:n]
    return ""


def starts_with_any(text: str, i: int, names) -> bool:
    """Whether one of `names` (a set) is printed at text[i]: a lookup per length, not a scan."""
    return any(text[i:i + n] in names for n in range(1, LONGEST_NAME + 1))


@lru_cache(maxsize=16)
def _cached(key: tuple) -> Gazetteer:
    return Gazetteer(Place(*row) for row in key)


def as_gazetteer(districts) -> Gazetteer:
    """A Gazetteer of `districts` (one already, or objects with .name and .aliases)."""
    if isinstance(districts, Gazetteer):
        return districts
    return _cached(tuple((d.name, tuple(getattr(d, "aliases", ()) or ()), getattr(d, "key", ""),
                          getattr(d, "parent", ""), getattr(d, "level", "")) for d in districts or ()))
