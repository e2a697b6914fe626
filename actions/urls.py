from django.urls import path

from actions import revising, translating, views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("mine/", views.my_actions, name="mine"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("my-updates/", views.my_updates, name="my_updates"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.update_status, name="update"),
    path("<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("updates/<int:pk>/review/", views.review_update, name="review"),
    path("updates/<int:pk>/revise/", revising.revise_update, name="revise"),
    path("updates/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("updates/<int:pk>/translate/", translating.translate_update, name="translate_update"),
    path(
        "milestones/<int:pk>/translate/",
        translating.translate_milestone,
        name="translate_milestone",
    ),
]
