"""Apply queued search-index changes: `python manage.py process_index_queue`.

Run it from cron or a timer, or with --loop as a small service: it is the writer of
last resort for changes whose after-commit drain met whoosh's lock (an admin edit
during an ingest, say), and it merges the index's segments when nothing waits (drains,
the ingest's included, merge only small ones). Several can run at once; whoosh's lock
lets one write.
"""
import time

from django.core.management.base import BaseCommand, CommandError

from search.queue import BULK_COMMIT, IndexWriteError, drain, merge, pending


class Command(BaseCommand):
    help = "Apply queued search-index changes (search.models.IndexQueue) to the whoosh index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait", type=float, default=10.0,
            help="Seconds to wait for whoosh's write lock before leaving the rows for next time (default 10).",
        )
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS",
            help="Keep running, draining every SECONDS, instead of draining once.",
        )

    def handle(self, *args, **options):
        while True:
            try:
                done = drain(timeout=options["wait"], commit_size=BULK_COMMIT)
                left = pending()
                # Housekeeping only when nothing waits: a merge holds the write lock for minutes.
                merged = None if left else merge(timeout=options["wait"])
            except IndexWriteError as exc:
                raise CommandError(str(exc)) from exc
            if done or left or options["verbosity"] > 1 or not options["loop"]:
                self.stdout.write(f"Index updates applied: {done}; rows still queued: {left}.")
            if merged and merged[0] != merged[1]:
                self.stdout.write(f"Index segments merged: {merged[0]} -> {merged[1]}.")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
