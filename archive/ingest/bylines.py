"""Bylines: who reported, corresponded and photographed an article.

Plain Python. A byline is recognised only when the whole string is made of role
words (记者, 通讯员, 摄影, 文/图, 摄) and names, so that a body sentence such as
"记者了解到" is never taken for one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.ingest.names import surname_length

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = re.compile(rf"[{_CJK}]{{2,4}}")
# Longest first: the alternation takes the first that matches.
_ROLE = re.compile(r"(摄影记者|记者|通讯员|实习生|摄影|文/图|图/文|文／图|图／文|摄)")
# What may stand before 记者: a paper or agency (正观新闻·郑州晚报, 本报, 新华社) or a rank.
_MEDIA_PREFIX = re.compile(
    rf"[{_CJK}·A-Za-z]{{0,14}}(?:报|社|台|网|新闻|刊|客户端|见习|实习|特约|特派|首席|驻[{_CJK}]{{1,4}})"
)
_SEPARATORS = re.compile(r"[\s、]+")
# Words that fit the 2–4 character name pattern but are verbs after 记者 in running text.
_NOT_NAMES = frozenset(
    "了解 了解到 获悉 发现 看到 注意到 采访 表示 介绍 指出 走访 来到 调查 一行".split()
)
_OPEN, _CLOSE = "(（[【", ")）]】"
# An author printed without a name: the paper's or agency's commentator (本报评论员,
# 新华社特约评论员) or the editor's note (编辑点评). Only a line that is nothing else.
_AUTHOR_ONLY = re.compile(
    rf"^(?:[{_CJK}·]{{0,12}}(?:报|社|台|网|刊))?(?:特约|首席)?(?:评论员|观察员|述评员)$|^编辑(?:点评|手记|按)$"
)
# 本报记者王楚, 本报驻南非记者温宪, 新华社记者王永治牛爱民: a line that is only the
# media, 记者 and names set solid, as People's Daily prints it above the text.
_SOLID = re.compile(rf"^((?:[{_CJK}·]{{0,14}}?(?:报|社|台|网|新闻))(?:驻[{_CJK}]{{1,6}})?(?:特约|特派|首席|见习|实习)?"
                    rf"(?:摄影)?记者)([{_CJK}]{{2,12}})$")
# Where the next media-and-记者 run of a solid byline starts (after a name, or a 、 or ，).
# Only the agencies and papers that share bylines this way are looked for: a general
# pattern would also match inside the names.
_SOLID_PARTS = re.compile(rf"[、，,]|(?<=[{_CJK}])(?=(?:本报|新华社|中新社|人民日报|人民网|新华网|解放军报|经济日报"
                          rf"|光明日报|中央电视台)(?:驻[{_CJK}]{{1,6}})?(?:特约|特派|首席|见习|实习)?(?:摄影)?记者)")
_FINAL = "。！？!?"
# A comma or stop typed after a byline (记者 马燕 文/图，) does not make it prose.
_TRAILING = "，,、；;。.：:"
_CLOSERS = "”’」』"
MAX_BYLINE = 60


@dataclass
class Byline:
    text: str  # as printed, whitespace collapsed
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    photo: bool = False

    def merge(self, other: "Byline") -> None:
        """Add a byline printed on the next line (通讯员 … under 记者 …)."""
        self.text = f"{self.text} {other.text}".strip()
        for mine, theirs in ((self.reporters, other.reporters),
                             (self.correspondents, other.correspondents),
                             (self.photographers, other.photographers)):
            mine.extend(n for n in theirs if n not in mine)
        self.photo = self.photo or other.photo


def _names(chunk: str) -> list[str] | None:
    """The names in a chunk between role words, or None if anything else is there."""
    names = [t for t in _SEPARATORS.split(chunk.strip()) if t]
    if all(_NAME.fullmatch(n) and n not in _NOT_NAMES for n in names):
        return names
    return None


def _add(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)


def split_solid_names(run: str) -> list[str] | None:
    """Names printed without a gap (何伟余继军 → 何伟, 余继军), or None if they do not split cleanly.

    Each name is a surname and one or two given characters; of the ways to cut
    the run, the one with the fewest names wins, and among those the one whose
    names are three characters long first (the commonest length).
    """
    best: list[str] | None = None

    def cuts(i: int, taken: list[str]) -> None:
        nonlocal best
        if i == len(run):
            if best is None or (len(taken), [-len(n) for n in taken]) < (len(best), [-len(n) for n in best]):
                best = list(taken)
            return
        surname = surname_length(run, i)
        if not surname:
            return
        for size in (surname + 2, surname + 1):
            name = run[i:i + size]
            if len(name) == size and name not in _NOT_NAMES:
                cuts(i + size, taken + [name])

    if len(run) <= 12:
        cuts(0, [])
    return best


def author_only(text: str) -> bool:
    """Whether `text` is an author printed without a name (本报评论员, 新华社特约评论员, 编辑点评)."""
    return _AUTHOR_ONLY.match(" ".join(text.split())) is not None


def _solid_byline(printed: str) -> Byline | None:
    if "记者" not in printed and "员" not in printed and "编辑" not in printed:
        return None
    if _AUTHOR_ONLY.match(printed):
        return Byline(printed)
    byline = Byline(printed)
    # 新华社记者李争艳本报记者彭嘉陵: one media-and-记者 run after another.
    for part in _SOLID_PARTS.split(printed.replace(" ", "")):
        if not part:
            continue
        match = _SOLID.match(part)
        if not match:
            return None
        run = match.group(2)
        # A name whose surname the list lacks (果永毅) is taken whole when it has a name's length.
        names = split_solid_names(run) or ([run] if len(run) <= 3 and run not in _NOT_NAMES else None)
        if not names:
            return None
        if "摄影" in match.group(1):
            byline.photo = True
            _add(byline.photographers, names)
        else:
            _add(byline.reporters, names)
    return byline if byline.reporters or byline.photographers else None


def parse_byline(text: str) -> Byline | None:
    """Parse `记者 马燕 通讯员 李盼 文/图`, `（记者王阳）`, `王阳 摄` and the like; None if not a byline."""
    if len(text) > 4 * MAX_BYLINE:
        return None
    printed = " ".join(text.split())
    if not printed or len(printed) > MAX_BYLINE:
        return None
    solid = _solid_byline(printed)
    if solid is not None:
        return solid
    core = printed.rstrip(_TRAILING).rstrip()
    if not core:
        return None
    bracketed = core[0] in _OPEN and core[-1] in _CLOSE
    if bracketed:
        core = core[1:-1].strip()
    parts = _ROLE.split(core)
    if len(parts) < 3:
        return None
    lead, roles, chunks = parts[0], parts[1::2], parts[2::2]
    byline = Byline(printed)
    last: list[str] = []
    if lead.strip():
        if roles[0] == "摄":
            last = _names(lead) or []
            if not last or (not lead[-1].isspace() and not bracketed):
                return None
        elif not (roles[0] in ("记者", "摄影记者") and _MEDIA_PREFIX.fullmatch(lead)):
            return None
    for role, chunk in zip(roles, chunks):
        names = _names(chunk)
        if names is None:
            return None
        # Unbracketed, a name is set off from its role by a space: "记者 王阳", not "记者了解到".
        if names and not bracketed and not chunk[:1].isspace():
            return None
        if role == "摄":
            if names:
                return None
            _add(byline.photographers, last)
            byline.photo = True
        elif role in ("文/图", "图/文", "文／图", "图／文"):
            byline.photo = True
            _add(byline.reporters, names)
            _add(byline.photographers, names)
        elif role in ("摄影", "摄影记者"):
            byline.photo = True
            _add(byline.photographers, names)
        elif role == "通讯员":
            _add(byline.correspondents, names)
        else:  # 记者, 实习生
            _add(byline.reporters, names)
        last = names
    if not (byline.reporters or byline.correspondents or byline.photographers):
        return None
    return byline


def split_runon(line: str) -> tuple[str, Byline] | None:
    """Split a byline printed on the last paragraph's line: `…身边。正观新闻·郑州晚报记者 王译博`.

    Only what follows the line's last sentence-final mark is tried, so the cost
    stays linear in the line whatever its length.
    """
    cut = max(line.rfind(mark) for mark in _FINAL)
    if cut < 0:
        return None
    end = cut + 1
    while end < len(line) and line[end] in _CLOSERS:
        end += 1
    tail = line[end:].strip()
    if not tail or len(tail) > MAX_BYLINE:
        return None
    byline = parse_byline(tail)
    if byline is None:
        return None
    return line[:end], byline
