from django.urls import path

from amendments import views

app_name = "amendments"
urlpatterns = [
    path("", views.amendment_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.amendment_detail, name="detail"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
