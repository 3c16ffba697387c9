"""A character CRF that marks personal names in running text (plain Python, no Django).

Each character is tagged B (a name begins), I (inside a name) or O from the characters
around it; the model was trained by `archive/ingest/train_person_model.py` on the
People's Daily corpus's tagged days (its `nr` words), never on the days kept back for
evaluation. The model file ships with the code (`person_model.crfsuite`, 0.8 MB), so
a fresh clone has it; python-crfsuite reads it.

The model proposes; `entities` confirms (a known place, title or common word is not a
person).
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from archive.ingest.names import SURNAMES

MODEL = Path(__file__).with_name("person_model.crfsuite")
# Names are at most this long (樱内义雄, 切尔诺梅尔金, 汤马索·姜尼拉 with its dot).
MAX_NAME = 12
# Text is tagged a clause at a time: a name never spans these, and short sequences keep
# the tagger's memory flat.
_CLAUSE = re.compile(r"[^。！？；\n]+[。！？；]?")

_local = threading.local()


def _kind(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff":
        return "h"
    if ch.isdigit():
        return "d"
    if ch.isalpha():
        return "a"
    return "p"


def features(text: str) -> list[list[str]]:
    """The features of each character: itself and its neighbours, pairs around it,
    whether it or the one before is a common surname, and the kinds of it and the next
    (hanzi, digit, letter, mark). Built with zips over shifted copies of the text: the
    ingest runs this on every character, so it is written for speed."""
    surnames = SURNAMES
    kinds = "".join(map(_kind, text)) + "pp"
    before2, before = "\x02\x02" + text, "\x02" + text
    after, after2 = text[1:] + "\x03", text[2:] + "\x03\x03"
    out = []
    for ll, left, c, right, rr, k, kr in zip(before2, before, text, after, after2, kinds, kinds[1:]):
        f = ["c" + c, "l" + left, "r" + right, "L" + ll, "R" + rr, "b" + left + c, "n" + c + right, "k" + k + kr]
        if c in surnames:
            f.append("s")
        if left in surnames:
            f.append("S")
        out.append(f)
    return out


def labels(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """B/I/O for each character of `text`, given the names' [start, end) spans."""
    out = ["O"] * len(text)
    for start, end in spans:
        out[start] = "B"
        for k in range(start + 1, end):
            out[k] = "I"
    return out


def _tagger():
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL))
        _local.tagger = tagger
    return tagger


def spans_of(tags: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each B I* run."""
    spans, start = [], None
    for i, t in enumerate(tags):
        if t == "B":
            if start is not None:
                spans.append((start, i))
            start = i
        elif t != "I" and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(tags)))
    return spans


# Where the model is asked a second time: a span it left out but gives this marginal
# probability to, right where the context expects a name (after a title, after 叫).
CUED_MARGINAL = 0.25


def find_names(text: str) -> list[tuple[int, str]]:
    """(offset, name) of each name the model marks in `text`, in order."""
    return find_names_cued(text)[0]


def find_names_cued(text: str, cue: re.Pattern | None = None) -> tuple[list[tuple[int, str]], list[tuple[int, str, int]]]:
    """The names the model marks in `text`, and the names it only thinks likely (each of
    their characters at least CUED_MARGINAL a name's) where `cue` ends: 大臣|瓦力, 主席|埃尔巴坎,
    叫|晋朝荣, as (offset, name, offset of the cue). Marginals are read only there, so the
    second opinion costs little."""
    tagger = _tagger()
    found, cued = [], []
    for m in _CLAUSE.finditer(text):
        clause = m.group()
        # A clause of one character holds no name.
        if len(clause) < 2:
            continue
        tags = tagger.tag(features(clause))
        for start, end in spans_of(tags):
            if 2 <= end - start <= MAX_NAME:
                found.append((m.start() + start, clause[start:end]))
        if cue is None:
            continue
        for c in cue.finditer(clause):
            start = c.end()
            if start >= len(clause) - 1 or tags[start] != "O" or tagger.marginal("B", start) < CUED_MARGINAL:
                continue
            end = start + 1
            while end < len(clause) and tags[end] == "O" and end - start <= MAX_NAME \
                    and tagger.marginal("I", end) >= CUED_MARGINAL:
                end += 1
            if 2 <= end - start <= MAX_NAME:
                cued.append((m.start() + start, clause[start:end], m.start() + c.start()))
    return found, cued
