from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("<slug:code>/", views.institution_detail, name="institution_detail"),
]
