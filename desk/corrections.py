"""Making, undoing and replaying corrections. Views call these; the loader writes.

A correction never edits article rows itself: it is stored, and the page is loaded
again from its own bytes (archive.loader.Loader.reload), which parses it, replays
the page's corrections (revise_page, registered as a loader reviser) and writes the
result, matching articles by text so ids and URLs stay. So a correction, a
re-ingest and `ingest --force` all go through one path, and every change reaches the
search index through the loader's queue rows.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from archive.ingest.entities import extract_page_entities
from archive.ingest.source import SourceError
from archive.loader import Loader
from archive.models import Article, Person
from desk import revise, tagged
from desk.models import Correction

LABELS = {
    "headline": "标题", "kicker": "引题", "subheadline": "副题", "byline": "署名", "lead": "电头",
    "person": "人物", "organization": "机构", "place": "地名",
    "previous": "上一篇", "next": "下一篇",
}


class CorrectionRefused(Exception):
    """The correction cannot be made to the article as it is (the message says why)."""


def revise_page(page, parsed, published, districts):
    """Loader reviser: replay the page's corrections on a fresh parse, mark those that no longer apply."""
    corrections = list(Correction.objects.filter(page=page).in_force())
    undone = [c.as_replay() for c in Correction.objects.filter(page=page, status=Correction.UNDONE)]
    if not corrections:
        revise.keep_ids(parsed, undone)
        return parsed
    # A tagged page's articles find their entities again in its own tags, not by reading.
    entities = (tagged.tagged_entities(page.raw_text, frozenset(page.not_persons)) if page.is_tagged
                else extract_page_entities)
    outcomes = revise.replay(parsed, [c.as_replay() for c in corrections], page.raw_text, published, districts,
                             entities)
    revise.keep_ids(parsed, undone)
    by_id = {c.id: c for c in corrections}
    for outcome in outcomes:
        correction = by_id[outcome.correction_id]
        status = Correction.ACTIVE if outcome.applied else Correction.STALE
        if (correction.status, correction.reason) != (status, outcome.reason):
            correction.status, correction.reason = status, outcome.reason
            correction.save(update_fields=["status", "reason"])
        if not outcome.applied:
            parsed.warnings.append(
                f"correction {correction.id} ({correction.summary}) no longer applies: {outcome.reason}; "
                "listed for review at /desk/review/"
            )
    return parsed


def summary(action: str, data: dict) -> str:
    def short(text):
        text = " ".join(str(text).split())
        return text if len(text) <= 24 else text[:23] + "…"

    if action == "edit_field":
        return f"改{LABELS[data['field']]}：“{short(data['before'])}”→“{short(data['after'])}”"
    if action == "edit_paragraph":
        return f"改段落：“{short(data['before'])}”→“{short(data['after'])}”"
    if action == "split":
        return f"从“{short(data['at'])}”起拆为两篇"
    if action == "merge_next":
        return "与下一篇合并"
    if action == "move_paragraph":
        return f"段落“{short(data['paragraph'])}”移到{LABELS[data['direction']]}"
    if action == "mark_line":
        return f"“{short(data['line'])}”标为{LABELS[data['as']]}"
    if action in ("add_entity", "remove_entity"):
        verb = "添加" if action == "add_entity" else "去掉"
        return f"{verb}{LABELS[data['kind']]}：{data['name']}"
    if action == "confirm_headline":
        return f"确认拟题：“{short(data['headline'])}”"
    if action == "rename_person":
        return f"人名“{data['before']}”改为“{data['after']}”"
    raise CorrectionRefused(f"unknown action {action!r}")


def correct(article: Article, user, action: str, **data) -> Correction:
    """Make one correction to an article and load its page again; refused if it does not apply."""
    if action not in revise.ACTIONS:
        raise CorrectionRefused(f"unknown action {action!r}")
    page = article.page
    data["anchor"] = revise.anchor_text(article.headline, article.body)
    with transaction.atomic():
        correction = Correction.objects.create(
            page=page, article_id=article.id, action=action, summary=summary(action, data)[:300],
            data=data, user=user,
        )
        try:
            Loader().reload(page)
        except SourceError as exc:
            raise CorrectionRefused(str(exc)) from exc
        correction.refresh_from_db()
        if correction.status != Correction.ACTIVE:
            # Nothing of it stays: the page is loaded again as it was.
            raise CorrectionRefused(correction.reason)
        if action == "split" or (action == "mark_line" and data["as"] == "headline"):
            _remember_second_part(correction, article)
    return correction


def rename_everywhere(person: Person, user, after: str) -> list[Correction]:
    """Rename a person in every article that names them: one correction per article, each
    listed in its article's history and undone on its own. A name another person has
    already makes them one (as the admin's merge does), since one name is one person.
    All or nothing: an article where it does not apply refuses the whole rename."""
    articles = Article.objects.for_person(person).select_related("page").order_by("page_id", "position")
    with transaction.atomic():
        return [correct(article, user, "rename_person", before=person.name, after=after)
                for article in list(articles)]


def _remember_second_part(correction, article):
    """A split's second part is a new article: later replays give it back the same id."""
    first = Article.objects.get(pk=article.pk)
    second = Article.objects.filter(page_id=first.page_id, position=first.position + 1).first()
    if second is not None and second.pk != article.pk and "new_id" not in correction.data:
        correction.data["new_id"] = second.pk
        correction.save(update_fields=["data"])


def undo(correction: Correction, user) -> None:
    """Undo a correction: it is kept in the history as undone, and the page is loaded again."""
    if correction.status == Correction.UNDONE:
        raise CorrectionRefused("already undone")
    with transaction.atomic():
        correction.status = Correction.UNDONE
        correction.undone_by, correction.undone_at = user, timezone.now()
        correction.save(update_fields=["status", "undone_by", "undone_at"])
        Loader().reload(correction.page)
