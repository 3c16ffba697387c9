"""The index queue: which records the search index still has to catch up with."""
from django.db import models


class IndexQueue(models.Model):
    """One pending index change. Rows are written in the same transaction as the change,
    so they appear exactly when it commits and vanish if it rolls back; the single
    writer (search.queue.drain) deletes them once whoosh has committed the change."""

    UPDATE, DELETE = "update", "delete"

    model = models.CharField("模型", max_length=100, help_text="app_label.model_name, e.g. archive.article")
    object_id = models.BigIntegerField("对象ID")
    action = models.CharField("操作", max_length=6, choices=[(UPDATE, "更新"), (DELETE, "删除")])
    queued_at = models.DateTimeField("入队时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("失败次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "索引队列"

    def __str__(self):
        return f"{self.action} {self.model}#{self.object_id}"
