"""Where the search page's time goes: cProfile over scale.py's 60 queries, warm.

    python tests/benchmarks/profile_search.py DATA_DIR [--top 30]

Runs `search.service.run` (what the search page calls) on each query once to warm
jieba, the index reader and the facet caches, then once more under cProfile, and
prints the functions by cumulative time. A benchmark, not a test.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from scale import QUERIES  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--top", type=int, default=30, help="functions to print (default 30)")
    args = parser.parse_args()
    os.environ.update(DJANGO_SETTINGS_MODULE="archive.settings", BAOKU_DATA_DIR=str(args.data_dir),
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench"))
    import django

    django.setup()
    from django.http import QueryDict

    from search.service import run

    def ask(entry):
        text, _, filters = entry.partition("|")
        params = QueryDict(filters, mutable=True)
        params["q"] = text
        return run(params)

    for entry in QUERIES:
        ask(entry)
    profile = cProfile.Profile()
    profile.enable()
    for entry in QUERIES:
        ask(entry)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(f"{len(QUERIES)} queries, warm, under cProfile (times include its overhead)")
    print(out.getvalue())


if __name__ == "__main__":
    main()
