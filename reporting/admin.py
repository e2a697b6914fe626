from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import Report


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "state", "as_of", "pages", "requested_by", "requested_at"]
    list_filter = ["kind", "state", "language", "year"]
    search_fields = ["error", "requested_by__username"]
    list_select_related = ["plan", "chapter", "institution", "meeting__chapter", "requested_by"]
    date_hierarchy = "requested_at"
    readonly_fields = [
        "file",
        "pages",
        "size",
        "sha256",
        "error",
        "requested_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "attempts",
    ]
    raw_id_fields = ["meeting", "requested_by", "released_dk_by", "released_mx_by"]
