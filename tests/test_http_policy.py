"""What every response allows: methods (405 with Allow), Content-Security-Policy, Permissions-Policy."""
import re

import pytest
from django.test import Client

from tests.builders import make_article, make_org, make_person, mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = make_article(headline="防汛会议", districts=["郑东新区"])
    mention(article, make_person("孙建功", slug="sun"), title="郑东新区党工委书记")
    return article


def public_urls(article):
    return [
        "/", article.get_absolute_url(), article.page.get_absolute_url(), "/people/", "/people/sun/",
        "/districts/", "/districts/zhengdong/", "/dates/", "/dates/2020/", "/dates/2020/7/", "/pages/",
        "/organizations/", "/reporters/", "/search/", "/search/?q=防汛",
    ]


def test_every_kind_of_response_carries_the_policies(client, article):
    """Pages, JSON, feeds, the sitemap, a 404 and the admin login all carry CSP and Permissions-Policy."""
    urls = public_urls(article) + ["/api/search?q=防汛", "/feed/", "/sitemap.xml", "/no-such-page/", "/admin/login/"]
    for url in urls:
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), url


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\s(?:src=|type=\"application/ld\+json\"))|\son[a-z]+=", re.I)


def test_no_page_needs_an_inline_script_or_style(client, article):
    """The strict policy forbids inline code: no page carries any."""
    for url in public_urls(article):
        html = client.get(url).content.decode()
        assert not INLINE.search(html), (url, INLINE.search(html))


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "DELETE", "PATCH", "POST", "PROPFIND"])
def test_public_urls_answer_other_methods_with_405(article, method):
    """A public URL is read-only: other methods get 405 with Allow: GET, HEAD, not the page or 403."""
    client = Client(enforce_csrf_checks=True)
    for url in ["/", article.get_absolute_url(), "/search/?q=防汛", "/api/search", "/no-such-page/"]:
        response = client.generic(method, url)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD", (url, method)
        assert b"<html" not in response.content


def test_the_admin_takes_posts_and_nothing_else(client):
    """The admin login answers POST (a form) but 405 to PUT and OPTIONS."""
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200
    for method in ("PUT", "OPTIONS", "TRACE"):
        response = client.generic(method, "/admin/login/")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"


def test_head_still_answers(client, article):
    """HEAD is allowed wherever GET is."""
    assert client.head(article.get_absolute_url()).status_code == 200
