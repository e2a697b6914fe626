"""Amendments in the administration site: to read, with their history. They are proposed and
decided on the portal's pages, whose services apply them to the plan; nothing here changes them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from amendments.models import Amendment, AmendmentDecision, ProposedResponsibility


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposedResponsibilityInline(ReadOnlyInline):
    model = ProposedResponsibility
    fields = ["institution", "side", "role"]


class AmendmentDecisionInline(ReadOnlyInline):
    model = AmendmentDecision
    fields = ["side", "decision", "decided_by", "decided_at", "comment"]


@admin.register(Amendment)
class AmendmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "kind", "action", "side", "state", "proposed_at"]
    list_filter = ["plan", "kind", "state", "side"]
    search_fields = ["reason", "action__number"]
    list_select_related = ["plan", "action"]
    date_hierarchy = "proposed_at"
    inlines = [ProposedResponsibilityInline, AmendmentDecisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
