"""Faults under the index writer, with real processes: an ingest whose index writer
processes are killed, and one whose index disk (a small tmpfs) fills, ends with a report
instead of hanging, leaves every queue row and no temporary folder, and the next ingest
indexes everything.

The drain runs parallel for a few articles here (the thresholds are lowered in the
ingest's own process), so the corpus stays small: copies of the seed pages.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.server import drop_own_databases, manage, manage_process, own_database_env
from tests.test_reliability import SEED_ARTICLES, clone, connect, count, index_report, make_corpus

pytestmark = pytest.mark.slow

COPIES = 2
ARTICLES = COPIES * SEED_ARTICLES
# Two writer processes, two documents a job: 18 jobs, more than MpWriter's job queue holds (8).
INGEST = """
import sys
from django.core.management import CommandError, call_command
from search.engines import whoosh_write
whoosh_write.PARALLEL_MIN, whoosh_write.PARALLEL_BATCH = 4, 2
try:
    call_command("ingest", {corpus!r})
except CommandError as exc:
    print(exc)
    sys.exit(1)
"""


@pytest.fixture(scope="module", autouse=True)
def own_databases():
    yield
    drop_own_databases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("faults") / "pages", COPIES)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, corpus):
    """A data folder with the corpus loaded and every article still queued for the index."""
    env = own_database_env(tmp_path_factory.mktemp("loaded"))
    manage(["migrate", "--noinput"], env)
    manage(["ensure_index"], env)
    manage(["ingest", "--no-index", str(corpus)], env)
    return env


def ingest(corpus, env, while_running=lambda pid: None, limit=120):
    """Run the ingest (parallel index writers) to its end; fail if it has not ended within `limit` s."""
    process = manage_process(["shell", "-c", INGEST.format(corpus=str(corpus))], {**env, "SEARCH_INDEX_PROCS": "2"})
    try:
        deadline = time.monotonic() + limit
        while process.poll() is None and time.monotonic() < deadline:
            while_running(process.pid)
            time.sleep(0.01)
        if process.poll() is None:
            pytest.fail(f"the ingest was still running after {limit} s (hung)")
        return process.returncode, process.communicate()[0]
    finally:
        if process.poll() is None:
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.kill()
            process.communicate()


def children(pid):
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def queued(env):
    con = connect(env)
    try:
        return count(con, "search_indexqueue")
    finally:
        con.close()


def index_dir(env):
    return Path(env.get("SEARCH_INDEX_PATH") or Path(env["BAOKU_DATA_DIR"]) / "whoosh_index")


def assert_given_up(status, output, env, reason):
    """The ingest exited 1 naming `reason` with every row still queued, and left no MAIN.tmp."""
    assert status == 1, output[-2000:]
    line = next((line for line in output.splitlines() if line.startswith("  - search index: ")), "")
    assert reason in line and f"{ARTICLES} index updates stay queued" in line, output[-2000:]
    assert queued(env) == ARTICLES
    assert not (index_dir(env) / "MAIN.tmp").exists()


def assert_next_ingest_indexes_everything(corpus, env):
    status, output = ingest(corpus, env)
    assert status == 0, output[-2000:]
    report, status = index_report(env)
    assert status == 0 and report["indexed"] == report["articles"] == ARTICLES and report["queued"] == 0, report


def test_an_ingest_whose_index_writers_are_killed_ends_and_keeps_every_row(loaded, corpus, tmp_path):
    """SIGKILL each writer process as it starts: the ingest reports it and exits 1, it does not hang."""
    env = clone(loaded, tmp_path / "data")
    killed = set()

    def kill_writers(pid):
        for child in children(pid) - killed:
            os.kill(child, signal.SIGKILL)
            killed.add(child)

    status, output = ingest(corpus, env, kill_writers)
    assert killed, "no index writer process was seen: " + output[-2000:]
    assert_given_up(status, output, env, "killed by SIGKILL")
    assert_next_ingest_indexes_everything(corpus, env)


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB tmpfs: room for an empty index, not for the corpus's."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        message = f"cannot mount a tmpfs (needs root): {done.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_an_ingest_whose_index_disk_fills_ends_and_keeps_every_row(loaded, corpus, tmp_path, small_disk):
    """The index on a full disk: the ingest says so and exits 1, the index is as it was (no MAIN.tmp,
    no half-written segment taking the space), and once there is room the next ingest indexes all."""
    env = clone(loaded, tmp_path / "data")
    shutil.copytree(index_dir(env), small_disk / "whoosh_index")
    env["SEARCH_INDEX_PATH"] = str(small_disk / "whoosh_index")
    used_before = shutil.disk_usage(small_disk).used

    status, output = ingest(corpus, env)
    assert_given_up(status, output, env, "No space left on device")
    assert shutil.disk_usage(small_disk).used <= used_before + 16 * 1024
    report, _ = index_report(env)
    assert report["indexed"] == 0 and report["queued"] == ARTICLES, report

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    assert_next_ingest_indexes_everything(corpus, env)
