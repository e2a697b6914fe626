"""Read-only in the administration site: assessments are given and agreed on the portal's pages,
through the services that check each side's rights; the admin shows them and their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import Assessment, JointAssessment


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["action", "year", "quarter", "side", "completion", "timeliness", "assessed_at"]
    list_filter = ["side", "year", "quarter", "completion", "timeliness"]
    list_select_related = ["action"]
    search_fields = ["action__number", "comment"]


@admin.register(JointAssessment)
class JointAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["action", "year", "quarter", "completion", "timeliness", "agreed_at"]
    list_filter = ["year", "quarter", "completion", "timeliness"]
    list_select_related = ["action"]
    search_fields = ["action__number", "comment"]
