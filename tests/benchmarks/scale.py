"""Scale figures on the PKU/PFR People's Daily corpus (January 1998): medians over several runs.

    python tests/benchmarks/scale.py ingest CORPUS [--runs 3] [--plain FOLDER]
    python tests/benchmarks/scale.py search DATA_DIR [--repeat 5]
    python tests/benchmarks/scale.py build DATA_DIR CORPUS [--copies 10]

`ingest`: raw `jieba.cut` over the corpus's text (one core, the floor), then for each
run a fresh archive in a temporary data folder: the month through `ingest --format
pfr` and, with --plain (a folder from pfr_plain.py render), through the plain-text
path; load and index timed apart; peak RSS from getrusage. Each run is a child
process, so nothing is warm that a real ingest would not have warm.
`build`: an archive of COPIES copies of the month, each shifted by 31 days, for the
10x figures (synthetic: every page's note says so).
`search`: p50/p95 of the search page's own code (search.service.run) over 60 fixed
queries, beside a bare whoosh searcher on the same index and SQLite FTS5 over the
same jieba tokens. Nothing here writes to the project's data/.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Names, places, common words, phrases, and filtered searches (field=value after |).
QUERIES = [
    "江泽民", "李鹏", "朱镕基", "乔石", "李瑞环", "钱其琛", "克林顿", "叶利钦", "布莱尔", "科菲·安南",
    "北京", "上海", "香港", "台湾", "广东", "伊拉克", "美国", "日本", "俄罗斯", "西藏",
    "经济", "改革", "企业", "农民", "扶贫", "下岗", "春节", "教育", "科技", "环境保护",
    "国有企业改革", "亚洲金融危机", "精神文明建设", "再就业工程", "党风廉政建设",
    "\"邓小平理论\"", "\"十五大精神\"", "\"一国两制\"", "\"社会主义市场经济\"", "\"新年讲话\"",
    "国务院 会议", "经济 增长", "香港 回归", "农村 改革", "江泽民 会见",
    "会见|person=江泽民", "会见|person=李鹏", "经济|district=北京", "改革|district=广东",
    "企业|org=国务院", "新华社|year=1998", "春节|month=1", "农业|newspaper=人民日报",
    "记者|reporter=江亚平", "讲话|from=1998-01-10&to=1998-01-20", "发展|district=上海",
    "银行", "足球", "股市", "医院",
]


def child(args):
    """Run this script in a child process with its own data folder; returns its JSON line.

    While it runs, the proportional set size (PSS) of its whole process tree is
    sampled: the index writer's sub-processes are forks that share most of their
    pages with the parent, so adding up RSS would count jieba's dictionary three times.
    """
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "SECRET_KEY": "bench"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, __file__, *args], env=env, stdout=out, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_pss_kb(proc.pid))
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"child {args} failed:\n{err.read()[-3000:]}")
        result = json.loads(out.read().strip().splitlines()[-1])
    result["peak_tree_pss_mb"] = peak / 1024
    return result


def _tree_pss_kb(pid):
    """PSS in kB of a process and all its descendants (0 for any that ended meanwhile)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def setup(data_dir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["BAOKU_DATA_DIR"] = str(data_dir)
    os.environ.pop("SEARCH_INDEX_PATH", None)
    import django

    django.setup()


def corpus_text(corpus):
    from archive.ingest import pfr

    return ["\n".join(filter(None, [a.kicker, a.headline, a.subheadline, *a.paragraphs]))
            for page in pfr.read_pages(Path(corpus)) for a in page.parsed.articles]


def _jieba(corpus):
    texts = corpus_text(corpus)
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    started = time.perf_counter()
    for text in texts:
        for _ in jieba.cut(text):
            pass
    elapsed = time.perf_counter() - started
    return {"chars": sum(map(len, texts)), "articles": len(texts), "seconds": elapsed}


def _ingest(kind, source):
    """One ingest in a fresh archive: load, then index; times and peak memory."""
    setup(tempfile.mkdtemp(prefix="baoku5-"))
    from django.conf import settings
    from django.core.management import call_command

    from archive.models import Article
    from search.queue import BULK_COMMIT, drain

    call_command("migrate", verbosity=0)
    import jieba  # loaded by the first parse in a real ingest too; kept out of neither figure

    jieba.setLogLevel(60)
    started = time.perf_counter()
    if kind == "pfr":
        call_command("ingest", source, format="pfr", no_index=True, verbosity=0)
    else:
        call_command("ingest", source, no_index=True, verbosity=0)
    loaded = time.perf_counter()
    indexed = drain(timeout=10, commit_size=BULK_COMMIT)  # as the ingest command drains
    done = time.perf_counter()
    chars = sum(len(a.headline) + len(a.kicker) + len(a.subheadline) + len(a.body)
                for a in Article.objects.only("headline", "kicker", "subheadline", "body"))
    return {"articles": Article.objects.count(), "indexed": indexed, "chars": chars,
            "load": loaded - started, "index": done - loaded,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # the largest of the index writer's sub-processes (each runs beside this one)
            "child_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "procs": settings.SEARCH_INDEX_PROCS}


def ingest(args):
    floor = [child(["_jieba", str(args.corpus)]) for _ in range(args.runs)]
    cut = statistics.median(f["seconds"] for f in floor)
    chars = floor[0]["chars"]
    print(f"corpus: {floor[0]['articles']} articles, {chars:,} characters (PFR People's Daily 1998-01)")
    print(f"jieba.cut, one core: median {cut:.2f} s = {chars / cut / 1000:.0f}k chars/s "
          f"(target: whole ingest <= 3x = {3 * cut:.1f} s)")
    paths = [("pfr", str(args.corpus))] + ([("text", str(args.plain))] if args.plain else [])
    for kind, source in paths:
        runs = [child(["_ingest", kind, source]) for _ in range(args.runs)]
        load = statistics.median(r["load"] for r in runs)
        index = statistics.median(r["index"] for r in runs)
        total = statistics.median(r["load"] + r["index"] for r in runs)
        n = runs[0]["articles"]
        print(f"{kind:>4} path: {n} articles, {runs[0]['indexed']} indexed; median over {len(runs)} runs: "
              f"load {load:.1f} s, index {index:.1f} s, total {total:.1f} s = {n / total:.0f} articles/s, "
              f"{runs[0]['chars'] / total / 1000:.1f}k chars/s = {total / cut:.1f}x jieba.cut; "
              f"peak memory of the whole process tree (PSS, sampled every 0.2 s) "
              f"{max(r['peak_tree_pss_mb'] for r in runs):.0f} MB (RSS: the ingest process "
              f"{max(r['maxrss_mb'] for r in runs):.0f} MB, each of {runs[0]['procs']} index writer "
              f"processes at most {max(r['child_maxrss_mb'] for r in runs):.0f} MB, pages shared)")


def build(args):
    setup(args.data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for copy in range(args.copies):
        note = "" if copy == 0 else f"synthetic: copy {copy + 1} of the January 1998 month, dates +{31 * copy} days"
        started, cpu = time.perf_counter(), _cpu()
        call_command("ingest", str(args.corpus), format="pfr", shift_days=31 * copy, note=note, verbosity=0)
        # CPU beside wall time: on a shared machine the wall time says more about the load.
        print(f"copy {copy + 1}/{args.copies}: {time.perf_counter() - started:.0f} s, "
              f"CPU {_cpu() - cpu:.0f} s (with the index writer processes)", flush=True)


def _cpu():
    """User and system CPU seconds of this process and of its children that have ended
    (the index writer's sub-processes end with each commit)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _percentiles(times):
    times = sorted(times)
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.95)] * 1000


def search(args):
    setup(args.data_dir)
    from django.http import QueryDict
    from haystack import connections
    from whoosh import qparser

    from archive.models import Article
    from search.service import run

    def ask(entry):
        text, _, filters = entry.partition("|")
        params = QueryDict(filters, mutable=True)
        params["q"] = text
        return run(params)

    articles = Article.objects.count()
    label = "synthetic " if articles > 4000 else ""
    print(f"{label}archive of {articles} articles; {len(QUERIES)} queries x {args.repeat}")
    ask(QUERIES[0])  # warm up: jieba, the reader
    page_times, page_cpu = [], []
    for entry in QUERIES:
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            ask(entry)
            page_times.append(time.perf_counter() - started)
            page_cpu.append(time.process_time() - cpu)
    p50, p95 = _percentiles(page_times)
    # CPU beside wall time: on a shared machine the wall time says more about the load.
    cpu50, cpu95 = _percentiles(page_cpu)
    print(f"  search page code (search.service.run: query, facets, page of articles, snippets): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (CPU p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms)")

    # haystack's own query path on the same index, for its overhead: SearchQuerySet
    # opens readers per query and narrows with extra searches (SEARCH-STACK.md).
    from haystack.query import SearchQuerySet

    stock = []
    for entry in QUERIES:
        text = entry.partition("|")[0].replace('"', "")
        for _ in range(args.repeat):
            started = time.perf_counter()
            results = SearchQuerySet().auto_query(text)
            len(results[:20])
            stock.append(time.perf_counter() - started)
    p50, p95 = _percentiles(stock)
    print(f"  stock haystack SearchQuerySet.auto_query, first 20 (no facets, no snippets): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    backend = connections["default"].get_backend()
    backend.setup()
    index = backend.index.refresh()
    searcher = index.searcher()
    parser = qparser.QueryParser("text", index.schema, group=qparser.AndGroup)
    texts = [e.partition("|")[0].replace('"', "") for e in QUERIES]
    bare = []
    for text in texts:
        query = parser.parse(text)
        for _ in range(args.repeat):
            started = time.perf_counter()
            results = searcher.search(query, limit=20)
            len(results)
            bare.append(time.perf_counter() - started)
    p50, p95 = _percentiles(bare)
    print(f"  bare whoosh, one reused searcher, text field only: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    searcher.close()

    fts_p50, fts_p95, build_s = fts5(texts, args.repeat)
    print(f"  SQLite FTS5 on the same jieba tokens (built in {build_s:.0f} s): "
          f"p50 {fts_p50:.2f} ms, p95 {fts_p95:.2f} ms")


def fts5(texts, repeat):
    """A peer: FTS5 in memory over jieba's search-mode tokens, same AND of query words."""
    import sqlite3

    import jieba

    from archive.models import Article

    started = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE a USING fts5(body, tokenize='unicode61')")
    rows = ((" ".join(jieba.cut_for_search(f"{h}\n{b}")),)
            for h, b in Article.objects.values_list("headline", "body").iterator())
    db.executemany("INSERT INTO a(body) VALUES (?)", rows)
    build_s = time.perf_counter() - started
    times = []
    for text in texts:
        words = [w for w in jieba.cut(text) if w.strip() and w not in "·"]
        match = " AND ".join(f'"{w}"' for w in words)
        for _ in range(repeat):
            started = time.perf_counter()
            db.execute("SELECT rowid FROM a WHERE a MATCH ? ORDER BY rank LIMIT 20", (match,)).fetchall()
            times.append(time.perf_counter() - started)
    p50, p95 = _percentiles(times)
    return p50, p95, build_s


def main():
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        # A child: one measurement, printed as a JSON line.
        name, *rest = sys.argv[1:]
        if name == "_ingest":
            print(json.dumps(_ingest(*rest)))
        else:
            print(json.dumps(_jieba(*rest)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="throughput and memory of both ingest paths vs jieba.cut")
    p.add_argument("corpus", type=Path)
    p.add_argument("--plain", type=Path, help="folder of plain-text pages (pfr_plain.py render)")
    p.add_argument("--runs", type=int, default=3, help="runs per figure (median; default 3)")
    p = sub.add_parser("build", help="an archive of the month repeated (synthetic 10x)")
    p.add_argument("data_dir", type=Path)
    p.add_argument("corpus", type=Path)
    p.add_argument("--copies", type=int, default=10)
    p = sub.add_parser("search", help="search latency on an archive")
    p.add_argument("data_dir", type=Path)
    p.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    args = parser.parse_args()
    {"ingest": ingest, "build": build, "search": search}[args.command](args)


if __name__ == "__main__":
    main()
