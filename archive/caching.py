"""Whole public pages served from a cache all workers share, keyed by the archive's version.

A page that opts in with `@archive_page` (or `archive_page(view)` in a URL conf)
is the same for every anonymous reader of one URL while the archive is unchanged,
so it is rendered once per version of the archive (archive.version) and then read
from the `pages` cache (settings.page_cache: a folder by default, shared by
gunicorn's workers; never a per-process dict, which workers would disagree
about). Every write changes the version, so the next request renders afresh.

The same version is the page's ETag and Last-Modified, so browsers and proxies
revalidate with a conditional GET and get 304 while nothing changed. Logged-in
readers (staff) get the page rendered for them and marked private.
"""
import hashlib
from datetime import datetime, time
from datetime import timezone as dt_timezone
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from archive import version

CACHEABLE_STATUS = {200}


def page_cache():
    return caches["pages"]


# What renders the pages: a new release of any of it must not be answered from the
# cache or with a 304 that the old code earned (new templates, new hashed static names).
RELEASE_DIRS = ("archive", "search", "desk", "templates")


@cache
def release():
    """(A digest of the code, templates and static manifest; the newest file's time), once
    per process. Contents, not times, make the digest, so every worker and every checkout
    of one commit agree."""
    root = Path(settings.BASE_DIR)
    files = [f for d in RELEASE_DIRS for f in sorted((root / d).rglob("*"))
             if f.suffix in (".py", ".html", ".xml", ".txt") and f.is_file()]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    digest, newest = hashlib.sha256(), 0.0
    for f in files:
        digest.update(f.read_bytes())
        newest = max(newest, f.stat().st_mtime)
    return digest.hexdigest()[:12], datetime.fromtimestamp(newest, dt_timezone.utc)


def request_version(request):
    """The archive's version as this request saw it first (one query per request)."""
    if not hasattr(request, "_archive_version"):
        request._archive_version = version.current()
    return request._archive_version


def per_version(request, name, compute):
    """`compute()` once per version of the archive, shared by every worker (aggregates, lists)."""
    token, _ = request_version(request)
    key = f"agg:{token}:{name}"
    cache = page_cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def _key(request, token):
    # Host and scheme too: JSON twins and feeds carry absolute URLs. Hashed, since a
    # query string can be longer than a cache key may be.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{token}:{hashlib.sha256(url.encode()).hexdigest()}"


def _storable(response):
    return (response.status_code in CACHEABLE_STATUS and not response.streaming
            and not response.cookies and not response.has_header("Cache-Control"))


def archive_page(view):
    """Serve `view` from the shared page cache and answer conditional GETs from the archive's version."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            # What a logged-in reader sees is theirs: never a shared cache's copy.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        token, changed_at = request_version(request)
        code, released_at = release()
        # An article's citation names the day it was read (引用日期): a page is also
        # new each day, so yesterday's copy is neither served nor revalidated.
        today = timezone.localdate()
        token = f"{code}-{token}-{today:%Y%m%d}"
        etag = quote_etag(token)
        midnight = timezone.make_aware(datetime.combine(today, time.min))
        last_modified = int(max(changed_at, midnight, released_at).timestamp()) if changed_at else None
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            cache, key = page_cache(), _key(request, token)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()  # a TemplateResponse (the sitemap): pickle the bytes
                if request.method == "GET" and _storable(response):
                    cache.set(key, response)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
        # Logged-in readers get another page (above): a shared cache must tell them apart.
        patch_vary_headers(response, ("Cookie",))
        return response

    return cached_view
