"""Search results as a download: CSV (UTF-8 with a BOM, so spreadsheet programs read the
Chinese) or JSON Lines (the archive's export format), streamed, up to EXPORT_LIMIT articles.

The search is the page's own (`run`: the same parameters, the same loose fallback);
only the list is longer. Articles are read from the database in chunks, so memory
stays that of one chunk whatever the limit.
"""
import csv
import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse

from archive.export import article_record, export_queryset
from archive.models import Article
from search import engine

EXPORT_LIMIT = settings.SEARCH_EXPORT_LIMIT
CHUNK = 500
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
}
CSV_COLUMNS = [
    ("url", "链接"), ("newspaper", "报纸"), ("section", "版面"), ("published", "出版日期"),
    ("headline", "标题"), ("kicker", "引题"), ("subheadline", "副题"), ("byline", "署名"),
    ("reporters", "记者"), ("persons", "人物"), ("organizations", "机构"), ("districts", "区县"),
    ("kind", "体裁"), ("text", "正文"),
]


def _articles(ids):
    """The articles in `ids` order, a chunk of queries at a time, page text left unread."""
    for at in range(0, len(ids), CHUNK):
        chunk = ids[at:at + CHUNK]
        found = export_queryset(Article.objects.filter(pk__in=chunk)).defer("page__raw_bytes", "page__raw_text")
        by_id = {a.pk: a for a in found}
        yield from (by_id[i] for i in chunk if i in by_id)


class _Line:
    """csv.writer writes into this and gets the line back, for a streamed response."""

    def write(self, text):
        return text


def _csv_row(record):
    def joined(values):
        return "；".join(values)

    return [
        record["url"], record["newspaper"], record["section"], record["published"], record["headline"],
        record["kicker"] or "", record["subheadline"] or "", record["byline"], joined(record["reporters"]),
        joined(p["name"] for p in record["persons"]), joined(record["organizations"]),
        joined(record["districts"]), engine.KINDS.get(record["kind"], record["kind"]),
        "\n".join(record["paragraphs"]),
    ]


def _csv(records):
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([label for _, label in CSV_COLUMNS])
    for record in records:
        yield writer.writerow(_csv_row(record))


def _jsonl(records):
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def response(request, s, fmt):
    """The download for a finished search `s` (search.service.run)."""
    if s.result is None:
        return HttpResponse(" ".join(str(m) for m in s.messages) or "没有可导出的检索。", status=400,
                            content_type="text/plain; charset=utf-8")
    total, ids = engine.ids(s.query, s.filters, s.sort, EXPORT_LIMIT)
    base = request.build_absolute_uri("/").rstrip("/")
    records = (article_record(a, base) for a in _articles(ids))
    content_type, ext = FORMATS[fmt]
    out = StreamingHttpResponse(_csv(records) if fmt == "csv" else _jsonl(records), content_type=content_type)
    out["Content-Disposition"] = f'attachment; filename="baoku-search.{ext}"'
    out["X-Result-Count"] = str(total)
    out["X-Export-Count"] = str(len(ids))
    out["X-Export-Limit"] = str(EXPORT_LIMIT)
    return out
