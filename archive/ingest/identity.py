"""Article identity across re-ingest: which new article continues which old one.

Plain Python. A page that is loaded again (its file replaced, or re-parsed after a
parser upgrade or an editor's correction) gives a fresh list of articles. Each
stored article keeps its record and its URL when one new article's text is
recognisably the same as its own; one that has no such continuation vanishes, and
its URL then points at the new article that took most of its text (a merge), or at
nothing (the text is gone).

"Recognisably the same" is measured on character pairs of the headline and body:
the Jaccard similarity of two articles' pair sets. A comma added after a byline,
a corrected paragraph or a headline retyped moves it by a few hundredths; an
article merged with its neighbour keeps more than half of its pairs only if it
was the larger of the two. Pairs, not jieba words, so a re-segmentation of the
same text moves nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

# Below this the two texts are different articles, whatever they share.
SAME = 0.5
# An article whose pairs are at least this much inside a new one went into it.
WENT_INTO = 0.6
# Several old articles this much inside one new one were merged into it.
MERGED = 0.9


def fingerprint(headline: str, body: str) -> frozenset[str]:
    """The article's character pairs, whitespace left out (justification spaces move)."""
    text = "".join(f"{headline}\n{body}".split())
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """How much of `part` is inside `whole`."""
    return len(part & whole) / len(part) if part else 0.0


@dataclass(frozen=True)
class Old:
    """A stored article (or a vanished one's tombstone) as the matcher sees it."""

    key: int  # the article id (a tombstone: the id it had)
    number: int  # its permalink number on the page
    text: frozenset[str]
    vanished: bool = False  # a tombstone: the article left an earlier version of the page


@dataclass
class Matching:
    # For each new article (by index): the Old it continues, or None (a new article).
    continues: list[Old | None]
    # Stored articles that have no continuation, with the index of the new article
    # that took their text, or None.
    gone: list[tuple[Old, int | None]]


def match(old: list[Old], new: list[frozenset[str]], pinned: dict[int, int] | None = None) -> Matching:
    """Pair new articles with old ones, most similar first, each used once.

    `pinned` maps a new article's index to the key of the old one it must continue
    (an editor's split keeps the first part's URL whatever the parts' sizes).
    Tombstones take part too: an article that comes back takes back its URL.
    """
    by_key = {o.key: o for o in old}
    continues: list[Old | None] = [None] * len(new)
    used: set[int] = set()
    for index, key in (pinned or {}).items():
        if key in by_key and key not in used and 0 <= index < len(new):
            continues[index] = by_key[key]
            used.add(key)
    pairs = sorted(
        ((similarity(o.text, text), -abs(o.number - (i + 1)), i, o.key)
         for i, text in enumerate(new) if continues[i] is None
         for o in old if o.key not in used),
        reverse=True,
    )
    for score, _, i, key in pairs:
        if score < SAME:
            break
        if continues[i] is None and key not in used:
            continues[i] = by_key[key]
            used.add(key)
    _merges(old, new, continues, used, set((pinned or {})))
    gone = []
    for o in old:
        if o.key in used or o.vanished:
            continue
        best, best_index = 0.0, None
        for i, text in enumerate(new):
            share = containment(o.text, text)
            if share > best:
                best, best_index = share, i
        gone.append((o, best_index if best >= WENT_INTO else None))
    return Matching(continues, gone)


def _merges(old, new, continues, used, pinned):
    """A new article that holds several old ones whole continues the first of them.

    So the first part of a merge keeps its URL (and a split undone gives the article
    back its own), whichever part was the larger.
    """
    for i, text in enumerate(new):
        if i in pinned:
            continue
        current = continues[i]
        group = [o for o in old if not o.vanished and (o.key not in used or o is current)
                 and containment(o.text, text) >= MERGED]
        if current is not None and current not in group:
            group.append(current)
        if len(group) < 2 or similarity(frozenset().union(*(o.text for o in group)), text) < SAME:
            continue
        first = min(group, key=lambda o: o.number)
        if first is not current:
            if current is not None:
                used.discard(current.key)
            continues[i] = first
            used.add(first.key)
