"""Throttle admin logins: after repeated failures from one address or for one
user name, further attempts are refused for a while, right or wrong.

Failures are counted in the default cache, which settings put on disk in the data
folder so that every gunicorn worker sees the same counts.
"""
from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape


def _limit():
    return getattr(settings, "LOGIN_FAILURE_LIMIT", 5)


def _window():
    return getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60)


# The admin login form's own field: its cleaning (strip, then NFKC) is what
# authentication sees, so ａｄｍｉｎ and admin count as one name.
_USERNAME = UsernameField(max_length=150)


def client_ip(request):
    # Behind a proxy REMOTE_ADDR is the proxy; trust X-Forwarded-For only when told
    # to, and then only its rightmost hop, the one our proxy appended: everything to
    # its left is whatever the client chose to send.
    if getattr(settings, "BEHIND_PROXY", False):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def _keys(ip, username):
    keys = [f"login-failures:ip:{ip}"]
    name = _USERNAME.to_python(username or "")
    if name:
        keys.append(f"login-failures:user:{name.lower()[:150]}")
    return keys


def is_locked(request, username):
    return any((cache.get(key) or 0) >= _limit() for key in _keys(client_ip(request), username))


def record_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for key in _keys(client_ip(request), credentials.get("username", "")):
        # Not cache.incr(): it re-sets the key with the cache's default timeout
        # (300 s), not the window the refusal page promises.
        cache.set(key, (cache.get(key) or 0) + 1, _window())


def clear_failures(sender, request, user, **kwargs):
    if request is not None:
        cache.delete_many(_keys(client_ip(request), user.get_username()))


user_login_failed.connect(record_failure, dispatch_uid="baoku-login-failed")
user_logged_in.connect(clear_failures, dispatch_uid="baoku-logged-in")


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            username = request.POST.get("username", "")
            if is_locked(request, username):
                minutes = -(-_window() // 60)  # rounded up: never promise less than the lock
                return HttpResponse(
                    "<!doctype html><html lang=\"zh-Hans\"><meta charset=\"utf-8\"><title>登录暂停</title>"
                    f"<p>登录失败次数过多（{escape(username)}），请 {minutes} 分钟后再试。</p>"
                    f"<p>Too many failed logins; try again in {minutes} minutes.</p></html>",
                    status=429,
                )
        return self.get_response(request)
