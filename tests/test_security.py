"""Who gets in: staff-only admin, throttled logins, CSRF, production settings."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/admin/login/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.org", "right-password-123")


def login(client, password, username="editor"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_admin_refuses_a_logged_in_non_staff_user(client, django_user_model):
    """A plain user account does not reach the admin index."""
    django_user_model.objects.create_user("reader", password="reader-password-123")
    client.login(username="reader", password="reader-password-123")
    response = client.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_logins_lock_after_five_failures(client, editor):
    """After five wrong passwords even the right one is refused, with 429."""
    for _ in range(5):
        assert login(client, "wrong").status_code == 200
    response = login(client, "right-password-123")
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()


def test_lock_counts_per_user_name_across_addresses(editor):
    """Spreading guesses over addresses does not escape the per-user count."""
    for n in range(5):
        login(Client(REMOTE_ADDR=f"10.0.0.{n}"), "wrong")
    assert login(Client(REMOTE_ADDR="10.0.0.99"), "right-password-123").status_code == 429


def test_success_resets_the_count(client, editor):
    """A successful login clears earlier failures."""
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "right-password-123").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "right-password-123").status_code == 302


def test_lockout_message_escapes_the_user_name(client):
    """The refusal page echoes the name escaped."""
    for _ in range(5):
        login(client, "x", username="<b>x</b>")
    body = login(client, "x", username="<b>x</b>").content.decode()
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


def test_admin_login_requires_csrf_token(editor):
    """A login form post without the CSRF token is rejected."""
    client = Client(enforce_csrf_checks=True)
    assert login(client, "right-password-123").status_code == 403


def run_manage(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    base.update(DJANGO_SETTINGS_MODULE="archive.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120)


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    """Without DEBUG and without SECRET_KEY the project refuses to start."""
    done = run_manage(["check"], BAOKU_DATA_DIR=str(tmp_path))
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    """`check --deploy` passes with the README's production environment."""
    done = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        BAOKU_DATA_DIR=str(tmp_path), SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="baoku.example",
        SECURE_SSL_REDIRECT="1", SESSION_COOKIE_SECURE="1", CSRF_COOKIE_SECURE="1",
        SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_PRELOAD="1",
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "a@example.org", "right-password-123")


def test_behind_a_proxy_the_address_is_the_hop_the_proxy_appended(admin_user, settings):
    """A client writing a new X-Forwarded-For each time is still one address: the rightmost hop."""
    settings.BEHIND_PROXY = True
    for n in range(5):
        forged = Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
        login(forged, "wrong", username=f"nobody{n}")
    fresh = Client(HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert login(fresh, "right-password-123", username="admin").status_code == 429


def test_the_lock_holds_for_the_user_name_authentication_uses(client, admin_user):
    """ａｄｍｉｎ is admin once NFKC-normalised, as Django's login form does: locked too."""
    for _ in range(5):
        login(Client(REMOTE_ADDR="10.0.1.1"), "wrong", username="admin")
    response = login(Client(REMOTE_ADDR="10.0.1.2"), "right-password-123", username="ａｄｍｉｎ")
    assert response.status_code == 429


def test_the_lock_lasts_as_long_as_the_page_says(client, editor, monkeypatch):
    """Locked 14 minutes after the last failure (the cache's own default is 5), free after 15."""
    import time

    now = time.time()
    for _ in range(5):
        login(client, "wrong")
    body = login(client, "wrong").content.decode()
    assert "请 15 分钟后再试" in body
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    assert login(client, "right-password-123").status_code == 429
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 5)
    assert login(client, "right-password-123").status_code == 302
