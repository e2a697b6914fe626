"""The API's writes: each validated by the page's form, allowed by the page's predicate and
made by the page's service, so the portal's rules and history hold for programs too."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, status
from rest_framework import serializers as s
from rest_framework.response import Response
from rest_framework.views import APIView

from actions import services
from actions.decisions import with_side_states
from actions.forms import MilestoneDoneForm, MilestoneForm, ReviewForm, StatusUpdateForm
from actions.models import Milestone, Review, Status
from api import serializers
from api.handling import Conflict, form_errors
from api.selectors import actions_for_api
from api.views import updates_with_decisions
from plancore import permissions
from plancore.models import Plan
from reporting import services as reporting_services
from reporting.forms import ReportRequestForm
from reporting.models import REPORT_LANGUAGES, Report

ProgressIn = inline_serializer(
    "ProgressIn",
    {
        "status": s.ChoiceField(choices=Status.choices),
        "progress": s.IntegerField(min_value=0, max_value=100),
        "narrative": s.CharField(max_length=5000),
        "evidence_url": s.URLField(required=False, max_length=500),
        "version": s.IntegerField(min_value=1),
    },
)
MilestoneIn = inline_serializer(
    "MilestoneIn",
    {
        "title": s.CharField(max_length=200),
        "start_date": s.DateField(),
        "due_date": s.DateField(),
        "responsible": s.IntegerField(required=False, allow_null=True),
        "version": s.IntegerField(min_value=1, required=False),
    },
)
DoneIn = inline_serializer("DoneIn", {"done_on": s.DateField()})
ReviewIn = inline_serializer(
    "ReviewIn",
    {
        "side": s.ChoiceField(choices=["DK", "MX"]),
        "decision": s.ChoiceField(choices=Review.Decision.choices),
        "comment": s.CharField(required=False, max_length=2000),
    },
)
ReportIn = inline_serializer(
    "ReportIn",
    {
        "kind": s.ChoiceField(choices=Report.Kind.choices),
        "year": s.IntegerField(),
        "quarter": s.IntegerField(required=False, allow_null=True),
        "chapter": s.IntegerField(required=False, allow_null=True),
        "institution": s.IntegerField(required=False, allow_null=True),
        "language": s.ChoiceField(choices=REPORT_LANGUAGES),
    },
)


class Unavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _lazy("Reports cannot be built just now; try again in a few minutes.")


CONFLICT = inline_serializer(
    "Conflict", {"detail": s.CharField(), "current_version": s.IntegerField()}
)


def form_data(request):
    """The JSON body as a form's data (values as the browser would send them)."""
    if not isinstance(request.data, dict):
        raise exceptions.ParseError(_("Send a JSON object."))
    return {
        key: ("" if value is None else str(value))
        for key, value in request.data.items()
        if isinstance(value, str | int | float | type(None)) and not isinstance(value, bool)
    }


def _action(pk):
    return get_object_or_404(actions_for_api().select_related("chapter__plan"), pk=pk)


class ActionProgress(APIView):
    """Set the action's status and progress and post the narrative for both sides' review."""

    @extend_schema(request=ProgressIn, responses={201: serializers.ActionSerializer, 409: CONFLICT})
    def post(self, request, pk):
        action = _action(pk)
        if not permissions.can_update_action(request.user, action):
            raise exceptions.PermissionDenied(_("You may not update this action."))
        form = StatusUpdateForm(form_data(request))
        if not form.is_valid():
            return form_errors(form)
        data = form.cleaned_data
        try:
            services.report_progress(
                action=action,
                user=request.user,
                status=data["status"],
                progress=data["progress"],
                narrative=data["narrative"],
                evidence_url=data["evidence_url"],
                expected_version=data["version"],
            )
        except services.EditConflict as conflict:
            raise Conflict(conflict.current) from conflict
        return Response(
            serializers.ActionSerializer(_action(pk)).data, status=status.HTTP_201_CREATED
        )


def _may_manage(user, action):
    if not permissions.can_manage_milestones(user, action):
        raise exceptions.PermissionDenied(_("You may not change this action's milestones."))


def _saved_milestone(request, action, milestone):
    form = MilestoneForm(form_data(request), instance=milestone, action=action)
    if not form.is_valid():
        return None, form_errors(form)
    data = {k: form.cleaned_data[k] for k in ("title", "start_date", "due_date", "responsible")}
    if milestone is None:
        return services.add_milestone(action=action, user=request.user, **data), None
    try:
        saved = services.edit_milestone(
            milestone=milestone,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            **data,
        )
    except services.EditConflict as conflict:
        raise Conflict(conflict.current) from conflict
    return saved, None


class ActionMilestones(APIView):
    """Add a milestone to the action."""

    @extend_schema(request=MilestoneIn, responses={201: serializers.MilestoneSerializer})
    def post(self, request, pk):
        action = _action(pk)
        _may_manage(request.user, action)
        milestone, refusal = _saved_milestone(request, action, None)
        if refusal:
            return refusal
        return Response(
            serializers.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED
        )


class MilestoneEdit(APIView):
    """Change a milestone: send the version you read; a stale one answers 409."""

    @extend_schema(
        request=MilestoneIn, responses={200: serializers.MilestoneSerializer, 409: CONFLICT}
    )
    def put(self, request, pk):
        milestone = get_object_or_404(Milestone, pk=pk)
        action = _action(milestone.action_id)
        _may_manage(request.user, action)
        saved, refusal = _saved_milestone(request, action, milestone)
        return refusal or Response(serializers.MilestoneSerializer(saved).data)


class MilestoneDone(APIView):
    """Mark a milestone done on a day (today or earlier, not before it starts)."""

    @extend_schema(request=DoneIn, responses={200: serializers.MilestoneSerializer})
    def post(self, request, pk):
        milestone = get_object_or_404(Milestone, pk=pk)
        _may_manage(request.user, _action(milestone.action_id))
        form = MilestoneDoneForm(form_data(request), milestone=milestone)
        if not form.is_valid():
            return form_errors(form)
        saved = services.complete_milestone(
            milestone=milestone, user=request.user, done_on=form.cleaned_data["done_on"]
        )
        return Response(serializers.MilestoneSerializer(saved).data)


class UpdateReview(APIView):
    """Record your side's decision on a progress update."""

    @extend_schema(request=ReviewIn, responses={201: serializers.ProgressUpdateSerializer})
    def post(self, request, pk):
        update = get_object_or_404(updates_with_decisions(), pk=pk)
        sides = permissions.review_sides(request.user, update)
        if not sides:
            raise exceptions.PermissionDenied(
                _("You may not review this update, or your side has decided.")
            )
        form = ReviewForm(form_data(request), sides=sides)
        if not form.is_valid():
            return form_errors(form)
        services.review_update(
            update=update,
            reviewer=request.user,
            side=form.cleaned_data["side"],
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
        fresh = get_object_or_404(updates_with_decisions(), pk=pk)
        data = serializers.ProgressUpdateSerializer(with_side_states([fresh])[0]).data
        return Response(data, status=status.HTTP_201_CREATED)


class ReportRequest(APIView):
    """Ask for a report to be built; its state shows in the report list."""

    @extend_schema(request=ReportIn, responses={202: serializers.ReportSerializer})
    def post(self, request):
        plan = Plan.objects.first()
        if plan is None or not permissions.can_request_reports(request.user):
            raise exceptions.PermissionDenied(_("You may not request reports."))
        form = ReportRequestForm(form_data(request), plan=plan, user=request.user)
        if not form.is_valid():
            # A kind or institution outside the caller's right is refused as the page refuses it.
            refused = not permissions.can_edit_plan(request.user) and (
                {"kind", "institution"} & set(form.errors) or "__all__" in form.errors
            )
            if refused:
                raise exceptions.PermissionDenied(
                    _("You may request only your institution's report.")
                )
            return form_errors(form)
        data = form.cleaned_data
        try:
            report = reporting_services.request_report(plan=plan, user=request.user, **data)
        except reporting_services.BrokerUnavailable:
            raise Unavailable() from None
        return Response(
            serializers.ReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )
