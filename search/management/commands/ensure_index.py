"""Make sure the search index exists and is current: `python manage.py ensure_index`.

Safe to run on every deploy (`make setup` does): it rebuilds only when the index is
missing, empty while the archive is not, or made by code with other fields; then it
applies whatever the queue holds and merges what the drains left apart (the ingest
merges only small segments, so that its time does not grow with the archive).
--rebuild forces a full rebuild, done beside the live index and swapped in, so
searches keep working meanwhile.
"""
from django.core.management.base import BaseCommand, CommandError

from search.names import write_user_dict
from search.queue import BULK_COMMIT, IndexWriteError, drain, merge, pending
from search.rebuild import needs_rebuild, rebuild


class Command(BaseCommand):
    help = "Build the search index if it is missing or stale, then apply queued changes."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Rebuild from the database even if the index looks current.")
        parser.add_argument(
            "--wait", type=float, default=60.0,
            help="Seconds to wait for whoosh's write lock (default 60).",
        )

    def handle(self, *args, **options):
        # The names jieba keeps whole come from the database; refresh them before indexing.
        write_user_dict()
        reason = "asked to" if options["rebuild"] else needs_rebuild()
        if reason:
            self.stdout.write(f"Rebuilding the search index ({reason})…")
            count = rebuild(lock_timeout=options["wait"], progress=lambda n: self.stdout.write(f"  {n} articles"))
            self.stdout.write(f"Indexed {count} articles.")
        try:
            done = drain(timeout=options["wait"], commit_size=BULK_COMMIT)
            merged = merge(timeout=options["wait"])
        except IndexWriteError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Index updates applied: {done}; rows still queued: {pending()}.")
        if merged and merged[0] != merged[1]:
            self.stdout.write(f"Index segments merged: {merged[0]} -> {merged[1]}.")
