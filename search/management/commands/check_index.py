"""Report articles missing from, stale in or orphaned in the search index: `manage.py check_index [--fix]`.

Exit status 1 when problems are left (after --fix: when the repair could not apply
them, e.g. another writer held whoosh's lock), so it can run from cron or CI.
"""
from django.core.management.base import BaseCommand, CommandError

from search.check import check, repair
from search.queue import IndexWriteError


class Command(BaseCommand):
    help = "Compare the search index with the database (ids and a content digest); --fix repairs it."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Reindex missing and stale articles, remove orphans.")
        parser.add_argument("--wait", type=float, default=60.0,
                            help="Seconds to wait for whoosh's write lock when fixing (default 60).")

    def handle(self, *args, **options):
        report = check()
        self.stdout.write(
            f"Articles: {report.articles}; indexed: {report.indexed}; missing: {len(report.missing)}; "
            f"stale: {len(report.stale)}; orphaned: {len(report.orphans)}; queued: {report.queued}."
        )
        for name in ("missing", "stale", "orphans"):
            ids = getattr(report, name)
            if ids and options["verbosity"] > 1:
                self.stdout.write(f"  {name}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}")
        if report.ok and not (options["fix"] and report.queued):
            return
        if not options["fix"]:
            raise CommandError("The index is out of step with the database; run with --fix to repair it.")
        try:
            done = repair(report, timeout=options["wait"])
        except IndexWriteError as exc:
            raise CommandError(str(exc)) from exc
        after = check()
        self.stdout.write(f"Repaired: {done} records written. Now missing: {len(after.missing)}; "
                          f"stale: {len(after.stale)}; orphaned: {len(after.orphans)}.")
        if not after.ok:
            raise CommandError("Some problems remain (another writer may hold the index lock); run again.")
