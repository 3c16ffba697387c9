"""The engine contract: SEARCH_ENGINE picks one, each keeps all of it, bad settings refuse to start."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import engines
from search.engines.base import SearchEngine
from search.engines.solr import SolrEngine
from search.engines.whoosh import WhooshEngine

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
