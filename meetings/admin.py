from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import AgendaItem, Decision, Meeting, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "date", "place"]
    list_filter = ["kind", "date"]
    list_select_related = ["chapter"]
    date_hierarchy = "date"
    raw_id_fields = ["created_by"]
    inlines = [ParticipantInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "section", "drafted"]
    list_filter = ["section", "drafted"]
    list_select_related = ["meeting__chapter"]
    raw_id_fields = ["meeting", "action", "milestone", "update", "decision"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "title", "outcome", "state"]
    list_filter = ["outcome", "state"]
    list_select_related = ["meeting__chapter"]
    raw_id_fields = ["meeting", "actions", "owner", "milestone", "recorded_by", "accepted_by"]
