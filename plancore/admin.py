from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from actions import figures
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal
from plancore.permissions import can_use_admin


def _admin_has_permission(request):
    return can_use_admin(request.user)


admin.site.has_permission = _admin_has_permission


def _drop_plan_figures(sender, **kwargs):
    """Whatever the administration site changes (it logs every addition, change and deletion)
    drops the cached plan figures and lists (actions/figures.py), as the services' writes do."""
    figures.invalidate()


post_save.connect(_drop_plan_figures, sender=LogEntry, dispatch_uid="admin-drops-plan-figures")


class ChapterInline(TranslationTabularInline):
    model = Chapter
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "signed_on", "signed_at", "period_start", "period_end"]
    search_fields = ["title", "slug", "preamble"]
    list_filter = ["parties"]
    filter_horizontal = ["parties"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChapterInline]


@admin.register(Chapter)
class ChapterAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title", "background"]
    list_select_related = ["plan"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TranslationAdmin):
    list_display = ["number", "name", "title"]
    list_display_links = ["number", "name"]
    search_fields = ["name", "title"]
