from django import forms
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actions import figures
from actions.filters import chapter_choices, institution_choices
from actions.models import Responsibility
from partners.models import Institution
from plancore import permissions
from plancore.models import Chapter
from plancore.widgets import QuickSelect
from reporting.models import MEETING_KINDS, REPORT_LANGUAGES, Report
from reporting.periods import Period


def responsible_institution_ids(plan):
    """The institutions responsible for any action of the plan: found among all its
    responsibilities, so kept with the plan's figures (dropped by any change to them)."""

    def compute():
        responsible = Responsibility.objects.filter(action__chapter__plan=plan)
        return sorted(set(responsible.values_list("institution_id", flat=True).order_by()))

    return figures.cached("responsible-institutions", plan, timezone.localdate(), compute)


def request_choices(plan):
    """The report request form's chapters (those with actions) and institutions (those
    responsible for an action) as (pk, label) pairs, labelled as their models name themselves:
    kept with the plan's figures, so that drawing the form builds no model per option."""

    def compute():
        responsible = Institution.objects.filter(pk__in=responsible_institution_ids(plan))
        return {
            "chapter": chapter_choices(plan.chapters.all()),
            "institution": institution_choices(responsible),
        }

    return figures.cached("report-request-choices", plan, timezone.localdate(), compute)


# A meeting's agenda and minutes are requested from the meeting's page.
PERIOD_KINDS = [(k, label) for k, label in Report.Kind.choices if k not in MEETING_KINDS]

# Built when shown, so that each reader sees the quarter in their language.
quarter_label = lazy(lambda number: gettext("Q%(quarter)s") % {"quarter": number}, str)


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PERIOD_KINDS, widget=QuickSelect)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[], widget=QuickSelect)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=QuickSelect,
        choices=[("", _("Whole year"))] + [(q, quarter_label(q)) for q in range(1, 5)],
        help_text=_(
            "Required for a quarterly report; optional for chapter and institution reports."
        ),
    )
    chapter = forms.ModelChoiceField(
        label=_("Chapter"),
        queryset=Chapter.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("Whole plan"),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("All institutions"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=REPORT_LANGUAGES, widget=QuickSelect)

    def __init__(self, *args, plan, user, **kwargs):
        self.plan, self.user = plan, user
        super().__init__(*args, **kwargs)
        last_year = min(plan.period_end.year, timezone.localdate().year)
        self.fields["year"].choices = [
            (y, y) for y in range(last_year, plan.period_start.year - 1, -1)
        ]
        editor = permissions.can_edit_plan(user)
        mine = None if editor else permissions.liaison_institution_ids(user)
        if not editor:
            self.fields["kind"].choices = [
                (k, label) for k, label in Report.Kind.choices if k == Report.Kind.INSTITUTION
            ]
        if self.is_bound:
            # What is posted is checked against the database. EXISTS, not a join and DISTINCT
            # over every action of the plan.
            self.fields["chapter"].queryset = plan.chapters.with_actions()
            institutions = Institution.objects.filter(pk__in=responsible_institution_ids(plan))
            if mine is not None:
                institutions = institutions.filter(pk__in=mine)
            self.fields["institution"].queryset = institutions.order_by("name")
        # The options are drawn from the lists kept with the plan figures.
        choices = request_choices(plan)
        offered = [
            (pk, label) for pk, label in choices["institution"] if mine is None or pk in mine
        ]
        for name, options in (("chapter", choices["chapter"]), ("institution", offered)):
            self.fields[name].choices = [("", self.fields[name].empty_label), *options]
        current = translation.get_language()
        self.fields["language"].initial = current if current in dict(REPORT_LANGUAGES) else "en"

    def clean(self):
        cleaned = super().clean()
        kind, quarter = cleaned.get("kind"), cleaned.get("quarter")
        if kind == Report.Kind.QUARTERLY and not quarter:
            self.add_error("quarter", _("Choose the quarter of the quarterly report."))
        if kind == Report.Kind.ANNUAL and quarter:
            self.add_error(
                "quarter", _("An annual review covers the whole year: leave the quarter empty.")
            )
        if kind == Report.Kind.CHAPTER and not cleaned.get("chapter"):
            self.add_error("chapter", _("Choose the chapter."))
        if kind != Report.Kind.CHAPTER:
            cleaned["chapter"] = None
        if kind == Report.Kind.INSTITUTION and not cleaned.get("institution"):
            self.add_error("institution", _("Choose the institution."))
        if kind != Report.Kind.INSTITUTION:
            cleaned["institution"] = None
        year = cleaned.get("year")
        if year and Period(year, quarter).start > timezone.localdate():
            self.add_error("quarter", _("This period has not started yet."))
        if (
            kind
            and not self.errors
            and not permissions.can_request_report(self.user, kind, cleaned.get("institution"))
        ):
            raise forms.ValidationError(_("You may request only your institution's report."))
        return cleaned


class ReportFilterForm(forms.Form):
    """Shares the page with the request form: its own ids keep every label on its field."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "—"), *Report.Kind.choices],
        widget=QuickSelect,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", "—"), *REPORT_LANGUAGES],
        widget=QuickSelect,
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", "—"), *Report.State.choices],
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="filter_%s", **kwargs)

    def filter(self, reports):
        if not self.is_valid():
            return reports
        for name in ("kind", "year", "language", "state"):
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                reports = reports.filter(**{name: value})
        return reports
