"""What every response allows: the HTTP methods a URL answers and what a page may load.

The site serves no third-party script, style, font or frame, so its Content-Security-
Policy names only itself; no page may be framed, and no browser feature the archive
never uses (camera, microphone, location, payment, sensors) is granted.
"""
from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import reverse

READ = ("GET", "HEAD")
# Only the admin and the editor's desk (/desk/) take forms; both are staff only.
ADMIN = ("GET", "HEAD", "POST")
FORM_PREFIXES = ("/desk/",)


class ResponsePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def allowed(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        forms = request.path.startswith(self.admin_prefix) or request.path.startswith(FORM_PREFIXES)
        return ADMIN if forms else READ

    def __call__(self, request):
        allowed = self.allowed(request)
        # OPTIONS and TRACE included: the views would answer them with the whole page,
        # and CSRF would refuse a PUT with 403 as if it were a forgery.
        if request.method not in allowed:
            response = HttpResponseNotAllowed(allowed)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
