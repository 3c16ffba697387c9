"""An ingest of many files parses the next pages in a second process (archive.ingest.ahead)
while the loader writes: the same archive, the same lines and failures as parsing in one
process, unchanged pages sent to no worker, and nothing lost when the worker dies."""
import os
import signal

import pytest

from archive import importers
from archive.importers import IngestOptions, ingest_paths
from archive.ingest import ahead as ahead_module
from archive.loader import Loader
from archive.models import Article, IngestRun, Organization, Page, Person
from tests.builders import SEEDS, archive_snapshot, seed_copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(tmp_path):
    """Ten pages (two copies of each seed)."""
    return seed_copies(tmp_path / "pages", 2)


@pytest.fixture
def sent(monkeypatch, settings):
    """Parsing ahead on (from 8 files, not 32), and the names of the pages sent to the worker."""
    settings.BAOKU_INGEST_AHEAD = True
    monkeypatch.setattr(importers, "AHEAD_MIN", 8)
    names = []
    real = ahead_module.Ahead.send

    def send(self, file_name, data, published):
        names.append(file_name)
        return real(self, file_name, data, published)

    monkeypatch.setattr(ahead_module.Ahead, "send", send)
    return names


def _ingest(folder):
    lines = []
    report = ingest_paths([folder], IngestOptions(index=False, progress=lambda line, failed=False: lines.append(line)))
    return report, lines


def _forget_everything():
    Page.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    IngestRun.objects.all().delete()


def _comparable(snapshot):
    """A snapshot without the row ids two runs give differently."""
    return {
        **snapshot,
        "articles": sorted(row[1:] for row in snapshot["articles"]),
        "persons": sorted(name for _, name in snapshot["persons"]),
        "mentions": len(snapshot["mentions"]),
        "organizations": sorted(name for _, name in snapshot["organizations"]),
    }


def test_the_worker_parses_a_page_as_the_loader_would():
    loader = Loader()
    worker = ahead_module.Ahead(loader.places)
    try:
        for path in sorted(SEEDS.glob("*.txt")):
            data = path.read_bytes()
            assert worker.send(path.name, data, None)() == ahead_module.read_page(path.name, data, None, loader.places)
    finally:
        worker.close()
    assert not worker.broken


def test_parsing_ahead_stores_what_parsing_here_stores(pages, sent, settings):
    report, lines = _ingest(pages)
    assert len(sent) == report.files == 10 and report.ok
    ahead = (_comparable(archive_snapshot()), lines, report.summary())
    _forget_everything()
    settings.BAOKU_INGEST_AHEAD = False
    report, lines = _ingest(pages)
    assert len(sent) == 10  # no page sent this time
    assert (_comparable(archive_snapshot()), lines, report.summary()) == ahead


def test_a_page_that_cannot_be_decoded_fails_alike_and_the_others_load(pages, sent, settings):
    bad = sorted(pages.glob("*.txt"))[3]
    bad.write_bytes(b"\xff\xfe" + "郑州".encode("utf-16-le"))
    report, lines = _ingest(pages)
    assert bad.name in sent and report.counts["failed"] == 1 and report.counts["created"] == 9
    failures = report.failures
    _forget_everything()
    settings.BAOKU_INGEST_AHEAD = False
    report, _ = _ingest(pages)
    assert report.failures == failures and f"{bad.name}: looks like UTF-16" in failures[0]
    assert not Page.objects.filter(file_name=bad.name).exists()


def test_unchanged_pages_are_sent_to_no_worker(pages, sent):
    _ingest(pages)
    first = len(sent)
    changed = sorted(pages.glob("*.txt"))[5]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n补记 本报讯 郑州市召开会议。\n", encoding="utf-8")
    report, _ = _ingest(pages)
    assert sent[first:] == [changed.name]
    assert (report.counts["unchanged"], report.counts["updated"]) == (9, 1)


def test_a_worker_that_dies_loses_nothing(pages, sent, monkeypatch):
    """The worker is killed after the third page is sent: the pages it had not parsed are
    parsed in this process, every page loads, and the run says what happened."""
    real = ahead_module.Ahead.send

    def send_then_kill(self, file_name, data, published):
        read = real(self, file_name, data, published)
        if len(sent) == 3:
            for process in list(self._pool._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
        return read

    monkeypatch.setattr(ahead_module.Ahead, "send", send_then_kill)
    report, lines = _ingest(pages)
    assert report.ok and report.counts["created"] == 10
    assert Page.objects.count() == 10 and Article.objects.count() == 36
    assert any("the parser process stopped" in line for line in lines)


def test_a_few_files_are_parsed_in_this_process(tmp_path, sent):
    folder = seed_copies(tmp_path / "few", 1)  # the five seeds: under AHEAD_MIN (8 here)
    report, _ = _ingest(folder)
    assert report.counts["created"] == 5 and sent == []
