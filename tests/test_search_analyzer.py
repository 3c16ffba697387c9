"""The analyzers on their own: token positions, phrases across jieba's cuts, pickling."""
import pickle
from pathlib import Path

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import AndGroup, MultifieldParser, QueryParser

from search.analyzer import gram_analyzer, jieba_analyzer, query_words, squeeze


def tokens(analyzer, text, mode="index"):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode=mode)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    # A FileStorage in our own folder: RamStorage spills to a fixed /tmp name shared by processes.
    schema = Schema(
        key=ID(stored=True, unique=True),
        text=TEXT(analyzer=jieba_analyzer(), phrase=True),
        grams=TEXT(analyzer=gram_analyzer(), phrase=True),
    )
    index = FileStorage(str(tmp_path_factory.mktemp("whoosh"))).create_index(schema)
    docs = {
        "city-will": "中原科技城将加快建设国家中心城市群。",
        "ocr": "郑东新区党工委书记孙建 功\n表 示，要推动发展。",
        "health": "郑州成功创建国家卫生城市。",
        "split": "国家卫生，城市环境。",
        "latin": "ＲＣＥＰ协定生效，COVID-19疫情后3.5亿元投资。",
        "xinzheng": "新郑市委书记马宏伟表示。",
    }
    with index.writer() as writer:
        for key, text in docs.items():
            writer.add_document(key=key, text=text, grams=text)
    with index.searcher() as s:
        yield s, index.schema


def found(searcher, field, query_text):
    s, schema = searcher
    if field == "both":
        parser = MultifieldParser(["text", "grams"], schema, group=AndGroup)
    else:
        parser = QueryParser(field, schema)
    return {hit["key"] for hit in s.search(parser.parse(query_text), limit=None)}


def test_jieba_tokens_carry_word_positions_and_subwords_share_them():
    """Each jieba word takes one position; a long word's dictionary sub-words sit at its position."""
    toks = tokens(jieba_analyzer(), "国家中心城市群")
    assert [(t, p) for t, p, _, _ in toks] == [
        ("国家", 0), ("中心", 1), ("城市群", 2), ("城市", 2),
    ]
    assert all("国家中心城市群"[s:e] == t for t, _, s, e in toks)


def test_query_mode_has_no_subwords():
    """At query time only the words come out, so their positions are consecutive."""
    assert [t for t, *_ in tokens(jieba_analyzer(), "国家中心城市群", mode="query")] == ["国家", "中心", "城市群"]


def test_whitespace_inside_chinese_words_is_ignored_but_offsets_point_at_the_source():
    """OCR's "孙建 功" analyses as 孙建功, and the offsets still slice the original text."""
    text = "书记孙建 功\n表 示"
    assert squeeze(text)[0] == "书记孙建功表示"
    toks = tokens(jieba_analyzer(), text)
    assert [t for t, *_ in toks][:3] == ["书记", "孙", "建功"]
    assert ("建功", 2, 3, 6) in toks  # "建 功" in the source
    grams = tokens(gram_analyzer(), text)
    assert ("功表", 4, 5, 8) in grams


def test_paragraph_break_keeps_words_apart():
    """A blank line is not an OCR artefact: no bigram spans it."""
    assert "展深" not in [t for t, *_ in tokens(gram_analyzer(), "发展\n\n深化")]


def test_latin_is_lowercased_and_full_width_folded():
    assert [t for t, *_ in tokens(jieba_analyzer(), "ＲＣＥＰ协定", mode="query")] == ["rcep", "协定"]
    assert [t for t, *_ in tokens(gram_analyzer(), "3.5亿元", mode="query")] == ["3.5", "亿元"]


def test_query_grams_are_pairs_and_bridge_to_a_following_word():
    """A query's last character stands alone only to keep the next token's position."""
    assert [t for t, *_ in tokens(gram_analyzer(), "孙建功", mode="query")] == ["孙建", "建功"]
    assert [t for t, *_ in tokens(gram_analyzer(), "城", mode="query")] == ["城"]
    assert [(t, p) for t, p, *_ in tokens(gram_analyzer(), "科技城RCEP", mode="query")] == [
        ("科技", 0), ("技城", 1), ("城", 2), ("rcep", 3),
    ]


def test_punctuation_leaves_a_position_gap():
    toks = tokens(jieba_analyzer(), "国家卫生，城市")
    positions = {t: p for t, p, _, _ in toks}
    assert positions["城市"] - positions["卫生"] == 2


def test_phrase_across_jieba_words(searcher):
    """A quoted phrase that jieba cuts into several words matches where they stand together."""
    assert found(searcher, "text", '"国家卫生城市"') == {"health"}
    assert found(searcher, "text", '"国家中心城市"') == {"city-will"}  # 城市 is a sub-word of 城市群


def test_phrase_does_not_cross_punctuation(searcher):
    assert found(searcher, "text", '"卫生城市"') == {"health"}
    assert found(searcher, "grams", '"卫生城市"') == {"health"}  # not "split": 国家卫生，城市


def test_subwords_find_parts_of_long_words(searcher):
    assert found(searcher, "text", "新郑") == {"xinzheng"}  # text has the word 新郑市


def test_grams_find_a_string_jieba_cut_differently(searcher):
    """Alone 中原科技城 is 中原/科技/城, but in 中原科技城将 jieba cuts 城将: grams still match."""
    assert query_words("中原科技城") == ["中原", "科技", "城"]
    assert found(searcher, "text", '"中原科技城"') == set()
    assert found(searcher, "grams", '"中原科技城"') == {"city-will"}
    assert found(searcher, "both", '"中原科技城"') == {"city-will"}


def test_name_with_ocr_space_is_found_as_a_phrase(searcher):
    assert found(searcher, "both", '"孙建功"') == {"ocr"}
    assert found(searcher, "both", '"郑东新区"') == {"ocr"}


def test_grams_match_only_the_exact_string(searcher):
    assert found(searcher, "grams", '"建设国家"') == {"city-will"}
    assert found(searcher, "grams", '"国家建设"') == set()


def test_mixed_latin_digits_and_chinese(searcher):
    for query in ('"rcep"', '"RCEP协定"', '"covid"', '"3.5亿元"'):
        assert found(searcher, "both", query) == {"latin"}, query


def test_one_character_query_matches(searcher):
    assert found(searcher, "grams", '"虎"') == set()
    assert found(searcher, "grams", '"郑"') == {"ocr", "health", "xinzheng"}


def test_analyzers_pickle():
    """whoosh stores the analyzers pickled in the index."""
    for analyzer in (jieba_analyzer(), gram_analyzer()):
        clone = pickle.loads(pickle.dumps(analyzer))
        assert [t.text for t in clone("中原科技城")] == [t.text for t in analyzer("中原科技城")]


def test_jieba_cache_lives_in_the_data_folder(settings):
    """Search's and the parser's tokenizers keep jieba's cache in the data folder, not /tmp."""
    from archive.ingest.names import jieba_tokenizer
    from search.analyzer import get_jieba

    query_words("郑州")  # initialises search's tokenizer if no test has yet
    for tokenizer in (get_jieba(), jieba_tokenizer()):
        assert tokenizer.initialized
        assert tokenizer.tmp_dir == str(Path(settings.JIEBA_CACHE_FILE).parent)


PAGE = "郑东新区召开防汛会议\n\n本报讯 7月21日，郑东新区管委会召开防汛会商会议。郑东新区水务局局长王晓沛提出要求。\n\n记者 马燕\n"


def test_a_page_parses_the_same_before_and_after_a_search(settings, tmp_path):
    """The archive's names that search adds to its jieba never reach the parser's."""
    import dataclasses

    from archive.ingest.dates import PartialDate
    from archive.ingest.parser import parse_page
    from archive.loader import DistrictNames

    def parse():
        parsed = parse_page(PAGE, PartialDate.parse("2020-07"), [DistrictNames("郑东新区", ("郑东",))])
        return dataclasses.asdict(parsed)

    before = parse()
    assert "郑东新区水务局" in before["articles"][0]["organizations"]
    # Names as an editor may give them (a district alias is free text): each one
    # would move a word boundary the parser relies on.
    settings.JIEBA_USER_DICT = str(tmp_path / "jieba_names.txt")
    (tmp_path / "jieba_names.txt").write_text("会召开\n水务局局\n", encoding="utf-8")
    assert "水务局局" in query_words("郑东新区水务局局长")
    assert parse() == before
