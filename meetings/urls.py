from django.urls import path

from meetings import agenda_views, decision_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("add/", views.meeting_add, name="add"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/calendar.ics", views.meeting_calendar, name="calendar"),
    path("<int:pk>/documents/", views.documents_request, name="documents"),
    path("<int:pk>/participants/add/", agenda_views.participant_add, name="participant_add"),
    path(
        "participants/<int:pk>/remove/",
        agenda_views.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/agenda/draft/", agenda_views.agenda_draft, name="agenda_draft"),
    path("<int:pk>/agenda/add/", agenda_views.agenda_item_add, name="agenda_item_add"),
    path("agenda/<int:pk>/edit/", agenda_views.agenda_item_edit, name="agenda_item_edit"),
    path("agenda/<int:pk>/move/", agenda_views.agenda_item_move, name="agenda_item_move"),
    path("agenda/<int:pk>/remove/", agenda_views.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/decisions/add/", decision_views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/accept/", decision_views.decision_accept, name="decision_accept"),
]
