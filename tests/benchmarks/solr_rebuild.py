"""Where a Solr rebuild's time goes: this process's wall and CPU time, and the wall time
spent inside Solr's add and commit requests (the rest is preparing documents: the
database's reads and jieba's words).

    .venv/bin/python tests/benchmarks/solr_rebuild.py DATA_DIR --solr-url URL,URL

DATA_DIR is an archive built by scale.py; the collection at --solr-url (a SolrCloud made
from solr/configset, e.g. the one search_engines.py or tests/solr_cluster.py starts) is
rebuilt from it with the engine's rebuild, as `manage.py ensure_index --rebuild` does.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.scale import setup  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--solr-url", required=True, help="the collection's URLs, comma-separated")
    args = parser.parse_args()
    os.environ.update(SEARCH_ENGINE="solr", SOLR_URL=args.solr_url)
    setup(args.data_dir)
    from search.engines.solr import SolrEngine
    from search.rebuild import rebuild

    spent, call = {}, SolrEngine.call

    def timed(self, method, *a, **k):
        started = time.perf_counter()
        try:
            return call(self, method, *a, **k)
        finally:
            spent[method] = spent.get(method, 0.0) + time.perf_counter() - started

    SolrEngine.call = timed
    wall, cpu = time.perf_counter(), time.process_time()
    written = rebuild()
    print(f"rebuilt {written} articles: wall {time.perf_counter() - wall:.1f} s, this process's CPU "
          f"{time.process_time() - cpu:.1f} s; inside Solr's requests: "
          + ", ".join(f"{method} {seconds:.1f} s" for method, seconds in spent.items()))


if __name__ == "__main__":
    main()
