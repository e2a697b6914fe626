from django.urls import path

from spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("actions.xlsx", views.export_actions, name="export_actions"),
    path("milestones.xlsx", views.export_milestones, name="export_milestones"),
    path("updates.xlsx", views.export_updates, name="export_updates"),
    path("mine.xlsx", views.my_sheet, name="my_sheet"),
    path("upload/", views.upload, name="upload"),
    path("uploads/<int:pk>/", views.preview, name="preview"),
    path("uploads/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("uploads/<int:pk>/progress/", views.progress, name="progress"),
]
