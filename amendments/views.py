"""The amendment pages. Each view: permission → form or selector → service → response."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Action
from amendments import selectors, services
from amendments.describing import proposed_change
from amendments.forms import ProposalForm, RejectionForm, initial_for
from amendments.models import Amendment
from partners.models import Side
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form

PAGE_SIZE = 25


@member_required
def amendment_list(request):
    state = request.GET.get("state")
    state = state if state in Amendment.State.values else None
    page = Paginator(selectors.for_list(request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for amendment in page.object_list:
        amendment.change = proposed_change(amendment)
    return render(
        request,
        "amendments/list.html",
        {
            "page": page,
            "amendments": page.object_list,
            "state": state,
            "states": Amendment.State.choices,
            "may_propose": permissions.can_propose_amendment(request.user),
            "nav": "amendments",
        },
    )


def _visible_or_404(user, pk):
    try:
        amendment = selectors.for_detail(pk)
    except Amendment.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_see_amendment(user, amendment):
        raise Http404
    return amendment


@member_required
def amendment_detail(request, pk):
    amendment = _visible_or_404(request.user, pk)
    return render(request, "amendments/detail.html", _detail(request, amendment, RejectionForm()))


def _detail(request, amendment, rejection_form):
    decisions = {d.side: d for d in amendment.decisions.all()}
    return {
        "amendment": amendment,
        "change": proposed_change(amendment),
        "sides": [(Side(side), decisions.get(side)) for side in permissions.COUNTRY_SIDES],
        "decision_sides": sorted(permissions.amendment_decision_sides(request.user, amendment)),
        "rejection_form": rejection_form,
        "nav": "amendments",
    }


def _action_from_query(request):
    try:
        return Action.objects.for_list().get(pk=int(request.GET["action"]))
    except (KeyError, ValueError, Action.DoesNotExist):
        return None


@member_required
@require_http_methods(["GET", "POST"])
def propose(request):
    if not permissions.can_propose_amendment(request.user):
        raise PermissionDenied(_("Embassy staff and plan administrators propose amendments."))
    action = _action_from_query(request)
    sides = permissions.staff_sides(request.user)
    if request.method == "GET":
        initial = initial_for(action) | {"kind": request.GET.get("kind", "")}
        form = ProposalForm(initial=initial, action=action, sides=sides)
    else:
        form = ProposalForm(request.POST, action=action, sides=sides)
        if form.is_valid():
            try:
                amendment = services.propose_amendment(
                    proposer=request.user, **form.service_arguments()
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(
                    request,
                    _("%(amendment)s is proposed; it waits for both sides.")
                    % {"amendment": amendment},
                )
                return redirect("amendments:detail", amendment.pk)
    return render(
        request,
        "amendments/propose.html",
        {"form": form, "action": action, "nav": "amendments"},
        status=400 if form.errors else 200,
    )


@member_required
@require_POST
def approve(request, pk):
    amendment = _visible_or_404(request.user, pk)
    if not permissions.can_approve_amendment(request.user, amendment):
        raise PermissionDenied(_("You may not approve this amendment."))
    side = request.POST.get("side") or None
    try:
        amendment = services.approve_amendment(amendment=amendment, user=request.user, side=side)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if amendment.in_force:
            messages.success(request, _("Both sides have approved: the amendment is in force."))
        else:
            messages.success(request, _("Your side's approval is recorded."))
    return redirect("amendments:detail", pk)


@member_required
@require_http_methods(["POST"])
def reject(request, pk):
    amendment = _visible_or_404(request.user, pk)
    if not permissions.can_reject_amendment(request.user, amendment):
        raise PermissionDenied(_("You may not reject this amendment."))
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            services.reject_amendment(
                amendment=amendment,
                user=request.user,
                side=request.POST.get("side") or None,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The amendment is rejected; the plan stays as it is."))
            return redirect("amendments:detail", pk)
    return render(request, "amendments/detail.html", _detail(request, amendment, form), status=400)


@member_required
@require_POST
def withdraw(request, pk):
    amendment = _visible_or_404(request.user, pk)
    if not permissions.can_withdraw_amendment(request.user, amendment):
        raise PermissionDenied(_("Only the proposer may withdraw an amendment."))
    try:
        services.withdraw_amendment(amendment=amendment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The amendment is withdrawn."))
    return redirect("amendments:detail", pk)
