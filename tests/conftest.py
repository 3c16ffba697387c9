"""Shared test helpers: headless Chromium for the browser tests, the search engine to test
on, a fresh page cache per test."""
import os
import shutil

import pytest

# Search's test modules: `pytest --engine solr` runs them on a two-node SolrCloud
# (tests/solr_cluster.py) instead of whoosh; CI runs them on both. Each engine's own
# machinery (whoosh's lock, segments and writer processes; Solr's nodes killed) is tested in
# test_<engine>_engine, which runs on that engine only.
SEARCH_MODULES = ("test_search_",)
ENGINE_MODULES = {"whoosh": "test_whoosh_engine", "solr": "test_solr_engine"}


def pytest_collection_modifyitems(config, items):
    # On Solr, only the tests that search run: the rest do not depend on the engine.
    engine = config.getoption("engine")
    others = tuple(module for name, module in ENGINE_MODULES.items() if name != engine)

    def runs(item):
        module = item.module.__name__.rpartition(".")[2]
        if module in others:
            return False
        return engine == "whoosh" or module.startswith(SEARCH_MODULES) or module == ENGINE_MODULES[engine]

    kept = [item for item in items if runs(item)]
    if len(kept) == len(items):
        return
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.fixture(scope="session")
def solr_cloud():
    """A two-node SolrCloud with the configset's collection, for the session."""
    from tests.solr_cluster import SolrCloud, SolrUnavailable

    try:
        cloud = SolrCloud(nodes=2)
    except SolrUnavailable as exc:
        pytest.fail(str(exc))  # CI has Java and Maven: the Solr run never skips
    yield cloud
    cloud.close()


@pytest.fixture(scope="session", autouse=True)
def search_engine(request):
    """The engine the search tests run on: haystack's connection pointed at it."""
    if request.config.getoption("engine") != "solr":
        yield "whoosh"
        return
    from haystack import connections

    # A cluster already running (BAOKU_TEST_SOLR_URL: its collection's URLs) saves the
    # minute or two a start takes, for work on one test.
    urls = os.environ.get("BAOKU_TEST_SOLR_URL")
    if not urls:
        cloud = request.getfixturevalue("solr_cloud")
        urls = ",".join(cloud.collection_url(node) for node in range(len(cloud.urls)))
    from django.test import override_settings

    # haystack reads the settings' connections when a backend is made, and keeps its own
    # reference to them for the handler: both point at Solr.
    solr = {"default": {"ENGINE": "search.solr.JiebaSolrEngine", "TIMEOUT": 60, "URL": urls}}
    saved = connections.connections_info
    with override_settings(SEARCH_ENGINE="solr", HAYSTACK_CONNECTIONS=solr):
        connections.connections_info = solr
        connections.reload("default")
        yield "solr"
    connections.connections_info = saved
    connections.reload("default")


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def chromium_executable():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: a rolled-back test's writes take their
    version with them, so the next test may be back at a version an earlier one rendered."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(scope="session")
def chromium_path():
    """Chromium's path; under CI a missing browser is a failure, not a skip."""
    path = chromium_executable()
    if not os.path.exists(path):
        message = f"no Chromium at {path} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def browser(chromium_path):
    """A headless Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def fresh_index():
    """An empty search index (the test database starts empty; the index must too)."""
    from haystack import connections

    connections["default"].get_backend().clear()


@pytest.fixture
def staff(django_user_model):
    """A client logged in as a staff user named editor (the editor's desk)."""
    from django.test import Client

    user = django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    client = Client()
    client.force_login(user)
    return client
