"""ingest_paths, the plain function behind the ingest command and the editor's upload."""
import shutil
from pathlib import Path

import pytest

from archive.importers import IngestOptions, ingest_paths
from archive.models import Article, IngestRun, Page

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_report_counts_what_was_loaded(seeds):
    """The report holds the counts a caller shows: 5 pages created, 18 articles, no failure."""
    report = ingest_paths([seeds], IngestOptions(index=False))
    assert (report.files, report.counts["created"], report.articles) == (5, 5, 18)
    assert report.ok and report.persons_total > 0
    assert Page.objects.count() == 5 and Article.objects.count() == 18


def test_progress_lines_reach_the_caller(seeds):
    """Each file's line goes to the progress callback as it is loaded."""
    lines = []
    ingest_paths([seeds], IngestOptions(index=False, progress=lambda line, **flags: lines.append(line)))
    assert [line.split(":")[0] for line in lines if line.startswith("[")] == [
        f"[{i}/5] {p.name}" for i, p in enumerate(sorted(seeds.glob("*.txt")), start=1)
    ]


def test_the_caller_hears_the_total_then_each_file_done(seeds):
    """A progress bar's needs: how many files first, then one `done` per file."""
    heard = []
    ingest_paths([seeds], IngestOptions(
        index=False, expect=lambda total: heard.append(("total", total)),
        progress=lambda line, failed=False, done=False: done and heard.append("done"),
    ))
    assert heard == [("total", 5)] + ["done"] * 5


def test_a_failed_file_is_reported_and_audited_and_the_rest_load(seeds):
    """A broken file is a failure in the report and an IngestRun row; the other pages load."""
    (seeds / "002_e713b7ff9e0ddada.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = ingest_paths([seeds], IngestOptions(index=False))
    assert report.counts["failed"] == 1 and "this is a PNG image" in report.failures[0]
    assert Page.objects.count() == 4
    assert IngestRun.objects.filter(status=IngestRun.FAILED, file_name="002_e713b7ff9e0ddada.txt").exists()
