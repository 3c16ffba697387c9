"""As a user: the production setup (migrate, collectstatic, ingest, index, gunicorn with
DEBUG off) in a fresh data folder, driven by headless Chromium."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The archive as `make run` serves it, on a free loopback port."""
    data = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "BAOKU_DATA_DIR": str(data),
        "SECRET_KEY": "browser-test-only",
        "DEBUG": "0",
    }
    env.pop("SEARCH_INDEX_PATH", None)
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"], ["ingest"], ["ensure_index"]):
        done = subprocess.run(manage + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "archive.wsgi:application", "--preload", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("gunicorn exited: " + server.stderr.read().decode())
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer in 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_search_for_an_official_and_open_a_result(site, browser, tmp_path):
    """Home page → search 孙建功 → highlighted results → the article, with the name marked."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site + "/")
    assert tab.title().endswith("报库")
    tab.fill("#site-q", "孙建功")
    tab.press("#site-q", "Enter")
    tab.wait_for_load_state()
    assert "/search/" in tab.url
    marks = tab.locator("main mark")
    assert marks.count() >= 3, tab.content()[:2000]
    assert set(marks.all_text_contents()) == {"孙建功"}
    tab.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    first = tab.locator("main a[href*='/articles/']").first
    headline = first.text_content().strip()
    first.click()
    tab.wait_for_load_state()
    assert "/articles/" in tab.url
    assert tab.locator("h1").text_content().strip() == headline
    assert "孙建功" in tab.locator("main").text_content()
    tab.screenshot(path=str(tmp_path / "article.png"), full_page=True)


def test_static_files_are_served_with_debug_off(site, browser):
    """The stylesheet loads from the production server (WhiteNoise, hashed names)."""
    tab = browser.new_page()
    responses = []
    tab.on("response", lambda r: responses.append((r.url, r.status)))
    tab.goto(site + "/")
    css = [(u, s) for u, s in responses if u.endswith(".css")]
    assert css and all(s == 200 for _, s in css)
    color = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert color not in ("", "rgba(0, 0, 0, 0)")
