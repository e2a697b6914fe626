from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views, writes

app_name = "api"
urlpatterns = [
    path("plans/", views.PlanList.as_view(), name="plans"),
    path("chapters/", views.ChapterList.as_view(), name="chapters"),
    path("institutions/", views.InstitutionList.as_view(), name="institutions"),
    path("agreements/", views.AgreementList.as_view(), name="agreements"),
    path("actions/", views.ActionList.as_view(), name="actions"),
    path("actions/<int:pk>/", views.ActionDetail.as_view(), name="action"),
    path("actions/<int:pk>/progress/", writes.ActionProgress.as_view(), name="action_progress"),
    path(
        "actions/<int:pk>/milestones/", writes.ActionMilestones.as_view(), name="action_milestones"
    ),
    path("milestones/", views.MilestoneList.as_view(), name="milestones"),
    path("milestones/<int:pk>/", views.MilestoneDetail.as_view(), name="milestone"),
    path("milestones/<int:pk>/edit/", writes.MilestoneEdit.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/done/", writes.MilestoneDone.as_view(), name="milestone_done"),
    path("updates/", views.ProgressUpdateList.as_view(), name="updates"),
    path("updates/<int:pk>/", views.ProgressUpdateDetail.as_view(), name="update"),
    path("updates/<int:pk>/review/", writes.UpdateReview.as_view(), name="update_review"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/request/", writes.ReportRequest.as_view(), name="report_request"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("reports/<int:pk>/download/", views.ReportDownload.as_view(), name="report_download"),
    path("inbox/", views.InboxList.as_view(), name="inbox"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    # Any other address under /api/v1/ answers 404 in JSON, as the API's other errors do.
    re_path(r"^.*$", views.NotFound.as_view(), name="not_found"),
]

# Programs sign in with a token, which the API itself checks: an anonymous request is answered
# 401 in JSON, not sent to the sign-in page (as LoginRequiredMiddleware does for pages).
for pattern in urlpatterns:
    pattern.callback.login_required = False
