"""What every site answers: a Chinese 404 in the site's style, robots.txt, the favicon."""
import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_not_found_is_a_chinese_page_in_the_site_style(client):
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "找不到这一页" in body and 'class="site-header"' in body and 'lang="zh-Hans"' in body


def test_server_error_page_renders_without_a_request():
    from django.template import loader

    body = loader.get_template("500.html").render()
    assert "服务器出错了" in body and 'class="site-header"' in body


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines and "Disallow: /admin/" in lines


def test_favicon_is_linked_and_answered(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_every_search_landmark_has_a_name(client):
    body = client.get("/").content.decode()
    assert body.count('role="search"') == body.count('role="search" aria-label=')
