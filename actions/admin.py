from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review
from actions.search import index_for_search


class ActionAdminForm(forms.ModelForm):
    """Carries the version the editor saw, so a concurrent change is refused, not overwritten."""

    class Meta:
        model = Action
        fields = [
            "chapter",
            "position",
            "number",
            "short_title_en",
            "short_title_es",
            "text_en",
            "text_es",
            "status",
            "progress",
            "start_date",
            "target_date",
            "sdgs",
            "agreements",
            "version",
        ]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction commits the save: no change can slip between.
            stored = (
                Action.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            if stored and cleaned.get("version") != stored[0]:
                raise forms.ValidationError(
                    _(
                        "Someone else changed this action after you opened it. Reload the page "
                        "to see their change, then make yours again."
                    )
                )
        return cleaned


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["institution", "side", "role"]
    autocomplete_fields = ["institution"]
    extra = 0


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    fields = ["title", "start_date", "due_date", "done_on", "responsible"]
    autocomplete_fields = ["responsible"]
    extra = 0


@admin.register(Action)
class ActionAdmin(TranslationAdmin, SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = ["number", "short_title", "chapter", "status", "progress", "target_date"]
    list_display_links = ["number", "short_title"]
    list_filter = ["chapter__plan", "chapter", "status", "sdgs", "responsibilities__institution"]
    search_fields = ["number", "short_title", "text"]
    list_select_related = ["chapter"]
    filter_horizontal = ["sdgs", "agreements"]
    inlines = [ResponsibilityInline, MilestoneInline]

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.version += 1
        super().save_model(request, obj, form, change)
        index_for_search(Action.objects.filter(pk=obj.pk))


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["action", "institution", "side", "role"]
    list_filter = ["side", "role", "institution"]
    search_fields = ["action__number", "action__short_title", "institution__name"]
    list_select_related = ["action", "institution"]
    autocomplete_fields = ["institution"]
    raw_id_fields = ["action"]


@admin.register(Milestone)
class MilestoneAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "action", "due_date", "done_on", "responsible"]
    list_filter = ["action__chapter", "responsible", "due_date", "done_on"]
    search_fields = ["title", "action__number", "action__short_title"]
    list_select_related = ["action", "responsible"]
    autocomplete_fields = ["responsible"]
    raw_id_fields = ["action"]
    date_hierarchy = "due_date"


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["side", "reviewer", "decision", "comment", "decided_at"]
    raw_id_fields = ["reviewer"]
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "author", "submitted_at", "status", "progress", "review_state"]
    list_filter = ["review_state", "status", "action__chapter"]
    search_fields = ["narrative", "action__number", "action__short_title", "author__username"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]
    date_hierarchy = "submitted_at"
    inlines = [ReviewInline]
    # An evidence link typed without a scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["update", "side", "reviewer", "decision", "decided_at"]
    list_filter = ["side", "decision"]
    search_fields = ["comment", "update__action__number", "reviewer__username"]
    list_select_related = ["update__action", "reviewer"]
    raw_id_fields = ["update", "reviewer"]
