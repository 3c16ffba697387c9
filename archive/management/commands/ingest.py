"""Ingest newspaper pages: `python manage.py ingest [PATH ...]` (seeds/ by default).

Metadata comes from manifest.csv beside the pages, or from --newspaper,
--section and --published for files the manifest does not list. Each file is
loaded in its own transaction; a file that cannot be read or parsed is named with
the reason, the others still load, and the command exits non-zero.
"""
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.ingest.dates import DateError, PartialDate
from archive.ingest.source import MANIFEST_NAME, PageMeta, SourceError, collect_files, read_manifest
from archive.loader import Loader
from archive.models import IngestRun, Organization, Person
from search.queue import drain, paused


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
        with paused():
            self._load_all(files, manifests, options, fallback_date, counts, totals, failures)
        indexed = 0
        if not options["no_index"] and (counts["created"] or counts["updated"]):
            # Wait a while for a writer that holds whoosh's lock (an admin save);
            # rows still left are applied by the next drain or process_index_queue.
            indexed = drain(timeout=10)
        self.stdout.write(
            f"Files: {len(files)} ({counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed). "
            f"Articles loaded: {totals['articles']}. New persons: {totals['persons']}, "
            f"new organisations: {totals['organizations']}. Index updates: {indexed}. "
            f"Archive now holds {Person.objects.count()} persons, {Organization.objects.count()} organisations."
        )
        if failures:
            raise CommandError(
                f"{len(failures)} problem(s):\n" + "\n".join(f"  - {reason}" for _, reason in failures)
            )

    def _load_all(self, files, manifests, options, fallback_date, counts, totals, failures):
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
                counts["failed"] += 1
                failures.append((path.name, str(exc)))
                IngestRun.objects.create(file_name=path.name, status=IngestRun.FAILED, message=str(exc))
                self.stderr.write(self.style.ERROR(f"{prefix}: FAILED: {exc}"))
                continue
            counts[result.status] += 1
            if result.status != IngestRun.UNCHANGED:
                totals["articles"] += result.articles
            totals["persons"] += result.persons_created
            totals["organizations"] += result.organizations_created
            self.stdout.write(
                f"{prefix}: {result.status}, {result.articles} articles "
                f"(encoding {result.encoding}, {meta.published or 'date unknown'})"
            )
            for warning in result.warnings:
                self.stdout.write(f"    warning: {warning}")

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
