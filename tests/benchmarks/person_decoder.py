"""The person model's two decoders on a folder of pages: python-crfsuite one clause at a time,
and archive/ingest/crf.py's numpy decoder a page's clauses at a time.

    python tests/benchmarks/person_decoder.py PAGES [--runs 3]

PAGES: plain-text pages (e.g. the month from `pfr_plain.py render`). Prints the clauses,
how many the two label differently (0: the numpy decoder is exact), and each decoder's
median CPU seconds (features included) over --runs passes. A benchmark, not a test.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from archive.ingest import person_model  # noqa: E402


def crfsuite(pages):
    tagger = person_model._tagger()
    return ["".join(tagger.tag(person_model.features(clause))) for page in pages for clause in page]


def batched(pages):
    return [tags for page in pages for tags in person_model.tag_clauses(page)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = [[clause for _, clause in person_model._clauses(p.read_text(encoding="utf-8"))]
             for p in sorted(args.pages.glob("*.txt"))]
    person_model.tag_clauses(["王阳"])  # the weights read once, as in an ingest
    results, times = {}, {}
    for name, decode in (("python-crfsuite", crfsuite), ("numpy, a page at a time", batched)):
        passes = []
        for _ in range(args.runs):
            started = time.process_time()
            results[name] = decode(pages)
            passes.append(time.process_time() - started)
        times[name] = passes
    a, b = results.values()
    print(f"{len(pages)} pages, {len(a):,} clauses, {sum(map(len, a)):,} characters; "
          f"labelled differently: {sum(x != y for x, y in zip(a, b))}")
    for name, passes in times.items():
        print(f"{name}: median {statistics.median(passes):.2f} s CPU ({', '.join(f'{p:.2f}' for p in passes)})")


if __name__ == "__main__":
    main()
