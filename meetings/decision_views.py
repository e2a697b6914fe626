"""A meeting's decisions: recorded at or after it, accepted into milestones."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.forms import DecisionForm
from meetings.models import Decision
from meetings.views import get_meeting_of, meeting_or_404
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form


@member_required
@require_http_methods(["GET", "POST"])
def decision_add(request, pk):
    meeting = meeting_or_404(request.user, pk)
    if not permissions.can_record_decisions(request.user, meeting):
        raise PermissionDenied(_("Decisions are recorded at or after the meeting, by its staff."))
    form = DecisionForm(request.POST or None, plan=meeting.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#decisions")
    return render(
        request,
        "meetings/part_form.html",
        {"form": form, "meeting": meeting, "heading": _("Record a decision"), "nav": "meetings"},
        status=400 if request.method == "POST" else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def decision_accept(request, pk):
    decision, meeting = get_meeting_of(Decision, request.user, pk)
    decision = next(d for d in meeting.decisions.all() if d.pk == decision.pk)
    if not permissions.can_accept_decision(request.user, decision):
        raise PermissionDenied(_("You may not accept this decision."))
    error = None
    if request.method == "POST":
        try:
            services.accept_decision(decision=decision, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The decision is accepted."))
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#decisions")
    return render(
        request,
        "meetings/accept_form.html",
        {"decision": decision, "meeting": meeting, "error": error, "nav": "meetings"},
        status=400 if error else 200,
    )
