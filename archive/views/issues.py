"""Titles and issues: newspapers → a newspaper's calendar of issues → an issue's pages
in print order → one page's articles read in order as one text."""
import calendar
from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from archive.caching import archive_page
from archive.issues import Issue, edition_key, newspaper_label
from archive.ingest import dates as pdates
from archive.models import Article, Page
from archive.views.common import crumbs
from archive.views.dates import WEEKDAYS

NEWSPAPERS = ("报纸", "archive:newspapers")


def _trail(*more):
    return crumbs((NEWSPAPERS[0], reverse(NEWSPAPERS[1])), *more)


def page_trail(page, *more):
    """Breadcrumbs down to a page: 报纸 › 郑州晚报 › 2023年7月 › A01, then `more`."""
    issue = page.issue
    here = reverse("archive:page_read", args=[page.slug]) if more else None
    return _trail((issue.newspaper_label, issue.newspaper_url), (issue.display, issue.get_absolute_url()),
                  (page.edition, here), *more)


def _newspaper(slug):
    name = Page.objects.newspaper_named_by(slug)
    if name is None:
        raise Http404("没有这份报纸")
    return name


@archive_page
def newspaper_list(request):
    return render(request, "archive/newspaper_list.html", {
        "newspapers": Page.objects.newspapers(),
        "crumbs": crumbs((NEWSPAPERS[0], None)),
        "nav": "newspapers",
    })


def _calendar(issues):
    """[(year, [year-level issues], [(month, [month-level issues], weeks or None)])].

    Day issues fill a month's calendar (weeks of (day, issue or None)); an issue known
    only to the month or year, or an interval, is listed at its month or year.
    """
    years = []
    dated = [i for i in issues if i.start]
    for year, in_year in groupby(dated, key=lambda i: i.start.year):
        in_year = list(in_year)
        coarse = [i for i in in_year if i.precision == pdates.YEAR]
        months = []
        for month, in_month in groupby([i for i in in_year if i.precision != pdates.YEAR],
                                       key=lambda i: i.start.month):
            in_month = list(in_month)
            days = {i.start.day: i for i in in_month if i.precision == pdates.DAY}
            weeks = [[(d, days.get(d)) for d in week] for week in calendar.Calendar().monthdayscalendar(year, month)]
            months.append((month, [i for i in in_month if i.precision != pdates.DAY], weeks if days else None))
        years.append((year, coarse, months))
    return years


@archive_page
def newspaper_detail(request, slug):
    name = _newspaper(slug)
    issues = Page.objects.issues_of(name)
    return render(request, "archive/newspaper_detail.html", {
        "name": newspaper_label(name),
        "issues": issues,
        "years": _calendar(issues),
        "undated": [i for i in issues if i.start is None],
        "weekdays": WEEKDAYS,
        "crumbs": _trail((newspaper_label(name), None)),
        "nav": "newspapers",
    })


def _neighbours(items, current):
    index = items.index(current)
    return (items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None)


@archive_page
def issue_detail(request, slug, issue):
    name = _newspaper(slug)
    wanted = Issue.from_token(name, issue)
    if wanted is None:
        raise Http404("没有这一期")
    issues = [i.token for i in Page.objects.issues_of(name)]
    if wanted.token not in issues:
        raise Http404("没有这一期")
    pages = Page.objects.in_issue(wanted)
    headlines = {}
    for article in Article.objects.filter(page__in=pages).only(
        "page_id", "position", "number", "headline", "headline_derived"
    ).order_by("page_id", "position"):
        headlines.setdefault(article.page_id, []).append(article)
    for page in pages:
        page.headlines = headlines.get(page.pk, [])
        for article in page.headlines:
            article.page = page
    before, after = _neighbours(issues, wanted.token)
    return render(request, "archive/issue_detail.html", {
        "issue": wanted,
        "pages": pages,
        "previous": before and Issue.from_token(name, before),
        "next": after and Issue.from_token(name, after),
        "crumbs": _trail((wanted.newspaper_label, wanted.newspaper_url), (wanted.display, None)),
        "nav": "newspapers",
    })


@archive_page
def page_read(request, slug):
    """A page's articles in reading order, whole, as one text; the issue's other pages around it."""
    page = get_object_or_404(Page.objects.defer("raw_bytes", "raw_text"), slug=slug)
    issue = page.issue
    siblings = sorted(
        Page.objects.filter(**issue.filter()).only("slug", "section", "file_name"),
        key=lambda p: edition_key(p.section, p.file_name),
    )
    slugs = [p.slug for p in siblings]
    before, after = _neighbours(slugs, page.slug)
    articles = list(page.articles.only(
        "page_id", "position", "number", "headline", "headline_derived", "kicker", "subheadline", "lead", "body", "byline",
    ).order_by("position"))
    for article in articles:
        article.page = page
    return render(request, "archive/page_read.html", {
        "page": page,
        "issue": issue,
        "articles": articles,
        "siblings": siblings,
        "previous": before and siblings[slugs.index(before)],
        "next": after and siblings[slugs.index(after)],
        "previous_read_url": before and reverse("archive:page_read", args=[before]),
        "next_read_url": after and reverse("archive:page_read", args=[after]),
        "crumbs": page_trail(page),
        "nav": "newspapers",
    })


