"""The whoosh engine's decoded posting lists (search.engines.whoosh_match._postings): the
same postings whoosh reads, kept within their bound, and a ranking that does not depend
on what is kept."""
import pytest
from haystack import connections

from search import queue
from search.engines import whoosh_match, whoosh_write
from tests.builders import make_article
from tests.test_whoosh_engine import backend  # noqa: F401 (a fresh, empty whoosh index: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept(backend):  # noqa: F811
    whoosh_match._postings_kept.clear()
    whoosh_match._postings_size[0] = 0


@pytest.fixture
def segments(backend, monkeypatch):
    """Three segments, one with deleted documents, and a searcher over them."""
    from search import engines

    monkeypatch.setattr(whoosh_write, "SMALL_SEGMENT", 2)  # each drain's segment stays apart
    monkeypatch.setattr(whoosh_write, "MAX_SEGMENTS", 10)
    articles = []
    for round_ in range(3):
        for i in range(6):
            body = "郑州防汛会议。" * (i % 3 + 1) + "抗旱。" * (i % 2) + "文字" * (5 * i)
            articles.append(make_article(headline="防汛快讯" if i % 2 else "简讯", body=body))
        queue.drain()
    articles[4].delete()
    queue.drain()
    searcher = engines.current()._searcher()
    assert len(searcher.leaf_searchers()) == 3 and searcher.reader().has_deletions()
    return searcher


def _unfiltered(matcher):
    """A segment with deletions wraps its postings in a filter; the lists themselves hold them all."""
    return getattr(matcher, "child", matcher)


def _walked(matcher):
    """(id, weight) of every posting, as whoosh's matcher reads them one at a time."""
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight()))
        matcher.next()
    return out


def test_decoded_postings_are_the_postings_whoosh_reads(segments):
    checked = 0
    for leaf, _ in segments.leaf_searchers():
        reader = leaf.reader()
        for fieldname in ("text", "headline", "grams"):
            if fieldname not in leaf.schema:
                continue
            for btext in list(reader.lexicon(fieldname)):
                ids, weights = whoosh_match._postings(leaf, _unfiltered(reader.postings(fieldname, btext)))
                expected = _walked(_unfiltered(reader.postings(fieldname, btext)))
                assert list(zip(ids.tolist(), weights.tolist())) == expected
                checked += 1
    assert checked > 50


def test_kept_postings_stay_within_their_bound(segments, settings):
    from search.query import parse

    settings.SEARCH_POSTINGS_KEPT = 20
    for text in ("防汛", "郑州 防汛", "抗旱", "文字", "简讯"):
        q = parse(text).whoosh(connections["default"].get_backend().schema)
        whoosh_match.top(segments, q, whoosh_match.matching(segments, q), 10)
        kept = sum(len(ids) for ids, _ in whoosh_match._postings_kept.values())
        assert kept == whoosh_match._postings_size[0] <= 20
    assert whoosh_match._postings_kept  # short lists are kept


@pytest.mark.parametrize("kept", [0, 2_000_000])
def test_the_ranking_is_the_same_whatever_is_kept(segments, settings, kept):
    """Every match ranked as whoosh's full search ranks it, with nothing kept and with all kept,
    asked twice (the second time from what was kept)."""
    from search.query import parse

    settings.SEARCH_POSTINGS_KEPT = kept
    for text in ("防汛", "郑州 防汛", "防汛 OR 抗旱", "防汛 -抗旱", '"防汛会议"'):
        q = parse(text).whoosh(connections["default"].get_backend().schema)
        everything = [d for _, d in segments.search(q, limit=None).top_n]
        for _ in range(2):
            assert whoosh_match.top(segments, q, whoosh_match.matching(segments, q), 100) == everything
    assert bool(whoosh_match._postings_kept) == bool(kept)


def test_the_array_bm25_is_whooshs_float_for_float():
    import random

    import numpy as np
    from whoosh import scoring

    rng = random.Random(7)
    for _ in range(200):
        idf, avgfl = rng.uniform(0.5, 12), rng.uniform(1, 3000)
        B, K1 = rng.choice([(0.75, 1.2), (rng.random(), rng.uniform(0.5, 3))])
        tf = [float(np.float32(rng.uniform(0.1, 60))) for _ in range(30)]
        fl = [float(rng.randint(1, 60000)) for _ in range(30)]
        got = whoosh_match.bm25(idf, np.array(tf), np.array(fl), avgfl, B, K1).tolist()
        assert got == [scoring.bm25(idf, t, f, avgfl, B, K1) for t, f in zip(tf, fl)]


@pytest.mark.parametrize("text", ["郑州防汛", "防汛 OR 抗旱 OR 文字", "防汛会议 -抗旱"])
def test_an_or_whoosh_would_preload_is_summed_by_the_ranking_not_when_built(segments, monkeypatch, text):
    """In a segment of up to 5,000 documents whoosh builds an OR of three or more parts as an
    ArrayUnionMatcher, which scores every posting as it is made; the ranking leaves it
    unread and sums its parts the same way, to the same order."""
    from whoosh.matching.combo import ArrayUnionMatcher

    from search.query import parse

    q = parse(text).whoosh(connections["default"].get_backend().schema)
    everything = [d for _, d in segments.search(q, limit=None).top_n]

    def never(self):
        raise AssertionError("an OR was preloaded")

    monkeypatch.setattr(ArrayUnionMatcher, "_read_part", never)
    assert whoosh_match.top(segments, q, whoosh_match.matching(segments, q), 100) == everything
