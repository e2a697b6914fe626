"""Add a translation: who may edit a progress update or a milestone writes its text in the other
language, beside the text as written (which stays as it is).

Views of their own beside actions/views.py: permission → form → services.translate_*.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from actions import services
from actions.models import Action, Milestone, ProgressUpdate, WrittenLanguage
from plancore import permissions
from plancore.decorators import member_required
from plancore.languages import other_language


class TranslationForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Translation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, language, max_length=5000, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = max_length
        self.fields["text"].validators[-1].limit_value = max_length
        self.fields["text"].widget.attrs["lang"] = language
        self.fields["text"].widget.attrs["maxlength"] = max_length
        if max_length <= 200:
            self.fields["text"].widget = forms.TextInput(
                attrs={"lang": language, "maxlength": max_length}
            )


def _posted(request):
    return request.POST if request.method == "POST" else None


def _action_of(obj):
    obj.action = Action.objects.for_list().get(pk=obj.action_id)
    return obj.action


@member_required
@require_http_methods(["GET", "POST"])
def translate_update(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.select_related("author"), pk=pk)
    action = _action_of(update)
    if not permissions.can_translate_update(request.user, update):
        raise PermissionDenied(_("You may not translate updates on this action."))
    language = other_language(update.language)
    initial = {"text": update.narrative_translation}
    form = TranslationForm(_posted(request), initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_update(
                update=update, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect(reverse("actions:detail", args=[action.pk]) + f"#update-{update.pk}")
    return _render(request, form, action, update.narrative, update.language, language)


@member_required
@require_http_methods(["GET", "POST"])
def translate_milestone(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    action = _action_of(milestone)
    if not permissions.can_translate_milestone(request.user, milestone):
        raise PermissionDenied(_("You may not change this action's milestones."))
    language = other_language(milestone.language)
    written = getattr(milestone, f"title_{milestone.language}") or milestone.title
    initial = {"text": getattr(milestone, f"title_{language}") or "", "version": milestone.version}
    form = TranslationForm(_posted(request), initial=initial, language=language, max_length=200)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_milestone(
                milestone=milestone,
                user=request.user,
                title=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except services.EditConflict:
            form.add_error(
                None,
                _(
                    "Someone else changed this milestone after you opened this form, and nothing "
                    "was saved. Reload the page to see their change."
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect(reverse("actions:detail", args=[action.pk]) + "#milestones")
    return _render(request, form, action, written, milestone.language, language)


def _render(request, form, action, original, original_language, language):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "actions/translation_form.html",
        {
            "form": form,
            "action": action,
            "original": original,
            "original_language": original_language,
            "heading": _("Add a translation into English")
            if language == WrittenLanguage.ENGLISH
            else _("Add a translation into Spanish"),
            "as_written": _("As written, in English")
            if original_language == WrittenLanguage.ENGLISH
            else _("As written, in Spanish"),
            "nav": "actions",
        },
        status=status,
    )
