"""Forms of the action pages: each gives a clear message for bad input; services do the writes."""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from actions.evidence import check_evidence_file
from actions.models import Milestone, Review, Status
from partners.models import Institution, Side


def _evidence_help_text():
    """In the reader's language: drawn when the form is, not when the module is imported."""
    return _("PDF, office document, image or CSV; at most %(size)s.") % {
        "size": filesizeformat(settings.EVIDENCE_MAX_BYTES)
    }


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=forms.RadioSelect)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=_("A whole number, 0 to 100."),
    )
    narrative = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Both sides review this narrative before it counts as jointly approved."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[FileExtensionValidator(settings.EVIDENCE_EXTENSIONS)],
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ",".join(f".{extension}" for extension in settings.EVIDENCE_EXTENSIONS)
            }
        ),
        help_text=lazy(_evidence_help_text, str)(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_narrative(self):
        narrative = self.cleaned_data["narrative"].strip()
        if not narrative:
            raise forms.ValidationError(_("Say what has happened."))
        return narrative

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
                }
            )
        if upload:
            check_evidence_file(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.COMPLETED and cleaned.get("progress") not in (None, 100):
            self.add_error("progress", _("A completed action is at 100% progress."))
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MilestoneForm(forms.ModelForm):
    """Dates are checked against the plan's period and the action's own dates."""

    class Meta:
        model = Milestone
        fields = ["title", "start_date", "due_date", "responsible", "version"]
        widgets = {"start_date": DateInput(), "due_date": DateInput(), "version": forms.HiddenInput}

    def __init__(self, *args, action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Institution.objects.filter(
            country__isnull=False
        ).select_related("country")
        self.fields["responsible"].empty_label = _("Choose the responsible institution")
        self.fields["responsible"].label_from_instance = lambda i: (
            f"{i.short_name} ({Side(i.side).label})"
        )
        # The version the editor saw: required to change a milestone, not to add one.
        self.fields["version"].required = bool(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        plan = self.action.chapter.plan
        earliest = max(filter(None, [plan.period_start, self.action.start_date]))
        latest = min(filter(None, [plan.period_end, self.action.target_date]))
        if start and start < earliest:
            self.add_error(
                "start_date",
                _("The milestone cannot start before %(date)s, when the action starts.")
                % {"date": date_format(earliest, "SHORT_DATE_FORMAT")},
            )
        if due and due > latest:
            self.add_error(
                "due_date",
                _("The milestone cannot be due after %(date)s, the action's target date.")
                % {"date": date_format(latest, "SHORT_DATE_FORMAT")},
            )
        if start and due and due < start:
            self.add_error("due_date", _("The due date cannot be before the start date."))
        if self.instance.done_on and start and start > self.instance.done_on:
            self.add_error(
                "start_date", _("The milestone was done before this date; it cannot start later.")
            )
        return cleaned

    def _post_clean(self):
        """Constraints are checked by the service; skip the model's own full_clean here."""


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())

    def __init__(self, *args, milestone, **kwargs):
        self.milestone = milestone
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("A milestone cannot be done in the future."))
        if done_on < self.milestone.start_date:
            raise forms.ValidationError(
                _("A milestone cannot be done before it starts (%(date)s).")
                % {"date": date_format(self.milestone.start_date, "SHORT_DATE_FORMAT")}
            )
        return done_on


class ReviewForm(forms.Form):
    side = forms.ChoiceField(label=_("Deciding for"), choices=[])
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Review.Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return the update: say what is missing."),
    )

    def __init__(self, *args, sides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [(s, Side(s).label) for s in sorted(sides)]
        if len(sides) == 1:
            self.fields["side"].initial = next(iter(sides))
            self.fields["side"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == Review.Decision.RETURNED
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Say why the update is returned."))
        return cleaned
