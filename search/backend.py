"""haystack's whoosh backend, with Chinese analysis and the few changes that matter here.

Indexing goes through haystack (SearchIndex, the schema, the stored fields). Queries
do not: search.query builds the whoosh query objects and search.engines.whoosh runs
them on the backend's index with one searcher per request. What differs from haystack
and why:

* Text fields declared with `TextField` get their own analyzer (jieba words or CJK
  grams), are not made sortable (haystack's default stores every text a second
  time) and are stored only when the index asks. `ExactField` values are one term
  each (newspaper, source file), for filters and facets.
* `supports_mmap = False`: with mmap, each reader of a compound segment copies the
  postings into memory, and haystack opens several readers per query.
* haystack's own highlighting (a hard-coded StemmingAnalyzer over stored text) is
  switched off; snippets come from search.highlight.
* haystack-level writes (rebuild_index, update_index, clear_index) move the archive's
  version (search.engines.base.VersionedBackend, shared with the Solr backend).
* `writer()` and `document()` let the queue (search.queue, through
  search.engines.whoosh_write) write with whoosh's one
  write lock under its own timeout, instead of haystack's AsyncWriter, which
  retries forever, and its remove(), which swallows LockError. A parallel writer
  is search.writer's, which gives up when a sub-process dies.
"""
from haystack import indexes
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import ID, TEXT

from search.analyzer import jieba_analyzer
from search.engines.base import VersionedBackend
from search.writer import GuardedMpWriter


class TextField(indexes.CharField):
    """Free text with a Chinese-aware analyzer (jieba words unless another is given)."""

    whoosh_kind = "text"

    def __init__(self, analyzer=None, **kwargs):
        super().__init__(analyzer=analyzer or jieba_analyzer(), **kwargs)


class ExactField(indexes.CharField):
    """A whole value as one term (file name, newspaper): for filters and facets, not prose."""

    whoosh_kind = "exact"


class JiebaWhooshBackend(VersionedBackend, WhooshSearchBackend):
    # (index generation key, whoosh searcher): search.engines.whoosh keeps one open per
    # generation; a backend belongs to one thread (haystack's connections are thread-local).
    held_searcher = None

    @property
    def engine_class(self):
        """The search contract's engine for this backend (search.engines)."""
        from search.engines.whoosh import WhooshEngine

        return WhooshEngine

    def setup(self):
        super().setup()
        self.storage.supports_mmap = False

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name, kind = field.index_fieldname, getattr(field, "whoosh_kind", None)
            if kind == "text":
                schema.remove(name)
                schema.add(name, TEXT(
                    analyzer=field.analyzer, phrase=True, stored=field.stored,
                    field_boost=field.boost, sortable=False,
                ))
            elif kind == "exact":
                schema.remove(name)
                schema.add(name, ID(stored=field.stored, field_boost=field.boost))
        return content_field_name, schema

    def _process_results(self, raw_page, highlight=False, **kwargs):
        return super()._process_results(raw_page, highlight=False, **kwargs)

    # -- for the queue's single writer ------------------------------------------

    def writer(self, timeout=0.0, **options):
        """A whoosh writer holding the write lock; raises whoosh's LockError after `timeout` s."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        if options.get("procs", 1) > 1:
            # Not whoosh's own MpWriter: it waits for ever on a sub-process that died.
            return GuardedMpWriter(self.index, timeout=timeout, **options)
        return self.index.writer(timeout=timeout, **options)

    def document(self, search_index, obj):
        """The fields whoosh stores for obj, converted as haystack's update() does."""
        doc = search_index.full_prepare(obj)
        doc.pop("boost", None)  # document boosts are not supported by whoosh 2.5+
        return {key: self._from_python(value) for key, value in doc.items()}


class JiebaWhooshEngine(WhooshEngine):
    backend = JiebaWhooshBackend
