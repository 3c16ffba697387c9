"""Text analysis for Chinese newspaper text: jieba words and CJK character grams.

Two analyzers, both used at index AND query time (whoosh stores them pickled in
the index schema, so they hold no jieba or Django objects, only plain settings):

* `jieba_analyzer()` — jieba words, each at its own *word* position, with the
  dictionary sub-words of long words (what jieba's search mode adds) sharing
  their word's position. Word positions make quoted phrases work; sub-words let
  科技 find 科技城市. Used for ranking and for the `text`/`headline` fields.

* `gram_analyzer()` — every CJK character and every pair of neighbours, at
  character positions; Latin and digit runs as whole lowercased words. A query
  string becomes its pairs, searched as a phrase (exactly where the string occurs)
  or as an AND (search.query says when), however jieba cut the text around it:
  中原科技城 is 中原/科技/城 alone but 中原/科技/城将 in 中原科技城将…. This is the
  recall guarantee.

Both squeeze out whitespace between two CJK characters (the OCR'd pages print
"孙建 功" and "郑 东 新 区"), keep character offsets pointing into the original
text, and never cross punctuation with a phrase (punctuation leaves a position gap).
"""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from whoosh.analysis import LowercaseFilter, Token, Tokenizer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3007"
CJK_CHAR = re.compile(f"[{_CJK}]")
# Whitespace between two CJK characters is a line-wrap or OCR artefact, unless it
# is a paragraph break (two newlines), which must keep words apart.
_INNER_SPACE = re.compile(f"(?<=[{_CJK}])(?=\\s)[^\\S\\n]*\\n?[^\\S\\n]*(?=[{_CJK}])")

# Full-width ASCII (ＲＣＥＰ, ２０２０) and the ideographic space map one-to-one onto
# ASCII, so offsets stay valid.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

_jieba_lock = threading.Lock()
_jieba = None  # search's own tokenizer: the main dictionary plus the archive's names
_opencc = threading.local()  # an OpenCC object cannot be pickled, so it never sits on an analyzer


def normalize(text: str) -> str:
    """Length-preserving normalisation shared by indexing, querying and highlighting:
    full-width to ASCII, traditional to simplified (鄭東新區 → 郑东新区)."""
    return to_simplified(text.translate(_WIDTH))


def to_simplified(text: str) -> str:
    """OpenCC t2s, kept to the input's length so character offsets stay valid.

    t2s maps character for character on news prose; should a phrase rule ever
    change the length, that line is converted one character at a time instead.
    """
    if not _NON_ASCII.search(text):
        return text
    converter = getattr(_opencc, "t2s", None)
    if converter is None:
        import opencc

        converter = _opencc.t2s = opencc.OpenCC("t2s.json")
    out = converter.convert(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c) == 1 else ch for ch, c in ((ch, converter.convert(ch)) for ch in line))
        lines.append(converted)
    return "\n".join(lines)


def squeeze(text: str) -> tuple[str, list[int]]:
    """Drop whitespace inside CJK runs; return the text and each kept char's original offset."""
    if not _INNER_SPACE.search(text):
        return text, list(range(len(text)))
    kept, offsets, last = [], [], 0
    for m in _INNER_SPACE.finditer(text):
        kept.append(text[last:m.start()])
        offsets.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    offsets.extend(range(last, len(text)))
    return "".join(kept), offsets


def get_jieba():
    """Search's own jieba tokenizer, initialised once per process with the cache file in our data folder.

    Its own, not the process-global `jieba.dt`: the archive's names are added to it, and
    the parser (archive.ingest.names, with a tokenizer of its own) must not see them.
    jieba unmarshals its cache without checks, so the cache must live in a folder we own
    (settings.JIEBA_CACHE_FILE), never the shared /tmp default.
    """
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                tokenizer = jieba.Tokenizer()
                cache = _cache_file()
                if cache:
                    tokenizer.tmp_dir, tokenizer.cache_file = str(cache.parent), cache.name
                    cache.parent.mkdir(parents=True, exist_ok=True)
                jieba.setLogLevel(logging.WARNING)  # it logs dictionary loading to stderr at DEBUG
                tokenizer.initialize()
                _jieba = tokenizer
    _load_names(_jieba)
    return _jieba


# The archive's names (persons, organisations, districts) as jieba words, so 孙建功
# is one token. search.names writes them to a file in the data folder whenever they
# change; every process re-reads it when its modification time moves.
_names_state = {"mtime": None, "words": frozenset()}


def _load_names(dt):
    path = _setting_path("JIEBA_USER_DICT")
    try:
        mtime = path.stat().st_mtime_ns if path else None
    except OSError:
        mtime = None
    if mtime == _names_state["mtime"]:
        return
    with _jieba_lock:
        if mtime == _names_state["mtime"]:
            return
        words = frozenset()
        if mtime is not None:
            words = frozenset(w for w in path.read_text(encoding="utf-8").split() if w)
        for word in _names_state["words"] - words:
            dt.del_word(word)
        for word in words - _names_state["words"]:
            dt.add_word(word)  # no frequency: jieba picks one that keeps the word whole
        _names_state.update(mtime=mtime, words=words)


def _cache_file():
    return _setting_path("JIEBA_CACHE_FILE")


def _setting_path(name):
    try:
        from django.conf import settings

        value = getattr(settings, name, None)
    except Exception:  # whoosh tools unpickling an index outside Django
        value = None
    return Path(value) if value else None


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


class JiebaTokenizer(Tokenizer):
    """jieba words at word positions; in index mode, dictionary sub-words share the position.

    Query mode emits only the words, so the tokens of a query are consecutive and a
    phrase of them matches the same words in the text. Punctuation advances the
    position without a token, so a phrase never matches across a comma.
    """

    def __init__(self, hmm=True, subwords=True):
        self.hmm = hmm
        self.subwords = subwords

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(t, value, positions, chars, start_pos, start_char)
            return
        text, offsets = squeeze(normalize(value))
        dt = get_jieba()
        freq = dt.FREQ
        with_subwords = self.subwords and mode != "query"
        pos, at = start_pos, 0
        for word in dt.cut(text, HMM=self.hmm):
            begin, at = at, at + len(word)
            if not _is_word(word):
                if not word.isspace():
                    pos += 1  # punctuation: a gap, so phrases stop here
                continue
            pieces = [(word, begin)]
            if with_subwords and len(word) > 2 and CJK_CHAR.match(word):
                for n in (2, 3):
                    if len(word) > n:
                        pieces += [(word[i:i + n], begin + i) for i in range(len(word) - n + 1)
                                   if freq.get(word[i:i + n])]
            for piece, start in pieces:
                t.text = piece
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = piece
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + offsets[start]
                    t.endchar = start_char + offsets[start + len(piece) - 1] + 1
                yield t
            pos += 1


class CjkGramTokenizer(Tokenizer):
    """CJK unigrams and bigrams at character positions; Latin/digit runs as words.

    Index mode: at each CJK character's position, the character and the pair it starts.
    Query mode: the pairs only, so a phrase of them matches exactly where the string
    occurs and an AND of them nearly so (a lone character stays a unigram).
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(t, value, positions, chars, start_pos, start_char)
            return
        text, offsets = squeeze(normalize(value))
        query = mode == "query"
        pos = start_pos
        runs = list(_runs(text))
        for n, (kind, start, end) in enumerate(runs):
            if kind == "gap":
                pos += 1
                continue
            if kind == "word":
                pieces = [(pos, start, end)]
                pos += 1
            else:  # a CJK run
                # A query needs a run's last character alone only when it is the whole
                # run, or when a token follows (RCEP in 科技城RCEP) that must sit at the
                # next position; otherwise the last pair already implies it.
                bridge = end - start == 1 or (n + 1 < len(runs) and runs[n + 1][0] != "gap")
                pieces = []
                for i in range(start, end):
                    if not query or (i == end - 1 and bridge):
                        pieces.append((pos, i, i + 1))
                    if i + 1 < end:
                        pieces.append((pos, i, i + 2))
                    pos += 1
            for p, a, b in pieces:
                t.text = text[a:b]
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = p
                if chars:
                    t.startchar = start_char + offsets[a]
                    t.endchar = start_char + offsets[b - 1] + 1
                yield t


# A decimal (3.5) stays one word, as jieba keeps it.
_RUN = re.compile(
    f"(?P<cjk>[{_CJK}]+)|(?P<word>\\d+(?:\\.\\d+)+|[^\\W_{_CJK}]+)|(?P<space>\\s+)|(?P<gap>[\\W_])"
)


def _runs(text):
    """(kind, start, end) for CJK runs, Latin/digit words and punctuation gaps; spaces dropped."""
    for m in _RUN.finditer(text):
        kind = m.lastgroup
        if kind != "space":
            yield kind, m.start(), m.end()


def _whole(t, value, positions, chars, start_pos, start_char):
    t.original = t.text = value
    t.boost = 1.0
    if positions:
        t.pos = start_pos
    if chars:
        t.startchar, t.endchar = start_char, start_char + len(value)
    return t


def jieba_analyzer():
    return JiebaTokenizer() | LowercaseFilter()


def gram_analyzer():
    return CjkGramTokenizer() | LowercaseFilter()


def query_words(text: str) -> list[str]:
    """The jieba words of a query string, as the index sees them (lowercased, no punctuation)."""
    return [t.text for t in jieba_analyzer()(text, mode="query")]
