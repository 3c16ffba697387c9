"""The archive's version: one row that every write to the archive changes.

Cached pages, ETags and per-version aggregates are keyed by it, so a write is seen
on the next request by every worker and nothing stale is served. It lives in the
database, not in the cache: a bump made inside a write's transaction commits (or
rolls back) with the write, so no reader can see the new data under the old
version for longer than the write's own commit, and a rolled-back write leaves the
version as it was.

The token is random rather than a counter, so a version that a rollback (or a
restored backup) undoes is never reused for different data.
"""
import secrets

from django.db import models
from django.db.models import signals
from django.utils import timezone

ROW = 1


class ArchiveVersion(models.Model):
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "档案版本"

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def bump():
    """A new version: call it inside the transaction that writes (signals do it for saves)."""
    token, now = secrets.token_hex(8), timezone.now()
    if not ArchiveVersion.objects.filter(pk=ROW).update(token=token, changed_at=now):
        ArchiveVersion.objects.update_or_create(pk=ROW, defaults={"token": token, "changed_at": now})


def current():
    """(token, changed_at) of the archive as it is now; ("0", None) before its first write."""
    row = ArchiveVersion.objects.filter(pk=ROW).values_list("token", "changed_at").first()
    return row or ("0", None)


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: the fixture's own rows, before the version row exists
        return
    bump()


def connect(models_changing_pages):
    """Bump the version whenever one of these models is saved, deleted or re-linked.

    Bulk writes (bulk_create, queryset.update) send no signals: the loader calls
    bump() itself in each page's transaction.
    """
    for model in models_changing_pages:
        uid = f"archive-version-{model._meta.label}"
        signals.post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        signals.post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            signals.m2m_changed.connect(_changed, sender=field.remote_field.through,
                                        dispatch_uid=f"{uid}-{field.name}")
