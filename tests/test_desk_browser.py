"""The editor's desk as staff use it, in headless Chromium against the production setup:
upload two pages, wait for the job, split, merge, edit a headline, then check search,
the merged article's old URL, a re-ingest, and what a reader who is not logged in gets."""
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.server import manage, manage_process, production_site

pytestmark = pytest.mark.browser

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SPLIT_PAGE, MERGE_PAGE = "002_e713b7ff9e0ddada", "004_0a7de6b0a5fb8a92"
PASSWORD = "pw-desk-browser-1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(url, data=None):
    """Status and Location of one request, redirects not followed, no cookies."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, data=data), timeout=30)
        return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location")


def _search(site, q):
    with urllib.request.urlopen(f"{site}/api/search?q={urllib.parse.quote(q)}", timeout=30) as r:
        return [(hit["headline"], hit["url"]) for hit in json.load(r)["results"]]


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk-site")
    with production_site(folder, ingest=False) as (url, env):
        manage(["ensure_index"], env)
        manage(["shell", "-c", "from django.contrib.auth.models import User; "
                f"User.objects.create_user('editor', password='{PASSWORD}', is_staff=True)"], env)
        worker = manage_process(["desk_worker", "--poll", "0.5"], env)
        try:
            yield url, env
        finally:
            worker.kill()
            worker.wait()


def _upload(tab, site):
    tab.goto(site + "/desk/upload/")
    tab.set_input_files("input[name=files]", [str(SEEDS / f"{p}.txt") for p in (SPLIT_PAGE, MERGE_PAGE)])
    tab.fill("input[name=newspaper]", "郑州晚报")
    tab.fill("input[name=published]", "2020-07")
    tab.click("form.desk-upload button[type=submit]")
    tab.wait_for_selector(".job-status[data-status=done]", timeout=180_000)
    assert "Files: 2" in tab.locator(".job-log").text_content()


def _articles(tab, site, page):
    """(headline link URL, id) of each article on the desk page, in order."""
    tab.goto(f"{site}/desk/pages/{page}/")
    cards = tab.locator(".desk-article")
    return [(cards.nth(i).locator("h3 a").first.get_attribute("href"), cards.nth(i).get_attribute("data-article"))
            for i in range(cards.count())]


def test_staff_upload_split_merge_edit_and_readers_cannot(desk_site, browser):
    site, env = desk_site
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site + "/admin/login/?next=/desk/upload/")
    tab.fill("input[name=username]", "editor")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url("**/desk/upload/")
    _upload(tab, site)

    # Split the first article of one page at its third paragraph.
    before = _articles(tab, site, SPLIT_PAGE)
    first = tab.locator(".desk-article").first
    part2_text = first.locator("li[data-paragraph='2'] textarea").input_value()
    part1_text = first.locator("li[data-paragraph='0'] textarea").input_value()
    first.locator("button[data-split='2']").click()
    tab.wait_for_load_state()
    assert "已更正" in tab.locator(".desk-messages").text_content()
    after = _articles(tab, site, SPLIT_PAGE)
    assert len(after) == len(before) + 1 and after[0] == before[0]
    headlines = tab.locator(".desk-article input[data-field=headline]")
    part1_headline, part2_headline = headlines.nth(0).input_value(), headlines.nth(1).input_value()

    # Merge the first two articles of the other page, and edit the third's headline.
    merge_before = _articles(tab, site, MERGE_PAGE)
    tab.locator(".desk-article").first.locator("button[data-merge]").click()
    tab.wait_for_load_state()
    third = tab.locator(".desk-article").nth(1)
    third.locator("input[data-field=headline]").fill("编辑改过的标题")
    third.locator("form.desk-field", has=tab.locator("input[data-field=headline]")).locator("button").click()
    tab.wait_for_load_state()
    merge_after = _articles(tab, site, MERGE_PAGE)
    assert len(merge_after) == len(merge_before) - 1

    # Search finds both halves under their headlines.
    found1 = _search(site, f'"{part1_text[12:24]}"')
    found2 = _search(site, f'"{part2_text[12:24]}"')
    assert (part1_headline, after[0][0]) in found1, found1
    assert (part2_headline, after[1][0]) in found2, found2
    assert any(h == "编辑改过的标题" for h, _ in _search(site, "编辑改过的标题"))

    # The merged article's old URL redirects to the one it went into.
    assert _status(site + merge_before[1][0]) == (301, merge_after[0][0])
    tab.goto(site + merge_before[1][0])
    assert tab.url == site + merge_after[0][0]

    # The same files uploaded again: all three corrections still hold.
    _upload(tab, site)
    assert _articles(tab, site, SPLIT_PAGE) == after
    assert _articles(tab, site, MERGE_PAGE) == merge_after
    assert tab.locator(".desk-article").nth(1).locator("input[data-field=headline]").input_value() == "编辑改过的标题"
    tab.goto(site + after[1][0])
    assert tab.locator("h1").text_content().strip().startswith(part2_headline)
    assert "已更正" in tab.locator("main").text_content()

    # A reader: no editing controls, and the editing URLs answer 302 (to the login) or 403.
    reader = browser.new_page()
    reader.goto(site + after[0][0])
    assert "更正记录" in reader.locator("main").text_content()
    assert reader.locator("a[href*='/desk/'], form[action*='/desk/']").count() == 0
    assert _status(f"{site}/desk/pages/{SPLIT_PAGE}/")[0] == 302
    assert _status(f"{site}/desk/upload/")[0] == 302
    correct_url = f"{site}/desk/articles/{after[0][1]}/correct/"
    assert _status(correct_url, data=b"action=merge_next")[0] in (302, 403)
    reader.goto(f"{site}/desk/pages/{SPLIT_PAGE}/")
    assert "/admin/login/" in reader.url
