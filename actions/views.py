"""The action pages. Each view: permission → form or selector → service → response."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actions import action_page, selectors, services
from actions.decisions import Deciders, why_you_decide, with_side_states
from actions.exports import csv_lines
from actions.forms import MilestoneDoneForm, MilestoneForm, ReviewForm, StatusUpdateForm
from actions.models import Action, Milestone, ProgressUpdate, Status
from plancore import permissions
from plancore.decorators import member_required
from plancore.forms import errors_onto_form
from plancore.pagination import CountedPaginator
from plancore.request_limits import accepts_uploads

PAGE_SIZE = 25
# A filtered list counts its actions up to a multiple of this far enough to see past the page
# shown (plancore.pagination.CountedPaginator), and says "more than" beyond it.
COUNT_BOUND = 500


def _filtered(request, queryset=None):
    return selectors.filtered_actions(request.GET, queryset)


@member_required
def action_list(request):
    filterset, actions = _filtered(request)
    count = selectors.unfiltered_count(filterset)
    page = CountedPaginator(actions, PAGE_SIZE, count=count, bound=COUNT_BOUND).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actions/list.html",
        {
            "filter": filterset,
            "filter_fields": selectors.filter_fields(request.GET, filterset),
            "page": page,
            "actions": selectors.table_rows(page.object_list),
            "nav": "actions",
        },
    )


@member_required
def export_csv(request):
    _filterset, actions = _filtered(request)
    filename = f"jsap-actions-{date.today().isoformat()}.csv"
    return StreamingHttpResponse(
        csv_lines(actions),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@member_required
def my_actions(request):
    if not permissions.is_liaison(request.user):
        raise PermissionDenied(_("“My actions” lists the actions of a liaison's institutions."))
    mine = Action.objects.filter(permissions.responsibility_filter_for(request.user))
    filterset, actions = _filtered(request, mine)
    page = CountedPaginator(actions, PAGE_SIZE, bound=COUNT_BOUND).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/mine.html",
        {
            "filter": filterset,
            "filter_fields": selectors.filter_fields(request.GET, filterset),
            "page": page,
            "actions": selectors.table_rows(page.object_list),
            "nav": "mine",
        },
    )


@member_required
def action_detail(request, pk):
    try:
        page = action_page.kept(pk)
    except Action.DoesNotExist as exc:
        raise Http404 from exc
    action, user = page.action, request.user
    for update in page.updates:
        update.my_review_sides = permissions.review_sides(
            user, update, liaisons=page.deciders.liaisons
        )
        update.may_translate = permissions.can_translate_update(user, update)
        update.may_revise = permissions.can_revise_update(user, update)
    may_manage_milestones = permissions.can_manage_milestones(user, action)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "kept": page,  # its parts drawn for every reader
            "milestones": page.milestones,
            "milestones_html": page.milestones_html[may_manage_milestones],
            "updates": page.updates,
            "timeline": page.timeline,
            "may_update": permissions.can_update_action(user, action),
            "may_manage_milestones": may_manage_milestones,
            "nav": "actions",
        },
    )


def _action_or_404(pk):
    try:
        return Action.objects.for_list().get(pk=pk)
    except Action.DoesNotExist as exc:
        raise Http404 from exc


@accepts_uploads
@member_required
@require_http_methods(["GET", "POST"])
def update_status(request, pk):
    action = _action_or_404(pk)
    if not permissions.can_update_action(request.user, action):
        raise PermissionDenied(_("You may not update this action."))
    if request.method == "GET":
        form = StatusUpdateForm(
            initial={
                "status": action.status,
                "progress": action.progress,
                "version": action.version,
            }
        )
        return _render_update_form(request, action, form)

    form = StatusUpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_update_form(request, action, form, status=400)
    data = form.cleaned_data
    try:
        services.report_progress(
            action=action,
            user=request.user,
            status=data["status"],
            progress=data["progress"],
            narrative=data["narrative"],
            evidence_url=data["evidence_url"],
            evidence_file=data["evidence_file"],
            expected_version=data["version"],
        )
    except services.EditConflict as conflict:
        return _render_conflict(request, action, form, conflict.current, data["version"])
    except ValidationError as error:
        errors_onto_form(form, error)
        return _render_update_form(request, action, form, status=400)
    messages.success(
        request,
        _("Action %(number)s is updated. Your progress update now waits for both sides' review.")
        % {"number": action.number},
    )
    return redirect("actions:detail", pk=action.pk)


def _write(request, form, write, *, success, next_url):
    """Run a service for a valid form: on success confirm and redirect; a refusal goes on the form
    (and the caller renders it again)."""
    try:
        write()
    except ValidationError as error:
        errors_onto_form(form, error)
        return None
    messages.success(request, success)
    return redirect(next_url)


def _render_update_form(request, action, form, status=200):
    return render(
        request,
        "actions/update_form.html",
        {"action": action, "form": form, "nav": "actions"},
        status=status,
    )


def _render_conflict(request, action, form, current, seen_version):
    """Nothing was saved. Show what changed since the form was opened and keep the input."""
    changes = (
        current.history.filter(version__gt=seen_version)
        .select_related("history_user")
        .order_by("history_date")
    )
    data = request.POST.copy()
    data["version"] = current.version
    retry = StatusUpdateForm(data)
    retry.is_valid()
    return render(
        request,
        "actions/conflict.html",
        {
            "action": current,
            "form": retry,
            "changes": changes,
            "mine": form.cleaned_data | {"status_label": Status(form.cleaned_data["status"]).label},
            "lost_file": bool(request.FILES.get("evidence_file")),
            "nav": "actions",
        },
        status=409,
    )


@member_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, pk):
    action = _action_or_404(pk)
    return _milestone_form(request, action, None)


@member_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("action"), pk=pk)
    return _milestone_form(request, _action_or_404(milestone.action_id), milestone)


def _milestone_form(request, action, milestone):
    if not permissions.can_manage_milestones(request.user, action):
        raise PermissionDenied(_("You may not change this action's milestones."))
    form = MilestoneForm(request.POST or None, instance=milestone, action=action)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "start_date", "due_date", "responsible")}

        def write():
            if milestone is None:
                services.add_milestone(action=action, user=request.user, **data)
                return
            try:
                services.edit_milestone(
                    milestone=milestone,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    **data,
                )
            except services.EditConflict as conflict:
                form.data = form.data.copy()
                form.data["version"] = conflict.current.version
                raise ValidationError(_milestone_conflict(conflict.current)) from conflict

        done = _write(
            request,
            form,
            write,
            success=_("The milestone is saved."),
            next_url=reverse("actions:detail", args=[action.pk]) + "#milestones",
        )
        if done:
            return done
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "actions/milestone_form.html",
        {"action": action, "form": form, "milestone": milestone, "nav": "actions"},
        status=status,
    )


def _milestone_conflict(current):
    """Nothing was saved: say what the milestone is now; the form keeps the editor's input."""
    return _(
        "Someone else changed this milestone after you opened it, and nothing was saved. It is "
        "now: “%(title)s”, %(start)s to %(due)s. Check your values; saving again replaces theirs."
    ) % {
        "title": current.title,
        "start": current.start_date.isoformat(),
        "due": current.due_date.isoformat(),
    }


@member_required
@require_http_methods(["GET", "POST"])
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("action"), pk=pk)
    action = _action_or_404(milestone.action_id)
    if not permissions.can_manage_milestones(request.user, action):
        raise PermissionDenied(_("You may not change this action's milestones."))
    form = MilestoneDoneForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        done = _write(
            request,
            form,
            lambda: services.complete_milestone(
                milestone=milestone, user=request.user, done_on=form.cleaned_data["done_on"]
            ),
            success=_("The milestone is marked done."),
            next_url=reverse("actions:detail", args=[action.pk]) + "#milestones",
        )
        if done:
            return done
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "actions/milestone_done.html",
        {"action": action, "milestone": milestone, "form": form, "nav": "actions"},
        status=status,
    )


@member_required
@require_http_methods(["GET", "POST"])
def review_update(request, pk):
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("author", "translated_by").prefetch_related(
            "reviews__reviewer"
        ),
        pk=pk,
    )
    action = _action_or_404(update.action_id)
    update.action = action
    sides = permissions.review_sides(request.user, update)
    if not sides:
        raise PermissionDenied(_("You may not review this update, or your side has decided."))
    form = ReviewForm(request.POST or None, sides=sides)
    if request.method == "POST" and form.is_valid():
        done = _write(
            request,
            form,
            lambda: services.review_update(
                update=update,
                reviewer=request.user,
                side=form.cleaned_data["side"],
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            ),
            success=_("Your decision is recorded."),
            next_url=reverse("actions:review_queue"),
        )
        if done:
            return done
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "actions/review_form.html",
        {"update": update, "action": action, "form": form, "nav": "reviews"},
        status=status,
    )


@member_required
def review_queue(request):
    """The updates this person may decide on now, oldest first, a page at a time: the database
    finds them (permissions.reviewable_by) among every waiting update."""
    mine = selectors.updates_for_review().filter(permissions.reviewable_by(request.user))
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    updates = list(page.object_list)
    deciders = Deciders.load()
    for update in updates:
        sides = permissions.review_sides(request.user, update, liaisons=deciders.liaisons)
        update.why_mine = [why_you_decide(request.user, update, side) for side in sorted(sides)]
    with_side_states(updates, deciders)
    return render(
        request,
        "actions/review_queue.html",
        {"updates": updates, "page": page, "nav": "reviews"},
    )


@member_required
def my_updates(request):
    page = Paginator(selectors.updates_by(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    updates = with_side_states(page.object_list)
    return render(
        request,
        "actions/my_updates.html",
        {"page": page, "updates": updates, "nav": "my_updates"},
    )


@member_required
def evidence(request, pk):
    update = get_object_or_404(ProgressUpdate, pk=pk)
    if not update.evidence_file:
        raise Http404
    return FileResponse(update.evidence_file.open("rb"), as_attachment=True)
