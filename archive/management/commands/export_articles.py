"""Write every article as JSON Lines (the archive's export format; see README)."""
import json
import sys

from django.core.management.base import BaseCommand

from archive.export import article_record, export_queryset


class Command(BaseCommand):
    help = "Export articles as JSON Lines, one article a line, to standard output or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write instead of standard output.")
        parser.add_argument("--source", help="Only articles from this page file name.")
        parser.add_argument("--base-url", default="", help="Prefix for the url field, e.g. https://baoku.example.")

    def handle(self, *args, **options):
        qs = export_queryset()
        if options["source"]:
            qs = qs.filter(page__file_name=options["source"])
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else sys.stdout
        try:
            count = 0
            for article in qs.iterator(chunk_size=500):
                out.write(json.dumps(article_record(article, options["base_url"]), ensure_ascii=False))
                out.write("\n")
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        if options["output"]:
            self.stderr.write(f"{count} articles written to {options['output']}")
