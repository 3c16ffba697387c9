"""The CRF's proposed names and what confirms them (plain Python, no Django).

`person_model` marks names in running text; the rules here keep those that are no
place, title, company, form of address or everyday word (or that the context vouches
for), trim a name that runs into the next word, and split two names a credit prints
together. `entities` adds what they leave to an article's persons.
"""
from __future__ import annotations

import re
from functools import lru_cache

from archive.ingest import names, person_model, titles


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
    initials = _initials(places)
    return all(c in initials for c in name)


@lru_cache(maxsize=8)
def _initials(places: frozenset[str]) -> frozenset[str]:
    # The national gazetteer prints thousands of names: collect their first characters once.
    return frozenset(p[0] for p in places if len(p) >= 2)


def _trimmed(text: str, offset: int, name: str) -> str:
    """A proposed three-character name whose last character starts a verb or a function
    word with what follows (李宁曾经, 周刚才) is the two characters before it, unless the
    dictionary knows the three as a word (周恩来来访). A longer one after a Chinese surname
    ends where an everyday word of two characters starts in it (杨宗宪|闻讯, 曹禺|提起;
    not 贾雅|辛格)."""
    if 4 <= len(name) <= 6 and names.surname_length(name, 0) == 1 and not names.word_info(name)[0]:
        # Two characters only when the dictionary knows them as a name (not 贾雅 of 贾雅辛格).
        for cut in (3, 2):
            if names.is_common_word(text[offset + cut:offset + cut + 2]) and \
                    (cut == 3 or names.word_info(name[:2])[1].startswith("nr")):
                name = name[:cut]
                break
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
    if len(name) == 6 and names.surname_length(name, 3) == 1:
        return [name[:3], name[3:]]  # （桂望国曹冬蓉）
    return [name]


def _could_be_name(name: str, places: frozenset[str]) -> bool:
    """What even a name the context vouches for must pass: no place, mark, digit, role
    word or form of address."""
    return len(name) >= 2 and name not in places and not _NOT_IN_NAME.search(name) \
        and not name.endswith(_ADDRESS) and not _PLACE_END.search(name)


# Marks that print names one after another (杨洪基、董文华、程志, 巴金、曹禺).
_LIST_MARKS = ("、", "和", "与")


def _vouched(text: str, offset: int, name: str, accepted: list[tuple[int, str]], following) -> bool:
    """A proposal that reads as an everyday word (利维, 程志, 巴金, 桥本) is a name when the
    context says so: a title printed right before it (外长利维, 总理克利马) or right after it
    (桥本首相), or a name that stands printed next to it in a list (董文华、程志、殷秀梅)."""
    end = offset + len(name)
    if titles.ROLE_RE.match(text, end) or titles.titled(text, name, offset):
        return True
    before = accepted[-1] if accepted else None
    if before and before[0] + len(before[1]) == offset - 1 and text[offset - 1] in _LIST_MARKS:
        return True
    return any(at == end + 1 and text[end:end + 1] in _LIST_MARKS for at, _ in following)


def _cue_and_name_are_words(text: str, cue_at: int, at: int) -> bool:
    """Whether jieba's cut of the text around them starts a word at the cue and at the name."""
    window = max(0, cue_at - 6)
    starts, pos = set(), window
    for word in names.words(text[window:at + 4]):
        starts.add(pos)
        pos += len(word)
    return cue_at in starts and at in starts


# Where a name is expected: after a title, or after 叫 (这家妈妈叫晋朝荣).
_CUE = re.compile(titles.ROLE + r"|名叫|叫做|叫")


def model_names(text: str, places: frozenset[str]) -> list[tuple[int, str]]:
    """(offset, name) of the names the CRF marks in `text` that pass `plausible_model_name`,
    or that their context vouches for (`_vouched`); and of those it only thinks likely
    after a title or 叫 that pass `_could_be_name` there (外相瓦力, 主席埃尔巴坎)."""
    marked, cued = person_model.find_names_cued(text, _CUE)
    proposals = []
    for offset, proposed in marked:
        if _inside_word(text, offset):
            continue
        at = offset
        # Only a credit prints names together: （徐烨谢奇）, 摄影：徐烨谢奇.
        credit = text[offset - 1:offset] in ("（", "(", "：", ":") and \
            text[offset + len(proposed):offset + len(proposed) + 1] in ("）", ")", "")
        for name in (_split_pair(proposed) if credit else [proposed]):
            trimmed = _trimmed(text, at, name)
            proposals.append((at, trimmed, plausible_model_name(trimmed, places)))
            at += len(name)
    found: list[tuple[int, str]] = []
    for i, (at, name, plausible) in enumerate(proposals):
        if plausible or (_could_be_name(name, places) and _vouched(
                text, at, name, found, [(a, n) for a, n, ok in proposals[i + 1:i + 2] if ok])):
            found.append((at, name))
    for at, name, cue_at in cued:
        name = _trimmed(text, at, name)
        # The cue is the context that vouches (叫晋朝荣: 晋朝 is a word, not this name's start),
        # if it and the name are words of their own: not 周总理|恩德, 省会|长春 (会长), 顾问.
        if _could_be_name(name, places) and not names.is_common_word(name) \
                and not any(a <= at < a + len(n) for a, n in found) and _cue_and_name_are_words(text, cue_at, at):
            found.append((at, name))
    return sorted(found)
