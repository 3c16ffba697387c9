"""The archive's export format: one JSON object per article (JSON Lines).

The schema is documented in README.md ("Export format") and kept stable: add
keys, never rename or drop them.
"""
from archive.ingest import types as T
from archive.models import Article

SCHEMA_VERSION = 1


def export_queryset(qs=None):
    # for_reading() brings the organisations in by a join: a second prefetch would
    # send SQLite one OR term per organisation, past its expression depth on the month.
    qs = Article.objects.all() if qs is None else qs
    return qs.for_reading().order_by("page__published_start", "page__file_name", "position")


def article_record(article, base_url=""):
    mentions = list(article.person_mentions.all())

    def names(role):
        return [m.person.name for m in mentions if m.role == role]

    interviewee = next((m for m in mentions if m.role == T.INTERVIEWEE), None)
    page = article.page
    return {
        "schema": SCHEMA_VERSION,
        "id": article.id,
        "url": base_url.rstrip("/") + article.get_absolute_url(),
        "source": page.file_name,
        "position": article.position,
        "newspaper": page.newspaper,
        "section": page.section,
        "published": page.published_iso,
        "published_precision": page.published_precision,
        "headline": article.headline,
        "headline_derived": article.headline_derived,
        "kicker": article.kicker or None,
        "subheadline": article.subheadline or None,
        "kind": article.kind,
        "lead": article.lead,
        "byline": article.byline,
        "paragraphs": article.paragraphs,
        "reporters": names(T.REPORTER),
        "correspondents": names(T.CORRESPONDENT),
        "photographers": names(T.PHOTOGRAPHER),
        "photo": article.photo,
        "interviewee": (
            {"name": interviewee.person.name, "title": interviewee.title} if interviewee else None
        ),
        "persons": [{"name": m.person.name, "title": m.title, "role": m.role} for m in mentions],
        "organizations": [om.organization.name for om in article.organization_mentions.all()],
        "districts": sorted(d.name for d in article.districts.all()),
        "event_dates": [
            {"text": e.text, "date": e.iso or None, "precision": e.date_precision or None,
             "approximate": e.approximate}
            for e in article.event_dates.all()
        ],
    }
