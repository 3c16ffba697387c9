"""Compare the index with the database: which articles are missing, stale or orphaned.

Each index entry stores a digest of its prepared fields (ArticleIndex.content_hash);
preparing an article again and comparing digests catches any change the queue
missed (an edit made with the signals off, a queue row lost in a crash), not only
a difference in ids. Repair goes through the queue, so it takes the one write lock
like every other writer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from haystack import connections

from archive.models import Article
from search import engines, queue


@dataclass
class Report:
    indexed: int = 0
    articles: int = 0
    missing: list = field(default_factory=list)  # article ids not in the index
    stale: list = field(default_factory=list)  # indexed with other content than the database holds
    orphans: list = field(default_factory=list)  # indexed ids with no article any more
    queued: int = 0

    @property
    def ok(self):
        return not (self.missing or self.stale or self.orphans)


def check(using="default") -> Report:
    search_index = connections[using].get_unified_index().get_index(Article)
    in_index = engines.current(using).stored_hashes()
    report = Report(indexed=len(in_index), queued=queue.pending())
    for article in search_index.index_queryset().order_by("pk").iterator(chunk_size=200):
        report.articles += 1
        stored = in_index.pop(article.pk, None)
        if stored is None:
            report.missing.append(article.pk)
        elif stored != search_index.full_prepare(article)["content_hash"]:
            report.stale.append(article.pk)
    report.orphans = sorted(in_index)
    return report


def repair(report: Report, timeout=60.0) -> int:
    """Queue every problem found and drain; returns the number of records written."""
    queue.enqueue_articles(report.missing + report.stale)
    queue.enqueue_articles(report.orphans, delete=True)
    return queue.drain(timeout=timeout, commit_size=queue.BULK_COMMIT)
