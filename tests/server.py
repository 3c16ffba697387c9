"""Run the archive as `make run` does (manage.py commands and gunicorn, DEBUG off)
in a data folder of its own, for tests that need real processes."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(data_dir, **extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "BAOKU_DATA_DIR": str(data_dir),
           "SECRET_KEY": "test-server-only", "DEBUG": "0"}
    env.pop("SEARCH_INDEX_PATH", None)
    env.update(extra)
    return env


def own_database_env(data_dir, copy_of=None):
    """production_env for a data folder whose database is its own, as for a separate install.

    SQLite keeps its database in the folder already. With DATABASE_URL=postgres://…
    (the CI's second run) each folder gets a new PostgreSQL database, a copy of
    `copy_of`'s (an env this function made) if given; drop_own_databases() removes them.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return production_env(data_dir)
    import psycopg

    name = f"baoku_test_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{copy_of["BAOKU_TEST_DATABASE"]}"' if copy_of else ""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{template}')
    _own_databases.append(name)
    own_url = urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    return production_env(data_dir, DATABASE_URL=own_url, BAOKU_TEST_DATABASE=name)


_own_databases = []


def drop_own_databases(env=None):
    """Drop the databases own_database_env() made; only `env`'s if given."""
    names = [env["BAOKU_TEST_DATABASE"]] if env and "BAOKU_TEST_DATABASE" in env else (
        [] if env else list(_own_databases))
    if not names:
        return
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _own_databases.remove(name)


def manage(args, env, timeout=600, check=True):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def manage_process(args, env):
    """A manage.py command running in the background (e.g. an ingest to interrupt)."""
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env, workers=2):
    """gunicorn serving the archive on a free loopback port; yields its base URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("gunicorn")
    # Its log goes to a file: a pipe nobody reads fills up and blocks the workers.
    log = Path(env["BAOKU_DATA_DIR"]) / "gunicorn.log"
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            [str(exe), "archive.wsgi:application", "--preload", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except urllib.error.HTTPError as exc:
                raise AssertionError(f"the home page answered {exc.code}:\n{log.read_text()[-3000:]}")
            except OSError:
                if server.poll() is not None:
                    raise AssertionError("gunicorn exited:\n" + log.read_text()[-3000:])
                time.sleep(0.5)
        else:
            raise AssertionError("the server did not answer in 60 s")
        yield url
    finally:
        # SIGINT is gunicorn's quick shutdown; SIGTERM would wait for idle keep-alives.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def production_site(data_dir, ingest=True, env=None):
    """`make run` in a data folder of its own: migrate, collectstatic, ingest the seeds,
    build the index, then gunicorn with DEBUG off. Yields (base URL, environment).

    Without `env`, the site has a database of its own (on PostgreSQL too, where
    sites sharing the CI's database would see each other's users and articles),
    dropped when the site stops."""
    made = env is None
    env = env or own_database_env(data_dir)
    try:
        manage(["migrate", "--noinput"], env)
        manage(["collectstatic", "--noinput", "-v", "0"], env)
        if ingest:
            manage(["ingest"], env)
            manage(["ensure_index"], env)
        with gunicorn(env) as url:
            yield url, env
    finally:
        if made:
            drop_own_databases(env)
