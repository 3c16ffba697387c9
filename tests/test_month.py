"""The People's Daily month (January 1998), whole: it ingests and exports on the database
the suite runs on (CI runs it on SQLite and on PostgreSQL), one export line per article.

The corpus is read from ../shared/corpus beside the repository, or the file
BAOKU_MONTH_CORPUS names (it is never committed); under CI a missing corpus fails. The
index is left to the other tests: this one is about loading and exporting at scale.
"""
import json
import os
from pathlib import Path

import pytest

from tests.server import drop_own_databases, manage, own_database_env
from tests.test_reliability import connect, count

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BAOKU_MONTH_CORPUS") or ROOT.parent / "shared" / "corpus" / "people_daily_199801.txt")
MONTH_PAGES, MONTH_ARTICLES = 278, 3148


@pytest.fixture(scope="module", autouse=True)
def own_databases():
    yield
    drop_own_databases()


@pytest.fixture
def corpus():
    if not CORPUS.exists():
        message = f"no corpus at {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS


def test_the_month_ingests_and_exports_every_article(corpus, tmp_path):
    """ingest --format pfr of the month stores 278 pages and 3,148 articles; export_articles writes
    one line per article, each a record with its organisations."""
    env = own_database_env(tmp_path / "data")
    manage(["migrate", "--noinput"], env)
    done = manage(["ingest", "--format", "pfr", "--no-index", str(corpus)], env, timeout=1800)
    assert f"Pages: {MONTH_PAGES} ({MONTH_PAGES} created" in done.stdout, done.stdout[-2000:]
    out = tmp_path / "month.jsonl"
    manage(["export_articles", "--output", str(out)], env, timeout=900)
    con = connect(env)
    try:
        articles = count(con, "archive_article")
    finally:
        con.close()
    with open(out, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == articles == MONTH_ARTICLES
    assert len({r["id"] for r in records}) == MONTH_ARTICLES
    assert sum(1 for r in records if r["organizations"]) > 1000
