"""Read-only view of the index queue, so a stuck row (attempts, last_error) is visible."""
from django.contrib import admin

from search.models import IndexQueue


@admin.register(IndexQueue)
class IndexQueueAdmin(admin.ModelAdmin):
    list_display = ["id", "model", "object_id", "action", "queued_at", "attempts"]
    list_filter = ["action", "model"]
    readonly_fields = [f.name for f in IndexQueue._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
