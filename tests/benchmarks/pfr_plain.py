"""The PFR corpus as plain-text pages, and the plain-text parser's person precision and recall on it.

    python tests/benchmarks/pfr_plain.py render CORPUS FOLDER   # pages + manifest.csv
    python tests/benchmarks/pfr_plain.py score CORPUS           # precision/recall vs nr tags

`render` writes one page file per date and page, the evaluation days left out (each article: its heading lines, a
blank line, its paragraphs one a line; articles apart by blank lines) and a
manifest (人民日报, the day, 第N版), so `manage.py ingest FOLDER` loads the month as if
it came from page extraction. `score` parses the same pages with `parse_page` (no
database) and compares the persons it finds (named, bylines, interviewee) with the
corpus's `nr` names, article by article. Foreign names (with ·, or not 2–4 CJK
characters) are left out of both sides: the plain-text parser reads Chinese names
only. Source: PKU/PFR People's Daily corpus, January 1998.
"""
import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from archive.ingest import pfr  # noqa: E402
from archive.ingest.parser import parse_page  # noqa: E402
from archive.ingest.train_person_model import evaluation_days  # noqa: E402

CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def render_page(page) -> str:
    blocks = []
    for a in page.parsed.articles:
        heading = [x for x in (a.kicker, "" if a.headline_derived else a.headline, a.subheadline) if x]
        blocks.append("\n".join(heading) + ("\n\n" if heading else "") + "\n".join(a.paragraphs))
    return "\n\n\n".join(blocks) + "\n"


def render(corpus: Path, folder: Path) -> None:
    """Every page but those of the days kept for evaluating the archive (read from
    render_pages.py beside the corpus, as the model's training reads them)."""
    reserved = evaluation_days(corpus.resolve().parent.parent / "tools" / "render_pages.py")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "newspaper", "section", "published", "note"])
        for page in pfr.read_pages(corpus):
            if page.file_name[:8] in reserved:
                continue
            name = page.file_name.replace(".pfr", ".txt")
            (folder / name).write_text(render_page(page), encoding="utf-8")
            writer.writerow([name, page.meta.newspaper, page.meta.section, page.meta.published.iso(),
                             "rendered from the PFR corpus"])
    print(f"wrote {len(list(folder.glob('*.txt')))} pages and manifest.csv to {folder}")


def key_names(article) -> set[str]:
    names = {p.name for p in article.persons} | set(article.reporters) | set(article.photographers)
    return {n for n in names if CHINESE_NAME.fullmatch(n)}


def found_names(article) -> set[str]:
    names = {p.name for p in article.persons}
    names |= set(article.reporters) | set(article.correspondents) | set(article.photographers)
    if article.interviewee:
        names.add(article.interviewee.name)
    return {n for n in names if CHINESE_NAME.fullmatch(n)}


def score(corpus: Path, examples: int) -> None:
    tp = fp = fn = 0
    missed, wrong = {}, {}
    reserved = evaluation_days(corpus.resolve().parent.parent / "tools" / "render_pages.py")
    started = time.perf_counter()
    for page in pfr.read_pages(corpus):
        if page.file_name[:8] in reserved:
            continue
        text = render_page(page)
        parsed = parse_page(text, page.meta.published)
        # Articles are matched on the page by content: a name counts if the page's key
        # has it, so a split or merged article does not turn right names into errors.
        key = set().union(*(key_names(a) for a in page.parsed.articles))
        found = set().union(*(found_names(a) for a in parsed.articles)) if parsed.articles else set()
        tp += len(found & key)
        fp += len(found - key)
        fn += len(key - found)
        for n in key - found:
            missed[n] = missed.get(n, 0) + 1
        for n in found - key:
            wrong[n] = wrong.get(n, 0) + 1
    elapsed = time.perf_counter() - started
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print("plain-text path, persons per page vs the corpus's nr names (Chinese names only)")
    print(f"  precision {precision:.1%} ({tp}/{tp + fp}), recall {recall:.1%} ({tp}/{tp + fn}), "
          f"F1 {2 * precision * recall / max(precision + recall, 1e-9):.1%}; parsed in {elapsed:.1f} s")
    top = sorted(missed.items(), key=lambda kv: -kv[1])[:examples]
    print("  most missed:", " ".join(f"{n}×{c}" for n, c in top))
    top = sorted(wrong.items(), key=lambda kv: -kv[1])[:examples]
    print("  most wrong:", " ".join(f"{n}×{c}" for n, c in top))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="write plain-text pages and manifest.csv")
    r.add_argument("corpus", type=Path)
    r.add_argument("folder", type=Path)
    s = sub.add_parser("score", help="person precision/recall of the plain-text parser")
    s.add_argument("corpus", type=Path)
    s.add_argument("--examples", type=int, default=15, help="how many missed/wrong names to show")
    args = parser.parse_args()
    if args.command == "render":
        render(args.corpus, args.folder)
    else:
        score(args.corpus, args.examples)


if __name__ == "__main__":
    main()
