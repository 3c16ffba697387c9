"""As a researcher, in headless Chromium against the production setup: advanced search with a
date range, a changed query that keeps its filter, newspaper → issue → page → article, a copied
citation, a downloaded CSV read back, the phone layout, and axe-core on the key pages."""
import csv
import io
import os
import re
from pathlib import Path

import pytest

from tests.server import ROOT, production_site

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Ten pages a reader meets, one of each kind.
KEY_PAGES = [
    "/", "/search/?q=%E5%9B%BD%E5%AE%B6%E4%B8%AD%E5%BF%83%E5%9F%8E%E5%B8%82", "/search/advanced/",
    "/articles/001_e75978c7392952c1/2/", "/newspapers/", "/newspapers/zhengzhouwanbao/",
    "/newspapers/zhengzhouwanbao/2023-07/", "/pages/001_e75978c7392952c1/read/",
    "/pages/001_e75978c7392952c1/", "/districts/", "/dates/2017/9/", "/no/such/page/",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with production_site(tmp_path_factory.mktemp("reading")) as (url, _env):
        yield url


@pytest.fixture
def shots(tmp_path):
    return Path(os.environ.get("BAOKU_SHOTS", tmp_path))


def count_of(tab):
    return int(re.search(r"共找到 (\d+) 篇", tab.locator(".search-count").text_content()).group(1))


def test_advanced_search_with_a_date_range(site, browser):
    tab = browser.new_page(viewport=DESKTOP)
    tab.goto(site + "/search/advanced/")
    tab.fill("#id_all", "国家中心城市")
    tab.fill("#id_start", "2023")
    tab.fill("#id_end", "2023-12")
    tab.locator("form.advanced-form button[type=submit]").click()
    tab.wait_for_load_state()
    assert "/search/?" in tab.url and "from=2023" in tab.url and "to=2023-12" in tab.url
    assert count_of(tab) == 3
    dates = tab.locator(".search-results .item-meta").all_text_contents()
    assert len(dates) == 3 and all("2023年" in d for d in dates)
    assert "起：2023" in tab.locator(".active-filters").text_content()


def test_changing_the_query_keeps_the_filter(site, browser):
    tab = browser.new_page(viewport=DESKTOP)
    tab.goto(site + "/search/?q=%E5%9B%BD%E5%AE%B6%E4%B8%AD%E5%BF%83%E5%9F%8E%E5%B8%82")
    tab.locator(".facet[data-facet='district'] a", has_text="高新区").click()
    tab.wait_for_load_state()
    tab.fill("#search-q", "郑州")
    tab.press("#search-q", "Enter")
    tab.wait_for_load_state()
    assert "q=%E9%83%91%E5%B7%9E" in tab.url and "district=" in tab.url
    assert "高新区" in tab.locator(".active-filters").text_content()
    everywhere = tab.request.get(site + "/api/search?q=%E9%83%91%E5%B7%9E").json()["count"]
    within = tab.request.get(site + "/api/search?q=%E9%83%91%E5%B7%9E&district=%E9%AB%98%E6%96%B0%E5%8C%BA").json()
    assert count_of(tab) == within["count"] < everywhere


def test_browse_newspaper_issue_page_article(site, browser, shots):
    tab = browser.new_page(viewport=DESKTOP)
    tab.goto(site + "/")
    tab.get_by_role("navigation", name="主导航").get_by_role("link", name="报纸").click()
    tab.get_by_role("link", name="郑州晚报", exact=True).click()
    assert tab.locator("h1").text_content().startswith("郑州晚报")
    tab.get_by_role("link", name=re.compile("^2023年7月")).click()
    assert tab.locator("h1").text_content().startswith("2023年7月")
    shoot(tab, shots, "issue")
    tab.get_by_role("link", name="连读本版").first.click()
    headlines = tab.locator("article.read-story h2").all_text_contents()
    assert len(headlines) == 4
    crumbs = tab.locator("nav.crumbs").text_content()
    assert "郑州晚报" in crumbs and "2023年7月" in crumbs and ".txt" not in crumbs
    shoot(tab, shots, "page-read")
    tab.locator("article.read-story h2 a").nth(1).click()
    assert "/articles/" in tab.url
    assert tab.locator("h1").text_content().strip().startswith(headlines[1].strip()[:8])


def test_copy_a_citation(site, browser):
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    tab = context.new_page()
    tab.goto(site + "/articles/001_e75978c7392952c1/2/")
    expected = tab.locator("#cite-gbt").text_content().strip()
    assert "[N/OL]. 郑州晚报, 2023-07" in expected
    tab.locator("button[data-copy='cite-gbt']").click()
    tab.wait_for_function("document.querySelector('.copy-status').textContent === '已复制'")
    assert tab.evaluate("navigator.clipboard.readText()") == expected
    context.close()


def test_download_the_csv_and_read_it_back(site, browser, tmp_path):
    tab = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    tab.goto(site + "/search/?q=%E5%9B%BD%E5%AE%B6%E4%B8%AD%E5%BF%83%E5%9F%8E%E5%B8%82")
    shown = tab.locator(".search-results .item-title a").all_text_contents()
    with tab.expect_download() as info:
        tab.get_by_role("link", name="CSV").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][4] == "标题" and len(rows) == 1 + count_of(tab)
    assert [r[4] for r in rows[1:]] == [h.strip() for h in shown]


def test_phone_layout_puts_the_first_result_in_the_first_screen(site, browser, shots):
    tab = browser.new_page(viewport=PHONE)
    tab.goto(site + "/search/?q=%E5%9B%BD%E5%AE%B6%E4%B8%AD%E5%BF%83%E5%9F%8E%E5%B8%82")
    first = tab.locator(".search-results .item").first.bounding_box()
    assert first["y"] < PHONE["height"] - 100, first  # its headline and the start of its snippet
    assert tab.evaluate("document.querySelector('.facets-panel').open") is False
    shoot(tab, shots, "search")
    tab.goto(site + "/")
    assert tab.evaluate("document.documentElement.scrollHeight") < 4000
    for path in KEY_PAGES:  # none scrolls sideways on a phone
        tab.goto(site + path)
        assert tab.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, path


def shoot(tab, folder, name):
    size = tab.viewport_size
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab.set_viewport_size(viewport)
        tab.screenshot(path=str(folder / f"reading-{name}-{label}.png"), full_page=True)
    tab.set_viewport_size(size)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_the_key_pages(site, browser, scheme, shots):
    assert AXE.exists(), "axe-core is missing: run npm ci"
    # axe is injected as an inline script, which the site's own Content-Security-Policy
    # forbids (rightly); the audit's context alone sets that policy aside.
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, bypass_csp=True)
    tab = context.new_page()
    found = {}
    for path in KEY_PAGES:
        tab.goto(site + path)
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"
        )
        if violations:
            found[path] = violations
    if scheme == "dark":
        tab.goto(site + KEY_PAGES[1])
        tab.set_viewport_size(PHONE)
        tab.screenshot(path=str(shots / "reading-search-phone-dark.png"))
    context.close()
    assert not found, found
