"""Each page kind rendered in process with no page cache: its own SQL and template, and its slowest queries.

    python tests/benchmarks/cold_pages.py DATA_DIR [URL ...] [--repeat 3]

Django's test client in this process (no server, no network), PAGE_CACHE=off, DEBUG
off; run `manage.py collectstatic` in the folder first (serve_and_load.py does).
Prints the median wall and CPU time per URL (CPU: this process's, SQLite's included,
which a machine shared with other work does not inflate as it does wall time), its
query count and its two slowest queries: for finding the SQL that makes a page slow
the first time after a write. Without URLs, one
of each kind from the archive. A benchmark, not a test.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def some_urls():
    from archive.models import Article, District, Person

    article = Article.objects.select_related("page").order_by("id")[100]
    person = Person.objects.order_by("id")[50]
    place = District.objects.order_by("id")[20]
    return ["/", "/people/", "/districts/", "/dates/1998/", "/dates/1998/1/", "/dates/1998/1/5/",
            article.get_absolute_url(), person.get_absolute_url(), place.get_absolute_url(), "/feed/",
            "/sitemap.xml", "/search/?q=经济", "/newspapers/", "/reporters/", "/organizations/", "/pages/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--repeat", type=int, default=3, help="timings per URL after one warm-up (default 3)")
    args = parser.parse_args()
    os.environ.update(DJANGO_SETTINGS_MODULE="archive.settings", BAOKU_DATA_DIR=str(args.data_dir),
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench"), PAGE_CACHE="off",
                      ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in args.urls or some_urls():
        client.get(url)  # jieba, templates, the index reader: warm, as a running server is
        times, cpu = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                status = client.get(url).status_code
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]
        print(f"{url[:40]:40s} {status} {statistics.median(times) * 1000:8.1f} ms "
              f"(CPU {statistics.median(cpu) * 1000:7.1f} ms)  {len(queries.captured_queries)} queries;"
              " slowest " + "; ".join(f'{q["time"]} s {q["sql"][:120]}' for q in slowest), flush=True)


if __name__ == "__main__":
    main()
