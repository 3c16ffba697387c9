"""Keep the index in step with the archive by queueing, never by writing whoosh directly.

haystack's RealtimeSignalProcessor writes the index inside the request that saved
the record: an admin save during an ingest waited 12–27 s for whoosh's lock, and a
delete that met the lock was silently dropped (SEARCH-STACK.md). Here every change
that alters what an article's index entry holds adds IndexQueue rows in the same
transaction; after the commit, search.queue drains them if the lock is free.
"""
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import (
    Article,
    District,
    EventDate,
    Organization,
    OrganizationMention,
    Page,
    Person,
    PersonMention,
)
from search import names, queue

NAMED = (Person, Organization, District)  # their names feed jieba's dictionary (search.names)


def _article_of(instance, **kwargs):
    return [instance.article_id]


def _articles_of_page(instance, **kwargs):
    return list(instance.articles.values_list("pk", flat=True))


def _articles_naming(lookup):
    def articles(instance, created=False, **kwargs):
        if created:  # nothing can mention a record that did not exist until now
            return []
        return list(Article.objects.filter(**{lookup: instance}).values_list("pk", flat=True).distinct())

    return articles


# What each saved or deleted record means for the index: which articles to reindex.
# (An Article itself is handled apart, since deleting it must remove it.)
DEPENDENTS = {
    PersonMention: _article_of,
    OrganizationMention: _article_of,
    EventDate: _article_of,
    Page: _articles_of_page,  # newspaper, date and file name are indexed with each article
    Person: _articles_naming("person_mentions__person"),  # a rename changes `persons`
    Organization: _articles_naming("organization_mentions__organization"),
    District: _articles_naming("districts"),
}


class QueuedSignalProcessor(BaseSignalProcessor):
    def setup(self):
        signals.post_save.connect(self.article_saved, sender=Article, dispatch_uid="search-article-save")
        signals.post_delete.connect(self.article_deleted, sender=Article, dispatch_uid="search-article-delete")
        for model in DEPENDENTS:
            signals.post_save.connect(self.dependent_changed, sender=model, dispatch_uid=f"search-{model.__name__}-save")
            # A deleted page or person cascades to articles/mentions, which signal on their own.
            if model not in (Page, Person, Organization, District):
                signals.post_delete.connect(
                    self.dependent_changed, sender=model, dispatch_uid=f"search-{model.__name__}-delete"
                )
        for model in NAMED:
            for signal in (signals.post_save, signals.post_delete):
                signal.connect(names.names_changed, sender=model, dispatch_uid=f"search-names-{model.__name__}-{id(signal)}")
        signals.m2m_changed.connect(
            self.districts_changed, sender=Article.districts.through, dispatch_uid="search-article-districts"
        )

    def teardown(self):
        signals.post_save.disconnect(sender=Article, dispatch_uid="search-article-save")
        signals.post_delete.disconnect(sender=Article, dispatch_uid="search-article-delete")
        for model in DEPENDENTS:
            signals.post_save.disconnect(sender=model, dispatch_uid=f"search-{model.__name__}-save")
            signals.post_delete.disconnect(sender=model, dispatch_uid=f"search-{model.__name__}-delete")
        for model in NAMED:
            for signal in (signals.post_save, signals.post_delete):
                signal.disconnect(sender=model, dispatch_uid=f"search-names-{model.__name__}-{id(signal)}")
        signals.m2m_changed.disconnect(sender=Article.districts.through, dispatch_uid="search-article-districts")

    def article_saved(self, sender, instance, **kwargs):
        queue.enqueue_articles([instance.pk])

    def article_deleted(self, sender, instance, **kwargs):
        queue.enqueue_articles([instance.pk], delete=True)

    def dependent_changed(self, sender, instance, **kwargs):
        ids = DEPENDENTS[sender](instance, **kwargs)
        if ids:
            queue.enqueue_articles(ids)

    def districts_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        if reverse:  # district.articles.add/remove/clear(): the articles are in pk_set
            if action == "pre_clear":  # pk_set is empty for clear; ask before the rows go
                ids = list(instance.articles.values_list("pk", flat=True))
            elif action in ("post_add", "post_remove"):
                ids = list(pk_set or ())
            else:
                return
        elif action in ("post_add", "post_remove", "post_clear"):
            ids = [instance.pk]
        else:
            return
        if ids:
            queue.enqueue_articles(ids)
