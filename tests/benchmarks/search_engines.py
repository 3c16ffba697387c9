"""Search on whoosh beside Solr on one archive: speed, and equal facet counts.

    .venv/bin/python tests/benchmarks/search_engines.py DATA_DIR [--repeat N] [--solr-url URL,URL] [--indexed]

DATA_DIR is an archive built by scale.py (`scale.py build DATA_DIR corpus --copies 1`),
searched on its whoosh index. Unless --solr-url names a collection, a two-node
SolrCloud (tests/solr_cluster.py, replication factor 2) is started on loopback. The
archive is indexed into Solr with the engine's rebuild (timed; --indexed: the collection
already holds it, e.g. from `manage.py rebuild_index`, timed apart), then scale.py's 60
queries run through the search page's code (search.service.run) on both engines in
turn, query by query, so the machine's load falls on both alike; it prints p50/p95 for
each (and SQLite FTS5's bare MATCH beside them, as scale.py measures it), then compares
every facet's counts on both engines for the first 20 queries.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.scale import QUERIES, _percentiles, fts5, setup  # noqa: E402


def use(connection):
    """Point haystack's default connection at `connection` (settings and handler alike)."""
    from django.conf import settings
    from haystack import connections

    settings.HAYSTACK_CONNECTIONS = connections.connections_info = {"default": connection}
    connections.reload("default")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine (default 5)")
    parser.add_argument("--solr-url", default="", help="a collection's URLs, comma-separated (default: start a cluster)")
    parser.add_argument("--indexed", action="store_true",
                        help="the collection already holds this archive: search it without a rebuild (needs --solr-url)")
    args = parser.parse_args()
    if args.indexed and not args.solr_url:
        parser.error("--indexed searches a collection already built: give its --solr-url")
    setup(args.data_dir)
    from django.conf import settings
    from django.http import QueryDict

    from archive.models import Article
    from search.rebuild import rebuild
    from search.service import run

    cloud = None
    if not args.solr_url:
        from tests.solr_cluster import SolrCloud

        started = time.perf_counter()
        cloud = SolrCloud(nodes=2)
        args.solr_url = ",".join(cloud.collection_url(n) for n in range(len(cloud.urls)))
        print(f"two-node SolrCloud started in {time.perf_counter() - started:.0f} s")
    try:
        whoosh = dict(settings.HAYSTACK_CONNECTIONS["default"])
        solr = {"ENGINE": "search.solr.JiebaSolrEngine", "URL": args.solr_url, "TIMEOUT": 120}
        use(solr)
        if args.indexed:
            from search import engines

            held = len(engines.current().stored_hashes())
            print(f"the collection holds {held} of {Article.objects.count()} articles (not rebuilt)")
        else:
            started = time.perf_counter()
            written = rebuild()
            print(f"indexed {written} of {Article.objects.count()} articles into Solr (rebuild) in "
                  f"{time.perf_counter() - started:.1f} s")

        def ask(entry, facets=True):
            text, _, filters = entry.partition("|")
            params = QueryDict(filters, mutable=True)
            params["q"] = text
            return run(params, facets=facets)

        times = {"whoosh": [], "solr": []}
        for connection in (whoosh, solr):  # warm up: jieba, readers, Solr's caches alike
            use(connection)
            ask(QUERIES[0])
        for entry in QUERIES:
            for name, connection in (("whoosh", whoosh), ("solr", solr)):
                use(connection)
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    ask(entry)
                    times[name].append(time.perf_counter() - started)
        print(f"archive of {Article.objects.count()} articles; {len(QUERIES)} queries x {args.repeat}, "
              "search page code (search.service.run: query, facets, page of articles, snippets)")
        for name, measured in times.items():
            p50, p95 = _percentiles(measured)
            print(f"  {name:6}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        # The peer scale.py measures too: FTS5 over jieba's tokens, a bare MATCH (no facets, no page).
        fts_p50, fts_p95, build_s = fts5([e.partition("|")[0].replace('"', "") for e in QUERIES], args.repeat)
        print(f"  beside them, SQLite FTS5 on the same jieba tokens, bare MATCH ... LIMIT 20 (built in {build_s:.0f} s): "
              f"p50 {fts_p50:.2f} ms, p95 {fts_p95:.2f} ms")

        differ, compared, counts_differ = [], 0, []
        for entry in QUERIES[:20]:
            found = {}
            for name, connection in (("whoosh", whoosh), ("solr", solr)):
                use(connection)
                s = ask(entry)
                found[name] = (s.count, s.result.facets if s.result else {})
            if found["whoosh"][0] != found["solr"][0]:
                counts_differ.append(f"{entry}: {found['whoosh'][0]} vs {found['solr'][0]}")
            for facet in found["whoosh"][1]:
                compared += 1
                if found["whoosh"][1][facet] != found["solr"][1].get(facet):
                    differ.append(f"{entry} {facet}")
        print(f"result counts equal on both engines for {20 - len(counts_differ)} of 20 queries"
              + ("".join(f"\n    {line}" for line in counts_differ)))
        print(f"facet counts equal on both engines for {compared - len(differ)} of {compared} facets "
              f"(8 facets x 20 queries)" + ("".join(f"\n    differ: {line}" for line in differ[:20])))
    finally:
        if cloud is not None:
            cloud.close()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    main()
