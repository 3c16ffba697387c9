"""An ingest run as a plain function: paths in, an IngestReport out.

`ingest_paths` finds the page files, resolves each one's metadata (its folder's
manifest.csv, or the fallback given by the caller), hands the bytes to the
loader and drains the search queue once at the end. The management command and
the editor's upload both call it; neither writes a model itself (the loader does,
audit rows included).

Each file is loaded on its own: a file that cannot be read, decoded, parsed or
stored (a full disk, a value the database refuses) is reported with the reason and
the run goes on with the next one. File names are shown with their control
characters escaped, so no name can break or fake a line of the report.
"""
from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from archive.ingest import pfr
from archive.ingest.ahead import Ahead
from archive.ingest.dates import PartialDate
from archive.ingest.source import (
    MANIFEST_NAME, Decoded, PageMeta, SourceError, collect_files, file_name_problem, printable,
    read_manifest, read_page_bytes,
)
from archive.loader import CREATED, UNCHANGED, LoadResult, Loader
from archive.models import Organization, Person

TEXT, PFR = "text", "pfr"
# Files in a run from which pages are parsed in a second process (archive.ingest.ahead). Its
# first page takes 1.6 s (it starts and loads jieba and the person model) against 0.9 s here,
# and it saves about a page's parse (22 ms in the month) on each page after: it pays from
# about 30 pages, so an upload from the desk or the five seeds stay in this process.
AHEAD_MIN = 32


@dataclass
class IngestOptions:
    newspaper: str = ""  # fallback metadata for files no manifest row names
    section: str = ""
    published: PartialDate | None = None
    force: bool = False  # re-parse unchanged files
    format: str = TEXT  # or PFR: the tagged People's Daily corpus, many pages a file
    shift_days: int = 0  # PFR only: move every date (a synthetic larger corpus)
    note: str = ""  # PFR only: kept with every page
    index: bool = True  # drain the search queue at the end
    # Called with each progress line as it happens (failed=True for a file's failure).
    progress: Callable[..., None] | None = None
    # Told how many files or pages the run will load, before the first (a progress bar's total).
    expect: Callable[[int], None] | None = None
    # If given, called once for each file or page finished, with its line (possibly empty)
    # and failed=, instead of `progress` getting that line: a bar counts these.
    step: Callable[..., None] | None = None


@dataclass
class IngestReport:
    unit: str = "Files"
    files: int = 0
    counts: Counter = field(default_factory=Counter)  # created / updated / unchanged / failed
    articles: int = 0
    persons_created: int = 0
    organizations_created: int = 0
    indexed: int = 0
    persons_total: int = 0
    organizations_total: int = 0
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    results: list[LoadResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.unit}: {self.files} ({c[CREATED]} created, {c['updated']} updated, "
            f"{c[UNCHANGED]} unchanged, {c['failed']} failed). "
            f"Articles loaded: {self.articles}. New persons: {self.persons_created}, "
            f"new organisations: {self.organizations_created}. Index updates: {self.indexed}. "
            f"Archive now holds {self.persons_total} persons, {self.organizations_total} organisations."
        )

    def add(self, result: LoadResult):
        self.counts[result.status] += 1
        if result.status != UNCHANGED:
            self.articles += result.articles
        self.persons_created += result.persons_created
        self.organizations_created += result.organizations_created
        self.results.append(result)

    def fail(self, reason: str):
        self.counts["failed"] += 1
        self.failures.append(reason)


def ingest_paths(paths: list[Path], options: IngestOptions | None = None) -> IngestReport:
    """Load page files or folders (or PFR corpus files) and say what happened."""
    from search.queue import paused

    options = options or IngestOptions()
    report = IngestReport(unit="Pages" if options.format == PFR else "Files")
    say = options.progress or (lambda line, failed=False: None)
    # Each file commits on its own and queues its index rows; one drain at the end
    # writes them in a single batch instead of one whoosh commit per file.
    with paused():
        if options.format == PFR:
            _load_pfr(paths, options, report, say)
        else:
            _load_text(paths, options, report, say)
    return _finish(options, report)


def _finish(options: IngestOptions, report: IngestReport) -> IngestReport:
    from search.queue import BULK_COMMIT, IndexWriteError, drain

    # Drain even when nothing changed now: rows left by an ingest that was killed
    # before its drain are applied by the next one. An empty drain writes nothing.
    if options.index:
        # Wait a while for a writer that holds whoosh's lock (an admin save);
        # rows still left are applied by the next drain or process_index_queue.
        try:
            report.indexed = drain(timeout=10, commit_size=BULK_COMMIT)
        except IndexWriteError as exc:  # the pages are loaded; their index updates wait
            report.failures.append(f"search index: {exc}")
    report.persons_total = Person.objects.count()
    report.organizations_total = Organization.objects.count()
    return report


# -- page text files with a manifest -------------------------------------------------

def _load_text(paths, options, report, say):
    files, problems, notes = collect_files(paths)
    report.files = len(files)
    report.failures += [printable(p) for p in problems]
    manifests = _read_manifests(files, notes)
    report.notes = notes
    for note in notes:
        say(f"note: {printable(note)}")
    report.failures += _missing_listed(manifests, paths)
    if options.expect:
        options.expect(len(files))

    loader = Loader()
    ahead = Ahead(loader.places) if settings.BAOKU_INGEST_AHEAD and len(files) >= AHEAD_MIN else None
    try:
        for i, (path, prepared) in enumerate(_prepared(files, manifests, options, loader, ahead), start=1):
            prefix = f"[{i}/{len(files)}] {printable(path.name)}"
            try:
                if isinstance(prepared, Exception):
                    raise prepared
                meta, data, read = prepared
                result = loader.load(path.name, data, meta, force=options.force, read=read)
            except (SourceError, DatabaseError) as exc:
                reason = _failed(loader, report, path.name, exc)
                _done(options, say, f"{prefix}: FAILED: {reason}", failed=True)
                continue
            report.add(result)
            _done(options, say, f"{prefix}: {result.status}, {result.articles} articles "
                  f"(encoding {result.encoding}, {meta.published or 'date unknown'})")
            for warning in result.warnings:
                say(f"    warning: {warning}")
    finally:
        if ahead is not None:
            ahead.close()
            if ahead.broken:
                say(f"note: {ahead.broken}; the pages after it were parsed in this process")


def _prepared(files, manifests, options, loader, ahead):
    """(path, (meta, bytes, read) or the SourceError that stops it) for each file in turn.

    With `ahead`, the pages a few files on are already being parsed in its worker while
    the loader writes this one; a page stored as it is goes to no worker (`load` finds
    it unchanged without parsing it), and `read` is None where this process parses.
    """
    waiting = deque()
    for path in files:
        waiting.append((path, _prepare(path, manifests, options, loader, ahead)))
        if len(waiting) > (ahead.limit if ahead else 0):
            yield waiting.popleft()
    yield from waiting


def _prepare(path, manifests, options, loader, ahead):
    try:
        problem = file_name_problem(path)
        if problem:
            raise SourceError(problem)
        meta = _meta(path, manifests.get(path.parent), options)
        data = read_page_bytes(path)
    except SourceError as exc:
        return exc
    read = None
    if ahead is not None:
        try:
            if not loader.unchanged(path.name, data, meta, options.force):
                read = ahead.send(path.name, data, meta.published)
        except DatabaseError:
            pass  # parsed here, if at all: `load` meets the database's refusal and reports it
    return meta, data, read


def _read_manifests(files, notes) -> dict:
    """Each folder's manifest, or the SourceError that makes it unusable."""
    manifests = {}
    for folder in sorted({f.parent for f in files}):
        manifest_path = folder / MANIFEST_NAME
        if manifest_path.exists():
            try:
                manifests[folder] = read_manifest(manifest_path)
            except SourceError as exc:
                manifests[folder] = exc
            else:
                notes += manifests[folder].notes
    return manifests


def _missing_listed(manifests, paths) -> list[str]:
    """A manifest row naming a file that is not there is worth saying when its folder is loaded."""
    given = {p.resolve() for p in paths}
    problems = []
    for folder, manifest in manifests.items():
        if isinstance(manifest, SourceError) or folder.resolve() not in given:
            continue
        for name in manifest.rows:
            if not (folder / name).exists():
                problems.append(printable(f"{manifest.path}: lists {name}, which is not in {folder}"))
    return problems


def _meta(path: Path, manifest, options: IngestOptions) -> PageMeta:
    if isinstance(manifest, SourceError):
        raise SourceError(f"{path.name}: its manifest is unusable: {manifest}")
    if manifest is not None and path.name in manifest.rows:
        return manifest.rows[path.name]
    if options.published is None and not options.newspaper:
        where = f"{manifest.path}" if manifest is not None else f"no {MANIFEST_NAME} in {path.parent}"
        raise SourceError(
            f"{path}: no manifest row ({where}) and no --published/--newspaper given; "
            "say at least when it was published"
        )
    return PageMeta(
        newspaper=options.newspaper,
        section=options.section,
        published=options.published,
        source="command line",
    )


def _failed(loader: Loader, report: IngestReport, name: str, exc: Exception) -> str:
    """Report a file that did not load (and audit it if the database lets us); returns the reason."""
    reason = printable(str(exc))
    if isinstance(exc, DatabaseError):
        reason = f"{printable(name)}: the database refused the page: {reason}"
    report.fail(reason)
    try:
        loader.record_failure(printable(name), reason)
    except DatabaseError:
        pass  # the audit row cannot be written either (a full disk): the report says it
    return reason


# -- the tagged People's Daily corpus ------------------------------------------------

def _load_pfr(paths, options, report, say):
    loader = Loader()
    if options.expect:
        options.expect(sum(pfr.count_pages(Path(p)) for p in paths if Path(p).is_file()))
    for path in map(Path, paths):
        try:
            for page in pfr.read_pages(path, options.shift_days, options.note):
                report.files += 1
                _load_pfr_page(loader, page, options, report, say)
        except (OSError, SourceError) as exc:
            # A SourceError names the file already.
            reason = str(exc) if isinstance(exc, SourceError) else f"{path}: {exc.strerror or exc}"
            reason = printable(reason)
            report.fail(reason)
            say(f"FAILED: {reason}", failed=True)


def _load_pfr_page(loader, page, options, report, say):
    try:
        result = loader.load_parsed(
            page.file_name, page.raw_bytes, Decoded(page.text, page.encoding), page.meta,
            page.parsed, force=options.force,
        )
    except (SourceError, DatabaseError) as exc:
        _failed(loader, report, page.file_name, exc)
        _done(options, say, "")
        return
    report.add(result)
    # One line per page would be 278 lines a month: a line a day is progress enough.
    _done(options, say, f"{page.meta.published}: {result.status} ..." if page.file_name.endswith("-01.pfr") else "")


def _done(options, say, line, failed=False):
    """A file or page is finished: a bar counts it (`step`), else its line is progress."""
    if options.step:
        options.step(line, failed=failed)
    elif line:
        say(line, failed=failed)
