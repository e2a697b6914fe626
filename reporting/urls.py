from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("request/", views.report_request, name="request"),
    path("status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path(
        "<int:pk>/download/docx/",
        views.report_download,
        {"extension": "docx"},
        name="download_docx",
    ),
    path("<int:pk>/release/", views.report_release, name="release"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
]
