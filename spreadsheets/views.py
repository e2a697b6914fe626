"""Spreadsheet pages: the action list, its milestones and updates as XLSX, and bulk updates
(download "my actions and milestones", upload, preview, confirm, follow the saving)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions import selectors
from plancore import permissions
from plancore.decorators import member_required
from plancore.request_limits import accepts_uploads
from spreadsheets import exports, services
from spreadsheets.forms import UploadForm
from spreadsheets.models import Import


def _xlsx(file, name):
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"jsap-{name}-{date.today().isoformat()}.xlsx",
        content_type=exports.XLSX,
    )


@member_required
def export_actions(request):
    _filterset, actions = selectors.filtered_actions(request.GET)
    return _xlsx(exports.actions_workbook(actions), "actions")


@member_required
def export_milestones(request):
    _filterset, actions = selectors.filtered_actions(request.GET)
    return _xlsx(exports.milestones_workbook(actions), "milestones")


@member_required
def export_updates(request):
    _filterset, actions = selectors.filtered_actions(request.GET)
    return _xlsx(exports.updates_workbook(actions), "updates")


def _importer(request):
    if not permissions.can_import_spreadsheet(request.user):
        raise PermissionDenied(_("You may not update actions from a spreadsheet."))


@member_required
def my_sheet(request):
    _importer(request)
    return _xlsx(exports.editable_workbook(request.user), "my-actions-and-milestones")


@accepts_uploads
@member_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.preview_import(owner=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("spreadsheets:preview", pk=sheet.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "spreadsheets/upload.html", {"form": form, "nav": "actions"}, status=status
    )


def _own_import(request, pk):
    """An import is seen by its owner only: to anyone else it does not exist."""
    sheet = Import.objects.filter(pk=pk, owner=request.user).first()
    if sheet is None:
        raise Http404
    return sheet


@member_required
def preview(request, pk):
    _importer(request)
    sheet = _own_import(request, pk)
    return render(
        request,
        "spreadsheets/preview.html",
        {
            "sheet": sheet,
            "rows": sheet.rows,
            "saved": services.progress(sheet),
            "total": len(sheet.changes),
            "nav": "actions",
        },
    )


@member_required
@require_POST
def confirm(request, pk):
    _importer(request)
    sheet = _own_import(request, pk)
    try:
        services.confirm_import(sheet=sheet, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("spreadsheets:preview", pk=sheet.pk)


@member_required
def progress(request, pk):
    _importer(request)
    sheet = _own_import(request, pk)
    return JsonResponse(
        {
            "state": sheet.state,
            "label": sheet.get_state_display(),
            "saved": services.progress(sheet),
            "total": len(sheet.changes),
            "error": sheet.error,
        }
    )
