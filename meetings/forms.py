from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from meetings.models import AMENDMENT_KINDS, Decision, Meeting
from partners.models import COUNTRY_SIDE_CHOICES, Institution
from plancore.widgets import QuickSelect


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    chapter = forms.ModelChoiceField(
        label=_("Chapter"),
        queryset=None,
        required=False,
        empty_label=_("Whole plan"),
        help_text=_("For a joint working group: the chapter it works on."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = plan.chapters.order_by("number")

    def clean(self):
        cleaned = super().clean()
        kind, chapter = cleaned.get("kind"), cleaned.get("chapter")
        if kind == Meeting.Kind.WORKING_GROUP and chapter is None:
            self.add_error("chapter", _("Choose the chapter of the joint working group."))
        elif kind and kind != Meeting.Kind.WORKING_GROUP:
            cleaned["chapter"] = None
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if ends and (not starts or ends <= starts):
            self.add_error("ends_at", _("A meeting ends after it starts."))
        return cleaned


class ParticipantForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=COUNTRY_SIDE_CHOICES)
    person = forms.ModelChoiceField(
        label=_("User of the portal"),
        queryset=get_user_model().objects.filter(memberships__isnull=False).distinct(),
        required=False,
        empty_label=_("Choose a person"),
        widget=QuickSelect,
    )
    name = forms.CharField(label=_("Or a guest's name"), max_length=200, required=False)
    institution = forms.CharField(label=_("Guest's institution"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        name, institution = cleaned.get("name", ""), cleaned.get("institution", "")
        if person and (name or institution):
            raise forms.ValidationError(_("Choose a user of the portal or name a guest, not both."))
        if not person and not (name and institution):
            raise forms.ValidationError(
                _("Name the guest and their institution, or choose a user.")
            )
        return cleaned


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, drafted=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = not drafted
        if drafted:
            self.fields["title"].help_text = _("Leave empty to keep what the portal drafted.")


class DecisionForm(forms.Form):
    title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        help_text=_("Also the title of the milestone made of it."),
    )
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 5}))
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    outcome = forms.ChoiceField(label=_("To become"), choices=Decision.Outcome.choices)
    amendment_kind = forms.ChoiceField(
        label=_("Amendment proposed"),
        choices=[("", "—"), *AMENDMENT_KINDS],
        required=False,
        help_text=_("For an amendment: what it changes. A new target date is the due date."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner institution"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("Choose the responsible institution"),
        widget=QuickSelect,
        help_text=_("For a milestone: the institution that owns it."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a milestone: when it is due; for an amendment: the new target date."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = Action.objects.in_plan(plan).order_by(
            "chapter__number", "position"
        )
