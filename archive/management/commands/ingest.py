"""Ingest newspaper pages: `python manage.py ingest [PATH ...]` (seeds/ by default).

Metadata comes from manifest.csv beside the pages, or from --newspaper,
--section and --published for files the manifest does not list. Each file is
loaded in its own transaction; a file that cannot be read or parsed is named with
the reason, the others still load, and the command exits non-zero.

`--format pfr` reads the PKU/PFR tagged People's Daily corpus instead: each file
holds many pages, and the corpus itself gives each page's date and number.
"""
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.ingest import pfr
from archive.ingest.dates import DateError, PartialDate
from archive.ingest.source import (
    MANIFEST_NAME, Decoded, PageMeta, SourceError, collect_files, read_manifest,
)
from archive.loader import Loader
from archive.models import IngestRun, Organization, Person
from archive.progress import Progress
from search.queue import BULK_COMMIT, drain, paused


class Command(BaseCommand):
    help = "Ingest page text files (or folders of them) into the archive and its search index."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders (default: the project's seeds/).")
        parser.add_argument("--newspaper", default="", help="Newspaper for files without a manifest row.")
        parser.add_argument("--section", default="", help="Section for files without a manifest row.")
        parser.add_argument(
            "--published",
            help="Publication date for files without a manifest row: 2017, 2020-07, 2020-07-21 "
            "or 2025-06-24/2025-07-31.",
        )
        parser.add_argument("--force", action="store_true", help="Re-parse files even if unchanged.")
        parser.add_argument(
            "--format", choices=("text", "pfr"), default="text",
            help="text: page text files with a manifest (default); pfr: the PKU/PFR tagged "
            "People's Daily corpus, one file holding many pages (UTF-8 or GBK).",
        )
        parser.add_argument(
            "--shift-days", type=int, default=0,
            help="pfr only: move every date this many days (to build a synthetic larger corpus).",
        )
        parser.add_argument(
            "--note", default="", help="pfr only: a note kept with every page (e.g. 'synthetic copy 2').",
        )
        parser.add_argument(
            "--no-index", action="store_true",
            help="Queue index updates but do not write the index now (process_index_queue does).",
        )

    def handle(self, *args, **options):
        fallback_date = None
        if options["published"]:
            try:
                fallback_date = PartialDate.parse(options["published"])
            except DateError as exc:
                raise CommandError(f"--published: {exc}")
        if options["format"] == "pfr":
            return self._handle_pfr(options)
        paths = [Path(p) for p in options["paths"]] or [Path(settings.BASE_DIR) / "seeds"]
        files, problems, notes = collect_files(paths)
        failures = [(None, p) for p in problems]

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
        for note in notes:
            self.stdout.write(f"note: {note}")
        # A manifest row naming a file that is not there is worth saying when the folder is loaded.
        for folder, manifest in manifests.items():
            if isinstance(manifest, SourceError) or folder.resolve() not in {p.resolve() for p in paths}:
                continue
            for name in manifest.rows:
                if not (folder / name).exists():
                    failures.append((name, f"{manifest.path}: lists {name}, which is not in {folder}"))

        counts, totals = Counter(), Counter()
        # Each file commits on its own and queues its index rows; one drain at the end
        # writes them in a single batch instead of one whoosh commit per file.
        with paused(), self._progress(options, len(files)) as progress:
            self._load_all(files, manifests, options, fallback_date, counts, totals, failures, progress)
        self._finish(options, counts, totals, len(files), failures)

    def _progress(self, options, total):
        """A bar on a terminal (verbosity 1 or more), plain lines in a pipe; nothing at verbosity 0."""
        return Progress(self.stdout, total=total, bar=None if options["verbosity"] >= 1 else False)

    def _finish(self, options, counts, totals, files, failures):
        indexed = 0
        # Drain even when nothing changed now: rows left by an ingest that was killed
        # before its drain are applied by the next one. An empty drain writes nothing.
        if not options["no_index"]:
            # Wait a while for a writer that holds whoosh's lock (an admin save);
            # rows still left are applied by the next drain or process_index_queue.
            indexed = drain(timeout=10, commit_size=BULK_COMMIT)
        unit = "Pages" if options["format"] == "pfr" else "Files"
        self.stdout.write(
            f"{unit}: {files} ({counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed). "
            f"Articles loaded: {totals['articles']}. New persons: {totals['persons']}, "
            f"new organisations: {totals['organizations']}. Index updates: {indexed}. "
            f"Archive now holds {Person.objects.count()} persons, {Organization.objects.count()} organisations."
        )
        if failures:
            raise CommandError(
                f"{len(failures)} problem(s):\n" + "\n".join(f"  - {reason}" for _, reason in failures)
            )

    def _load_all(self, files, manifests, options, fallback_date, counts, totals, failures, progress):
        loader = Loader()
        for i, path in enumerate(files, start=1):
            prefix = f"[{i}/{len(files)}] {path.name}"
            try:
                meta = self._meta(path, manifests.get(path.parent), options, fallback_date)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
                result = loader.load(path.name, data, meta, force=options["force"])
            except SourceError as exc:
                self._failed(path.name, exc, counts, failures)
                self.stderr.write(self.style.ERROR(f"{prefix}: FAILED: {exc}"))
                progress.step()
                continue
            self._count(result, counts, totals)
            progress.step(
                f"{prefix}: {result.status}, {result.articles} articles "
                f"(encoding {result.encoding}, {meta.published or 'date unknown'})"
            )
            for warning in result.warnings:
                progress.say(f"    warning: {warning}")

    def _handle_pfr(self, options):
        if not options["paths"]:
            raise CommandError("--format pfr needs the corpus file(s), e.g. ../shared/corpus/people_daily_199801.txt")
        counts, totals, failures, pages = Counter(), Counter(), [], 0
        loader = Loader(create_places=True)
        paths = list(map(Path, options["paths"]))
        total = sum(pfr.count_pages(p) for p in paths if p.is_file())
        with paused(), self._progress(options, total) as progress:
            for path in paths:
                try:
                    for page in pfr.read_pages(path, options["shift_days"], options["note"]):
                        pages += 1
                        self._load_pfr_page(loader, page, options, counts, totals, failures, progress)
                except (OSError, SourceError) as exc:
                    reason = f"{path}: {getattr(exc, 'strerror', None) or exc}"
                    counts["failed"] += 1
                    failures.append((path.name, reason))
                    self.stderr.write(self.style.ERROR(f"{path}: FAILED: {reason}"))
        self._finish(options, counts, totals, pages, failures)

    def _load_pfr_page(self, loader, page, options, counts, totals, failures, progress):
        try:
            result = loader.load_parsed(
                page.file_name, page.raw_bytes, Decoded(page.text, page.encoding), page.meta,
                page.parsed, force=options["force"],
            )
        except SourceError as exc:
            self._failed(page.file_name, exc, counts, failures)
            progress.step()
            return
        self._count(result, counts, totals)
        # One line per page would be 278 lines a month: a line a day is progress enough.
        first_of_day = page.file_name.endswith("-01.pfr") and options["verbosity"] >= 1
        progress.step(f"{page.meta.published}: {result.status} ..." if first_of_day else "")

    @staticmethod
    def _count(result, counts, totals):
        counts[result.status] += 1
        if result.status != IngestRun.UNCHANGED:
            totals["articles"] += result.articles
        totals["persons"] += result.persons_created
        totals["organizations"] += result.organizations_created

    @staticmethod
    def _failed(name, exc, counts, failures):
        counts["failed"] += 1
        failures.append((name, str(exc)))
        IngestRun.objects.create(file_name=name, status=IngestRun.FAILED, message=str(exc))

    def _meta(self, path, manifest, options, fallback_date) -> PageMeta:
        if isinstance(manifest, SourceError):
            raise SourceError(f"{path.name}: its manifest is unusable: {manifest}")
        if manifest is not None and path.name in manifest.rows:
            return manifest.rows[path.name]
        if fallback_date is None and not options["newspaper"]:
            where = f"{manifest.path}" if manifest is not None else f"no {MANIFEST_NAME} in {path.parent}"
            raise SourceError(
                f"{path}: no manifest row ({where}) and no --published/--newspaper given; "
                "say at least when it was published"
            )
        return PageMeta(
            newspaper=options["newspaper"],
            section=options["section"],
            published=fallback_date,
            source="command line",
        )
