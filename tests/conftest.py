"""Shared test helpers: headless Chromium for the browser tests, a fresh page cache per test."""
import os
import shutil

import pytest

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
