"""The editor's desk: corrections to what the parser made of a page.

A correction is kept as what the editor did to the text they saw (desk.revise), so
that every later parse of the page can do it again; its status says whether it
still applies to the page as it now is.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from archive.models import Page


class CorrectionQuerySet(models.QuerySet):
    def in_force(self):
        """Those replayed on a parse: active ones, and stale ones (they may apply again)."""
        return self.filter(status__in=[Correction.ACTIVE, Correction.STALE]).order_by("id")

    def of_article(self, article_id):
        return self.filter(Q(article_id=article_id) | Q(data__new_id=article_id))

    def for_review(self):
        return self.filter(status=Correction.STALE).select_related("page", "user")


class Correction(models.Model):
    ACTIVE, UNDONE, STALE = "active", "undone", "stale"
    STATUS_CHOICES = [(ACTIVE, "有效"), (UNDONE, "已撤销"), (STALE, "待复核：原文已变")]

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="corrections")
    # The article as it was when corrected; kept as a number, since the article may
    # later leave the page (a merge) while its correction stays in the history.
    article_id = models.PositiveIntegerField(db_index=True)
    action = models.CharField(max_length=30)
    summary = models.CharField("更正内容", max_length=300)
    # What desk.revise needs to do it again: the anchor text, before and after, etc.
    data = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=ACTIVE, db_index=True)
    reason = models.CharField("不再适用的原因", max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="corrections"
    )
    at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "更正"

    def __str__(self):
        return f"{self.page} · {self.summary}"

    def as_replay(self):
        return {**self.data, "id": self.id, "action": self.action, "article_id": self.article_id}


class Job(models.Model):
    """One upload of page files, ingested in the background by `manage.py desk_worker`.

    The row is the queue: a worker claims a queued job by changing its status, and
    writes the ingest's output lines to `log` as they come, so the job page shows
    progress. A job found running with its worker gone was cut off: it is marked
    interrupted and can be retried (an ingest run again loads what is missing and
    leaves loaded pages unchanged).
    """

    QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "queued", "running", "done", "failed", "interrupted"
    STATUS_CHOICES = [
        (QUEUED, "排队中"), (RUNNING, "导入中"), (DONE, "完成"), (FAILED, "有文件失败"),
        (INTERRUPTED, "中途中断"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=QUEUED, db_index=True)
    newspaper = models.CharField(max_length=100, blank=True)
    section = models.CharField(max_length=100, blank=True)
    published = models.CharField(max_length=30, blank=True, help_text="ISO 8601 at its precision.")
    files = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    log = models.TextField(blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "导入任务"

    def __str__(self):
        return f"job {self.pk}: {self.status}"

    @property
    def finished(self):
        return self.status in (self.DONE, self.FAILED, self.INTERRUPTED)
