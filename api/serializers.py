"""What the API says of each record (reading only: writes go through the portal's forms)."""

from django.urls import reverse
from rest_framework import serializers

from actions.models import Action, Milestone, ProgressUpdate, Responsibility
from api.selectors import iso_day, with_details
from partners.models import Agreement, Institution, display_name
from plancore.models import Chapter, Plan
from reporting.models import Report


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "slug", "title", "signed_on", "period_start", "period_end"]


class ChapterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chapter
        fields = ["id", "plan", "number", "title"]


class InstitutionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", allow_null=True, default=None)

    class Meta:
        model = Institution
        fields = ["id", "code", "acronym", "name", "kind", "country", "parent"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "code", "title", "kind", "signed_on", "signed_at", "parent"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Responsibility
        fields = ["institution", "side", "role"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "action",
            "title",
            "start_date",
            "due_date",
            "done_on",
            "responsible",
            "version",
        ]


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="chapter.plan_id", read_only=True)
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    sdgs = serializers.SerializerMethodField()
    agreements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "number",
            "plan",
            "chapter",
            "short_title",
            "text",
            "status",
            "progress",
            "start_date",
            "target_date",
            "version",
            "responsibilities",
            "milestones",
            "sdgs",
            "agreements",
        ]

    def get_sdgs(self, action) -> list[int]:
        return sorted(goal.number for goal in action.sdgs.all())

    def to_representation(self, action):
        """What the declared fields say, from the plain rows of `api.selectors.with_details`:
        the fields' generic machinery over model instances took most of a page's time.
        tests/api/test_serializers.py holds the two equal on every demo action."""
        if not hasattr(action, "api_details"):
            with_details([action])
        return {
            "id": action.pk,
            "number": action.number,
            "plan": action.chapter.plan_id,
            "chapter": action.chapter_id,
            "short_title": action.short_title,
            "text": action.text,
            "status": action.status,
            "progress": action.progress,
            "start_date": iso_day(action.start_date),
            "target_date": iso_day(action.target_date),
            "version": action.version,
            **action.api_details,
        }


class DecisionSerializer(serializers.Serializer):
    """One side's state on an update (actions.decisions.SideState)."""

    side = serializers.CharField()
    state = serializers.SerializerMethodField()
    reviewer = serializers.SerializerMethodField()
    decided_at = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    waiting_for = serializers.ListField(child=serializers.CharField())

    def get_state(self, state) -> str:
        return state.review.decision if state.review else "waiting"

    def get_reviewer(self, state) -> str:
        return state.reviewer_name

    def get_decided_at(self, state) -> str | None:
        return state.review.decided_at.isoformat() if state.review else None

    def get_comment(self, state) -> str:
        return state.review.comment if state.review else ""


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, source="side_states", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "author",
            "submitted_at",
            "status",
            "progress",
            "narrative",
            "evidence_url",
            "review_state",
            "revision",
            "decisions",
        ]

    def get_author(self, update) -> str:
        return display_name(update.author)


class ReportSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "title",
            "kind",
            "year",
            "quarter",
            "chapter",
            "institution",
            "language",
            "as_of",
            "state",
            "requested_at",
            "released_dk_at",
            "released_mx_at",
            "pages",
            "size",
            "sha256",
            "download_url",
        ]

    def get_download_url(self, report) -> str | None:
        if report.state != Report.State.READY or not report.file:
            return None
        url = reverse("reporting:download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    since = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField()
    overdue = serializers.BooleanField()
    action_id = serializers.IntegerField(allow_null=True)
    object_id = serializers.IntegerField(allow_null=True)
