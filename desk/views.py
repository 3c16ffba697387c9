"""The editor's desk: staff correct a page's articles beside its text.

Every change is one POST (CSRF-checked by the middleware) that calls
desk.corrections and redirects back to the desk page, which shows the result.
"""
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive.models import Article, Page, Person
from archive.views.text import mark_spans, untagged
from desk import corrections, jobs, revise
from desk.forms import UploadForm
from desk.models import Correction, Job

FIELDS = ("headline", "kicker", "subheadline", "byline", "lead")


@staff_member_required
@require_GET
def page_desk(request, slug):
    page = get_object_or_404(Page.objects.defer("raw_bytes"), slug=slug)
    articles = list(page.articles.for_reading().order_by("position"))
    for article in articles:
        article.page = page
        # The source lines inside the article's span, for "split at this line" (a tagged
        # page prints a paragraph a line: splitting at a paragraph is the same).
        span = [] if page.is_tagged else page.raw_text[article.span_start:article.span_end].splitlines()
        article.lines = [line.strip() for line in span if line.strip()][1:]
        article.desk_fields = [
            (name, corrections.LABELS[name], getattr(article, name)) for name in FIELDS
        ]
    # A tagged page is shown as a reader reads it, its words without their tags.
    text = untagged(page.raw_text, articles) if page.is_tagged else page.raw_text
    return render(request, "desk/page_desk.html", {
        "page": page,
        "articles": articles,
        "marked_text": mark_spans(text, articles),
        "corrections": page.corrections.select_related("user", "undone_by")[:50],
    })


def _params(request, article):
    """The action and its data, read from the form and the article as it is now."""
    post = request.POST
    action = post.get("action", "")
    paragraphs = article.paragraphs

    def paragraph():
        try:
            return paragraphs[int(post.get("paragraph", ""))]
        except (ValueError, IndexError):
            raise corrections.CorrectionRefused("no such paragraph") from None

    if action == "edit_field":
        field = post.get("field", "")
        if field not in FIELDS:
            raise corrections.CorrectionRefused("no such field")
        after = " ".join(post.get("value", "").split())
        max_length = Article._meta.get_field(field).max_length
        if field == "headline" and not after or len(after) > max_length:
            raise corrections.CorrectionRefused(f"a {field} must be 1 to {max_length} characters")
        return action, {"field": field, "before": getattr(article, field), "after": after}
    if action == "edit_paragraph":
        after = post.get("value", "").strip()
        if not after:
            raise corrections.CorrectionRefused("a paragraph cannot be empty (merge or move it instead)")
        return action, {"before": paragraph(), "after": after}
    if action == "split":
        at = (post.get("line") or "").strip() or paragraph()
        return action, {"at": at}
    if action == "merge_next":
        nxt = article.page.articles.filter(position__gt=article.position).order_by("position").first()
        if nxt is None:
            raise corrections.CorrectionRefused("the last article has no next one")
        return action, {"next_anchor": revise.anchor_text(nxt.headline, nxt.body)}
    if action == "move_paragraph":
        direction = post.get("direction", "")
        if direction not in ("previous", "next"):
            raise corrections.CorrectionRefused("no such direction")
        return action, {"paragraph": paragraph(), "direction": direction}
    if action == "mark_line":
        kind = post.get("as", "")
        if kind not in ("headline", "byline", "lead"):
            raise corrections.CorrectionRefused("a line is marked as headline, byline or lead")
        line = paragraph()
        if len(line) > Article._meta.get_field(kind).max_length:
            raise corrections.CorrectionRefused(f"the paragraph is too long for a {kind}")
        return action, {"line": line, "as": kind}
    if action in ("add_entity", "remove_entity"):
        kind, name = post.get("kind", ""), " ".join(post.get("name", "").split())
        if kind not in ("person", "organization", "place") or not name or len(name) > 50:
            raise corrections.CorrectionRefused("give a kind (person, organization, place) and a name")
        return action, {"kind": kind, "name": name}
    if action == "rename_person":
        before, after = post.get("before", ""), " ".join(post.get("name", "").split())
        max_length = Person._meta.get_field("name").max_length
        if not after or len(after) > max_length or after == before:
            raise corrections.CorrectionRefused(f"a new name is 1 to {max_length} characters, not the old one")
        return action, {"before": before, "after": after}
    if action == "confirm_headline":
        if not article.headline_derived:
            raise corrections.CorrectionRefused("the headline is printed, not derived")
        return action, {"headline": article.headline}
    raise corrections.CorrectionRefused(f"unknown action {action!r}")


@staff_member_required
@require_POST
def correct(request, article_id):
    article = get_object_or_404(Article.objects.select_related("page"), pk=article_id)
    try:
        action, data = _params(request, article)
        if action == "rename_person" and request.POST.get("everywhere"):
            # The person record this article links (two people may share the old name).
            person = get_object_or_404(Person, pk=request.POST.get("person") or 0, name=data["before"])
            made = corrections.rename_everywhere(person, request.user, data["after"])
            summary = f"{made[0].summary}（{len(made)}篇文章）" if made else "没有文章提到此人"
        else:
            summary = corrections.correct(article, request.user, action, **data).summary
    except corrections.CorrectionRefused as exc:
        messages.error(request, f"没有改动：{exc}")
    else:
        messages.success(request, f"已更正：{summary}")
    return redirect(reverse("desk:page", args=[article.page.slug]) + f"#article-{article.pk}")


@staff_member_required
@require_POST
def undo(request, correction_id):
    correction = get_object_or_404(Correction.objects.select_related("page"), pk=correction_id)
    try:
        corrections.undo(correction, request.user)
    except corrections.CorrectionRefused as exc:
        messages.error(request, f"没有撤销：{exc}")
    else:
        messages.success(request, f"已撤销：{correction.summary}")
    return redirect(request.POST.get("next") or reverse("desk:page", args=[correction.page.slug]))


@staff_member_required
@require_GET
def review(request):
    return render(request, "desk/review.html", {"corrections": Correction.objects.for_review()})


@require_GET
def history(request, page_slug, number):
    """An article's corrections, for every reader: what was changed, by whom, when."""
    article = Article.objects.select_related("page").filter(page__slug=page_slug, number=number).first()
    if article is None:
        raise Http404("no such article")
    return render(request, "desk/history.html", {
        "article": article,
        "corrections": Correction.objects.of_article(article.pk).select_related("user", "undone_by"),
    })


@staff_member_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """Page files or a zip (with manifest.csv) plus the form's metadata: one background job."""
    form = UploadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
        try:
            job = jobs.create(request.user, files, **form.cleaned_data)
        except jobs.UploadRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("desk:job", job.pk)
    return render(request, "desk/upload.html", {"form": form, "jobs": Job.objects.select_related("user")[:20]})


@staff_member_required
@require_GET
def job_detail(request, job_id):
    return render(request, "desk/job.html", {"job": get_object_or_404(Job, pk=job_id)})


@staff_member_required
@require_POST
def job_retry(request, job_id):
    job = get_object_or_404(Job, pk=job_id)
    try:
        jobs.retry(job)
    except jobs.UploadRefused as exc:
        messages.error(request, str(exc))
    return redirect("desk:job", job.pk)
