"""Load a running Baoku server on loopback with a mix of pages and print latency figures.

    python tests/benchmarks/load.py --url http://127.0.0.1:8000 --clients 50 --seconds 60
    python tests/benchmarks/load.py --url ... --clients 50 --seconds 600 --server-pid PID

A benchmark, not a test: it prints medians and percentiles, and exits non-zero if any
request failed or, with --server-pid, if the server's memory grew by more than
--max-growth-mb over the second half of the run. It discovers article, person,
district, page and date (year, month, day) URLs from the server itself, and filtered
searches (district=, person=) from the facet links of its search pages, so it works
on whatever the archive holds. Each request picks a kind at random, then a URL of
that kind, so every kind gets the same share. Loopback only. `--per-kind N` keeps a fixed
sample of N URLs of each kind; `--warm` fetches each URL of the mix once before the
clock starts, so the run measures warm page caches (without it, a run on a large
archive meets mostly first requests).

The clients are threads in --processes worker processes (default 1); the parent only
collects figures and samples memory, so one Python process's GIL caps the clients and
not the collector. The closing lines give the clients' CPU time: if it is near one core
per process, the load generator, not the server, is the limit; raise --processes.

With --server-pid (the gunicorn master) it sums the RSS, and PSS where readable, of the
master and its children from /proc every --sample-every seconds, and prints the sum at
the start, at the end, its maximum and its growth over the second half. RSS counts the
pages the workers share with the master (--preload) once per process; PSS shares them
out, so its sum is what the server really holds.
"""
import argparse
import html
import http.client
import multiprocessing
import os
import queue
import random
import re
import resource
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

SEARCHES = ["孙建功", "中原科技城", "防汛", "国家中心城市", "RCEP", "李小虎", "算力",
            "\"国家卫生城市\"", "郑东新区 招商", "郑州", "发展", "经济"]
ROUTES = [
    ("article", r"/articles/[^/]+/\d+/"),
    ("person", r"/people/[^/]+/"),
    ("district", r"/districts/[^/]+/"),
    ("page", r"/pages/[^/]+/"),
    ("year", r"/dates/\d+/"),
    ("month", r"/dates/\d+/\d+/"),
    ("day", r"/dates/\d+/\d+/\d+/"),
    ("filtered", r"/search/\?.*\b(district|person)=.*"),
]
MAX_FILTERED = 20  # of the facet links found; enough to vary the filter
MAX_CRAWL = 40  # date and search pages fetched to discover URLs


def fetch(conn, path):
    conn.request("GET", path, headers={"Connection": "keep-alive"})
    response = conn.getresponse()
    body = response.read()
    return response.status, body


def kind_of(link):
    for kind, pattern in ROUTES:
        if re.fullmatch(pattern, link):
            return kind
    return None


def discover(host, port):
    """URLs by kind, from links on the server's own list, date and search pages."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    mix = defaultdict(set)

    def visit(path):
        status, body = fetch(conn, path)
        if status != 200:
            sys.exit(f"discovery: {path} answered {status}")
        for link in re.findall(r'href="([/?][^"#]*)"', body.decode("utf-8", "replace")):
            link = html.unescape(link)
            if link.startswith("?"):  # facet links on the search page are relative
                link = path.split("?")[0] + link
            kind = kind_of(link)
            if kind:
                mix[kind].add(link)

    for start in ["/", "/people/", "/districts/", "/dates/", "/pages/"]:
        visit(start)
    searches = ["/search/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES]
    # Years lead to months and months to days; bounded so a big archive stays quick.
    for path in (sorted(mix["year"]) + searches)[:MAX_CRAWL]:
        visit(path)
    for path in sorted(mix["month"])[:MAX_CRAWL]:
        visit(path)
    conn.close()
    found = {kind: sorted(links) for kind, links in mix.items() if links}
    if "filtered" in found:
        found["filtered"] = random.Random(0).sample(found["filtered"], min(MAX_FILTERED, len(found["filtered"])))
    found["search"] = searches
    return found


def warm(host, port, mix):
    """Fetch each URL of the mix once (what a run with warm caches starts from); returns how many."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    paths = [path for paths in mix.values() for path in paths]
    for path in paths:
        fetch(conn, path)
    conn.close()
    return len(paths)


def client(host, port, mix, stop_at, out):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    rng = random.Random()
    kinds = list(mix)
    while time.monotonic() < stop_at:
        kind = rng.choice(kinds)
        path = rng.choice(mix[kind])
        started = time.perf_counter()
        try:
            status, _ = fetch(conn, path)
        except Exception as exc:  # a failed request is a figure, not a crash
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        out.put((time.monotonic(), kind, status, time.perf_counter() - started))
    conn.close()


def worker(host, port, mix, stop_at, clients, out):
    """One process of client threads; says None when they are all done."""
    threads = [threading.Thread(target=client, args=(host, port, mix, stop_at, out)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(None)


def server_memory(master):
    """(RSS kB, PSS kB or None, process ids) of the master and its children, from /proc."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name may hold spaces and parentheses: ppid is after the last ")".
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while we looked
    rss = [_field(f"/proc/{pid}/status", "VmRSS:") for pid in pids]
    pss = [_field(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids]
    return sum(filter(None, rss)), (None if None in pss else sum(pss)), tuple(sorted(pids))


def _field(path, name):
    """A kB figure from a /proc file, or None if the process is gone or the file unreadable."""
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def mb(kb):
    return f"{kb / 1024:.1f} MB" if kb is not None else "n/a"


def latency_line(label, values, errors):
    ms = [s * 1000 for s in values] or [0]
    return (f"  {label:10s} n={len(values):6d}  p50={statistics.median(ms):7.1f} ms  "
            f"p95={percentile(ms, 95):7.1f} ms  max={max(ms):7.1f} ms" + (f"  errors={errors}" if errors else ""))


def run(args, host, port, mix):
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    started = time.monotonic()
    stop_at = started + args.seconds
    shares = [args.clients // args.processes + (i < args.clients % args.processes) for i in range(args.processes)]
    workers = [ctx.Process(target=worker, args=(host, port, mix, stop_at, n, out))
               for n in shares if n]
    samples = []  # (seconds since start, rss kB, pss kB, pids)
    if args.server_pid:
        samples.append((0.0, *server_memory(args.server_pid)))
    for w in workers:
        w.start()
    results, interval = [], []
    next_sample, next_report = started + args.sample_every, started + args.report_every
    running = len(workers)
    while running:
        try:
            item = out.get(timeout=0.5)
        except queue.Empty:
            if not any(w.is_alive() for w in workers):
                break  # a worker died without saying so; its figures are lost
            item = ()
        if item is None:
            running -= 1
        elif item:
            results.append(item)
            interval.append(item)
        now = time.monotonic()
        if args.server_pid and now >= next_sample:
            samples.append((now - started, *server_memory(args.server_pid)))
            next_sample += args.sample_every
        if args.report_every and now >= next_report:
            errors = sum(1 for _, _, status, _ in interval if status != 200)
            memory = f"  server RSS {mb(samples[-1][1])}" if samples else ""
            print(latency_line(f"{now - started:4.0f} s", [s for *_, s in interval], errors) + memory, flush=True)
            interval = []
            next_report += args.report_every
    for w in workers:
        w.join()
    if args.server_pid:
        samples.append((time.monotonic() - started, *server_memory(args.server_pid)))
    return results, samples, time.monotonic() - started


def report_memory(samples, seconds, bound_mb):
    """Print the server's memory; True if it stayed within the bound over the second half."""
    second_half = [s for s in samples if s[0] >= seconds / 2]
    rss = [s[1] for s in samples]
    growth = second_half[-1][1] - second_half[0][1]
    print(f"server RSS (master + workers): start {mb(rss[0])}, end {mb(rss[-1])}, max {mb(max(rss))}; "
          f"growth over the second half {growth / 1024:+.1f} MB ({len(samples)} samples)")
    pss = [s[2] for s in samples]
    if None not in pss:
        print(f"server PSS: start {mb(pss[0])}, end {mb(pss[-1])}, max {mb(max(pss))}; "
              f"growth over the second half {(second_half[-1][2] - second_half[0][2]) / 1024:+.1f} MB")
    if len({s[3] for s in samples}) > 1:
        print("  the server's processes changed during the run (a worker restarted?):",
              " -> ".join(str(p) for p in dict.fromkeys(s[3] for s in samples)))
    flat = growth <= bound_mb * 1024
    print(f"  memory {'flat' if flat else 'NOT flat'}: bound {bound_mb} MB of RSS growth over the second half")
    return flat


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server, on loopback")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (default 60)")
    parser.add_argument("--processes", type=int, default=1, help="processes to split the clients across")
    parser.add_argument("--server-pid", type=int, help="gunicorn master's pid: sample its memory and its workers'")
    parser.add_argument("--sample-every", type=float, default=5, help="seconds between memory samples")
    parser.add_argument("--report-every", type=float, default=60,
                        help="seconds between latency lines during the run (0: none)")
    parser.add_argument("--max-growth-mb", type=float, default=10,
                        help="RSS growth over the second half above which memory is not flat (default 10)")
    parser.add_argument("--per-kind", type=int, default=0,
                        help="use at most N URLs of each kind (a fixed sample; default: all found)")
    parser.add_argument("--warm", action="store_true",
                        help="fetch every URL of the mix once before the clock starts (warm page caches)")
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load.py only targets loopback addresses")
    host, port = parts.hostname, parts.port or 80
    mix = discover(host, port)
    if args.per_kind:
        sample = random.Random(1)
        mix = {k: sorted(sample.sample(v, min(args.per_kind, len(v)))) for k, v in mix.items()}
    print("URL mix:", {k: len(v) for k, v in sorted(mix.items())}, flush=True)
    if args.warm:
        print(f"warmed {warm(host, port, mix)} URLs once each before the run", flush=True)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    results, samples, seconds = run(args, host, port, mix)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    errors = Counter(str(s) for _, _, s, _ in results if s != 200)
    print(f"{len(results)} requests in {seconds:.0f} s with {args.clients} clients in {args.processes} "
          f"process(es) ({len(results) / seconds:.1f} req/s); errors: {dict(errors) or 0}")
    by_kind = defaultdict(list)
    failed = Counter()
    for _, kind, status, elapsed in results:
        by_kind[kind].append(elapsed)
        by_kind["all"].append(elapsed)
        failed[kind] += status != 200
    for kind, values in sorted(by_kind.items()):
        print(latency_line(kind, values, failed[kind] if kind != "all" else sum(failed.values())))
    client_cpu = (cpu.ru_utime + cpu.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    print(f"client CPU: {client_cpu:.1f} s in the client processes ({client_cpu / seconds:.2f} cores; "
          f"each is capped near 1 by the GIL), {own.ru_utime + own.ru_stime:.1f} s in the collector; "
          f"{os.cpu_count()} cores on this machine")
    flat = report_memory(samples, seconds, args.max_growth_mb) if samples else True
    return 1 if errors or not flat else 0


if __name__ == "__main__":
    sys.exit(main())
