"""Load a running Baoku server on loopback with a mix of pages and print latency figures.

    python tests/benchmarks/load.py --url http://127.0.0.1:8000 --clients 50 --seconds 60

A benchmark, not a test: it prints medians and percentiles, and exits non-zero only
if any request failed. It discovers article, person, district and date URLs from the
server itself, so it works on whatever the archive holds. Loopback only.
"""
import argparse
import http.client
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict

SEARCHES = ["孙建功", "中原科技城", "防汛", "国家中心城市", "RCEP", "李小虎", "算力", "\"国家卫生城市\"", "郑东新区 招商"]


def fetch(conn, path):
    conn.request("GET", path, headers={"Connection": "keep-alive"})
    response = conn.getresponse()
    body = response.read()
    return response.status, body


def discover(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    paths = defaultdict(set)
    for start in ["/", "/people/", "/districts/", "/dates/", "/pages/"]:
        status, body = fetch(conn, start)
        for link in re.findall(r'href="(/[^"#?]*)"', body.decode("utf-8", "replace")):
            for kind in ("articles", "people", "districts", "dates", "pages"):
                if link.startswith(f"/{kind}/") and link != f"/{kind}/":
                    paths[kind].add(link)
    conn.close()
    mix = {kind: sorted(found) for kind, found in paths.items()}
    mix["search"] = ["/search/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES]
    return mix


def client(host, port, mix, stop_at, results, lock):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    rng = random.Random()
    kinds = list(mix)
    local = []
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
        local.append((kind, status, time.perf_counter() - started))
    conn.close()
    with lock:
        results.extend(local)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load.py only targets loopback addresses")
    host, port = parts.hostname, parts.port or 80
    mix = discover(host, port)
    print("URL mix:", {k: len(v) for k, v in mix.items()})
    results, lock = [], threading.Lock()
    stop_at = time.monotonic() + args.seconds
    threads = [threading.Thread(target=client, args=(host, port, mix, stop_at, results, lock))
               for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = Counter(str(s) for _, s, _ in results if s != 200)
    print(f"{len(results)} requests in {args.seconds:.0f} s with {args.clients} clients "
          f"({len(results) / args.seconds:.1f} req/s); errors: {dict(errors) or 0}")
    by_kind = defaultdict(list)
    for kind, _, seconds in results:
        by_kind[kind].append(seconds * 1000)
        by_kind["all"].append(seconds * 1000)
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:10s} n={len(values):6d}  p50={statistics.median(values):7.1f} ms  "
              f"p95={percentile(values, 95):7.1f} ms  max={max(values):7.1f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
