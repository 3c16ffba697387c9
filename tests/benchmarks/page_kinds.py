"""One client alone, per page kind: warm (from the page cache) and cold (the first request after a write).

    python tests/benchmarks/page_kinds.py /tmp/fast-1x [--urls 8] [--repeat 3]

Serves the data folder as serve_and_load.py --no-ingest does (gunicorn, 2 workers,
DEBUG off, loopback), finds URLs of each kind the way load.py does, then for each
URL: `cold` bumps the archive's version (what every write does) and times the next
request, which no cache can help, so it is the page's own SQL and rendering; `warm`
times the same URL again, now served from the page cache. Prints p50/p95 per kind.
A benchmark, not a test; the figures depend on what else the machine runs.
"""
import argparse
import http.client
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from load import discover, fetch, percentile  # noqa: E402

from tests.server import production_site  # noqa: E402


def bumper(data_dir):
    """version.bump in this process, on the server's database (the same settings it runs with)."""
    os.environ.update(DJANGO_SETTINGS_MODULE="archive.settings", BAOKU_DATA_DIR=str(data_dir),
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench"))
    os.environ.pop("SEARCH_INDEX_PATH", None)
    import django

    django.setup()
    from archive import version

    return version.bump


def timed(conn, path):
    started = time.perf_counter()
    status, _ = fetch(conn, path)
    if status != 200:
        sys.exit(f"{path} answered {status}")
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--urls", type=int, default=8, help="URLs per kind (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="cold and warm timings per URL (default 3)")
    parser.add_argument("--no-bump", action="store_true",
                        help="never bump the version (code without a page cache: both columns are its plain time)")
    args = parser.parse_args()
    bump = (lambda: None) if args.no_bump else bumper(args.data_dir)
    with production_site(args.data_dir, ingest=False) as (url, _):
        parts = urllib.parse.urlsplit(url)
        mix = discover(parts.hostname, parts.port)
        mix.update(home=["/"], persons=["/people/"], districts=["/districts/"], feed=["/feed/"],
                   sitemap=["/sitemap.xml"])
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        print(f"{args.data_dir}: one client, {args.urls} URLs per kind, {args.repeat} timings each")
        for kind in sorted(mix):
            cold, warm = [], []
            for path in mix[kind][:args.urls]:
                for _ in range(args.repeat):
                    bump()
                    cold.append(timed(conn, path))
                    warm.append(timed(conn, path))
            print(f"  {kind:9s} cold p50 {statistics.median(cold):7.1f} ms  p95 {percentile(cold, 95):7.1f} ms"
                  f"   warm p50 {statistics.median(warm):6.1f} ms  p95 {percentile(warm, 95):6.1f} ms", flush=True)
        conn.close()


if __name__ == "__main__":
    main()
