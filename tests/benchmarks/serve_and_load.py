"""Start the production server on a data folder as `make run` does, load it, stop it.

    python tests/benchmarks/serve_and_load.py /tmp/baoku-load --clients 50 --seconds 60
    python tests/benchmarks/serve_and_load.py /tmp/baoku-load --clients 50 --seconds 600 --report-every 60

The folder is the server's BAOKU_DATA_DIR: migrate, collectstatic, ingest seeds/ and
ensure_index run in it first (quick when they have run before), then gunicorn
--preload --workers 2 on a free loopback port with DEBUG off (tests/server.py). With
--no-ingest the folder is served as it is, e.g. an archive built by scale.py. Every
other option goes to load.py, with --url and --server-pid filled in; its exit status
is this script's. gunicorn's log is gunicorn.log in the folder.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.server import production_site  # noqa: E402


def gunicorn_master():
    """The gunicorn that production_site started: a child of this process."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"gunicorn" in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    sys.exit("could not find the gunicorn master among this process's children")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Other options are load.py's (see load.py --help).")
    parser.add_argument("data_dir", type=Path, help="the server's data folder (not the project's data/)")
    parser.add_argument("--no-ingest", action="store_true", help="serve the folder as it is")
    args, load_args = parser.parse_known_args()
    if args.data_dir.resolve() == (ROOT / "data").resolve():
        sys.exit("use a data folder of its own, not the project's data/")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with production_site(args.data_dir, ingest=not args.no_ingest) as (url, _):
        master = gunicorn_master()
        print(f"serving {args.data_dir} at {url} (gunicorn master {master})", flush=True)
        load = [sys.executable, str(Path(__file__).with_name("load.py")), "--url", url,
                "--server-pid", str(master), *load_args]
        return subprocess.run(load).returncode


if __name__ == "__main__":
    sys.exit(main())
