"""Loading pages from the browser: upload, the background job, its page, a worker killed mid-way."""
import io
import signal
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Page
from desk.models import Job
from tests.server import drop_own_databases, manage, manage_process, own_database_env
from tests.test_reliability import connect, make_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TWO = ["002_e713b7ff9e0ddada.txt", "004_0a7de6b0a5fb8a92.txt"]


def _files(names):
    return [io.BytesIO((SEEDS / n).read_bytes()) for n in names]


def _named(names):
    files = _files(names)
    for f, name in zip(files, names):
        f.name = name
    return files


@pytest.mark.django_db
def test_upload_runs_as_a_job_with_the_command_lines_messages(staff):
    """Two files and a date on the form: one queued job; the worker loads both and logs each file."""
    response = staff.post(reverse("desk:upload"), {
        "files": _named(TWO), "newspaper": "郑州晚报", "section": "A01", "published": "2020-07",
    })
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:job", args=[job.pk])
    page = staff.get(reverse("desk:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "排队中" in page
    call_command("desk_worker", once=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.DONE and (job.done, job.total) == (2, 2)
    assert f"[1/2] {TWO[0]}: created" in job.log and "Files: 2 (2 created" in job.log
    assert set(Page.objects.values_list("file_name", "newspaper", "section")) == {
        (n, "郑州晚报", "A01") for n in TWO}
    page = staff.get(reverse("desk:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page and "Files: 2" in page


@pytest.mark.django_db
def test_zip_with_manifest_uses_the_manifest(staff):
    """A zip of a folder with manifest.csv: each file gets its manifest row's metadata."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in SEEDS.iterdir():
            archive.write(path, f"folder/{path.name}")
    buffer.name = "pages.zip"
    buffer.seek(0)
    staff.post(reverse("desk:upload"), {"files": [buffer]})
    call_command("desk_worker", once=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.DONE, job.log
    assert Page.objects.get(file_name=TWO[1]).section == "高新区"
    assert Page.objects.count() == 5 and "DATES.md" not in job.files


@pytest.mark.django_db
def test_bad_upload_is_refused_and_queues_nothing(staff):
    """A file that is not page text is named with the reason; no job, nothing loaded."""
    bad = io.BytesIO(b"MZ\x90\x00")
    bad.name = "tool.exe"
    response = staff.post(reverse("desk:upload"), {"files": [bad]})
    assert response.status_code == 200 and "tool.exe" in response.content.decode()
    response = staff.post(reverse("desk:upload"), {"files": _named(TWO[:1]), "published": "2020-13"})
    assert response.status_code == 200
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_failed_file_fails_alone(staff):
    """A file the ingest cannot read fails the job with its name; the other file loads."""
    empty = io.BytesIO(b"   \n")
    empty.name = "empty.txt"
    staff.post(reverse("desk:upload"), {"files": [*_named(TWO[:1]), empty], "published": "2020-07"})
    call_command("desk_worker", once=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.FAILED and "empty.txt" in job.message
    assert list(Page.objects.values_list("file_name", flat=True)) == [TWO[0]]


@pytest.mark.django_db
def test_readers_cannot_upload(client):
    """Not logged in: the upload page and the job pages redirect to the login."""
    assert client.get(reverse("desk:upload")).status_code == 302
    assert client.post(reverse("desk:upload"), {"files": _named(TWO[:1])}).status_code == 302
    assert not Job.objects.exists()


@pytest.fixture(scope="module", autouse=True)
def own_databases():
    yield
    drop_own_databases()


@pytest.mark.slow
def test_worker_killed_mid_way_marks_the_job_and_retry_finishes_it(tmp_path):
    """SIGKILL of the worker during a job: the next worker marks it interrupted; a retry loads the rest once."""
    env = own_database_env(tmp_path / "data")
    manage(["migrate", "--noinput", "-v", "0"], env)
    corpus = make_corpus(tmp_path / "corpus", 8)  # 40 pages
    zipped = tmp_path / "upload.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in corpus.iterdir():
            archive.write(path, path.name)
    create = f"from desk import jobs; jobs.create(None, [('upload.zip', open({str(zipped)!r}, 'rb').read())])"
    manage(["shell", "-c", create], env)
    db = connect(env)

    def job():
        for _ in range(50):
            try:
                return tuple(db.execute("select status, done, total from desk_job").fetchone())
            except sqlite3.OperationalError:  # the worker is writing; read again
                time.sleep(0.1)
        raise AssertionError("the job row could not be read")

    worker = manage_process(["desk_worker", "--poll", "0.2"], env)
    try:
        deadline = time.monotonic() + 300
        while job()[1] < 3:
            assert time.monotonic() < deadline and worker.poll() is None, worker.stdout.read() if worker.poll() else ""
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    status, done, total = job()
    assert status == Job.RUNNING and 3 <= done < total == 40
    out = manage(["desk_worker", "--once"], env).stdout
    assert "cut off mid-way" in out and job()[0] == Job.INTERRUPTED
    manage(["shell", "-c", "from desk import jobs; from desk.models import Job; jobs.retry(Job.objects.get())"], env)
    manage(["desk_worker", "--once"], env)
    assert job() == (Job.DONE, 40, 40)
    assert tuple(db.execute("select count(*), count(distinct file_name) from archive_page").fetchone()) == (40, 40)
    assert tuple(db.execute("select count(*) from archive_article").fetchone()) == (40 // 5 * 18,)
