"""The article index: what whoosh holds for each article.

`text` (jieba words) and `grams` (CJK character grams) analyse the same document
(templates/search/indexes/archive/article_text.txt): the first ranks, the second
makes any string in the text findable (see search/analyzer.py). Neither is stored;
snippets are cut from the database row. The other fields are for filters and facets.
"""
import hashlib
import json

from django.db.models import Prefetch
from haystack import indexes

from archive.ingest import dates as pdates
from archive.ingest import types as T
from archive.models import Article, OrganizationMention, PersonMention
from search.analyzer import gram_analyzer, normalize
from search.backend import ExactField, TextField



def _names(values):
    # haystack joins multi-values with commas for whoosh's KEYWORD fields; names are
    # normalised as queries are, so person:孫建功 finds 孙建功.
    return sorted({normalize(v).replace(",", "，") for v in values if v})


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = TextField(document=True, use_template=True, stored=False)
    grams = TextField(analyzer=gram_analyzer(), stored=False)
    headline = TextField(model_attr="headline", boost=2.0)
    headline_grams = TextField(model_attr="headline", analyzer=gram_analyzer(), stored=False)  # headline:
    persons = indexes.MultiValueField()
    reporters = indexes.MultiValueField()
    organizations = indexes.MultiValueField()
    districts = indexes.MultiValueField()
    event_dates = indexes.MultiValueField()
    kind = ExactField(model_attr="kind")
    newspaper = ExactField(model_attr="page__newspaper")
    source = ExactField(model_attr="page__file_name")
    position = indexes.IntegerField(model_attr="position")
    published = indexes.DateField(model_attr="page__published_start", null=True)
    # The last day the publication date allows (a page known to the month runs to its
    # end), so a from/to range keeps every article that may fall inside it.
    published_end = indexes.DateField(null=True)
    year = indexes.IntegerField(null=True)
    month = indexes.IntegerField(null=True)
    # A digest of everything above, so check_index can tell a stale entry from a current one.
    content_hash = ExactField(stored=True, default="")

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # The people come joined into the mention query: prefetching them separately
        # sends SQLite one `id = ? OR …` term per person, and an article naming over
        # a thousand (a member list) passes its expression-depth limit.
        return Article.objects.select_related("page").prefetch_related(
            "districts",
            Prefetch("person_mentions", PersonMention.objects.select_related("person")),
            Prefetch("organization_mentions", OrganizationMention.objects.select_related("organization")),
            "event_dates",
        )

    def read_queryset(self, using=None):
        return Article.objects.select_related("page")

    def prepare(self, obj):
        data = super().prepare(obj)
        data["content_hash"] = content_hash(data)
        return data

    def prepare_published_end(self, obj):
        return obj.page.published_end or obj.page.published_start

    def prepare_grams(self, obj):
        # Same document as `text`, rendered once (prepare() fills fields in declaration order).
        return self.prepared_data["text"]

    def prepare_persons(self, obj):
        return _names(m.person.name for m in obj.person_mentions.all() if m.role not in T.BYLINE_ROLES)

    def prepare_reporters(self, obj):
        return _names(m.person.name for m in obj.person_mentions.all() if m.role in T.BYLINE_ROLES)

    def prepare_organizations(self, obj):
        return _names(m.organization.name for m in obj.organization_mentions.all())

    def prepare_districts(self, obj):
        return _names(d.name for d in obj.districts.all())

    def prepare_event_dates(self, obj):
        return _names(d.iso for d in obj.event_dates.all())

    def prepare_year(self, obj):
        start = obj.page.published_start
        return start.year if start else None

    def prepare_month(self, obj):
        # Only when the page is known to the month: a year-precision page has no month.
        page = obj.page
        if pdates.level(page.published_start, page.published_end, page.published_precision) == pdates.YEAR:
            return None
        return page.published_start.month if page.published_start else None


def content_hash(data) -> str:
    """A digest of an article's prepared index fields (ids and the digest itself left out)."""
    fields = {k: v for k, v in data.items() if k not in ("id", "django_id", "django_ct", "content_hash")}
    encoded = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(encoded.encode("utf-8")).hexdigest()[:16]
