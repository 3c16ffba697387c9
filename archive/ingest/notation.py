"""The People's Daily notation for characters its typesetting lacked (plain Python, no Django).

The 1998 paper was set in GB2312; a character outside it is printed as a homophone
with 音 in brackets: 何鸿（申音） is 何鸿燊, 曹（凡音）生 a 曹 whose middle character sounds
fán, 陈〈民音〉 a 陈 whose given name sounds mín. The notation must never become part of a
stored name. Where the person is known and their name is printed in full in Unicode
elsewhere, the character is restored (and a character described by its parts is read off the
description); otherwise it stands as UNKNOWN, one character
for one character, and the person page says what that mark means.
"""
from __future__ import annotations

import re

UNKNOWN = "□"  # U+25A1, the typesetter's mark for a character the font lacks (缺字)
# A homophone (何鸿（申音）) or the parts of the character (薛昭（上均＋下金）).
NOTATION = re.compile(r"[（〈(](?:([\u4e00-\u9fff])音|([上下左右][\u4e00-\u9fff][+＋][上下左右][\u4e00-\u9fff]))[）〉)]")
# Inside a name the corpus tags `nr`, any bracket is such a note (林嘉（马来）).
_IN_NAME = re.compile(r"[（〈(][^）〉)]{1,8}[）〉)]")
# Characters described by their parts, read off the description itself: 鋆 is 均 above 金.
PARTS = {"上均＋下金": "鋆", "上均+下金": "鋆"}

# (the characters printed before the notation, the homophone) -> the character, for the
# two people of the corpus whose full names are on record: 何鸿燊 (燊 U+71CA), the Macau
# businessman, and 秦惠䇹 (䇹 U+41F9, CJK Extension A), 李政道's wife, after whom the fund
# the article reports is named; source: the titles of their Chinese Wikipedia articles
# (何鸿燊, 秦惠䇹). The others (曹（凡音）生, 陈〈民音〉, 韩钟（昆音）…) are not decoded: a
# homophone alone does not say which character was meant.
DECODED = {
    ("何鸿", "申"): "燊",
    ("秦惠", "君"): "䇹",
}


def _replace(m: re.Match) -> str:
    if m.group(2):
        return PARTS.get(m.group(2), UNKNOWN)
    text = m.string
    before = text[max(0, m.start() - 2):m.start()]
    return DECODED.get((before, m.group(1)), UNKNOWN)


def normalise(text: str) -> str:
    """`text` with each notation (〈X音〉, （上X＋下Y）) replaced by its character, or UNKNOWN."""
    if "音" not in text and "＋" not in text and "+" not in text:
        return text
    return NOTATION.sub(_replace, text)


def normalise_name(name: str) -> str:
    """A tagged name with its notes decoded or marked: no bracket is ever part of a name."""
    name = normalise(name)
    return _IN_NAME.sub(UNKNOWN, name) if ("（" in name or "〈" in name or "(" in name) else name


def has_unknown(name: str) -> bool:
    return UNKNOWN in name
