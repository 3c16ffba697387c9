"""How fast the plain-text parser runs: pages of N items, and a folder of pages.

    python tests/benchmarks/parse_speed.py items [N ...] [--root CHECKOUT]
    python tests/benchmarks/parse_speed.py folder PAGES [--root CHECKOUT] [--runs 3]

`items`: one page of N articles (headline, dateline, two paragraphs, byline, set
apart by blank lines) and one of N one-line items; prints the seconds `parse_page`
takes (CPU seconds, best of 3) and the seconds per thousand items, which stays flat when
parsing is linear. `folder`: parses every .txt page (e.g. the month from
`pfr_plain.py render`), median CPU seconds of --runs passes (process time: on a shared
machine other programs' load counts less than in wall time). `--root` imports the parser from
another checkout, so before and after can be timed in the same run.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path


def article_page(n: int) -> str:
    return "\n\n".join(f"郑州第{i}次召开防汛会议\n\n本报讯（记者 王阳）7月{i % 28 + 1}日，郑州市召开防汛工作会议，"
                       f"部署第{i}项任务。\n\n会议要求各地抓好落实，确保安全度汛。\n\n记者 王阳" for i in range(n))


def item_page(n: int) -> str:
    return "\n".join(f"第{i}条：郑州市召开会议，部署防汛工作。" for i in range(n))


def best(parse, text, runs=3):
    times = []
    for _ in range(runs):
        started = time.process_time()
        parse(text)
        times.append(time.process_time() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["items", "folder"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    from archive.ingest.parser import parse_page

    parse_page("郑州召开会议\n\n本报讯 近日，郑州召开会议。")  # word lists loaded once
    if args.what == "items":
        for n in map(int, args.args or ["1000", "2000", "5000"]):
            for name, make in (("articles", article_page), ("one-line items", item_page)):
                seconds = best(parse_page, make(n))
                print(f"{args.root.name}: {n} {name}: {seconds:.3f} s, {seconds / n * 1000:.3f} s per 1,000")
        return
    pages = [p.read_text(encoding="utf-8") for p in sorted(Path(args.args[0]).glob("*.txt"))]
    passes = []
    for _ in range(args.runs):
        started = time.process_time()
        for text in pages:
            parse_page(text)
        passes.append(time.process_time() - started)
    print(f"{args.root.name}: {len(pages)} pages, {sum(map(len, pages)):,} characters: median "
          f"{statistics.median(passes):.1f} s over {args.runs} passes ({', '.join(f'{p:.1f}' for p in passes)})")


if __name__ == "__main__":
    main()
