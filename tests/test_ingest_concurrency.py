"""Two ingests at once, as real processes, on the suite's database (SQLite, or PostgreSQL
under DATABASE_URL): both finish, every page is loaded once and every person once."""
import sqlite3
from pathlib import Path

import pytest

from tests.builders import seed_copies
from tests.server import drop_own_databases, manage, manage_process, own_database_env

pytestmark = pytest.mark.slow

SEED_PAGES, SEED_ARTICLES = 5, 18
COPIES = 4


@pytest.fixture(scope="module", autouse=True)
def own_databases():
    yield
    drop_own_databases()


def query(env, sql):
    if env.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as con:
            return con.execute(sql).fetchall()
    con = sqlite3.connect(Path(env["BAOKU_DATA_DIR"]) / "baoku.sqlite3")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def ingest_together(env, folders):
    """Start one ingest per folder at once; wait for all; (exit status, output) of each."""
    processes = [manage_process(["ingest", str(folder), "--no-index"], env) for folder in folders]
    outputs = [p.communicate(timeout=900)[0] for p in processes]
    return [(p.returncode, output) for p, output in zip(processes, outputs)]


@pytest.mark.parametrize("same_folder", [True, False], ids=["one folder twice", "two folders, same people"])
def test_two_ingests_at_once_both_finish_and_load_each_page_once(tmp_path, same_folder):
    env = own_database_env(tmp_path / "data")
    manage(["migrate", "--noinput"], env)
    first = seed_copies(tmp_path / "a", COPIES, "a")
    folders = [first, first] if same_folder else [first, seed_copies(tmp_path / "b", COPIES, "b")]
    done = ingest_together(env, folders)
    for status, output in done:
        assert "IntegrityError" not in output and "Traceback" not in output, output[-3000:]
    assert [status for status, _ in done] == [0, 0], [output[-3000:] for _, output in done]

    pages = COPIES * SEED_PAGES * len(set(folders))
    assert query(env, "SELECT COUNT(*), COUNT(DISTINCT file_name) FROM archive_page") == [(pages, pages)]
    assert query(env, "SELECT COUNT(*) FROM archive_article") == [(pages // SEED_PAGES * SEED_ARTICLES,)]
    persons = query(env, "SELECT COUNT(*), COUNT(DISTINCT name) FROM archive_person")[0]
    assert persons[0] == persons[1] > 0
    # Each ingest says how its files went: together they account for every page once.
    created = sum(int(out.rsplit(" created", 1)[0].rsplit("(", 1)[1]) for _, out in done)
    assert created == pages
