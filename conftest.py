"""pytest's command-line options: here at the root, so pytest reads them before it collects
(an option in tests/conftest.py is unknown to `pytest --engine solr` run without paths)."""
import os


def pytest_addoption(parser):
    parser.addoption("--engine", choices=("whoosh", "solr"), default=os.environ.get("BAOKU_TEST_ENGINE", "whoosh"),
                     help="the search engine the tests run on (default whoosh; solr starts a two-node SolrCloud)")
