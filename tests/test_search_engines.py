"""The engine contract: SEARCH_ENGINE picks one, each keeps all of it, bad settings refuse to start."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from haystack import connections

from archive import version
from archive.models import Article
from search import engines
from search.engines.base import SearchEngine
from search.engines.solr import SolrEngine
from search.engines.whoosh import WhooshEngine
from tests.builders import make_article

ROOT = Path(__file__).resolve().parent.parent


def settings_error(**env):
    """What importing the settings with this environment prints on failure ("" if it starts)."""
    run = subprocess.run([sys.executable, "-c", "import archive.settings"], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "SECRET_KEY": "x", **env}, timeout=60)
    return "" if run.returncode == 0 else run.stderr


@pytest.mark.parametrize("engine", [WhooshEngine, SolrEngine])
def test_each_engine_keeps_the_whole_contract(engine):
    """Nothing of the contract is left abstract in either engine."""
    assert issubclass(engine, SearchEngine) and not engine.__abstractmethods__


def test_the_configured_connection_names_its_engine(search_engine):
    assert engines.current().name == search_engine


def test_solr_without_a_url_refuses_to_start():
    assert "SEARCH_ENGINE=solr needs SOLR_URL" in settings_error(SEARCH_ENGINE="solr", SOLR_URL="")


def test_an_unknown_engine_refuses_to_start():
    assert "it takes whoosh (the default) or solr" in settings_error(SEARCH_ENGINE="elastic")


def test_solr_with_a_url_starts():
    assert settings_error(SEARCH_ENGINE="solr", SOLR_URL="http://127.0.0.1:8983/solr/baoku") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["update", "remove", "clear"])
def test_a_haystack_level_write_moves_the_archive_version(write):
    """rebuild_index, update_index and clear_index write through the backend, not the
    queue: a search page cached before the index changed must not be served after it."""
    article = make_article(body="防汛工作。")
    backend = connections["default"].get_backend()
    calls = {"update": lambda: backend.update(connections["default"].get_unified_index().get_index(Article), [article]),
             "remove": lambda: backend.remove(article), "clear": backend.clear}
    before = version.current()
    calls[write]()
    assert version.current()[0] != before[0]
