"""Reading source files: encodings, refusals with clear messages, the manifest."""
from pathlib import Path

import pytest

from archive.ingest.source import SourceError, collect_files, decode, read_manifest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE = "本报讯 7月18日,郑东新区党工委扩大会议召开。\n记者 马燕\n"


def test_utf8_is_detected():
    """Plain UTF-8 decodes as utf-8."""
    assert decode(PAGE.encode("utf-8"), "a.txt").encoding == "utf-8"


def test_utf8_bom_is_detected_and_dropped():
    """A BOM is recognised and not kept in the text."""
    decoded = decode(b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "a.txt")
    assert decoded.encoding == "utf-8-sig" and not decoded.text.startswith("\ufeff")


def test_gbk_is_detected():
    """GBK bytes from older systems decode as GB18030 (a superset of GBK)."""
    decoded = decode(PAGE.encode("gbk"), "old.txt")
    assert decoded.encoding == "gb18030" and decoded.text == PAGE


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "empty"),
        (b"  \n\t \n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        ("本报讯".encode("utf-16"), "UTF-16"),
        ("本报讯 郑东新区".encode("utf-8")[:-1], "cut off"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_bad_input_is_refused_with_file_name_and_reason(data, needle):
    """Each refusal names the file and says what is wrong."""
    with pytest.raises(SourceError) as info:
        decode(data, "bad.txt")
    assert "bad.txt" in str(info.value) and needle in str(info.value)


def test_seed_manifest_has_every_seed_with_its_precision():
    """seeds/manifest.csv lists the five pages; most are known to the month only."""
    manifest = read_manifest(SEEDS / "manifest.csv")
    assert sorted(manifest.rows) == sorted(p.name for p in SEEDS.glob("*.txt"))
    precisions = {name: meta.published.precision for name, meta in manifest.rows.items()}
    assert precisions["003_3a39d835fc40639e.txt"] == "year"
    assert list(precisions.values()).count("month") == 4


def test_manifest_bad_date_is_named(tmp_path):
    """A date like 2020-13 is refused with the line and file named."""
    path = tmp_path / "manifest.csv"
    path.write_text("file,newspaper,section,published\na.txt,郑州晚报,,2020-13\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 2: a.txt: '2020-13'"):
        read_manifest(path)


def test_manifest_duplicate_row_is_refused(tmp_path):
    """The same file twice in a manifest is an error, not a silent overwrite."""
    path = tmp_path / "manifest.csv"
    path.write_text("file,newspaper,section,published\na.txt,A,,2020\na.txt,B,,2021\n", encoding="utf-8")
    with pytest.raises(SourceError, match="listed twice"):
        read_manifest(path)


def test_manifest_missing_column_is_refused(tmp_path):
    """A header without published is refused, naming the column."""
    path = tmp_path / "manifest.csv"
    path.write_text("file,newspaper,section\na.txt,A,\n", encoding="utf-8")
    with pytest.raises(SourceError, match="lacks published"):
        read_manifest(path)


def test_manifest_extra_columns_are_allowed_and_named(tmp_path):
    """Extra columns are allowed; note is kept, an unknown column is named as unused."""
    path = tmp_path / "manifest.csv"
    path.write_text("file,newspaper,section,published,note,scan\na.txt,A,B,2020-07,why,x\n", encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest.rows["a.txt"].note == "why"
    assert "column(s) scan not used" in manifest.notes[0]


def test_collect_files_dedupes_and_reports_missing(tmp_path):
    """A file named twice is loaded once and said so; a missing path is reported."""
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    files, problems, notes = collect_files([page, tmp_path, tmp_path / "nope.txt"])
    assert files == [page]
    assert problems == [f"{tmp_path / 'nope.txt'}: no such file or folder"]
    assert notes == [f"{tmp_path / 'a.txt'}: given more than once; loaded once"]


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_zero_width_and_bidi_controls_are_removed_from_the_text(encoding):
    """Characters that print nothing (zero-width, bidi controls, soft hyphen) are not kept."""
    text = "防" + INVISIBLE + "汛会议召开\n本报讯 郑东\u202e新区\u200b召开会议。\n"
    assert decode(text.encode(encoding), "a.txt").text == "防汛会议召开\n本报讯 郑东新区召开会议。\n"


def test_manifest_fields_lose_invisible_characters(tmp_path):
    """A newspaper name pasted with a zero-width space is the same newspaper."""
    (tmp_path / "manifest.csv").write_text(
        "file,newspaper,section,published\na.txt,郑州\u200b晚报,A\u200e01,2020-07\n", encoding="utf-8")
    meta = read_manifest(tmp_path / "manifest.csv").rows["a.txt"]
    assert (meta.newspaper, meta.section) == ("郑州晚报", "A01")
