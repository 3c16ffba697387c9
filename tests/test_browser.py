"""As a user: the production setup (migrate, collectstatic, ingest, index, gunicorn with
DEBUG off) in a fresh data folder, driven by headless Chromium."""
import os
import re
from pathlib import Path

import pytest

from tests.server import manage, production_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The archive as `make run` serves it, on a free loopback port: (base URL, environment)."""
    with production_site(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture(scope="module")
def site(served):
    return served[0]


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


# Reports every Content-Security-Policy violation to the console, where the test collects it.
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


def test_every_page_works_under_the_policy(served, browser):
    """Public pages and the admin (login, lists, a page's and a person's form) run with no CSP
    violation, console error or page error, and with their styles applied."""
    site, env = served
    manage(["shell", "-c", "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('policy', 'p@example.org', 'policy-password-123')"], env)
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    problems, policies = [], set()
    # A 404 is logged to the console too (the missing page below, the browser's own /favicon.ico).
    tab.on("console", lambda m: m.type in ("error", "warning") and "status of 404" not in m.text
           and problems.append((tab.url, m.text)))
    tab.on("pageerror", lambda e: problems.append((tab.url, str(e))))
    tab.on("response", lambda r: r.request.resource_type == "document"
           and policies.add(r.headers.get("content-security-policy", "")))
    tab.add_init_script(REPORT_VIOLATIONS)
    bad = []
    tab.on("response", lambda r: r.status >= 400 and bad.append((r.url, r.status)))

    tab.goto(site + "/")
    links = {a.get_attribute("href") for a in tab.locator("a[href^='/']").all()}
    pick = lambda prefix: sorted(h for h in links if h.startswith(prefix) and h != prefix)[0]  # noqa: E731
    urls = ["/search/?q=%E9%83%91%E4%B8%9C", pick("/districts/"), pick("/people/"), pick("/articles/"),
            "/pages/", "/people/", "/districts/", "/organizations/", "/reporters/", "/dates/", "/dates/2020/",
            "/dates/2020/7/"]
    for url in urls:
        tab.goto(site + url)
        assert tab.evaluate("getComputedStyle(document.body).backgroundColor") not in ("", "rgba(0, 0, 0, 0)")
    tab.goto(site + "/no-such-page/")  # Django's plain 404 page
    tab.goto(site + pick("/articles/"))
    tab.locator("footer.story-source a").first.click()
    tab.wait_for_load_state()
    # The search page's facets sit beside the results: its layout comes from the stylesheet.
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(site + "/search/?q=%E9%83%91%E4%B8%9C")
    assert tab.evaluate("getComputedStyle(document.querySelector('.search-layout')).display") == "grid"

    tab.goto(site + "/admin/")
    tab.fill("#id_username", "policy")
    tab.fill("#id_password", "policy-password-123")
    tab.locator("input[type=submit]").click()
    tab.wait_for_load_state()
    assert tab.url.rstrip("/").endswith("/admin"), tab.url
    for url in ["/admin/archive/page/", "/admin/archive/person/", "/admin/archive/article/"]:
        tab.goto(site + url)
        tab.locator("#result_list tbody th a").first.click()
        tab.wait_for_load_state()
        assert "/change/" in tab.url
    tab.goto(site + "/admin/archive/page/")
    tab.locator("#result_list tbody th a").first.click()
    tab.wait_for_selector("pre.raw-text")
    assert tab.evaluate("getComputedStyle(document.querySelector('pre.raw-text')).whiteSpace") == "pre-wrap"
    assert problems == []
    assert bad == [(site + "/no-such-page/", 404)]
    assert len(policies) == 1 and "default-src 'none'" in policies.pop()


def test_province_page_lists_its_cities_and_counts_their_articles(site, browser):
    """郑东新区 → its province (from the places it lies in) → the cities listed with counts → 郑州市."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site + "/districts/zhengdong/")
    tab.locator("header.page-header .kicker").get_by_role("link", name="河南省").click()
    assert tab.locator("h1").text_content().strip() == "河南省"
    assert tab.locator(".place-label").text_content().strip() == "省"
    cities = tab.locator("#district-children + ul li")
    listed = {li.get_by_role("link").text_content(): li.inner_text() for li in cities.all()}
    assert {"郑州市", "开封市", "洛阳市", "南阳市"} <= set(listed)
    # Every seed article is about a place in Zhengzhou, so all are the province's too.
    assert re.search(r"\b18 篇", listed["郑州市"]) and re.search(r"\b0 篇", listed["开封市"])
    assert tab.locator("#district-articles .count").text_content().strip() == "18"
    tab.locator("#district-children + ul").get_by_role("link", name="郑州市").click()
    assert tab.locator("h1").text_content().strip() == "郑州市"
    assert "郑东新区" in tab.locator("#district-children + ul").text_content()


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
