"""The whole ingest of a folder of page files: wall time, CPU of every process, peak memory.

    python tests/benchmarks/ingest_folder.py PAGES [--root CHECKOUT ...] [--runs 2] [--env K=V ...]

Each run migrates a fresh data folder, then times `manage.py ingest PAGES` (the index
drain included) from each --root in turn (default: this checkout), so before and after
are measured in one session, interleaved. CPU is summed over the whole process tree,
read from /proc every 0.1 s: the parser worker (archive.ingest.ahead) is a child of a
forkserver, which `time` and getrusage do not count. Peak memory is the tree's PSS.
Several --env give several variants of each root (e.g. BAOKU_INGEST_AHEAD=0). A
benchmark, not a test.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from scale import _tree_pss_kb  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid, seen):
    """Record the CPU seconds so far of pid and its descendants into `seen` (pid -> seconds)."""
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            seen[current] = max(seen.get(current, 0), (int(fields[11]) + int(fields[12])) / TICK)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue


def run(root: Path, pages: Path, env_extra: dict) -> dict:
    python = str(Path(sys.executable))
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as data:
        env = {**os.environ, "SECRET_KEY": "bench", "BAOKU_DATA_DIR": data, **env_extra}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
        started = time.perf_counter()
        proc = subprocess.Popen([python, "manage.py", "ingest", str(pages), "-v0"], cwd=root, env=env,
                                stdout=subprocess.DEVNULL)
        seen, peak = {}, 0
        while proc.poll() is None:
            _tree_cpu(proc.pid, seen)
            peak = max(peak, _tree_pss_kb(proc.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - started
        if proc.returncode:
            raise SystemExit(f"{root}: ingest failed ({proc.returncode})")
    return {"wall": wall, "cpu": sum(seen.values()), "pss_mb": peak / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--root", type=Path, action="append", help="checkout to run (repeatable)")
    parser.add_argument("--env", action="append", default=[], help="K=V for a variant (repeatable)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    roots = args.root or [Path(__file__).resolve().parents[2]]
    variants = [(root, {}) for root in roots]
    for item in args.env:
        key, _, value = item.partition("=")
        variants += [(root, {key: value}) for root in roots]
    figures = {i: [] for i in range(len(variants))}
    for n in range(args.runs):
        for i, (root, env) in enumerate(variants):
            load = os.getloadavg()[0]
            result = run(root, args.pages.resolve(), env)
            figures[i].append(result)
            label = f"{root} {' '.join(f'{k}={v}' for k, v in env.items())}".strip()
            print(f"run {n + 1}, {label}: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s, "
                  f"peak PSS {result['pss_mb']:.0f} MB (load {load:.1f})", flush=True)
    print("medians:")
    for i, (root, env) in enumerate(variants):
        rows = figures[i]
        label = f"{root} {' '.join(f'{k}={v}' for k, v in env.items())}".strip()
        print(f"  {label}: wall {statistics.median(r['wall'] for r in rows):.1f} s, "
              f"CPU {statistics.median(r['cpu'] for r in rows):.1f} s, "
              f"peak PSS {statistics.median(r['pss_mb'] for r in rows):.0f} MB")


if __name__ == "__main__":
    main()
