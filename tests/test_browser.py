"""As a user: the production setup (migrate, collectstatic, ingest, index, gunicorn with
DEBUG off) in a fresh data folder, driven by headless Chromium."""
import os
import re
from pathlib import Path

import pytest

from tests.server import production_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The archive as `make run` serves it, on a free loopback port."""
    with production_site(tmp_path_factory.mktemp("site")) as (url, _env):
        yield url


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


WIDTHS = {"phone": 390, "desktop": 1280}


def shoot(tab, folder, name):
    """Full-page screenshots of the current page at phone and desktop width."""
    for label, width in WIDTHS.items():
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_walk_home_district_person_article_source_dates(site, browser, tmp_path):
    """Home → 郑东新区 → 孙建功 → an interview → its source page → the month it names, checking each page."""
    shots = Path(os.environ.get("BAOKU_SHOTS", tmp_path))
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site + "/")
    shoot(tab, shots, "1-home")

    tab.get_by_role("region", name="区县").get_by_role("link", name=re.compile("^郑东新区")).click()
    assert tab.locator("h1").text_content().strip() == "郑东新区"
    assert tab.locator("svg.chart rect.bar").count() >= 3  # 2020, 2023, 2025 at least
    officials = tab.locator("#district-officials + ul").text_content()
    assert "孙建功" in officials and "郑东新区党工委书记" in officials
    assert "龙湖办事处" in tab.locator("main").text_content()
    shoot(tab, shots, "2-district")

    tab.locator("#district-officials + ul").get_by_role("link", name="孙建功").click()
    assert tab.locator("h1").text_content().strip() == "孙建功"
    posts = [r.inner_text().split("\t")[0].splitlines()[0] for r in tab.locator("table.posts tbody tr").all()]
    assert posts == ["郑东新区党工委书记", "中原科技城党工委书记"]
    first_post = tab.locator("table.posts tbody tr").first.inner_text()
    assert "2023年" in first_post and "2025年7月" in first_post
    shoot(tab, shots, "3-person")

    tab.locator("ol.timeline").get_by_role("link", name=re.compile("聚焦")).click()
    assert "聚焦" in tab.locator("h1").text_content()
    assert "孙建功" in tab.locator("aside.facts").text_content()
    assert tab.locator("#related").count() == 1
    shoot(tab, shots, "4-article")

    tab.locator("footer.story-source a").first.click()
    assert "/pages/" in tab.url
    assert tab.locator("pre.raw mark.span").count() >= 1
    shoot(tab, shots, "5-source")

    tab.get_by_role("navigation", name="主导航").get_by_role("link", name="日期").click()
    tab.get_by_role("link", name=re.compile("^2017年")).first.click()
    tab.get_by_role("link", name=re.compile("^9月")).first.click()
    assert tab.locator("h1").text_content().strip() == "2017年9月"
    assert tab.locator("table.calendar td.has-event").count() >= 1  # 9月1日, 9月2日 named in the text
    assert "仅知月份" in tab.locator("main").text_content()
    shoot(tab, shots, "6-month")


def test_search_apply_a_facet_and_open_a_highlighted_result(site, browser):
    """Search 国家中心城市 → facet 高新区 → fewer results, filter shown → the article with the term marked."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site + "/search/?q=%E5%9B%BD%E5%AE%B6%E4%B8%AD%E5%BF%83%E5%9F%8E%E5%B8%82")
    assert "共找到 7 篇文章" in tab.locator(".search-count").text_content()
    tab.locator(".facet[data-facet='district'] a", has_text="高新区").click()
    tab.wait_for_load_state()
    assert "district=" in tab.url
    assert "共找到 3 篇文章" in tab.locator(".search-count").text_content()
    assert "高新区" in tab.locator(".active-filters").text_content()
    tab.locator(".search-results a[href*='/articles/']").first.click()
    tab.wait_for_load_state()
    assert "/articles/" in tab.url and "q=" in tab.url
    assert "国家中心城市" in tab.locator("main mark").all_text_contents()


def test_the_person_filter_suggests_districts_as_one_types(site, browser):
    """Typing 郑东 in the district field fills its suggestions from /api/districts; choosing filters."""
    tab = browser.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(site + "/people/")
    with tab.expect_response(lambda r: "/api/districts" in r.url) as answer:
        tab.fill("#f-district", "郑东")
    assert answer.value.status == 200
    # The page's own short list names other districts too; the script's answer names only matches.
    tab.wait_for_function("(() => { const o = [...document.querySelectorAll('#f-district-options option')];"
                          " return o.length > 0 && o.every(x => x.value.includes('郑东')); })()")
    tab.fill("#f-district", "郑东新区")
    tab.press("#f-district", "Enter")
    tab.wait_for_load_state()
    assert "district=" in tab.url and tab.input_value("#f-district") == "郑东新区"
    assert not errors
