"""Ingest newspaper pages: `python manage.py ingest [PATH ...]` (seeds/ by default).

Metadata comes from manifest.csv beside the pages, or from --newspaper/--section/--published
for files no manifest lists; `--format pfr` reads the tagged People's Daily corpus instead.
The work is `archive.importers.ingest_paths`; this parses the arguments, prints progress
and the report, and exits non-zero if a file failed.
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.importers import PFR, TEXT, IngestOptions, ingest_paths
from archive.ingest.dates import DateError, PartialDate
from archive.progress import Progress


class Command(BaseCommand):
    help = "Ingest page text files (or folders of them) into the archive and its search index."

    def add_arguments(self, parser):
        arg = parser.add_argument
        arg("paths", nargs="*", help="Files or folders (default: the project's seeds/).")
        arg("--newspaper", default="", help="Newspaper for files without a manifest row.")
        arg("--section", default="", help="Section for files without a manifest row.")
        arg("--published", help="Publication date for files without a manifest row: 2017, 2020-07, "
            "2020-07-21 or 2025-06-24/2025-07-31.")
        arg("--force", action="store_true", help="Re-parse files even if unchanged.")
        arg("--format", choices=(TEXT, PFR), default=TEXT, help="text: page text files with a manifest "
            "(default); pfr: the PKU/PFR tagged People's Daily corpus, one file holding many pages.")
        arg("--shift-days", type=int, default=0,
            help="pfr only: move every date this many days (to build a synthetic larger corpus).")
        arg("--note", default="", help="pfr only: a note kept with every page (e.g. 'copy 2').")
        arg("--no-index", action="store_true",
            help="Queue index updates but do not write the index now (process_index_queue does).")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            published = PartialDate.parse(options["published"]) if options["published"] else None
        except DateError as exc:
            raise CommandError(f"--published: {exc}")
        paths = [Path(p) for p in options["paths"]]
        if options["format"] == PFR and not paths:
            raise CommandError("--format pfr needs the corpus file(s), e.g. ../shared/corpus/people_daily_199801.txt")
        # A bar on a terminal, the plain lines in a pipe or CI; at verbosity 0 only failures.
        self.bar = Progress(self.stdout, bar=None if self.verbosity >= 1 else False)
        with self.bar:
            report = self._ingest(paths, options, published)
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{len(report.failures)} problem(s):\n"
                               + "\n".join(f"  - {reason}" for reason in report.failures))

    def _ingest(self, paths, options, published):
        return ingest_paths(paths or [Path(settings.BASE_DIR) / "seeds"], IngestOptions(
            newspaper=options["newspaper"], section=options["section"], published=published,
            force=options["force"], format=options["format"], shift_days=options["shift_days"],
            note=options["note"], index=not options["no_index"], progress=self.progress,
            expect=self.bar.expect, step=self.step,
        ))

    def progress(self, line, failed=False):
        if failed:
            self.stderr.write(self.style.ERROR(line))
        elif self.verbosity >= 1:
            self.bar.say(line)

    def step(self, line, failed=False):
        """A file or page is done: the bar counts it; without a bar its line is printed."""
        if failed:
            self.stderr.write(self.style.ERROR(line))
            self.bar.step()
        else:
            self.bar.step(line if self.verbosity >= 1 else "")
