"""Recall, precision and query time over tests/queries.json on the seed pages.

    .venv/bin/python tests/benchmarks/search_seeds.py [--repeat N]

Builds a throwaway archive (migrate, ingest seeds/, index) in a temporary data
folder, runs every query in the answer key through the same code as the search
page (search.service.run), and prints per-query and overall figures. Precision for
plain words counts returned articles whose text holds the query string.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["BAOKU_DATA_DIR"] = tempfile.mkdtemp(prefix="baoku-bench-")
os.environ.pop("SEARCH_INDEX_PATH", None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.http import QueryDict

    from search.analyzer import normalize, squeeze
    from search.service import run
    from search.service import snippet_text

    def article_key(article):
        return f"{article.page.file_name[:3]}-{article.position}"

    def article_text(article):
        return article.headline + "\n" + snippet_text(article)

    call_command("migrate", verbosity=0)
    call_command("ingest", str(ROOT / "seeds"), verbosity=0)
    call_command("ensure_index", verbosity=0)
    key = json.loads((ROOT / "tests" / "queries.json").read_text(encoding="utf-8"))["queries"]

    def ask(entry):
        params = QueryDict(mutable=True)
        params.update({k: v for k, v in entry.items() if k not in ("expect", "note")})
        return run(params, per_page=100)

    ask(key[0])  # warm up: jieba, OpenCC, the index reader
    times, found_all, expected_all, precise, plain_returned = [], 0, 0, 0, 0
    for entry in key:
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = ask(entry)
            runs.append(time.perf_counter() - started)
        times.append(statistics.median(runs))
        found = {article_key(h.article) for h in result.hits}
        expected = set(entry["expect"])
        found_all += len(found & expected)
        expected_all += len(expected)
        line = f"{entry['q']!s:<16} {len(found & expected)}/{len(expected)} found, {len(found - expected)} extra"
        if entry.get("note") == "every article containing the string":
            needle = squeeze(normalize(entry["q"]))[0].lower()
            holding = sum(needle in squeeze(normalize(article_text(h.article)))[0].lower() for h in result.hits)
            precise += holding
            plain_returned += len(result.hits)
            line += f", {holding}/{len(result.hits)} hold the string"
        print(f"{line}, {times[-1] * 1000:.1f} ms")
    print(f"recall {found_all}/{expected_all} = {found_all / expected_all:.1%}")
    print(f"precision (plain words) {precise}/{plain_returned} = {precise / max(plain_returned, 1):.1%}")
    print(f"query time: median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
