"""An ingest meets bad names, odd files, a full disk and over-long metadata: each is a
per-file report, nothing is cut or half-written, and the rest of the run goes on."""
import csv
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.importers import IngestOptions, ingest_paths
from archive.ingest import source
from archive.loader import Loader
from archive.slugs import page_slug
from archive.models import Article, IngestRun, Page
from search.models import IndexQueue
from tests.builders import make_page

PAGE = "郑东新区召开防汛会商会议\n\n本报讯 7月21日,郑东新区召开防汛会商会议。郑东新区水务局局长王晓沛提出要求。\n\n记者 马燕\n"

pytestmark = pytest.mark.django_db


def folder_of(tmp_path, names, text=PAGE, **row):
    """A folder with one page per name and a manifest row for each."""
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "newspaper", "section", "published"])
        writer.writeheader()
        for name in names:
            (folder / name).write_text(text, encoding="utf-8")
            writer.writerow({"file": name, "newspaper": "郑州日报", "section": "A01", "published": "2020-07", **row})
    return folder


def collecting():
    """A list that gets every progress line, and options that fill it."""
    lines = []
    return lines, IngestOptions(index=False, progress=lambda line, failed=False: lines.append(line))


def test_a_file_name_that_is_not_utf8_is_reported_and_later_files_load(tmp_path):
    """A name with GBK bytes fails alone, with the name shown escaped; the files after it load."""
    folder = folder_of(tmp_path, ["b.txt", "c.txt"])
    bad = os.fsdecode(b"a_\xd6\xd0\xce\xc4.txt")  # 中文 in GBK
    (folder / bad).write_text(PAGE, encoding="utf-8")
    lines, options = collecting()
    report = ingest_paths([folder], options)
    assert report.counts["failed"] == 1 and "is not valid UTF-8" in report.failures[0]
    assert "\\udcd6" in report.failures[0]
    assert sorted(Page.objects.values_list("file_name", flat=True)) == ["b.txt", "c.txt"]
    assert IngestRun.objects.filter(status=IngestRun.FAILED).count() == 1


def test_a_huge_page_is_refused_by_its_size_without_being_read(tmp_path, monkeypatch):
    """A .txt past the page limit is refused from its size; its bytes are never read."""
    folder = folder_of(tmp_path, ["big.txt", "small.txt"])
    with open(folder / "big.txt", "wb") as f:
        f.truncate(3 * 1024 ** 3)  # 3 GB, sparse
    read = []
    real_open = open

    def spy(path, mode="r", *a, **k):
        if "b" in mode and str(path).endswith("big.txt"):
            read.append(path)
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    report = ingest_paths([folder], IngestOptions(index=False))
    assert report.failures == ["%s: 3072.0 MB is too large for one page (limit 2 MB); split it into pages"
                               % (folder / "big.txt")]
    assert read == [] and Page.objects.get().file_name == "small.txt"


def test_a_full_database_disk_fails_that_file_and_the_run_goes_on(tmp_path):
    """SQLite out of room fails the page being written, with a report; once there is room
    again the later pages load and the queue is drained."""
    if connection.vendor != "sqlite":
        pytest.skip("the page limit that makes a full disk is SQLite's")
    folder = folder_of(tmp_path, ["a.txt", "b.txt", "c.txt"])
    # 90 KB: more than the free room left in pages already allocated.
    (folder / "a.txt").write_text(PAGE + "\n\n".join(["郑东新区召开防汛会商会议。" * 20] * 120), encoding="utf-8")

    def max_pages(value=None):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count" if value is None else f"PRAGMA max_page_count = {value}")
            return cursor.fetchone()[0]

    def progress(line, failed=False):
        if failed:  # the disk is full while a.txt is written; room comes back after
            max_pages(1073741823)

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA freelist_count")
        free = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        size = cursor.fetchone()[0]
    # Fill the free pages earlier tests left, then allow no new page: the disk is full.
    make_page(file_name="filler.txt", raw_bytes=b"\1" * (free + 4) * size)
    max_pages(max_pages())
    try:
        report = ingest_paths([folder], IngestOptions(index=True, progress=progress))
    finally:
        max_pages(1073741823)
    assert report.counts["failed"] == 1, report.failures
    assert report.failures[0].startswith("a.txt: the database refused the page: database or disk is full")
    assert sorted(Page.objects.values_list("file_name", flat=True)) == ["b.txt", "c.txt", "filler.txt"]
    assert not IndexQueue.objects.exists() and report.indexed == Article.objects.count()


@pytest.mark.parametrize("column", ["newspaper", "section"])
def test_metadata_longer_than_its_column_is_refused_per_file(tmp_path, column):
    """A newspaper or section over the model's max_length fails its file by name (never cut, never a DataError)."""
    folder = folder_of(tmp_path, ["long.txt"], **{column: "报" * 150})
    (folder / "ok.txt").write_text(PAGE, encoding="utf-8")
    with open(folder / "manifest.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["ok.txt", "郑州日报", "A02", "2020-07"])
    report = ingest_paths([folder], IngestOptions(index=False))
    limit = Page._meta.get_field(column).max_length
    assert report.failures == [
        f"long.txt: the {column} (manifest.csv:2) is 150 characters long; the archive keeps at most {limit}"
    ]
    assert list(Page.objects.values_list("file_name", flat=True)) == ["ok.txt"]


def test_fifos_and_symlink_loops_are_skipped_with_a_note(tmp_path):
    """A named pipe or a looping symbolic link among the pages is never opened, and the report says so."""
    folder = folder_of(tmp_path, ["a.txt"])
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    lines, options = collecting()
    report = ingest_paths([folder], options)
    assert report.ok and Page.objects.get().file_name == "a.txt"
    assert f"note: {folder / 'loop.txt'}: skipped: a symbolic link that loops back on itself" in lines
    assert f"note: {folder / 'pipe.txt'}: skipped: a named pipe (FIFO), not a regular file" in lines


def test_a_newline_in_a_file_name_cannot_forge_a_progress_line(tmp_path):
    """Control characters in a name are shown escaped: each file gives exactly one progress line."""
    forged = "x.txt: created, 99 articles (encoding utf-8, 2020-07)\n    warning: forged"
    folder = folder_of(tmp_path, ["a.txt"])
    (folder / f"{forged}.txt").write_text("\x1b[2K", encoding="utf-8")
    lines, options = collecting()
    report = ingest_paths([folder], options)
    assert all("\n" not in line and "\x1b" not in line for line in lines + report.failures)
    assert [line.split("] ")[0] for line in lines if line.startswith("[")] == ["[1/2", "[2/2"]
    assert "2020-07)\\n    warning: forged.txt" in " ".join(lines)


def test_slugs_of_cjk_file_names_cost_no_query_per_taken_candidate(tmp_path):
    """60 pages with CJK names: a constant number of slug queries a page, whatever was loaded before."""
    names = [f"郑州晚报{chr(0x4E00 + n)}版.txt" for n in range(60)]  # no ASCII to slug on
    folder = folder_of(tmp_path, names)
    loader = Loader()
    meta = source.read_manifest(folder / "manifest.csv").rows
    with CaptureQueriesContext(connection) as queries:
        for name in names:
            loader.load(name, (folder / name).read_bytes(), meta[name])
    slug_queries = [q for q in queries.captured_queries if 'WHERE "archive_page"."slug"' in q["sql"]]
    assert len(slug_queries) <= 2 * len(names)
    assert len(set(Page.objects.values_list("slug", flat=True))) == 60


def test_page_urls_do_not_depend_on_ingest_order(tmp_path):
    """The same CJK-named files loaded in opposite orders get the same slug each."""
    names = ["郑州晚报A01.txt", "鄭州晚報A01.txt", "郑州晚报A02.txt", "A01.txt", "a01.txt"]
    folder = folder_of(tmp_path, names)
    meta = source.read_manifest(folder / "manifest.csv").rows

    def load(order):
        Page.objects.all().delete()
        loader = Loader()
        for name in order:
            loader.load(name, (folder / name).read_bytes(), meta[name])
        return dict(Page.objects.values_list("file_name", "slug"))

    forward, backward = load(names), load(reversed(names))
    assert forward == backward
    assert len(set(forward.values())) == len(names)
    assert forward["郑州晚报A01.txt"] == page_slug("郑州晚报A01.txt")
    assert page_slug("000_c75f0280986175aa.txt") == "000_c75f0280986175aa"  # ASCII names keep theirs
