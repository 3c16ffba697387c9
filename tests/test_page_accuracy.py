"""The splitter on pages it was not built on: a fixed sample rendered by shared/tools/render_pages.py.

Seed 1, days 2-9 January 1998, the first 30 pages by name; scored with
archive/ingest/evaluation.py. Fails below 90% of articles found whole or 90%
of headlines exact. Needs the shared folder beside the clone (../shared, as CI
has it; ../../shared from a worktree).
"""
import subprocess
import sys
from pathlib import Path

import pytest

from archive.ingest.evaluation import load_gold, score_pages
from archive.ingest.parser import parse_page
from archive.ingest.source import decode, read_manifest

ROOT = Path(__file__).resolve().parents[1]
# Beside the clone (CI, the main checkout), or beside the folder of worktrees.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")
RENDER = SHARED / "tools" / "render_pages.py"
CORPUS = SHARED / "corpus" / "people_daily_199801.txt"
DAYS = ",".join(f"199801{day:02d}" for day in range(2, 10))
PAGES = 30


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    if not (RENDER.exists() and CORPUS.exists()):
        pytest.skip(f"{SHARED} (render_pages.py and the corpus) is not beside the clone")
    out = tmp_path_factory.mktemp("render") / "pages"
    subprocess.run([sys.executable, str(RENDER), str(CORPUS), str(out), "--seed", "1", "--dates", DAYS],
                   check=True, capture_output=True)
    files = sorted(p.name for p in out.glob("*.txt"))[:PAGES]
    gold = [g for g in load_gold(out.parent / "pages.gold.json") if g["file"] in files]
    rows = read_manifest(out / "manifest.csv").rows

    def parse(name):
        return parse_page(decode((out / name).read_bytes(), name).text, rows[name].published).articles

    total, _ = score_pages(parse, out, gold)
    assert total.pages == PAGES
    return total


def test_articles_found_whole(score):
    """At least 90% of the sample's articles come out whole: right first and last sentence, nothing merged."""
    assert score.whole_share >= 0.9, score.line("render_pages seed 1")


def test_headlines_exact(score):
    """At least 90% of the sample's articles get their printed headline."""
    assert score.headline_share >= 0.9, score.line("render_pages seed 1")
