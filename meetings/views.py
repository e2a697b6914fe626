"""The meeting pages. Each view: permission → form or selector → service → response."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings import calendar, selectors, services
from meetings.forms import AgendaItemForm, DecisionForm, MeetingForm, ParticipantForm
from meetings.models import Meeting
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form
from plancore.models import Plan
from reporting.models import MEETING_KINDS, Report
from reporting.services import BrokerUnavailable
from reporting.views import BROKER_DOWN

PAGE_SIZE = 25


def meeting_or_404(user, pk):
    if not permissions.can_see_meetings(user):
        raise PermissionDenied(_("You may not see meetings."))
    try:
        return selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist as missing:
        raise Http404 from missing


def refuse_unless(allowed):
    if not allowed:
        raise PermissionDenied(_("You may not change this meeting."))


@member_required
def meeting_list(request):
    plan = Plan.objects.first()
    meetings = selectors.meetings_for_list(plan) if plan else Meeting.objects.none()
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {"page": page, "meetings": page.object_list, "nav": "meetings"},
    )


@member_required
@require_http_methods(["GET", "POST"])
def meeting_add(request):
    plan = Plan.objects.first()
    if plan is None:
        raise Http404
    refuse_unless(permissions.can_manage_meetings(request.user))
    return _meeting_form(request, plan, None)


@member_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = meeting_or_404(request.user, pk)
    refuse_unless(permissions.can_manage_meetings(request.user))
    return _meeting_form(request, meeting.plan, meeting)


def _meeting_form(request, plan, meeting):
    initial = {}
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    form = MeetingForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            if meeting is None:
                meeting = services.create_meeting(plan=plan, user=request.user, **data)
            else:
                meeting = services.edit_meeting(meeting=meeting, user=request.user, **data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting, "nav": "meetings"},
        status=400 if request.method == "POST" else 200,
    )


@member_required
def meeting_detail(request, pk):
    meeting = meeting_or_404(request.user, pk)
    user = request.user
    may_manage = permissions.can_manage_meetings(user)
    documents = (
        Report.objects.filter(meeting=meeting)
        .filter(permissions.visible_reports(user))
        .order_by("kind", "language", "-requested_at")
    )
    documents = list(documents[:20])
    for report in documents:
        report.my_release_sides = permissions.release_sides(user, report)
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        decision.may_accept = permissions.can_accept_decision(user, decision)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "agenda": selectors.agenda_lines(meeting, user),
            "decisions": decisions,
            "documents": documents,
            "may_manage": may_manage,
            "may_edit_agenda": permissions.can_edit_agenda(user, meeting),
            "may_record": permissions.can_record_decisions(user, meeting),
            "may_request": permissions.can_request_meeting_documents(user, meeting),
            "taken_place": meeting.has_taken_place(),
            "participant_form": ParticipantForm() if may_manage else None,
            "item_form": AgendaItemForm() if may_manage else None,
            "decision_form": DecisionForm(plan=meeting.plan) if may_manage else None,
            "nav": "meetings",
        },
    )


@member_required
def meeting_calendar(request, pk):
    meeting = meeting_or_404(request.user, pk)
    response = HttpResponse(
        calendar.meeting_calendar(meeting, host=calendar.calendar_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.date}.ics"'
    return response


@member_required
@require_POST
def documents_request(request, pk):
    meeting = meeting_or_404(request.user, pk)
    refuse_unless(permissions.can_request_meeting_documents(request.user, meeting))
    kind = request.POST.get("kind")
    if kind not in MEETING_KINDS:
        messages.error(request, _("Choose the agenda or the minutes."))
        return redirect("meetings:detail", pk=meeting.pk)
    try:
        services.request_documents(meeting=meeting, user=request.user, kind=kind)
    except BrokerUnavailable:
        messages.warning(request, BROKER_DOWN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        requested = {
            "agenda": _("The agenda is requested in English and Spanish. Its state shows below."),
            "minutes": _(
                "The minutes are requested in English and Spanish. Their state shows below."
            ),
        }
        messages.success(request, requested[kind])
    return redirect("meetings:detail", pk=meeting.pk)


def get_meeting_of(model, user, pk):
    """The row `pk` of a meeting's part (participant, agenda item, decision) and its meeting."""
    row = get_object_or_404(model, pk=pk)
    return row, meeting_or_404(user, row.meeting_id)
