"""A write is seen on the next request by every server process sharing the page cache."""
import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from tests.server import drop_own_databases, gunicorn, manage, own_database_env

pytestmark = pytest.mark.slow
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def shell(env, code):
    return manage(["shell", "-c", code], env).stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two gunicorn servers, one worker each, on one data folder: two processes, one page cache."""
    data_dir = tmp_path_factory.mktemp("two")
    env = own_database_env(data_dir)
    manage(["migrate", "--noinput"], env)
    manage(["collectstatic", "--noinput", "-v", "0"], env)
    seeds = data_dir / "seeds"
    shutil.copytree(SEEDS, seeds)
    manage(["ingest", str(seeds), "--no-index"], env)
    with gunicorn(env, workers=1) as first, gunicorn(env, workers=1) as second:
        yield (first, second), env, seeds
    drop_own_databases()


def test_an_edit_in_another_process_is_seen_by_both_servers(two_servers):
    """Both servers cache a person's page; a save from a third process shows on each one's next request."""
    servers, env, _ = two_servers
    slug, name = json.loads(shell(env, (
        "import json; from archive.models import Person; "
        "p = Person.objects.filter(mentions__isnull=False).order_by('pk').first(); "
        "print(json.dumps([p.slug, p.name]))"
    )))
    path = f"/people/{urllib.request.quote(slug)}/"
    for server in servers:  # twice each: the second answer comes from the cache
        assert name in get(server + path) and name in get(server + path)
    shell(env, f"from archive.models import Person; p = Person.objects.get(slug={slug!r}); "
               "p.name = p.name + '改'; p.save()")
    assert [f"{name}改" in get(server + path) for server in servers] == [True, True]


def test_an_ingest_in_another_process_is_seen_by_both_servers(two_servers):
    """A changed page ingested from the command line shows on the next request to each server."""
    servers, env, seeds = two_servers
    path = "/pages/002_e713b7ff9e0ddada/"
    for server in servers:
        assert "防汛工作会议" not in get(server + path)
    page = seeds / "002_e713b7ff9e0ddada.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("防汛会商会议", "防汛工作会议"), encoding="utf-8")
    manage(["ingest", str(seeds), "--no-index"], env)
    assert ["防汛工作会议" in get(server + path) for server in servers] == [True, True]
