"""Officials' titles as printed before their names, and the organisations in them.

Plain Python. A title ends with a role word (书记, 局长, 负责人, 后备力量 …) and stands
right before a name. Its left end is punctuation, or a verb or preposition that
introduces it (仪式由…主持, 邀请…), found as a whole jieba word so that the 由 of 自由贸易
or the 为 of 为民服务中心 does not cut a title. A title may have several parts joined
by 、 (省委常委、市委书记), and a second title after a comma
(管委会副主任,“双改”工作领导小组副组长); honorifics before the real title
(全国优秀村支书、) are not titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from archive.ingest import gazetteer, names

# Role words that end a title. Longest first: the regex takes the first alternative.
_ROLES = sorted(set(
    "书记 支书 主任 局长 区长 市长 县长 省长 镇长 乡长 村长 组长 部长 厅长 处长 科长 所长 院长 "
    "校长 主席 委员 常委 秘书长 调研员 巡视员 督导员 负责人 总经理 董事长 经理 总监 队长 站长 "
    "馆长 行长 社长 总编辑 会长 理事长 政委 司令员 专员 主委 检察长 庭长 院士 教授 研究员 "
    "工程师 总工程师 主任医师 后备力量 后备干部 网格员 组织员 指导员 团长 总裁 董事 监事 干事 "
    "特派员 联络员 审计长 总会计师 指挥长 园长 主任科员 法定代表人 创始人 首席执行官 助理 "
    "总理 总统 首相 大臣 委员长 国务委员 大使 外长 议长 总督 国王 女王 亲王 王储 总干事 特使 司令".split()
), key=len, reverse=True)
_ROLE_PREFIXES = ("常务副", "副", "常务", "第一", "执行", "代理")
# The lookahead lets re skip, at one character class's cost, the places no role word can
# start. re finds such a class itself for a bare list of words (entities' suffixes), but the
# optional prefix hides it, and searching the month's plain text took 0.4 s of CPU (0.09 s).
ROLE = (r"(?=[" + "".join(sorted({w[0] for w in (*_ROLES, *_ROLE_PREFIXES)})) + r"])"
        r"(?:" + "|".join(_ROLE_PREFIXES) + r")?(?:" + "|".join(_ROLES) + ")")
ROLE_RE = re.compile(ROLE)
_ROLE_AT_END = re.compile(ROLE + r"$")

# Words that introduce a title rather than belong to it; only whole jieba words count.
CUT_WORDS = frozenset(
    "由 在 与 和 及 同 跟 对 向 为 请 是 的 了 被 把 将 让 给 据 等 受 有 任 "
    "邀请 特邀 邀 传达 学习 贯彻 陪同 带领 率领 会见 看望 听取 慰问 出席 参加 主持 推动 "
    "表示 认为 介绍 随同 接受 获得 担任 谈到 讲 开讲 宣布 宣读 会上 会议 仪式 上午 下午 "
    "晚上 当天 近日 日前 其中 包括 以及 还有 称 说 指出 强调 希望 要求 会同 联合 携手 "
    "连同 偕同 请来 来到 走访 调研 考察 访 专访 对话 采访 本报讯 记者 作为 身为 时任 "
    "现任 曾任 授予 评为 当选 任命 聘请 聘任 根据 按照 通过 经过 分别 先后 一同 共同 "
    "暨 获悉 了解 发现 看到 电 日电 讯 报道".split()
)
# Conjunctions cut only before a new title (张三和市委书记李四), not inside an
# organisation's name (郑州市住房和城乡建设局).
CONJUNCTIONS = frozenset("和 与 及 同 跟 以及".split())
_STARTS_TITLE = re.compile(r"^(?:[\u4e00-\u9fff]{1,5}?(?:省|市|县|区)|省|市|县|区|中共|国家|全国|党)")
# Honours printed before a title (全国优秀村支书、西辛庄村党支部书记李连成).
HONORIFIC_MARKERS = ("优秀", "模范", "劳模", "先进", "标兵", "十佳", "最美", "杰出", "道德", "感动",
                     "功勋", "英雄")
_HARD = set("，,。；;：:！？!?《》〈〉【】[]\n\t —…·/")
_LEADING_JUNK = re.compile(r"^(?:[与和及同跟]|\d+[月日号时]|上午|下午|晚上)+")
_DIGITS = re.compile(r"[0-9０-９]")

# Organisation words a title part can hold before its role word, longest first.
ORG_SUFFIXES = sorted(
    "党工委 管委会 管委 党委 党支部 党总支 党组 委员会 常委会 村委会 居委会 办事处 街道 政府 人大 政协 局 委 厅 部 "
    "办 院 大学 学院 研究院 公司 集团 实验室 中心 法院 检察院".split(), key=len, reverse=True,
)
_ORG_PREFIX = re.compile("^.*?(?:" + "|".join(ORG_SUFFIXES) + ")(?!.*(?:" + "|".join(ORG_SUFFIXES) + "))")
# A qualifier this bare does not make an organisation name (市委, 党工委, 管委会).
_BARE_QUALIFIERS = {"", "省", "市", "区", "县", "镇", "乡", "村", "本", "该", "全", "党", "管", "党工", "街"}


@dataclass
class TitledName:
    name: str
    title: str
    other_titles: list[str] = field(default_factory=list)
    start: int = 0  # offset of the title in the text


def _tokens(text: str) -> tuple[str, ...]:
    return names.words(text)


def part_start(text: str, end: int) -> int:
    """Where the run of title characters ending at `end` begins (a hard boundary or 、).

    Quotes and brackets closed inside the run belong to it (东区“双改”办); an
    unmatched one (。”郑东新区…) is a boundary.
    """
    i = end
    while i > 0:
        ch = text[i - 1]
        if ch in _HARD or ch == "、" or ch in "“（(":
            return i
        if ch in "”）)":
            opener = "“" if ch == "”" else "（("
            j = i - 2
            while j >= max(0, i - 16) and text[j] not in opener and text[j] not in _HARD:
                j -= 1
            if j < max(0, i - 16) or text[j] not in opener:
                return i
            i = j
            continue
        i -= 1
    return 0


def cut_introduction(part: str) -> tuple[str, bool]:
    """The part after the last word that introduces a title; True if one was found."""
    tokens = _tokens(part)
    cut_at, pos = -1, 0
    for tok in tokens:
        pos += len(tok)
        if tok in CONJUNCTIONS and not _STARTS_TITLE.match(part[pos:]):
            continue
        if tok in CUT_WORDS or _DIGITS.search(tok):
            cut_at = pos
    if cut_at < 0:
        return part, False
    return part[cut_at:], True


def _is_honorific(part: str) -> bool:
    return any(m in part for m in HONORIFIC_MARKERS)


def title_before(text: str, end: int) -> tuple[str, int]:
    """The title whose role word ends at text[end], and its offset; ("", end) if none.

    Parts joined by 、 are taken while the part to the left also ends with a role
    word; a part that had to be cut from the words before it is the leftmost.
    """
    parts: list[str] = []
    pos = end
    while True:
        begin = part_start(text, pos)
        part, was_cut = cut_introduction(text[begin:pos])
        # A cut inside a bracket (（记者张荣典）国家副主席): the title starts after it closes.
        close = max(part.rfind("）"), part.rfind(")"))
        if close >= 0 and part.rfind("（", 0, close) < 0 and part.rfind("(", 0, close) < 0:
            part, was_cut = part[close + 1:], True
        junk = _LEADING_JUNK.match(part)
        if junk:
            part, was_cut = part[junk.end():], True
        if not part or not _ROLE_AT_END.search(part):
            break
        parts.insert(0, part)
        if was_cut or begin == 0 or text[begin - 1] != "、":
            break
        if not _ROLE_AT_END.search(text[max(0, begin - 13):begin - 1]):
            break
        pos = begin - 1
    while parts and _is_honorific(parts[0]):
        parts.pop(0)
    title = "、".join(parts)
    return title, end - len(title)


def _comma_title(text: str, start: int) -> str:
    """A title printed before `start` and a comma, for the same person (管委会副主任,“双改”…)."""
    if start < 2 or text[start - 1] not in ",，":
        return ""
    title, offset = title_before(text, start - 1)
    # Only a title that stands on its own: it begins the clause or the sentence.
    if not title or (offset > 0 and text[offset - 1] not in _HARD):
        return ""
    return title


def titled(text: str, name: str, start: int) -> TitledName | None:
    """`name`, printed at text[start], with the title printed right before it; None if none is."""
    if not _ROLE_AT_END.search(text[max(0, start - 8):start]):
        return None
    title, offset = title_before(text, start)
    if not title:
        return None
    first = _comma_title(text, offset)
    if first:
        return TitledName(name, first, [title], offset - len(first) - 1)
    return TitledName(name, title, [], offset)


def find_titled_names(text: str, known: frozenset[str] = frozenset(),
                      places: frozenset[str] = frozenset()) -> list[TitledName]:
    """Every name printed right after a title, in order, with the title as printed."""
    found = []
    for m in ROLE_RE.finditer(text):
        end = m.end()
        if end >= len(text):
            continue
        name = names.name_at(text, end, known, places)
        if not name:
            continue
        result = titled(text, name, end)
        if result:
            found.append(result)
    return found


_DECK_LEAD = re.compile(r"^[\s—\-－─―]*(?:专访|访|对话)")


def parse_deck(deck: str, places: frozenset[str] = frozenset()) -> TitledName | None:
    """The interviewee of a deck such as ——访郑东新区党工委书记孙建功, or None."""
    m = _DECK_LEAD.match(deck or "")
    if not m:
        return None
    rest = deck[m.end():].strip().rstrip("。.!！")
    best = None
    for role in ROLE_RE.finditer(rest):
        name = rest[role.end():]
        if 2 <= len(name) <= 4 and names.is_plausible_name(name, places):
            best = TitledName(name, rest[:role.end()], [], m.end())
    return best


# An organisation in a title is named in full when a place or a locality leads it
# (郑东新区应急管理局, 西辛庄村党支部, 豫兴路办事处), not 宣传部 or 市人大常委会.
_LOCALITY = re.compile(r"^(?:中共|中国|国家|河南|郑州|[\u4e00-\u9fff]{2,6}?(?:省|市|县|区|镇|乡|村|路|街道|办事处|城|社区))")


def organizations_in_title(title: str, places: Iterable[str] = ()) -> list[str]:
    """The organisations a title names in full (郑东新区应急管理局 of its 局长), in order."""
    orgs = []
    for part in re.split(r"[、,，兼]", title):
        role = _ROLE_AT_END.search(part)
        if not role:
            continue
        m = _ORG_PREFIX.match(part[:role.start()])
        if not m:
            continue
        org = m.group(0)
        suffix = next(s for s in ORG_SUFFIXES if org.endswith(s))
        if org[:-len(suffix)] in _BARE_QUALIFIERS or ROLE_RE.search(org):
            continue
        if _LOCALITY.match(org) or gazetteer.longest_prefix(org, places):
            orgs.append(org)
    return orgs
