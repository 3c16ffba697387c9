"""Uploads ingested in the background: a job table in the database and a worker command.

No broker: the Job row is the queue (Django 5.2 has no tasks framework of its own,
and one table with a status column is all one worker needs). The job calls the same
plain function as `manage.py ingest` (archive.importers.ingest_paths), so its log is
the command line's messages, line by line.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.importers import IngestOptions, ingest_paths
from archive.ingest.dates import PartialDate
from archive.ingest.source import MANIFEST_NAME
from desk.models import Job

MAX_UPLOAD = 50 * 1024 * 1024  # bytes, all files of one upload together (a zip: unpacked)
MAX_FILES = 2000
ALLOWED = (".txt", ".csv")
_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] ")


class UploadRefused(Exception):
    """The upload cannot be taken (the message names the file and the problem)."""


def folder(job: Job) -> Path:
    return Path(settings.DATA_DIR) / "uploads" / str(job.pk)


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    if not base or base.startswith(".") or "\n" in base or "\r" in base:
        raise UploadRefused(f"{name!r}: not a usable file name")
    if not base.lower().endswith(ALLOWED):
        raise UploadRefused(f"{base}: only .txt page files and {MANIFEST_NAME} are taken")
    return base


def _unzip(name: str, data: bytes) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(f"{name}: not a zip file") from None
    members = [m for m in archive.infolist() if not m.is_dir() and not Path(m.filename).name.startswith(".")]
    if sum(m.file_size for m in members) > MAX_UPLOAD:
        raise UploadRefused(f"{name}: unpacks to more than {MAX_UPLOAD // 2**20} MB")
    return [(m.filename, archive.read(m)) for m in members if m.filename.lower().endswith(ALLOWED)]


def create(user, uploads: list[tuple[str, bytes]], newspaper="", section="", published="") -> Job:
    """A queued job holding the uploaded files (zips unpacked into one folder)."""
    files: dict[str, bytes] = {}
    for name, data in uploads:
        pairs = _unzip(name, data) if name.lower().endswith(".zip") else [(name, data)]
        for inner, content in pairs:
            base = _safe_name(inner)
            if base in files:
                raise UploadRefused(f"{base}: two files of this name in one upload")
            files[base] = content
    pages = [n for n in files if n != MANIFEST_NAME]
    if not pages:
        raise UploadRefused("no page files (.txt) in the upload")
    if len(files) > MAX_FILES or sum(map(len, files.values())) > MAX_UPLOAD:
        raise UploadRefused(f"at most {MAX_FILES} files and {MAX_UPLOAD // 2**20} MB in one upload")
    with transaction.atomic():
        job = Job.objects.create(user=user, newspaper=newspaper, section=section, published=published,
                                 files=sorted(pages), total=len(pages))
        where = folder(job)
        # A folder already there belongs to no job (its row was rolled back or deleted).
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        for name, content in files.items():
            (where / name).write_bytes(content)
    return job


class _Log:
    """The job's output: each progress line is saved to the row at once, with the count done."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, line, failed=False):  # failures are lines like any other, as on a terminal
        match = _PROGRESS.match(line)
        if match:
            self.job.done = int(match.group(1))
        self.job.log += line + "\n"
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log, done=self.job.done)


def claim() -> Job | None:
    """The oldest queued job, now running in this process; None if there is none."""
    for job in Job.objects.filter(status=Job.QUEUED).order_by("created_at", "id")[:5]:
        taken = Job.objects.filter(pk=job.pk, status=Job.QUEUED).update(
            status=Job.RUNNING, worker_pid=os.getpid(), started_at=timezone.now(), attempts=job.attempts + 1,
        )
        if taken:
            job.refresh_from_db()
            return job
    return None


def run(job: Job) -> Job:
    """Ingest a claimed job's folder as `manage.py ingest` does, the fallback metadata from the form."""
    log = _Log(job)
    options = IngestOptions(
        newspaper=job.newspaper, section=job.section,
        published=PartialDate.parse(job.published) if job.published else None, progress=log,
    )
    try:
        report = ingest_paths([folder(job)], options)
    except Exception as exc:  # the job says what broke; the worker goes on to the next
        status, message = Job.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        log(report.summary())
        status = Job.DONE if report.ok else Job.FAILED
        message = "\n".join([f"{len(report.failures)} problem(s):", *report.failures]) if report.failures else ""
    Job.objects.filter(pk=job.pk).update(status=status, message=message, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted() -> int:
    """Running jobs whose worker is gone were cut off mid-way: say so (a worker calls this at start)."""
    cut = [job.pk for job in Job.objects.filter(status=Job.RUNNING)
           if job.worker_pid == os.getpid() or not _alive(job.worker_pid)]
    return Job.objects.filter(pk__in=cut).update(
        status=Job.INTERRUPTED, finished_at=timezone.now(),
        message="the worker stopped while this job ran; pages it finished are loaded, retry loads the rest",
    )


def retry(job: Job) -> None:
    if job.status not in (Job.INTERRUPTED, Job.FAILED):
        raise UploadRefused(f"job {job.pk} is {job.status}; only interrupted or failed jobs are retried")
    Job.objects.filter(pk=job.pk).update(status=Job.QUEUED, done=0, finished_at=None,
                                         log=job.log + "--- retried ---\n")


def remove_files(job: Job) -> None:
    shutil.rmtree(folder(job), ignore_errors=True)
