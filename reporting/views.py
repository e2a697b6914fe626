"""The reports page: request, watch, release, retry and download reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plancore import permissions
from plancore.decorators import member_required
from plancore.models import Plan
from reporting import services
from reporting.forms import ReportFilterForm, ReportRequestForm
from reporting.models import Report

PAGE_SIZE = 25
BROKER_DOWN = _(
    "The report service cannot be reached right now. Your request is saved and the report will "
    "be built as soon as the service is back; this page shows its state."
)


def _visible(user):
    # What the pages show of a report; who released it is not shown, and each more table
    # joined costs PostgreSQL more to plan the query than to run it (3.7 ms with the two
    # releasing users joined too, 0.3 ms to run).
    reports = Report.objects.select_related(
        "plan", "chapter", "institution", "meeting__chapter", "requested_by"
    )
    return reports.filter(permissions.visible_reports(user))


@member_required
def report_list(request):
    plan = Plan.objects.first()
    filters = ReportFilterForm(request.GET or None)
    reports = filters.filter(_visible(request.user))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    may_request = plan is not None and permissions.can_request_reports(request.user)
    for report in page.object_list:
        report.my_release_sides = permissions.release_sides(request.user, report)
        report.may_retry = permissions.can_retry_report(request.user, report)
    return render(
        request,
        "reporting/list.html",
        {
            "page": page,
            "reports": page.object_list,
            "filters": filters,
            "form": ReportRequestForm(plan=plan, user=request.user) if may_request else None,
            "pending": any(r.state in ("queued", "building") for r in page.object_list),
            "nav": "reports",
        },
    )


@member_required
@require_POST
def report_request(request):
    plan = Plan.objects.first()
    if plan is None or not permissions.can_request_reports(request.user):
        raise PermissionDenied(_("You may not request reports."))
    form = ReportRequestForm(request.POST, plan=plan, user=request.user)
    if not form.is_valid():
        filters = ReportFilterForm()
        page = Paginator(_visible(request.user), PAGE_SIZE).get_page(1)
        return render(
            request,
            "reporting/list.html",
            {
                "page": page,
                "reports": page.object_list,
                "filters": filters,
                "form": form,
                "nav": "reports",
            },
            status=400,
        )
    data = form.cleaned_data
    try:
        report = services.request_report(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            quarter=data["quarter"],
            chapter=data["chapter"],
            institution=data["institution"],
            language=data["language"],
            user=request.user,
        )
    except services.BrokerUnavailable:
        messages.warning(request, BROKER_DOWN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(title)s is requested. Its state shows below.") % {"title": report.title}
        )
    return redirect("reporting:list")


def _report_for(user, pk):
    report = get_object_or_404(_visible(user), pk=pk)
    if not permissions.can_see_report(user, report):
        raise Http404
    return report


@member_required
def report_status(request):
    """The state of the reports named by ?id=…, for the page to update without reloading."""
    ids = [int(i) for i in request.GET.getlist("id") if i.isascii() and i.isdigit() and len(i) < 10]
    ids = ids[:100]
    rows = []
    # Polled every few seconds: the report's own row is all it reads.
    visible = Report.objects.filter(permissions.visible_reports(request.user), pk__in=ids)
    for report in visible:
        rows.append(
            {
                "id": report.pk,
                "state": report.state,
                "label": report.get_state_display(),
                "pages": report.pages,
                "size": filesizeformat(report.size) if report.size else "",
                "download": reverse("reporting:download", args=[report.pk])
                if report.state == Report.State.READY
                else "",
                "download_docx": reverse("reporting:download_docx", args=[report.pk])
                if report.state == Report.State.READY and report.docx_file
                else "",
                "error": report.error,
            }
        )
    return JsonResponse({"reports": rows})


DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@member_required
def report_download(request, pk, extension="pdf"):
    """The report's PDF or DOCX: marked as a draft until both sides have released it."""
    report = _report_for(request.user, pk)
    file = report.readable_file(extension) if report.state == Report.State.READY else None
    if not file:
        raise Http404(_("This report has no file yet."))
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=report.filename_for(extension),
        content_type=DOWNLOAD_TYPES[extension],
    )


@member_required
@require_POST
def report_release(request, pk):
    report = _report_for(request.user, pk)
    sides = permissions.release_sides(request.user, report)
    side = request.POST.get("side")
    if side not in sides:
        raise PermissionDenied(_("You may not release this report for that side."))
    try:
        services.release(report, user=request.user, side=side)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is released for your side."))
    return redirect("reporting:list")


@member_required
@require_POST
def report_retry(request, pk):
    report = _report_for(request.user, pk)
    if not permissions.can_retry_report(request.user, report):
        raise PermissionDenied(_("You may not retry this report."))
    try:
        services.retry(report, user=request.user)
    except services.BrokerUnavailable:
        messages.warning(request, BROKER_DOWN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is queued again."))
    return redirect("reporting:list")
