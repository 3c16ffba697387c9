"""Run uploaded ingest jobs: `python manage.py desk_worker` (`make run` starts one).

At start, jobs left running by a worker that is gone are marked interrupted (they
can be retried from their page). Then queued jobs run one at a time, oldest first.
"""
import time

from django.core.management.base import BaseCommand

from desk import jobs


class Command(BaseCommand):
    help = "Ingest uploaded pages in the background, one job at a time."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument("--poll", type=float, default=2.0, help="Seconds between looks at the queue.")

    def handle(self, *args, **options):
        cut = jobs.mark_interrupted()
        if cut:
            self.stdout.write(f"{cut} job(s) were cut off mid-way and are marked interrupted")
        while True:
            job = jobs.claim()
            if job is None:
                if options["once"]:
                    return
                time.sleep(options["poll"])
                continue
            self.stdout.write(f"job {job.pk}: {job.total} file(s)")
            job = jobs.run(job)
            self.stdout.write(f"job {job.pk}: {job.status}")
