"""Forms of the assessment pages: the period, a side's rows of a chapter, the joint value."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Completion, Timeliness
from plancore.widgets import QuickSelect
from reporting.forms import quarter_label
from reporting.periods import Period

BLANK = [("", "—")]


class PeriodForm(forms.Form):
    """Which reporting period to show: a year of the plan, and a quarter or the whole year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[], widget=QuickSelect)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=QuickSelect,
        choices=[("", _("Whole year"))] + [(q, quarter_label(q)) for q in range(1, 5)],
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        last_year = min(plan.period_end.year, timezone.localdate().year)
        self.fields["year"].choices = [
            (y, y) for y in range(last_year, plan.period_start.year - 1, -1)
        ]

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and Period(year, cleaned.get("quarter")).start > timezone.localdate():
            self.add_error("quarter", _("This period has not started yet."))
        return cleaned

    @property
    def period(self):
        return Period(self.cleaned_data["year"], self.cleaned_data["quarter"])


class SideAssessmentForm(forms.Form):
    """One action's row of a side's assessments; a row left blank is not assessed."""

    action = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    completion = forms.ChoiceField(
        label=_("Completion"), choices=BLANK + Completion.choices, required=False
    )
    timeliness = forms.ChoiceField(
        label=_("Timeliness"), choices=BLANK + Timeliness.choices, required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, given=None, **kwargs):
        """`given` is the side's assessment of this row's action, if any."""
        self.given = given
        super().__init__(*args, **kwargs)

    def clean_seen(self):
        seen = self.cleaned_data["seen"]
        if not seen:
            return None
        try:
            return datetime.fromisoformat(seen)
        except ValueError:
            raise forms.ValidationError(_("Reload the page and try again.")) from None

    def clean(self):
        cleaned = super().clean()
        completion, timeliness = cleaned.get("completion"), cleaned.get("timeliness")
        if bool(completion) != bool(timeliness):
            raise forms.ValidationError(_("Give both the completion and the timeliness."))
        if not completion and self.given is not None:
            raise forms.ValidationError(
                _("An assessment given cannot be left blank; change it instead.")
            )
        return cleaned

    @property
    def is_assessed(self):
        return bool(self.cleaned_data.get("completion"))


class BaseSideAssessmentFormSet(forms.BaseFormSet):
    def __init__(self, *args, rows, side, **kwargs):
        """`rows` are the chapter's SheetRows, in the order of the forms; `side` the side whose
        assessments they give."""
        self.rows, self.side = rows, side
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        row = self.rows[index] if index is not None and index < len(self.rows) else None
        return kwargs | {"given": row.sides.get(self.side) if row else None}

    def clean(self):
        expected = [row.action.pk for row in self.rows]
        if [form.cleaned_data.get("action") for form in self.forms] != expected:
            raise forms.ValidationError(
                _("The chapter's actions changed since the page was loaded; reload it.")
            )

    def entries(self):
        """What give_assessments records: the rows assessed, with the moment each was read."""
        return [
            {
                "action": row.action,
                "completion": form.cleaned_data["completion"],
                "timeliness": form.cleaned_data["timeliness"],
                "comment": form.cleaned_data["comment"],
                "seen": form.cleaned_data["seen"],
            }
            for row, form in zip(self.rows, self.forms, strict=True)
            if form.is_assessed
        ]


def side_formset(*, rows, side, data=None):
    """The formset of `side`'s rows, one per action; bound to `data` when posted."""
    FormSet = forms.formset_factory(
        SideAssessmentForm,
        formset=BaseSideAssessmentFormSet,
        extra=0,
        min_num=len(rows),
        max_num=len(rows),
        validate_min=True,
        validate_max=True,
    )
    initial = []
    for row in rows:
        given = row.sides.get(side)
        initial.append(
            {
                "action": row.action.pk,
                "seen": given.assessed_at.isoformat() if given else "",
                "completion": given.completion if given else "",
                "timeliness": given.timeliness if given else "",
                "comment": given.comment if given else "",
            }
        )
    return FormSet(data, initial=initial, rows=rows, side=side, prefix="rows")


class JointAssessmentForm(forms.Form):
    side = forms.ChoiceField(label=_("For"), widget=QuickSelect)
    completion = forms.ChoiceField(label=_("Completion"), choices=Completion.choices)
    timeliness = forms.ChoiceField(label=_("Timeliness"), choices=Timeliness.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = sides


class AgreeForm(forms.Form):
    side = forms.ChoiceField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, sides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = sides
