"""Run uploaded ingest jobs: `python manage.py desk_worker` (`make run` starts one).

At start, jobs left running by a worker that is gone are marked interrupted (they
can be retried from their page). Then queued jobs run one at a time, oldest first.
While no job waits, it is also the search index's housekeeper: at most once a
HOUSEKEEPING interval it merges the segments that ingests left apart (their drains merge
only small ones, so an ingest's time does not grow with the archive), then applies
the index updates queued by edits made while the merge held whoosh's lock.
"""
import time

from django.core.management.base import BaseCommand

from desk import jobs
from search import queue

HOUSEKEEPING = 60.0  # seconds between the idle worker's looks at the index's segments


class Command(BaseCommand):
    help = "Ingest uploaded pages in the background, one job at a time."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument("--poll", type=float, default=2.0, help="Seconds between looks at the queue.")

    def handle(self, *args, **options):
        cut = jobs.mark_interrupted()
        if cut:
            self.stdout.write(f"{cut} job(s) were cut off mid-way and are marked interrupted")
        looked = None
        while True:
            job = jobs.claim()
            if job is None:
                if options["once"]:
                    return
                if looked is None or time.monotonic() - looked >= HOUSEKEEPING:
                    self._housekeeping()
                    looked = time.monotonic()
                time.sleep(options["poll"])
                continue
            self.stdout.write(f"job {job.pk}: {job.total} file(s)")
            job = jobs.run(job)
            self.stdout.write(f"job {job.pk}: {job.status}")

    def _housekeeping(self):
        try:
            merged = queue.merge()
            if merged and merged[0] != merged[1]:
                self.stdout.write(f"search index: segments merged {merged[0]} -> {merged[1]}")
                queue.drain(commit_size=queue.BULK_COMMIT)
        except queue.IndexWriteError as exc:
            # The worker's jobs matter more than a merge: say why and try again later.
            self.stderr.write(f"search index: merging failed ({exc}); tried again later")
