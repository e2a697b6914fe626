"""Pages of the assessments: a period's chapters, a chapter's rows, an action's joint value."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Action
from assessments import services
from assessments.forms import AgreeForm, JointAssessmentForm, PeriodForm, side_formset
from assessments.models import JointAssessment
from assessments.selectors import assessment_rows, chapter_sheet, period_overview
from partners.models import Side
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form
from plancore.models import Chapter, Plan
from reporting.periods import last_complete_quarter


def _within_plan(period, plan):
    """404 for a period that has not started yet or lies outside the plan's years."""
    if period.start > timezone.localdate():
        raise Http404(_("This period has not started yet."))
    if period.end < plan.period_start or period.start > plan.period_end:
        raise Http404(_("This period lies outside the plan."))
    return period


def _side_choices(sides):
    return [(side, Side(side).label) for side in sorted(sides)]


@member_required
def overview(request):
    plan = Plan.objects.first()
    if plan is None:
        raise Http404(_("No plan has been loaded yet."))
    form = PeriodForm(request.GET or None, plan=plan)
    if form.is_bound and form.is_valid():
        period = form.period
    else:
        period = last_complete_quarter(timezone.localdate())
        form = PeriodForm(None, plan=plan, initial={"year": period.year, "quarter": period.quarter})
    return render(
        request,
        "assessments/overview.html",
        {
            "plan": plan,
            "form": form,
            "period": period,
            "tallies": period_overview(plan=plan, period=period),
            "nav": "assessments",
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def chapter_assessments(request, slug, period, number):
    chapter = get_object_or_404(
        Chapter.objects.select_related("plan"), plan__slug=slug, number=number
    )
    _within_plan(period, chapter.plan)
    sides = permissions.assessment_sides(request.user)
    wanted = request.POST.get("side") if request.method == "POST" else request.GET.get("side")
    if request.method == "POST" and wanted not in sides:
        raise PermissionDenied(_("You do not give this side's assessment."))
    side = wanted if wanted in sides else min(sides, default=None)
    rows = chapter_sheet(chapter=chapter, period=period)
    formset = side_formset(rows=rows, side=side) if side else None
    status = 200
    if request.method == "POST":
        formset = side_formset(rows=rows, side=side, data=request.POST)
        if len(formset.forms) != len(rows):
            messages.error(request, ROWS_CHANGED)
            formset, status = side_formset(rows=rows, side=side), 400
        elif formset.is_valid():
            try:
                written = services.give_assessments(
                    side=side, period=period, user=request.user, entries=formset.entries()
                )
            except services.AssessmentsChanged as changed:
                messages.error(request, _changed_message(rows, changed.current))
                rows = chapter_sheet(chapter=chapter, period=period)
                formset, status = side_formset(rows=rows, side=side), 409
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s assessment saved for %(side)s.",
                        "%(count)s assessments saved for %(side)s.",
                        len(written),
                    )
                    % {"count": len(written), "side": Side(side).label},
                )
                url = reverse("assessments:chapter", args=[chapter.plan.slug, period, number])
                return redirect(f"{url}?side={side}")
        else:
            status = 400
    return render(
        request,
        "assessments/chapter.html",
        {
            "plan": chapter.plan,
            "chapter": chapter,
            "period": period,
            "rows": rows,
            "side": side,
            "sides": _side_choices(sides),
            "formset": formset,
            "lines": list(zip(rows, formset.forms, strict=True))
            if formset
            else [(row, None) for row in rows],
            "nav": "assessments",
        },
        status=status,
    )


ROWS_CHANGED = _lazy(
    "The form did not match the chapter's actions (they may have changed since the page was "
    "loaded); nothing was saved. Enter your assessments again."
)


def _changed_message(rows, current):
    numbers = ", ".join(row.action.number for row in rows if row.action.pk in current)
    return _(
        "Someone else changed this side's assessments of %(numbers)s after you opened the page. "
        "Nothing was saved: the page now shows them as they stand; enter your changes again."
    ) % {"numbers": numbers}


@member_required
@require_http_methods(["GET", "POST"])
def action_assessments(request, period, pk):
    action = get_object_or_404(Action.objects.select_related("chapter__plan"), pk=pk)
    _within_plan(period, action.chapter.plan)
    (row,) = assessment_rows(actions=[action], period=period)
    proposing = permissions.can_propose_joint_assessment(request.user, side_assessments=row.sides)
    form, status = None, 200
    if proposing:
        joint = row.joint
        form = JointAssessmentForm(
            request.POST if request.method == "POST" else None,
            sides=_side_choices(permissions.administrator_sides(request.user)),
            initial={
                "completion": joint.completion if joint else row.dk.completion,
                "timeliness": joint.timeliness if joint else row.dk.timeliness,
                "comment": joint.comment if joint else "",
                "version": joint.version if joint else None,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only a plan administrator of either side proposes it."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.propose_joint_assessment(
                    action=action,
                    period=period,
                    user=request.user,
                    side=data["side"],
                    completion=data["completion"],
                    timeliness=data["timeliness"],
                    comment=data["comment"],
                    expected_version=data["version"],
                )
            except services.JointAssessmentChanged:
                messages.error(request, JOINT_CHANGED)
                return redirect(request.path)
            except ValidationError as error:
                errors_onto_form(form, error)
                status = 400
            else:
                messages.success(request, _("The joint assessment is recorded for your side."))
                return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "assessments/action.html",
        {
            "action": action,
            "period": period,
            "row": row,
            "form": form,
            "agree_sides": permissions.agreement_sides(request.user, row.joint),
            "nav": "assessments",
        },
        status=status,
    )


JOINT_CHANGED = _lazy(
    "The joint assessment changed after you opened the page; nothing was saved. "
    "It now reads as shown below."
)


@member_required
@require_POST
def agree(request, pk):
    joint = get_object_or_404(JointAssessment.objects.select_related("action"), pk=pk)
    sides = permissions.agreement_sides(request.user, joint)
    if not sides:
        raise PermissionDenied(_("You cannot agree to this joint assessment for any side."))
    form = AgreeForm(request.POST, sides=_side_choices(sides))
    back = reverse("assessments:action", args=[joint.period, joint.action_id])
    if not form.is_valid():
        messages.error(request, _("Choose the side you agree for."))
        return redirect(back)
    try:
        joint = services.agree_joint_assessment(
            joint=joint,
            user=request.user,
            side=form.cleaned_data["side"],
            expected_version=form.cleaned_data["version"],
        )
    except services.JointAssessmentChanged:
        messages.error(request, JOINT_CHANGED)
    else:
        messages.success(
            request,
            _("Both sides have agreed: the joint assessment holds.")
            if joint.is_agreed
            else _("Your side's agreement is recorded; the other side's is awaited."),
        )
    return redirect(back)
