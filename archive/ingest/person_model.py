"""A character CRF that marks personal names in running text (plain Python, no Django).

Each character is tagged B (a name begins), I (inside a name) or O from the characters
around it; the model was trained by `archive/ingest/train_person_model.py` on the
People's Daily corpus's tagged days (its `nr` words), never on the days kept back for
evaluation. The model file ships with the code (`person_model.crfsuite`, 0.8 MB), so
a fresh clone has it. `crf` reads its weights and decodes many clauses at once with numpy
(the labels python-crfsuite would give, at a fraction of its per-call cost); python-crfsuite
itself gives the marginals of the second opinion.

The model proposes; `entities` confirms (a known place, title or common word is not a
person).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from archive.ingest import crf
from archive.ingest.names import SURNAMES

MODEL = Path(__file__).with_name("person_model.crfsuite")
# Names are at most this long (樱内义雄, 切尔诺梅尔金, 汤马索·姜尼拉 with its dot).
MAX_NAME = 12
# Text is tagged a clause at a time: a name never spans these, and short sequences keep
# the tagger's memory flat.
_CLAUSE = re.compile(r"[^。！？；\n]+[。！？；]?")

_NAME_TAGS = re.compile("BI*")

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
    """python-crfsuite's tagger, for the marginals of the second opinion (see find_names_cued)."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL))
        _local.tagger = tagger
    return tagger


_KINDS = "hdap"
_PAIR_SHIFT = 21  # code points fit in 21 bits: a pair of them is one int64 key


class _Scorer:
    """The model's state scores for many characters at once: `features` as table lookups.

    Each template of `features` (c, l, r, L, R: a character at an offset; b, n: a pair;
    k: two kinds; s, S: surname flags) becomes a table of weights per label, and a
    character's score is the sum of its rows in `features`' order, which is crfsuite's, so
    the sums are the same to the last bit."""

    def __init__(self, weights: crf.Weights):
        labels = len(weights.labels)
        self.transition = weights.transition
        self.letters = np.frombuffer("".join(weights.labels).encode("ascii"), dtype=np.uint8)
        single: dict[str, dict[str, np.ndarray]] = {t: {} for t in "clrLR"}
        pairs: dict[str, dict[int, np.ndarray]] = {"b": {}, "n": {}}
        self.kinds = np.zeros((len(_KINDS), len(_KINDS), labels))
        self.flags = {"s": np.zeros(labels), "S": np.zeros(labels)}
        for (attribute, label), weight in weights.state.items():
            template, rest = attribute[0], attribute[1:]
            if template in single:
                single[template].setdefault(rest, np.zeros(labels))[label] = weight
            elif template in pairs:
                key = ord(rest[0]) << _PAIR_SHIFT | ord(rest[1])
                pairs[template].setdefault(key, np.zeros(labels))[label] = weight
            elif template == "k":
                self.kinds[_KINDS.index(rest[0]), _KINDS.index(rest[1]), label] = weight
            else:
                self.flags[attribute][label] = weight
        chars = sorted({c for table in single.values() for c in table})
        self.chars = np.array([ord(c) for c in chars], dtype=np.int64)
        # Row 0 of every table is the zero row of a character or pair the model never saw.
        self.single = {}
        for template, table in single.items():
            rows = np.zeros((len(chars) + 1, labels))
            for i, c in enumerate(chars, 1):
                if c in table:
                    rows[i] = table[c]
            self.single[template] = rows
        self.pairs = {}
        for template, table in pairs.items():
            keys = np.array(sorted(table), dtype=np.int64)
            rows = np.zeros((len(keys) + 1, labels))
            for i, key in enumerate(keys.tolist(), 1):
                rows[i] = table[key]
            self.pairs[template] = (keys, rows)
        self._char_facts: dict[str, tuple[int, bool]] = {}

    def _row(self, keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        at = np.searchsorted(keys, wanted)
        found = keys[np.minimum(at, len(keys) - 1)] == wanted
        return np.where(found, at + 1, 0)

    def scores(self, padded: str, at: np.ndarray) -> np.ndarray:
        """State scores (len(at) x labels) of the characters of `padded` at `at`, each with
        two characters of context either side."""
        points = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        distinct, inverse = np.unique(points, return_inverse=True)
        facts = self._char_facts
        kinds, surnames = np.empty(len(distinct), dtype=np.intp), np.empty(len(distinct), dtype=bool)
        for i, point in enumerate(distinct.tolist()):
            c = chr(point)
            fact = facts.get(c)
            if fact is None:
                fact = facts[c] = (_KINDS.index(_kind(c)), c in SURNAMES)
            kinds[i], surnames[i] = fact
        row = self._row(self.chars, distinct)[inverse]
        kind, surname = kinds[inverse], surnames[inverse]
        out = self.single["c"][row[at]]
        out += self.single["l"][row[at - 1]]
        out += self.single["r"][row[at + 1]]
        out += self.single["L"][row[at - 2]]
        out += self.single["R"][row[at + 2]]
        for template, before in (("b", at - 1), ("n", at)):
            keys, rows = self.pairs[template]
            out += rows[self._row(keys, points[before] << _PAIR_SHIFT | points[before + 1])]
        out += self.kinds[kind[at], kind[at + 1]]
        out[surname[at]] += self.flags["s"]
        out[surname[at - 1]] += self.flags["S"]
        return out


_loading = threading.Lock()
_scorer_instance: _Scorer | None = None


def _scorer() -> _Scorer:
    global _scorer_instance
    with _loading:
        if _scorer_instance is None:
            _scorer_instance = _Scorer(crf.read_weights(MODEL))
    return _scorer_instance


def tag_clauses(clauses: Sequence[str]) -> list[str]:
    """The model's labels (B, I, O) of each clause's characters, as a string per clause;
    the same labels python-crfsuite's tagger gives `features(clause)`, all clauses decoded
    together."""
    if not clauses:
        return []
    scorer = _scorer()
    lengths = np.fromiter(map(len, clauses), dtype=np.int64, count=len(clauses))
    rows = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # Each clause with its own context marks, as `features` pads it: \x02\x02 clause \x03\x03.
    padded = "\x02\x02" + "\x03\x03\x02\x02".join(clauses) + "\x03\x03"
    at = np.arange(int(lengths.sum())) + 4 * np.repeat(np.arange(len(clauses)), lengths) + 2
    labels = crf.viterbi(scorer.scores(padded, at), rows, lengths, scorer.transition)
    letters = scorer.letters[labels].tobytes().decode("ascii")
    return [letters[start:start + length] for start, length in zip(rows.tolist(), lengths.tolist())]


def _clauses(text: str) -> list[tuple[int, str]]:
    # A clause of one character holds no name.
    return [(m.start(), m.group()) for m in _CLAUSE.finditer(text) if len(m.group()) >= 2]


@contextmanager
def batch(texts: Iterable[str]):
    """Tag every clause of `texts` at once, for the `find_names` calls made inside: one
    decoding for a page's articles instead of one per text (a loop step costs about as
    much for one clause as for a hundred)."""
    clauses = list(dict.fromkeys(clause for text in texts for _, clause in _clauses(text)))
    previous = getattr(_local, "tagged", None)
    _local.tagged = dict(zip(clauses, tag_clauses(clauses)))
    try:
        yield
    finally:
        _local.tagged = previous


def spans_of(tags: str) -> list[tuple[int, int]]:
    """[start, end) of each B I* run of a clause's labels (tag_clauses' strings)."""
    return [m.span() for m in _NAME_TAGS.finditer(tags)]


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
    clauses = _clauses(text)
    tagged = getattr(_local, "tagged", None) or {}
    missing = [clause for _, clause in clauses if clause not in tagged]
    fresh = dict(zip(missing, tag_clauses(missing)))
    found, cued = [], []
    for offset, clause in clauses:
        tags = tagged.get(clause) or fresh[clause]
        for start, end in spans_of(tags):
            if 2 <= end - start <= MAX_NAME:
                found.append((offset + start, clause[start:end]))
        if cue is None:
            continue
        tagger = None
        for c in cue.finditer(clause):
            start = c.end()
            if start >= len(clause) - 1 or tags[start] != "O":
                continue
            # Marginals are python-crfsuite's, read only where a cue lands.
            if tagger is None:
                tagger = _tagger()
                tagger.set(features(clause))
            if tagger.marginal("B", start) < CUED_MARGINAL:
                continue
            end = start + 1
            while end < len(clause) and tags[end] == "O" and end - start <= MAX_NAME \
                    and tagger.marginal("I", end) >= CUED_MARGINAL:
                end += 1
            if 2 <= end - start <= MAX_NAME:
                cued.append((offset + start, clause[start:end], offset + c.start()))
    return found, cued
