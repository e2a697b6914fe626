"""Revise and resubmit: the author of a returned update corrects it and sends it for review again.

A view of its own beside actions/views.py: permission → form → services.resubmit_update.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actions import services
from actions.decisions import with_side_states
from actions.forms import StatusUpdateForm
from actions.models import Action, ProgressUpdate
from plancore import permissions
from plancore.decorators import member_required
from plancore.formats import percent
from plancore.request_limits import accepts_uploads


def _update_or_404(pk):
    try:
        update = (
            ProgressUpdate.objects.select_related("author")
            .prefetch_related("reviews__reviewer")
            .get(pk=pk)
        )
        update.action = Action.objects.for_list().get(pk=update.action_id)
    except ProgressUpdate.DoesNotExist as exc:
        raise Http404 from exc
    return update


@accepts_uploads
@member_required
@require_http_methods(["GET", "POST"])
def revise_update(request, pk):
    update = _update_or_404(pk)
    if not permissions.can_revise_update(request.user, update):
        raise PermissionDenied(_("Only the author may revise an update, and only once returned."))
    action = update.action
    if request.method == "GET":
        form = StatusUpdateForm(
            initial={
                "status": update.status,
                "progress": update.progress,
                "narrative": update.narrative,
                "evidence_url": update.evidence_url,
                "version": action.version,
            }
        )
        return _render(request, update, form)

    form = StatusUpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, update, form, status=400)
    data = form.cleaned_data
    try:
        services.resubmit_update(
            update=update,
            author=request.user,
            status=data["status"],
            progress=data["progress"],
            narrative=data["narrative"],
            evidence_url=data["evidence_url"],
            evidence_file=data["evidence_file"],
            expected_version=data["version"],
        )
    except services.EditConflict as conflict:
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version
        form.add_error(
            None,
            _(
                "Someone else changed action %(number)s after you opened this form (it is now "
                "%(status)s, %(progress)s), and nothing was saved. Check your values and "
                "submit again."
            )
            % {
                "number": action.number,
                "status": conflict.current.get_status_display(),
                "progress": percent(conflict.current.progress),
            },
        )
        return _render(request, update, form, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, update, form, status=400)
    messages.success(
        request,
        _("Your revised update on action %(number)s now waits for both sides' review again.")
        % {"number": action.number},
    )
    return redirect("actions:detail", pk=action.pk)


def _render(request, update, form, status=200):
    with_side_states([update])
    return render(
        request,
        "actions/revise_form.html",
        {"update": update, "action": update.action, "form": form, "nav": "my_updates"},
        status=status,
    )
