"""Train the person-name CRF (`person_model.crfsuite`) on the People's Daily corpus.

    python -m archive.ingest.train_person_model ../shared/corpus/people_daily_199801.txt

Every paragraph of the corpus is a training sequence: its characters, labelled B/I/O
from the `nr` words (江/nr 泽民/nr is one name, as `pfr.person_runs` reads them; a lone
surname such as 老王's 王 is no name). Left out: the days `render_pages.py` refuses
(kept for evaluating the archive; read from that script, so they are written in one
place) and the development days (`--hold-out`), on which tests/benchmarks/persons.py
measures the model. L1 regularisation keeps the model small (0.8 MB of 485k candidate
features); 80 L-BFGS iterations took 20 minutes on the shared 2-core machine (about 2 s an
iteration on a free core). `make person-model` runs this.
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

from archive.ingest import person_model, pfr

# The days of the development pages (tests/benchmarks/persons.py and the README's figures).
HOLD_OUT = "19980105,19980109,19980112,19980119,19980125,19980130"


def evaluation_days(tool: Path) -> set[str]:
    """The RESERVED set of the render tool, read without running it."""
    tree = ast.parse(tool.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "RESERVED" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise SystemExit(f"{tool}: no RESERVED set of evaluation days")


def sequences(corpus: Path, skip: set[str]):
    """(text, labels) of each corpus paragraph not on a skipped day."""
    for page in pfr.read_pages(corpus):
        if page.file_name[:8] in skip:
            continue
        for line in page.text.split("\n"):
            paragraph = pfr.split_line(line)
            if paragraph is None or not paragraph.text:
                continue
            offsets, pos = [], 0
            for w in paragraph.words:
                offsets.append(pos)
                pos += len(w)
            spans = [(offsets[a], offsets[b - 1] + len(paragraph.words[b - 1]))
                     for a, b, name in pfr.person_runs(paragraph.tags, paragraph.words) if len(name) > 1]
            yield paragraph.text, person_model.labels(paragraph.text, spans)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="the PFR corpus (UTF-8 or GBK)")
    ap.add_argument("--out", type=Path, default=person_model.MODEL, help="where to write the model")
    ap.add_argument("--hold-out", default=HOLD_OUT, help="comma-separated YYYYMMDD days not to train on")
    ap.add_argument("--render-tool", type=Path, help="render_pages.py, whose RESERVED days are never trained on "
                    "(default: tools/render_pages.py of the shared folder the corpus is in)")
    ap.add_argument("--c1", type=float, default=0.3, help="L1 weight (higher: smaller model)")
    ap.add_argument("--iterations", type=int, default=80, help="L-BFGS iterations")
    ap.add_argument("--verbose", action="store_true", help="print each iteration")
    ap.add_argument("--algorithm", choices=("lbfgs", "ap"), default="lbfgs",
                    help="lbfgs: CRF with L1/L2 (the shipped model); ap: averaged perceptron (faster to train)")
    ap.add_argument("--minfreq", type=float, default=3, help="ap only: drop features seen fewer times")
    args = ap.parse_args(argv)
    import pycrfsuite

    tool = args.render_tool or args.corpus.resolve().parent.parent / "tools" / "render_pages.py"
    skip = evaluation_days(tool) | set(filter(None, args.hold_out.split(",")))
    trainer = pycrfsuite.Trainer(algorithm=args.algorithm, verbose=args.verbose)
    started, count, chars = time.perf_counter(), 0, 0
    for text, tags in sequences(args.corpus, skip):
        # The model sees clauses, as find_names gives it.
        for m in person_model._CLAUSE.finditer(text):
            trainer.append(person_model.features(m.group()), tags[m.start():m.end()])
            chars += len(m.group())
        count += 1
    if args.algorithm == "lbfgs":
        trainer.set_params({"c1": args.c1, "c2": 0.01, "max_iterations": args.iterations,
                            "feature.possible_transitions": True})
    else:
        # The averaged perceptron has no L1 to prune features: rare ones are dropped instead.
        trainer.set_params({"max_iterations": args.iterations, "feature.minfreq": args.minfreq,
                            "feature.possible_transitions": True})
    trainer.train(str(args.out))
    print(f"trained on {count:,} paragraphs ({chars:,} characters), days left out: {len(skip)}; "
          f"{time.perf_counter() - started:.0f} s; {args.out} {args.out.stat().st_size / 1e6:.1f} MB",
          file=sys.stderr)


if __name__ == "__main__":
    main()
