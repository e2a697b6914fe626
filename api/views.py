"""The API's reads: the same records, rules and filters as the portal's pages.

`?as_of=YYYY-MM-DD` on actions, milestones and updates answers from the history tables through
reporting.content.plan_as_of, the function the reports use (see api/asof.py).
"""

import json

from django.db import connection
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.decisions import with_side_states
from actions.filters import ActionFilter
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review
from api import asof, serializers
from api.selectors import actions_for_api, answers, with_details
from inbox.selectors import needs_me
from partners.models import Agreement, Institution
from plancore import permissions
from plancore.models import Chapter, Plan
from reporting.models import Report

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Answer as the records stood at the end of this day (from the history tables).",
)


class PlanList(generics.ListAPIView):
    queryset = Plan.objects.all()
    serializer_class = serializers.PlanSerializer


class ChapterList(generics.ListAPIView):
    queryset = Chapter.objects.all()
    serializer_class = serializers.ChapterSerializer
    filterset_fields = ["plan"]


class InstitutionList(generics.ListAPIView):
    queryset = Institution.objects.select_related("country")
    serializer_class = serializers.InstitutionSerializer


class AgreementList(generics.ListAPIView):
    queryset = Agreement.objects.all()
    serializer_class = serializers.AgreementSerializer


class ApiActionFilter(ActionFilter):
    def filter_responsibility(self, queryset, name, value: str):
        """Typed for the schema (institution by id, side and role by code)."""
        return super().filter_responsibility(queryset, name, value)


@extend_schema_view(get=extend_schema(parameters=[AS_OF]))
class ActionList(generics.ListAPIView):
    """Actions with responsibilities, milestones, SDGs and agreements; the action list's
    filters (q, plan, chapter, status, institution, side, role, sdg, overdue)."""

    serializer_class = serializers.ActionSerializer
    filterset_class = ApiActionFilter

    def get_queryset(self):
        return actions_for_api()

    def paginate_queryset(self, queryset):
        return with_details(super().paginate_queryset(queryset))

    def list(self, request, *args, **kwargs):
        if "as_of" in request.query_params:
            return asof.actions(request, self)
        if connection.vendor != "postgresql":
            return super().list(request, *args, **kwargs)
        # The page's answers as the database wrote them (api.selectors.answers), joined.
        actions = self.filter_queryset(Action.objects.all())
        page = self.paginator.paginate_queryset(answers(actions), request, view=self)
        links = {
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
        }
        body = json.dumps(links, ensure_ascii=False)[:-1]
        results = ",".join(row["answer"] for row in page)
        return HttpResponse(f'{body}, "results": [{results}]}}', content_type="application/json")


class ActionDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ActionSerializer

    def get_queryset(self):
        return actions_for_api()


@extend_schema_view(get=extend_schema(parameters=[AS_OF]))
class MilestoneList(generics.ListAPIView):
    queryset = Milestone.objects.all()
    serializer_class = serializers.MilestoneSerializer
    filterset_fields = ["action", "responsible"]

    def list(self, request, *args, **kwargs):
        if "as_of" in request.query_params:
            return asof.milestones(request, self)
        return super().list(request, *args, **kwargs)


class MilestoneDetail(generics.RetrieveAPIView):
    queryset = Milestone.objects.all()
    serializer_class = serializers.MilestoneSerializer


def updates_with_decisions():
    return ProgressUpdate.objects.select_related("author").prefetch_related(
        Prefetch("reviews", queryset=Review.objects.for_updates().select_related("reviewer")),
        Prefetch(
            "action",
            queryset=Action.objects.prefetch_related(
                Prefetch("responsibilities", queryset=Responsibility.objects.order_by("pk"))
            ),
        ),
    )


@extend_schema_view(get=extend_schema(parameters=[AS_OF]))
class ProgressUpdateList(generics.ListAPIView):
    """Progress updates, each with both sides' decision (or who may still decide)."""

    serializer_class = serializers.ProgressUpdateSerializer
    filterset_fields = ["action", "review_state", "author"]

    def get_queryset(self):
        return updates_with_decisions()

    def list(self, request, *args, **kwargs):
        if "as_of" in request.query_params:
            return asof.updates(request, self)
        queryset = self.filter_queryset(self.get_queryset())
        page = with_side_states(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProgressUpdateDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ProgressUpdateSerializer

    def get_queryset(self):
        return updates_with_decisions()

    def get_object(self):
        return with_side_states([super().get_object()])[0]


def visible_reports(user):
    return Report.objects.filter(permissions.visible_reports(user)).select_related(
        "chapter", "institution"
    )


class ReportList(generics.ListAPIView):
    """The reports the caller may see: released ones, and drafts for those who check them."""

    serializer_class = serializers.ReportSerializer
    filterset_fields = ["kind", "year", "state", "language"]

    def get_queryset(self):
        return visible_reports(self.request.user)


class ReportDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        return visible_reports(self.request.user)


class ReportDownload(APIView):
    """The report's PDF, for those who may see it: marked as a draft until both sides have
    released it."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        report = get_object_or_404(visible_reports(request.user).select_related("plan"), pk=pk)
        file = report.readable_file() if report.state == Report.State.READY else None
        if not file:
            raise Http404
        return FileResponse(
            file.open("rb"),
            as_attachment=True,
            filename=report.filename,
            content_type="application/pdf",
        )


class InboxList(APIView):
    """What waits for the caller (the "Needs me" page), section by section."""

    @extend_schema(responses=serializers.InboxItemSerializer(many=True))
    def get(self, request):
        items = [item for section in needs_me(request.user) for item in section.items]
        return Response(serializers.InboxItemSerializer(items, many=True).data)


class NotFound(APIView):
    """No such address in the API: a 404 in JSON, whoever asks."""

    permission_classes = []
    authentication_classes = []
    schema = None

    def get(self, request, *args, **kwargs):
        raise Http404

    post = put = patch = delete = get
