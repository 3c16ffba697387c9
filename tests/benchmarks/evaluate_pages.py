"""Score the page splitter on folders of pages against their gold files.

    python tests/benchmarks/evaluate_pages.py PAGES GOLD [PAGES GOLD ...] [--show N]

Each page is read as the ingest reads it (`source.decode`, the manifest's
published date) and parsed with `parse_page`, the ingest's own parser call; no
database is needed. One line of figures per set: articles found whole, headline
exact, dateline and byline (when the gold has them), persons precision and
recall per page (see `archive/ingest/evaluation.py` for the definitions).
`--show N` lists up to N articles per set that were not found whole, with
what the parser made of them.

Gold files: `shared/tools/render_pages.py` writes OUTDIR.gold.json beside
OUTDIR; `tests/benchmarks/relay_pages.py` writes the same shape;
`tests/seed_articles.json` is the seeds' key (PAGES = seeds/).
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from archive.ingest.evaluation import load_gold, score_page, score_pages, squash  # noqa: E402
from archive.ingest.parser import parse_page  # noqa: E402
from archive.ingest.source import decode, read_manifest  # noqa: E402


def page_parser(folder: Path):
    manifest = folder / "manifest.csv"
    rows = read_manifest(manifest).rows if manifest.exists() else {}
    cache = {}

    def parse(name: str):
        if name not in cache:
            meta = rows.get(name)
            text = decode((folder / name).read_bytes(), name).text
            cache[name] = parse_page(text, meta.published if meta else None).articles
        return cache[name]

    return parse


def show_failures(parse, gold, limit: int) -> None:
    shown = 0
    for entry in gold:
        if shown >= limit:
            return
        articles = parse(entry["file"])
        alone = score_page(articles, [e for e in gold if e["file"] == entry["file"]], entries=[entry])
        if alone.whole and alone.headlines:
            continue
        shown += 1
        print(f"  {entry['file']} {entry.get('style', '')} gold {entry.get('headline')!r} "
              f"[{entry['body_starts']} … {entry['body_ends']}]")
        start = squash(entry["body_starts"]).lstrip("“")
        texts = [squash("".join(a.paragraphs)).lstrip("“") for a in articles]
        for a, text in zip(articles, texts):
            mark = ">" if text.startswith(start) or (squash(a.byline) + text).startswith(start) else " "
            print(f"   {mark}#{a.position} {a.headline!r}{' (derived)' if a.headline_derived else ''} "
                  f"kicker={a.kicker!r} deck={a.subheadline!r} [{text[:14]} … {text[-14:]}]")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="PAGES GOLD pairs")
    parser.add_argument("--show", type=int, default=0, help="list up to N failures per set")
    args = parser.parse_args()
    if len(args.sets) % 2:
        parser.error("give PAGES GOLD pairs")
    for folder, gold_path in zip(args.sets[::2], args.sets[1::2]):
        gold = load_gold(gold_path)
        parse = page_parser(folder)
        total, _ = score_pages(parse, folder, gold)
        print(total.line(folder.name), flush=True)
        if args.show:
            show_failures(parse, gold, args.show)


if __name__ == "__main__":
    main()
