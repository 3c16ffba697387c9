"""Ingest progress (archive.progress): a bar with rate and time left on a terminal, plain lines elsewhere."""
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.ingest import pfr
from archive.progress import Progress
from tests.test_pfr import FRONT, LONDON, SHORT


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_pipe_gets_each_line_and_no_bar():
    """Without a terminal every line is written as it comes, with no carriage returns."""
    out = io.StringIO()
    with Progress(out, total=2) as progress:
        progress.step("[1/2] a.txt: created")
        progress.step("[2/2] b.txt: unchanged")
    assert out.getvalue() == "[1/2] a.txt: created\n[2/2] b.txt: unchanged\n"


def test_a_terminal_gets_a_bar_with_rate_and_time_left():
    """On a terminal the pages done, the rate and the estimated time left are drawn."""
    out = Terminal()
    with Progress(out, total=3) as progress:
        for _ in range(3):
            progress.step("not shown under a bar")
    drawn = out.getvalue()
    assert "3/3" in drawn and "page/s" in drawn and "<" in drawn  # tqdm's "elapsed<left"
    assert "not shown" not in drawn


def test_lines_that_matter_are_printed_above_the_bar():
    """A failure is printed on a terminal too."""
    out = Terminal()
    with Progress(out, total=1) as progress:
        progress.say("x.txt: FAILED: this is a PNG image")
    assert "x.txt: FAILED: this is a PNG image\n" in out.getvalue()


def test_count_pages_agrees_with_read_pages(tmp_path):
    """The bar's total for a PFR corpus is the number of pages the reader yields."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(FRONT + LONDON + SHORT, encoding="gbk")
    assert pfr.count_pages(corpus) == len(list(pfr.read_pages(corpus))) == 3


def test_count_pages_counts_a_page_whose_lines_are_apart_once(tmp_path):
    """A page's lines need not be contiguous (read_pages joins them): the total counts it once."""
    lines = FRONT.splitlines(keepends=True)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(lines[:2]) + LONDON + "".join(lines[2:]), encoding="utf-8")
    assert pfr.count_pages(corpus) == len(list(pfr.read_pages(corpus))) == 2


@pytest.mark.django_db
def test_the_ingest_draws_a_bar_on_a_terminal(tmp_path):
    """`manage.py ingest` on a terminal shows the bar, not a line per file; the summary still ends it."""
    seeds = tmp_path / "seeds"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", seeds)
    out = Terminal()
    call_command("ingest", str(seeds), "--no-index", stdout=out)
    drawn = out.getvalue()
    assert "5/5" in drawn and "page/s" in drawn
    assert "[1/5]" not in drawn and "Files: 5 (5 created" in drawn
