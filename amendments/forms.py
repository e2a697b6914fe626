"""Forms of the amendment pages; the service checks what each kind needs and the view puts its
messages on the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Milestone, Responsibility
from amendments.models import Amendment
from partners.models import COUNTRY_SIDE_CHOICES, Institution, Side
from plancore.models import Chapter


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the amendment changes"), choices=Amendment.Kind.choices)
    action = forms.ModelChoiceField(
        label=_("Action"),
        queryset=Action.objects.select_related("chapter").order_by("chapter__number", "position"),
        required=False,
        empty_label=_("Choose an action"),
        help_text=_("Every kind but a new action changes one action."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    chapter = forms.ModelChoiceField(
        label=_("Chapter of the new action"),
        queryset=Chapter.objects.order_by("plan", "number"),
        required=False,
        empty_label=_("Choose a chapter"),
    )
    chapter_title_en = forms.CharField(
        label=_("Or a new chapter, in English"), max_length=200, required=False
    )
    chapter_title_es = forms.CharField(
        label=_("The new chapter, in Spanish"), max_length=200, required=False
    )
    title_en = forms.CharField(label=_("Title, in English"), max_length=120, required=False)
    title_es = forms.CharField(label=_("Title, in Spanish"), max_length=120, required=False)
    text_en = forms.CharField(
        label=_("Text, in English"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    text_es = forms.CharField(
        label=_("Text, in Spanish"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a new action or a changed target date."),
    )
    milestone = forms.ModelChoiceField(
        label=_("Milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("Choose a milestone"),
        help_text=_("For a milestone moved beyond its action's target date."),
    )
    due_date = forms.DateField(
        label=_("New due date of the milestone"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lead_dk = forms.ModelChoiceField(
        label=_("Lead institution in Denmark"),
        queryset=Institution.objects.on_side(Side.DK),
        required=False,
        empty_label=_("Choose the responsible institution"),
    )
    lead_mx = forms.ModelChoiceField(
        label=_("Lead institution in Mexico"),
        queryset=Institution.objects.on_side(Side.MX),
        required=False,
        empty_label=_("Choose the responsible institution"),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        queryset=Institution.objects.select_related("country"),
        required=False,
        help_text=_("For a new action or a change of the responsible institutions."),
    )
    side = forms.ChoiceField(
        label=_("Proposed for"),
        choices=COUNTRY_SIDE_CHOICES,
        required=False,
    )

    def __init__(self, *args, action=None, sides=(), **kwargs):
        super().__init__(*args, **kwargs)
        milestones = Milestone.objects.select_related("action").order_by("action", "due_date")
        self.fields["milestone"].queryset = (
            milestones.filter(action=action) if action is not None else milestones
        )
        if len(sides) < 2:
            del self.fields["side"]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the plan should be amended."))
        return reason

    def responsibilities(self):
        """[(institution, role)] from the leads and partners chosen."""
        data = self.cleaned_data
        leads = [data.get("lead_dk"), data.get("lead_mx")]
        chosen = [(i, Responsibility.Role.LEAD) for i in leads if i is not None]
        taken = {i.pk for i, _role in chosen}
        chosen += [
            (i, Responsibility.Role.PARTNER) for i in data.get("partners", []) if i.pk not in taken
        ]
        return chosen

    def service_arguments(self):
        """The keyword arguments of amendments.services.propose_amendment, less the proposer."""
        data = self.cleaned_data
        choices = ["kind", "action", "chapter", "target_date", "milestone", "due_date"]
        wording = [
            "reason",
            "chapter_title_en",
            "chapter_title_es",
            "title_en",
            "title_es",
            "text_en",
            "text_es",
        ]
        arguments = {name: data.get(name) for name in choices}
        arguments |= {name: data.get(name) or "" for name in wording}
        arguments["responsibilities"] = self.responsibilities()
        arguments["side"] = data.get("side") or None
        return arguments


def initial_for(action):
    """The proposal form filled with the action's present wording, to be edited."""
    if action is None:
        return {}
    leads = {r.side: r.institution for r in action.responsibilities.all() if r.role == "lead"}
    return {
        "action": action,
        "title_en": action.short_title_en,
        "title_es": action.short_title_es,
        "text_en": action.text_en,
        "text_es": action.text_es,
        "target_date": action.target_date,
        "lead_dk": leads.get(Side.DK),
        "lead_mx": leads.get(Side.MX),
        "partners": [r.institution for r in action.responsibilities.all() if r.role != "lead"],
    }


class RejectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Why the amendment is rejected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say why the amendment is rejected."))
        return comment
