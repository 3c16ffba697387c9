"""What a site answers besides its pages: robots.txt and the favicon browsers ask for."""
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse

# Downloads and the API repeat what the pages show; a crawler gains nothing there.
DISALLOW = ["/admin/", "/api/", "/search/export.csv", "/search/export.jsonl"]


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW),
             f"Sitemap: {request.build_absolute_uri(reverse('archive:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    """/favicon.ico, which browsers request whatever the page links: the site's SVG icon."""
    return redirect(static("favicon.svg"), permanent=True)
