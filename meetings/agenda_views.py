"""A meeting's participants and agenda: drafted by the portal, edited by staff of either side."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from meetings import selectors, services
from meetings.forms import AgendaItemForm, ParticipantForm
from meetings.models import AgendaItem, Participant
from meetings.views import get_meeting_of, meeting_or_404, refuse_unless
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form


def _back(meeting, anchor):
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#{anchor}")


@member_required
@require_http_methods(["GET", "POST"])
def participant_add(request, pk):
    meeting = meeting_or_404(request.user, pk)
    refuse_unless(permissions.can_manage_meetings(request.user))
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_participant(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The participant is added."))
            return _back(meeting, "participants")
    return render(
        request,
        "meetings/part_form.html",
        {"form": form, "meeting": meeting, "heading": _("Add a participant"), "nav": "meetings"},
        status=400 if request.method == "POST" else 200,
    )


@member_required
@require_POST
def participant_remove(request, pk):
    participant, meeting = get_meeting_of(Participant, request.user, pk)
    refuse_unless(permissions.can_manage_meetings(request.user))
    services.remove_participant(participant=participant, user=request.user)
    messages.success(request, _("The participant is removed."))
    return _back(meeting, "participants")


@member_required
@require_POST
def agenda_draft(request, pk):
    meeting = meeting_or_404(request.user, pk)
    refuse_unless(permissions.can_edit_agenda(request.user, meeting))
    added = services.draft_agenda(meeting=meeting, user=request.user)
    if added:
        message = ngettext(
            "The portal added %(count)d item to the agenda.",
            "The portal added %(count)d items to the agenda.",
            len(added),
        ) % {"count": len(added)}
    else:
        message = _("The agenda already lists everything the plan's state calls for.")
    messages.success(request, message)
    return _back(meeting, "agenda")


@member_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request, pk):
    meeting = meeting_or_404(request.user, pk)
    refuse_unless(permissions.can_edit_agenda(request.user, meeting))
    return _item_form(request, meeting, None)


@member_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk):
    item, meeting = get_meeting_of(AgendaItem, request.user, pk)
    refuse_unless(permissions.can_edit_agenda(request.user, meeting))
    item = next(i for i in meeting.agenda.all() if i.pk == item.pk)
    return _item_form(request, meeting, item)


def _item_form(request, meeting, item):
    drafted = item is not None and item.drafted
    initial = {"title": item.title, "notes": item.notes} if item else {}
    form = AgendaItemForm(request.POST or None, initial=initial, drafted=drafted)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if item is None:
                services.add_agenda_item(meeting=meeting, user=request.user, **data)
            else:
                services.edit_agenda_item(item=item, user=request.user, **data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The agenda item is saved."))
            return _back(meeting, "agenda")
    if item is not None:
        item.text, item.text_lang = selectors.item_text(item, request.user)
    return render(
        request,
        "meetings/part_form.html",
        {
            "form": form,
            "meeting": meeting,
            "item": item,
            "heading": _("Edit an agenda item") if item else _("Add an agenda item"),
            "nav": "meetings",
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required
@require_POST
def agenda_item_move(request, pk):
    item, meeting = get_meeting_of(AgendaItem, request.user, pk)
    refuse_unless(permissions.can_edit_agenda(request.user, meeting))
    services.move_agenda_item(item=item, user=request.user, up=request.POST.get("up") == "1")
    return _back(meeting, "agenda")


@member_required
@require_POST
def agenda_item_remove(request, pk):
    item, meeting = get_meeting_of(AgendaItem, request.user, pk)
    refuse_unless(permissions.can_edit_agenda(request.user, meeting))
    services.remove_agenda_item(item=item, user=request.user)
    messages.success(request, _("The item is taken off the agenda."))
    return _back(meeting, "agenda")
