"""Crashes and concurrency with real processes: an ingest killed with SIGKILL
in the middle of a large run, and the site answering while an ingest writes.

The large run is copies of the seed pages under other file names (the People's Daily
corpus is not in the repository). Each data folder has a database of its own (its
SQLite file, or under DATABASE_URL a PostgreSQL database made for it), read with a
plain connection, so the test process holds no Django connection to it.
"""
import csv
import fcntl
import re
import shutil
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from tests.server import drop_own_databases, manage, manage_process, own_database_env, production_site

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_PAGES, SEED_ARTICLES = 5, 18
COPIES = 12  # 60 pages, 216 articles: loading takes seconds, indexing them several more
DB_NAME = "baoku.sqlite3"


def make_corpus(folder, copies):
    """`copies` copies of every seed page under new names, each with its seed's manifest row."""
    folder.mkdir(parents=True)
    with open(SEEDS / "manifest.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(copies):
            for row in rows:
                name = f"copy{n:03d}_{row['file']}"
                shutil.copyfile(SEEDS / row["file"], folder / name)
                writer.writerow({**row, "file": name})
    return folder


@pytest.fixture(scope="module", autouse=True)
def own_databases():
    yield
    drop_own_databases()


def on_postgres(env):
    return env.get("DATABASE_URL", "").startswith("postgres")


def connect(env):
    """A plain autocommit connection to a data folder's database (on SQLite, one that never waits)."""
    if on_postgres(env):
        import psycopg

        return psycopg.connect(env["DATABASE_URL"], autocommit=True)
    return sqlite3.connect(Path(env["BAOKU_DATA_DIR"]) / DB_NAME, timeout=0, isolation_level=None)


def snapshot(env):
    """Everything an ingest derives, keyed by names rather than ids, so two data folders compare.

    pages: {file name: (page fields, [article fields + its mentions, organisations,
    districts and event dates])}; persons and organisations as sorted lists of names
    (a duplicate shows twice); positions with their first and last seen.
    """
    con = connect(env)
    try:
        def grouped(sql):
            out = defaultdict(list)
            for key, *rest in con.execute(sql):
                out[key].append(tuple(rest))
            return {k: sorted(v) for k, v in out.items()}

        mentions = grouped("""SELECT m.article_id, p.name, m.role, m.title, m.other_titles
                              FROM archive_personmention m JOIN archive_person p ON p.id = m.person_id""")
        orgs = grouped("""SELECT m.article_id, o.name FROM archive_organizationmention m
                          JOIN archive_organization o ON o.id = m.organization_id""")
        districts = grouped("""SELECT ad.article_id, d.name FROM archive_article_districts ad
                               JOIN archive_district d ON d.id = ad.district_id""")
        events = grouped("""SELECT article_id, text, date_start, date_end, date_precision, approximate
                            FROM archive_eventdate""")
        pages = {
            name: (fields, [])
            for name, *fields in con.execute(
                """SELECT file_name, checksum, newspaper, section, published_start, published_end,
                          published_precision, note FROM archive_page""")
        }
        for name, article_id, *fields in con.execute(
            """SELECT p.file_name, a.id, a.position, a.headline, a.headline_derived, a.kicker,
                      a.subheadline, a.lead, a.body, a.kind, a.byline, a.photo, a.span_start, a.span_end
               FROM archive_article a JOIN archive_page p ON p.id = a.page_id ORDER BY p.file_name, a.position"""
        ):
            pages[name][1].append((*fields, mentions.get(article_id, []), orgs.get(article_id, []),
                                   districts.get(article_id, []), events.get(article_id, [])))
        return {
            "pages": pages,
            "persons": sorted(n for (n,) in con.execute("SELECT name FROM archive_person")),
            "organizations": sorted(n for (n,) in con.execute("SELECT name FROM archive_organization")),
            "positions": sorted(con.execute(
                """SELECT p.name, s.title, s.first_seen_start, s.first_seen_end, s.last_seen_start, s.last_seen_end
                   FROM archive_position s JOIN archive_person p ON p.id = s.person_id""")),
        }
    finally:
        con.close()


def count(con, table):
    while True:
        try:
            return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError as exc:  # a reader can meet a WAL restart; ask again
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise


def writing(con):
    """Whether another connection is inside a transaction that has written, i.e. a page's."""
    if not isinstance(con, sqlite3.Connection):  # PostgreSQL: a backend with a transaction id
        return con.execute("""SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                              AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL""").fetchone()[0] > 0
    try:  # SQLite: only one connection at a time can hold the write lock
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return True
        raise
    con.execute("ROLLBACK")
    return False


def index_locked(data_dir):
    """Whether a process holds whoosh's write lock (an flock on MAIN_WRITELOCK), i.e. is writing the index."""
    lock = Path(data_dir) / "whoosh_index" / "MAIN_WRITELOCK"
    if not lock.exists():
        return False
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def kill_ingest_when(corpus, env, ready):
    """Start an ingest of `corpus` and SIGKILL it the moment `ready(connection)` is true."""
    con = connect(env)
    ingest = manage_process(["ingest", str(corpus)], env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if ingest.poll() is not None:
                pytest.fail("the ingest ended before it could be killed (make the corpus larger):\n"
                            + ingest.stdout.read()[-2000:])
            if ready(con):
                ingest.send_signal(signal.SIGKILL)
                ingest.communicate()
                assert ingest.returncode == -signal.SIGKILL
                return
            time.sleep(0.001)
        pytest.fail("the moment to kill the ingest did not come within 120 s")
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.communicate()
        con.close()


def differences(got, expected):
    """What differs between two snapshots, by page and by list, for a readable failure."""
    found = []
    pages, want = got["pages"], expected["pages"]
    found += [f"missing page {name}" for name in sorted(want.keys() - pages.keys())]
    found += [f"extra page {name}" for name in sorted(pages.keys() - want.keys())]
    found += [f"page {name} differs" for name in sorted(pages.keys() & want.keys()) if pages[name] != want[name]]
    for key in ("persons", "organizations", "positions"):
        if got[key] != expected[key]:
            found.append(f"{key}: {len(got[key])} rows, expected {len(expected[key])}")
    return found


def index_report(env, *args):
    """check_index's figures as a dict, and whether it exited cleanly."""
    done = manage(["check_index", *args], env, check=False)
    line = re.search(r"Articles: (\d+); indexed: (\d+); missing: (\d+); stale: (\d+); orphaned: (\d+); "
                     r"queued: (\d+)", done.stdout)
    assert line, done.stdout + done.stderr
    names = ("articles", "indexed", "missing", "stale", "orphaned", "queued")
    return dict(zip(names, map(int, line.groups()))), done.returncode


def clone(env, to):
    """A copy of a data folder whose processes have all ended (database, WAL and index)."""
    shutil.copytree(env["BAOKU_DATA_DIR"], to)
    return own_database_env(to, copy_of=env)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus") / "pages", COPIES)


@pytest.fixture(scope="module")
def clean(tmp_path_factory, corpus):
    """What an uninterrupted ingest of the corpus stores (index left out: only the database is compared)."""
    env = own_database_env(tmp_path_factory.mktemp("clean"))
    manage(["migrate", "--noinput"], env)
    manage(["ingest", "--no-index", str(corpus)], env)
    return snapshot(env)


@pytest.fixture(scope="module")
def killed(tmp_path_factory, corpus):
    """A data folder with a current (empty) index, after an ingest of the corpus was killed
    about a third of the way through. Tests that change it work on a clone."""
    env = own_database_env(tmp_path_factory.mktemp("killed"))
    manage(["migrate", "--noinput"], env)
    manage(["ensure_index"], env)
    pages = []

    def inside_a_page_after_a_third(con):
        # Only a page's transaction writes, so one open means the next page is
        # half-written when the kill lands.
        pages[:] = [count(con, "archive_page")]
        return pages[0] >= COPIES * SEED_PAGES // 3 and writing(con)

    kill_ingest_when(corpus, env, inside_a_page_after_a_third)
    return env, pages[0]


@pytest.fixture(scope="module")
def resumed(tmp_path_factory, killed, corpus):
    """The killed folder after the same ingest was run again to the end."""
    env = clone(killed[0], tmp_path_factory.mktemp("resumed") / "data")
    manage(["ingest", str(corpus)], env)
    return env


def test_kill_leaves_only_whole_pages(killed, clean):
    """Killed inside a page's transaction, the database holds some pages, each exactly as a clean ingest stores it."""
    env, pages_at_kill = killed
    stored = snapshot(env)["pages"]
    assert 0 < len(stored) < COPIES * SEED_PAGES
    # The count was read just before the lock was seen held; the page in flight may have
    # committed in the microseconds between, but never leaves half of itself.
    assert len(stored) - pages_at_kill in (0, 1)
    assert not [name for name, page in stored.items() if page != clean["pages"][name]]


def test_index_check_reports_the_pages_the_kill_left_unindexed(killed):
    """After the kill the index lacks the committed pages' articles, and their queue rows survived."""
    env, _ = killed
    con = connect(env)
    articles = count(con, "archive_article")
    con.close()
    report, status = index_report(env)
    assert status != 0
    assert report == {"articles": articles, "indexed": 0, "missing": articles, "stale": 0,
                      "orphaned": 0, "queued": articles}


def test_next_ingest_completes_the_run_without_duplicates(resumed, clean):
    """Running the ingest again gives the same archive as one clean ingest: same pages, articles, names."""
    assert not differences(snapshot(resumed), clean)


def test_next_ingest_repairs_the_index(resumed, clean):
    """Running the ingest again indexes every article, including those committed before the kill."""
    articles = sum(len(articles) for _, articles in clean["pages"].values())
    report, status = index_report(resumed)
    assert status == 0
    assert report == {"articles": articles, "indexed": articles, "missing": 0, "stale": 0,
                      "orphaned": 0, "queued": 0}


def test_check_index_fix_repairs_the_index_after_a_kill(killed, tmp_path):
    """Without another ingest, `check_index --fix` indexes what the kill left out and changes no record."""
    env = clone(killed[0], tmp_path / "data")
    before = snapshot(env)
    _, status = index_report(env, "--fix")
    assert status == 0
    report, status = index_report(env)
    assert status == 0
    assert report["missing"] == report["stale"] == report["orphaned"] == report["queued"] == 0
    assert report["indexed"] == report["articles"] > 0
    assert not differences(snapshot(env), before)


@pytest.fixture(scope="module")
def killed_while_indexing(tmp_path_factory, corpus):
    """A data folder whose ingest loaded every page and was killed a second into writing the index."""
    env = own_database_env(tmp_path_factory.mktemp("killed-indexing"))
    manage(["migrate", "--noinput"], env)
    manage(["ensure_index"], env)
    locked_since = []

    def a_second_into_the_index_write(con):
        if count(con, "archive_page") < COPIES * SEED_PAGES or not index_locked(env["BAOKU_DATA_DIR"]):
            return False
        locked_since[:] = locked_since or [time.monotonic()]
        return time.monotonic() - locked_since[0] > 1.0

    kill_ingest_when(corpus, env, a_second_into_the_index_write)
    report, _ = index_report(env)
    assert report["missing"] > 0 and report["queued"] >= report["missing"], report  # the scenario happened
    return env


def test_next_ingest_repairs_an_index_write_cut_by_a_kill(killed_while_indexing, corpus):
    """Killed while writing the index, the next ingest (every page unchanged) still indexes all articles."""
    env = killed_while_indexing
    manage(["ingest", str(corpus)], env)
    report, status = index_report(env)
    assert status == 0
    assert report["missing"] == report["stale"] == report["orphaned"] == report["queued"] == 0
    assert report["indexed"] == report["articles"] == COPIES * SEED_ARTICLES


# -- readers while an ingest writes ----------------------------------------------------

READER_PATHS = [
    "/",
    "/articles/002_e713b7ff9e0ddada/1/",
    "/search/?q=%E9%98%B2%E6%B1%9B",  # 防汛
    "/api/search?q=%E9%83%91%E4%B8%9C%E6%96%B0%E5%8C%BA",  # 郑东新区
    "/dates/2020/7/",
    "/people/",
]
READER_COPIES = 6  # 30 pages for the ingest the readers run beside


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seeded archive served by gunicorn as in production; yields (url, env)."""
    data_dir = tmp_path_factory.mktemp("site")
    with production_site(data_dir, env=own_database_env(data_dir)) as (url, env):
        yield url, env


def fetch(url, timeout=30):
    """The status of a GET, or the error that kept it from having one."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def hammer(url, stop, results):
    """Fetch the reader pages in turn until `stop` is set; record (time, path, outcome)."""
    while not stop.is_set():
        for path in READER_PATHS:
            results.append((time.monotonic(), path, fetch(url + path)))


def test_readers_do_not_wait_for_a_writer(site):
    """While another connection holds an exclusive write transaction, every page answers 200 at once."""
    url, env = site
    writer = connect(env)
    if on_postgres(env):
        writer.execute("BEGIN")
        writer.execute("LOCK TABLE archive_page IN EXCLUSIVE MODE")  # every other writer waits
    else:
        writer.execute("BEGIN EXCLUSIVE")  # in rollback-journal mode this would shut every reader out
    writer.execute("UPDATE archive_page SET note = note || ''")
    try:
        outcomes = {path: fetch(url + path, timeout=10) for path in READER_PATHS}
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert outcomes == {path: 200 for path in READER_PATHS}


def test_site_answers_while_an_ingest_writes(site, tmp_path):
    """Pages, search and the API answer 200 throughout an ingest, with no locked-database error."""
    url, env = site
    data_dir = Path(env["BAOKU_DATA_DIR"])
    corpus = make_corpus(tmp_path / "pages", READER_COPIES)
    con = connect(env)
    seeded = count(con, "archive_page")
    results, stop = [], threading.Event()
    readers = [threading.Thread(target=hammer, args=(url, stop, results)) for _ in range(3)]
    for reader in readers:
        reader.start()
    ingest = manage_process(["ingest", str(corpus)], env)
    # While the ingest runs, note when its pages start and stop committing.
    first_write = last_write = None
    try:
        deadline = time.monotonic() + 120
        while ingest.poll() is None and time.monotonic() < deadline:
            pages = count(con, "archive_page")
            if pages > seeded and first_write is None:
                first_write = time.monotonic()
            if pages < seeded + READER_COPIES * SEED_PAGES:
                last_write = time.monotonic()
            time.sleep(0.01)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        if ingest.poll() is None:
            ingest.kill()
        output = ingest.communicate()[0]
        con.close()
    assert ingest.returncode == 0, output[-2000:]
    errors = [r for r in results if r[2] != 200]
    assert not errors, errors[:10]
    assert first_write is not None
    during = [r for r in results if first_write <= r[0] <= last_write]
    assert len(during) >= len(READER_PATHS), "too few requests overlapped the ingest's writes to prove anything"
    log = (data_dir / "gunicorn.log").read_text(errors="replace")
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
