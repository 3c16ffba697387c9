"""What the printed titles add up to: posts held, and the sub-areas of a district.

Pure functions over already-fetched records, so they cost no queries and can be
tested on plain values. A Position is one title *as printed*; papers print
combined titles (郑东新区党工委书记、中原科技城党工委书记) and the same post with or
without the city (郑州高新区… / 高新区…), so the person page groups titles into
posts here rather than trusting the printed string as the unit.
"""
import re
from dataclasses import dataclass, field
from datetime import date

# Bodies that a combined title often names without repeating the place:
# 郑东新区党工委委员、管委会副主任 means 郑东新区管委会副主任.
_PLACELESS_BODIES = ("党工委", "管委会", "管委")


def _strip_city(part, cities):
    for city in cities:
        if part.startswith(city) and len(part) > len(city) + 1:
            return part[len(city):]
    return part


def _leading_place(part, places):
    return next((p for p in sorted(places, key=len, reverse=True) if part.startswith(p)), None)


def title_parts(title, places=(), cities=("郑州",)):
    """The posts one printed title names, each with its place made explicit where the paper left it implied."""
    parts = [p.strip() for p in re.split(r"[、，,]", title) if p.strip()]
    out, place = [], None
    for i, part in enumerate(parts):
        part = _strip_city(part, cities)
        if i == 0:
            place = _leading_place(part, places)
        elif place and part.startswith(_PLACELESS_BODIES):
            part = place + part
        out.append(part)
    return list(dict.fromkeys(out))


def _first_key(position):
    start = position.first_seen_start
    return (start is None, start or date.min, position.first_seen_end or start or date.min)


def _last_key(position):
    start = position.last_seen_start
    return (start is not None, position.last_seen_end or start or date.min, start or date.min)


@dataclass
class Post:
    """One post, with the printed titles that name it and when it was first and last seen."""

    title: str
    printed: list = field(default_factory=list)

    @property
    def first(self):
        return min(self.printed, key=_first_key)

    @property
    def last(self):
        return max(self.printed, key=_last_key)

    @property
    def first_seen_display(self):
        return self.first.first_seen_display

    @property
    def last_seen_display(self):
        return self.last.last_seen_display

    @property
    def other_printings(self):
        """Printed titles that differ from the post's name (combined, or with the city)."""
        return [p.title for p in self.printed if p.title != self.title]

    def as_dict(self):
        first, last = self.first, self.last
        return {
            "title": self.title,
            "first_seen": first._partial_iso("first_seen") or None,
            "last_seen": last._partial_iso("last_seen") or None,
            "printed_as": [p.title for p in self.printed],
        }


def group_posts(positions, places=(), cities=("郑州",)):
    """Posts from a person's positions, in order of first sighting; a combined title counts toward each post it names."""
    posts = {}
    for position in positions:
        for part in title_parts(position.title, places, cities):
            posts.setdefault(part, Post(part)).printed.append(position)
    # Stable: posts first seen together keep the order the paper printed them in.
    return sorted(posts.values(), key=lambda post: _first_key(post.first))


# -- sub-areas of a district --------------------------------------------------------

_CJK = "\u4e00-\u9fff"
# Every pattern below needs one of these printed.
OFFICE_WORDS = ("办事处", "街道")
# A road-named office (豫兴路办事处, 祭城路街道办事处) is Zhengzhou's usual sub-district;
# the road name makes the match safe to take from running text.
ROAD_OFFICE = re.compile(rf"[{_CJK}]{{1,4}}路(?:街道)?办事处")
# Any office or street in a parsed organisation name or title (龙湖办事处…).
OFFICE = re.compile(rf"[{_CJK}]{{2,5}}?(?:街道办事处|办事处|街道)")
# A village is only taken when an office names it (龙湖办事处花沟王村): a bare 村 in the
# text is as often a village elsewhere that the article visited.
VILLAGE_UNDER_OFFICE = re.compile(rf"(?:办事处|街道)([{_CJK}]{{2,3}}村)(?![{_CJK}]{{0,1}}级)")


@dataclass
class SubArea:
    name: str
    kind: str
    parent: str = ""
    articles: int = 0


def _kind(name):
    return "村" if name.endswith("村") else "街道" if name.endswith("街道") else "办事处"


def sub_areas(named, texts, places=()):
    """Sub-areas named in organisation names and titles (`named`) or in article `texts`,
    each with the number of texts that name it, most named first. District and city
    names (`places`) are cut first so 郑东新区龙湖办事处 yields 龙湖办事处."""
    found = {}
    cut = re.compile("|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))) if places else None

    def add(name, parent=""):
        if name not in found:
            found[name] = SubArea(name, _kind(name), parent)

    for string in named:
        # Both patterns need 办事处 or 街道, which cutting place names cannot create: the
        # cut (an alternation of every place name, 1.5 s over 中国's 3,551 names and
        # titles) runs only where they can match.
        if not any(word in string for word in OFFICE_WORDS):
            continue
        string = cut.sub("|", string) if cut else string
        offices = OFFICE.findall(string)
        for office in offices:
            add(office)
        for village in VILLAGE_UNDER_OFFICE.findall(string):
            add(village, offices[0] if offices else "")
    for text in texts:
        for office in ROAD_OFFICE.findall(text):
            add(office)
        for match in VILLAGE_UNDER_OFFICE.finditer(text):
            parents = OFFICE.findall(text[max(0, match.start() - 8):match.start(1)])
            add(match.group(1), parents[-1] if parents else "")
    for area in found.values():
        area.articles = sum(1 for text in texts if area.name in text)
    return sorted(found.values(), key=lambda a: (-a.articles, a.kind, a.name))
