"""Personal names in newspaper Chinese: surnames, how long a name is, lists of names.

Plain Python. A name is a surname (single or compound) and one or two given-name
characters. The text gives no spaces, so where a name ends is decided from what
follows it (孙建功表示, 林涛陪同, 郝飞等, 张改平等院士) and from jieba's dictionary,
consulted on one or two words at a time, never on whole texts.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from archive.ingest import gazetteer

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 闻人 "
    "端木 独孤 南宫 西门 百里 呼延 万俟 澹台 公冶 太史 申屠 东郭 拓跋 完颜 左丘 第五".split()
)

# Common single surnames. Characters that are far more often a function word than a
# surname (和, 由, 都, 那, 过, 才, 后, 学, 上, 中, 东 …) are left out on purpose: after a
# title or in a list they would turn "书记后备力量" or "学思想" into people.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦卢麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿狄平代贝逯战揭茅宿植薄信佐牧邸汲宦隗蔚于岳习晁丘亓戈扈鄂邰衡訾寿郗"
)

# Surnames that are also everyday words (向记者介绍, 成为, 安全): a name with one of
# them must not have a dictionary word for its given name.
WEAK_SURNAMES = frozenset("任向于常成安平文时明全海花强权连原商师党单解应代信位满战宿路管车项景"
                          "宫席米乐井支司古吉简农阳游曲谷苗梅毕史关包宁尚万方白金石龙江华高")

# Characters that do not stand in a given name: grammar and the words of places
# and organisations.
NOT_GIVEN = frozenset("的是了们着等及与和在这那个之其该各每年月日号区市省县局委处办村镇乡街路厅副兼")
# Characters after a two-character name that begin the next word rather than
# make the name three long (郝飞等, 林涛陪同, 王晓沛及): rare as a last given name.
NOT_THIRD = NOT_GIVEN | frozenset(
    "说也都又还就对将到被把让给从曾已并即于由陪参介称认要提指讲表出主带率做作致听看兼分同为以"
    "而则因所去赴携召宣希会部组院校站队科一二三四五六七八九十百千万"
)

# Words that follow a bare name: a two-character name is followed by these, not
# a third given-name character (李明书记, 张华同志).
AFTER_NAME = (
    "同志", "书记", "主任", "院士", "教授", "先生", "女士", "总书记", "主席", "总理",
    "局长", "区长", "市长", "县长", "部长", "组长", "一行", "等人",
)

# A word in jieba's dictionary this frequent is an ordinary word, not a name.
COMMON_WORD_FREQ = 20
COMMON_NAME_WORD_FREQ = 300
# Past this frequency, a word that a third character would start (李红交流) makes
# jieba's own cut decide where the name ends.
FREQUENT_WORD_FREQ = 500
# jieba tags that mark the word after a name as a verb or a function word (陪同, 表示).
VERBISH_TAGS = ("v", "p", "c", "d", "u", "r", "t", "f")

_lock = threading.Lock()
_tags: dict | None = None
_tokenizer = None


def _cache_dir() -> Path:
    # jieba unmarshals its cache without checks: keep it in our data folder, never the
    # shared /tmp default (the same place settings.JIEBA_CACHE_FILE points to).
    base = os.environ.get("BAOKU_DATA_DIR") or Path(__file__).resolve().parents[2] / "data"
    return Path(base)


def jieba_tokenizer():
    """The parser's own jieba tokenizer on the main dictionary alone, initialised once
    (dictionary cache in our data folder).

    Not jieba's process-global `jieba.dt`: search adds the archive's names to its own
    tokenizer, and a page must parse the same whether or not a search ran first.
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                folder = _cache_dir()
                folder.mkdir(parents=True, exist_ok=True)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir, tokenizer.cache_file = str(folder), "jieba.cache"
                jieba.setLogLevel(logging.WARNING)
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


@lru_cache(maxsize=8192)
def words(text: str, hmm: bool = False) -> tuple[str, ...]:
    """jieba's cut of `text` with the parser's tokenizer. Remembered: the title, list and
    organisation rules cut the same stretch of text again (a quarter of the month's cuts)."""
    return tuple(jieba_tokenizer().lcut(text, HMM=hmm))


def _word_tags() -> dict:
    global _tags
    if _tags is None:
        jieba_tokenizer()
        with _lock:
            if _tags is None:
                import jieba.posseg  # reads the tags of the main dictionary on import

                _tags = jieba.posseg.dt.word_tag_tab
    return _tags


def word_info(word: str) -> tuple[int, str]:
    """(frequency, part-of-speech tag) of a dictionary word; (0, "") when not a word."""
    freq = jieba_tokenizer().FREQ.get(word) or 0
    if not freq:
        return 0, ""
    return freq, _word_tags().get(word, "")


def is_common_word(word: str) -> bool:
    """A frequent dictionary word that is not a personal name.

    jieba tags some everyday two-character words as names (周密, 华为); past a
    higher frequency they count as words. Longer words tagged as names are names.
    """
    freq, tag = word_info(word)
    if freq < COMMON_WORD_FREQ:
        return False
    return not tag.startswith("nr") or (len(word) <= 2 and freq >= COMMON_NAME_WORD_FREQ)


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def surname_length(text: str, i: int) -> int:
    """Length of the surname starting at text[i] (2 for 欧阳), or 0 if none does."""
    if text[i:i + 2] in COMPOUND_SURNAMES:
        return 2
    return 1 if i < len(text) and text[i] in SURNAMES else 0


def is_plausible_name(name: str, places: frozenset[str] = frozenset(), strict: bool = False) -> bool:
    """A surname and one or two given-name characters that are not an ordinary word or place.

    `strict`, for names found without a title before them: no dictionary word that
    is not a personal name at all (龙湖, 龙子湖), however rare.
    """
    sl = surname_length(name, 0)
    if not sl or not sl + 1 <= len(name) <= sl + 2:
        return False
    given = name[sl:]
    if not all(is_cjk(c) and c not in NOT_GIVEN for c in given):
        return False
    if name in places or is_common_word(name) or is_common_word(name[:2]):
        return False
    if given.endswith(AFTER_NAME) or given in AFTER_NAME:
        return False
    if strict and any(_is_other_word(w) for w in {name, name[:2]}):
        return False
    if name[0] in WEAK_SURNAMES and sl == 1 and is_common_word(given if len(given) == 2 else name):
        return False
    return True


def _is_other_word(word: str) -> bool:
    freq, tag = word_info(word)
    return bool(freq) and not tag.startswith("nr")


def _verbish(word: str) -> bool:
    freq, tag = word_info(word)
    return freq >= COMMON_WORD_FREQ and tag.startswith(VERBISH_TAGS)


def _longest(known: Iterable[str]) -> int:
    return _longest_of(known) if isinstance(known, frozenset) else max(map(len, known), default=0)


@lru_cache(maxsize=64)
def _longest_of(known: frozenset[str]) -> int:
    return max(map(len, known), default=0)


def known_at(text: str, i: int, known: frozenset[str]) -> str:
    """The longest of the `known` names printed at text[i] ("" if none). Looked up by
    length, not name by name: an article's known names can be a thousand prize winners."""
    for length in range(min(_longest(known), len(text) - i), 0, -1):
        if text[i:i + length] in known:
            return text[i:i + length]
    return ""


def known_before(text: str, end: int, known: frozenset[str]) -> str:
    """The longest of the `known` names printed right before text[end] ("" if none)."""
    for length in range(min(_longest(known), end), 0, -1):
        if text[end - length:end] in known:
            return text[end - length:end]
    return ""


def name_at(text: str, i: int, known: frozenset[str] = frozenset(),
            places: frozenset[str] = frozenset()) -> str:
    """The name that starts at text[i], or "" if none plausibly does.

    Two or three characters (three or four with a compound surname) are decided by
    what follows: a known name wins; a third character that cannot be a given name
    (等, 陪, 在) or that starts a verb (强调, 调研) or a title (同志, 书记) ends the name
    after two; otherwise the name takes three (孙建功表示, 王晓沛及, 张改平等).
    """
    known_here = known_at(text, i, known)
    guess = _guess_name_at(text, i, places)
    # A known name decides (张改平 of 张改平等院士), unless it is only the start of a
    # longer name printed here (李红 in 李红梅).
    return guess if len(guess) > len(known_here) else known_here


def _guess_name_at(text: str, i: int, places: frozenset[str]) -> str:
    sl = surname_length(text, i)
    if not sl or gazetteer.starts_with_any(text, i, places):
        return ""
    # 向记者介绍, 任组长: a weak surname followed by a word is that word's first character.
    if sl == 1 and text[i] in WEAK_SURNAMES and is_common_word(text[i + 1:i + 3]):
        return ""
    short, long_ = text[i:i + sl + 1], text[i:i + sl + 2]
    third = i + sl + 1
    take_long = (
        len(long_) == sl + 2
        and is_cjk(text[third])
        and text[third] not in NOT_THIRD
        and not _verbish(text[third:third + 2])
        and not text.startswith(AFTER_NAME, third)
    )
    if take_long and word_info(text[third:third + 2])[0] >= FREQUENT_WORD_FREQ:
        take_long = not _word_starts(text[i:i + sl + 4], sl + 1, hmm=True)
    if take_long and is_plausible_name(long_, places):
        return long_
    return short if is_plausible_name(short, places) else ""


# What may end a list of names: 等, punctuation, a conjunction, the end of the text.
_LIST_END = set("等，,。；;：:！？!?）)”及和与…\n") | {""}


def _head_name(piece: str, known, places) -> str:
    """The name a list item after 、 starts with (郝飞 of 郝飞等结合, 张改平 of 张改平等院士)."""
    if not piece:
        return ""
    candidates = [known_at(piece, 0, known)] if known_at(piece, 0, known) else []
    sl = surname_length(piece, 0)
    if sl:
        for length in (sl + 2, sl + 1):
            name = piece[:length]
            if len(name) == length and is_plausible_name(name, places, strict=True) \
                    and piece[length:length + 1] in _LIST_END:
                candidates.append(name)
    if candidates:
        return max(candidates, key=len)
    # Otherwise only a name followed by a verb ends a list (马安庄、张俊忠一同为…).
    name = name_at(piece, 0, known, places)
    after = piece[len(name):len(name) + 2]
    if not name:
        return ""
    if name in known or is_plausible_name(name, places, strict=True) and len(after) == 2 and _verbish(after):
        return name
    return ""


def _tail_name(piece: str, known, places) -> str:
    """The name a list item before 、 ends with (李蓬 of 推动李蓬, 李幸福 of 管委领导李幸福)."""
    k = known_before(piece, len(piece), known)
    if k:
        return k
    for length in (3, 2, 4):
        name = piece[-length:]
        if len(name) == length and _name_ending_here(piece, len(piece) - length, places):
            return name
    return ""


# Surnames that are mostly prepositions: 向王明同志学习 is about 王明.
_PREPOSITION_SURNAMES = frozenset("向于")


def _name_ending_here(text: str, start: int, places) -> bool:
    """Whether text[start:] is a name printed without a title (strictly checked)."""
    name = text[start:]
    if not surname_length(name, 0) or not is_plausible_name(name, places, strict=True):
        return False
    if len(name) == 3 and name[0] in _PREPOSITION_SURNAMES \
            and is_plausible_name(name[1:], places, strict=True):
        return False
    # The name must begin a word: not the 边看 of 边走边看, nor the 习李强 of 学习李强.
    window = max(0, start - 8)
    return start == 0 or _word_starts(text[window:], start - window)


def _word_starts(text: str, i: int, hmm: bool = False) -> bool:
    """Whether jieba's cut of `text` has a word beginning at offset i."""
    pos = 0
    for word in words(text, hmm):
        if pos >= i:
            return pos == i
        pos += len(word)
    return pos == i


_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?（）()“”‘’《》\s]")


def find_name_lists(text: str, known: frozenset[str] = frozenset(),
                    places: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Names printed as a list joined by 、 (周定友、陈平山、…、郝飞等): (offset, name) pairs.

    The first item may be glued to the words before it (推动李蓬), the last to the
    words after it (郝飞等结合); the items between must be names and nothing else.
    At least two names, so that lists of places or products (苏州、宁波、成都) and a
    name before a title (张俊忠、办事处主任高林广) are not taken for name lists.
    """
    found: list[tuple[int, str]] = []
    clause_start = 0
    for brk in [*_CLAUSE_BREAK.finditer(text), None]:
        clause_end = brk.start() if brk else len(text)
        clause = text[clause_start:clause_end]
        if "、" in clause:
            found.extend((clause_start + off, name) for off, name in _lists_in_clause(clause, known, places))
        clause_start = clause_end + 1
    return found


def _lists_in_clause(clause: str, known, places) -> list[tuple[int, str]]:
    pieces, offsets, off = clause.split("、"), [], 0
    for piece in pieces:
        offsets.append(off)
        off += len(piece) + 1
    whole = [p in known or (len(p) <= 4 and is_plausible_name(p, places, strict=True)) for p in pieces]
    found, a = [], 0
    while a < len(pieces) - 1:
        first = pieces[a] if whole[a] else _tail_name(pieces[a], known, places)
        if not first:
            a += 1
            continue
        names = [(offsets[a] + len(pieces[a]) - len(first), first)]
        k = a + 1
        while k < len(pieces):
            if whole[k]:
                names.append((offsets[k], pieces[k]))
                k += 1
                continue
            head = _head_name(pieces[k], known, places)
            if head:
                names.append((offsets[k], head))
            break
        if len(names) >= 2:
            found.extend(names)
        a = max(k, a + 1)
    return found


POST_TITLES = ("总书记", "同志", "主席", "总理", "委员长")


def find_post_title_names(text: str, known: frozenset[str] = frozenset(),
                          places: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Names printed before their title (习近平总书记, 徐立毅同志): (offset, name) pairs."""
    found = []
    for word in POST_TITLES:
        j = text.find(word)
        while j != -1:
            k = known_before(text, j, known)
            if k:
                found.append((j - len(k), k))
            else:
                for length in (3, 2):
                    name = text[max(0, j - length):j]
                    # A title word inside a longer title (市委书记) has no name before it.
                    if len(name) == length and _name_ending_here(text[:j], j - length, places):
                        found.append((j - length, name))
                        break
            j = text.find(word, j + len(word))
    return found


# Nouns for people that a name follows as a title does (民警金惠康, 科学家夏训诚, 选手吴艳艳)
# but that are no post: the person is named, the noun is not a title to store.
PERSON_NOUNS = (
    "民警", "干警", "警察", "科学家", "作家", "画家", "诗人", "书法家", "艺术家", "歌唱家", "演员", "歌手",
    "选手", "运动员", "队员", "教练", "教练员", "劳动模范", "劳模", "工人", "农民", "个体户", "业户",
    "老人", "老汉", "大娘", "战士", "医生", "护士", "律师", "学生", "学者", "专家", "村民", "居民",
)
_PERSON_NOUN_RE = re.compile("|".join(sorted(PERSON_NOUNS, key=len, reverse=True)))


def find_person_noun_names(text: str, known: frozenset[str] = frozenset(),
                           places: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Chinese names printed right after a noun for a person (民警陆国梁, 中国选手瞿韵):
    (offset, name) pairs, the name's end read as `name_at` reads it."""
    found = []
    for m in _PERSON_NOUN_RE.finditer(text):
        name = name_at(text, m.end(), known, places)
        # Not a word that starts with a surname (专家高度评价) or a surname and a verb (曾被);
        # jieba files 盛赞 as a name, so 专家盛赞 still passes.
        if name and name not in known and (is_common_word(name) or name[1] in NOT_THIRD):
            continue
        if name:
            found.append((m.end(), name))
    return found


def find_names_beside(text: str, found: Iterable[str], places: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Chinese names joined by 和 or 与 to a name already found (饶琅和李荣娟, 吴艳艳和瞿韵):
    (offset, name) pairs, each strictly checked as a name without a title."""
    pairs = []
    for name in found:
        i = text.find(name)
        while i != -1:
            end = i + len(name)
            if text[end:end + 1] in ("和", "与"):
                after = _guess_name_at(text, end + 1, places)
                if after and is_plausible_name(after, places, strict=True):
                    pairs.append((end + 1, after))
            if text[i - 1:i] in ("和", "与") if i else False:
                for length in (3, 2):
                    start = i - 1 - length
                    # Not a surname and a word (二陈兄弟和小贾).
                    if start >= 0 and _name_ending_here(text[:i - 1], start, places) \
                            and not (length == 3 and is_common_word(text[start + 1:i - 1])):
                        pairs.append((start, text[start:i - 1]))
                        break
            i = text.find(name, end)
    return pairs


def find_names_between(text: str, found: Iterable[str], places: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """A word of two or three characters listed between two names found (阎肃、甲丁、温中甲):
    a pen name or a name without a common surname, (offset, name) pairs."""
    found = set(found)
    pairs = []
    for clause in re.finditer(r"[^，,。；;：:！？!?\n]+", text):
        pieces = clause.group().split("、")
        offset = clause.start()
        for k, piece in enumerate(pieces):
            if 0 < k < len(pieces) - 1 and 2 <= len(piece) <= 3 and all(map(is_cjk, piece)) \
                    and piece not in found and piece not in places \
                    and any(pieces[k - 1].endswith(n) for n in found) and any(pieces[k + 1].startswith(n) for n in found):
                pairs.append((offset, piece))
            offset += len(piece) + 1
    return pairs
